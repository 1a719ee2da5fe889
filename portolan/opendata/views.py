from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from portolan.accounts.decorators import staff_required

from . import exports, importing, selectors, services
from . import rows as catalogue_rows
from .forms import ImportForm
from .sitemaps import SITEMAPS

_PENDING_KEY = "opendata:import:{token}"
_PENDING_SECONDS = 3600


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    context = {
        "formats": exports.FORMATS,
        "export_limit": selectors.EXPORT_LIMIT,
        "fields": catalogue_rows.export_fields(),
        "kinds": [(k, importing.KIND_LABELS[k]) for k in importing.KINDS],
        "site_url": settings.SITE_URL,
        "feed_limit": selectors.FEED_LIMIT,
    }
    return render(request, "opendata/index.html", context)


def _bad_params(fmt: str, errors: dict[str, str]) -> HttpResponse:
    message = _("Invalid search parameters; nothing was exported.")
    if fmt in ("json", "geojson"):
        return JsonResponse({"error": message, "errors": errors}, status=400)
    lines = [message, *(f"{key}: {value}" for key, value in sorted(errors.items()))]
    return HttpResponseBadRequest("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    params, errors = selectors.read_params(request.GET)
    if errors:
        return _bad_params(fmt, errors)
    # One more than the cap tells whether the search matched more than an export holds.
    refs = selectors.export_refs(params, limit=selectors.EXPORT_LIMIT + 1)
    truncated = len(refs) > selectors.EXPORT_LIMIT
    refs = refs[: selectors.EXPORT_LIMIT]
    rows = catalogue_rows.export_rows(refs)
    fields = catalogue_rows.export_fields()
    meta = {
        "source": settings.SITE_URL + request.get_full_path(),
        "licence": "ODbL-1.0",
        "limit": selectors.EXPORT_LIMIT,
        "truncated": truncated,
        "fields": list(fields),
    }
    response: HttpResponse | StreamingHttpResponse
    if fmt == "csv":
        response = StreamingHttpResponse(exports.csv_chunks(fields, rows))
    elif fmt == "json":
        response = StreamingHttpResponse(exports.json_chunks(meta, rows))
    elif fmt == "geojson":
        response = StreamingHttpResponse(exports.geojson_chunks(meta, rows))
    else:
        response = HttpResponse(exports.xlsx_bytes(fields, rows, title="Portolan"))
    response["Content-Type"] = exports.CONTENT_TYPES[fmt]
    filename = exports.export_filename(params, fmt, timezone.localdate())
    response["Content-Disposition"] = exports.content_disposition(filename)
    response["X-Export-Limit"] = str(selectors.EXPORT_LIMIT)
    response["X-Export-Truncated"] = "true" if truncated else "false"
    # CORS headers come from django-cors-headers (settings.CORS_URLS_REGEX).
    return response


def _import_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {
        "kinds": [(k, importing.KIND_LABELS[k]) for k in importing.KINDS],
        "columns": importing.COLUMNS,
        "runs": selectors.recent_import_runs(),
        **extra,
    }


@staff_required
@require_http_methods(["GET", "POST"])
def import_records(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and request.POST.get("token"):
        return _commit(request, request.POST["token"])
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        upload = form.cleaned_data["file"]
        data = upload.read()
        output = services.check_file(kind=kind, filename=upload.name, data=data)
        token = ""
        if output.ok:
            token = secrets.token_urlsafe(24)
            cache.set(
                _PENDING_KEY.format(token=token),
                {"user": request.user.pk, "kind": kind, "filename": upload.name, "data": data},
                _PENDING_SECONDS,
            )
        context = _import_context(
            request, form=form, output=output, kind=kind, filename=upload.name, token=token
        )
        return render(request, "opendata/import.html", context)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "opendata/import.html", _import_context(request, form=form), status=status
    )


def _commit(request: HttpRequest, token: str) -> HttpResponse:
    key = _PENDING_KEY.format(token=token[:64])
    pending = cache.get(key)
    if not pending or pending["user"] != request.user.pk:
        messages.error(request, _("This checked file is no longer available; upload it again."))
        return redirect("opendata:import")
    output = services.import_file(
        kind=pending["kind"],
        filename=pending["filename"],
        data=pending["data"],
        user=request.user,  # type: ignore[arg-type]
    )
    cache.delete(key)
    if output.ok and output.plan is not None:
        counts = output.plan.counts
        messages.success(
            request,
            _(
                "Imported %(file)s: %(created)s created, %(updated)s updated, "
                "%(unchanged)s unchanged."
            )
            % {
                "file": pending["filename"],
                "created": counts[importing.CREATE],
                "updated": counts[importing.UPDATE],
                "unchanged": counts[importing.UNCHANGED],
            },
        )
        return redirect("opendata:import")
    context = _import_context(
        request,
        form=ImportForm(),
        output=output,
        kind=pending["kind"],
        filename=pending["filename"],
        token="",
    )
    return render(request, "opendata/import.html", context, status=400)


@staff_required
@require_GET
def import_template(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    if kind not in importing.KINDS:
        return HttpResponse(status=404)
    names = importing.column_names(kind)
    if fmt == "csv":
        body = "".join(exports.csv_chunks(names, []))
        response = HttpResponse(body, content_type=exports.CONTENT_TYPES["csv"])
    else:
        response = HttpResponse(
            exports.xlsx_bytes(names, [], title=kind), content_type=exports.CONTENT_TYPES["xlsx"]
        )
    response["Content-Disposition"] = exports.content_disposition(f"portolan-{kind}-template.{fmt}")
    return response


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *"]
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            prefixes = [
                reverse("admin:index"),
                f"/{code}/accounts/",
                f"/{code}/account/",
                reverse("catalogue:dashboard"),
            ]
        lines.extend(f"Disallow: {p}" for p in prefixes)
    lines += ["Allow: /", "", f"Sitemap: {settings.SITE_URL}/sitemap.xml", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_GET
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """The sitemap index: one entry per section page, counted without loading the records."""
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        location = settings.SITE_URL + reverse("sitemap-section", kwargs={"section": section})
        lastmod = sitemap.get_latest_lastmod()
        for page in range(1, sitemap.num_pages() + 1):  # type: ignore[attr-defined]
            entries.append(
                {"location": location if page == 1 else f"{location}?p={page}", "lastmod": lastmod}
            )
    response = render(
        request, "opendata/sitemap_index.xml", {"entries": entries}, content_type="application/xml"
    )
    return response
