"""The NinjaAPI instance: version 1 of the open API, mounted at /api/ (docs at /api/docs, schema
at /api/openapi.json, resources under /api/v1/). Add a resource with `api.add_router` here."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI

from . import errors
from .routers import catalogue_records, organisations, places, vocabulary

DESCRIPTION = """
The open data of the Portolan network: port cities, organisations, Port Centers, initiatives and
the shared vocabularies (Agenda 2030 goals, charter missions, themes, audiences).

* **Reads** are open to everyone, need no key and are CORS-enabled. Anonymous callers see
  published records only.
* **Writes** (drafts of your organisation's initiatives and Port Center profiles) need a personal
  API token, created in your account: send `Authorization: Bearer <token>`.
* Lists are paged with `page` and `page_size` (at most 100) and answer
  `{count, next, previous, results}`.
* Successful reads carry `ETag` and, for records, `Last-Modified`: send them back in
  `If-None-Match` / `If-Modified-Since` to get a `304 Not Modified`.
* Rate limits apply per token or per IP address; over the limit the answer is `429` with
  `Retry-After`.
* Every error is JSON: `{"detail": "...", "errors": [{"field", "location", "message"}]}`.
"""


class PortolanAPI(NinjaAPI):
    """Builds the OpenAPI document once per process: it only changes with the code, and
    generating it costs far more than serving it."""

    _schema_cache: dict[str, Any]

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        cache = self.__dict__.setdefault("_schema_cache", {})
        key = f"{path_prefix}|{sorted((path_params or {}).items())}"
        if key not in cache:
            cache[key] = super().get_openapi_schema(
                path_prefix=path_prefix, path_params=path_params
            )
        return cache[key]


api = PortolanAPI(
    title="Portolan API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)

api.add_router("/v1/port-cities", places.router)
api.add_router("/v1/organisations", organisations.router)
api.add_router("/v1/port-centers", catalogue_records.port_centers)
api.add_router("/v1/initiatives", catalogue_records.initiatives)
api.add_router("/v1", vocabulary.router)
