import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portolan.notifications.models import Message, MessageStatus
from portolan.testing.factories import MessageFactory, PeriodicRunFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(StaffFactory(is_superuser=True))
    return client


@pytest.mark.parametrize(
    "name",
    [
        "admin:notifications_message_changelist",
        "admin:notifications_preference_changelist",
        "admin:jobs_periodicrun_changelist",
        "admin:django_tasks_database_dbtaskresult_changelist",
    ],
)
def test_staff_see_the_outbox_runs_and_tasks_in_the_admin(admin_client, name):
    MessageFactory(status=MessageStatus.FAILED, last_error="SMTPConnectError: 421")
    PeriodicRunFactory(status="failed")
    DBTaskResult.objects.create(
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="portolan.jobs.tests.tasks_for_tests.flaky",
        backend_name="default",
        status="FAILED",
        run_after=timezone.now(),
        exception_class_path="smtplib.SMTPConnectError",
        traceback="SMTPConnectError: 421",
    )
    query = "" if "preference" in name else "?status__exact=failed"
    response = admin_client.get(reverse(name) + query)
    assert response.status_code == 200
    assert b'value="retry"' in response.content or "preference" in name


def test_send_again_from_the_admin(admin_client, mailoutbox, django_capture_on_commit_callbacks):
    message = MessageFactory(status=MessageStatus.FAILED, attempts=8)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:notifications_message_changelist"),
            {"action": "retry", "_selected_action": [message.pk]},
        )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert len(mailoutbox) == 1
    assert Message.objects.count() == 1
