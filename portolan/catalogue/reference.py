"""Loads the sourced reference data: the vocabularies and the real Port Centers and charter
signatories of `data/port-centers.csv` (see `data/port-centers.README.md`).

Idempotent: records are matched on stable external ids (`ref:organisation:<slug>`,
`ref:port-center:<slug>`) and saved only when a value changed, so a second run writes nothing and
adds no history rows. Values the sources do not give stay empty (None / ""); the decisions taken
on top of the CSV (status, kind, rows without a city) are in `data/reference-mapping.json`."""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from portolan.accounts.models import Organisation, OrganisationKind
from portolan.core.signals import records_bulk_written
from portolan.core.vocabulary import load_vocabulary
from portolan.places.services import port_city_add

from .models import PortCenter, PortCenterStatus, PublicationStatus
from .records import ORGANISATION, PORT_CENTER, PORT_CITY
from .services import BulkRow, records_bulk_write

DATA_DIR = Path(__file__).resolve().parent / "data"
CSV_FILE = DATA_DIR / "port-centers.csv"
MAPPING_FILE = DATA_DIR / "reference-mapping.json"
# The day the sources were read (data/port-centers.README.md): the records' "last reviewed" date.
SOURCES_READ_ON = date(2026, 11, 22)

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


@dataclass
class LoadReport:
    vocabulary: dict[str, int] = field(default_factory=dict)
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    without_profile: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _int(value: str) -> int | None:
    value = (value or "").strip().replace(",", "")
    return int(value) if value.isdigit() else None


def _text(value: str) -> str:
    # The sources are public pages; an e-mail address in them would most likely be a person's.
    return _EMAIL.sub("", (value or "").strip())


def read_rows() -> list[dict[str, str]]:
    with CSV_FILE.open(encoding="utf-8", newline="") as handle:
        return [dict(row) for row in csv.DictReader(handle)]


def read_mapping() -> dict[str, Any]:
    return json.loads(MAPPING_FILE.read_text(encoding="utf-8"))


REASON = "reference"


@dataclass
class _Batch:
    """The records of one model to write: new ones, and existing ones with changed fields."""

    model: Any
    existing: dict[str, Any]
    creates: list[BulkRow] = field(default_factory=list)
    updates: list[BulkRow] = field(default_factory=list)
    fields: set[str] = field(default_factory=set)

    def sync(
        self, external_id: str, values: dict[str, Any], create_only: dict[str, Any]
    ) -> tuple[Any, str]:
        """The record as it will be, and created|updated|unchanged. Nothing is queued when nothing
        changed, which keeps a second run free of history rows."""
        obj = self.existing.get(external_id)
        if obj is None:
            obj = self.model(external_id=external_id, **values, **create_only)
            self.creates.append(BulkRow(record=obj, label=external_id))
            return obj, "created"
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if not changed:
            return obj, "unchanged"
        for name in changed:
            setattr(obj, name, values[name])
        self.fields.update(changed)
        self.updates.append(BulkRow(record=obj, label=external_id))
        return obj, "updated"

    def write(self) -> None:
        records_bulk_write(
            model=self.model,
            creates=self.creates,
            updates=self.updates,
            update_fields=self.fields,
            actor=None,
            reason=REASON,
        )


def _free_slug(model: type[models.Model], base: str, external_id: str) -> str:
    candidate, n = base, 2
    while model._default_manager.filter(slug=candidate).exclude(external_id=external_id).exists():
        candidate = f"{base}-{n}"
        n += 1
    return candidate


def _status(name: str, mapping: dict[str, Any]) -> str:
    entry = mapping["status"].get(name)
    if entry is None:
        return ""
    status = entry[0]
    if status not in PortCenterStatus.values:
        raise ValidationError(f"Unknown Port Center status {status!r} for {name!r}.")
    return str(status)


