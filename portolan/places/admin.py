from __future__ import annotations

from django.contrib import admin

from .models import PortCity


@admin.register(PortCity)
class PortCityAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "region", "latitude", "longitude", "population", "is_demo"]
    list_filter = ["region", "is_demo"]
    search_fields = ["name", "slug", "country"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]
    show_full_result_count = False
