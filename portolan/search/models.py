"""The search index: one denormalised row per public record.

The full-text part lives beside this table and is created per database by migration 0002:
SQLite gets an FTS5 table `search_fts` (rowid = document id), PostgreSQL a `search_vector`
tsvector column with a GIN index. Neither is known to the ORM, so the model is the same on both
databases; `services.py` writes them with raw SQL.

Multi-valued facets (themes, goals, audiences) are stored as "|a|b|" strings: one GROUP BY on the
column gives every combination's count, which Python splits into per-value counts."""

from __future__ import annotations

from django.db import models


class SearchDocument(models.Model):
    record_type = models.CharField(max_length=16)
    record_id = models.BigIntegerField()
    slug = models.CharField(max_length=240, blank=True)
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    # {"fr": {"title": ..., "summary": ...}}: shown when the visitor reads that language.
    translations = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=8, blank=True)
    place = models.CharField(max_length=300, blank=True)
    port_city_id = models.BigIntegerField(null=True, blank=True)
    organisation_id = models.BigIntegerField(null=True, blank=True)
    region = models.CharField(max_length=2, blank=True)
    country = models.CharField(max_length=2, blank=True)
    kind = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=20, blank=True)
    themes = models.CharField(max_length=1000, blank=True)
    goals = models.CharField(max_length=200, blank=True)
    audiences = models.CharField(max_length=1000, blank=True)
    year = models.SmallIntegerField(null=True, blank=True)
    # Last year of the record's span; NULL = open-ended (see portolan.core.filterspec).
    year_end = models.SmallIntegerField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    name_sort = models.CharField(max_length=120, blank=True)
    # Generated demo data comes after real records on the landing and at equal relevance.
    is_demo = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record_type", "record_id"], name="unique_search_doc")
        ]
        indexes = [
            models.Index(fields=["is_demo", "-published_at", "-id"], name="search_doc_real_newest"),
            models.Index(fields=["name_sort", "id"], name="search_doc_name"),
            models.Index(fields=["port_city_id"], name="search_doc_city"),
            models.Index(fields=["organisation_id"], name="search_doc_org"),
            # Covers every facet column: counting facets scans this narrow index, not the
            # wide rows with their summaries.
            models.Index(
                fields=[
                    "record_type",
                    "region",
                    "country",
                    "kind",
                    "status",
                    "year",
                    "year_end",
                    "themes",
                    "goals",
                    "audiences",
                ],
                name="search_doc_facets",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record_type}:{self.record_id} {self.title}"


class SearchTerm(models.Model):
    """Words seen in titles and summaries, for "did you mean" suggestions."""

    term = models.CharField(max_length=60, unique=True)
    initial = models.CharField(max_length=1)
    length = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["initial", "length"], name="search_term_lookup")]

    def __str__(self) -> str:
        return self.term
