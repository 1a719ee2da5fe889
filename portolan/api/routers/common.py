"""Helpers shared by the resource routers: documented error responses, list sources with
Last-Modified, path parameters for stable ids and slugs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Max, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path
from ninja.errors import HttpError

from ..caching import mark_last_modified
from ..errors import ERROR_STATUSES
from ..schemas import MAX_ID, SLUG_PATTERN, ErrorOut

READ_ERRORS = (400, 404, 429)
WRITE_ERRORS = ERROR_STATUSES


def responses(
    ok: Any, *, status: int = 200, errors: tuple[int, ...] = READ_ERRORS
) -> dict[int, Any]:
    return {status: ok, **dict.fromkeys(errors, ErrorOut)}


def id_param() -> Any:
    return Path(..., ge=1, le=MAX_ID, description="Stable identifier.")


def slug_param() -> Any:
    return Path(..., pattern=SLUG_PATTERN, max_length=240)


def found(obj: Any) -> Any:
    if obj is None:
        raise HttpError(404, _("Not found."))
    return obj


def detail(request: HttpRequest, obj: Any) -> Any:
    obj = found(obj)
    mark_last_modified(request, getattr(obj, "updated_at", None))
    return obj


def newest(qs: QuerySet[Any]) -> datetime | None:
    return qs.order_by().aggregate(latest=Max("updated_at"))["latest"]


class Ranked:
    """Records of `qs` in the order of `ordered_ids` (full-text rank), sliced lazily so only
    one page is loaded."""

    def __init__(self, qs: QuerySet[Any], ordered_ids: list[int]) -> None:
        allowed = set(qs.values_list("pk", flat=True).order_by())
        self.qs = qs
        self.ids = [pk for pk in dict.fromkeys(ordered_ids) if pk in allowed]

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index: slice) -> list[Any]:
        page_ids = self.ids[index]
        by_id = {obj.pk: obj for obj in self.qs.filter(pk__in=page_ids)}
        return [by_id[pk] for pk in page_ids if pk in by_id]


def listing(
    request: HttpRequest,
    qs: QuerySet[Any],
    *,
    ordered_ids: list[int] | None = None,
) -> QuerySet[Any] | Ranked:
    """What a list endpoint returns to `@paginate(PagePagination)`: `qs`, or with `ordered_ids`
    (full-text matches in rank order) only those records, in that order. Sets Last-Modified."""
    if ordered_ids is not None:
        # Never scan the whole table: only the (bounded) full-text matches are candidates.
        qs = qs.filter(pk__in=ordered_ids)
    mark_last_modified(request, newest(qs))
    return qs if ordered_ids is None else Ranked(qs, ordered_ids)
