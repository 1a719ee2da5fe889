from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from portolan.catalogue import services
from portolan.catalogue.models import (
    Attachment,
    Initiative,
    ModerationEvent,
    PortCenter,
    PublicationStatus,
)
from portolan.core.models import Theme
from portolan.testing.factories import (
    InitiativeFactory,
    MembershipFactory,
    PortCenterFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return MembershipFactory()


@pytest.fixture
def member_client(client, member):
    client.force_login(member.user)
    return client


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def _png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "navy").save(buffer, format="PNG")
    return buffer.getvalue()


def _initiative_post(member, **extra):
    data = {
        "organisation": member.organisation.pk,
        "title": "Night at the docks",
        "summary": "Citizens visit the container terminal at night.",
        "language": "en",
        "port_city": member.organisation.port_city.pk,
        "status": "ongoing",
        "budget_band": "",
        "start_year": "2022",
        "title_fr": "Nuit sur les quais",
        "summary_fr": "Les habitants visitent le terminal la nuit.",
        "action": "save",
    }
    data.update(extra)
    return data


# ---------------------------------------------------------------------------------------------
# Permissions: the required test of issue 2
# ---------------------------------------------------------------------------------------------


def test_editor_cannot_see_or_change_another_organisations_drafts(member_client, member):
    mine = InitiativeFactory(
        organisation=member.organisation, publication_status=PublicationStatus.DRAFT
    )
    theirs = InitiativeFactory(publication_status=PublicationStatus.DRAFT, title="Secret plan")
    their_center = PortCenterFactory(publication_status=PublicationStatus.SUBMITTED)
    their_published = InitiativeFactory()

    dashboard = member_client.get(reverse("catalogue:dashboard"))
    assert mine.title in dashboard.content.decode()
    assert "Secret plan" not in dashboard.content.decode()

    # Drafts of others do not exist for this editor (404), on every editor page.
    for url in (
        reverse("catalogue:initiative_edit", kwargs={"slug": theirs.slug}),
        reverse("catalogue:history", kwargs={"kind": "initiatives", "slug": theirs.slug}),
        reverse("catalogue:attachment_upload", kwargs={"kind": "initiatives", "slug": theirs.slug}),
        reverse("catalogue:port_center_edit", kwargs={"slug": their_center.slug}),
    ):
        assert member_client.get(url).status_code == 404, url
    # A published record of another organisation is visible, but not editable (403).
    edit_published = reverse("catalogue:initiative_edit", kwargs={"slug": their_published.slug})
    assert member_client.get(edit_published).status_code == 403
    response = member_client.post(edit_published, _initiative_post(member, title="Hijacked"))
    assert response.status_code == 403
    response = member_client.post(
        reverse("catalogue:initiative_edit", kwargs={"slug": theirs.slug}),
        _initiative_post(member, title="Hijacked"),
    )
    assert response.status_code == 404
    submit = reverse("catalogue:record_submit", kwargs={"kind": "initiatives", "slug": theirs.slug})
    assert member_client.post(submit).status_code == 404
    # Creating for another organisation is refused by the form's choices.
    response = member_client.post(
        reverse("catalogue:initiative_create"),
        _initiative_post(member, organisation=their_published.organisation.pk),
    )
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    theirs.refresh_from_db()
    their_published.refresh_from_db()
    assert theirs.title == "Secret plan"
    assert their_published.title != "Hijacked"
    assert theirs.publication_status == PublicationStatus.DRAFT
    assert not Initiative.objects.filter(title="Hijacked").exists()
    # The public detail page hides another organisation's draft too.
    assert member_client.get(theirs.get_absolute_url()).status_code == 404


