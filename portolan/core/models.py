"""Shared vocabularies: the network's Agenda 2030 goals, the charter missions, themes, audiences.

Each term carries its label and description in the three UI languages; `name` and `description`
pick the active language so templates and the API stay language-agnostic."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language


def _pick(obj: models.Model, field: str) -> str:
    lang = (get_language() or "en")[:2]
    if lang not in ("en", "fr", "es"):
        lang = "en"
    value = getattr(obj, f"{field}_{lang}", "") or getattr(obj, f"{field}_en", "")
    return str(value)


class VocabularyTerm(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(default=0)
    name_en = models.CharField(max_length=160)
    name_fr = models.CharField(max_length=160)
    name_es = models.CharField(max_length=160)
    description_en = models.TextField(blank=True)
    description_fr = models.TextField(blank=True)
    description_es = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _pick(self, "name")

    @property
    def description(self) -> str:
        return _pick(self, "description")


class Goal(VocabularyTerm):
    """One of the ten goals of the network's Agenda 2030 (adopted 2018)."""

    number = models.PositiveSmallIntegerField(unique=True)

    class Meta(VocabularyTerm.Meta):
        ordering = ["number"]


class Mission(VocabularyTerm):
    """One of the ten missions of the Missions Charter of a Port Center (2013)."""

    number = models.PositiveSmallIntegerField(unique=True)

    class Meta(VocabularyTerm.Meta):
        ordering = ["number"]


class Theme(VocabularyTerm):
    class Meta(VocabularyTerm.Meta):
        pass


class Audience(VocabularyTerm):
    class Meta(VocabularyTerm.Meta):
        pass
