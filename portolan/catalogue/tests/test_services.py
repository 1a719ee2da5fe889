from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from portolan.catalogue import services
from portolan.catalogue.models import (
    Initiative,
    ModerationAction,
    ModerationEvent,
    PortCenter,
    PublicationStatus,
)
from portolan.core.testing.factories import (
    InitiativeFactory,
    MembershipFactory,
    OrganisationFactory,
    PortCenterFactory,
    PortCityFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return MembershipFactory(user__preferred_language="fr")


@pytest.fixture
def staff():
    return StaffFactory()


def _initiative_data(**extra):
    data = {
        "title": "  Harbour   school days ",
        "summary": "Pupils visit the port.\r\n",
        "themes": ["education", "port-city-interface"],
        "goals": [5, 8],
        "audiences": ["schools"],
        "start_year": 2021,
    }
    data.update(extra)
    return data


def test_create_initiative_is_a_normalised_draft_with_relations_and_history(member):
    record = services.initiative_create(
        actor=member.user, organisation=member.organisation, data=_initiative_data()
    )
    record.refresh_from_db()
    assert record.publication_status == PublicationStatus.DRAFT
    assert record.organisation == member.organisation
    assert record.port_city == member.organisation.port_city
    assert record.title == "Harbour school days"
    assert record.summary == "Pupils visit the port."
    assert record.slug == "harbour-school-days"
    assert sorted(t.slug for t in record.themes.all()) == ["education", "port-city-interface"]
    assert sorted(g.number for g in record.goals.all()) == [5, 8]
    history = list(record.history.all())
    assert len(history) == 1
    assert history[0].history_user == member.user


def test_slugs_stay_unique_for_equal_titles(member):
    first = services.initiative_create(
        actor=member.user, organisation=member.organisation, data=_initiative_data()
    )
    second = services.initiative_create(
        actor=member.user, organisation=member.organisation, data=_initiative_data()
    )
    assert first.slug != second.slug
    assert second.slug.startswith("harbour-school-days")


@pytest.mark.parametrize(
    "title",
    ["Harbour <b>school</b> days", "&lt;script&gt;x&lt;/script&gt;ok", "<!-- x --> y", "a\x00b"],
)
def test_markup_and_nul_characters_are_refused_not_silently_removed(member, title):
    with pytest.raises(ValidationError) as excinfo:
        services.initiative_create(
            actor=member.user, organisation=member.organisation, data=_initiative_data(title=title)
        )
    assert "title" in excinfo.value.message_dict
    assert Initiative.objects.count() == 0


def test_text_that_only_looks_like_markup_is_kept(member):
    record = services.initiative_create(
        actor=member.user,
        organisation=member.organisation,
        data=_initiative_data(title="Port & City < 3 > 2"),
    )
    assert record.title == "Port & City < 3 > 2"


def test_create_reports_every_bad_field_and_writes_nothing(member):
    data = _initiative_data(
        title="",
        themes=["no-such-theme"],
        goals=["x"],
        start_year=2020,
        end_year=2019,
        links="not a url",
        colour="red",
        port_city="nowhere",
    )
    with pytest.raises(ValidationError) as excinfo:
        services.initiative_create(actor=member.user, organisation=member.organisation, data=data)
    errors = excinfo.value.message_dict
    for field in ("title", "themes", "goals", "end_year", "links", "colour", "port_city"):
        assert field in errors, field
    assert Initiative.objects.count() == 0


def test_member_cannot_create_for_another_organisation(member):
    other = OrganisationFactory()
    with pytest.raises(PermissionDenied):
        services.initiative_create(actor=member.user, organisation=other, data=_initiative_data())
    with pytest.raises(PermissionDenied):
        services.port_center_create(actor=member.user, organisation=other, data={"name": "X"})


def test_member_cannot_change_another_organisations_records(member):
    other_initiative = InitiativeFactory(publication_status=PublicationStatus.DRAFT)
    other_center = PortCenterFactory()
    with pytest.raises(PermissionDenied):
        services.initiative_update(
            actor=member.user, initiative=other_initiative, data={"title": "Mine now"}
        )
    with pytest.raises(PermissionDenied):
        services.port_center_update(
            actor=member.user, port_center=other_center, data={"name": "Mine now"}
        )
    with pytest.raises(PermissionDenied):
        services.record_submit(actor=member.user, record=other_initiative)
    with pytest.raises(PermissionDenied):
        services.record_mark_reviewed(actor=member.user, record=other_center)
    other_initiative.refresh_from_db()
    assert other_initiative.title != "Mine now"


def test_partial_update_only_changes_given_keys(member):
    record = services.initiative_create(
        actor=member.user, organisation=member.organisation, data=_initiative_data()
    )
    services.initiative_update(actor=member.user, initiative=record, data={"end_year": 2024})
    record.refresh_from_db()
    assert record.end_year == 2024
    assert record.title == "Harbour school days"
    assert record.themes.count() == 2
    assert record.history.count() == 2


def test_translations_are_replaced_and_validated(member):
    record = services.initiative_create(
        actor=member.user,
        organisation=member.organisation,
        data=_initiative_data(
            translations=[{"language": "fr", "title": "Journées", "summary": "Les élèves."}]
        ),
    )
    assert list(record.translations.values_list("language", flat=True)) == ["fr"]
    with pytest.raises(ValidationError) as excinfo:
        services.initiative_update(
            actor=member.user,
            initiative=record,
            data={"translations": [{"language": "en", "title": "Same", "summary": "Same"}]},
        )
    assert "translations" in excinfo.value.message_dict
    services.initiative_update(
        actor=member.user,
        initiative=record,
        data={"translations": [{"language": "es", "title": "Días", "summary": "Alumnos."}]},
    )
    assert list(record.translations.values_list("language", flat=True)) == ["es"]


def test_port_center_create_and_update(member):
    city = PortCityFactory()
    record = services.port_center_create(
        actor=member.user,
        organisation=member.organisation,
        data={
            "name": "Harbour Center",
            "port_city": city.slug,
            "offers": ["exhibition", "boat_tours"],
            "audiences": ["schools"],
            "operators": [member.organisation.slug],
            "opening_year": "2009",
            "latitude": 44.4,
            "longitude": 8.9,
        },
    )
    record.refresh_from_db()
    assert record.port_city == city
    assert record.offers == ["exhibition", "boat_tours"]
    assert record.opening_year == 2009
    assert list(record.operators.all()) == [member.organisation]
    with pytest.raises(ValidationError) as excinfo:
        services.port_center_update(
            actor=member.user,
            port_center=record,
            data={"offers": ["spaceflight"], "latitude": 123, "opening_year": "soon"},
        )
    assert {"offers", "latitude", "opening_year"} <= set(excinfo.value.message_dict)


def test_workflow_submit_approve_sets_publication_dates_and_events(
    member, staff, django_capture_on_commit_callbacks
):
    record = services.initiative_create(
        actor=member.user, organisation=member.organisation, data=_initiative_data()
    )
    record.last_reviewed = timezone.localdate() - timedelta(days=400)
    record.save()
    services.record_submit(actor=member.user, record=record)
    assert record.publication_status == PublicationStatus.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.record_approve(actor=staff, record=record)
        assert mail.outbox == [], "the e-mail leaves only once the decision is committed"
    assert callbacks, "search reindexing and the e-mail wait for the commit"
    record.refresh_from_db()
    assert record.publication_status == PublicationStatus.PUBLISHED
    assert record.published_at is not None
    assert record.last_reviewed == timezone.localdate()
    actions = list(
        ModerationEvent.objects.filter(initiative=record)
        .order_by("created_at", "id")
        .values_list("action", flat=True)
    )
    assert actions == [ModerationAction.SUBMIT, ModerationAction.APPROVE]
    assert record.history.first().history_user == staff
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [member.user.email]
    # The member prefers French: the notification is in French when a catalogue exists, and
    # always names the record.
    assert "Harbour school days" in mail.outbox[0].subject


def test_cannot_approve_a_draft_that_was_never_submitted(member, staff):
    record = services.initiative_create(
        actor=member.user, organisation=member.organisation, data=_initiative_data()
    )
    with pytest.raises(ValidationError) as excinfo:
        services.record_approve(actor=staff, record=record)
    assert "publication_status" in excinfo.value.message_dict
    record.refresh_from_db()
    assert record.publication_status == PublicationStatus.DRAFT


def test_member_cannot_moderate(member):
    record = InitiativeFactory(
        organisation=member.organisation, publication_status=PublicationStatus.SUBMITTED
    )
    with pytest.raises(PermissionDenied):
        services.record_approve(actor=member.user, record=record)
    with pytest.raises(PermissionDenied):
        services.record_reject(actor=member.user, record=record, message="no")


def test_request_changes_needs_a_message_and_mails_it(
    member, staff, django_capture_on_commit_callbacks
):
    record = InitiativeFactory(
        organisation=member.organisation, publication_status=PublicationStatus.SUBMITTED
    )
    with pytest.raises(ValidationError) as excinfo:
        services.record_request_changes(actor=staff, record=record, message="  ")
    assert "message" in excinfo.value.message_dict
    with pytest.raises(ValidationError):
        services.record_request_changes(actor=staff, record=record, message="Add <i>figures</i>.")
    with django_capture_on_commit_callbacks(execute=True):
        services.record_request_changes(actor=staff, record=record, message=" Add figures.\r\n")
    record.refresh_from_db()
    assert record.publication_status == PublicationStatus.CHANGES_REQUESTED
    event = ModerationEvent.objects.get(initiative=record)
    assert event.message == "Add figures."
    assert "Add figures." in mail.outbox[0].body
    # The member fixes it and submits again.
    services.record_submit(actor=member.user, record=record)
    assert record.publication_status == PublicationStatus.SUBMITTED


def test_rejected_record_is_final_for_members(member, staff, django_capture_on_commit_callbacks):
    record = InitiativeFactory(
        organisation=member.organisation, publication_status=PublicationStatus.SUBMITTED
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.record_reject(actor=staff, record=record, message="Out of scope.")
    with pytest.raises(ValidationError):
        services.record_submit(actor=member.user, record=record)
    with pytest.raises(ValidationError):
        services.initiative_update(actor=member.user, initiative=record, data={"title": "Again"})
    assert "Out of scope." in mail.outbox[0].body


def test_member_edit_of_published_record_goes_back_to_moderation(member):
    record = InitiativeFactory(organisation=member.organisation)
    services.initiative_update(actor=member.user, initiative=record, data={"title": "New title"})
    record.refresh_from_db()
    assert record.publication_status == PublicationStatus.SUBMITTED
    assert record.slug.startswith("initiative-")  # the URL does not change with the title
    assert ModerationEvent.objects.filter(
        initiative=record, action=ModerationAction.SUBMIT
    ).exists()


def test_staff_edit_of_published_record_stays_published(staff):
    record = PortCenterFactory()
    services.port_center_update(actor=staff, port_center=record, data={"notes": "Checked."})
    record.refresh_from_db()
    assert record.publication_status == PublicationStatus.PUBLISHED
    assert record.notes == "Checked."


def test_mark_reviewed_clears_the_stale_flag(member):
    record = PortCenterFactory(
        organisation=member.organisation,
        last_reviewed=timezone.localdate() - timedelta(days=500),
    )
    assert record.is_stale
    services.record_mark_reviewed(actor=member.user, record=record)
    record.refresh_from_db()
    assert not record.is_stale
    assert record.history.first().history_user == member.user


def test_restore_brings_back_an_old_version_as_a_new_history_entry(member, staff):
    record = services.initiative_create(
        actor=member.user, organisation=member.organisation, data=_initiative_data()
    )
    first_version = record.history.get()
    services.initiative_update(
        actor=member.user, initiative=record, data={"title": "Vandalised", "summary": "Oops"}
    )
    services.record_restore(actor=staff, record=record, history_id=first_version.history_id)
    record.refresh_from_db()
    assert record.title == "Harbour school days"
    assert record.summary == "Pupils visit the port."
    assert record.publication_status == PublicationStatus.DRAFT
    assert record.history.count() == 3
    assert record.history.first().history_user == staff
    assert ModerationEvent.objects.filter(
        initiative=record, action=ModerationAction.RESTORE
    ).exists()


def test_restore_refuses_a_version_of_another_record(member, staff):
    record = services.initiative_create(
        actor=member.user, organisation=member.organisation, data=_initiative_data()
    )
    other = services.initiative_create(
        actor=member.user, organisation=member.organisation, data=_initiative_data()
    )
    with pytest.raises(ValidationError):
        services.record_restore(
            actor=staff, record=record, history_id=other.history.get().history_id
        )
    with pytest.raises(PermissionDenied):
        services.record_restore(
            actor=member.user, record=record, history_id=record.history.get().history_id
        )


def test_anonymous_and_outsiders_get_permission_denied():
    from django.contrib.auth.models import AnonymousUser

    record = PortCenterFactory(publication_status=PublicationStatus.DRAFT)
    outsider = UserFactory()
    for actor in (AnonymousUser(), outsider):
        with pytest.raises(PermissionDenied):
            services.port_center_update(actor=actor, port_center=record, data={"name": "X"})
    assert PortCenter.objects.get(pk=record.pk).name == record.name


@pytest.mark.parametrize(
    "data",
    [
        {"goals": [10**30]},
        {"goals": [-1]},
        {"goals": [True]},
        {"themes": ["edu\x00cation"]},
        {"themes": "education"},
        {"themes": [{"slug": "education"}]},
        {"port_city": "nowhere\x00"},
        {"port_city": 12},
        {"start_year": 10**30},
        {"start_year": "soon"},
        {"title": ["not", "text"]},
        {"translations": "fr"},
        {"translations": [{"language": {"x": 1}, "title": "T", "summary": "S"}]},
        {"translations": [{"language": "fr", "title": "T"}]},
        {"status": "finished"},
        {"budget_band": "a lot"},
        {"language": "tlh"},
    ],
)
def test_bad_api_style_input_is_a_validation_error(member, data):
    record = services.initiative_create(
        actor=member.user, organisation=member.organisation, data=_initiative_data()
    )
    with pytest.raises(ValidationError):
        services.initiative_update(actor=member.user, initiative=record, data=data)
    record.refresh_from_db()
    assert record.title == "Harbour school days"
    assert record.history.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"offers": [{"x": 1}]},
        {"offers": "exhibition"},
        {"latitude": float("nan"), "longitude": 1.0},
        {"latitude": 10.0},
        {"surface_m2": -5},
        {"surface_m2": 10**12},
        {"staff_fte": "12345678.5"},
        {"website": "javascript:alert(1)"},
        {"contact_email": "not-an-address"},
        {"sources": '<a href="https://example.org">x</a>'},
        {"operators": ["no-such-org"]},
    ],
)
def test_bad_port_center_input_is_a_validation_error(member, data):
    record = PortCenterFactory(organisation=member.organisation, publication_status="draft")
    with pytest.raises(ValidationError):
        services.port_center_update(actor=member.user, port_center=record, data=data)


