"""Tasks the retry tests enqueue (tasks must live at module level)."""

import smtplib

from portolan.jobs.retry import retrying_task

OUTCOMES: list[Exception | None] = []
CALLS: list[int] = []


@retrying_task(max_attempts=3)
def flaky(value: int) -> int:
    CALLS.append(value)
    outcome = OUTCOMES.pop(0) if OUTCOMES else None
    if outcome is not None:
        raise outcome
    return value * 2


SMTP_DOWN = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
