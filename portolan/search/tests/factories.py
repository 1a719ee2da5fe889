"""Helpers for search tests: records with searchable text, and indexing."""

from __future__ import annotations

from django.test import TestCase

from portolan.catalogue.models import InitiativeTranslation
from portolan.core.models import Audience, Goal, Theme
from portolan.search import services
from portolan.testing.factories import InitiativeFactory


def index() -> int:
    """Rebuild the index as a committed transaction would: the library's new index is swapped
    in by an on-commit callback, which a test's rolled-back transaction never runs by itself."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.rebuild_index()


def initiative(*, themes=(), goals=(), audiences=(), translations=(), **fields):
    record = InitiativeFactory(**fields)
    if themes:
        record.themes.set(Theme.objects.filter(slug__in=themes))
    if goals:
        record.goals.set(Goal.objects.filter(number__in=goals))
    if audiences:
        record.audiences.set(Audience.objects.filter(slug__in=audiences))
    for language, title, summary in translations:
        InitiativeTranslation.objects.create(
            initiative=record, language=language, title=title, summary=summary
        )
    return record


def theme_slugs(count: int = 2) -> list[str]:
    return list(Theme.objects.order_by("position", "slug").values_list("slug", flat=True)[:count])


def audience_slugs(count: int = 2) -> list[str]:
    return list(
        Audience.objects.order_by("position", "slug").values_list("slug", flat=True)[:count]
    )
