"""Periodic jobs and ticks are declared in each app's `jobs.py`, imported here (like the admin's
`admin.py`), so every worker knows the same jobs without this app importing the apps above it."""

from __future__ import annotations

from django.utils.module_loading import autodiscover_modules


def load_jobs() -> None:
    autodiscover_modules("jobs")
