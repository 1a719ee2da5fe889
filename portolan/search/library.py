"""The embedded search library behind the search interface: a Tantivy index on local disk.

Why: with 100,000 records the databases' own full-text engines rank and count every match of a
common word ("port" matches 87,000 documents): 0.66 s on SQLite and 1.29 s on PostgreSQL for a
first-time `q=port` (docs/performance.md). Tantivy ranks with BM25 and stops early (block-max
WAND top-k), and counts facets in compiled code over its column store: the same query takes
about 2 ms for the page and 20 ms for every facet count, measured on the same data set.

The `SearchDocument` table stays the source of truth and the databases' full-text columns stay
written, so `SEARCH_ENGINE = "database"` (small sites, several web machines without a shared
disk) keeps working, and a search falls back to it whenever this index is missing. Hits are
looked up in the table by id, so both engines show the same rows.

Writes: the index services call `apply()` after their transaction commits (or `Rebuild` for a
full rebuild). Several processes on one machine share the directory; writers take an exclusive
`flock`, readers reload when the index changed. Beyond `ESTIMATE_ABOVE` matches, facet counts
come from a fixed sample of the documents (`sample_bucket`) and the page says they are
estimates; the total is always exact."""

from __future__ import annotations

import fcntl
import json
import logging
import math
import os
import shutil
import threading
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import tantivy
from django.conf import settings
from django.db import connection
from tantivy import Occur, Query

from portolan.core.registry import SearchDocument

from . import text
from .query import SearchParams

logger = logging.getLogger(__name__)

# BM25 weights of the fields, as the SQLite engine's bm25(8, 3, 1): a word in the title counts
# most, then the summary, then the rest (description, place, organisation).
FIELD_BOOSTS = (("title", 8.0), ("summary", 3.0), ("body", 1.0))
SINGLE_FACETS = (
    ("type", "record_type", "types"),
    ("region", "region", "regions"),
    ("country", "country", "countries"),
    ("kind", "kind", "kinds"),
    ("status", "status", "statuses"),
)
MULTI_FACETS = (
    ("theme", "themes", "themes"),
    ("goal", "goals", "goals"),
    ("audience", "audiences", "audiences"),
)
OPEN_END = 9999
# Facet counts are exact up to this many matches; beyond, they are counted on a sample of about
# SAMPLE_TARGET matches and scaled (the total stays exact). Measured on 100,000 documents:
# counting all 87,000 matches of "port" takes ~20 ms, a 12,000-document sample ~4 ms.
ESTIMATE_ABOVE = 20_000
SAMPLE_TARGET = 12_000
SAMPLE_BUCKETS = 64
WRITER_HEAP = 15_000_000  # tantivy's minimum per thread: a web worker's change is a few documents
REBUILD_HEAP = 64_000_000  # a rebuild flushes a segment per 64 MB: bounded memory at any size
NEWEST_SHIFT = 10**8  # newest key = (published seconds + 1) * NEWEST_SHIFT + document id
REAL_FIRST = 1 << 62  # added to a real record's newest key: real records first, then demo
REAL_WEIGHT = 1e-6
MARKER = "portolan-index.json"
_MASK64 = (1 << 64) - 1
FORMAT = 3  # bump when the schema changes: an older index is rebuilt, not misread


class IndexUnavailable(Exception):
    """No usable index on disk: the caller falls back to the database engine."""


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("doc", stored=True, indexed=True, fast=True)
    # (record type, record id) as numbers: exports and feeds read thousands of refs in order
    # without a query to the table.
    builder.add_unsigned_field("type_code", fast=True)
    builder.add_integer_field("record_id", fast=True)
    builder.add_text_field("ref", stored=False, tokenizer_name="raw")
    for name, _ in FIELD_BOOSTS:
        # The words arrive as text.py's forms joined by spaces: no analysis of Tantivy's own.
        builder.add_text_field(name, stored=False, tokenizer_name="whitespace", index_option="freq")
    for _, field, _ in (*SINGLE_FACETS, *MULTI_FACETS):
        builder.add_text_field(field, stored=False, tokenizer_name="raw", fast=True)
    for name in ("year", "year_end", "span", "newest"):
        builder.add_integer_field(name, indexed=True, fast=True)
    builder.add_text_field("name_key", stored=False, tokenizer_name="raw", fast=True)
    builder.add_unsigned_field("point", indexed=True)
    # Real records outrank demo ones at equal relevance: BM25 x log2(2 + real), a factor
    # of 1.0000007 (see REAL_WEIGHT).
    builder.add_float_field("real", fast=True)
    builder.add_unsigned_field("sample", indexed=True, fast=True)
    return builder.build()


