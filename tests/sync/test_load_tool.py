"""The load test (``make load``, tools/bench/load.py) at a tiny scale, so it cannot rot.

Three kiosks of two sites (when this tree has sites), each with its own role, push a day of
punches and enrollments and pull through the real sync code; the verdict must be ok and
carry every figure the load table in docs/develop/numbers.md reports, the web console's
pages among them. No timing is checked
here: the numbers are ``make load``'s to report, not a test's to judge.
"""

from __future__ import annotations

from datetime import date

import pytest

from core.secrets.keys import DeploymentKeys
from tests.support.pg import TestPostgres
from tools.bench.console_load import pages_to_time
from tools.bench.load import (
    COLUMNS,
    LoadPlan,
    Server,
    export_available,
    run_load,
    sites_available,
)

pytestmark = pytest.mark.postgres
PERIOD = (date(2026, 1, 1), date(2026, 1, 31))


def test_a_small_fleet_syncs_through_the_real_code(postgres_server: TestPostgres) -> None:
    plan = LoadPlan(
        kiosks=3,
        kiosks_per_site=2,
        employees_per_kiosk=6,
        rounds=2,
        enrollments_per_kiosk=2,
        history_days=2,
        concurrency=2,
        sites=sites_available(),
        export=export_available(),
        console_requests=2,
    )
    verdict = run_load(Server(postgres_server.admin_url), [plan], DeploymentKeys.generate())
    (point,) = verdict["points"]
    assert verdict["ok"], point["errors"]
    assert point["records_pushed"] == 18 * 2 + 3 * 2 * 2  # punches + templates and audit lines
    assert point["inbox_applied"] == 3 * 2
    assert point["attendance_rows"] == 18 * 2 * 3
    reach = 12 if plan.sites else 18  # site 0's people, or everyone
    assert point["new_kiosk_pulled"]["employees"] == reach
    if plan.export:
        assert point["export_rows"] == point["attendance_rows"]
        assert point["export_peak_rss_mb"] > 0 and point["export_xlsx_peak_rss_mb"] > 0
    exports = {"export_month_s", "export_peak_rss_mb", "export_xlsx_s", "export_xlsx_peak_rss_mb"}
    for key, _ in COLUMNS:
        if key not in {*exports, "db_cpu_ms_per_cycle"}:  # without export, a server here
            assert point[key] is not None, key
    # The web console answered every page it was asked for, signed in, on this database.
    assert set(point["console_pages"]) == set(pages_to_time(date.today(), PERIOD, "X"))
    assert all(p["p95_ms"] > 0 for p in point["console_pages"].values())
    assert point["console_csv_s"] >= point["console_csv_first_byte_s"] > 0
    assert str(plan.kiosks) in verdict["table"]
