"""factory_boy factories shared by every app's tests."""

from __future__ import annotations

import factory
from django.utils import timezone

from portolan.accounts.models import Membership, Organisation, User
from portolan.catalogue.models import Initiative, PortCenter, PublicationStatus
from portolan.jobs.models import PeriodicRun, RunStatus
from portolan.notifications import kinds
from portolan.notifications.models import Delivery, Message, MessageStatus, Preference
from portolan.places.models import PortCity


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy hook signature
        obj.set_password(extracted or "correct-horse-battery")
        if create:
            obj.save(update_fields=["password"])


class StaffFactory(UserFactory):
    is_staff = True
    email = factory.Sequence(lambda n: f"staff{n}@example.org")


class PortCityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PortCity

    name = factory.Sequence(lambda n: f"Port City {n}")
    slug = factory.Sequence(lambda n: f"port-city-{n}")
    country = "FR"
    region = "EU"
    latitude = 49.49
    longitude = 0.107


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = "port_authority"
    port_city = factory.SubFactory(PortCityFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "editor"


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    title = factory.Sequence(lambda n: f"Initiative {n}")
    slug = factory.Sequence(lambda n: f"initiative-{n}")
    summary = "A project that brings citizens into the port."
    organisation = factory.SubFactory(OrganisationFactory)
    port_city = factory.SelfAttribute("organisation.port_city")
    publication_status = PublicationStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    start_year = 2020
    status = "ongoing"
    language = "en"


class PortCenterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PortCenter

    name = factory.Sequence(lambda n: f"Port Center {n}")
    slug = factory.Sequence(lambda n: f"port-center-{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    port_city = factory.SelfAttribute("organisation.port_city")
    publication_status = PublicationStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    status = "open"


class MessageFactory(factory.django.DjangoModelFactory):
    """An outbox row, pending and due now (create it through `queue_message` to also enqueue it)."""

    class Meta:
        model = Message

    recipient = factory.SubFactory(UserFactory)
    kind = kinds.RECORD_APPROVED
    object_type = "initiative"
    object_id = factory.Sequence(str)
    period_key = factory.Sequence(lambda n: f"event-{n}")
    language = "en"
    context = factory.LazyFunction(
        lambda: {"title": "Harbour school days", "message": "", "link": "catalogue:dashboard"}
    )
    status = MessageStatus.PENDING
    next_attempt_at = factory.LazyFunction(timezone.now)


class PreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Preference

    user = factory.SubFactory(UserFactory)
    kind = kinds.RECORD_APPROVED
    delivery = Delivery.SITE


class PeriodicRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PeriodicRun

    job = "tests.job"
    period_key = "2026-12-03"
    status = RunStatus.RUNNING
    worker_id = "worker-a"
    attempts = 1
    claimed_at = factory.LazyFunction(timezone.now)
    lease_expires_at = factory.LazyFunction(timezone.now)
