"""A real worker process (`manage.py worker`, the database backend) sends a queued e-mail.

The test commits a queued message to the test database and starts the worker as a subprocess
against it: on PostgreSQL the live test database itself, on SQLite (whose test database lives in
memory) a file copy of it made with SQLite's backup API. The worker writes e-mails with Django's
file backend into a temporary folder."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from portolan.notifications import kinds, services
from portolan.notifications.models import Message, MessageStatus
from portolan.testing.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def _database_url(tmp_path: Path) -> tuple[str, Path | None]:
    if connection.vendor == "sqlite":
        copy = tmp_path / "worker.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(copy)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{copy}", copy
    db = connection.settings_dict
    credentials = quote(db["USER"] or "")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"])
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or "5432"
    return f"postgres://{credentials}@{host}:{port}/{db['NAME']}", None


def _status_in_copy(copy: Path, message_id: int) -> str:
    with sqlite3.connect(copy) as db:
        row = db.execute(
            "SELECT status FROM notifications_message WHERE id = ?", (message_id,)
        ).fetchone()
    return row[0]


def test_a_real_worker_process_sends_a_queued_email(settings, tmp_path):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    user = UserFactory(preferred_language="fr")
    message = services.queue_message(
        recipient=user,
        kind=kinds.RECORD_APPROVED,
        context={"title": "Harbour school days", "message": "", "link": "catalogue:dashboard"},
        object_type="initiative",
        object_id=1,
        period_key="event-1",
    )
    assert message is not None
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING, "queued, waiting for a worker"

    mail_dir = tmp_path / "mail"
    url, copy = _database_url(tmp_path)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": url,
        "PORTOLAN_TASKS_BACKEND": "database",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "DJANGO_EMAIL_FILE_PATH": str(mail_dir),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            str(Path(settings.BASE_DIR) / "manage.py"),
            "worker",
            "--interval",
            "0.2",
            "--no-startup-delay",
            "--periodic-interval",
            "0",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        sent, status = [], None
        while time.monotonic() < deadline and worker.poll() is None:
            sent = list(mail_dir.glob("*.log")) if mail_dir.exists() else []
            if sent:
                status = (
                    _status_in_copy(copy, message.pk)
                    if copy
                    else Message.objects.get(pk=message.pk).status
                )
                if status == MessageStatus.SENT:
                    break
            time.sleep(0.2)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            output = worker.communicate(timeout=20)[0].decode()
        except subprocess.TimeoutExpired:
            worker.kill()
            output = worker.communicate()[0].decode()
    assert sent, f"no e-mail written; worker said:\n{output}"
    text = sent[0].read_text()
    assert f"To: {user.email}" in text
    assert "Harbour school days" in text
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in text
    assert status == MessageStatus.SENT
