"""Full-text `q` for the API goes through the project's one search service, so the API finds
what the search page finds (ranked, accent-insensitive, stemmed). The service returns record
references in rank order; the API then applies its own filters and visibility to them."""

from __future__ import annotations

# The best matches a full-text query can page through (the search page shows no more either).
MAX_MATCHES = 2000


def ranked_ids(record_type: str, q: str) -> list[int] | None:
    """Ids of `record_type` matching `q`, best first; None when there is no query."""
    q = " ".join(q.split())
    if not q:
        return None
    from portolan.search.selectors import parse_params, result_refs

    params, _errors = parse_params({"q": q, "type": record_type})
    return [pk for kind, pk in result_refs(params, limit=MAX_MATCHES) if kind == record_type]