def _load_row(
    row: dict[str, str],
    mapping: dict[str, Any],
    report: LoadReport,
    organisations: _Batch,
    port_centers: list[tuple[str, dict[str, Any], dict[str, Any]]],
) -> None:
    name = row["name"].strip()
    slug = slugify(name)[:200]
    sources = "\n".join(url for url in row["source_url"].split() if url)
    notes = _text(row["notes"])
    charter_year = _int(row["charter_signed_year"])
    is_member = charter_year is not None or name in mapping["charter_signatories"]["names"]
    kind = mapping["organisation_kind"].get(name, [OrganisationKind.PORT_CENTER])[0]
    no_city = name in mapping["without_port_city"]["names"] or not row["port_city"].strip()

    port_city = None
    if not no_city:
        city_name, country = row["port_city"].strip(), row["country_iso2"].strip()
        alias = mapping["port_city_aliases"].get(city_name)
        if alias:
            city_name, country = alias[0], alias[1]
        try:
            port_city = port_city_add(name=city_name, country=country)
        except ValidationError as exc:
            report.problems.append(f"{name}: {' '.join(exc.messages)}")
            no_city = True

    org_external_id = f"ref:organisation:{slug}"
    description = ""
    if no_city:
        # Without a profile, the organisation page is the only place for the sourced facts.
        description = "\n\n".join(part for part in (notes, "Sources:\n" + sources) if part)
    organisation, outcome = organisations.sync(
        org_external_id,
        {
            "name": name,
            "slug": _free_slug(Organisation, slug, org_external_id),
            "kind": kind,
            "port_city": port_city,
            "description": description,
            "is_member": is_member,
            "is_reference": True,
            "is_demo": False,
        },
        {},
    )
    _count(report, outcome, f"organisation {name}")

    if port_city is None:
        report.without_profile.append(name)
        return
    pc_external_id = f"ref:port-center:{slug}"
    now = timezone.now()
    port_centers.append(
        (
            pc_external_id,
            {
                "name": name,
                "slug": _free_slug(PortCenter, slug, pc_external_id),
                "organisation": organisation,
                "port_city": port_city,
                "operator_text": _text(row["operator"])[:300],
                "opening_year": _int(row["opening_year"]),
                "charter_signed_year": charter_year,
                "status": _status(name, mapping),
                "visitors_per_year": _int(row["visitors_per_year"]),
                "visitors_year_of_figure": _int(row["visitors_year_of_figure"]),
                "surface_m2": _int(row["surface_m2"]),
                "notes": notes[:300],
                "sources": sources,
                "is_reference": True,
                "is_demo": False,
                "publication_status": PublicationStatus.PUBLISHED,
            },
            {
                "last_reviewed": SOURCES_READ_ON,
                "published_at": datetime.combine(
                    SOURCES_READ_ON, datetime.min.time(), tzinfo=now.tzinfo
                ),
            },
        )
    )


def _count(report: LoadReport, outcome: str, label: str) -> None:
    if outcome == "created":
        report.created.append(label)
    elif outcome == "updated":
        report.updated.append(label)
    else:
        report.unchanged += 1


def _existing(model: Any, prefix: str) -> dict[str, Any]:
    records = model._default_manager.filter(external_id__startswith=prefix).select_related(
        *(["organisation", "port_city"] if model is PortCenter else ["port_city"])
    )
    return {o.external_id: o for o in records}


@transaction.atomic
def load_reference() -> LoadReport:
    """Organisations first (the Port Centers point at them), each model in one bulk write through
    the services: validated by the models' rules, with history rows whose reason is "reference".
    A record the sources did not change is not written."""
    report = LoadReport()
    report.vocabulary = load_vocabulary(lambda n: apps.get_model("core", n))
    mapping = read_mapping()
    organisations = _Batch(Organisation, _existing(Organisation, "ref:organisation:"))
    port_centers: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    for row in read_rows():
        _load_row(row, mapping, report, organisations, port_centers)
    organisations.write()
    centers = _Batch(PortCenter, _existing(PortCenter, "ref:port-center:"))
    for external_id, values, create_only in port_centers:
        profile, outcome = centers.sync(external_id, values, create_only)
        _count(report, outcome, f"Port Center {profile.name}")
    centers.write()
    if report.created or report.updated:
        # Bulk writes send no per-row signals: tell the indexers once the load is committed.
        transaction.on_commit(
            lambda: records_bulk_written.send(
                sender=PortCenter, record_types=[ORGANISATION, PORT_CENTER, PORT_CITY]
            )
        )
    return report
