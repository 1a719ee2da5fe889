import json
import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from portolan.catalogue.models import (
    Attachment,
    InitiativeTranslation,
    PortCenter,
    PublicationStatus,
)
from portolan.catalogue.templatetags import portolan_public
from portolan.core.models import Audience, Goal, Theme
from portolan.testing.factories import (
    InitiativeFactory,
    MembershipFactory,
    OrganisationFactory,
    PortCenterFactory,
    PortCityFactory,
    StaffFactory,
)


def jsonld_blocks(html: str) -> list[dict]:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in found]


def og(html: str, name: str) -> str | None:
    match = re.search(rf'<meta property="og:{name}" content="([^"]*)">', html)
    return match.group(1) if match else None


# --- Initiative pages ---------------------------------------------------------------------------


@pytest.fixture
def rich_initiative():
    initiative = InitiativeFactory(
        title="Port days for schools",
        summary="Pupils visit the terminals.",
        context="Young people do not know the port.",
        actions="Guided visits every spring.",
        results="2,400 pupils in 2023.",
        resources="Two guides, one bus.",
        lessons="Start with teachers.",
        start_year=2019,
        end_year=2023,
        status="completed",
        budget_band="50k-250k",
        funding_sources="Port authority, region",
        links="https://example.org/port-days\nhttps://example.org/report",
        language="fr",
    )
    initiative.themes.set(Theme.objects.filter(slug__in=["education", "jobs-skills"]))
    initiative.goals.set(Goal.objects.filter(number__in=[5, 8]))
    initiative.audiences.set(Audience.objects.filter(slug="schools"))
    initiative.partners.set([OrganisationFactory(name="Maritime Academy")])
    return initiative


@pytest.mark.django_db
def test_initiative_page_shows_every_field_the_owner_filled(client, rich_initiative):
    html = client.get(rich_initiative.get_absolute_url()).content.decode()

    for text in [
        "Port days for schools",
        "Pupils visit the terminals.",
        "Young people do not know the port.",
        "Guided visits every spring.",
        "2,400 pupils in 2023.",
        "Two guides, one bus.",
        "Start with teachers.",
        "2019–2023",
        "Completed",
        "€50,000 – €250,000",
        "Port authority, region",
        "https://example.org/report",
        "Education",
        "Investing in human capital",
        "Port-city interface",
        "Schools",
        "Maritime Academy",
        rich_initiative.organisation.name,
        rich_initiative.port_city.name,
    ]:
        assert text in html, text


@pytest.mark.django_db
def test_initiative_page_says_which_language_the_text_is_written_in(client, rich_initiative):
    html = client.get(rich_initiative.get_absolute_url()).content.decode()
    assert "Written in French." in html
    assert '<article class="record record--initiative" lang="fr">' in html


@pytest.mark.django_db
def test_initiative_page_offers_the_translation_matching_the_interface_language(
    client, rich_initiative
):
    InitiativeTranslation.objects.create(
        initiative=rich_initiative,
        language="en",
        title="Port days for pupils (EN)",
        summary="English summary.",
    )
    InitiativeTranslation.objects.create(
        initiative=rich_initiative, language="es", title="Días del puerto", summary="Resumen."
    )

    english = client.get(rich_initiative.get_absolute_url()).content.decode()
    assert "Translation into English, provided by the record's owners" in english
    assert "Port days for pupils (EN)" in english
    assert "Días del puerto" not in english

    spanish = client.get(f"/es{rich_initiative.get_absolute_url()[3:]}").content.decode()
    assert "Días del puerto" in spanish
    assert "Port days for pupils (EN)" not in spanish


@pytest.mark.django_db
def test_no_translation_is_offered_when_the_text_is_already_in_the_interface_language(client):
    initiative = InitiativeFactory(language="en")
    InitiativeTranslation.objects.create(
        initiative=initiative, language="fr", title="Titre", summary="Résumé."
    )
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert 'class="translation"' not in html


@pytest.mark.django_db
def test_demo_and_stale_initiatives_are_flagged(client):
    initiative = InitiativeFactory(
        is_demo=True, last_reviewed=timezone.localdate() - timedelta(days=400)
    )
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert "demo record" in html
    assert "not reviewed for over a year" in html


@pytest.mark.django_db
def test_fresh_real_initiative_has_no_demo_or_stale_flag(client):
    html = client.get(InitiativeFactory().get_absolute_url()).content.decode()
    assert "demo record" not in html
    assert "not reviewed for over a year" not in html