def index_dir() -> Path:
    return Path(settings.SEARCH_INDEX_DIR)


def _identity() -> dict[str, Any]:
    """Which database this index mirrors: an index built for another database is not used."""
    db = connection.settings_dict
    return {"format": FORMAT, "vendor": connection.vendor, "name": str(db.get("NAME", ""))}


def sample_bucket(doc_id: int) -> int:
    """A fixed pseudo-random bucket per document (splitmix64's finaliser, top bits), so a sample
    is spread over old and new records alike, never in step with how ids were handed out, and
    the same search always gets the same estimate."""
    x = (doc_id + 0x9E3779B97F4A7C15) & _MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK64
    x ^= x >> 31
    return x * SAMPLE_BUCKETS >> 64


def type_code(record_type: str) -> int:
    return zlib.crc32(record_type.encode())


def span_key(year: int | None, year_end: int | None) -> int | None:
    """The (start decade, end decade) pair as the SQL engine's DECADES expression makes it."""
    if year is None:
        return None
    return (year // 10) * 100000 + ((year_end // 10) * 10 if year_end is not None else 0)


def newest_key(published_at: datetime | None, doc_id: int, *, is_demo: bool = False) -> int:
    """The table's "newest" order (real records first, then published second, then id, all
    descending) as one integer."""
    seconds = int(published_at.timestamp()) + 1 if published_at is not None else 0
    return (0 if is_demo else REAL_FIRST) + seconds * NEWEST_SHIFT + doc_id


def name_key(name_sort: str, doc_id: int) -> str:
    return f"{name_sort}\x00{doc_id:012d}"


@dataclass(frozen=True)
class Row:
    """What the library indexes of one document (built by services from the same values as the
    table's row, so both engines see the same document)."""

    doc_id: int
    record: SearchDocument
    words: tuple[str, str, str]  # title, summary, body forms
    name_sort: str


def _document(row: Row) -> tantivy.Document:
    record = row.record
    doc = tantivy.Document()
    doc.add_integer("doc", row.doc_id)
    doc.add_text("ref", f"{record.record_type}:{record.record_id}")
    doc.add_unsigned("type_code", type_code(record.record_type))
    doc.add_integer("record_id", record.record_id)
    for (name, _), words in zip(FIELD_BOOSTS, row.words, strict=True):
        if words:
            doc.add_text(name, words)
    for _, field, _ in SINGLE_FACETS:
        value = getattr(record, field)
        if value:
            doc.add_text(field, str(value))
    for _, field, _ in MULTI_FACETS:
        for value in getattr(record, field):
            doc.add_text(field, str(value))
    if record.year is not None:
        doc.add_integer("year", record.year)
        doc.add_integer("year_end", record.year_end if record.year_end is not None else OPEN_END)
        doc.add_integer("span", span_key(record.year, record.year_end) or 0)
    published = record.published_at.replace(microsecond=0) if record.published_at else None
    doc.add_integer("newest", newest_key(published, row.doc_id, is_demo=record.is_demo))
    doc.add_float("real", 0.0 if record.is_demo else REAL_WEIGHT)
    doc.add_text("name_key", name_key(row.name_sort, row.doc_id))
    if record.latitude is not None and record.longitude is not None:
        doc.add_unsigned("point", 1)
    doc.add_unsigned("sample", sample_bucket(row.doc_id))
    return doc


# --- the index on disk, shared by the processes of one machine -------------------------------


class _Handle:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.index = tantivy.Index(_schema(), path=str(path), reuse=True)
        self.schema = self.index.schema
        self.inode = self._inode()
        self.stamp = self._stamp()

    def _inode(self) -> int:
        try:
            return self.path.stat().st_ino
        except OSError:
            return 0

    def _stamp(self) -> int:
        try:
            return (self.path / "meta.json").stat().st_mtime_ns
        except OSError:
            return 0

    def replaced(self) -> bool:
        """A rebuild swapped a new directory in: this handle must be reopened."""
        return self._inode() != self.inode

    def searcher(self) -> tantivy.Searcher:
        # Another process may have committed: reloading costs ~0.1 ms, two stats ~4 µs.
        stamp = self._stamp()
        if stamp != self.stamp:
            self.index.reload()
            self.stamp = stamp
        return self.index.searcher()


_handles: dict[str, _Handle] = {}
_handles_lock = threading.Lock()


def _marker_ok(path: Path) -> bool:
    try:
        found = json.loads((path / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(found == _identity())


def handle() -> _Handle:
    """The open index of this database, reopened after a rebuild swapped its directory. The
    marker file is read only when opening (a search asks for the handle three times)."""
    path = index_dir()
    key = str(path)
    with _handles_lock:
        found = _handles.get(key)
        if found is not None and not found.replaced():
            return found
        if not _marker_ok(path):
            _handles.pop(key, None)
            raise IndexUnavailable(f"No search index for this database in {path}.")
        try:
            found = _Handle(path)
        except ValueError as error:  # a corrupt or foreign directory
            raise IndexUnavailable(str(error)) from error
        _handles[key] = found
        return found


def available() -> bool:
    try:
        handle()
    except IndexUnavailable:
        return False
    return True


def forget_handles() -> None:
    """Drop open indexes (tests, and after a directory was replaced)."""
    with _handles_lock:
        _handles.clear()


@contextmanager
def _locked(target: Path) -> Iterator[None]:
    """The one writer lock of an index directory, kept beside it (not in it, as a rebuild
    swaps the directory): changes and swaps of every process on the machine take turns."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.with_name(target.name + ".lock"), "w") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def apply(*, removed_refs: Iterable[str], rows: Sequence[Row]) -> None:
    """Remove these documents (by "type:id") and add these: called after the table's
    transaction committed. Does nothing when the index does not exist yet (the database
    engine serves until `rebuild_search_index` builds it)."""
    refs = list(removed_refs)
    if not refs and not rows:
        return
    with _locked(index_dir()):
        try:
            current = handle()  # under the lock: never a directory a rebuild just replaced
        except IndexUnavailable:
            return
        writer = current.index.writer(heap_size=WRITER_HEAP, num_threads=1)
        for ref in refs:
            writer.delete_documents_by_term("ref", ref)
        for row in rows:
            writer.add_document(_document(row))
        writer.commit()
        writer.wait_merging_threads()


class Rebuild:
    """A whole new index written beside the live one and swapped in by `finish()` (after the
    table's transaction committed), so searches keep the old index until the new one is
    complete. `discard()` drops it."""

    def __init__(self) -> None:
        self.target = index_dir()
        self.building = self.target.with_name(self.target.name + ".new")
        shutil.rmtree(self.building, ignore_errors=True)
        self.building.mkdir(parents=True)
        self.index = tantivy.Index(_schema(), path=str(self.building))
        self.writer = self.index.writer(heap_size=REBUILD_HEAP, num_threads=1)
        self.count = 0

    def add(self, rows: Iterable[Row]) -> None:
        for row in rows:
            self.writer.add_document(_document(row))
            self.count += 1

    def finish(self) -> None:
        self.writer.commit()
        self.writer.wait_merging_threads()
        (self.building / MARKER).write_text(json.dumps(_identity()), encoding="utf-8")
        with _locked(self.target):
            old = self.target.with_name(self.target.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            if self.target.exists():
                os.rename(self.target, old)
            os.rename(self.building, self.target)
            shutil.rmtree(old, ignore_errors=True)
        # This process reopens at once; the others notice the new directory (its inode) at
        # their next search.
        forget_handles()

    def discard(self) -> None:
        del self.writer
        shutil.rmtree(self.building, ignore_errors=True)


# --- queries ----------------------------------------------------------------------------------


def _text_query(schema: tantivy.Schema, groups: list[tuple[str, ...]]) -> Query:
    musts = []
    for group in groups:
        shoulds = [
            (Occur.Should, Query.boost_query(Query.term_query(schema, field, form), boost))
            for form in group
            for field, boost in FIELD_BOOSTS
        ]
        musts.append((Occur.Must, Query.boolean_query(shoulds)))
    return Query.boolean_query(musts)


def _any_of(schema: tantivy.Schema, field: str, values: Iterable[Any]) -> Query:
    return Query.term_set_query(schema, field, [str(v) for v in values])


def _filter_queries(schema: tantivy.Schema, params: SearchParams, *, skip: str = "") -> list[Query]:
    parts: list[Query] = []
    for _, field, attr in (*SINGLE_FACETS, *MULTI_FACETS):
        values = getattr(params, attr)
        if values and attr != skip:
            parts.append(_any_of(schema, field, values))
    if skip != "years" and (params.year_from is not None or params.year_to is not None):
        # The year rule of portolan.core.filterspec: the record's years overlap the range
        # (no start year: never matches; no end year: open-ended).
        parts.append(
            Query.range_query(schema, "year", tantivy.FieldType.Integer, None, params.year_to)
            if params.year_to is not None
            else Query.exists_query("year")
        )
        if params.year_from is not None:
            parts.append(
                Query.range_query(
                    schema, "year_end", tantivy.FieldType.Integer, params.year_from, None
                )
            )
    return parts


def _query(
    schema: tantivy.Schema,
    params: SearchParams,
    *,
    skip: str = "",
    extra: Sequence[Query] = (),
) -> Query:
    groups = text.query_groups(params.q)
    parts: list[tuple[Occur, Query]] = []
    if groups:
        parts.append((Occur.Must, _text_query(schema, groups)))
    # Filters do not score: a facet must not change the order of what the words found.
    parts.extend(
        (Occur.Must, Query.const_score_query(q, 0.0))
        for q in (*_filter_queries(schema, params, skip=skip), *extra)
    )
    if not parts:
        return Query.all_query()
    if len(parts) == 1 and groups:
        return parts[0][1]
    return Query.boolean_query(parts)


def _sample_query(schema: tantivy.Schema, buckets: int) -> Query:
    return Query.range_query(schema, "sample", tantivy.FieldType.Unsigned, 0, buckets - 1)


@dataclass
class Counts:
    total: int
    counts: dict[str, dict[str, int]]
    spans: dict[tuple[int, int | None], int]
    estimated: bool


def _selected(params: SearchParams, attr: str) -> bool:
    if attr == "years":
        return params.year_from is not None or params.year_to is not None
    return bool(getattr(params, attr))


def _aggregations(names: Iterable[str]) -> dict[str, Any]:
    fields = {name: field for name, field, _ in (*SINGLE_FACETS, *MULTI_FACETS)}
    fields["decade"] = "span"
    return {name: {"terms": {"field": fields[name], "size": 100_000}} for name in names}


def _buckets(result: dict[str, Any], name: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for bucket in result.get(name, {}).get("buckets", []):
        key = bucket.get("key")
        if key is None or key == "":
            continue
        if isinstance(key, float):
            key = int(key)
        out[str(key)] = int(bucket.get("doc_count", 0))
    return out


def _aggregate(
    searcher: tantivy.Searcher,
    schema: tantivy.Schema,
    params: SearchParams,
    names: list[str],
    *,
    skip: str = "",
) -> tuple[int, dict[str, dict[str, int]], bool]:
    query = _query(schema, params, skip=skip)
    total = _count(searcher, query)
    if total == 0:
        return 0, {name: {} for name in names}, False
    scale = 1.0
    estimated = False
    aggregations = _aggregations(names)
    if total > ESTIMATE_ABOVE:
        buckets = max(1, math.ceil(SAMPLE_BUCKETS * SAMPLE_TARGET / total))
        if buckets < SAMPLE_BUCKETS:
            query = _query(schema, params, skip=skip, extra=[_sample_query(schema, buckets)])
            aggregations["_sampled"] = {"value_count": {"field": "doc"}}
            estimated = True
    result = searcher.aggregate(query, aggregations)
    if estimated:
        sampled = int(result.get("_sampled", {}).get("value") or 0)
        scale = total / sampled if sampled else 0.0
    counts = {}
    for name in names:
        found = _buckets(result, name)
        counts[name] = {k: _scaled(v, scale) for k, v in found.items()} if estimated else found
    return total, counts, estimated


def _count(searcher: tantivy.Searcher, query: Query) -> int:
    # `count` is missing from the library's type stubs.
    return int(getattr(searcher.search(query, limit=1, count=True), "count", 0) or 0)


def _scaled(count: int, scale: float) -> int:
    return max(1, round(count * scale))


def count(params: SearchParams) -> Counts:
    """The total (exact) and every facet's counts; a facet with a selection is counted
    without its own filter, as the database engine does."""
    current = handle()
    searcher = current.searcher()
    schema = current.schema
    names = [name for name, _, _ in (*SINGLE_FACETS, *MULTI_FACETS)] + ["decade"]
    attrs = {name: attr for name, _, attr in (*SINGLE_FACETS, *MULTI_FACETS)}
    attrs["decade"] = "years"
    own = [name for name in names if _selected(params, attrs[name])]
    shared = [name for name in names if name not in own]
    total, counts, estimated = _aggregate(searcher, schema, params, shared)
    for name in own:
        _, found, was_estimated = _aggregate(searcher, schema, params, [name], skip=attrs[name])
        counts[name] = found[name]
        estimated = estimated or was_estimated
    spans: dict[tuple[int, int | None], int] = {}
    for key, value in counts.pop("decade", {}).items():
        start, end = divmod(int(key), 10000)
        spans[(start, end or None)] = value
    return Counts(total=total, counts=counts, spans=spans, estimated=estimated)


def _page(
    params: SearchParams, *, sort: str, limit: int, offset: int, with_point: bool
) -> tuple[tantivy.Searcher, list[tantivy.DocAddress]]:
    current = handle()
    searcher = current.searcher()
    schema = current.schema
    extra = [Query.term_query(schema, "point", 1)] if with_point else []
    query = _query(schema, params, extra=extra)
    if limit <= 0:
        return searcher, []
    if sort == "name":
        result = searcher.search(
            query,
            limit=limit,
            offset=offset,
            count=False,
            order_by_field="name_key",
            order=tantivy.Order.Asc,
        )
    elif sort == "newest":
        result = searcher.search(
            query, limit=limit, offset=offset, count=False, order_by_field="newest"
        )
    else:
        result = searcher.search(
            query, limit=limit, offset=offset, count=False, weight_by_field="real"
        )
    return searcher, [address for _, address in result.hits]


def page_ids(
    params: SearchParams, *, sort: str, limit: int, offset: int, with_point: bool = False
) -> list[int]:
    """Document ids of one page in result order."""
    searcher, addresses = _page(
        params, sort=sort, limit=limit, offset=offset, with_point=with_point
    )
    return [int(v) for v in searcher.fast_field_values("doc", addresses) if v is not None]


def page_refs(
    params: SearchParams, *, sort: str, limit: int, record_types: Sequence[str]
) -> list[tuple[str, int]]:
    """(record type, record id) of the first `limit` results in order, from the index alone."""
    searcher, addresses = _page(params, sort=sort, limit=limit, offset=0, with_point=False)
    names = {type_code(key): key for key in record_types}
    codes = searcher.fast_field_values("type_code", addresses)
    ids = searcher.fast_field_values("record_id", addresses)
    refs = []
    for code, record_id in zip(codes, ids, strict=True):
        name = names.get(int(code)) if code is not None else None
        if name is not None and record_id is not None:
            refs.append((name, int(record_id)))
    return refs


def stats() -> dict[str, Any]:
    current = handle()
    searcher = current.searcher()
    size = sum(f.stat().st_size for f in current.path.iterdir() if f.is_file())
    return {"documents": searcher.num_docs, "segments": searcher.num_segments, "bytes": size}
