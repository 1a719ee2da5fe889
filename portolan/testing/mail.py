"""An e-mail backend for worker tests: Django's file backend that first waits
PORTOLAN_TEST_MAIL_DELAY seconds (a slow mail server, so a test can kill a worker mid-send)."""

from __future__ import annotations

import os
import time

from django.core.mail.backends.filebased import EmailBackend


class SlowFileBackend(EmailBackend):
    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        time.sleep(float(os.environ.get("PORTOLAN_TEST_MAIL_DELAY", "0")))
        return super().send_messages(email_messages)
