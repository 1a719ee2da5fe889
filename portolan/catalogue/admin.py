from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Attachment,
    Initiative,
    InitiativeTranslation,
    ModerationEvent,
    PortCenter,
)


class InitiativeTranslationInline(admin.StackedInline):
    model = InitiativeTranslation
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["title", "kind", "file", "size", "uploaded_by", "created_at"]
    # Files are checked by content only through the member upload page; here they are read-only.
    readonly_fields = ["kind", "file", "size", "uploaded_by", "created_at"]
    can_delete = True

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class ModerationEventInline(admin.TabularInline):
    model = ModerationEvent
    extra = 0
    fields = ["created_at", "action", "actor", "message"]
    readonly_fields = ["created_at", "action", "actor", "message"]
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Initiative)
class InitiativeAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "organisation",
        "port_city",
        "publication_status",
        "status",
        "last_reviewed",
        "published_at",
        "is_demo",
    ]
    list_filter = ["publication_status", "status", "language", "budget_band", "is_demo"]
    list_select_related = ["organisation", "port_city"]
    search_fields = ["title", "slug", "external_id", "organisation__name"]
    autocomplete_fields = ["organisation", "port_city", "partners", "themes", "goals", "audiences"]
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "published_at"
    inlines = [InitiativeTranslationInline, AttachmentInline, ModerationEventInline]
    show_full_result_count = False


@admin.register(PortCenter)
class PortCenterAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "organisation",
        "port_city",
        "publication_status",
        "status",
        "opening_year",
        "last_reviewed",
        "is_reference",
        "is_demo",
    ]
    list_filter = ["publication_status", "status", "is_reference", "is_demo"]
    list_select_related = ["organisation", "port_city"]
    search_fields = ["name", "slug", "external_id", "organisation__name", "port_city__name"]
    autocomplete_fields = ["organisation", "port_city", "operators", "audiences"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [AttachmentInline, ModerationEventInline]
    show_full_result_count = False


@admin.register(InitiativeTranslation)
class InitiativeTranslationAdmin(admin.ModelAdmin):
    list_display = ["title", "language", "initiative"]
    list_filter = ["language"]
    list_select_related = ["initiative"]
    search_fields = ["title", "initiative__title"]
    autocomplete_fields = ["initiative"]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "kind",
        "initiative",
        "port_center",
        "size",
        "uploaded_by",
        "created_at",
    ]
    list_filter = ["kind"]
    list_select_related = ["initiative", "port_center", "uploaded_by"]
    search_fields = ["title", "initiative__title", "port_center__name"]
    autocomplete_fields = ["initiative", "port_center", "uploaded_by"]
    readonly_fields = ["file", "kind", "size", "created_at"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        # New files go through the upload page, which checks and re-encodes them.
        return False


@admin.register(ModerationEvent)
class ModerationEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "initiative", "port_center", "actor"]
    list_filter = ["action"]
    list_select_related = ["initiative", "port_center", "actor"]
    search_fields = ["message", "initiative__title", "port_center__name", "actor__email"]
    readonly_fields = ["created_at", "action", "initiative", "port_center", "actor", "message"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
