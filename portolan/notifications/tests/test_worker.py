"""Real worker processes (`manage.py worker`, the database backend) send queued e-mails.

The test commits a queued message to the test database and starts workers as subprocesses
against it: on PostgreSQL the live test database itself, on SQLite (whose test database lives in
memory) a file copy of it made with SQLite's backup API. Workers write e-mails with Django's file
backend into a temporary folder."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from portolan.notifications import kinds, services
from portolan.notifications.models import Message, MessageStatus
from portolan.testing.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def queued(settings):
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
    return message


class Workers:
    """Start worker processes on the test database (or its SQLite copy) and read it back."""

    def __init__(self, tmp_path: Path):
        self.mail_dir = tmp_path / "mail"
        self.copy: Path | None = None
        self.processes: list[subprocess.Popen] = []
        if connection.vendor == "sqlite":
            self.copy = tmp_path / "worker.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(self.copy)
            connection.connection.backup(target)
            target.close()
            self.url = f"sqlite:///{self.copy}"
        else:
            db = connection.settings_dict
            credentials = quote(db["USER"] or "")
            if db["PASSWORD"]:
                credentials += ":" + quote(db["PASSWORD"])
            host, port = db["HOST"] or "127.0.0.1", db["PORT"] or "5432"
            self.url = f"postgres://{credentials}@{host}:{port}/{db['NAME']}"

    def start(self, *options: str, **env: str) -> subprocess.Popen:
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": self.url,
            "PORTOLAN_TASKS_BACKEND": "database",
            "DJANGO_EMAIL_BACKEND": "portolan.testing.mail.SlowFileBackend",
            "DJANGO_EMAIL_FILE_PATH": str(self.mail_dir),
            **env,
        }
        process = subprocess.Popen(
            [
                sys.executable,
                str(Path(settings.BASE_DIR) / "manage.py"),
                "worker",
                "--interval",
                "0.2",
                "--no-startup-delay",
                *options,
            ],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        return process

    def message(self, message_id: int) -> tuple[str, int]:
        if self.copy is None:
            message = Message.objects.get(pk=message_id)
            return message.status, message.attempts
        with sqlite3.connect(self.copy) as db:
            return db.execute(
                "SELECT status, attempts FROM notifications_message WHERE id = ?", (message_id,)
            ).fetchone()

    def wait_for(self, message_id: int, status: str, timeout: float = 60) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.message(message_id)[0] == status:
                return True
            if all(process.poll() is not None for process in self.processes):
                return False
            time.sleep(0.2)
        return False

    def mails(self) -> list[Path]:
        return sorted(self.mail_dir.glob("*.log")) if self.mail_dir.exists() else []

    def stop(self) -> str:
        output = []
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
            try:
                output.append(process.communicate(timeout=20)[0].decode())
            except subprocess.TimeoutExpired:
                process.kill()
                output.append(process.communicate()[0].decode())
        return "\n".join(output)


@pytest.fixture
def workers(tmp_path):
    started = Workers(tmp_path)
    yield started
    started.stop()


def test_a_real_worker_process_sends_a_queued_email(queued, workers):
    workers.start("--periodic-interval", "0")
    sent = workers.wait_for(queued.pk, MessageStatus.SENT)
    output = workers.stop()
    assert sent, f"not sent; the worker said:\n{output}"
    mails = workers.mails()
    assert len(mails) == 1
    text = mails[0].read_text()
    assert f"To: {queued.recipient.email}" in text
    assert "Harbour school days" in text
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in text


def test_a_worker_killed_mid_send_is_replaced_and_the_email_goes_out_once(queued, workers):
    # The first worker claims the message and hangs on a slow mail server; it is killed.
    # (Its claim's lease is the short one this test gives every worker.)
    first = workers.start(
        "--periodic-interval",
        "0",
        PORTOLAN_TEST_MAIL_DELAY="60",
        PORTOLAN_OUTBOX_LEASE_SECONDS="3",
    )
    assert workers.wait_for(queued.pk, MessageStatus.SENDING, timeout=60), workers.stop()
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    assert workers.mails() == []
    # A second worker's tick finds the message whose lease ran out and sends it.
    workers.start("--periodic-interval", "0.5", PORTOLAN_OUTBOX_LEASE_SECONDS="3")
    sent = workers.wait_for(queued.pk, MessageStatus.SENT, timeout=60)
    output = workers.stop()
    assert sent, f"not sent; the workers said:\n{output}"
    assert len(workers.mails()) == 1, "exactly one e-mail"
    assert workers.message(queued.pk) == (MessageStatus.SENT, 2)