@pytest.mark.django_db
def test_initiative_page_lists_its_attachments(client):
    initiative = InitiativeFactory()
    Attachment.objects.create(
        initiative=initiative,
        kind="document",
        title="Final report",
        file=ContentFile(b"%PDF-1.4", name="report.pdf"),
        size=8,
    )
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert "Images and documents" in html
    assert "Final report" in html


@pytest.mark.django_db
def test_initiative_open_graph_tags(client, rich_initiative, monkeypatch, settings):
    settings.SITE_URL = "https://portolan.example.org"
    Attachment.objects.create(
        initiative=rich_initiative,
        kind="image",
        title="Pupils on the quay",
        file=ContentFile(b"fake", name="quay.jpg"),
    )
    monkeypatch.setattr(
        portolan_public, "attachment_url", lambda attachment: f"/att/{attachment.pk}/"
    )

    html = client.get(rich_initiative.get_absolute_url()).content.decode()

    assert og(html, "title") == "Port days for schools"
    assert og(html, "type") == "article"
    assert og(html, "description") == "Pupils visit the terminals."
    assert og(html, "url") == f"https://portolan.example.org{rich_initiative.get_absolute_url()}"
    assert og(
        html,
        "image",
    ).startswith("https://portolan.example.org/att/")


@pytest.mark.django_db
def test_no_og_image_without_an_image(client):
    html = client.get(InitiativeFactory().get_absolute_url()).content.decode()
    assert og(html, "image") is None


@pytest.mark.django_db
def test_initiative_json_ld_is_a_creative_work(client, rich_initiative):
    html = client.get(rich_initiative.get_absolute_url()).content.decode()
    (data,) = jsonld_blocks(html)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "CreativeWork"
    assert data["name"] == "Port days for schools"
    assert data["inLanguage"] == "fr"
    assert data["creator"]["@type"] == "Organization"
    assert data["contributor"][0]["name"] == "Maritime Academy"
    assert data["spatialCoverage"]["@type"] == "Place"


