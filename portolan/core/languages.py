"""Languages a record's own text can be written in (wider than the three UI languages), shared by
every app that stores or shows written content."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContentLanguage(models.TextChoices):
    EN = "en", _("English")
    FR = "fr", _("French")
    ES = "es", _("Spanish")
    IT = "it", _("Italian")
    PT = "pt", _("Portuguese")
    NL = "nl", _("Dutch")
    DE = "de", _("German")
    OTHER = "other", _("Other")


def language_label(code: str) -> str:
    return str(dict(ContentLanguage.choices).get(code, "")) if code else ""
