from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from portolan.accounts.models import User
from portolan.opendata import importing, services


class Command(BaseCommand):
    help = (
        "Import organisations, Port Centers or initiatives from a CSV/XLSX file. Without "
        "--commit it is a dry run: it prints what each row would do and every error. With "
        "--commit, the whole file is imported in one transaction, or nothing if any row fails."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--kind", required=True, choices=importing.KINDS)
        parser.add_argument("--commit", action="store_true", help="Write (default: dry run).")
        parser.add_argument(
            "--user", metavar="EMAIL", help="Staff user recorded in the history as the author."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        user = None
        if options["user"]:
            user = User.objects.filter(email__iexact=options["user"], is_staff=True).first()
            if user is None:
                raise CommandError(f"No staff user has the e-mail {options['user']}.")
        kind = options["kind"]
        if options["commit"]:
            output = services.import_file(kind=kind, filename=path.name, data=data, user=user)
        else:
            output = services.check_file(kind=kind, filename=path.name, data=data)
        if output.file_error:
            raise CommandError(output.file_error)
        assert output.plan is not None
        for error in output.plan.file_errors:
            self.stderr.write(error)
        for row in output.plan.rows:
            action = importing.ERROR if row.errors else row.action
            detail = "; ".join(row.errors) if row.errors else ", ".join(row.changed_fields)
            self.stdout.write(f"row {row.line}\t{row.external_id}\t{action}\t{row.label}\t{detail}")
        counts = output.plan.counts
        summary = (
            f"{counts['create']} to create, {counts['update']} to update, "
            f"{counts['unchanged']} unchanged, {counts['error']} with errors."
        )
        if output.plan.has_errors:
            raise CommandError(f"{summary} Nothing was imported.")
        if options["commit"]:
            self.stdout.write(self.style.SUCCESS(f"Imported: {summary}"))
        else:
            self.stdout.write(f"Dry run: {summary} Run again with --commit to import.")
