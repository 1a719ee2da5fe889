"""The search documents of the four public record types the catalogue shows (initiatives, Port
Centers, organisations, port cities), registered with `portolan.core.registry` by `records.py`;
the search app reads them through the registry and never imports the catalogue.

Records are read in primary-key batches with `values()` and their many-to-many relations fetched
per batch, so indexing 100,000 initiatives costs a few queries per thousand records and no model
instances. Only public records are yielded: initiatives and Port Centers when published,
organisations and port cities always (they have no publication workflow)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils import translation
from django_countries import countries

from portolan.accounts.models import Organisation, OrganisationKind
from portolan.core.models import Audience, Goal, Theme
from portolan.core.registry import SearchDocument
from portolan.places.models import PortCity, Region

from .models import (
    Initiative,
    InitiativeTranslation,
    Offer,
    PortCenter,
    PublicationStatus,
)

BODY_LIMIT = 6000


def _in_all_languages(value: Any, cache: dict[str, str], key: str) -> str:
    """A translatable label in the three UI languages, so "Espagne", "España" and "Spain" all
    find Spain."""
    if key not in cache:
        names: list[str] = []
        for lang in ("en", "fr", "es"):
            with translation.override(lang):
                name = str(value(key) if callable(value) else value)
            if name and name not in names:
                names.append(name)
        cache[key] = " ".join(names)
    return cache[key]


class _Lookups:
    """Small tables read once per indexing run; cities and organisations read per batch."""

    def __init__(self) -> None:
        self.cities: dict[int, dict[str, Any]] = {}
        self.organisations: dict[int, dict[str, Any]] = {}
        self.themes = dict(Theme.objects.values_list("id", "slug"))
        self.goals = dict(Goal.objects.values_list("id", "number"))
        self.audiences = dict(Audience.objects.values_list("id", "slug"))
        self.kind_labels = dict(OrganisationKind.choices)
        self.region_labels = dict(Region.choices)
        self.label_cache: dict[str, str] = {}

    def load(self, city_ids: Iterable[int | None], organisation_ids: Iterable[int | None]) -> None:
        wanted_cities = {i for i in city_ids if i and i not in self.cities}
        if wanted_cities:
            for row in PortCity.objects.filter(id__in=wanted_cities).values(
                "id", "name", "country", "region", "latitude", "longitude"
            ):
                self.cities[row["id"]] = dict(row)
        wanted_orgs = {i for i in organisation_ids if i and i not in self.organisations}
        if wanted_orgs:
            for org in Organisation.objects.filter(id__in=wanted_orgs).values("id", "name", "kind"):
                self.organisations[org["id"]] = dict(org)

    def city(self, city_id: int | None) -> dict[str, Any]:
        return self.cities.get(city_id, {}) if city_id else {}

    def country_text(self, code: str) -> str:
        return _in_all_languages(countries.name, self.label_cache, code) if code else ""

    def place_text(self, city: dict[str, Any]) -> str:
        if not city:
            return ""
        return f"{city['name']} {self.country_text(str(city['country']))}"

    def label_text(self, labels: dict[str, Any], key: str) -> str:
        if key not in labels:
            return ""
        return _in_all_languages(labels[key], self.label_cache, f"label:{key}")


def _batches(
    ids: list[int] | None, queryset: Any, batch_size: int, *, published_only: bool = False
) -> Iterator[list[dict]]:
    """Rows in primary-key batches. The publication status is checked here rather than in SQL:
    with it in the WHERE clause, databases pick the status index and sort every batch."""

    def keep(rows: list[dict]) -> list[dict]:
        if not published_only:
            return rows
        return [row for row in rows if row["publication_status"] == PublicationStatus.PUBLISHED]

    if ids is not None:
        for start in range(0, len(ids), batch_size):
            chunk = ids[start : start + batch_size]
            kept = keep(list(queryset.filter(pk__in=chunk).order_by("pk")))
            if kept:
                yield kept
        return
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk")[:batch_size])
        if not rows:
            return
        last = rows[-1]["id"]
        kept = keep(rows)
        if kept:
            yield kept


def _linked(
    through: Any, owner: str, target: str, ids: list[int], names: dict[int, Any], missing: Any
) -> dict[int, list[Any]]:
    """{record id: [name of each linked vocabulary term]} for a batch, from a through table."""
    found: dict[int, list[Any]] = defaultdict(list)
    for record_id, term_id in through.objects.filter(**_between(owner, ids)).values_list(
        owner, target
    ):
        found[record_id].append(names.get(term_id, missing))
    return found


def _between(field_name: str, ids: list[int]) -> dict[str, Any]:
    """A filter for the rows of a batch of sorted ids. A dense batch becomes a range, much
    cheaper to build and run than a long IN list (rows of records outside the batch are
    ignored by the caller's dict lookups); a sparse one stays an IN list."""
    if ids[-1] - ids[0] < 4 * len(ids):
        return {f"{field_name}__gte": ids[0], f"{field_name}__lte": ids[-1]}
    return {f"{field_name}__in": ids}


def _join(*parts: Any) -> str:
    return "\n".join(str(p) for p in parts if p)[:BODY_LIMIT]


def _initiatives(
    ids: list[int] | None, lookups: _Lookups, batch_size: int
) -> Iterator[SearchDocument]:
    queryset = Initiative.objects.values(
        "id",
        "is_demo",
        "publication_status",
        "slug",
        "title",
        "summary",
        "context",
        "actions",
        "results",
        "resources",
        "lessons",
        "funding_sources",
        "language",
        "status",
        "start_year",
        "end_year",
        "published_at",
        "port_city_id",
        "organisation_id",
    )
    for rows in _batches(ids, queryset, batch_size, published_only=True):
        batch_ids = [row["id"] for row in rows]
        lookups.load(
            (row["port_city_id"] for row in rows), (row["organisation_id"] for row in rows)
        )
        partner_rows = list(
            Initiative.partners.through.objects.filter(
                **_between("initiative_id", batch_ids)
            ).values_list("initiative_id", "organisation_id")
        )
        lookups.load((), (oid for _, oid in partner_rows))
        owner = "initiative_id"
        themes = _linked(
            Initiative.themes.through, owner, "theme_id", batch_ids, lookups.themes, ""
        )
        goals = _linked(Initiative.goals.through, owner, "goal_id", batch_ids, lookups.goals, 0)
        audiences = _linked(
            Initiative.audiences.through, owner, "audience_id", batch_ids, lookups.audiences, ""
        )
        partners: dict[int, list[str]] = defaultdict(list)
        for rid, oid in partner_rows:
            partners[rid].append(str(lookups.organisations.get(oid, {}).get("name", "")))
        translations: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
        for rid, lang, title, summary in (
            InitiativeTranslation.objects.filter(**_between("initiative_id", batch_ids))
            .order_by("language")
            .values_list("initiative_id", "language", "title", "summary")
        ):
            translations[rid].append((lang, title, summary))
        for row in rows:
            city = lookups.city(row["port_city_id"])
            organisation = lookups.organisations.get(row["organisation_id"], {})
            yield SearchDocument(
                record_type="initiative",
                record_id=row["id"],
                is_demo=bool(row["is_demo"]),
                slug=row["slug"],
                title=row["title"],
                summary=row["summary"],
                body=_join(
                    lookups.place_text(city),
                    organisation.get("name"),
                    " ".join(partners[row["id"]]),
                    row["funding_sources"],
                    row["context"],
                    row["actions"],
                    row["results"],
                    row["resources"],
                    row["lessons"],
                ),
                language=row["language"],
                translations=translations[row["id"]],
                place=str(city.get("name", "")),
                port_city_id=row["port_city_id"],
                organisation_id=row["organisation_id"],
                region=str(city.get("region", "")),
                country=str(city.get("country", "")),
                kind=str(organisation.get("kind", "")),
                status=row["status"],
                themes=tuple(sorted(t for t in themes[row["id"]] if t)),
                goals=tuple(sorted(g for g in goals[row["id"]] if g)),
                audiences=tuple(sorted(a for a in audiences[row["id"]] if a)),
                year=row["start_year"],
                year_end=row["end_year"],
                published_at=row["published_at"],
                latitude=city.get("latitude"),
                longitude=city.get("longitude"),
            )


def _port_centers(
    ids: list[int] | None, lookups: _Lookups, batch_size: int
) -> Iterator[SearchDocument]:
    queryset = PortCenter.objects.values(
        "id",
        "is_demo",
        "publication_status",
        "slug",
        "name",
        "description",
        "operator_text",
        "governance_model",
        "address",
        "offers",
        "languages",
        "status",
        "opening_year",
        "published_at",
        "port_city_id",
        "organisation_id",
        "latitude",
        "longitude",
    )
    offer_labels = dict(Offer.choices)
    for rows in _batches(ids, queryset, batch_size, published_only=True):
        batch_ids = [row["id"] for row in rows]
        lookups.load(
            (row["port_city_id"] for row in rows), (row["organisation_id"] for row in rows)
        )
        operator_rows = list(
            PortCenter.operators.through.objects.filter(
                **_between("portcenter_id", batch_ids)
            ).values_list("portcenter_id", "organisation_id")
        )
        lookups.load((), (oid for _, oid in operator_rows))
        audiences = _linked(
            PortCenter.audiences.through,
            "portcenter_id",
            "audience_id",
            batch_ids,
            lookups.audiences,
            "",
        )
        operators: dict[int, list[str]] = defaultdict(list)
        for rid, oid in operator_rows:
            operators[rid].append(str(lookups.organisations.get(oid, {}).get("name", "")))
        for row in rows:
            city = lookups.city(row["port_city_id"])
            organisation = lookups.organisations.get(row["organisation_id"], {})
            offers = row["offers"] if isinstance(row["offers"], list) else []
            lat, lon = row["latitude"], row["longitude"]
            if lat is None or lon is None:
                lat, lon = city.get("latitude"), city.get("longitude")
            yield SearchDocument(
                record_type="port_center",
                record_id=row["id"],
                is_demo=bool(row["is_demo"]),
                slug=row["slug"],
                title=row["name"],
                summary=row["description"],
                body=_join(
                    lookups.place_text(city),
                    organisation.get("name"),
                    " ".join(operators[row["id"]]),
                    row["operator_text"],
                    row["governance_model"],
                    row["address"],
                    " ".join(str(offer_labels.get(o, "")) for o in offers if isinstance(o, str)),
                    row["languages"],
                ),
                place=str(city.get("name", "")),
                port_city_id=row["port_city_id"],
                organisation_id=row["organisation_id"],
                region=str(city.get("region", "")),
                country=str(city.get("country", "")),
                kind=str(organisation.get("kind", "")),
                status=row["status"],
                audiences=tuple(sorted(a for a in audiences[row["id"]] if a)),
                year=row["opening_year"],
                published_at=row["published_at"],
                latitude=lat,
                longitude=lon,
            )


def _organisations(
    ids: list[int] | None, lookups: _Lookups, batch_size: int
) -> Iterator[SearchDocument]:
    queryset = Organisation.objects.values(
        "id", "slug", "name", "kind", "description", "port_city_id", "created_at", "is_demo"
    )
    for rows in _batches(ids, queryset, batch_size):
        lookups.load((row["port_city_id"] for row in rows), ())
        for row in rows:
            city = lookups.city(row["port_city_id"])
            yield SearchDocument(
                record_type="organisation",
                record_id=row["id"],
                is_demo=bool(row["is_demo"]),
                slug=row["slug"],
                title=row["name"],
                summary=row["description"],
                body=_join(
                    lookups.place_text(city), lookups.label_text(lookups.kind_labels, row["kind"])
                ),
                place=str(city.get("name", "")),
                port_city_id=row["port_city_id"],
                organisation_id=row["id"],
                region=str(city.get("region", "")),
                country=str(city.get("country", "")),
                kind=row["kind"],
                published_at=row["created_at"],
                latitude=city.get("latitude"),
                longitude=city.get("longitude"),
            )


def _port_cities(
    ids: list[int] | None, lookups: _Lookups, batch_size: int
) -> Iterator[SearchDocument]:
    queryset = PortCity.objects.values(
        "id",
        "slug",
        "name",
        "country",
        "region",
        "latitude",
        "longitude",
        "created_at",
        "is_demo",
    )
    for rows in _batches(ids, queryset, batch_size):
        for row in rows:
            country = str(row["country"])
            yield SearchDocument(
                record_type="port_city",
                record_id=row["id"],
                is_demo=bool(row["is_demo"]),
                slug=row["slug"],
                title=row["name"],
                body=_join(
                    lookups.country_text(country),
                    lookups.label_text(lookups.region_labels, row["region"]),
                ),
                port_city_id=row["id"],
                region=row["region"],
                country=country,
                published_at=row["created_at"],
                latitude=row["latitude"],
                longitude=row["longitude"],
            )


def _reader(build: Any) -> Any:
    def documents(
        *, ids: Iterable[int] | None = None, batch_size: int = 1000
    ) -> Iterator[SearchDocument]:
        """Public records of one type (all, or those among `ids`), ready to index. A requested
        id that is missing or not public is simply not yielded."""
        yield from build(None if ids is None else sorted(set(ids)), _Lookups(), batch_size)

    return documents


initiative_documents = _reader(_initiatives)
port_center_documents = _reader(_port_centers)
organisation_documents = _reader(_organisations)
port_city_documents = _reader(_port_cities)
