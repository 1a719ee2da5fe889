from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from portolan.opendata import backup


class Command(BaseCommand):
    help = (
        "Write a JSON backup of every record (see portolan/opendata/README.md). Password hashes "
        "are left out unless --include-users; --media DIR also copies the uploaded files."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="JSON file to write ('-' for standard output)")
        parser.add_argument(
            "--include-users",
            action="store_true",
            help="Keep users' password hashes and last login (treat the file as a secret).",
        )
        parser.add_argument("--media", metavar="DIR", help="Copy uploaded files into DIR.")

    def handle(self, *args: Any, **options: Any) -> None:
        media = Path(options["media"]) if options["media"] else None
        if options["path"] == "-":
            # Chunks of JSON must go out as they are, without a newline added to each.
            self.stdout.ending = ""
            backup.write_backup(
                self.stdout, include_users=options["include_users"], media_dir=media
            )
            return
        path = Path(options["path"])
        if path.exists() and path.is_dir():
            raise CommandError(f"{path} is a directory; give a file name.")
        tmp = path.with_name(path.name + ".partial")
        try:
            with tmp.open("w", encoding="utf-8") as stream:
                info = backup.write_backup(
                    stream, include_users=options["include_users"], media_dir=media
                )
            tmp.replace(path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise CommandError(f"Cannot write {path}: {exc}") from exc
        missing = sum(1 for f in info["files"] if f["missing"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {path}: {len(info['files'])} files in the manifest"
                + (f" ({missing} missing on disk)" if missing else "")
                + (f", copied to {media}" if media else "")
                + "."
            )
        )
