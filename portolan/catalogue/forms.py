"""Editor forms. They only parse the request into the `data` mapping the services take; the
services do the real validation, and their errors are put back on the form fields."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import model_to_dict
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from portolan.accounts.models import Organisation
from portolan.core.fields import UNKNOWN_VALUES_MESSAGE
from portolan.places.models import UNKNOWN_PORT_CITY_MESSAGE, PortCity

from .models import (
    AttachmentKind,
    ContentLanguage,
    Initiative,
    InitiativeTranslation,
    Offer,
    PortCenter,
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


def _translation_field(name: str, label: str, **kwargs: Any) -> Any:
    model_field: Any = InitiativeTranslation._meta.get_field(name)
    return model_field.formfield(label=label, required=False, **kwargs)


class ServiceFormMixin:
    """A form whose cleaned data is handed to a service, which may refuse it."""

    fields: dict[str, Any]
    add_error: Any

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


def _formfield(model_field: Any, **kwargs: Any) -> Any:
    if isinstance(model_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return model_field.formfield(**kwargs)


class RecordFormMixin(ServiceFormMixin, forms.ModelForm):
    """A record's editor form, made from its model: field types, lengths, choices, whether a
    field is required, labels and help texts come from the model, and the model's own rules
    (`full_clean`) run on the form before the service runs them again on the saved record."""

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
        for name in ("partners", "operators"):
            if name in self.fields:
                field = self.fields[name]
                assert isinstance(field, forms.ModelMultipleChoiceField)
                field.queryset = Organisation.objects.only("id", "name")
        if "port_city" in self.fields:
            city = self.fields["port_city"]
            assert isinstance(city, forms.ModelChoiceField)
            city.queryset = PortCity.objects.only("id", "name", "country")

    def model_values(self) -> dict[str, Any]:
        """The cleaned values of the model's editable fields, lists for the links."""
        cd = self.cleaned_data
        data: dict[str, Any] = {}
        for name in self._meta.fields or ():
            value = cd.get(name)
            is_many = isinstance(self.fields.get(name), forms.ModelMultipleChoiceField)
            data[name] = list(value or []) if is_many else value
        return data

    @classmethod
    def model_initial(cls, record: Any) -> dict[str, Any]:
        """The record's values as the form shows them (ids for links)."""
        fields = [name for name in cls._meta.fields or () if name in cls.base_fields]
        return model_to_dict(record, fields=fields)

    def fieldsets(self) -> list[tuple[Any, list[forms.BoundField]]]:
        """The fields in labelled groups, for a form that reads in sections."""
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.FIELDSETS
        ]


class InitiativeForm(RecordFormMixin):
    class Meta:
        model = Initiative
        fields = Initiative.editable_fields
        formfield_callback = _formfield
        field_classes = {
            "partners": KnownChoicesField,
            "themes": KnownChoicesField,
            "goals": GoalChoiceField,
            "audiences": KnownChoicesField,
        }
        widgets = {
            "summary": _textarea(4),
            "context": _textarea(),
            "actions": _textarea(),
            "results": _textarea(),
            "resources": _textarea(3),
            "lessons": _textarea(),
            "links": _textarea(3),
            "partners": forms.SelectMultiple(attrs={"size": 6}),
            "themes": forms.CheckboxSelectMultiple,
            "goals": forms.CheckboxSelectMultiple,
            "audiences": forms.CheckboxSelectMultiple,
        }
        labels = {"status": pgettext_lazy("initiative", "Status")}
        help_texts = {
            "summary": _("Two or three sentences: what, where, for whom."),
            "links": _("One web address per line."),
        }
        error_messages = {"port_city": {"invalid_choice": UNKNOWN_PORT_CITY_MESSAGE}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Translations of the title and summary, one pair per interface language.
        names = dict(ContentLanguage.choices)
        for code in TRANSLATION_LANGUAGES:
            self.fields[f"title_{code}"] = _translation_field(
                "title", gettext("Title in %(language)s") % {"language": names[code]}
            )
            self.fields[f"summary_{code}"] = _translation_field(
                "summary",
                gettext("Summary in %(language)s") % {"language": names[code]},
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
        data = self.model_values()
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

    @classmethod
    def initial_from(cls, record: Initiative) -> dict[str, Any]:
        initial = cls.model_initial(record)
        for item in record.translations.all():
            initial[f"title_{item.language}"] = item.title
            initial[f"summary_{item.language}"] = item.summary
        return initial


class PortCenterForm(RecordFormMixin):
    offers = forms.MultipleChoiceField(
        label=_("Offers"),
        choices=Offer.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = PortCenter
        fields = PortCenter.editable_fields
        formfield_callback = _formfield
        field_classes = {"operators": KnownChoicesField, "audiences": KnownChoicesField}
        widgets = {
            "description": _textarea(6),
            "sources": _textarea(3),
            "operators": forms.SelectMultiple(attrs={"size": 6}),
            "audiences": forms.CheckboxSelectMultiple,
        }
        labels = {"status": pgettext_lazy("port center", "Status")}
        help_texts = {"sources": _("One web address per line.")}
        error_messages = {"port_city": {"invalid_choice": UNKNOWN_PORT_CITY_MESSAGE}}

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
        data = self.model_values()
        data["offers"] = list(self.cleaned_data.get("offers") or [])
        return cast(PortCenterData, data)

    @classmethod
    def initial_from(cls, record: PortCenter) -> dict[str, Any]:
        initial = cls.model_initial(record)
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
