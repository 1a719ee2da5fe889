"""Where a record is on a map, and how precisely: the one rule every output shares.

A Port Center has its own coordinates when an editor entered them (`"address"` precision);
otherwise it is shown at its port city's point (`"city"`). Initiatives, organisations and port
cities are only ever placed at a city's point (`"city"`). No point at all gives `None`.
Exports (CSV, XLSX, JSON, GeoJSON), JSON-LD and the API state this as `location_precision`, so a
reader never mistakes a city centre for a street address."""

from __future__ import annotations

from typing import Any, NamedTuple

ADDRESS = "address"
CITY = "city"


class Location(NamedTuple):
    latitude: float | None
    longitude: float | None
    precision: str | None


NOWHERE = Location(None, None, None)


def locate(
    latitude: float | None,
    longitude: float | None,
    city_latitude: float | None = None,
    city_longitude: float | None = None,
) -> Location:
    """The record's own point when it has both coordinates, else its city's, else none."""
    if latitude is not None and longitude is not None:
        return Location(latitude, longitude, ADDRESS)
    if city_latitude is not None and city_longitude is not None:
        return Location(city_latitude, city_longitude, CITY)
    return NOWHERE


def record_location(record: Any) -> Location:
    """`locate` for a model instance: a Port Center (own coordinates, then its port city's), a
    port city (its own point, a city-level one), or anything with a `port_city`."""
    if record._meta.model_name == "portcity":
        return locate(None, None, record.latitude, record.longitude)
    city = getattr(record, "port_city", None)
    city_point = (city.latitude, city.longitude) if city is not None else (None, None)
    if record._meta.model_name == "portcenter":
        return locate(record.latitude, record.longitude, *city_point)
    return locate(None, None, *city_point)
