"""Time a staff import of a generated CSV of initiatives (default 5,000 rows, the import's cap).

    .venv/bin/python tools/time_import.py [--rows 5000] [--runs 3]

Builds a throwaway SQLite database under var/ (or uses DATABASE_URL when set: give it an empty
database), migrates it, then for each run imports a new file of `--rows` initiatives with
`--commit` semantics (`services.import_file`: plan, bulk write, history, search reindex) and
prints the best and median wall time, plus how many times the model rules ran per row
(`bulk.record_errors` calls) and the time they took. Figures quoted in
`portolan/opendata/importing.py` come from this script."""

from __future__ import annotations

import argparse
import csv
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    database = ROOT / "var" / "time_import.sqlite3"
    if not os.environ.get("DATABASE_URL"):
        database.parent.mkdir(exist_ok=True)
        database.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

    import django

    django.setup()

    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from portolan.catalogue.services import bulk
    from portolan.opendata import importing, services
    from portolan.testing.factories import OrganisationFactory, PortCityFactory, StaffFactory

    staff = StaffFactory(email="timer@example.org")
    org = OrganisationFactory(slug="timing-org")
    city = PortCityFactory(slug="timing-city")

    checks = {"calls": 0, "seconds": 0.0}
    original = bulk.record_errors

    def counted(record):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return original(record)
        finally:
            checks["calls"] += 1
            checks["seconds"] += time.perf_counter() - started

    # Both the plan and the writer look the function up in their module at call time.
    bulk.record_errors = counted  # type: ignore[assignment]
    importing.record_errors = counted  # type: ignore[attr-defined]

    timings: list[float] = []
    for run in range(args.runs):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(
            ["external_id", "title", "summary", "organisation", "port_city", "themes",
             "start_year", "end_year", "links"]
        )  # fmt: skip
        for n in range(args.rows):
            writer.writerow(
                [f"T{run}-{n}", f"Harbour days {run} {n}", "Pupils visit the port and its docks.",
                 org.slug, city.slug, "education", 2015 + n % 10, 2026,
                 f"https://example.org/{run}/{n}"]
            )  # fmt: skip
        data = out.getvalue().encode()
        checks.update(calls=0, seconds=0.0)
        started = time.perf_counter()
        output = services.import_file(
            kind=importing.INITIATIVES, filename="timing.csv", data=data, user=staff
        )
        elapsed = time.perf_counter() - started
        assert output.ok and output.plan is not None, output.file_error or output.plan
        assert output.plan.counts[importing.CREATE] == args.rows
        timings.append(elapsed)
        print(
            f"run {run + 1}: {elapsed:.2f} s for {args.rows} rows; model rules ran "
            f"{checks['calls']} times ({checks['calls'] / args.rows:.0f} per row), "
            f"{checks['seconds']:.2f} s"
        )
    print(f"best {min(timings):.2f} s, median {statistics.median(timings):.2f} s")


if __name__ == "__main__":
    main()
