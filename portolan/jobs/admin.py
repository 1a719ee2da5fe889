"""Staff see failed work here and run it again: periodic job runs, and the task queue's results
(django-tasks-db's own admin, with a "retry" action added)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from .models import PeriodicRun, RunStatus
from .services import retry_task_results


@admin.register(PeriodicRun)
class PeriodicRunAdmin(admin.ModelAdmin):
    list_display = ["job", "period_key", "status", "attempts", "claimed_at", "finished_at"]
    list_filter = ["status", "job"]
    search_fields = ["job", "period_key"]
    readonly_fields = [field.name for field in PeriodicRun._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Run again now (failed runs)"))
    def retry(self, request: HttpRequest, queryset: QuerySet[PeriodicRun]) -> None:
        count = queryset.filter(status=RunStatus.FAILED).update(
            attempts=0, lease_expires_at=timezone.now()
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d run will start at the next worker tick.",
                "%(count)d runs will start at the next worker tick.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    actions = ["retry"]

    @admin.action(description=_("Retry (failed tasks)"))
    def retry(self, request: HttpRequest, queryset: QuerySet[DBTaskResult]) -> None:
        count = retry_task_results(results=queryset)
        self.message_user(
            request,
            ngettext("%(count)d task queued again.", "%(count)d tasks queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )
