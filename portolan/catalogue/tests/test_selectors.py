import pytest

from portolan.catalogue import selectors
from portolan.catalogue.models import InitiativeTranslation, PublicationStatus
from portolan.core.models import Theme
from portolan.places.models import PortCity
from portolan.testing.factories import (
    InitiativeFactory,
    OrganisationFactory,
    PortCenterFactory,
    PortCityFactory,
)


@pytest.mark.django_db
def test_network_stats_count_published_records_and_distinct_countries():
    france = PortCityFactory(country="FR")
    PortCityFactory(country="FR")
    PortCityFactory(country="ES")
    owner = OrganisationFactory(port_city=france)
    PortCenterFactory(organisation=owner)
    PortCenterFactory(organisation=owner, publication_status=PublicationStatus.REJECTED)
    InitiativeFactory(organisation=owner)
    InitiativeFactory(organisation=owner, publication_status=PublicationStatus.DRAFT)

    assert selectors.network_stats() == {
        "port_centers": 1,
        "initiatives": 1,
        "organisations": 1,
        "port_cities": 3,
        "countries": 2,
    }


@pytest.mark.django_db
def test_network_stats_are_cached_until_a_write_commits(django_capture_on_commit_callbacks):
    assert selectors.network_stats()["initiatives"] == 0
    with django_capture_on_commit_callbacks() as callbacks:
        InitiativeFactory()
    assert selectors.network_stats()["initiatives"] == 0  # not committed yet
    for callback in callbacks:
        callback()
    assert selectors.network_stats()["initiatives"] == 1


@pytest.mark.django_db
def test_latest_initiatives_are_newest_first_and_published_only():
    older = InitiativeFactory()
    newer = InitiativeFactory()
    InitiativeFactory(publication_status=PublicationStatus.DRAFT)
    assert selectors.latest_initiatives(5) == [newer, older]


@pytest.mark.django_db
def test_detail_selectors_return_drafts_so_the_view_can_apply_permissions():
    draft = InitiativeFactory(publication_status=PublicationStatus.DRAFT)
    assert selectors.initiative_for_detail(draft.slug) == draft
    assert selectors.initiative_for_detail("missing") is None


@pytest.mark.django_db
def test_related_initiatives_exclude_the_record_itself_and_drafts():
    city = PortCityFactory()
    theme = Theme.objects.get(slug="heritage")
    initiative = InitiativeFactory(port_city=city)
    initiative.themes.add(theme)
    neighbour = InitiativeFactory(port_city=city)
    neighbour.themes.add(theme)
    far_away = InitiativeFactory()
    far_away.themes.add(theme)
    InitiativeFactory(port_city=city, publication_status=PublicationStatus.DRAFT)

    related = selectors.initiative_related(selectors.initiative_for_detail(initiative.slug))

    assert related.same_city == [neighbour]
    # A record already listed under the same city is not repeated under the same themes.
    assert related.same_themes == [far_away]


@pytest.mark.django_db
def test_translation_for_picks_the_interface_language_only_when_the_text_is_not_in_it():
    initiative = InitiativeFactory(language="fr")
    english = InitiativeTranslation.objects.create(
        initiative=initiative, language="en", title="T", summary="S"
    )
    loaded = selectors.initiative_for_detail(initiative.slug)
    assert selectors.translation_for(loaded, "en") == english
    assert selectors.translation_for(loaded, "en-gb") == english
    assert selectors.translation_for(loaded, "fr") is None
    assert selectors.translation_for(loaded, "es") is None


@pytest.mark.django_db
def test_organisation_records_include_operated_and_owned_port_centers_once():
    organisation = OrganisationFactory()
    owned = PortCenterFactory(organisation=organisation)
    owned.operators.add(organisation)
    operated = PortCenterFactory()
    operated.operators.add(organisation)
    PortCenterFactory()

    records = selectors.organisation_records(organisation)

    assert sorted(pc.pk for pc in records.port_centers) == sorted([owned.pk, operated.pk])


