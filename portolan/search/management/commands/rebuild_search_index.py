from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from portolan.search import library, services
from portolan.search.constants import record_type_keys


class Command(BaseCommand):
    help = "Empty the search index and index every public record again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--type",
            action="append",
            dest="types",
            choices=record_type_keys(),
            help="Only rebuild this record type (repeatable).",
        )
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="Only rebuild when the search library's index is missing (make run).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if options.get("if_missing") and (not services.library_enabled() or library.available()):
            self.stdout.write("Search index present: nothing to rebuild.")
            return
        types = options.get("types") or None
        try:
            count = services.rebuild_index(record_types=types)
        except Exception as exc:  # Report a clear message, not a traceback, to operators.
            raise CommandError(f"The search index could not be rebuilt: {exc}") from exc
        self.stdout.write(
            f"Search index rebuilt: {count} documents in {time.perf_counter() - started:.1f} s."
        )
