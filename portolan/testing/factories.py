"""factory_boy factories shared by every app's tests."""

from __future__ import annotations

import factory
from django.utils import timezone

from portolan.accounts.models import Membership, Organisation, User
from portolan.catalogue.models import Initiative, PortCenter, PublicationStatus
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
