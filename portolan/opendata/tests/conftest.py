import pytest
from django.core.cache import cache

from portolan.core.models import Theme
from portolan.search import services as search_services
from portolan.testing.factories import (
    InitiativeFactory,
    OrganisationFactory,
    PortCenterFactory,
    PortCityFactory,
)


@pytest.fixture(autouse=True)
def _empty_cache():
    # Sitemaps are cached per URL; every test starts from an empty cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def catalogue(db):
    """A small published catalogue in two regions, indexed for search."""
    havre = PortCityFactory(name="Le Havre", slug="le-havre", country="FR", region="EU")
    montreal = PortCityFactory(
        name="Montreal", slug="montreal", country="CA", region="NA", latitude=45.5, longitude=-73.55
    )
    org = OrganisationFactory(name="Havre Port Authority", slug="havre-pa", port_city=havre)
    org_mtl = OrganisationFactory(name="Port de Montreal", slug="port-mtl", port_city=montreal)
    education = Theme.objects.get(slug="education")
    school = InitiativeFactory(
        title="Harbour school days",
        slug="harbour-school-days",
        organisation=org,
        summary='=HYPERLINK("x") pupils visit the port',
    )
    school.themes.add(education)
    cruise = InitiativeFactory(title="Cruise welcome", slug="cruise-welcome", organisation=org_mtl)
    draft = InitiativeFactory(
        title="Secret draft",
        slug="secret-draft",
        organisation=org,
        publication_status="draft",
        published_at=None,
    )
    center = PortCenterFactory(name="Le Havre Port Center", slug="lh-pc", organisation=org)
    search_services.rebuild_index()
    return {
        "havre": havre,
        "montreal": montreal,
        "org": org,
        "school": school,
        "cruise": cruise,
        "draft": draft,
        "center": center,
    }
