"""Run the periodic jobs whose period has not run yet, and the worker ticks, once.

The `worker` command does this about once a minute by itself; this command is for a cron line
or for trying a job by hand (`--list` shows what is declared)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.crypto import get_random_string

from portolan.jobs import discovery, periodic


class Command(BaseCommand):
    help = "Run the due periodic jobs once (each runs at most once per period)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--list", action="store_true", help="List the declared jobs.")

    def handle(self, *args: Any, **options: Any) -> None:
        discovery.load_jobs()
        if options["list"]:
            for job in periodic.registered():
                self.stdout.write(f"{job.name}\t{job.period}")
            return
        ran = periodic.run_due(worker_id=f"run_periodic-{get_random_string(8)}")
        periodic.run_ticks()
        self.stdout.write("Ran: " + (", ".join(ran) if ran else "nothing due"))
