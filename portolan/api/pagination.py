"""Page-number pagination shared by every list endpoint: `?page=` (from 1) and `?page_size=`
(1-100, default 20). A larger page size is refused with a 400 that says the maximum; a page past
the end returns an empty `results` list with the true `count`."""

from __future__ import annotations

from typing import Any, Generic, Protocol, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 1_000_000

T = TypeVar("T")


class PageParams(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE,
        ge=1,
        le=MAX_PAGE_SIZE,
        description=f"Items per page, at most {MAX_PAGE_SIZE}.",
    )


class Page(Schema, Generic[T]):
    count: int = Field(..., description="Number of items matching the filters, on all pages.")
    next: str | None = Field(None, description="URL of the next page, if any.")
    previous: str | None = Field(None, description="URL of the previous page, if any.")
    results: list[T]


def page_url(request: HttpRequest, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    return request.build_absolute_uri(request.path + "?" + params.urlencode())


class Sliceable(Protocol):
    def __len__(self) -> int: ...

    def __getitem__(self, index: slice) -> Any: ...


def paginate(
    request: HttpRequest,
    source: QuerySet[Any] | Sliceable,
    params: PageParams,
) -> dict[str, Any]:
    """One page of `source` (an ordered queryset, or anything with len() and slicing)."""
    total = source.count() if isinstance(source, QuerySet) else len(source)
    start = (params.page - 1) * params.page_size
    items = list(source[start : start + params.page_size]) if start < total else []
    last_page = max(1, -(-total // params.page_size))
    return {
        "count": total,
        "next": page_url(request, params.page + 1) if start + params.page_size < total else None,
        "previous": page_url(request, min(params.page - 1, last_page)) if params.page > 1 else None,
        "results": items,
    }


def single_page(items: list[Any]) -> dict[str, Any]:
    """The list shape for short, unpaginated collections (vocabularies)."""
    return {"count": len(items), "next": None, "previous": None, "results": items}
