from __future__ import annotations

import time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from portolan.catalogue.demo import generate_demo


class Command(BaseCommand):
    help = (
        "Generate a clearly marked demo data set (is_demo, 'Demo' names, '[demo]' titles, "
        ".invalid websites) on real port cities."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", type=int, default=300, help="Number of demo initiatives.")
        parser.add_argument(
            "--keep-existing",
            action="store_true",
            help="Keep the current demo data and only top it up to --size initiatives.",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed.")
        parser.add_argument(
            "--no-index", action="store_true", help="Do not rebuild the search index."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            report = generate_demo(
                size=options["size"],
                keep_existing=options["keep_existing"],
                seed=options["seed"],
                rebuild_index=not options["no_index"],
                log=self.stdout.write,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"Demo data ready: {report.demo_initiatives} demo initiatives "
            f"({time.perf_counter() - started:.1f} s in all)."
        )
