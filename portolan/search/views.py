"""The public search page and the GeoJSON of its results. Thin: parse, call the selectors,
render."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from portolan.core.pagecache import public_page

from . import presentation
from .engine import GENERATION_KEY
from .selectors import map_points, params_to_query, parse_params, search, without_unknown_filters

PAGE_SIZE = 20
MAP_LIMIT = 1000


# Keyed by the index generation too: a page is never older than the index it was read from.
@public_page(vary_on_keys=(GENERATION_KEY,))
@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    params, errors = parse_params(request.GET)
    params, unknown = without_unknown_filters(params)
    errors = {**errors, **unknown}
    results = search(params, page_size=PAGE_SIZE)
    context: dict[str, Any] = {
        "params": params,
        "errors": errors,
        "results": results,
        **presentation.page_context(params, results, language=(get_language() or "en")[:2]),
    }
    return render(request, "search/search.html", context)


@public_page(vary_on_keys=(GENERATION_KEY,))
@require_GET
def map_data(request: HttpRequest) -> JsonResponse:
    """The current results with coordinates, as a GeoJSON FeatureCollection (at most MAP_LIMIT
    features, best first; `truncated` says when more matched)."""
    params, _errors = parse_params(request.GET)
    points = map_points(params, limit=MAP_LIMIT + 1)
    truncated = len(points) > MAP_LIMIT
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(p.lon, 5), round(p.lat, 5)]},
            "properties": {
                "record_type": p.record_type,
                "id": p.record_id,
                "title": p.title,
                "url": p.url,
                "type_label": p.type_label,
            },
        }
        for p in points[:MAP_LIMIT]
    ]
    response = JsonResponse(
        {
            "type": "FeatureCollection",
            "features": features,
            "limit": MAP_LIMIT,
            "truncated": truncated,
            "query": params_to_query(params),
        },
        content_type="application/geo+json",
        json_dumps_params={"ensure_ascii": False},
    )
    response["Cache-Control"] = "public, max-age=60"
    return response
