"""Retries with exponential backoff for work that fails for a passing reason (the mail server is
down, the database is locked): the task is enqueued again to run later, each time later."""

from __future__ import annotations

import functools
import logging
import smtplib
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, ParamSpec, TypeVar

from django.db import OperationalError
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

logger = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

# Failures that usually pass: network and mail-server errors, a locked or restarting database.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    smtplib.SMTPException,
    ConnectionError,
    TimeoutError,
    OSError,
    OperationalError,
)
BASE_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(hours=6)
MAX_ATTEMPTS = 8


def backoff(
    attempt: int, *, base: timedelta = BASE_DELAY, maximum: timedelta = MAX_DELAY
) -> timedelta:
    """Wait before attempt `attempt + 1`: base, 2×base, 4×base, … capped at `maximum`."""
    return min(base * (2 ** max(attempt - 1, 0)), maximum)


def next_attempt_at(attempt: int, *, now: datetime | None = None) -> datetime:
    return (now or timezone.now()) + backoff(attempt)


def retrying_task(
    *,
    retry_on: tuple[type[BaseException], ...] = TRANSIENT_ERRORS,
    max_attempts: int = MAX_ATTEMPTS,
    **task_options: Any,
) -> Callable[[Callable[P, T]], Task[P, T | None]]:
    """A `django_tasks.task` that, when its function raises one of `retry_on`, enqueues itself
    again with `run_after` = now + backoff(attempt) and the next `attempt` number (a keyword
    argument the function does not see). After `max_attempts` the error is raised: the task
    result is failed and shows in the admin, where staff can retry it. Backends that cannot
    defer (the immediate backend of the tests) fail at once instead."""

    def decorate(function: Callable[P, T]) -> Task[P, T | None]:
        @functools.wraps(function)
        def run(*args: Any, attempt: int = 1, **kwargs: Any) -> Any:
            try:
                return function(*args, **kwargs)
            except retry_on as exc:
                backend = the_task.get_backend()
                if attempt >= max_attempts or not backend.supports_defer:
                    raise
                # An error may name its own time (the outbox's RetryLater carries the message's).
                when = getattr(exc, "at", None) or next_attempt_at(attempt)
                the_task.using(run_after=when).enqueue(*args, **{**kwargs, "attempt": attempt + 1})
                logger.warning(
                    "%s failed (attempt %d, %s); retrying at %s",
                    the_task.name,
                    attempt,
                    exc,
                    when.isoformat(),
                )
                return {"retry_at": when.isoformat(), "attempt": attempt, "error": str(exc)}

        the_task: Task[P, T | None] = task(**task_options)(run)
        return the_task

    return decorate
