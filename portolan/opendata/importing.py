"""Staff import of organisations, Port Centers and initiatives from tabular rows (CSV/XLSX already
parsed by the caller into header names and string cells).

`plan_import` reads only: it says, per row, whether the record would be created, updated or left
unchanged, and lists every error of every row. `apply_import` re-plans inside one transaction and
writes nothing unless the whole file is valid, so an import is all or nothing. Records are matched
on `external_id`, which makes importing the same file twice a no-op the second time.

The models' rules run once per row: the plan checks each instance with the bulk writer's own
`record_errors`, and the writer is handed those instances as validated. Measured with
`.venv/bin/python tools/time_import.py --runs 3` (5,000-row CSV of initiatives, SQLite, the shared
2-CPU machine, two rounds each): the rules ran 10,000 times in 1.0-1.5 s before, 5,000 times in
0.55-1.1 s after; the whole commit (plan, write, history, search reindex) took 4.5-7.3 s before
(best 4.53 s) and 4.5-7.2 s after (best 4.45 s). That is about half a second saved per 5,000 rows,
less than the noise of a busy machine: the point is one check, not speed.

Cell conventions (documented on the import page): a column that is absent leaves the field as it
is; a present but empty cell clears an optional field; lists are `;`-separated; organisations are
referred to by external id or slug, port cities by slug or by name plus a `country` column."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portolan.accounts.models import Organisation, OrganisationKind, User
from portolan.catalogue.models import (
    BudgetBand,
    ContentLanguage,
    Initiative,
    InitiativeStatus,
    Offer,
    PortCenter,
    PortCenterStatus,
    PublicationStatus,
)
from portolan.catalogue.services import BulkRow, records_bulk_write
from portolan.catalogue.services.bulk import record_errors
from portolan.core.fields import UNKNOWN_VALUES_MESSAGE
from portolan.core.models import Audience, Goal, Theme
from portolan.places.models import UNKNOWN_PORT_CITY_MESSAGE, PortCity

ORGANISATIONS = "organisations"
PORT_CENTERS = "port-centers"  # the URL spelling of the record type (core.registry)
INITIATIVES = "initiatives"
KINDS = (ORGANISATIONS, PORT_CENTERS, INITIATIVES)
KIND_LABELS = {
    ORGANISATIONS: gettext_lazy("Organisations"),
    PORT_CENTERS: gettext_lazy("Port Centers"),
    INITIATIVES: gettext_lazy("Initiatives"),
}

CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"


class SourceRow(Protocol):
    """One data row of the file: its line number, its cells by lower-case header, and the
    problems the file reader already found (e.g. more cells than headers)."""

    @property
    def line(self) -> int: ...

    @property
    def values(self) -> Mapping[str, str]: ...

    @property
    def errors(self) -> list[str]: ...


# Value types of a column; they decide how a cell is parsed.
TEXT, INT, DECIMAL, FLOAT, BOOL, CHOICE, ORG, ORGS, CITY, TERMS, OFFERS, STATUS = (
    "text",
    "int",
    "decimal",
    "float",
    "bool",
    "choice",
    "org",
    "orgs",
    "city",
    "terms",
    "offers",
    "status",
)


@dataclass(frozen=True)
class Column:
    name: str
    type: str = TEXT
    required: bool = False
    help: Any = ""
    choices: tuple[str, ...] = ()
    model_field: str = ""  # defaults to `name`

    @property
    def field(self) -> str:
        return self.model_field or self.name


def _codes(choices: Any) -> tuple[str, ...]:
    return tuple(str(value) for value, _label in choices)


_COMMON_HEAD = [
    Column("external_id", required=True, help=gettext_lazy("Stable id in your source system.")),
]
_PUBLICATION = Column(
    "publication_status",
    STATUS,
    help=gettext_lazy("New records default to published; empty keeps the current status."),
    choices=_codes(PublicationStatus.choices),
)
_CITY = Column(
    "port_city",
    CITY,
    help=gettext_lazy("Port city slug, or its name together with the country column."),
)
_COUNTRY = Column("country", help=gettext_lazy("ISO 3166 two-letter code, e.g. FR."))
_OWNER = Column(
    "organisation",
    ORG,
    required=True,
    help=gettext_lazy("Owner organisation: its external id or slug."),
)

COLUMNS: dict[str, list[Column]] = {
    ORGANISATIONS: [
        *_COMMON_HEAD,
        Column("name", required=True),
        Column("slug", help=gettext_lazy("Optional; made from the name when empty.")),
        Column("kind", CHOICE, required=True, choices=_codes(OrganisationKind.choices)),
        _CITY,
        _COUNTRY,
        Column("website"),
        Column("description"),
        Column("is_member", BOOL, help=gettext_lazy("yes/no, true/false or 1/0.")),
    ],
    PORT_CENTERS: [
        *_COMMON_HEAD,
        Column("name", required=True),
        Column("slug", help=gettext_lazy("Optional; made from the name when empty.")),
        _OWNER,
        _CITY,
        _COUNTRY,
        Column(
            "operators",
            ORGS,
            help=gettext_lazy("Organisations (external ids or slugs), ;-separated."),
        ),
        Column("operator_text"),
        Column("opening_year", INT),
        Column("charter_signed_year", INT),
        Column("status", CHOICE, choices=_codes(PortCenterStatus.choices)),
        Column("governance_model"),
        Column("surface_m2", INT),
        Column("staff_fte", DECIMAL),
        Column("visitors_per_year", INT),
        Column("visitors_year_of_figure", INT),
        Column("audiences", TERMS, help=gettext_lazy("Audience slugs, ;-separated.")),
        Column("offers", OFFERS, choices=_codes(Offer.choices)),
        Column("languages"),
        Column("description"),
        Column("address"),
        Column("latitude", FLOAT),
        Column("longitude", FLOAT),
        Column("website"),
        Column("contact_email"),
        Column("notes"),
        Column("sources", help=gettext_lazy("Public source URLs, space or ;-separated.")),
        _PUBLICATION,
    ],
    INITIATIVES: [
        *_COMMON_HEAD,
        Column("title", required=True),
        Column("slug", help=gettext_lazy("Optional; made from the title when empty.")),
        Column("summary", required=True),
        _OWNER,
        _CITY,
        _COUNTRY,
        Column("context"),
        Column("actions"),
        Column("results"),
        Column("resources"),
        Column("lessons"),
        Column(
            "partners",
            ORGS,
            help=gettext_lazy("Organisations (external ids or slugs), ;-separated."),
        ),
        Column("themes", TERMS, help=gettext_lazy("Theme slugs, ;-separated.")),
        Column(
            "goals", TERMS, help=gettext_lazy("Agenda 2030 goal numbers or slugs, ;-separated.")
        ),
        Column("audiences", TERMS, help=gettext_lazy("Audience slugs, ;-separated.")),
        Column("start_year", INT),
        Column("end_year", INT),
        Column("status", CHOICE, choices=_codes(InitiativeStatus.choices)),
        Column("budget_band", CHOICE, choices=_codes(BudgetBand.choices)),
        Column("funding_sources"),
        Column("links", help=gettext_lazy("URLs, space or ;-separated.")),
        Column("language", CHOICE, choices=_codes(ContentLanguage.choices)),
        _PUBLICATION,
    ],
}
# A port city is required for Port Centers and initiatives, but only on creation (updates may
# leave the column out), so it is checked per row rather than as a required header.
_CITY_REQUIRED = {PORT_CENTERS, INITIATIVES}
_MODELS: dict[str, type[models.Model]] = {
    ORGANISATIONS: Organisation,
    PORT_CENTERS: PortCenter,
    INITIATIVES: Initiative,
}
_NAME_FIELD = {ORGANISATIONS: "name", PORT_CENTERS: "name", INITIATIVES: "title"}
_TERM_MODELS: dict[str, type[models.Model]] = {
    "themes": Theme,
    "goals": Goal,
    "audiences": Audience,
}
_TRUE = {"1", "true", "yes", "y", "oui", "si", "sí", "x"}
_FALSE = {"0", "false", "no", "n", "non", ""}


def column_names(kind: str) -> list[str]:
    return [c.name for c in COLUMNS[kind]]


@dataclass
class RowPlan:
    line: int
    external_id: str
    label: str = ""
    action: str = ERROR
    errors: list[str] = field(default_factory=list)
    changed_fields: list[str] = field(default_factory=list)
    instance: models.Model | None = None
    m2m: dict[str, list[models.Model]] = field(default_factory=dict)


@dataclass
class ImportPlan:
    kind: str
    rows: list[RowPlan] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors) or any(r.errors for r in self.rows)

    @property
    def counts(self) -> dict[str, int]:
        counts = {CREATE: 0, UPDATE: 0, UNCHANGED: 0, ERROR: 0}
        for row in self.rows:
            counts[ERROR if row.errors else row.action] += 1
        return counts


class ImportRejected(Exception):
    """Raised by `apply_import` when the file has any error; nothing was written."""

    def __init__(self, plan: ImportPlan) -> None:
        super().__init__(_("The file has errors; nothing was imported."))
        self.plan = plan


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.replace("\n", ";").split(";") if part.strip()]


def _split_urls(value: str) -> str:
    return "\n".join(p for p in value.replace(";", " ").split() if p)


class _Lookups:
    """Everything the rows refer to, fetched with a constant number of queries per file."""

    def __init__(self, kind: str, rows: Sequence[SourceRow]) -> None:
        model: Any = _MODELS[kind]
        ids = {r.values.get("external_id", "").strip() for r in rows} - {""}
        self.existing: dict[str, Any] = {}
        if ids:
            qs = model._default_manager.filter(external_id__in=ids)
            if kind == PORT_CENTERS:
                qs = qs.prefetch_related("operators", "audiences")
            elif kind == INITIATIVES:
                qs = qs.prefetch_related("partners", "themes", "goals", "audiences")
            self.existing = {obj.external_id: obj for obj in qs}

        org_refs: set[str] = set()
        city_refs: set[str] = set()
        for r in rows:
            for key in ("organisation",):
                if r.values.get(key, "").strip():
                    org_refs.add(r.values[key].strip())
            for key in ("operators", "partners"):
                org_refs.update(_split(r.values.get(key, "")))
            if r.values.get("port_city", "").strip():
                city_refs.add(r.values["port_city"].strip())
        self.orgs: dict[str, Organisation] = {}
        if org_refs:
            for org in Organisation.objects.filter(
                Q(external_id__in=org_refs) | Q(slug__in=org_refs)
            ):
                self.orgs[org.slug] = org
                if org.external_id:
                    self.orgs[org.external_id] = org
        self.cities_by_slug: dict[str, PortCity] = {}
        self.cities_by_name: dict[tuple[str, str], PortCity] = {}
        if city_refs:
            lowered = {ref.lower() for ref in city_refs}
            for city in PortCity.objects.annotate(lname=Lower("name")).filter(
                Q(slug__in=city_refs) | Q(lname__in=lowered)
            ):
                self.cities_by_slug[city.slug] = city
                self.cities_by_name[(city.name.lower(), str(city.country).upper())] = city
        self.terms: dict[str, dict[str, models.Model]] = {}
        for key, term_model in _TERM_MODELS.items():
            mapping: dict[str, models.Model] = {}
            for term in term_model._default_manager.all():
                mapping[term.slug] = term  # type: ignore[attr-defined]
                if key == "goals":
                    mapping[str(term.number)] = term  # type: ignore[attr-defined]
            self.terms[key] = mapping
        # Generated slugs fall back to "<name>-<external id>" when "<name>" is taken, so both
        # candidates are looked up here, in one query.
        name_field = _NAME_FIELD[kind]
        wanted: set[str] = set()
        for r in rows:
            base = slugify(r.values.get(name_field, ""))
            wanted.update(
                {
                    r.values.get("slug", "").strip(),
                    base,
                    _slug_with_suffix(base, r.values.get("external_id", "")),
                }
            )
        wanted.discard("")
        self.taken_slugs: dict[str, int] = {}
        if wanted:
            self.taken_slugs = dict(
                model._default_manager.filter(slug__in=wanted).values_list("slug", "pk")
            )


def _slug_with_suffix(base: str, external_id: str) -> str:
    suffix = slugify(external_id.strip())
    return f"{base[: 180 - len(suffix)]}-{suffix}".strip("-") if suffix else base


def _parse_cell(col: Column, raw: str, lookups: _Lookups, errors: list[str]) -> Any:
    value = raw.strip()
    label = col.name
    if col.type == TEXT:
        return value
    if col.type in (CHOICE, STATUS):
        if value and value not in col.choices:
            errors.append(
                _("%(column)s: “%(value)s” is not one of %(choices)s.")
                % {
                    "column": label,
                    "value": value,
                    "choices": ", ".join(c for c in col.choices if c),
                }
            )
        return value
    if col.type == INT:
        if not value:
            return None
        try:
            number = Decimal(value)
            if number != number.to_integral_value() or number < 0:
                raise InvalidOperation
            return int(number)
        except InvalidOperation:
            errors.append(
                _("%(column)s: “%(value)s” is not a whole number.")
                % {"column": label, "value": value}
            )
            return None
    if col.type == DECIMAL:
        if not value:
            return None
        try:
            return Decimal(value.replace(",", "."))
        except InvalidOperation:
            errors.append(
                _("%(column)s: “%(value)s” is not a number.") % {"column": label, "value": value}
            )
            return None
    if col.type == FLOAT:
        if not value:
            return None
        try:
            return float(value.replace(",", "."))
        except ValueError:
            errors.append(
                _("%(column)s: “%(value)s” is not a number.") % {"column": label, "value": value}
            )
            return None
    if col.type == BOOL:
        lowered = value.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        errors.append(
            _("%(column)s: “%(value)s” is not yes or no.") % {"column": label, "value": value}
        )
        return False
    if col.type == ORG:
        if not value:
            return None
        org = lookups.orgs.get(value)
        if org is None:
            errors.append(
                _("%(column)s: no organisation has the external id or slug “%(value)s”.")
                % {"column": label, "value": value}
            )
        return org
    if col.type == ORGS:
        found = []
        for ref in _split(value):
            org = lookups.orgs.get(ref)
            if org is None:
                errors.append(
                    _("%(column)s: no organisation has the external id or slug “%(value)s”.")
                    % {"column": label, "value": ref}
                )
            elif org not in found:
                found.append(org)
        return found
    if col.type == TERMS:
        terms = []
        unknown = []
        mapping = lookups.terms[col.name]
        for ref in _split(value):
            term = mapping.get(ref.lower())
            if term is None:
                unknown.append(ref)
            elif term not in terms:
                terms.append(term)
        if unknown:
            errors.append(
                f"{label}: " + str(UNKNOWN_VALUES_MESSAGE) % {"values": ", ".join(unknown)}
            )
        return terms
    if col.type == OFFERS:
        offers = list(dict.fromkeys(_split(value)))
        for offer in offers:
            if offer not in col.choices:
                errors.append(
                    _("%(column)s: “%(value)s” is not one of %(choices)s.")
                    % {"column": label, "value": offer, "choices": ", ".join(col.choices)}
                )
        return offers
    raise AssertionError(col.type)


def _resolve_city(values: Mapping[str, str], lookups: _Lookups, errors: list[str]) -> Any:
    ref = values.get("port_city", "").strip()
    if not ref:
        return None
    city = lookups.cities_by_slug.get(ref)
    if city is not None:
        return city
    country = values.get("country", "").strip().upper()
    if country:
        city = lookups.cities_by_name.get((ref.lower(), country))
        if city is not None:
            return city
    else:
        matches = [c for (name, _c), c in lookups.cities_by_name.items() if name == ref.lower()]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            errors.append(
                _("port_city: several port cities are called “%(value)s”; add a country column.")
                % {"value": ref}
            )
            return None
    errors.append(
        f"port_city: {UNKNOWN_PORT_CITY_MESSAGE} "
        + _("No port city matches “%(value)s”; add it first (command add_port_city).")
        % {"value": ref}
    )
    return None


def _plan_row(
    kind: str, row: SourceRow, headers: set[str], lookups: _Lookups, used: dict[str, set[str]]
) -> RowPlan:
    values = {k: (v if v is not None else "") for k, v in row.values.items()}
    external_id = values.get("external_id", "").strip()
    name_field = _NAME_FIELD[kind]
    plan = RowPlan(line=row.line, external_id=external_id, label=values.get(name_field, "").strip())
    errors = plan.errors
    errors.extend(row.errors)
    if not external_id:
        errors.append(_("external_id: this cell is required."))
    elif external_id in used["external_id"]:
        errors.append(
            _("external_id: “%(value)s” appears on an earlier row of this file.")
            % {"value": external_id}
        )
    used["external_id"].add(external_id)

    model = _MODELS[kind]
    existing = lookups.existing.get(external_id) if external_id else None
    instance: Any = existing if existing is not None else model(external_id=external_id or None)
    is_new = existing is None

    before: dict[str, Any] = {}
    m2m_before: dict[str, set[int]] = {}
    m2m_fields = {f.name for f in model._meta.many_to_many}
    for col in COLUMNS[kind]:
        if col.name in headers and col.field not in m2m_fields and col.name != "country":
            attname = model._meta.get_field(col.field).attname  # type: ignore[union-attr]
            before[attname] = getattr(instance, attname)
        if col.field in m2m_fields and not is_new:
            m2m_before[col.field] = {o.pk for o in getattr(instance, col.field).all()}

    for col in COLUMNS[kind]:
        if col.name not in headers or col.name in ("external_id", "country"):
            continue
        raw = values.get(col.name, "")
        if col.required and not raw.strip():
            errors.append(_("%(column)s: this cell is required.") % {"column": col.name})
            continue
        if col.name == "port_city":
            city = _resolve_city(values, lookups, errors)
            if city is not None:
                instance.port_city = city
            elif not raw.strip() and kind in _CITY_REQUIRED:
                pass  # reported below if the record has no city at all
            elif not raw.strip():
                instance.port_city = None
            continue
        parsed = _parse_cell(col, raw, lookups, errors)
        if col.field in m2m_fields:
            plan.m2m[col.field] = parsed
            continue
        if col.name == "slug":
            if parsed:
                if parsed in used["slug"]:
                    errors.append(
                        _("slug: “%(value)s” appears on an earlier row of this file.")
                        % {"value": parsed}
                    )
                instance.slug = parsed
            continue
        if col.name in ("publication_status", "status", "language") and not parsed:
            continue  # empty keeps the current value (or the model default)
        if col.name in ("sources", "links"):
            parsed = _split_urls(parsed)
        if col.type == BOOL and parsed is None:
            parsed = False
        if col.type == TEXT and parsed is None:
            parsed = ""
        setattr(instance, col.field, parsed)

    if (
        kind in _CITY_REQUIRED
        and getattr(instance, "port_city_id", None) is None
        and not any(e.startswith("port_city") for e in errors)
    ):
        errors.append(_("port_city: this cell is required for a new record."))

    if is_new and kind != ORGANISATIONS and not values.get("publication_status", "").strip():
        instance.publication_status = PublicationStatus.PUBLISHED
    if (
        kind != ORGANISATIONS
        and instance.publication_status == PublicationStatus.PUBLISHED
        and instance.published_at is None
    ):
        instance.published_at = timezone.now()

    if not instance.slug:
        base = slugify(getattr(instance, name_field) or "")
        for candidate in (base, _slug_with_suffix(base, external_id)):
            if candidate and candidate not in lookups.taken_slugs and candidate not in used["slug"]:
                instance.slug = candidate
                break
        else:
            errors.append(_("slug: no free slug could be made from the name; add a slug cell."))
    if instance.slug:
        owner = lookups.taken_slugs.get(instance.slug)
        if owner is not None and owner != instance.pk:
            errors.append(
                _("slug: “%(value)s” is already used by another record.") % {"value": instance.slug}
            )
        used["slug"].add(instance.slug)

    # The writer's rules (the model's, without per-row lookups: references, slugs and external
    # ids were checked above against the batch lookups). A field already reported above is not
    # reported twice.
    for field_name, messages in record_errors(instance).items():
        if any(e.startswith(f"{field_name}:") for e in errors):
            continue
        for message in messages:
            prefix = "" if field_name == "__all__" else f"{field_name}: "
            errors.append(f"{prefix}{message}")

    plan.label = str(getattr(instance, name_field) or plan.label)
    plan.instance = instance
    if errors:
        plan.action = ERROR
    elif is_new:
        plan.action = CREATE
    else:
        changed = [name for name, old in before.items() if getattr(instance, name) != old]
        for name, objs in plan.m2m.items():
            if {o.pk for o in objs} != m2m_before.get(name, set()):
                changed.append(name)
        plan.changed_fields = changed
        plan.action = UPDATE if changed else UNCHANGED
    return plan


def plan_import(*, kind: str, headers: Iterable[str], rows: Sequence[SourceRow]) -> ImportPlan:
    """What importing these rows would do, without writing anything."""
    if kind not in KINDS:
        raise ValueError(kind)
    plan = ImportPlan(kind=kind)
    header_set = {h.strip().lower() for h in headers}
    known = set(column_names(kind))
    unknown = sorted(header_set - known)
    if unknown:
        plan.file_errors.append(
            _("Unknown columns: %(columns)s. Expected columns: %(expected)s.")
            % {"columns": ", ".join(unknown), "expected": ", ".join(column_names(kind))}
        )
    missing = [c.name for c in COLUMNS[kind] if c.required and c.name not in header_set]
    if missing:
        plan.file_errors.append(
            _("Missing required columns: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    if plan.file_errors:
        return plan
    lookups = _Lookups(kind, rows)
    used: dict[str, set[str]] = {"external_id": set(), "slug": set()}
    for row in rows:
        plan.rows.append(_plan_row(kind, row, header_set, lookups, used))
    return plan


@transaction.atomic
def apply_import(
    *,
    kind: str,
    headers: Iterable[str],
    rows: Sequence[SourceRow],
    user: User | None,
    reason: str = "",
) -> ImportPlan:
    """Write the rows, or nothing: any error in the file raises ImportRejected before a write.
    Unchanged rows are not written (no history noise on re-imports)."""
    plan = plan_import(kind=kind, headers=headers, rows=rows)
    if plan.has_errors:
        raise ImportRejected(plan)
    model: Any = _MODELS[kind]
    m2m_fields = {f.name for f in model._meta.many_to_many}
    creates = [_bulk_row(r) for r in plan.rows if r.action == CREATE and r.instance is not None]
    updates = [_bulk_row(r) for r in plan.rows if r.action == UPDATE and r.instance is not None]
    fields = {
        name
        for row in plan.rows
        if row.action == UPDATE
        for name in row.changed_fields
        if name not in m2m_fields
    }
    # The services' bulk writer: the links' snapshot on every history version, history rows by
    # the staff user. It sends no save signals: the caller reindexes the written records for
    # search in the same transaction.
    #
    # The rules run once per row, in the plan above: `_plan_row` calls the writer's own
    # `record_errors` on the very instance written here and nothing changes it in between, so
    # the writer is told the rows are validated. The other way (the dry run being the writer
    # inside a rolled-back transaction) was not taken: every dry run, including the web page's
    # check of a file, would insert the records, their history and links only to roll them
    # back, and the plan has to run anyway for what the writer does not know (per-cell
    # messages, references and slugs checked against the whole file, create/update/unchanged).
    records_bulk_write(
        model=model,
        creates=creates,
        updates=updates,
        update_fields=fields,
        actor=user,
        reason=reason or _("Imported from a file"),
        validated=True,
    )
    return plan


def _bulk_row(row: RowPlan) -> BulkRow:
    return BulkRow(record=row.instance, links=row.m2m, label=f"line {row.line}")


def written_ids(plan: ImportPlan) -> list[int]:
    """Primary keys of the records an applied plan created or updated."""
    return [
        row.instance.pk
        for row in plan.rows
        if row.action in (CREATE, UPDATE) and row.instance is not None
    ]
