"""What the benchmark needs to know about a built database, printed as one JSON object:
`.venv/bin/python bench/probe.py` with the benchmark's environment (bench/run.py sets it).

- `vocabulary`: [word, document frequency], the index's own words (SearchTerm) counted over the
  indexed titles and summaries (SearchDocument), commonest first;
- `facets`: values each search facet takes in the index (themes, regions, countries, goals,
  audiences, types, statuses, years);
- `initiatives` / `port_centers`: slugs of published records, shuffled with a fixed seed;
- `editor`: the demo member's sign-in (created by `demo_accounts`) and one record it may edit;
- `index_bytes`: bytes of the search tables and their indexes (FTS tables included) plus the
  search library's index directory when there is one (`database_index_bytes`,
  `library_index_bytes` apart; `engine` says which answers).

Reads the search models only; nothing is written except the demo sign-ins."""

from __future__ import annotations

import io
import json
import os
import random
import re
import sys
from collections import Counter
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
# Documents read to count word frequencies: enough for stable weights at any size.
MAX_DOCS = 200_000


def vocabulary() -> list[tuple[str, int]]:
    from portolan.search.models import SearchDocument, SearchTerm

    known = set(SearchTerm.objects.values_list("term", flat=True).iterator(chunk_size=5000))
    counts: Counter[str] = Counter()
    docs = SearchDocument.objects.order_by("id").values_list("title", "summary")
    for title, summary in docs[:MAX_DOCS].iterator(chunk_size=5000):
        words = {w.lower() for w in _WORD.findall(f"{title} {summary}")}
        counts.update(w for w in words if not known or w in known)
    return counts.most_common()


def facets() -> dict[str, list[Any]]:
    from portolan.core.models import Audience, Goal, Theme
    from portolan.search.models import SearchDocument

    def distinct(column: str) -> list[Any]:
        values = SearchDocument.objects.exclude(**{f"{column}__isnull": True})
        return sorted({v for v in values.values_list(column, flat=True).distinct() if v != ""})

    return {
        "theme": list(Theme.objects.order_by("slug").values_list("slug", flat=True)),
        "region": distinct("region"),
        "country": distinct("country"),
        "goal": [str(n) for n in Goal.objects.order_by("number").values_list("number", flat=True)],
        "audience": list(Audience.objects.order_by("slug").values_list("slug", flat=True)),
        "type": distinct("record_type"),
        "status": distinct("status"),
        "year": [str(y) for y in distinct("year")],
    }


def slugs(model: Any, limit: int) -> list[str]:
    ids = list(model.objects.published().order_by("id").values_list("slug", flat=True)[:200_000])
    random.Random(7).shuffle(ids)
    return ids[:limit]


def editor() -> dict[str, Any]:
    from django.core.management import call_command

    from portolan.catalogue.management.commands import demo_accounts
    from portolan.catalogue.models import Initiative

    with redirect_stdout(io.StringIO()):
        call_command("demo_accounts")
    from portolan.accounts.models import User

    user = User.objects.get(email=demo_accounts.EDITOR_EMAIL)
    record = (
        Initiative.objects.filter(organisation__memberships__user=user)
        .order_by("id")
        .values_list("slug", flat=True)
        .first()
    )
    return {
        "email": demo_accounts.EDITOR_EMAIL,
        "password": demo_accounts.PASSWORD,
        "initiative": record,
    }


def library_bytes() -> int | None:
    """Bytes of the search library's index directory (SEARCH_INDEX_DIR), None without one."""
    from django.conf import settings

    directory = getattr(settings, "SEARCH_INDEX_DIR", None)
    if not directory or not Path(directory).is_dir():
        return None
    return sum(f.stat().st_size for f in Path(directory).rglob("*") if f.is_file())


def index_bytes() -> int | None:
    """Bytes of the search tables and their indexes in the database (the database engine's
    index, always written)."""
    from django.db import connection

    tables = [t for t in connection.introspection.table_names() if t.startswith("search_")]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                "WHERE c.relkind IN ('r', 'm') AND c.relname = ANY(%s)",
                [tables],
            )
            return int(cursor.fetchone()[0])
        # SQLite: the pages of the search tables, their indexes and the FTS shadow tables.
        cursor.execute("SELECT name, tbl_name FROM sqlite_master WHERE type IN ('table','index')")
        names = [n for n, tbl in cursor.fetchall() if n.startswith("search_") or tbl in tables]
        try:
            marks = ", ".join(["%s"] * len(names))
            cursor.execute(f"SELECT SUM(pgsize) FROM dbstat WHERE name IN ({marks})", names)  # noqa: S608
            return int(cursor.fetchone()[0] or 0)
        except Exception:  # noqa: BLE001 - SQLite built without dbstat: size unknown
            return None


def main() -> int:
    import django

    django.setup()
    from portolan.catalogue.models import Initiative, PortCenter

    wanted = set(sys.argv[1].split(",")) if len(sys.argv) > 1 else None

    def want(part: str) -> bool:
        return wanted is None or part in wanted

    out: dict[str, Any] = {}
    if want("vocabulary"):
        out["vocabulary"] = vocabulary()
    if want("facets"):
        out["facets"] = facets()
    if want("slugs"):
        out["initiatives"] = slugs(Initiative, 5000)
        out["port_centers"] = slugs(PortCenter, 5000)
    if want("editor"):
        out["editor"] = editor()
    if want("index"):
        from django.conf import settings

        out["engine"] = getattr(settings, "SEARCH_ENGINE", "database")
        out["database_index_bytes"] = index_bytes()
        out["library_index_bytes"] = library_bytes()
        # Both when both exist: the database engine's tables are always written.
        sizes = [v for v in (out["database_index_bytes"], out["library_index_bytes"]) if v]
        out["index_bytes"] = sum(sizes) if sizes else None
        out["search_documents"] = _count_documents()
    print(json.dumps(out))
    return 0


def _count_documents() -> int:
    from portolan.search.models import SearchDocument

    return SearchDocument.objects.count()


if __name__ == "__main__":
    raise SystemExit(main())
