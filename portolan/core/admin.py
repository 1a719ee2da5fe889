from __future__ import annotations

from django.contrib import admin

from .models import Audience, Goal, Mission, Theme

_TEXT_FIELDS = ["name_en", "name_fr", "name_es", "slug"]


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["number", "name_en", "name_fr", "name_es", "slug"]
    search_fields = [*_TEXT_FIELDS, "number"]
    ordering = ["number"]


@admin.register(Mission)
class MissionAdmin(admin.ModelAdmin):
    list_display = ["number", "name_en", "name_fr", "name_es", "slug"]
    search_fields = [*_TEXT_FIELDS, "number"]
    ordering = ["number"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_fr", "name_es", "slug", "position"]
    list_editable = ["position"]
    search_fields = _TEXT_FIELDS


@admin.register(Audience)
class AudienceAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_fr", "name_es", "slug", "position"]
    list_editable = ["position"]
    search_fields = _TEXT_FIELDS
