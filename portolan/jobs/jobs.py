"""The task queue's own housekeeping."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .periodic import Period, periodic


@periodic(name="jobs.prune_task_results", period=Period.WEEKLY)
def prune_task_results() -> None:
    """Finished task results pile up: keep successful ones 30 days, failed ones 90."""
    now = timezone.now()
    DBTaskResult.objects.filter(
        status=TaskResultStatus.SUCCESSFUL, finished_at__lt=now - timedelta(days=30)
    ).delete()
    DBTaskResult.objects.filter(
        status=TaskResultStatus.FAILED, finished_at__lt=now - timedelta(days=90)
    ).delete()
