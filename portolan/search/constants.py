"""Values the search filters accept, and their labels."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portolan.accounts.models import OrganisationKind
from portolan.catalogue.selectors_search import STATUS_LABELS
from portolan.places.models import Region

RECORD_TYPES: tuple[str, ...] = ("initiative", "port_center", "organisation", "port_city")
RECORD_TYPE_LABELS = {
    "initiative": _("Initiative"),
    "port_center": _("Port Center"),
    "organisation": _("Organisation"),
    "port_city": _("Port city"),
}
REGION_VALUES = frozenset(Region.values)
REGION_LABELS = dict(Region.choices)
KIND_VALUES = frozenset(OrganisationKind.values)
KIND_LABELS = dict(OrganisationKind.choices)
STATUS_VALUES = frozenset(STATUS_LABELS)
SORTS: tuple[str, ...] = ("relevance", "newest", "name")
SORT_LABELS = {"relevance": _("Relevance"), "newest": _("Newest"), "name": _("Name")}
