"""The background worker: django-tasks-db's `db_worker` (claims queued tasks with
SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL, an exclusive transaction on SQLite) plus a thread
that runs the due periodic jobs and the ticks about once a minute. Run as many as you like, on as
many machines as reach the database; each needs a unique --worker-id (one is made up)."""

from __future__ import annotations

import logging
import threading
from argparse import ArgumentParser
from typing import Any

from django.db import close_old_connections, connections
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from portolan.jobs import discovery, periodic

logger = logging.getLogger(__name__)


def _periodic_loop(worker_id: str, every: float, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            close_old_connections()
            periodic.run_due(worker_id=worker_id)
            periodic.run_ticks()
        except Exception:
            logger.exception("Periodic jobs could not run")
        finally:
            connections.close_all()
        stop.wait(every)


class Command(DbWorkerCommand):
    help = "Run a background worker: queued tasks, periodic jobs and ticks."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--periodic-interval",
            type=float,
            default=60.0,
            help="Seconds between two looks at the periodic jobs (default: 60; 0 turns them off).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        discovery.load_jobs()
        every = options.pop("periodic_interval")
        stop = threading.Event()
        if every > 0 and not options.get("batch"):
            thread = threading.Thread(
                target=_periodic_loop,
                args=(options["worker_id"], every, stop),
                name="periodic-jobs",
                daemon=True,
            )
            thread.start()
        elif options.get("batch"):
            # A batch run (tests, cron) looks at the periodic jobs once, before the queue.
            periodic.run_due(worker_id=options["worker_id"])
            periodic.run_ticks()
        # Reloading would run the periodic thread in the reloader's parent too: never reload.
        options["reload"] = False
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
