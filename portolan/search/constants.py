"""Values the search filters accept, and their labels. Record types and their statuses come from
the record-type registry (portolan.core.registry), filled by the record apps."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from portolan.accounts.models import OrganisationKind
from portolan.core import registry
from portolan.places.models import Region

REGION_VALUES = frozenset(Region.values)
REGION_LABELS = dict(Region.choices)
KIND_VALUES = frozenset(OrganisationKind.values)
KIND_LABELS = dict(OrganisationKind.choices)
SORTS: tuple[str, ...] = ("relevance", "newest", "name")
SORT_LABELS = {"relevance": _("Relevance"), "newest": _("Newest"), "name": _("Name")}


def record_type_keys() -> tuple[str, ...]:
    return tuple(t.key for t in registry.searchable())


def record_type_labels() -> dict[str, Any]:
    return {t.key: t.label for t in registry.searchable()}


def status_values() -> frozenset[str]:
    return frozenset(registry.status_labels())