@pytest.mark.django_db
def test_organisation_records_count_all_led_initiatives_beyond_the_list_limit():
    organisation = OrganisationFactory()
    InitiativeFactory.create_batch(selectors.ORGANISATION_LIST_LIMIT + 3, organisation=organisation)
    records = selectors.organisation_records(organisation)
    assert len(records.initiatives) == selectors.ORGANISATION_LIST_LIMIT
    assert records.initiative_count == selectors.ORGANISATION_LIST_LIMIT + 3


@pytest.mark.django_db
def test_map_points_use_own_coordinates_or_the_port_city():
    city = PortCityFactory(name="Bilbao", latitude=43.26, longitude=-2.93)
    PortCenterFactory(name="A", organisation__port_city=city)
    PortCenterFactory(name="B", organisation__port_city=city, latitude=43.3, longitude=-3.0)
    PortCenterFactory(name="C", publication_status=PublicationStatus.DRAFT)

    points = selectors.port_center_map_points()

    assert [(p["name"], p["lat"], p["lon"], p["city"]) for p in points] == [
        ("A", 43.26, -2.93, "Bilbao"),
        ("B", 43.3, -3.0, "Bilbao"),
    ]


@pytest.mark.django_db
def test_port_center_url_prefix_builds_detail_urls():
    port_center = PortCenterFactory()
    prefix = selectors.port_center_url_prefix()
    assert f"{prefix}{port_center.slug}/" == port_center.get_absolute_url()


@pytest.mark.django_db
def test_port_center_page_filters_by_status_and_country():
    italy = PortCityFactory(country="IT")
    match = PortCenterFactory(status="open", organisation__port_city=italy)
    PortCenterFactory(status="closed", organisation__port_city=italy)
    PortCenterFactory(status="open")
    page = selectors.port_center_page(status="open", country="IT")
    assert list(page.object_list) == [match]
    assert selectors.port_center_filter_countries() == ["FR", "IT"]


@pytest.mark.django_db
def test_city_rows_count_published_records_per_city():
    city = PortCityFactory()
    empty = PortCityFactory()
    owner = OrganisationFactory(port_city=city)
    PortCenterFactory(organisation=owner)
    InitiativeFactory.create_batch(2, organisation=owner)
    InitiativeFactory(organisation=owner, publication_status=PublicationStatus.DRAFT)

    counted = {
        row.city.pk: (row.port_centers, row.initiatives)
        for row in selectors.city_rows(PortCity.objects.all())
    }

    assert counted[city.pk] == (1, 2)
    assert counted[empty.pk] == (0, 0)


@pytest.mark.django_db
def test_port_city_records_list_published_records_of_the_city():
    city = PortCityFactory()
    owner = OrganisationFactory(port_city=city)
    port_center = PortCenterFactory(organisation=owner)
    initiative = InitiativeFactory(organisation=owner)
    InitiativeFactory(organisation=owner, publication_status=PublicationStatus.SUBMITTED)

    records = selectors.port_city_records(city)

    assert records.port_centers == [port_center]
    assert records.initiatives == [initiative]
    assert records.initiative_count == 1
    assert records.organisations == [owner]


@pytest.mark.django_db
def test_related_lists_are_cached_until_the_record_changes(django_assert_num_queries):
    city = PortCityFactory()
    initiative = InitiativeFactory(port_city=city)
    loaded = selectors.initiative_for_detail(initiative.slug)
    assert selectors.initiative_related(loaded).same_city == []

    neighbour = InitiativeFactory(port_city=city)
    with django_assert_num_queries(0):
        assert selectors.initiative_related(loaded).same_city == []

    initiative.save()  # a new version of the record gets fresh lists
    reloaded = selectors.initiative_for_detail(initiative.slug)
    assert selectors.initiative_related(reloaded).same_city == [neighbour]


@pytest.mark.django_db
def test_home_records_are_cached_until_a_write_commits(django_capture_on_commit_callbacks):
    assert selectors.home_records()["latest_initiatives"] == []
    with django_capture_on_commit_callbacks() as callbacks:
        InitiativeFactory()
    assert selectors.home_records()["latest_initiatives"] == []
    for callback in callbacks:
        callback()
    assert len(selectors.home_records()["latest_initiatives"]) == 1
