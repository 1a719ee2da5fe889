from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from portolan.catalogue.reference import load_reference


class Command(BaseCommand):
    help = (
        "Load the vocabularies and the real Port Centers and charter signatories shipped in "
        "portolan/catalogue/data/ (idempotent: run it any number of times)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_reference()
        vocab = ", ".join(f"{n} {k}" for k, n in report.vocabulary.items())
        self.stdout.write(f"Vocabularies: {vocab}.")
        for label in report.created:
            self.stdout.write(f"  created {label}")
        for label in report.updated:
            self.stdout.write(f"  updated {label}")
        self.stdout.write(
            f"Reference records: {len(report.created)} created, {len(report.updated)} updated, "
            f"{report.unchanged} unchanged."
        )
        if report.without_profile:
            self.stdout.write(
                "Loaded as organisation only (the sources name no port city): "
                + "; ".join(report.without_profile)
            )
        for problem in report.problems:
            self.stderr.write(f"Problem: {problem}")
