"""Writes to the search index: reindex a few records when they change, or rebuild everything.

Rows are written with raw `executemany` because the full-text part of the index (SQLite FTS5
table, PostgreSQL tsvector column) is not known to the ORM, and because the bulk rebuild of
100,000 records must stay well under a minute."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, transaction

from portolan.core import pagecache, registry
from portolan.core.registry import SearchDocument

from . import text
from .backends import DOC_TABLE, backend

BATCH_SIZE = 2000
MIN_TERM_CHARS = 3
MAX_TERM_CHARS = 30

_DOC_COLUMNS = (
    "id",
    "record_type",
    "record_id",
    "slug",
    "title",
    "summary",
    "translations",
    "language",
    "place",
    "port_city_id",
    "organisation_id",
    "region",
    "country",
    "kind",
    "status",
    "themes",
    "goals",
    "audiences",
    "year",
    "year_end",
    "published_at",
    "latitude",
    "longitude",
    "name_sort",
)


def _bar(values: Iterable[Any]) -> str:
    """ "|a|b|": every value framed, so `instr(column, '|a|')` never matches part of another."""
    items = [str(v) for v in values]
    return "|" + "|".join(items) + "|" if items else ""


def _texts(record: SearchDocument) -> tuple[str, str, str]:
    titles = [record.title, *(t[1] for t in record.translations)]
    summaries = [record.summary, *(t[2] for t in record.translations)]
    return "\n".join(titles), "\n".join(summaries), record.body


def _row(record: SearchDocument, doc_id: int) -> list[Any]:
    translations = {
        lang: {"title": title, "summary": summary} for lang, title, summary in record.translations
    }
    published_at = connection.ops.adapt_datetimefield_value(record.published_at)
    return [
        doc_id,
        record.record_type,
        record.record_id,
        record.slug[:240],
        record.title[:300],
        record.summary,
        json.dumps(translations, ensure_ascii=False),
        record.language[:8],
        record.place[:300],
        record.port_city_id,
        record.organisation_id,
        record.region[:2],
        record.country[:2],
        record.kind[:20],
        record.status[:20],
        _bar(record.themes)[:1000],
        _bar(record.goals)[:200],
        _bar(record.audiences)[:1000],
        record.year,
        record.year_end,
        published_at,
        record.latitude,
        record.longitude,
        text.normalise(record.title)[:120],
    ]


def _terms(tokens: list[str]) -> set[str]:
    return {
        token
        for token in set(tokens)
        if MIN_TERM_CHARS <= len(token) <= MAX_TERM_CHARS and not token.isdigit()
    }


def _allocate_ids(cursor: Any, count: int) -> list[int]:
    if count == 0:
        return []
    return backend().allocate_ids(cursor, count)


def _write(cursor: Any, records: Sequence[SearchDocument]) -> set[str]:
    """Insert documents and their full-text rows; returns the words seen for suggestions."""
    ids = _allocate_ids(cursor, len(records))
    rows = [_row(record, doc_id) for record, doc_id in zip(records, ids, strict=True)]
    terms: set[str] = set()
    tokenized = []
    for record in records:
        title, summary, body = (text.tokenize(value) for value in _texts(record))
        terms |= _terms(title + summary)
        tokenized.append((title, summary, body))
    columns, placeholders = backend().document_columns(list(_DOC_COLUMNS), rows, tokenized)
    cursor.executemany(
        f"INSERT INTO {DOC_TABLE} ({', '.join(columns)}) VALUES ({', '.join(placeholders)})",  # noqa: S608
        rows,
    )
    backend().after_documents(cursor, ids, tokenized)
    return terms


def _changed() -> None:
    """Invalidate cached search answers now and again after commit, so no request can cache
    an answer computed between the two."""
    from .engine import bump_generation

    bump_generation()
    transaction.on_commit(bump_generation)
    # Whole pages show the same records: the index changes after every public write, delete,
    # import or restore, so cached pages follow it (portolan/core/pagecache.py).
    pagecache.bump_on_commit()


def _store_terms(cursor: Any, terms: set[str]) -> None:
    if not terms:
        return
    rows = [(term, term[0], len(term)) for term in sorted(terms)]
    sql = backend().insert_terms_sql()
    for start in range(0, len(rows), BATCH_SIZE):
        cursor.executemany(sql, rows[start : start + BATCH_SIZE])


def _delete_docs(cursor: Any, where: str, params: list[Any]) -> None:
    backend().delete_documents(cursor, where, params)


@transaction.atomic
def reindex(*, record_type: str, ids: Iterable[int]) -> int:
    """Bring the index in line with these records: public ones are (re)written, the others
    (drafts, unpublished, deleted) removed. Returns how many are now indexed."""
    wanted = sorted({int(i) for i in ids})
    if not wanted or not registry.is_registered(record_type):
        return 0
    records = list(registry.documents(record_type, ids=wanted))
    with connection.cursor() as cursor:
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            _delete_docs(
                cursor, f"record_type = %s AND record_id IN ({marks})", [record_type, *chunk]
            )
        terms = _write(cursor, records) if records else set()
        _store_terms(cursor, terms)
    _changed()
    return len(records)


def remove(*, record_type: str, ids: Iterable[int]) -> None:
    reindex_ids = sorted({int(i) for i in ids})
    if not reindex_ids:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(reindex_ids))
        _delete_docs(
            cursor, f"record_type = %s AND record_id IN ({marks})", [record_type, *reindex_ids]
        )
    _changed()


def indexed_refs(
    *, port_city_id: int | None = None, organisation_id: int | None = None
) -> dict[str, list[int]]:
    """Records whose document shows this city or organisation (their names are indexed text)."""
    from .models import SearchDocument

    docs = SearchDocument.objects.all()
    if port_city_id is not None:
        docs = docs.filter(port_city_id=port_city_id)
    if organisation_id is not None:
        docs = docs.filter(organisation_id=organisation_id)
    refs: dict[str, list[int]] = {}
    for record_type, record_id in docs.values_list("record_type", "record_id"):
        refs.setdefault(record_type, []).append(int(record_id))
    return refs


@transaction.atomic
def rebuild_index(*, record_types: Sequence[str] | None = None) -> int:
    """Empty the index and index every public record again. Returns the number of documents.

    This is what bulk imports and the demo generator call: `bulk_create` sends no signals."""
    types = tuple(record_types or (t.key for t in registry.searchable()))
    count = 0
    terms: set[str] = set()
    with connection.cursor() as cursor:
        if record_types is None:
            backend().clear(cursor)
        else:
            for record_type in types:
                _delete_docs(cursor, "record_type = %s", [record_type])
        for record_type in types:
            batch: list[SearchDocument] = []
            for record in registry.documents(record_type, batch_size=BATCH_SIZE):
                batch.append(record)
                if len(batch) >= BATCH_SIZE:
                    terms |= _write(cursor, batch)
                    count += len(batch)
                    batch = []
            if batch:
                terms |= _write(cursor, batch)
                count += len(batch)
        _store_terms(cursor, terms)
    _changed()
    return count
