"""Port city pages. They live in the catalogue because what they show of a city is its Port
Centers and initiatives, through the catalogue's selectors (which apply the publication rules);
the places app keeps the cities themselves (models, coordinates, services)."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from portolan.core.pagecache import public_page
from portolan.places import selectors
from portolan.places.models import Region

from . import selectors as catalogue_selectors

PER_PAGE = 50


class PortCityFilterForm(forms.Form):
    region = forms.ChoiceField(
        label=_("Region"), required=False, choices=[("", _("Any region")), *Region.choices]
    )
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args: object, country_codes: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        names = sorted(
            ((code, str(countries.name(code))) for code in country_codes), key=lambda c: c[1]
        )
        country_field = self.fields["country"]
        assert isinstance(country_field, forms.ChoiceField)
        country_field.choices = [("", _("Any country")), *names]


@public_page
def port_city_list(request: HttpRequest) -> HttpResponse:
    form = PortCityFilterForm(
        request.GET or None, country_codes=selectors.countries_with_port_cities()
    )
    region = country = ""
    if form.is_bound and form.is_valid():
        region = form.cleaned_data["region"]
        country = form.cleaned_data["country"]
    cities = selectors.port_cities(region=region, country=country)
    page = Paginator(cities, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "places/port_city_list.html",
        {
            "form": form,
            "page_obj": page,
            "rows": catalogue_selectors.city_rows(page.object_list),
            "is_filtered": bool(region or country),
        },
    )


@public_page
def port_city_detail(request: HttpRequest, slug: str) -> HttpResponse:
    city = selectors.port_city_by_slug(slug)
    if city is None:
        raise Http404
    records = catalogue_selectors.port_city_records(city)
    map_points = [
        {"name": city.name, "lat": city.latitude, "lon": city.longitude},
        *(
            {"name": pc.name, "slug": pc.slug, "lat": pc.latitude, "lon": pc.longitude}
            for pc in records.port_centers
            if pc.latitude is not None and pc.longitude is not None
        ),
    ]
    return render(
        request,
        "places/port_city_detail.html",
        {
            "city": city,
            "records": records,
            "map_points": map_points,
            "port_center_url_prefix": catalogue_selectors.port_center_url_prefix(),
        },
    )