@pytest.mark.django_db
def test_json_ld_escapes_markup_so_a_title_cannot_close_the_script(client):
    initiative = InitiativeFactory(title='Evil </script><script>alert("x")</script> & co')
    html = client.get(initiative.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert block is not None
    assert "<" not in block.group(1)
    assert json.loads(block.group(1))["name"] == initiative.title


@pytest.mark.django_db
def test_related_initiatives_share_the_port_city_or_a_theme(client):
    city = PortCityFactory()
    other_city = PortCityFactory()
    education = Theme.objects.get(slug="education")
    initiative = InitiativeFactory(port_city=city)
    initiative.themes.add(education)
    InitiativeFactory(title="Neighbour project", port_city=city)
    themed = InitiativeFactory(title="Themed project", port_city=other_city)
    themed.themes.add(education)
    InitiativeFactory(title="Unrelated project", port_city=other_city)
    InitiativeFactory(
        title="Neighbour draft", port_city=city, publication_status=PublicationStatus.DRAFT
    )

    html = client.get(initiative.get_absolute_url()).content.decode()

    assert "Neighbour project" in html
    assert "Themed project" in html
    assert "Unrelated project" not in html
    assert "Neighbour draft" not in html


# --- Drafts and permissions ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["draft", "submitted", "changes_requested", "rejected"])
def test_anonymous_visitor_gets_404_for_unpublished_initiative(client, status):
    initiative = InitiativeFactory(publication_status=status, title="Hidden work")
    response = client.get(initiative.get_absolute_url())
    assert response.status_code == 404
    assert "Hidden work" not in response.content.decode()


@pytest.mark.django_db
def test_member_of_another_organisation_gets_404_for_a_draft(client):
    initiative = InitiativeFactory(publication_status=PublicationStatus.DRAFT)
    client.force_login(MembershipFactory().user)
    assert client.get(initiative.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_owner_sees_own_draft_with_a_status_banner(client):
    membership = MembershipFactory()
    initiative = InitiativeFactory(
        organisation=membership.organisation, publication_status=PublicationStatus.SUBMITTED
    )
    client.force_login(membership.user)
    response = client.get(initiative.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Not public." in html
    assert "“Submitted”" in html


@pytest.mark.django_db
def test_staff_see_drafts_of_any_organisation(client):
    port_center = PortCenterFactory(publication_status=PublicationStatus.DRAFT)
    client.force_login(StaffFactory())
    response = client.get(port_center.get_absolute_url())
    assert response.status_code == 200
    assert "Not public." in response.content.decode()


@pytest.mark.django_db
def test_published_record_shows_no_status_banner_even_to_its_owner(client):
    membership = MembershipFactory()
    initiative = InitiativeFactory(organisation=membership.organisation)
    client.force_login(membership.user)
    assert "Not public." not in client.get(initiative.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_anonymous_visitor_gets_404_for_a_draft_port_center(client):
    port_center = PortCenterFactory(publication_status=PublicationStatus.DRAFT)
    assert client.get(port_center.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_unknown_slugs_give_404(client):
    for url in [
        "/en/catalogue/initiatives/nope/",
        "/en/catalogue/port-centers/nope/",
        "/en/catalogue/organisations/nope/",
    ]:
        assert client.get(url).status_code == 404


# --- Port Center pages --------------------------------------------------------------------------


@pytest.mark.django_db
def test_reference_port_center_shows_sources_and_admits_what_they_do_not_state(client):
    port_center = PortCenterFactory(
        name="Genoa Port Center",
        is_reference=True,
        opening_year=2009,
        surface_m2=500,
        operator_text="Province of Genoa and the Port Authority",
        sources="https://example.org/genoa\nhttps://example.org/press",
        visitors_per_year=None,
    )
    html = client.get(port_center.get_absolute_url()).content.decode()

    assert "2009" in html
    assert "500 m²" in html
    assert "Province of Genoa and the Port Authority" in html
    assert '<a href="https://example.org/genoa"' in html
    assert '<a href="https://example.org/press"' in html
    visitors = html.split("<dt>Visitors per year</dt>")[1].split("</dd>")[0]
    assert "not stated in the sources" in visitors


@pytest.mark.django_db
def test_member_written_port_center_leaves_empty_values_out(client):
    port_center = PortCenterFactory(is_reference=False, opening_year=None)
    html = client.get(port_center.get_absolute_url()).content.decode()
    assert "Opening year" not in html
    assert "not stated in the sources" not in html
    assert "Public sources" not in html


@pytest.mark.django_db
def test_port_center_page_shows_its_profile_fields(client):
    operator = OrganisationFactory(name="Port of Livorno")
    port_center = PortCenterFactory(
        governance_model="Run by the port authority",
        staff_fte="2.5",
        visitors_per_year=12000,
        visitors_year_of_figure=2019,
        offers=["boat_tours", "school_programmes"],
        languages="Italian, English",
        address="Fortezza Vecchia",
        website="https://portcenter.example.org",
        contact_email="info@portcenter.example.org",
        charter_signed_year=2014,
    )
    port_center.operators.add(operator)
    port_center.audiences.set(Audience.objects.filter(slug__in=["schools", "tourists"]))

    html = client.get(port_center.get_absolute_url()).content.decode()

    for text in [
        "Run by the port authority",
        "2.5",
        "12,000",
        "figure for 2019",
        "Boat tours",
        "School programmes",
        "Italian, English",
        "Fortezza Vecchia",
        "https://portcenter.example.org",
        "info@portcenter.example.org",
        "2014",
        "Port of Livorno",
        "Schools",
        "Tourists",
        "Open",
    ]:
        assert text in html, text


@pytest.mark.django_db
def test_port_center_json_ld_is_a_place_with_coordinates(client):
    city = PortCityFactory(name="Antwerp", country="BE", latitude=51.22, longitude=4.4)
    port_center = PortCenterFactory(organisation__port_city=city, is_reference=True)
    port_center.sources = "https://example.org/lillo"
    port_center.save()
    html = client.get(port_center.get_absolute_url()).content.decode()
    (data,) = jsonld_blocks(html)
    assert data["@type"] == "Place"
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 51.22, "longitude": 4.4}
    assert data["address"]["addressCountry"] == "BE"
    assert data["subjectOf"] == ["https://example.org/lillo"]
    assert "email" not in data  # empty values are left out


@pytest.mark.django_db
def test_port_center_page_has_a_map_that_works_without_javascript(client):
    port_center = PortCenterFactory(latitude=44.41, longitude=8.93)
    html = client.get(port_center.get_absolute_url()).content.decode()
    assert "44.410, 8.930" in html
    assert 'data-map-points="port-center-map-data"' in html
    assert og(html, "type") == "place"


@pytest.mark.django_db
def test_port_center_links_to_operators_and_related_initiatives(client):
    operator = OrganisationFactory(name="Harbour Trust")
    port_center = PortCenterFactory()
    port_center.operators.add(operator)
    InitiativeFactory(title="Quay festival", port_city=port_center.port_city)
    html = client.get(port_center.get_absolute_url()).content.decode()
    assert f'href="{operator.get_absolute_url()}"' in html
    assert "Quay festival" in html


# --- Organisation pages -------------------------------------------------------------------------


@pytest.mark.django_db
def test_organisation_page_lists_its_published_records(client):
    organisation = OrganisationFactory(name="Port of Bilbao", website="https://bilbao.example")
    InitiativeFactory(organisation=organisation, title="Open port day")
    InitiativeFactory(
        organisation=organisation, title="Unfinished", publication_status=PublicationStatus.DRAFT
    )
    partnered = InitiativeFactory(title="Joint exhibition")
    partnered.partners.add(organisation)
    operated = PortCenterFactory(name="Bilbao Port Center")
    operated.operators.add(organisation)

    html = client.get(organisation.get_absolute_url()).content.decode()

    assert "Port of Bilbao" in html
    assert "Port authority" in html
    assert "Open port day" in html
    assert "Joint exhibition" in html
    assert "Bilbao Port Center" in html
    assert "Unfinished" not in html


@pytest.mark.django_db
def test_organisation_json_ld_is_an_organization(client):
    organisation = OrganisationFactory(name="Port of Ashdod", website="https://ashdod.example")
    html = client.get(organisation.get_absolute_url()).content.decode()
    (data,) = jsonld_blocks(html)
    assert data["@type"] == "Organization"
    assert data["name"] == "Port of Ashdod"
    assert data["sameAs"] == "https://ashdod.example"
    assert og(html, "title") == "Port of Ashdod"


@pytest.mark.django_db
def test_demo_organisation_is_flagged(client):
    organisation = OrganisationFactory(is_demo=True)
    assert "demo record" in client.get(organisation.get_absolute_url()).content.decode()


# --- Catalogue index ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_catalogue_index_filters_port_centers_by_status_and_country(client):
    italy = PortCityFactory(country="IT")
    PortCenterFactory(name="Open Italian", status="open", organisation__port_city=italy)
    PortCenterFactory(name="Planned Italian", status="project", organisation__port_city=italy)
    PortCenterFactory(name="Open French", status="open")

    html = client.get("/en/catalogue/?status=open&country=IT").content.decode()

    assert "Open Italian" in html
    assert "Planned Italian" not in html
    assert "Open French" not in html
    assert "Clear filters" in html


@pytest.mark.django_db
def test_catalogue_index_explains_bad_filters_instead_of_failing(client):
    PortCenterFactory(name="Still listed")
    response = client.get("/en/catalogue/?status=sunk&country=ZZ&page=abc")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert "Still listed" in html


@pytest.mark.django_db
def test_catalogue_index_paginates_and_keeps_filters_in_page_links(client):
    owner = OrganisationFactory()
    PortCenterFactory.create_batch(25, organisation=owner, status="open")
    html = client.get("/en/catalogue/?status=open").content.decode()
    assert "Page 1 of 2" in html
    assert 'href="?status=open&amp;page=2"' in html
    second = client.get("/en/catalogue/?status=open&page=2").content.decode()
    assert second.count('class="card card--port-center"') == 5


@pytest.mark.django_db
def test_catalogue_index_hides_unpublished_port_centers(client):
    PortCenterFactory(name="Draft center", publication_status=PublicationStatus.DRAFT)
    assert "Draft center" not in client.get("/en/catalogue/").content.decode()


# --- Constant query counts ----------------------------------------------------------------------


def _initiative_with_relations(size: int):
    city = PortCityFactory()
    initiative = InitiativeFactory(port_city=city)
    initiative.themes.set(Theme.objects.all()[:size] if size < 14 else Theme.objects.all())
    initiative.goals.set(Goal.objects.all()[: min(size, 10)])
    initiative.audiences.set(Audience.objects.all()[: min(size, 8)])
    initiative.partners.set(OrganisationFactory.create_batch(size, port_city=city))
    for n in range(size):
        InitiativeFactory(port_city=city, organisation=initiative.organisation)
        InitiativeTranslation.objects.create(
            initiative=initiative,
            language=["fr", "es", "it", "pt", "nl", "de"][n % 6],
            title=f"T{n}",
            summary="S",
        ) if n < 6 else None
        Attachment.objects.create(
            initiative=initiative,
            kind="document",
            title=f"Doc {n}",
            file=ContentFile(b"%PDF", name=f"d{n}.pdf"),
        )
    PortCenterFactory.create_batch(min(size, 3), organisation__port_city=city)
    return initiative


@pytest.mark.django_db
@pytest.mark.parametrize("size", [2, 20])
def test_initiative_page_query_count_does_not_grow_with_relations(
    client, django_assert_num_queries, size
):
    initiative = _initiative_with_relations(size)
    # The vocabulary is read once per process and content generation: by another page here.
    assert client.get(InitiativeFactory().get_absolute_url()).status_code == 200
    # initiative + 3 prefetches + vocabulary links + same city + same themes + Port Centers
    with django_assert_num_queries(8):
        assert client.get(initiative.get_absolute_url()).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("size", [2, 20])
def test_port_center_page_query_count_does_not_grow_with_relations(
    client, django_assert_num_queries, size
):
    city = PortCityFactory()
    port_center = PortCenterFactory(organisation__port_city=city)
    port_center.operators.set(OrganisationFactory.create_batch(size))
    port_center.audiences.set(Audience.objects.all()[: min(size, 8)])
    for n in range(size):
        Attachment.objects.create(
            port_center=port_center,
            kind="document",
            title=f"Doc {n}",
            file=ContentFile(b"%PDF", name=f"d{n}.pdf"),
        )
        InitiativeFactory(port_city=city)
        PortCenterFactory(organisation__port_city=PortCityFactory(country="FR"))
    # Port Center + 3 prefetches + initiatives in the city + Port Centers in the country
    with django_assert_num_queries(6):
        assert client.get(port_center.get_absolute_url()).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("size", [2, 20])
def test_organisation_page_query_count_does_not_grow_with_records(
    client, django_assert_num_queries, size
):
    organisation = OrganisationFactory()
    InitiativeFactory.create_batch(size, organisation=organisation)
    for initiative in InitiativeFactory.create_batch(size):
        initiative.partners.add(organisation)
    for port_center in PortCenterFactory.create_batch(size):
        port_center.operators.add(organisation)
    # organisation + led initiatives (+ their total when the list is full) + partner + Port Centers
    expected = 5 if size >= 20 else 4
    with django_assert_num_queries(expected):
        assert client.get(organisation.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_port_center_model_point_falls_back_to_the_city():
    city = PortCityFactory(latitude=1.5, longitude=2.5)
    port_center = PortCenterFactory(organisation__port_city=city)
    assert PortCenter.objects.get(pk=port_center.pk).point == (1.5, 2.5)


@pytest.mark.django_db
def test_owner_gets_edit_and_history_links_visitors_do_not(client):
    membership = MembershipFactory()
    initiative = InitiativeFactory(organisation=membership.organisation, slug="quay-days")
    edit_link = 'href="/en/catalogue/editor/initiatives/quay-days/edit/"'

    assert edit_link not in client.get(initiative.get_absolute_url()).content.decode()

    client.force_login(membership.user)
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert edit_link in html
    assert 'href="/en/catalogue/editor/initiatives/quay-days/history/"' in html


@pytest.mark.django_db
def test_port_center_owner_gets_an_edit_link(client):
    membership = MembershipFactory()
    port_center = PortCenterFactory(organisation=membership.organisation, slug="lillo")
    client.force_login(membership.user)
    html = client.get(port_center.get_absolute_url()).content.decode()
    assert 'href="/en/catalogue/editor/port-centers/lillo/edit/"' in html


@pytest.mark.django_db
def test_initiative_themes_and_goals_link_to_a_filtered_search(client, rich_initiative):
    html = client.get(rich_initiative.get_absolute_url()).content.decode()
    assert 'href="/en/search/?type=initiative&amp;theme=education"' in html
    assert 'href="/en/search/?type=initiative&amp;goal=8"' in html
    assert 'href="/en/search/?type=initiative&amp;audience=schools"' in html


@pytest.mark.django_db
def test_drafts_shown_to_owners_are_kept_out_of_search_engines(client):
    membership = MembershipFactory()
    draft = InitiativeFactory(
        organisation=membership.organisation, publication_status=PublicationStatus.DRAFT
    )
    client.force_login(membership.user)
    assert (
        '<meta name="robots" content="noindex">'
        in client.get(draft.get_absolute_url()).content.decode()
    )
    draft.publication_status = PublicationStatus.PUBLISHED
    draft.save()
    assert (
        '<meta name="robots" content="noindex">'
        not in client.get(draft.get_absolute_url()).content.decode()
    )
