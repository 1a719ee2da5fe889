"""Public catalogue pages: the index and the detail pages of Port Centers, initiatives and
organisations. Drafts answer 404 to whoever may not see them, so their existence does not leak."""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from portolan.core.pagecache import public_page

from . import selectors
from .models import PortCenterStatus
from .permissions import can_edit, can_view


@public_page
def home(request: HttpRequest) -> HttpResponse:
    """The home page lives here because everything it shows is the catalogue's."""
    return render(request, "catalogue/home.html", selectors.home_context())


class PortCenterFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=pgettext_lazy("port center", "Status"),
        required=False,
        choices=[("", _("Any status")), *PortCenterStatus.choices],
    )
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args: object, country_codes: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        names = sorted(((code, str(countries.name(code))) for code in country_codes), key=_by_name)
        country_field = self.fields["country"]
        assert isinstance(country_field, forms.ChoiceField)
        country_field.choices = [("", _("Any country")), *names]


def _by_name(item: tuple[str, str]) -> str:
    return item[1]


@public_page
def index(request: HttpRequest) -> HttpResponse:
    form = PortCenterFilterForm(
        request.GET or None, country_codes=selectors.port_center_filter_countries()
    )
    status = country = ""
    if form.is_bound and form.is_valid():
        status = form.cleaned_data["status"]
        country = form.cleaned_data["country"]
    page = selectors.port_center_page(status=status, country=country, page=request.GET.get("page"))
    return render(
        request,
        "catalogue/public/index.html",
        {
            "form": form,
            "page_obj": page,
            "is_filtered": bool(status or country),
            "latest_initiatives": selectors.latest_initiatives(6),
        },
    )


@public_page
def port_center_detail(request: HttpRequest, slug: str) -> HttpResponse:
    port_center = selectors.port_center_for_detail(slug)
    if port_center is None or not can_view(request.user, port_center):
        raise Http404
    point = port_center.point
    map_points = [{"name": port_center.name, "lat": point[0], "lon": point[1]}] if point else []
    return render(
        request,
        "catalogue/public/port_center_detail.html",
        {
            "port_center": port_center,
            "map_points": map_points,
            "related": selectors.port_center_related(port_center),
            "can_edit": can_edit(request.user, port_center),
        },
    )


@public_page
def initiative_detail(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = selectors.initiative_for_detail(slug)
    if initiative is None or not can_view(request.user, initiative):
        raise Http404
    return render(
        request,
        "catalogue/public/initiative_detail.html",
        {
            "initiative": initiative,
            "translation": selectors.translation_for(initiative, get_language() or ""),
            "related": selectors.initiative_related(initiative),
            "can_edit": can_edit(request.user, initiative),
        },
    )


@public_page
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_for_detail(slug)
    if organisation is None:
        raise Http404
    return render(
        request,
        "catalogue/public/organisation_detail.html",
        {"organisation": organisation, "records": selectors.organisation_records(organisation)},
    )
