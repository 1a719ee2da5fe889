"""The NinjaAPI instance: version 1 of the open API, mounted at /api/ (docs at /api/docs, schema
at /api/openapi.json, resources under /api/v1/). Every record type of the registry that names an
API router (`RecordType.api`, declared in its app's `records.py`) is mounted at
/api/v1/<segment>; resources that are not records (the vocabularies) are added here."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI, Router

from portolan.core import registry

from . import errors
from .routers import vocabulary
from .routers.catalogue_records import resolve

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


def record_router(record_type: registry.RecordType) -> Router:
    """The type's router: the one its `ApiSpec` names, or the one its factory builds."""
    assert record_type.api is not None, record_type.key
    target = resolve(record_type.api.router)
    return target if isinstance(target, Router) else target(record_type)


def mount(target: NinjaAPI) -> None:
    # The record apps registered their types in AppConfig.ready(), before URLs are loaded.
    if not registry.in_api():
        raise RuntimeError("No record type names an API router: are the record apps installed?")
    for record_type in registry.in_api():
        target.add_router(f"/v1/{record_type.segment}", record_router(record_type))
    target.add_router("/v1", vocabulary.router)


mount(api)
