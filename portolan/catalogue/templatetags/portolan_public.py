"""Template helpers for the public pages: schema.org JSON-LD, absolute URLs, source links.

JSON-LD goes into `<script type="application/ld+json">`: a data block the browser never runs,
so the Content Security Policy (no inline script) does not apply to it. The JSON is escaped like
Django's `json_script` so no value can close the element."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import URLValidator
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from portolan.catalogue.location import CITY, record_location

register = template.Library()

_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
SCHEMA_CONTEXT = "https://schema.org"


_WEB_URL = URLValidator(schemes=["http", "https"])


def is_web_url(value: str) -> bool:
    """Only http(s) addresses are links; a source can also be a document's name."""
    try:
        _WEB_URL(value)
    except ValidationError:
        return False
    return True


def absolute_url(path: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return f"{settings.SITE_URL}{path}"


def attachment_url(attachment: Any) -> str:
    """The attachment's URL, or "" while the serving view is not installed."""
    try:
        return reverse("catalogue:attachment", kwargs={"pk": attachment.pk})
    except NoReverseMatch:
        return ""


def first_image_url(record: Any) -> str:
    """Absolute URL of the record's first image attachment (prefetched), for og:image."""
    for attachment in record.attachments.all():
        if attachment.kind == "image":
            url = attachment_url(attachment)
            if url:
                return absolute_url(url)
    return ""


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """Drop empty values: structured data states only what the record states."""
    cleaned: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            value = _clean(value)
            if set(value) <= {"@type"}:
                continue
        elif isinstance(value, list):
            value = [_clean(v) if isinstance(v, dict) else v for v in value]
            value = [v for v in value if v not in ("", None, {})]
        if value in ("", None, [], {}):
            continue
        cleaned[key] = value
    return cleaned


def _postal_address(city: Any, street: str = "") -> dict[str, Any]:
    if city is None:
        return {}
    return {
        "@type": "PostalAddress",
        "streetAddress": street,
        "addressLocality": city.name,
        "addressCountry": str(city.country),
    }


def _geo(lat: float | None, lon: float | None) -> dict[str, Any]:
    if lat is None or lon is None:
        return {}
    return {"@type": "GeoCoordinates", "latitude": lat, "longitude": lon}


def _organisation_ref(organisation: Any) -> dict[str, Any]:
    return {
        "@type": "Organization",
        "name": organisation.name,
        "url": absolute_url(organisation.get_absolute_url()),
    }


def _city_ref(city: Any) -> dict[str, Any]:
    return {
        "@type": "Place",
        "name": city.name,
        "url": absolute_url(city.get_absolute_url()),
        "geo": _geo(city.latitude, city.longitude),
        "address": {"@type": "PostalAddress", "addressCountry": str(city.country)},
    }


def port_city_data(city: Any) -> dict[str, Any]:
    data = _city_ref(city)
    data["address"] = _postal_address(city)
    return data


def _location(record: Any) -> dict[str, Any]:
    """`geo` and `additionalProperty` by the shared location rule: the point, and a
    `location_precision` property ("address" or "city") with a note when it is only the city's.
    The note sits in the property, not in `geo`, which stays a plain GeoCoordinates."""
    where = record_location(record)
    geo = _geo(where.latitude, where.longitude)
    if not geo:
        return {}
    precision: dict[str, Any] = {
        "@type": "PropertyValue",
        "propertyID": "location_precision",
        "value": where.precision,
    }
    if where.precision == CITY:
        precision["description"] = _("Approximate position: the port city, not the address.")
    return {"geo": geo, "additionalProperty": [precision]}


def _date(value: Any) -> str:
    return value.date().isoformat() if value else ""


def port_center_data(port_center: Any) -> dict[str, Any]:
    return {
        "@type": "Place",
        "additionalType": "https://schema.org/TouristAttraction",
        "name": port_center.name,
        "url": absolute_url(port_center.get_absolute_url()),
        "description": port_center.description,
        "address": _postal_address(port_center.port_city, port_center.address),
        **_location(port_center),
        "containedInPlace": _city_ref(port_center.port_city),
        "sameAs": port_center.website,
        "email": port_center.contact_email,
        "image": first_image_url(port_center),
        "subjectOf": [s for s in port_center.source_list if is_web_url(s)],
        "dateModified": _date(port_center.updated_at),
    }


def initiative_data(initiative: Any) -> dict[str, Any]:
    return {
        "@type": "CreativeWork",
        "name": initiative.title,
        "headline": initiative.title,
        "url": absolute_url(initiative.get_absolute_url()),
        "abstract": initiative.summary,
        "description": initiative.summary,
        "inLanguage": initiative.language if initiative.language != "other" else "",
        "spatialCoverage": _city_ref(initiative.port_city),
        "creator": _organisation_ref(initiative.organisation),
        "contributor": [_organisation_ref(p) for p in initiative.partners.all()],
        "keywords": ", ".join(theme.name for theme in initiative.themes.all()),
        "about": [{"@type": "Thing", "name": goal.name} for goal in initiative.goals.all()],
        "audience": [
            {"@type": "Audience", "audienceType": audience.name}
            for audience in initiative.audiences.all()
        ],
        "datePublished": _date(initiative.published_at),
        "dateModified": _date(initiative.updated_at),
        "image": first_image_url(initiative),
        "sameAs": [link for link in initiative.link_list if is_web_url(link)],
    }


def organisation_data(organisation: Any) -> dict[str, Any]:
    return {
        "@type": "Organization",
        "name": organisation.name,
        "url": absolute_url(organisation.get_absolute_url()),
        "sameAs": organisation.website,
        "description": organisation.description,
        "address": _postal_address(organisation.port_city),
        "logo": absolute_url(organisation.logo.url) if organisation.logo else "",
        "dateModified": _date(organisation.updated_at),
    }


BUILDERS = {
    "portcity": port_city_data,
    "portcenter": port_center_data,
    "initiative": initiative_data,
    "organisation": organisation_data,
}


def structured_data(record: Any) -> dict[str, Any]:
    builder = BUILDERS[record._meta.model_name]
    return {"@context": SCHEMA_CONTEXT, **_clean(builder(record))}


def dumps_for_script(data: Any) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)


@register.simple_tag
def jsonld(record: Any) -> SafeString:
    """`{% jsonld record %}` → a schema.org JSON-LD block for a catalogue or places record."""
    payload = dumps_for_script(structured_data(record))
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')


@register.filter
def absolute(path: str) -> str:
    return absolute_url(str(path or ""))


@register.filter
def source_link(value: str) -> SafeString:
    """`{{ url|source_link }}`: a link for an http(s) address, plain (escaped) text otherwise,
    so a file name in a record's sources is not turned into a broken relative link."""
    value = str(value or "")
    if is_web_url(value):
        return format_html('<a href="{0}" rel="nofollow noopener" class="url">{0}</a>', value)
    return format_html("{}", value)


@register.simple_tag
def og_image(record: Any) -> str:
    return first_image_url(record)


@register.simple_tag
def page_url(request: Any, number: int) -> str:
    """The current URL with only the page number changed, so filters survive paging."""
    query = request.GET.copy()
    query["page"] = number
    return f"?{query.urlencode()}"
