"""Periodic jobs declared in code, run exactly once per period however many workers run them.

    @periodic(name="notifications.daily_digest", period=Period.DAILY)
    def send_daily_digests() -> None: ...

Every worker calls `run_due()` about once a minute. For each job it works out the current period
key (`2026-12-03`, `2026-W49`, `2026-12`) and claims the (job, period) row: the first worker to
insert it runs the job; the others hit the unique constraint and leave it. A claim is a lease:
if the worker dies mid-run the lease expires and the next worker that looks claims the row again
(a conditional UPDATE, so only one of them). A job that raised is retried after a backoff, also
through the lease. A finished run is never run again for that period.

A job should be quick or enqueue tasks for the real work; it must be safe to run again after a
crash mid-run (its per-item work deduplicated, e.g. by the outbox's unique keys).
"""

from __future__ import annotations

import enum
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .models import PeriodicRun, RunStatus
from .retry import MAX_ATTEMPTS, backoff

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=15)


class Period(enum.StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


def period_key(period: Period, now: datetime) -> str:
    """The period `now` falls in, in UTC: a day, an ISO week or a month."""
    day = now.astimezone(UTC).date() if timezone.is_aware(now) else now.date()
    if period is Period.DAILY:
        return day.isoformat()
    if period is Period.WEEKLY:
        year, week, _weekday = day.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{day.year}-{day.month:02d}"


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    period: Period
    function: Callable[[], object]
    lease: timedelta = LEASE


_REGISTRY: dict[str, PeriodicJob] = {}


def register(job: PeriodicJob) -> PeriodicJob:
    if job.name in _REGISTRY and _REGISTRY[job.name].function is not job.function:
        raise ValueError(f"Periodic job {job.name!r} is declared twice.")
    _REGISTRY[job.name] = job
    return job


def periodic(
    *, name: str, period: Period, lease: timedelta = LEASE
) -> Callable[[Callable[[], object]], Callable[[], object]]:
    """Declare `function` as a periodic job (see the module docstring)."""

    def decorate(function: Callable[[], object]) -> Callable[[], object]:
        register(PeriodicJob(name=name, period=period, function=function, lease=lease))
        return function

    return decorate


def registered() -> list[PeriodicJob]:
    return sorted(_REGISTRY.values(), key=lambda job: job.name)


def claim(*, job: PeriodicJob, key: str, worker_id: str, now: datetime | None = None) -> bool:
    """Claim the run of `job` for period `key`. True for exactly one claimer while its lease
    lasts; again for one claimer once a running lease expired or a failed run's wait is over."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            PeriodicRun.objects.create(
                job=job.name,
                period_key=key,
                status=RunStatus.RUNNING,
                worker_id=worker_id,
                attempts=1,
                claimed_at=now,
                lease_expires_at=now + job.lease,
            )
        return True
    except IntegrityError:
        pass
    # The row exists: take it over only if its lease is over and it did not finish.
    run = PeriodicRun.objects.filter(job=job.name, period_key=key).first()
    if run is None:
        return False
    taken = (
        PeriodicRun.objects.filter(pk=run.pk, lease_expires_at__lte=now)
        .filter(Q(status=RunStatus.RUNNING) | Q(status=RunStatus.FAILED, attempts__lt=MAX_ATTEMPTS))
        .filter(attempts=run.attempts)  # nobody took it since we read it
        .update(
            status=RunStatus.RUNNING,
            worker_id=worker_id,
            attempts=run.attempts + 1,
            claimed_at=now,
            lease_expires_at=now + job.lease,
        )
    )
    return taken == 1


def _finish(job: PeriodicJob, key: str, worker_id: str, error: str = "") -> None:
    run = PeriodicRun.objects.get(job=job.name, period_key=key)
    now = timezone.now()
    if run.worker_id != worker_id or run.status != RunStatus.RUNNING:
        logger.warning("Periodic job %s %s was taken over by another worker", job.name, key)
        return
    if error:
        run.status = RunStatus.FAILED
        run.last_error = error[-4000:]
        run.lease_expires_at = now + backoff(run.attempts)
    else:
        run.status = RunStatus.DONE
        run.last_error = ""
    run.finished_at = now
    run.save(update_fields=["status", "last_error", "lease_expires_at", "finished_at"])


def run_job(*, job: PeriodicJob, worker_id: str, now: datetime | None = None) -> bool:
    """Claim and run `job` for the period of `now`; False when another worker has it or it ran."""
    now = now or timezone.now()
    key = period_key(job.period, now)
    if not claim(job=job, key=key, worker_id=worker_id, now=now):
        return False
    logger.info("Running periodic job %s for %s", job.name, key)
    try:
        job.function()
    except Exception:
        logger.exception("Periodic job %s for %s failed", job.name, key)
        _finish(job, key, worker_id, traceback.format_exc())
    else:
        _finish(job, key, worker_id)
    return True


# Hooks every worker runs at each tick (about once a minute), e.g. the outbox sweep that enqueues
# messages whose task was lost. They must be idempotent: several workers run them at once.
_TICKS: dict[str, Callable[[], object]] = {}


def every_tick(name: str) -> Callable[[Callable[[], object]], Callable[[], object]]:
    def decorate(function: Callable[[], object]) -> Callable[[], object]:
        _TICKS[name] = function
        return function

    return decorate


def run_ticks() -> None:
    for name, function in sorted(_TICKS.items()):
        try:
            function()
        except Exception:
            logger.exception("Worker tick %s failed", name)


def run_due(*, worker_id: str, now: datetime | None = None) -> list[str]:
    """Run every registered job whose current period has not run yet; the names of those run."""
    return [job.name for job in registered() if run_job(job=job, worker_id=worker_id, now=now)]
