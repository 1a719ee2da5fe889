"""Writes to the search index: reindex a few records when they change, or rebuild everything.

Rows are written with raw `executemany` because the full-text part of the index (SQLite FTS5
table, PostgreSQL tsvector column) is not known to the ORM, and because the bulk rebuild of
100,000 records must stay well under a minute."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from portolan.core import registry
from portolan.core.registry import SearchDocument

from . import library, text
from .backends import DOC_TABLE, backend

logger = logging.getLogger(__name__)
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
    "is_demo",
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
    # To the second: "newest first" then orders alike in the table and in the library, whose
    # sort key holds seconds and the document id.
    published = record.published_at.replace(microsecond=0) if record.published_at else None
    published_at = connection.ops.adapt_datetimefield_value(published)
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
        bool(record.is_demo),
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


def library_enabled() -> bool:
    """Whether the embedded search library's index is kept beside the table."""
    return getattr(settings, "SEARCH_ENGINE", "database") == "tantivy"


def _write(
    cursor: Any, records: Sequence[SearchDocument], library_rows: list[library.Row] | None = None
) -> set[str]:
    """Insert documents and their full-text rows; returns the words seen for suggestions.
    With `library_rows`, also collects what the library indexes of each (the same forms)."""
    ids = _allocate_ids(cursor, len(records))
    rows = [_row(record, doc_id) for record, doc_id in zip(records, ids, strict=True)]
    terms: set[str] = set()
    tokenized = []
    for record in records:
        title, summary, body = (text.tokenize(value) for value in _texts(record))
        terms |= _terms(title + summary)
        tokenized.append((title, summary, body))
    if library_rows is not None:
        for record, doc_id, row, words in zip(records, ids, rows, tokenized, strict=True):
            library_rows.append(
                library.Row(
                    doc_id=doc_id,
                    record=record,
                    words=(
                        text.tokens_text(words[0]),
                        text.tokens_text(words[1]),
                        text.tokens_text(words[2]),
                    ),
                    name_sort=row[-1],
                )
            )
    columns, placeholders = backend().document_columns(list(_DOC_COLUMNS), rows, tokenized)
    cursor.executemany(
        f"INSERT INTO {DOC_TABLE} ({', '.join(columns)}) VALUES ({', '.join(placeholders)})",  # noqa: S608
        rows,
    )
    backend().after_documents(cursor, ids, tokenized)
    return terms


def _apply_after_commit(refs: list[str], rows: list[library.Row]) -> None:
    def run() -> None:
        try:
            library.apply(removed_refs=refs, rows=rows)
        except Exception:  # The table is right; `rebuild_search_index` repairs the library.
            logger.exception("search: updating the library index failed")

    transaction.on_commit(run)


def _changed() -> None:
    """Invalidate cached search answers now and again after commit, so no request can cache
    an answer computed between the two."""
    from .engine import bump_generation

    bump_generation()
    transaction.on_commit(bump_generation)


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
        library_rows: list[library.Row] | None = [] if library_enabled() else None
        terms = _write(cursor, records, library_rows) if records else set()
        _store_terms(cursor, terms)
    if library_rows is not None:
        _apply_after_commit([f"{record_type}:{i}" for i in wanted], library_rows)
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
    if library_enabled():
        _apply_after_commit([f"{record_type}:{i}" for i in reindex_ids], [])
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

    This is what bulk imports and the demo generator call: `bulk_create` sends no signals.
    The library's index is rebuilt whole beside the live one and swapped in after commit; the
    types not rebuilt are copied into it from their readers."""
    types = tuple(record_types or (t.key for t in registry.searchable()))
    count = 0
    terms: set[str] = set()
    rebuild = library.Rebuild() if library_enabled() else None
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
                    terms |= _write_batch(cursor, batch, rebuild)
                    count += len(batch)
                    batch = []
            if batch:
                terms |= _write_batch(cursor, batch, rebuild)
                count += len(batch)
        _store_terms(cursor, terms)
        if rebuild is not None:
            for other in registry.searchable():
                if other.key not in types:
                    _copy_into(cursor, rebuild, other.key)
    if rebuild is not None:
        transaction.on_commit(rebuild.finish)
    _changed()
    return count


def _write_batch(
    cursor: Any, batch: list[SearchDocument], rebuild: library.Rebuild | None
) -> set[str]:
    if rebuild is None:
        return _write(cursor, batch)
    rows: list[library.Row] = []
    terms = _write(cursor, batch, rows)
    rebuild.add(rows)
    return terms


def _copy_into(cursor: Any, rebuild: library.Rebuild, record_type: str) -> None:
    """Add a type's current documents (kept in the table) to a library rebuild."""
    cursor.execute(
        f"SELECT record_id, id, name_sort FROM {DOC_TABLE} WHERE record_type = %s",  # noqa: S608
        [record_type],
    )
    known = {int(r[0]): (int(r[1]), str(r[2])) for r in cursor.fetchall()}
    rows: list[library.Row] = []
    for record in registry.documents(record_type, ids=sorted(known), batch_size=BATCH_SIZE):
        doc_id, name_sort = known[record.record_id]
        title, summary, body = (text.index_text(value) for value in _texts(record))
        rows.append(library.Row(doc_id, record, (title, summary, body), name_sort))
        if len(rows) >= BATCH_SIZE:
            rebuild.add(rows)
            rows = []
    rebuild.add(rows)
