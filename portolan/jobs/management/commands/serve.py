"""`make run`: the development web server and one background worker in one command. Ctrl-C (or
SIGTERM) stops both; if either stops by itself, the other is stopped too."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run the development web server and a background worker together."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        children = [
            subprocess.Popen([*manage, "runserver", options["addrport"]]),  # noqa: S603 - our own manage.py
            subprocess.Popen([*manage, "worker", "--interval", "1"]),  # noqa: S603
        ]
        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            while not stopping and all(child.poll() is None for child in children):
                time.sleep(0.3)
        finally:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGINT)
            deadline = time.monotonic() + 10
            for child in children:
                try:
                    child.wait(max(deadline - time.monotonic(), 0.1))
                except subprocess.TimeoutExpired:
                    child.kill()
                    child.wait()