def test_anonymous_users_see_only_published_records(client):
    draft = InitiativeFactory(publication_status=PublicationStatus.DRAFT)
    submitted = PortCenterFactory(publication_status=PublicationStatus.SUBMITTED)
    published = InitiativeFactory()
    assert client.get(published.get_absolute_url()).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(submitted.get_absolute_url()).status_code == 404
    # Editor pages send anonymous visitors to the login page.
    response = client.get(reverse("catalogue:dashboard"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    response = client.get(reverse("catalogue:initiative_edit", kwargs={"slug": published.slug}))
    assert response.status_code == 302


def test_files_of_drafts_are_served_only_to_their_editors(client, member):
    draft = InitiativeFactory(
        organisation=member.organisation, publication_status=PublicationStatus.DRAFT
    )
    from io import BytesIO

    attachment = services.attachment_add(
        actor=member.user, record=draft, kind="image", upload=BytesIO(_png_bytes()), title="Map"
    )
    url = reverse("catalogue:attachment", kwargs={"pk": attachment.pk})
    assert client.get(url).status_code == 404
    outsider = UserFactory()
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(member.user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "inline" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]


# ---------------------------------------------------------------------------------------------
# Member pages
# ---------------------------------------------------------------------------------------------


def test_member_creates_initiative_with_translation_and_submits_it(member_client, member):
    response = member_client.post(
        reverse("catalogue:initiative_create"),
        _initiative_post(
            member, action="submit", themes=[Theme.objects.get(slug="education").pk], goals=[]
        ),
    )
    assert response.status_code == 302
    record = Initiative.objects.get(title="Night at the docks")
    assert record.publication_status == PublicationStatus.SUBMITTED
    assert record.translations.get().language == "fr"
    assert [t.slug for t in record.themes.all()] == ["education"]
    history = record.history.order_by("history_date")
    assert [h.history_user for h in history] == [member.user, member.user]


def test_create_form_shows_service_errors_next_to_fields(member_client, member):
    response = member_client.post(
        reverse("catalogue:initiative_create"),
        _initiative_post(member, start_year="2020", end_year="2010", links="javascript:alert(1)"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "end_year" in errors
    assert "links" in errors
    assert not Initiative.objects.exists()


def test_translation_needs_both_title_and_summary(member_client, member):
    response = member_client.post(
        reverse("catalogue:initiative_create"), _initiative_post(member, summary_fr="")
    )
    assert response.status_code == 200
    assert "summary_fr" in response.context["form"].errors


def test_member_edits_own_port_center(member_client, member):
    center = PortCenterFactory(
        organisation=member.organisation, publication_status=PublicationStatus.DRAFT
    )
    url = reverse("catalogue:port_center_edit", kwargs={"slug": center.slug})
    page = member_client.get(url)
    assert page.status_code == 200
    assert center.name in page.content.decode()
    response = member_client.post(
        url,
        {
            "name": "Harbour House",
            "port_city": center.port_city_id,
            "offers": ["exhibition", "school_programmes"],
            "opening_year": "2011",
            "latitude": "",
            "longitude": "",
            "website": "https://harbour.example.org",
            "action": "save",
        },
    )
    assert response.status_code == 302
    center.refresh_from_db()
    assert center.name == "Harbour House"
    assert center.offers == ["exhibition", "school_programmes"]
    assert center.slug != "harbour-house"  # the URL stays stable


def test_dashboard_shows_status_staff_message_and_stale_flag(
    member_client, member, django_assert_num_queries
):
    changes = InitiativeFactory(
        organisation=member.organisation, publication_status=PublicationStatus.SUBMITTED
    )
    services.record_request_changes(
        actor=StaffFactory(), record=changes, message="Please add visitor figures."
    )
    stale = PortCenterFactory(
        organisation=member.organisation,
        last_reviewed=timezone.localdate() - timedelta(days=400),
    )
    for _ in range(3):
        InitiativeFactory(organisation=member.organisation)
    url = reverse("catalogue:dashboard")
    member_client.get(url)  # warm the session
    with django_assert_num_queries(9):
        response = member_client.get(url)
    html = response.content.decode()
    assert "Please add visitor figures." in html
    assert "Changes requested" in html
    assert "Mark as reviewed" in html
    response = member_client.post(
        reverse("catalogue:mark_reviewed", kwargs={"kind": "port-centers", "slug": stale.slug}),
        {"next": url},
    )
    assert response.status_code == 302
    assert response["Location"] == url
    stale.refresh_from_db()
    assert not stale.is_stale


def test_dashboard_query_count_does_not_grow_with_records(
    member_client, member, django_assert_num_queries
):
    for _ in range(15):
        InitiativeFactory(organisation=member.organisation)
        PortCenterFactory(organisation=member.organisation)
    member_client.get(reverse("catalogue:dashboard"))
    with django_assert_num_queries(9):
        member_client.get(reverse("catalogue:dashboard"))


def test_dashboard_paginates(member_client, member):
    for _ in range(25):
        InitiativeFactory(organisation=member.organisation)
    first = member_client.get(reverse("catalogue:dashboard"))
    assert len(first.context["initiatives"].object_list) == 20
    second = member_client.get(reverse("catalogue:dashboard") + "?page=2")
    assert len(second.context["initiatives"].object_list) == 5
    bogus = member_client.get(reverse("catalogue:dashboard") + "?page=abc&status=<x>")
    assert bogus.status_code == 200


def test_upload_page_accepts_an_image_and_rejects_a_renamed_png(member_client, member):
    record = PortCenterFactory(
        organisation=member.organisation, publication_status=PublicationStatus.DRAFT
    )
    url = reverse(
        "catalogue:attachment_upload", kwargs={"kind": "port-centers", "slug": record.slug}
    )
    fake_pdf = io.BytesIO(_png_bytes())
    fake_pdf.name = "report.pdf"
    response = member_client.post(url, {"title": "Report", "kind": "document", "file": fake_pdf})
    assert response.status_code == 400
    assert "not a valid PDF" in response.content.decode()
    image = io.BytesIO(_png_bytes())
    image.name = "photo.png"
    response = member_client.post(url, {"title": "Photo", "kind": "image", "file": image})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.port_center == record
    delete = reverse("catalogue:attachment_delete", kwargs={"pk": attachment.pk})
    assert member_client.post(delete).status_code == 302
    assert not Attachment.objects.exists()


def test_history_page_shows_who_and_what_changed(member_client, member):
    record = services.initiative_create(
        actor=member.user,
        organisation=member.organisation,
        data={"title": "Old title", "summary": "Summary."},
    )
    services.initiative_update(actor=member.user, initiative=record, data={"title": "New title"})
    response = member_client.get(
        reverse("catalogue:history", kwargs={"kind": "initiatives", "slug": record.slug})
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Old title" in html and "New title" in html
    assert str(member.user) in html
    assert "Moderation log" in html
    assert "Restore this version" not in html  # members cannot restore


# ---------------------------------------------------------------------------------------------
# Staff pages
# ---------------------------------------------------------------------------------------------


def test_staff_restores_a_version_from_the_history_page(staff_client, member):
    record = services.initiative_create(
        actor=member.user,
        organisation=member.organisation,
        data={"title": "Good title", "summary": "Good summary."},
    )
    original = record.history.get()
    services.initiative_update(actor=member.user, initiative=record, data={"title": "Spam"})
    history_url = reverse("catalogue:history", kwargs={"kind": "initiatives", "slug": record.slug})
    assert "Restore this version" in staff_client.get(history_url).content.decode()
    restore = reverse(
        "catalogue:history_restore",
        kwargs={"kind": "initiatives", "slug": record.slug, "history_id": original.history_id},
    )
    assert staff_client.get(restore).status_code == 405
    response = staff_client.post(restore)
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.title == "Good title"
    assert record.history.count() == 3


def test_member_cannot_restore_or_moderate(member_client, member):
    record = InitiativeFactory(
        organisation=member.organisation, publication_status=PublicationStatus.SUBMITTED
    )
    restore = reverse(
        "catalogue:history_restore",
        kwargs={
            "kind": "initiatives",
            "slug": record.slug,
            "history_id": record.history.first().history_id,
        },
    )
    assert member_client.post(restore).status_code == 403
    assert member_client.get(reverse("catalogue:moderation")).status_code == 403
    assert member_client.get(reverse("catalogue:staff_dashboard")).status_code == 403
    moderate = reverse("catalogue:moderate", kwargs={"kind": "initiatives", "slug": record.slug})
    assert member_client.post(moderate, {"action": "approve"}).status_code == 403
    record.refresh_from_db()
    assert record.publication_status == PublicationStatus.SUBMITTED


def test_moderation_queue_approve_request_changes_reject(
    staff_client, member, django_capture_on_commit_callbacks
):
    first = InitiativeFactory(
        organisation=member.organisation,
        publication_status=PublicationStatus.SUBMITTED,
        published_at=None,
    )
    second = PortCenterFactory(
        organisation=member.organisation, publication_status=PublicationStatus.SUBMITTED
    )
    third = InitiativeFactory(
        organisation=member.organisation, publication_status=PublicationStatus.SUBMITTED
    )
    queue = staff_client.get(reverse("catalogue:moderation"))
    html = queue.content.decode()
    assert first.title in html and second.name in html and third.title in html

    def moderate(record, kind, **data):
        url = reverse("catalogue:moderate", kwargs={"kind": kind, "slug": record.slug})
        with django_capture_on_commit_callbacks(execute=True):
            return staff_client.post(url, data)

    moderate(first, "initiatives", action="approve")
    # A request for changes without a message is refused with a clear message.
    response = moderate(second, "port-centers", action="request_changes", message="")
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.publication_status == PublicationStatus.SUBMITTED
    moderate(second, "port-centers", action="request_changes", message="Add opening hours.")
    moderate(third, "initiatives", action="reject", message="Not port-related.")
    first.refresh_from_db()
    second.refresh_from_db()
    third.refresh_from_db()
    assert first.publication_status == PublicationStatus.PUBLISHED
    assert first.published_at is not None
    assert second.publication_status == PublicationStatus.CHANGES_REQUESTED
    assert third.publication_status == PublicationStatus.REJECTED
    assert ModerationEvent.objects.count() == 3
    assert len(mail.outbox) == 3
    # Approving again is a clear error, not a crash.
    response = moderate(first, "initiatives", action="approve")
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("Cannot approve" in m for m in messages)


def test_staff_dashboard_counts_and_activity(staff_client, member, django_assert_num_queries):
    InitiativeFactory(publication_status=PublicationStatus.SUBMITTED)
    PortCenterFactory(publication_status=PublicationStatus.SUBMITTED)
    PortCenterFactory(last_reviewed=timezone.localdate() - timedelta(days=800), name="Old Center")
    record = InitiativeFactory(
        organisation=member.organisation, publication_status=PublicationStatus.SUBMITTED
    )
    services.record_reject(actor=StaffFactory(), record=record, message="Duplicate.")
    staff_client.get(reverse("catalogue:staff_dashboard"))
    with django_assert_num_queries(7):
        response = staff_client.get(reverse("catalogue:staff_dashboard"))
    summary = response.context["summary"]
    assert summary.counts["initiatives"]["submitted"] == 1
    assert summary.counts["port_centers"]["submitted"] == 1
    assert summary.stale_total == 1
    html = response.content.decode()
    assert "Old Center" in html
    assert "Duplicate." in html


# ---------------------------------------------------------------------------------------------
# CSRF
# ---------------------------------------------------------------------------------------------


def test_editor_forms_enforce_csrf(member):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(member.user)
    url = reverse("catalogue:initiative_create")
    response = csrf_client.post(url, _initiative_post(member))
    assert response.status_code == 403
    assert not Initiative.objects.exists()
    # With the token from the form page the same post succeeds.
    page = csrf_client.get(url)
    token = page.cookies["csrftoken"].value
    response = csrf_client.post(url, {**_initiative_post(member), "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Initiative.objects.count() == 1
    assert PortCenter.objects.count() == 0


@pytest.mark.parametrize("form_class", ["InitiativeForm", "PortCenterForm"])
def test_every_form_field_is_shown_in_a_section(form_class):
    from portolan.accounts.models import Organisation
    from portolan.catalogue import forms

    form = getattr(forms, form_class)(organisations=Organisation.objects.all(), creating=True)
    shown = {bf.name for _legend, fields in form.fieldsets() for bf in fields}
    translations = {bf.name for pair in getattr(form, "translation_fields", list)() for bf in pair}
    assert shown | translations == set(form.fields)


def test_history_page_query_count_is_constant(member_client, member, django_assert_num_queries):
    record = services.initiative_create(
        actor=member.user,
        organisation=member.organisation,
        data={"title": "Versions", "summary": "Summary."},
    )
    for year in range(2001, 2011):
        services.initiative_update(actor=member.user, initiative=record, data={"end_year": year})
    url = reverse("catalogue:history", kwargs={"kind": "initiatives", "slug": record.slug})
    member_client.get(url)
    with django_assert_num_queries(7):
        response = member_client.get(url)
    assert len(response.context["entries"]) == 11
    assert "2010" in response.content.decode()


def test_rejected_record_cannot_be_changed_by_its_members(member_client, member):
    record = InitiativeFactory(
        organisation=member.organisation, publication_status=PublicationStatus.REJECTED
    )
    url = reverse("catalogue:initiative_edit", kwargs={"slug": record.slug})
    page = member_client.get(url).content.decode()
    assert "can no longer be changed" in page
    assert 'value="save"' not in page
    response = member_client.post(url, _initiative_post(member, title="Second try"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    record.refresh_from_db()
    assert record.title != "Second try"


def test_unknown_kind_and_bad_history_id_are_clean_errors(staff_client):
    record = InitiativeFactory()
    assert staff_client.get("/en/catalogue/editor/widgets/x/history/").status_code == 404
    restore = reverse(
        "catalogue:history_restore",
        kwargs={"kind": "initiatives", "slug": record.slug, "history_id": 999999999},
    )
    response = staff_client.post(restore)
    assert response.status_code == 302
    moderate = reverse("catalogue:moderate", kwargs={"kind": "initiatives", "slug": record.slug})
    assert staff_client.post(moderate, {"action": "explode"}).status_code == 302
    upload = reverse(
        "catalogue:attachment_upload", kwargs={"kind": "initiatives", "slug": record.slug}
    )
    assert staff_client.post(upload, {"title": "No file", "kind": "image"}).status_code == 400


def test_edit_page_query_count_is_constant(member_client, member, django_assert_max_num_queries):
    record = InitiativeFactory(
        organisation=member.organisation, publication_status=PublicationStatus.DRAFT
    )
    for _ in range(5):
        InitiativeFactory()  # more organisations and port cities in the choices
    url = reverse("catalogue:initiative_edit", kwargs={"slug": record.slug})
    member_client.get(url)
    with django_assert_max_num_queries(16):
        response = member_client.get(url)
    assert response.status_code == 200


NASTY = ["\x00", "x" * 5000, "<script>alert(1)</script>", "١٢٣", "🚢" * 50, "-1", "1e999", "[]"]


@pytest.mark.parametrize("value", NASTY)
def test_nasty_values_never_cause_a_server_error(member, value):
    client = Client(raise_request_exception=False)
    client.force_login(member.user)
    record = InitiativeFactory(
        organisation=member.organisation, publication_status=PublicationStatus.DRAFT
    )
    center = PortCenterFactory(
        organisation=member.organisation, publication_status=PublicationStatus.DRAFT
    )
    initiative_fields = list(_initiative_post(member))
    center_fields = ["name", "port_city", "offers", "latitude", "longitude", "surface_m2"]
    posts = [
        (reverse("catalogue:initiative_create"), initiative_fields),
        (reverse("catalogue:initiative_edit", kwargs={"slug": record.slug}), initiative_fields),
        (reverse("catalogue:port_center_create"), center_fields),
        (reverse("catalogue:port_center_edit", kwargs={"slug": center.slug}), center_fields),
        (
            reverse(
                "catalogue:attachment_upload", kwargs={"kind": "initiatives", "slug": record.slug}
            ),
            ["title", "kind", "file"],
        ),
    ]
    for url, fields in posts:
        response = client.post(url, dict.fromkeys(fields, value))
        assert response.status_code < 500, (url, response.status_code)
    for url in (
        reverse("catalogue:dashboard") + "?page=" + value[:100] + "&status=" + value[:100],
        reverse("accounts:profile"),
    ):
        assert client.get(url).status_code < 500
    response = client.post(
        reverse("accounts:profile"), {"full_name": value, "preferred_language": value}
    )
    assert response.status_code < 500
    response = Client().post(reverse("accounts:login"), {"username": value, "password": value})
    assert response.status_code < 500


@pytest.mark.parametrize("language", ["fr", "es"])
def test_editor_pages_render_in_every_language(client, member, language):
    from django.utils import translation

    staff = StaffFactory()
    MembershipFactory(user=staff, organisation=member.organisation)
    client.force_login(staff)
    record = InitiativeFactory(
        organisation=member.organisation, publication_status=PublicationStatus.SUBMITTED
    )
    with translation.override(language):
        urls = [
            reverse("catalogue:dashboard"),
            reverse("catalogue:initiative_create"),
            reverse("catalogue:port_center_create"),
            reverse("catalogue:initiative_edit", kwargs={"slug": record.slug}),
            reverse("catalogue:history", kwargs={"kind": "initiatives", "slug": record.slug}),
            reverse("catalogue:moderation"),
            reverse("catalogue:staff_dashboard"),
            reverse("accounts:profile"),
            reverse("accounts:password_change"),
        ]
    for url in urls:
        assert url.startswith(f"/{language}/")
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'lang="{language}"' in response.content.decode()


def test_history_page_lists_relation_changes(client):
    from portolan.catalogue import services as catalogue_services
    from portolan.testing.factories import MembershipFactory as _Membership
    from portolan.testing.factories import StaffFactory as _Staff

    membership = _Membership()
    record = catalogue_services.initiative_create(
        actor=membership.user,
        organisation=membership.organisation,
        data={"title": "Port days", "summary": "Open doors.", "themes": ["education"]},
    )
    catalogue_services.initiative_update(
        actor=membership.user, initiative=record, data={"themes": ["heritage", "education"]}
    )
    client.force_login(_Staff())
    page = client.get(f"/en/catalogue/editor/initiatives/{record.slug}/history/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "themes" in text.lower()
    assert "education, heritage" in text


def _post_back(form) -> dict:
    """What a browser sends when the editor submits the edit page without changing anything."""
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [getattr(v, "pk", v) for v in value]
        else:
            data[name] = getattr(value, "pk", value)
    return data


def test_saving_an_unchanged_edit_page_keeps_every_value_and_link(member_client, member):
    from portolan.core.models import Audience, Goal
    from portolan.testing.factories import OrganisationFactory

    partner = OrganisationFactory()
    record = InitiativeFactory(
        organisation=member.organisation,
        publication_status=PublicationStatus.DRAFT,
        start_year=2015,
        end_year=2022,
        links="https://example.org/a\nhttps://example.org/b",
    )
    record.partners.set([partner])
    record.themes.set(Theme.objects.all()[:2])
    record.goals.set(Goal.objects.all()[:1])
    record.audiences.set(Audience.objects.all()[:1])
    record.translations.create(language="fr", title="Journées", summary="Le port.")
    before = services.linked_snapshot(record, None)
    url = reverse("catalogue:initiative_edit", kwargs={"slug": record.slug})
    form = member_client.get(url).context["form"]
    response = member_client.post(url, _post_back(form))
    assert response.status_code == 302, response.context["form"].errors
    record.refresh_from_db()
    assert (record.start_year, record.end_year) == (2015, 2022)
    assert record.links == "https://example.org/a\nhttps://example.org/b"
    assert services.linked_snapshot(record, None) == before
    assert list(record.translations.values_list("language", "title")) == [("fr", "Journées")]


def test_saving_an_unchanged_port_center_page_keeps_offers_and_figures(member_client, member):
    record = PortCenterFactory(
        organisation=member.organisation,
        publication_status=PublicationStatus.DRAFT,
        offers=["boat_tours", "events"],
        staff_fte="3.5",
        visitors_per_year=12000,
    )
    url = reverse("catalogue:port_center_edit", kwargs={"slug": record.slug})
    form = member_client.get(url).context["form"]
    response = member_client.post(url, _post_back(form))
    assert response.status_code == 302, response.context["form"].errors
    record.refresh_from_db()
    assert record.offers == ["boat_tours", "events"]
    assert str(record.staff_fte) == "3.5"
    assert record.visitors_per_year == 12000
