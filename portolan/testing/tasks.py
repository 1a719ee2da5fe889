"""Run the database task queue inside the test process, as a worker would (without its signal
handlers): every task that is ready now, then return."""

from __future__ import annotations

from unittest import mock

from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_ready_tasks(worker_id: str = "test-worker") -> int:
    """Run the ready tasks until none is left; how many ran."""
    before = DBTaskResult.objects.exclude(status="READY").count()
    # The worker closes old connections between tasks; a test's connection holds its transaction.
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        _worker(worker_id).run()
    return DBTaskResult.objects.exclude(status="READY").count() - before


def _worker(worker_id: str) -> Worker:
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
