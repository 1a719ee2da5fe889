from datetime import timedelta

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory, TestCase
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from portolan.jobs.retry import backoff
from portolan.jobs.tests import tasks_for_tests as t
from portolan.testing.factories import StaffFactory
from portolan.testing.tasks import run_ready_tasks

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE_TASKS
    t.OUTCOMES.clear()
    t.CALLS.clear()


def test_backoff_doubles_from_thirty_seconds_up_to_a_cap():
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff(30) == timedelta(hours=6)


def _make_all_due():
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(
        run_after=timezone.now() - timedelta(seconds=1)
    )


@pytest.mark.django_db
def test_a_transient_failure_is_retried_later_each_time_later_then_succeeds(database_tasks):
    t.OUTCOMES.extend([t.SMTP_DOWN, t.SMTP_DOWN, None])
    t.flaky.enqueue(21)
    before = timezone.now()
    run_ready_tasks()
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.args_kwargs == {"args": [21], "kwargs": {"attempt": 2}}
    first_wait = retry.run_after - before
    assert timedelta(seconds=29) < first_wait < timedelta(seconds=40)
    assert run_ready_tasks() == 0, "not before its time"
    _make_all_due()
    before = timezone.now()
    run_ready_tasks()
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.args_kwargs["kwargs"] == {"attempt": 3}
    assert retry.run_after - before > first_wait
    _make_all_due()
    run_ready_tasks()
    assert t.CALLS == [21, 21, 21]
    last = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert last.status == TaskResultStatus.SUCCESSFUL
    assert last.return_value == 42


@pytest.mark.django_db
def test_after_the_last_attempt_the_task_fails_and_staff_retry_it_from_the_admin(database_tasks):
    t.OUTCOMES.extend([t.SMTP_DOWN] * 3)
    t.flaky.enqueue(1)
    for _ in range(3):
        _make_all_due()
        run_ready_tasks()
    failed = DBTaskResult.objects.get(status=TaskResultStatus.FAILED)
    assert "SMTPServerDisconnected" in failed.traceback
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()

    request = RequestFactory().post("/")
    request.user = StaffFactory(is_superuser=True)
    model_admin = site._registry[DBTaskResult]
    model_admin.message_user = lambda *args, **kwargs: None
    with TestCase.captureOnCommitCallbacks(execute=True):
        model_admin.retry(request, DBTaskResult.objects.all())
    again = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert again.args_kwargs == {"args": [1], "kwargs": {}}, "from a first attempt"
    run_ready_tasks()
    again.refresh_from_db()
    assert (again.status, again.return_value) == (TaskResultStatus.SUCCESSFUL, 2)
    # The attempts that were retried ended with the time of their retry, not as failures.
    retried = DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).exclude(pk=again.pk)
    assert all("retry_at" in result.return_value for result in retried)


@pytest.mark.django_db
def test_other_errors_are_not_retried(database_tasks):
    t.OUTCOMES.append(ValueError("a bug"))
    t.flaky.enqueue(1)
    run_ready_tasks()
    assert DBTaskResult.objects.get().status == TaskResultStatus.FAILED
