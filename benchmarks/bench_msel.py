"""MSEL import and export speed: a generated 5,000-row HSEEP sheet, against openpyxl's and the
csv module's bare read of the same file.

Prints the median of several runs of (a) the bare read (openpyxl loading the workbook and every
cell; csv.reader over the text), (b) the whole import (read, headers, times, recipients, phases,
YAML text; without the validator run the command adds), and their ratio; then the export of the
longest shipped scenario to xlsx. Run: python benchmarks/bench_msel.py
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from pathlib import Path

import openpyxl
from bench_validate import median_time  # one timing helper for the benchmarks (same folder)

from exercise_engine.model.loader import load_catalog
from exercise_engine.msel.convert import ImportOptions, import_msel
from exercise_engine.msel.export import msel_rows, write_xlsx

ROWS = 5000
HEADER = ["Inject No.", "Scenario Time", "Phase", "Delivery Method", "Originator",
          "Recipient(s)", "Subject", "Message", "Expected Action"]  # fmt: skip
METHODS = ["Email printout", "Phone call", "Radio", "Verbal", "Media", "SITREP"]
TO = ["UNMISS, OCHA", "Force", "Government", "Police", "All", "UN Police / HCT"]
PHASES = ["Prevent", "React", "Rebuild"]


def sheet_rows() -> list[list[object]]:
    start = dt.datetime(2027, 3, 14, 6, 0)
    rows: list[list[object]] = [HEADER]
    for n in range(ROWS):
        when = start + dt.timedelta(minutes=7 * n)
        rows.append([
            f"INJ-{n + 1:04d}", when.strftime("%Y-%m-%d %H:%M"), PHASES[3 * n // ROWS],
            METHODS[n % len(METHODS)], f"Sender {n % 17}", TO[n % len(TO)],
            f"Inject {n + 1}: report from sector {n % 9}",
            f"Body of inject {n + 1}. " * 8, "Expected: verify, share, act.",
        ])  # fmt: skip
    return rows


def main() -> None:
    rows = sheet_rows()
    with tempfile.TemporaryDirectory() as folder:
        xlsx, csv_path = Path(folder) / "msel.xlsx", Path(folder) / "msel.csv"
        book = openpyxl.Workbook()
        for row in rows:
            book.active.append(row)
        book.save(xlsx)
        with csv_path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(rows)
        options = ImportOptions()
        result = import_msel(xlsx, options)
        assert result.injects == ROWS, result.injects
        sizes = f"xlsx {xlsx.stat().st_size // 1024} KiB, csv {csv_path.stat().st_size // 1024} KiB"
        print(f"sheet: {ROWS:,} rows x {len(HEADER)} columns ({sizes})")

        def bare_xlsx() -> None:
            sheet = openpyxl.load_workbook(xlsx, data_only=True).active
            for _ in sheet.iter_rows(values_only=True):
                pass

        def bare_csv() -> None:
            with csv_path.open(newline="", encoding="utf-8") as handle:
                for _ in csv.reader(handle):
                    pass

        for name, path, bare in (("xlsx", xlsx, bare_xlsx), ("csv", csv_path, bare_csv)):
            base = median_time(bare)
            whole = median_time(lambda p=path: import_msel(p, options))
            print(f"{name}: bare read {base * 1000:8.1f} ms   whole import {whole * 1000:8.1f} ms"
                  f"   = {whole / base:5.1f}x the bare read")  # fmt: skip
        catalog = load_catalog()
        longest = max(catalog.scenarios.values(), key=lambda e: len(e.model.injects)).model
        out = Path(folder) / "export.xlsx"
        spent = median_time(lambda: write_xlsx(msel_rows(longest), out, longest.title))
        print(f"export of {longest.id} ({len(longest.injects)} injects) to xlsx "
              f"{spent * 1000:8.1f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
