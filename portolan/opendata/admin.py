from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Import runs are a log: readable by staff, never edited by hand."""

    list_display = ("created_at", "kind", "filename", "outcome", "user", "created", "updated")
    list_filter = ("kind", "outcome")
    search_fields = ("filename", "sha256", "user__email")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
