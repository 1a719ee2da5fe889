import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from portolan.jobs.retry import MAX_ATTEMPTS
from portolan.notifications import delivery, kinds, services
from portolan.notifications.models import Message, MessageStatus
from portolan.testing.factories import MessageFactory, UserFactory
from portolan.testing.tasks import run_ready_tasks

pytestmark = pytest.mark.django_db

CONTEXT = {"title": "Harbour school days", "message": "", "link": "catalogue:dashboard"}


def _queue(user, **extra):
    return services.queue_message(
        recipient=user,
        kind=kinds.RECORD_APPROVED,
        context=CONTEXT,
        object_type="initiative",
        object_id=7,
        period_key="event-1",
        **extra,
    )


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


@pytest.fixture
def smtp_down(monkeypatch):
    def fail(self, messages):
        raise smtplib.SMTPConnectError(421, "Service not available")

    monkeypatch.setattr(EmailBackend, "send_messages", fail)
    return monkeypatch


def test_the_same_message_queued_twice_is_one_row_and_one_email(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = _queue(user)
        second = _queue(user)
    with django_capture_on_commit_callbacks(execute=True):
        third = _queue(user)
    assert first.pk == second.pk == third.pk
    assert Message.objects.count() == 1
    assert len(mail.outbox) == 1
    first.refresh_from_db()
    assert (first.status, first.attempts) == (MessageStatus.SENT, 1)
    assert first.sent_at is not None


def test_a_message_is_sent_once_even_when_its_delivery_runs_twice():
    message = MessageFactory()
    assert delivery.deliver(message_id=message.pk) == MessageStatus.SENT
    assert delivery.deliver(message_id=message.pk) == "not-due"
    assert len(mail.outbox) == 1


def test_a_message_being_sent_by_another_worker_is_left_alone_until_its_lease_ends():
    message = MessageFactory(
        status=MessageStatus.SENDING, lease_expires_at=timezone.now() + timedelta(minutes=5)
    )
    assert delivery.deliver(message_id=message.pk) == "not-due"
    Message.objects.filter(pk=message.pk).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert delivery.deliver(message_id=message.pk) == MessageStatus.SENT
    assert len(mail.outbox) == 1


def test_nothing_is_queued_when_the_decision_rolls_back(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            from django.db import transaction

            with transaction.atomic():
                _queue(user)
                raise RuntimeError("decision failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert Message.objects.count() == 0
    assert mail.outbox == []


def test_smtp_down_retries_with_backoff_and_the_message_goes_out_when_it_is_back(
    database_tasks, smtp_down, django_capture_on_commit_callbacks
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        message = _queue(user)
    before = timezone.now()
    run_ready_tasks()
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert message.attempts == 1
    assert "Service not available" in message.last_error
    first_wait = message.next_attempt_at - before
    assert timedelta(seconds=29) < first_wait < timedelta(seconds=40)
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.run_after == message.next_attempt_at
    assert run_ready_tasks() == 0, "nothing runs before the retry's time"

    def make_due():
        past = timezone.now() - timedelta(seconds=1)
        Message.objects.update(next_attempt_at=past)
        DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=past)

    make_due()
    before = timezone.now()
    run_ready_tasks()
    message.refresh_from_db()
    assert message.attempts == 2
    assert message.next_attempt_at - before > first_wait, "each wait longer than the last"

    smtp_down.undo()  # the mail server is back
    make_due()
    run_ready_tasks()
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (MessageStatus.SENT, 3, "")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]


def test_a_message_fails_after_the_last_attempt_and_staff_send_it_again(
    smtp_down, django_capture_on_commit_callbacks
):
    message = MessageFactory(attempts=MAX_ATTEMPTS - 1)
    assert delivery.deliver(message_id=message.pk) == MessageStatus.FAILED
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert "421" in message.last_error
    smtp_down.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.messages_retry(messages=Message.objects.all()) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 1)
    assert len(mail.outbox) == 1


def test_the_sweep_sends_messages_whose_task_was_lost():
    lost = MessageFactory(next_attempt_at=timezone.now() - timedelta(minutes=10))
    fresh = MessageFactory()  # its task is still on its way
    abandoned = MessageFactory(
        status=MessageStatus.SENDING,
        attempts=1,
        lease_expires_at=timezone.now() - timedelta(seconds=1),
    )
    assert services.sweep() == 2
    lost.refresh_from_db()
    fresh.refresh_from_db()
    abandoned.refresh_from_db()
    assert lost.status == abandoned.status == MessageStatus.SENT
    assert fresh.status == MessageStatus.PENDING
    assert len(mail.outbox) == 2


def test_inactive_people_get_nothing():
    assert _queue(UserFactory(is_active=False)) is None
    assert Message.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "subject", "words"),
    [
        ("en", "Published on Portolan: Harbour school days", "is now published"),
        ("fr", "Publié sur Portolan : Harbour school days", "/fr/catalogue/dashboard/"),
        ("es", "Harbour school days", "/es/catalogue/dashboard/"),
    ],
)
def test_the_email_has_text_and_html_parts_in_the_recipients_language(language, subject, words):
    message = MessageFactory(
        recipient=UserFactory(preferred_language=language),
        language=language,
        context={**CONTEXT, "message": "Add <figures> & dates."},
    )
    email = delivery.render_email(message)
    assert subject in email.subject
    assert words in email.body
    assert "Add <figures> & dates." in email.body, "plain text is not HTML-escaped"
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert f'lang="{language}"' in html
    assert "Add &lt;figures&gt; &amp; dates." in html


def test_unknown_kinds_are_refused():
    with pytest.raises(LookupError):
        services.queue_message(recipient=UserFactory(), kind="no_such_kind", context={})


def test_a_message_whose_workers_keep_dying_ends_as_failed_for_staff():
    message = MessageFactory(
        status=MessageStatus.SENDING,
        attempts=MAX_ATTEMPTS,
        lease_expires_at=timezone.now() - timedelta(seconds=1),
    )
    assert services.sweep() == 0
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert "stopped while sending" in message.last_error
    assert mail.outbox == []
