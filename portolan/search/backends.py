"""The two full-text backends behind one interface: SQLite FTS5 (the embedded default) and
PostgreSQL tsvector + GIN (production). The engine (reads) and the index services (writes) ask
`backend()` for the dialect's pieces and never test the database vendor themselves, so a third
backend (an embedded search library, say) is one more class here.

Both see the same words: `text.py` normalises every word in Python for indexing and querying,
and each backend only stores and matches those forms."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from django.db import connection

from . import text

DOC_TABLE = "search_searchdocument"
FTS_TABLE = "search_fts"
TERM_TABLE = "search_searchterm"


class Backend:
    """What differs between databases; the defaults are the SQLite ones."""

    vendor: ClassVar[str] = ""
    # Position of a value inside a "|a|b|" column.
    contains_function: ClassVar[str] = "instr"

    def text_param(self, groups: list[tuple[str, ...]]) -> str:
        raise NotImplementedError

    def text_condition(self) -> str:
        """A WHERE condition on documents `d` taking the text parameter once."""
        raise NotImplementedError

    def rank_order(self) -> str:
        """ORDER BY for relevance; `needs_text_join` says whether it reads the FTS table."""
        raise NotImplementedError

    def name_order(self) -> str:
        """ORDER BY for names: the normalised names in code-point order on every database (and
        in the library), so "port city" comes before "portal" everywhere."""
        return "d.name_sort ASC, d.id ASC"

    needs_text_join: ClassVar[bool] = False
    # Whether the rank expression takes the text parameter again (after the WHERE ones).
    rank_takes_param: ClassVar[bool] = False

    def text_join(self) -> tuple[str, str]:
        """(FROM clause, WHERE condition taking the text parameter) when ranking joins the
        full-text table."""
        raise NotImplementedError

    # --- writes ---------------------------------------------------------------------------------

    def allocate_ids(self, cursor: Any, count: int) -> list[int]:
        raise NotImplementedError

    def document_columns(
        self, columns: list[str], rows: list[list[Any]], tokenized: Sequence[tuple[Any, Any, Any]]
    ) -> tuple[list[str], list[str]]:
        """(columns, placeholders) of the document INSERT; may extend the rows."""
        return columns, ["%s"] * len(columns)

    def after_documents(
        self, cursor: Any, ids: list[int], tokenized: Sequence[tuple[Any, Any, Any]]
    ) -> None:
        return None

    def insert_terms_sql(self) -> str:
        raise NotImplementedError

    def delete_documents(self, cursor: Any, where: str, params: list[Any]) -> None:
        cursor.execute(f"DELETE FROM {DOC_TABLE} WHERE {where}", params)  # noqa: S608

    def clear(self, cursor: Any) -> None:
        cursor.execute(f"DELETE FROM {DOC_TABLE}")  # noqa: S608
        cursor.execute(f"DELETE FROM {TERM_TABLE}")  # noqa: S608


class SqliteBackend(Backend):
    vendor = "sqlite"
    contains_function = "instr"
    needs_text_join = True

    def text_param(self, groups: list[tuple[str, ...]]) -> str:
        return text.fts5_match(groups)

    def text_condition(self) -> str:
        return f"d.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"  # noqa: S608

    def rank_order(self) -> str:
        return f"bm25({FTS_TABLE}, 8.0, 3.0, 1.0) ASC, d.is_demo ASC, d.id ASC"

    def text_join(self) -> tuple[str, str]:
        # bm25() needs the FTS table in the FROM clause.
        return (
            f"{FTS_TABLE} JOIN {DOC_TABLE} d ON d.id = {FTS_TABLE}.rowid",
            f"{FTS_TABLE} MATCH %s",
        )

    def allocate_ids(self, cursor: Any, count: int) -> list[int]:
        # SQLite serialises writers (transactions start IMMEDIATE), so MAX()+1 cannot collide.
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {DOC_TABLE}")  # noqa: S608
        start = int(cursor.fetchone()[0]) + 1
        return list(range(start, start + count))

    def after_documents(
        self, cursor: Any, ids: list[int], tokenized: Sequence[tuple[Any, Any, Any]]
    ) -> None:
        rows = [
            (doc_id, text.tokens_text(title), text.tokens_text(summary), text.tokens_text(body))
            for doc_id, (title, summary, body) in zip(ids, tokenized, strict=True)
        ]
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, title, summary, body) VALUES (%s, %s, %s, %s)",  # noqa: S608
            rows,
        )

    def insert_terms_sql(self) -> str:
        return f"INSERT OR IGNORE INTO {TERM_TABLE} (term, initial, length) VALUES (%s, %s, %s)"  # noqa: S608

    def delete_documents(self, cursor: Any, where: str, params: list[Any]) -> None:
        # The delete trigger does this too; being explicit keeps the index right even if a later
        # migration rebuilds the table (SQLite drops triggers with it).
        cursor.execute(
            f"DELETE FROM {FTS_TABLE} WHERE rowid IN (SELECT id FROM {DOC_TABLE} WHERE {where})",  # noqa: S608
            params,
        )
        super().delete_documents(cursor, where, params)

    def clear(self, cursor: Any) -> None:
        cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
        super().clear(cursor)


class PostgresBackend(Backend):
    vendor = "postgresql"
    contains_function = "strpos"
    rank_takes_param = True

    def text_param(self, groups: list[tuple[str, ...]]) -> str:
        return text.tsquery(groups)

    def text_condition(self) -> str:
        return "d.search_vector @@ CAST(%s AS tsquery)"

    def rank_order(self) -> str:
        return "ts_rank_cd(d.search_vector, CAST(%s AS tsquery)) DESC, d.is_demo ASC, d.id ASC"

    def name_order(self) -> str:
        # The database's collation would ignore spaces and punctuation at first.
        return 'd.name_sort COLLATE "C" ASC, d.id ASC'  # noqa: Q000

    def allocate_ids(self, cursor: Any, count: int) -> list[int]:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [DOC_TABLE, count],
        )
        return [int(row[0]) for row in cursor.fetchall()]

    def document_columns(
        self, columns: list[str], rows: list[list[Any]], tokenized: Sequence[tuple[Any, Any, Any]]
    ) -> tuple[list[str], list[str]]:
        placeholders = ["%s"] * len(columns)
        placeholders[columns.index("translations")] = "CAST(%s AS jsonb)"
        columns = [*columns, "search_vector"]
        # PostgreSQL's parser (in C) positions the already normalised forms; 'simple' adds no
        # stemming of its own, so the lexemes are exactly the forms Python made.
        placeholders.append(
            "setweight(to_tsvector('simple', %s), 'A') || "
            "setweight(to_tsvector('simple', %s), 'B') || "
            "setweight(to_tsvector('simple', %s), 'D')"
        )
        for row, (title, summary, body) in zip(rows, tokenized, strict=True):
            row.extend((text.tokens_text(title), text.tokens_text(summary), text.tokens_text(body)))
        return columns, placeholders

    def insert_terms_sql(self) -> str:
        return (
            f"INSERT INTO {TERM_TABLE} (term, initial, length) VALUES (%s, %s, %s) "  # noqa: S608
            "ON CONFLICT (term) DO NOTHING"
        )


_BACKENDS: dict[str, Backend] = {
    SqliteBackend.vendor: SqliteBackend(),
    PostgresBackend.vendor: PostgresBackend(),
}


def backend() -> Backend:
    try:
        return _BACKENDS[connection.vendor]
    except KeyError:
        raise RuntimeError(f"No search backend for {connection.vendor!r} databases.") from None
