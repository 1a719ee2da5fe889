from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from . import importing
from .tabular import MAX_BYTES


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Records in the file"),
        choices=[(k, importing.KIND_LABELS[k]) for k in importing.KINDS],
    )
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "UTF-8 CSV (comma, semicolon or tab separated) or XLSX, first sheet, up to 5 MB."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large; the limit is %(limit)s MB."),
                params={"limit": MAX_BYTES // 1024 // 1024},
            )
        if not upload.name.lower().endswith((".csv", ".txt", ".tsv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload
