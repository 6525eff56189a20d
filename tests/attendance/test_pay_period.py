"""Pay periods: the setting, the current and previous period of a date, and `export --period`."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.config import SettingsError, load_settings
from core.reports.pay_period import (
    PAY_PERIODS,
    PayPeriodKind,
    Period,
    current_and_previous,
    period_of,
)
from tests.support.cli import run_main

# fast and self-contained: `make quick` runs it (pyproject's `quick` marker)
pytestmark = pytest.mark.quick


@pytest.mark.parametrize(
    ("day", "kind", "start_day", "current", "previous"),
    [
        (
            date(2026, 11, 17),
            "monthly",
            1,
            ("2026-11-01", "2026-11-30"),
            ("2026-10-01", "2026-10-31"),
        ),
        (
            date(2026, 11, 17),
            "monthly",
            26,
            ("2026-10-26", "2026-11-25"),
            ("2026-09-26", "2026-10-25"),
        ),
        (
            date(2026, 11, 26),
            "monthly",
            26,
            ("2026-11-26", "2026-12-25"),
            ("2026-10-26", "2026-11-25"),
        ),
        (
            date(2027, 1, 3),
            "monthly",
            26,
            ("2026-12-26", "2027-01-25"),
            ("2026-11-26", "2026-12-25"),
        ),
        (
            date(2026, 11, 17),
            "semimonthly",
            1,
            ("2026-11-16", "2026-11-30"),
            ("2026-11-01", "2026-11-15"),
        ),
        (
            date(2026, 11, 3),
            "semimonthly",
            1,
            ("2026-11-01", "2026-11-15"),
            ("2026-10-16", "2026-10-31"),
        ),
        (
            date(2026, 11, 17),
            "semimonthly",
            26,
            ("2026-11-11", "2026-11-25"),
            ("2026-10-26", "2026-11-10"),
        ),
        (
            date(2027, 2, 20),
            "semimonthly",
            15,
            ("2027-02-15", "2027-02-27"),
            ("2027-01-30", "2027-02-14"),
        ),
        # 2026-11-18 is a Wednesday; weeks from Monday (1) and from Sunday (7)
        (
            date(2026, 11, 18),
            "weekly",
            1,
            ("2026-11-16", "2026-11-22"),
            ("2026-11-09", "2026-11-15"),
        ),
        (
            date(2026, 11, 18),
            "weekly",
            7,
            ("2026-11-15", "2026-11-21"),
            ("2026-11-08", "2026-11-14"),
        ),
    ],
)
def test_current_and_previous_period(
    day: date,
    kind: PayPeriodKind,
    start_day: int,
    current: tuple[str, str],
    previous: tuple[str, str],
) -> None:
    def iso(period: Period) -> tuple[str, str]:
        return period.start.isoformat(), period.end.isoformat()

    now, before = current_and_previous(day, kind, start_day)
    assert (iso(now), iso(before)) == (current, previous)


@given(
    day=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
    kind=st.sampled_from(PAY_PERIODS),
    start_day=st.integers(1, 28),
)
def test_periods_tile_the_calendar(day: date, kind: PayPeriodKind, start_day: int) -> None:
    if kind == "weekly":
        start_day = start_day % 7 + 1
    period = period_of(day, kind, start_day)
    assert period.start <= day <= period.end
    assert 7 <= (period.end - period.start).days + 1 <= 31
    # the next period starts the day after this one ends, and holds that day
    assert period_of(
        period.end + timedelta(days=1), kind, start_day
    ).start == period.end + timedelta(days=1)


@pytest.mark.parametrize(
    ("values", "said"),
    [
        ({"pay_period": "fortnightly"}, "monthly | semimonthly | weekly"),
        ({"pay_period_start_day": 29}, "a whole number from 1 to 28"),
        ({"pay_period": "weekly", "pay_period_start_day": 8}, "1 (Monday) to 7 (Sunday)"),
    ],
)
def test_a_wrong_pay_period_setting_is_one_sentence(
    tmp_path: Path, values: dict[str, object], said: str
) -> None:
    toml = tmp_path / "asistencia.toml"
    toml.write_text(
        "\n".join(f"{k} = {v!r}".replace("'", '"') for k, v in values.items()) + "\n",
        encoding="utf-8",
    )
    with pytest.raises(SettingsError) as raised:
        load_settings(toml)
    assert said in str(raised.value)


def test_export_period_previous_from_the_command_line(tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path / "d")]
    env = {"ASISTENCIA_PAY_PERIOD": "weekly", "ASISTENCIA_PAY_PERIOD_START_DAY": "1"}
    out = tmp_path / "week.csv"
    done = run_main(*data, "export", "--period", "previous", "-o", str(out), env=env)
    assert done.returncode == 0, done.stderr
    today = datetime.now(ZoneInfo("Europe/Madrid")).date()  # the kiosk's zone, not the host's
    monday = today - timedelta(days=today.weekday() + 7)
    assert f"{monday} to {monday + timedelta(days=6)}:" in done.stderr
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # the spreadsheet style by default
    both = run_main(*data, "export", "--period", "current", "--from", "2026-01-01", env=env)
    assert both.returncode == 2 and "either --period or --from/--to" in both.stderr
    none = run_main(*data, "export")
    assert none.returncode == 2 and "say which days" in none.stderr
