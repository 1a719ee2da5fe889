"""Moderation e-mails go through the outbox: one row per person and moderation event."""

import pytest
from django.core import mail

from portolan.catalogue import services
from portolan.catalogue.models import PublicationStatus
from portolan.notifications import kinds
from portolan.notifications.models import Message, MessageStatus
from portolan.testing.factories import InitiativeFactory, MembershipFactory, StaffFactory

pytestmark = pytest.mark.django_db


def test_submitting_a_record_tells_the_moderators(django_capture_on_commit_callbacks):
    member = MembershipFactory()
    moderator = StaffFactory(preferred_language="es")
    StaffFactory(is_active=False)
    record = InitiativeFactory(
        organisation=member.organisation, publication_status=PublicationStatus.DRAFT
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.record_submit(actor=member.user, record=record)
    message = Message.objects.get()
    assert (message.recipient, message.kind, message.language) == (
        moderator,
        kinds.RECORD_AWAITS_MODERATION,
        "es",
    )
    assert message.status == MessageStatus.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [moderator.email]
    assert record.title in mail.outbox[0].subject
    assert member.organisation.name in mail.outbox[0].body
    assert "/es/catalogue/staff/moderation/" in mail.outbox[0].body


def test_each_decision_is_one_message_per_member_and_event(django_capture_on_commit_callbacks):
    member = MembershipFactory(user__preferred_language="fr")
    MembershipFactory(organisation=member.organisation)
    staff = StaffFactory()
    record = InitiativeFactory(
        organisation=member.organisation, publication_status=PublicationStatus.SUBMITTED
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.record_request_changes(actor=staff, record=record, message="Add figures.")
    assert Message.objects.filter(kind=kinds.RECORD_CHANGES_REQUESTED).count() == 2
    assert len(mail.outbox) == 2
    # Submitted and decided again: new events, new messages.
    services.record_submit(actor=member.user, record=record)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_approve(actor=staff, record=record)
    assert Message.objects.filter(kind=kinds.RECORD_APPROVED).count() == 2
    assert {m.language for m in Message.objects.filter(kind=kinds.RECORD_APPROVED)} == {
        "fr",
        "en",
    }
    assert all("List-Unsubscribe" in email.extra_headers for email in mail.outbox)


def test_a_decision_that_fails_queues_nothing(django_capture_on_commit_callbacks):
    member = MembershipFactory()
    record = InitiativeFactory(organisation=member.organisation)  # published: cannot approve
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Exception):  # noqa: B017
        services.record_approve(actor=StaffFactory(), record=record)
    assert Message.objects.count() == 0
    assert mail.outbox == []


def test_a_members_edit_of_a_published_record_tells_the_moderators(
    django_capture_on_commit_callbacks,
):
    member = MembershipFactory()
    moderator = StaffFactory()
    record = InitiativeFactory(
        organisation=member.organisation, publication_status=PublicationStatus.PUBLISHED
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.initiative_update(
            actor=member.user, initiative=record, data={"summary": "New summary of the visits."}
        )
    record.refresh_from_db()
    assert record.publication_status == PublicationStatus.SUBMITTED
    message = Message.objects.get()
    assert (message.recipient, message.kind) == (moderator, kinds.RECORD_AWAITS_MODERATION)
    assert [m.to for m in mail.outbox] == [[moderator.email]]
