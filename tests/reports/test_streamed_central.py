"""``central export`` streams from PostgreSQL (a server-side cursor) what it built in memory
before: the same bytes in each CSV file and the same cells in the XLSX, over a generated
company (``make load``'s fixture) with voided records and a correction held for review."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert, select

from core.host.paths import DataPaths
from core.reports import write_report
from core.secrets.keys import DeploymentKeys
from core.store.tables import CORRECTIONS, EVENTS
from core.store.types import utcnow
from core.sync.central import CentralDatabase
from core.sync.central_export import stream_central_report
from tests.reports import legacy_report
from tests.reports.test_streamed_report import _sheet_view
from tools.bench.load import LoadPlan, build_company

pytestmark = pytest.mark.postgres
DAYS = 6
MADRID = ZoneInfo("Europe/Madrid")


def test_central_export_streams_the_same_files(central_url: str, tmp_path: Path) -> None:
    owner = CentralDatabase(central_url)
    try:
        plan = LoadPlan(
            kiosks=1, employees_per_kiosk=30, templates_per_employee=0, history_days=DAYS
        )
        build_company(owner, plan, DeploymentKeys.generate())
        with owner.begin() as connection:
            ids = list(connection.scalars(select(EVENTS.c.id).order_by(EVENTS.c.id).limit(12)))
            connection.execute(
                insert(CORRECTIONS),
                [
                    {
                        "event_id": event_id,
                        "reason": "=cmd|' /C calc'!A0" if i % 2 else "wrong person",
                        "actor": "user:admin",
                        "kiosk_id": "load-k0000",
                        # one held for review voids nothing until released
                        "review": "held" if i == 0 else None,
                    }
                    for i, event_id in enumerate(ids)
                ],
            )
        today, now = utcnow().date(), utcnow()
        period = (today - timedelta(days=DAYS), today)
        old = legacy_report.central_report(owner, *period, now, fallback_zone=MADRID)
        assert len(old.records) == 30 * 2 * DAYS and sum(r.voided for r in old.records) == 11
        files = DataPaths(tmp_path / "owner")
        for language in ("es", "en"):
            report = stream_central_report(owner, *period, now, fallback_zone=MADRID)
            written = write_report(
                report, tmp_path / f"{language}.csv", "csv", store_files=files, language=language
            )
            expected = []
            for sheet in legacy_report.sheets(old):
                buffer = io.StringIO(newline="")
                legacy_report.write_sheet(buffer, sheet, language)
                expected.append(buffer.getvalue().encode("utf-8"))
            assert [p.read_bytes() for p in written] == expected
            assert report.counts.records == len(old.records)
            (xlsx,) = write_report(
                stream_central_report(owner, *period, now, fallback_zone=MADRID),
                tmp_path / f"{language}.xlsx",
                "xlsx",
                store_files=files,
                language=language,
            )
            reference = load_workbook(io.BytesIO(legacy_report.xlsx_bytes(old, language)))
            assert _sheet_view(load_workbook(xlsx)) == _sheet_view(reference)
    finally:
        owner.dispose()
