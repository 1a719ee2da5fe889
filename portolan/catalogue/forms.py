"""Editor forms. They only parse the request into the `data` mapping the services take; the
services do the real validation, and their errors are put back on the form fields."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from portolan.accounts.models import Organisation
from portolan.core.fields import UNKNOWN_VALUES_MESSAGE
from portolan.core.models import Audience, Goal, Theme
from portolan.places.models import UNKNOWN_PORT_CITY_MESSAGE, PortCity

from .models import (
    AttachmentKind,
    BudgetBand,
    ContentLanguage,
    Initiative,
    InitiativeStatus,
    Offer,
    PortCenter,
    PortCenterStatus,
)
from .services.inputs import InitiativeData, PortCenterData

TRANSLATION_LANGUAGES = [code for code, _name in settings.LANGUAGES]


class KnownChoicesField(forms.ModelMultipleChoiceField):
    """Says what the services and the import say of values that match nothing."""

    def _check_values(self, value: Any) -> Any:
        try:
            return super()._check_values(value)  # type: ignore[misc]
        except ValidationError as exc:
            if exc.code != "invalid_choice":
                raise
            queryset: Any = self.queryset
            known = {str(pk) for pk in queryset.values_list("pk", flat=True)}
            unknown = [str(v) for v in value if str(v) not in known]
            raise ValidationError(
                str(UNKNOWN_VALUES_MESSAGE) % {"values": ", ".join(unknown)}, code="invalid_choice"
            ) from None


class GoalChoiceField(KnownChoicesField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number}. {obj.name}"


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class ServiceForm(forms.Form):
    """A form whose cleaned data is handed to a service."""

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, messages in error.message_dict.items():
            target = field if field in self.fields else None
            if field.startswith("translation") and "translations_note" in self.fields:
                target = None
            for message in messages:
                self.add_error(target, message)


class RecordFormMixin(ServiceForm):
    FIELDSETS: tuple[tuple[Any, tuple[str, ...]], ...] = ()

    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        help_text=_("The organisation that owns and maintains the record."),
    )

    def __init__(
        self, *args: Any, organisations: Any = None, creating: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if creating and organisations is not None:
            field = self.fields["organisation"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = organisations
            if len(field.queryset) == 1:
                field.initial = field.queryset[0]
        else:
            del self.fields["organisation"]

    def fieldsets(self) -> list[tuple[Any, list[forms.BoundField]]]:
        """The fields in labelled groups, for a form that reads in sections."""
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.FIELDSETS
        ]


class InitiativeForm(RecordFormMixin):
    title = forms.CharField(label=_("Title"), max_length=220)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=1200,
        widget=_textarea(4),
        help_text=_("Two or three sentences: what, where, for whom."),
    )
    language = forms.ChoiceField(
        label=_("Language of the text"), choices=ContentLanguage.choices, initial="en"
    )
    port_city = forms.ModelChoiceField(
        label=_("Port city"),
        queryset=PortCity.objects.only("id", "name", "country"),
        error_messages={"invalid_choice": UNKNOWN_PORT_CITY_MESSAGE},
    )
    context = forms.CharField(label=_("Context and challenge"), required=False, widget=_textarea())
    actions = forms.CharField(label=_("What was done"), required=False, widget=_textarea())
    results = forms.CharField(
        label=_("Results and measurable evidence"), required=False, widget=_textarea()
    )
    resources = forms.CharField(label=_("Resources needed"), required=False, widget=_textarea(3))
    lessons = forms.CharField(
        label=_("Lessons and potential for transfer"), required=False, widget=_textarea()
    )
    partners = KnownChoicesField(
        label=_("Partner organisations"),
        queryset=Organisation.objects.only("id", "name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    themes = KnownChoicesField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    goals = GoalChoiceField(
        label=_("Agenda 2030 goals"),
        queryset=Goal.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    audiences = KnownChoicesField(
        label=_("Audiences"),
        queryset=Audience.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start_year = forms.IntegerField(label=_("Start year"), required=False)
    end_year = forms.IntegerField(label=_("End year"), required=False)
    status = forms.ChoiceField(
        label=pgettext_lazy("initiative", "Status"),
        choices=InitiativeStatus.choices,
        initial="ongoing",
    )
    budget_band = forms.ChoiceField(label=_("Budget"), choices=BudgetBand.choices, required=False)
    funding_sources = forms.CharField(label=_("Funding sources"), max_length=300, required=False)
    links = forms.CharField(
        label=_("Links"),
        required=False,
        widget=_textarea(3),
        help_text=_("One web address per line."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Translations of the title and summary, one pair per interface language.
        names = dict(ContentLanguage.choices)
        for code in TRANSLATION_LANGUAGES:
            self.fields[f"title_{code}"] = forms.CharField(
                label=gettext("Title in %(language)s") % {"language": names[code]},
                max_length=220,
                required=False,
            )
            self.fields[f"summary_{code}"] = forms.CharField(
                label=gettext("Summary in %(language)s") % {"language": names[code]},
                max_length=1200,
                required=False,
                widget=_textarea(3),
            )

    FIELDSETS = (
        (_("About the initiative"), ("organisation", "title", "summary", "language", "status")),
        (_("The story"), ("context", "actions", "results", "resources", "lessons")),
        (_("Where and with whom"), ("port_city", "partners", "audiences")),
        (_("Themes and Agenda 2030 goals"), ("themes", "goals")),
        (
            _("Dates, budget and links"),
            ("start_year", "end_year", "budget_band", "funding_sources", "links"),
        ),
    )

    def translation_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"title_{code}"], self[f"summary_{code}"]) for code in TRANSLATION_LANGUAGES]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        language = cleaned.get("language")
        for code in TRANSLATION_LANGUAGES:
            title = (cleaned.get(f"title_{code}") or "").strip()
            summary = (cleaned.get(f"summary_{code}") or "").strip()
            if not title and not summary:
                continue
            if code == language:
                self.add_error(
                    f"title_{code}",
                    gettext("The record is already written in this language: leave it empty."),
                )
            elif not title:
                self.add_error(f"title_{code}", gettext("Give the translated title too."))
            elif not summary:
                self.add_error(f"summary_{code}", gettext("Give the translated summary too."))
        return cleaned

    def to_data(self) -> InitiativeData:
        cd = self.cleaned_data
        data = {
            key: cd.get(key)
            for key in (
                "title",
                "summary",
                "language",
                "port_city",
                "context",
                "actions",
                "results",
                "resources",
                "lessons",
                "start_year",
                "end_year",
                "status",
                "budget_band",
                "funding_sources",
                "links",
            )
        }
        data["partners"] = list(cd.get("partners") or [])
        data["themes"] = list(cd.get("themes") or [])
        data["goals"] = list(cd.get("goals") or [])
        data["audiences"] = list(cd.get("audiences") or [])
        data["translations"] = [
            {
                "language": code,
                "title": cd.get(f"title_{code}", ""),
                "summary": cd.get(f"summary_{code}", ""),
            }
            for code in TRANSLATION_LANGUAGES
            if (cd.get(f"title_{code}") or "").strip() and code != cd.get("language")
        ]
        return cast(InitiativeData, data)

    @staticmethod
    def initial_from(record: Initiative) -> dict[str, Any]:
        initial: dict[str, Any] = {
            field: getattr(record, field)
            for field in (
                "title",
                "summary",
                "language",
                "context",
                "actions",
                "results",
                "resources",
                "lessons",
                "start_year",
                "end_year",
                "status",
                "budget_band",
                "funding_sources",
                "links",
            )
        }
        initial["port_city"] = record.port_city_id
        initial["partners"] = [o.pk for o in record.partners.all()]
        initial["themes"] = [t.pk for t in record.themes.all()]
        initial["goals"] = [g.pk for g in record.goals.all()]
        initial["audiences"] = [a.pk for a in record.audiences.all()]
        for item in record.translations.all():
            initial[f"title_{item.language}"] = item.title
            initial[f"summary_{item.language}"] = item.summary
        return initial


class PortCenterForm(RecordFormMixin):
    name = forms.CharField(label=_("Name"), max_length=200)
    port_city = forms.ModelChoiceField(
        label=_("Port city"),
        queryset=PortCity.objects.only("id", "name", "country"),
        error_messages={"invalid_choice": UNKNOWN_PORT_CITY_MESSAGE},
    )
    status = forms.ChoiceField(
        label=pgettext_lazy("port center", "Status"),
        choices=[("", "—"), *PortCenterStatus.choices],
        required=False,
    )
    description = forms.CharField(label=_("Description"), required=False, widget=_textarea(6))
    operators = KnownChoicesField(
        label=_("Operator organisations"),
        queryset=Organisation.objects.only("id", "name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    operator_text = forms.CharField(
        label=_("Operator(s) as stated"), max_length=300, required=False
    )
    opening_year = forms.IntegerField(label=_("Opening year"), required=False)
    charter_signed_year = forms.IntegerField(label=_("Missions Charter signed"), required=False)
    governance_model = forms.CharField(label=_("Governance model"), max_length=300, required=False)
    surface_m2 = forms.IntegerField(label=_("Surface (m²)"), required=False, min_value=0)
    staff_fte = forms.DecimalField(
        label=_("Staff (FTE)"), required=False, min_value=0, max_digits=6, decimal_places=1
    )
    visitors_per_year = forms.IntegerField(
        label=_("Visitors per year"), required=False, min_value=0
    )
    visitors_year_of_figure = forms.IntegerField(
        label=_("Year of the visitor figure"), required=False
    )
    audiences = KnownChoicesField(
        label=_("Audiences"),
        queryset=Audience.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    offers = forms.MultipleChoiceField(
        label=_("Offers"),
        choices=Offer.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.CharField(
        label=_("Languages spoken"),
        max_length=120,
        required=False,
        help_text=_("Comma-separated."),
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    latitude = forms.FloatField(label=_("Latitude"), required=False)
    longitude = forms.FloatField(label=_("Longitude"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    contact_email = forms.EmailField(
        label=_("Public contact e-mail"),
        required=False,
        help_text=_("An organisation's address, never a person's private one."),
    )
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False)
    sources = forms.CharField(
        label=_("Public sources"),
        required=False,
        widget=_textarea(3),
        help_text=_("One web address per line."),
    )

    _SCALARS = (
        "name",
        "port_city",
        "status",
        "description",
        "operator_text",
        "opening_year",
        "charter_signed_year",
        "governance_model",
        "surface_m2",
        "staff_fte",
        "visitors_per_year",
        "visitors_year_of_figure",
        "languages",
        "address",
        "latitude",
        "longitude",
        "website",
        "contact_email",
        "notes",
        "sources",
    )

    FIELDSETS = (
        (
            _("About the Port Center"),
            ("organisation", "name", "port_city", "status", "description"),
        ),
        (
            _("Operators and governance"),
            (
                "operators",
                "operator_text",
                "governance_model",
                "opening_year",
                "charter_signed_year",
            ),
        ),
        (
            _("Visitors and offer"),
            (
                "audiences",
                "offers",
                "languages",
                "visitors_per_year",
                "visitors_year_of_figure",
                "surface_m2",
                "staff_fte",
            ),
        ),
        (
            _("Location and contact"),
            ("address", "latitude", "longitude", "website", "contact_email"),
        ),
        (_("Sources and notes"), ("sources", "notes")),
    )

    def to_data(self) -> PortCenterData:
        cd = self.cleaned_data
        data: dict[str, Any] = {key: cd.get(key) for key in self._SCALARS}
        data["operators"] = list(cd.get("operators") or [])
        data["audiences"] = list(cd.get("audiences") or [])
        data["offers"] = list(cd.get("offers") or [])
        return cast(PortCenterData, data)

    @classmethod
    def initial_from(cls, record: PortCenter) -> dict[str, Any]:
        initial: dict[str, Any] = {
            key: getattr(record, key) for key in cls._SCALARS if key != "port_city"
        }
        initial["port_city"] = record.port_city_id
        initial["operators"] = [o.pk for o in record.operators.all()]
        initial["audiences"] = [a.pk for a in record.audiences.all()]
        initial["offers"] = list(record.offers or [])
        return initial


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of file"), choices=AttachmentKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("Images: JPEG, PNG, GIF or WebP. Documents: PDF only."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}),
    )


class ModerationForm(forms.Form):
    ACTIONS = (
        ("approve", _("Approve and publish")),
        ("request_changes", _("Request changes")),
        ("reject", _("Reject")),
    )
    action = forms.ChoiceField(choices=ACTIONS)
    message = forms.CharField(
        label=_("Message to the organisation"),
        required=False,
        max_length=4000,
        widget=_textarea(3),
        help_text=_("Required to request changes or to reject."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("action") in ("request_changes", "reject")
            and not (cleaned.get("message") or "").strip()
        ):
            self.add_error("message", gettext("Write a message for the organisation."))
        return cleaned
