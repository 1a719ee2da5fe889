from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Message, Preference
from .services import messages_retry


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["kind", "recipient", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind", "language"]
    search_fields = ["recipient__email", "kind", "object_id", "period_key"]
    list_select_related = ["recipient"]
    readonly_fields = [field.name for field in Message._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Send again (failed messages)"))
    def retry(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        count = messages_retry(messages=queryset)
        self.message_user(
            request,
            ngettext("%(count)d message queued again.", "%(count)d messages queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "delivery", "updated_at"]
    list_filter = ["kind", "delivery"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
