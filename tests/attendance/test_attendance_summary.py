"""Per-day attendance summaries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.attendance.rules import Accepted, Kind, ShiftSpec, decide
from core.attendance.rules import PriorRecord as Prior
from core.attendance.summary import DaySummary, SummaryRecord, summarize_days

# fast and self-contained: `make quick` runs it (pyproject's `quick` marker)
pytestmark = pytest.mark.quick


MADRID = ZoneInfo("Europe/Madrid")
BOGOTA = ZoneInfo("America/Bogota")
MON = date(2026, 3, 2)  # a Monday
TUE = date(2026, 3, 3)
NIGHT = ShiftSpec("night", "Noche", time(22), time(6), frozenset(range(7)))
DAY = ShiftSpec("day", "Mañana", time(8), time(16), frozenset(range(5)), grace_in_minutes=5)


def local(day: date, hour: int, minute: int = 0, zone: ZoneInfo = MADRID) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


def punch(
    instants: Sequence[datetime], shifts: Sequence[ShiftSpec], zone: ZoneInfo = MADRID
) -> list[SummaryRecord]:
    """Records as the kiosk would store them after asking the rules at each instant."""
    history: list[Prior] = []
    records: list[SummaryRecord] = []
    for instant in instants:
        decision = decide(instant, zone, shifts, history)
        if isinstance(decision, Accepted):
            history.append(Prior(instant, decision.kind, decision.shift_day))
            records.append(SummaryRecord.from_decision(instant, decision))
    return records


def test_day_with_check_in_and_check_out() -> None:
    records = punch([local(MON, 8, 12), local(MON, 16, 30)], [DAY])
    [day] = summarize_days(records, local(TUE, 12), MADRID)
    assert day == DaySummary(
        shift_day=MON,
        first_in=local(MON, 8, 12),
        last_out=local(MON, 16, 30),
        worked=timedelta(hours=8, minutes=18),
        late_minutes=12,
        early_leave_minutes=0,
        overtime_minutes=30,
        missing_checkout=False,
        records=2,
        breaks=timedelta(0),
        corrections=0,
        shift_id="day",
    )


def test_lunch_break_sums_two_intervals() -> None:
    instants = [local(MON, 8, 20), local(MON, 13), local(MON, 14), local(MON, 15, 30)]
    [day] = summarize_days(punch(instants, [DAY]), local(TUE, 12), MADRID)
    assert day.worked == timedelta(hours=4, minutes=40) + timedelta(hours=1, minutes=30)
    assert (day.first_in, day.last_out) == (local(MON, 8, 20), local(MON, 15, 30))
    # late from the first IN only; early leave from the last OUT only (13:00 was lunch)
    assert (day.late_minutes, day.early_leave_minutes) == (20, 30)
    assert day.records == 4


def test_missing_check_out_is_flagged_only_once_the_day_is_over() -> None:
    records = punch([local(MON, 8)], [DAY])
    # 16:00 end + 6 h late check-out window = 22:00 local
    assert not summarize_days(records, local(MON, 12), MADRID)[0].missing_checkout
    assert not summarize_days(records, local(MON, 22), MADRID)[0].missing_checkout
    assert summarize_days(records, local(MON, 22, 1), MADRID)[0].missing_checkout


def test_missing_check_out_on_a_day_without_shift() -> None:
    records = punch([local(MON, 9)], [])
    assert records[0].scheduled_end is None
    # the end of Tuesday plus the late check-out window: Wednesday 06:00 local
    assert not summarize_days(records, local(MON, 23), MADRID)[0].missing_checkout
    assert not summarize_days(records, local(TUE, 23), MADRID)[0].missing_checkout
    wednesday = TUE + timedelta(days=1)
    assert summarize_days(records, local(wednesday, 6, 1), MADRID)[0].missing_checkout


def test_night_shift_summary_is_one_day_with_overtime() -> None:
    records = punch([local(MON, 21, 50), local(TUE, 6, 10)], [NIGHT])
    [day] = summarize_days(records, local(TUE, 12), MADRID)
    assert day.shift_day == MON
    assert day.worked == timedelta(hours=8, minutes=20)
    assert (day.late_minutes, day.overtime_minutes, day.missing_checkout) == (0, 10, False)


@pytest.mark.parametrize(("night_of", "hours"), [(date(2026, 3, 28), 7), (date(2026, 10, 24), 9)])
def test_dst_nights_count_real_elapsed_time(night_of: date, hours: int) -> None:
    next_day = night_of + timedelta(days=1)
    records = punch([local(night_of, 22), local(next_day, 6)], [NIGHT])
    [day] = summarize_days(records, local(next_day, 12), MADRID)
    assert day.worked == timedelta(hours=hours)
    assert (day.early_leave_minutes, day.overtime_minutes) == (0, 0)


def test_no_dst_zone_night_is_eight_hours() -> None:
    records = punch([local(MON, 22, zone=BOGOTA), local(TUE, 6, zone=BOGOTA)], [NIGHT], BOGOTA)
    [day] = summarize_days(records, local(TUE, 12, zone=BOGOTA), BOGOTA)
    assert (day.shift_day, day.worked) == (MON, timedelta(hours=8))


def test_days_are_grouped_and_sorted_whatever_the_input_order() -> None:
    records = punch(
        [local(MON, 22), local(TUE, 6), local(TUE, 22), local(TUE + timedelta(days=1), 6)],
        [NIGHT],
    )
    # mixed time zones and reversed order must not matter
    shuffled = [
        SummaryRecord(r.occurred_at.astimezone(UTC), r.kind, r.shift_day) for r in records[::-1]
    ]
    days = summarize_days(shuffled, local(TUE + timedelta(days=2), 12), MADRID)
    assert [(d.shift_day, d.worked, d.records) for d in days] == [
        (MON, timedelta(hours=8), 2),
        (TUE, timedelta(hours=8), 2),
    ]


def test_forgotten_check_out_is_flagged_and_the_next_day_is_not() -> None:
    records = punch([local(MON, 22), local(TUE, 21, 55)], [NIGHT])
    monday, tuesday = summarize_days(records, local(TUE, 23), MADRID)
    assert (monday.shift_day, monday.missing_checkout, monday.worked) == (MON, True, timedelta(0))
    assert (monday.first_in, monday.last_out) == (local(MON, 22), None)
    assert (tuesday.shift_day, tuesday.missing_checkout) == (TUE, False)


def test_unpaired_records_pair_with_nothing() -> None:
    # Corrections can leave an OUT first or two INs in a row: count only real pairs.
    records = [
        SummaryRecord(local(MON, 7), Kind.OUT, MON),
        SummaryRecord(local(MON, 8), Kind.IN, MON),
        SummaryRecord(local(MON, 9), Kind.IN, MON),
        SummaryRecord(local(MON, 12), Kind.OUT, MON),
        SummaryRecord(local(MON, 13), Kind.OUT, MON),
    ]
    [day] = summarize_days(records, local(TUE, 12), MADRID)
    assert day.worked == timedelta(hours=4)
    assert (day.first_in, day.last_out) == (local(MON, 8), local(MON, 13))


def _day(*items: tuple[int, int, Kind] | tuple[int, int, Kind, bool]) -> list[SummaryRecord]:
    """Records of Monday (Kind, time) as written directly: breaks, voids, corrections."""
    return [
        SummaryRecord(
            local(MON, item[0], item[1]),
            item[2],
            MON,
            scheduled_end=local(MON, 16),
            voided=len(item) > 3 and bool(item[3]),
        )
        for item in items
    ]


def test_a_break_is_unpaid() -> None:
    records = _day(
        (8, 0, Kind.IN), (12, 0, Kind.BREAK_START), (12, 30, Kind.BREAK_END), (16, 30, Kind.OUT)
    )
    [day] = summarize_days(records, local(TUE, 12), MADRID)
    assert (day.worked, day.breaks) == (timedelta(hours=8), timedelta(minutes=30))
    assert (day.first_in, day.last_out, day.missing_checkout) == (
        local(MON, 8),
        local(MON, 16, 30),
        False,
    )


def test_two_breaks_and_a_break_still_open_at_the_check_out() -> None:
    records = _day(
        (8, 0, Kind.IN),
        (10, 0, Kind.BREAK_START),
        (10, 15, Kind.BREAK_END),
        (15, 0, Kind.BREAK_START),
        (16, 0, Kind.OUT),  # the break ends at the OUT
    )
    [day] = summarize_days(records, local(TUE, 12), MADRID)
    assert day.breaks == timedelta(hours=1, minutes=15)
    assert day.worked == timedelta(hours=8) - timedelta(hours=1, minutes=15)


@pytest.mark.parametrize("last", [Kind.BREAK_START, Kind.BREAK_END, Kind.IN])
def test_a_day_that_ends_in_or_on_a_break_misses_its_check_out(last: Kind) -> None:
    records = _day((8, 0, Kind.IN), (12, 0, Kind.BREAK_START), (12, 30, Kind.BREAK_END))
    if last is Kind.BREAK_START:
        records.append(
            SummaryRecord(local(MON, 14), Kind.BREAK_START, MON, scheduled_end=local(MON, 16))
        )
    elif last is Kind.IN:
        records = records[:1]
    # 16:00 end + 6 h late check-out window
    assert not summarize_days(records, local(MON, 22), MADRID)[0].missing_checkout
    [day] = summarize_days(records, local(MON, 22, 1), MADRID)
    # nobody knows when the person left: the open presence counts nothing, its breaks neither
    assert (day.missing_checkout, day.worked, day.breaks) == (True, timedelta(0), timedelta(0))


def test_voided_records_count_as_the_days_corrections_and_nothing_else() -> None:
    records = _day(
        (8, 0, Kind.IN),
        (9, 0, Kind.OUT, True),  # a wrong check-out, voided...
        (17, 0, Kind.OUT),  # ...and its replacement
        (18, 0, Kind.IN, True),
    )
    [day] = summarize_days(records, local(TUE, 12), MADRID)
    assert (day.worked, day.records, day.corrections) == (timedelta(hours=9), 2, 2)
    assert (day.last_out, day.missing_checkout) == (local(MON, 17), False)


def test_a_day_whose_records_were_all_voided_shows_its_corrections() -> None:
    [day] = summarize_days(_day((8, 0, Kind.IN, True)), local(TUE, 12), MADRID)
    assert (day.records, day.corrections, day.first_in, day.missing_checkout) == (0, 1, None, False)


def test_no_records_no_days() -> None:
    assert summarize_days([], local(MON, 12), MADRID) == []


def test_naive_now_is_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        summarize_days([], datetime(2026, 3, 2, 12), MADRID)


@settings(max_examples=100, deadline=None)
@given(
    start=st.datetimes(
        min_value=datetime(2026, 1, 1),
        max_value=datetime(2026, 12, 31),
        timezones=st.just(UTC),
    ),
    steps=st.lists(st.integers(30, 14 * 3600), min_size=1, max_size=20),
    shifts=st.sampled_from([[], [DAY], [NIGHT], [DAY, NIGHT]]),
)
def test_summary_agrees_with_the_records(
    start: datetime, steps: list[int], shifts: list[ShiftSpec]
) -> None:
    instants = [start + timedelta(seconds=sum(steps[: i + 1])) for i in range(len(steps))]
    records = punch(instants, shifts)
    days = summarize_days(records, instants[-1], MADRID)
    assert sum(d.records for d in days) == len(records)
    assert [d.shift_day for d in days] == sorted({r.shift_day for r in records})
    for day in days:
        assert day.first_in is not None  # every shift day starts with IN
        assert timedelta(0) <= day.worked
        assert day.breaks == timedelta(0) and day.corrections == 0
        if day.last_out is not None:
            assert day.worked <= day.last_out - day.first_in
        else:
            assert day.worked == timedelta(0)
