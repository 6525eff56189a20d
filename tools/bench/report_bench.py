"""The period report over a month of a company's records, alone: time and peak memory.

``python -m tools.bench.report_bench --employees 20000 --days 30 --repeat 3`` builds on an
embedded PostgreSQL (or the one ``ASISTENCIA_LOAD_DATABASE_URL`` names) what ``make load``
starts from: the employees, their shifts and assignments, and an in and an out a day each
for ``--days`` days (``tools.bench.load``'s fixture, 2 × employees × days records). Then, for
each format, it runs ``central export`` for the month ``--repeat`` times, each in a fresh
Python process, and reports the median seconds and the median peak resident memory (the
child's own ``ru_maxrss``: the program, its libraries and the report). XLSX covers the most
days whose records fit one sheet (1,048,576 rows: 25 days of 20,000 people), since a longer
sheet is refused.

``--tree DIR`` measures another checkout's code on the same data (e.g. a checkout of the code
before a change): the child imports the report from there. Prints a table on stderr and one
JSON object on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import text

from core.reports.xlsx_format import MAX_ROWS
from core.secrets.keys import DeploymentKeys
from core.sync.central import CentralDatabase
from tools.bench.load import (
    LoadPlan,
    build_company,
    drop_database,
    postgres_server,
    template_database,
    url_for,
)

ROOT = Path(__file__).resolve().parents[2]

# What ``main.py central export --from A --to B -o DIR/month.EXT`` does once connected, in a
# child process of its own so that its peak memory is the report's. The streaming function
# when the tree has it, else the report built in memory (the code before streaming).
CHILD = r"""
import json, resource, sys, time
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo
from core.host.paths import DataPaths
from core.reports import write_report
from core.store.types import utcnow
from core.sync import central_export
from core.sync.central import CentralDatabase

url, fmt, folder, days = sys.argv[1], sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])
central = CentralDatabase(url)
today = utcnow().date()
make = getattr(central_export, "stream_central_report", central_export.central_report)
started = time.perf_counter()
first, utc = today - timedelta(days=days), ZoneInfo("UTC")
report = make(central, first, today, utcnow(), fallback_zone=utc)
owner = DataPaths(folder / "owner")
written = write_report(report, folder / f"month.{fmt}", fmt, store_files=owner)
seconds = time.perf_counter() - started
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
size = sum(p.stat().st_size for p in written)
counts = getattr(report, "counts", None)
records = counts.records if counts is not None else len(report.records)
print(json.dumps({"seconds": seconds, "peak_rss_mb": peak_mb, "bytes": size, "records": records,
                  "streamed": make.__name__ != "central_report"}))
"""


def run_child(tree: Path, url: str, fmt: str, days: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="asistencia-report-bench-") as folder:
        env = {**os.environ, "PYTHONPATH": str(tree)}
        done = subprocess.run(
            [sys.executable, "-c", CHILD, url, fmt, folder, str(days)],
            cwd=tree,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"the report failed ({done.returncode}): {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def xlsx_days(employees: int, days: int) -> int:
    """The most days (up to ``days``) whose records fit one XLSX sheet, today's included."""
    return max(1, min(days, (MAX_ROWS - 1) // (2 * employees) - 1))


def measure(
    url: str,
    *,
    trees: Sequence[Path],
    formats: Sequence[str],
    employees: int,
    days: int,
    repeat: int,
) -> list[dict[str, Any]]:
    rows = []
    for tree in trees:
        for fmt in formats:
            span = days if fmt == "csv" else xlsx_days(employees, days)
            try:
                runs = [run_child(tree, url, fmt, span) for _ in range(repeat)]
            except RuntimeError as exc:  # e.g. out of memory: said, and the others go on
                rows.append({"tree": str(tree), "format": fmt, "days": span, "error": str(exc)})
                print(f"[report] {rows[-1]}", file=sys.stderr, flush=True)
                continue
            rows.append(
                {
                    "tree": str(tree),
                    "streamed": runs[0]["streamed"],
                    "format": fmt,
                    "days": span,
                    "records": runs[0]["records"],
                    "seconds_median": round(statistics.median(r["seconds"] for r in runs), 1),
                    "seconds": [round(r["seconds"], 1) for r in runs],
                    "peak_rss_mb_median": round(statistics.median(r["peak_rss_mb"] for r in runs)),
                    "peak_rss_mb": [round(r["peak_rss_mb"]) for r in runs],
                    "mb_written": round(runs[0]["bytes"] / 2**20, 1),
                }
            )
            print(f"[report] {rows[-1]}", file=sys.stderr, flush=True)
    return rows


def table(rows: Sequence[dict[str, Any]]) -> str:
    lines = ["tree  streamed  format  records  seconds (median)  peak RSS MB (median)  MB written"]
    lines += [
        f"{r['tree']}  {r['format']}  failed: {r['error'][-200:]}"
        if "error" in r
        else f"{r['tree']}  {r['streamed']}  {r['format']}  {r['records']}  {r['seconds_median']}  "
        f"{r['peak_rss_mb_median']}  {r['mb_written']}"
        for r in rows
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tools.bench.report_bench", description=__doc__)
    parser.add_argument("--employees", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=30, help="days of records (30)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--tree", action="append", type=Path, help="checkouts to measure")
    args = parser.parse_args(argv)
    trees = [t.resolve() for t in (args.tree or [ROOT])]
    formats = [f for f in args.formats.split(",") if f]
    plan = LoadPlan(
        kiosks=max(1, args.employees // 100),
        employees_per_kiosk=100 if args.employees >= 100 else args.employees,
        templates_per_employee=0,
        history_days=args.days,
    )
    keys = DeploymentKeys.generate()
    started = time.perf_counter()
    with postgres_server() as server, template_database(server.admin_url, keys) as template:
        name = f"asistencia_report_{uuid.uuid4().hex[:6]}"
        with psycopg.connect(server.admin_url, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'.encode())
        url = url_for(server.admin_url, name)
        try:
            owner = CentralDatabase(url)
            build_company(owner, plan, keys)
            with owner.connect() as connection:
                records = connection.scalar(text("SELECT count(*) FROM attendance_events"))
                connection.execute(text("ANALYZE"))
            owner.dispose()
            fixture_s = round(time.perf_counter() - started, 1)
            print(f"[report] {records} records ready in {fixture_s} s", file=sys.stderr)
            rows = measure(
                url,
                trees=trees,
                formats=formats,
                employees=plan.employees,
                days=args.days,
                repeat=args.repeat,
            )
        finally:
            drop_database(server.admin_url, name)
    verdict = {"employees": plan.employees, "records": records, "fixture_s": fixture_s}
    verdict["runs"] = rows
    print(table(rows), file=sys.stderr)
    print(json.dumps(verdict))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
