"""Writes on the task queue made by people (the admin's "retry")."""

from __future__ import annotations

import functools

from django.db import transaction
from django.db.models import QuerySet
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult


@transaction.atomic
def retry_task_results(*, results: QuerySet[DBTaskResult]) -> int:
    """Queue each failed task again with its arguments, from its first attempt (a retrying
    task's attempt counter starts over). The failed results stay, as history."""
    count = 0
    for result in results.filter(status=TaskResultStatus.FAILED).select_for_update():
        kwargs = {k: v for k, v in result.args_kwargs["kwargs"].items() if k != "attempt"}
        task = result.task
        transaction.on_commit(
            functools.partial(task.enqueue, *result.args_kwargs["args"], **kwargs)
        )
        count += 1
    return count
