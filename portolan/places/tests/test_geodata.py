"""GeoNames look-ups (no database)."""

from __future__ import annotations

import pytest

from portolan.places import geodata


def test_normalise_ignores_accents_case_and_punctuation():
    assert geodata.normalise("Pointe-à-Pitre") == "pointe a pitre"
    assert geodata.normalise("  GÉNOVA ") == "genova"


def test_finds_city_by_main_name_with_coordinates_and_population():
    city = geodata.find_city("Le Havre", "FR")
    assert city.name == "Le Havre"
    assert city.region == "EU"
    assert city.latitude == pytest.approx(49.49, abs=0.05)
    assert city.longitude == pytest.approx(0.11, abs=0.05)
    assert city.geonameid > 0
    assert city.population > 100_000


def test_finds_city_without_accents_and_in_other_case():
    assert geodata.find_city("montreal", "ca").name == "Montréal"
    assert geodata.find_city("VALPARAISO", "CL").name == "Valparaíso"


def test_finds_city_by_alternate_name():
    assert geodata.find_city("Genova", "IT").name == "Genoa"
    assert geodata.find_city("Antwerpen", "BE").name == "Antwerp"


def test_overseas_french_city_keeps_france_but_takes_its_own_region():
    city = geodata.find_city("Pointe-a-Pitre", "FR")
    assert city.country == "FR"
    assert city.geonames_country == "GP"
    assert city.region == "NA"
    assert geodata.find_city("Le Port", "FR").region == "AF"


def test_a_much_bigger_namesake_wins():
    assert geodata.find_city("Houston", "US").population > 1_000_000


def test_same_sized_namesakes_are_ambiguous():
    with pytest.raises(geodata.AmbiguousCity) as excinfo:
        geodata.find_city("Springfield", "US")
    assert len(excinfo.value.candidates) > 1


def test_unknown_city_and_unknown_country_are_not_found():
    with pytest.raises(geodata.CityNotFound):
        geodata.find_city("Atlantis Nowhere", "FR")
    with pytest.raises(geodata.CityNotFound):
        geodata.find_city("Paris", "ZZ")
    assert geodata.candidates("", "FR") == []


def test_region_comes_from_the_country_continent():
    assert geodata.region_of("cl") == "SA"
    assert geodata.region_of("AU") == "OC"
    assert geodata.region_of("ZZ") == ""


def test_city_by_geonameid():
    city = geodata.city_by_geonameid(geodata.find_city("Genoa", "IT").geonameid)
    assert city.name == "Genoa"
    with pytest.raises(geodata.CityNotFound):
        geodata.city_by_geonameid(1)
