"""Time the export's XLSX writing: our portolan/opendata/xlsx.py against XlsxWriter
(constant_memory mode) and optionally openpyxl (write-only), on the same generated export-like
rows (text, numbers, empty cells, dates, datetimes), in one process run.

    .venv/bin/python bench/xlsx_writers.py [--cells 500000] [--repeat 3] [--openpyxl]"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COLUMNS = 30  # the export's column count


def _rows(cells: int) -> list[list[object]]:
    rng = random.Random(7)
    words = [
        "port",
        "city",
        "centre",
        "harbour",
        "school",
        "cruise",
        "logistics",
        "energy",
        "Génova",
        "Montréal",
    ]
    start = datetime(2020, 1, 1, tzinfo=UTC)
    rows = []
    for n in range(cells // COLUMNS):
        text = " ".join(rng.choices(words, k=rng.randint(2, 30)))
        row: list[object] = [
            "initiative",
            n,
            f"slug-{n}",
            text[:60],
            text,
            f"https://portolan.example.org/en/catalogue/initiatives/slug-{n}/",
        ]
        row += [rng.choice(words) if rng.random() < 0.8 else None for _ in range(8)]
        row += [rng.uniform(-80, 80), rng.uniform(-170, 170), "city"]
        row += [rng.choice(words) for _ in range(5)]
        row += [rng.randint(1990, 2030), None, rng.randint(1990, 2030), None, 1000 * n]
        row += [None, "en", start + timedelta(minutes=n), (start + timedelta(days=n % 900)).date()]
        rows.append(row[:COLUMNS])
    return rows


def _ours(headers, rows):
    from portolan.opendata.xlsx import write_xlsx

    return write_xlsx(headers, rows, sheet_name="Portolan")


def _xlsxwriter(headers, rows, *, typed=True):
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    sheet = book.add_worksheet("Portolan")
    stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    write_string, write_number, write_datetime = (
        sheet.write_string,
        sheet.write_number,
        sheet.write_datetime,
    )
    sheet.write_row(0, 0, headers)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            kind = type(value)
            if value is None:
                continue
            if kind is datetime:
                write_datetime(r, c, value.replace(tzinfo=None), stamp)  # type: ignore[union-attr]
            elif kind is date:
                write_datetime(r, c, value, day)
            elif not typed:
                sheet.write(r, c, value)
            elif kind is str:
                write_string(r, c, value)
            else:
                write_number(r, c, value)
    book.close()
    return buffer.getvalue()


def _xlsxwriter_generic(headers, rows):
    return _xlsxwriter(headers, rows, typed=False)


def _openpyxl(headers, rows):
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Portolan")
    sheet.append(headers)
    for row in rows:
        sheet.append([v.replace(tzinfo=None) if isinstance(v, datetime) else v for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cells", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--openpyxl", action="store_true", help="also time openpyxl (slow)")
    args = parser.parse_args()
    rows = _rows(args.cells)
    headers = [f"c{i}" for i in range(COLUMNS)]
    writers = [
        ("portolan/opendata/xlsx.py", _ours),
        ("XlsxWriter, typed calls", _xlsxwriter),
        ("XlsxWriter, generic write", _xlsxwriter_generic),
    ]
    if args.openpyxl:
        writers.append(("openpyxl write-only", _openpyxl))
    print(f"{len(rows)} rows x {COLUMNS} columns = {len(rows) * COLUMNS} cells")
    # Rounds interleave the writers so a burst of load on a shared machine hits them alike; CPU
    # time (process_time) is reported beside wall time because it is the steadier of the two.
    cpu: dict[str, list[float]] = {name: [] for name, _writer in writers}
    wall: dict[str, list[float]] = {name: [] for name, _writer in writers}
    sizes: dict[str, int] = {}
    for round_number in range(args.repeat):
        for name, writer in writers:
            if writer is _openpyxl and round_number:
                continue
            began, began_cpu = time.perf_counter(), time.process_time()
            sizes[name] = len(writer(headers, rows))
            cpu[name].append(time.process_time() - began_cpu)
            wall[name].append(time.perf_counter() - began)
    reference = min(cpu[writers[0][0]])
    for name, _writer in writers:
        median = statistics.median(cpu[name])
        print(
            f"{name:27} CPU best {min(cpu[name]):5.2f} s, median {median:5.2f}"
            f" | wall best {min(wall[name]):5.2f} s | {min(cpu[name]) / reference:4.1f}x"
            f" | {sizes[name] / 1e6:.1f} MB"
        )


if __name__ == "__main__":
    main()
