"""Template helpers for the public pages: schema.org JSON-LD and absolute URLs.

JSON-LD goes into `<script type="application/ld+json">`: a data block the browser never runs,
so the Content Security Policy (no inline script) does not apply to it. The JSON is escaped like
Django's `json_script` so no value can close the element."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
SCHEMA_CONTEXT = "https://schema.org"


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


def port_center_data(port_center: Any) -> dict[str, Any]:
    lat, lon = port_center.point or (None, None)
    return {
        "@type": "Place",
        "additionalType": "https://schema.org/TouristAttraction",
        "name": port_center.name,
        "url": absolute_url(port_center.get_absolute_url()),
        "description": port_center.description,
        "address": _postal_address(port_center.port_city, port_center.address),
        "geo": _geo(lat, lon),
        "containedInPlace": _city_ref(port_center.port_city),
        "sameAs": port_center.website,
        "email": port_center.contact_email,
        "image": first_image_url(port_center),
        "subjectOf": list(port_center.source_list),
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
        "datePublished": initiative.published_at.date().isoformat()
        if initiative.published_at
        else "",
        "dateModified": initiative.updated_at.date().isoformat() if initiative.updated_at else "",
        "image": first_image_url(initiative),
        "sameAs": list(initiative.link_list),
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


@register.simple_tag
def og_image(record: Any) -> str:
    return first_image_url(record)


@register.simple_tag
def page_url(request: Any, number: int) -> str:
    """The current URL with only the page number changed, so filters survive paging."""
    query = request.GET.copy()
    query["page"] = number
    return f"?{query.urlencode()}"
