from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from portolan.opendata import backup


class Command(BaseCommand):
    help = (
        "Restore a backup written by backup_data into an empty, migrated database (same ids and "
        "slugs). Organisations, Port Centers and initiatives go through the catalogue's bulk "
        "writer: their rules are checked and each gets a history entry for the restore. --media "
        "DIR copies the uploaded files back, checking their SHA-256."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="JSON file written by backup_data")
        parser.add_argument("--media", metavar="DIR", help="Folder of files copied by --media.")
        parser.add_argument(
            "--user",
            metavar="EMAIL",
            help="Staff user of the backup recorded in the history as the one who restored it.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        media = Path(options["media"]) if options["media"] else None
        if media is not None and not media.is_dir():
            raise CommandError(f"{media} is not a folder.")
        try:
            data = backup.read_backup(path)
            report = backup.restore(
                data=data,
                source=path.name,
                user_email=options["user"] or "",
                media_dir=media,
            )
        except backup.BackupError as exc:
            raise CommandError(f"{exc} Nothing was restored.") from exc
        for problem in report.problems:
            self.stderr.write(problem)
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {report.objects} objects"
                + (f" and {report.files_copied} files" if media else "")
                + f" from {path}."
            )
        )
        if not data.get("include_users"):
            self.stdout.write(
                "Users were backed up without passwords: they must set a new one before signing in."
            )
