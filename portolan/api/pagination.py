"""Page-number pagination for every list endpoint, as a django-ninja paginator
(`@paginate(PagePagination)`): `?page=` (from 1) and `?page_size=` (1-100, default 20), answers
`{count, next, previous, results}` with absolute links.

Ours rather than ninja's `PageNumberPagination`: that one answers `{items, count}` without
links and clamps a large `page_size` silently; we refuse it with a 400 that says the maximum,
and a page past the end returns an empty `results` list with the true `count`. Cost: two
queries (count, page), one past the end, as pinned by the `constant_number_of_queries` tests:
`.venv/bin/pytest portolan/api/tests/test_reads.py -k constant_number`."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 1_000_000

T = TypeVar("T")


class Page(Schema, Generic[T]):
    count: int = Field(..., description="Number of items matching the filters, on all pages.")
    next: str | None = Field(None, description="URL of the next page, if any.")
    previous: str | None = Field(None, description="URL of the previous page, if any.")
    results: list[T]


def page_url(request: HttpRequest, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    return request.build_absolute_uri(request.path + "?" + params.urlencode())


class PagePagination(PaginationBase):
    """The view returns an ordered queryset, or anything with len() and slicing."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
        page_size: int = Field(
            DEFAULT_PAGE_SIZE,
            ge=1,
            le=MAX_PAGE_SIZE,
            description=f"Items per page, at most {MAX_PAGE_SIZE}.",
        )

    Output = Page[Any]  # type: ignore[assignment]
    items_attribute = "results"

    def paginate_queryset(
        self, queryset: Any, pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        total = self._items_count(queryset)
        size = pagination.page_size
        start = (pagination.page - 1) * size
        # Past the end: no query for the page at all.
        items = list(queryset[start : start + size]) if start < total else []
        last_page = max(1, -(-total // size))
        has_next = start + size < total
        return {
            "count": total,
            "next": page_url(request, pagination.page + 1) if has_next else None,
            "previous": (
                page_url(request, min(pagination.page - 1, last_page))
                if pagination.page > 1
                else None
            ),
            "results": items,
        }


def single_page(items: list[Any]) -> dict[str, Any]:
    """The list shape for short, unpaginated collections (vocabularies)."""
    return {"count": len(items), "next": None, "previous": None, "results": items}
