from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from portolan.places import geodata
from portolan.places.models import PortCity
from portolan.places.services import port_city_add

pytestmark = pytest.mark.django_db


def test_port_city_add_fills_coordinates_region_and_geonameid():
    city = port_city_add(name="valparaiso", country="cl")
    assert city.name == "Valparaíso"
    assert city.country == "CL"
    assert city.region == "SA"
    assert city.latitude == pytest.approx(-33.04, abs=0.05)
    assert city.geonameid is not None
    assert city.slug == "valparaiso-cl"
    assert not city.is_demo


def test_port_city_add_is_idempotent():
    first = port_city_add(name="Bilbao", country="ES")
    again = port_city_add(name="bilbao", country="es")
    assert again.pk == first.pk
    assert PortCity.objects.count() == 1


def test_port_city_add_unknown_city_gives_a_clear_error_and_writes_nothing():
    with pytest.raises(ValidationError, match="No city called"):
        port_city_add(name="Atlantis Nowhere", country="FR")
    assert not PortCity.objects.exists()


def test_port_city_add_rejects_a_bad_country_code():
    with pytest.raises(ValidationError, match="ISO 3166"):
        port_city_add(name="Genoa", country="Italy")
    with pytest.raises(ValidationError, match="name"):
        port_city_add(name="  ", country="IT")


def test_port_city_add_ambiguous_name_lists_choices_and_geonameid_picks_one():
    with pytest.raises(ValidationError, match="GeoNames id"):
        port_city_add(name="Springfield", country="US")
    choice = geodata.candidates("Springfield", "US")[1]
    city = port_city_add(name="Springfield", country="US", geonameid=choice.geonameid)
    assert city.geonameid == choice.geonameid


def test_overseas_city_is_stored_under_france():
    city = port_city_add(name="Le Port", country="FR")
    assert city.country == "FR"
    assert city.region == "AF"
