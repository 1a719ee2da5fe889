from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import User


class EmailLoginForm(AuthenticationForm):
    """Django's login form, labelled for e-mail. The field keeps the name `username`, which is
    what django-axes reads (AXES_USERNAME_FORM_FIELD)."""

    username = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def clean_username(self) -> str:
        return str(self.cleaned_data["username"]).strip().lower()


class ProfileForm(forms.ModelForm):
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        required=False,
        help_text=_("Used for the interface after you sign in and for e-mails we send you."),
    )

    class Meta:
        model = User
        fields = ["full_name", "preferred_language"]
        labels = {"full_name": _("Full name")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["preferred_language"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("No preference")), *settings.LANGUAGES]

    def clean_full_name(self) -> str:
        # Plain text only: a name is never rendered as HTML, but keep it tidy.
        return " ".join(str(self.cleaned_data.get("full_name") or "").split())