def test_empty_string_clears_an_optional_number(member):
    record = PortCenterFactory(
        organisation=member.organisation, publication_status="draft", opening_year=2009
    )
    services.port_center_update(actor=member.user, port_center=record, data={"opening_year": ""})
    record.refresh_from_db()
    assert record.opening_year is None


def test_history_keeps_relations_and_restore_brings_them_back(member, staff):
    partner = OrganisationFactory(slug="partner-org")
    record = services.initiative_create(
        actor=member.user,
        organisation=member.organisation,
        data=_initiative_data(partners=["partner-org"]),
    )
    first_version = record.history.get()
    assert first_version.linked == {
        "audiences": ["schools"],
        "goals": [5, 8],
        "partners": ["partner-org"],
        "themes": ["education", "port-city-interface"],
    }
    services.initiative_update(
        actor=member.user,
        initiative=record,
        data={"themes": ["heritage"], "goals": [], "partners": []},
    )
    assert record.history.first().linked["themes"] == ["heritage"]

    services.record_restore(actor=staff, record=record, history_id=first_version.history_id)
    record.refresh_from_db()
    assert sorted(t.slug for t in record.themes.all()) == ["education", "port-city-interface"]
    assert sorted(g.number for g in record.goals.all()) == [5, 8]
    assert list(record.partners.all()) == [partner]
    assert record.history.first().linked == first_version.linked


def test_workflow_saves_keep_the_current_relations_in_history(member, staff):
    record = services.initiative_create(
        actor=member.user, organisation=member.organisation, data=_initiative_data()
    )
    services.record_submit(actor=member.user, record=record)
    assert record.history.first().linked["goals"] == [5, 8]


def test_a_refused_moderation_sends_no_e_mail(member, staff, django_capture_on_commit_callbacks):
    record = InitiativeFactory(
        organisation=member.organisation, publication_status=PublicationStatus.DRAFT
    )
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError),
    ):
        services.record_reject(actor=staff, record=record, message="Out of scope.")
    assert callbacks == []
    assert mail.outbox == []
