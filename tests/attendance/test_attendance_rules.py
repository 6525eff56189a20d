"""Attendance rules: concrete cases, daylight saving, and hypothesis invariants."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.attendance.rules import (
    Accepted,
    DayState,
    Decision,
    Ignored,
    IgnoreReason,
    Kind,
    PriorRecord,
    PunchMode,
    RulesConfig,
    ShiftSpec,
    day_state,
    decide,
    first_out_of_sequence,
    shift_occurrences,
    wall_clock_to_utc,
)

# fast and self-contained: `make quick` runs it (pyproject's `quick` marker)
pytestmark = pytest.mark.quick


MADRID = ZoneInfo("Europe/Madrid")
MEXICO = ZoneInfo("America/Mexico_City")
BOGOTA = ZoneInfo("America/Bogota")
NEW_YORK = ZoneInfo("America/New_York")
WEEKDAYS = frozenset(range(5))
EVERY_DAY = frozenset(range(7))
DEFAULTS = RulesConfig()

DAY = ShiftSpec(
    "day", "Mañana", time(8), time(16), WEEKDAYS, grace_in_minutes=5, grace_out_minutes=5
)
NIGHT = ShiftSpec("night", "Noche", time(22), time(6), EVERY_DAY)

# 2026-03-02 is a Monday.
MON = date(2026, 3, 2)
TUE = date(2026, 3, 3)


def local(
    day: date, hour: int, minute: int = 0, second: int = 0, zone: ZoneInfo = MADRID
) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=zone)


def feed(
    instants: Sequence[datetime],
    shifts: Sequence[ShiftSpec],
    zone: ZoneInfo = MADRID,
    config: RulesConfig = DEFAULTS,
) -> tuple[list[Decision], list[PriorRecord]]:
    """Decide each instant in turn, adding accepted ones to the history like the kiosk."""
    decisions: list[Decision] = []
    history: list[PriorRecord] = []
    for instant in instants:
        decision = decide(instant, zone, shifts, history, config)
        decisions.append(decision)
        if isinstance(decision, Accepted):
            history.append(PriorRecord(instant, decision.kind, decision.shift_day))
    return decisions, history


def accepted(decision: Decision) -> Accepted:
    assert isinstance(decision, Accepted), decision
    return decision


# --- day shift: late, grace, early leave, overtime -------------------------------------


def test_on_time_check_in_is_not_late() -> None:
    result = accepted(decide(local(MON, 7, 55), MADRID, [DAY], []))
    assert result == Accepted(
        kind=Kind.IN,
        shift_day=MON,
        shift_id="day",
        scheduled_start=datetime(2026, 3, 2, 7, 0, tzinfo=UTC),  # Madrid is UTC+1 in March
        scheduled_end=datetime(2026, 3, 2, 15, 0, tzinfo=UTC),
    )


@pytest.mark.parametrize(
    ("arrival", "late"),
    [
        (time(8, 4, 59), 0),  # within grace
        (time(8, 5, 0), 0),  # exactly start + grace is still on time
        (time(8, 5, 1), 5),  # past the grace: minutes counted from the start
        (time(8, 17, 59), 17),  # whole minutes, rounded down
    ],
)
def test_late_arrival_counts_from_start_after_grace(arrival: time, late: int) -> None:
    instant = datetime.combine(MON, arrival, tzinfo=MADRID)
    assert accepted(decide(instant, MADRID, [DAY], [])).late_minutes == late


def test_only_first_check_in_of_the_day_is_late() -> None:
    decisions, _ = feed([local(MON, 8, 20), local(MON, 12), local(MON, 13)], [DAY])
    assert [accepted(d).kind for d in decisions] == [Kind.IN, Kind.OUT, Kind.IN]
    assert [accepted(d).late_minutes for d in decisions] == [20, 0, 0]


@pytest.mark.parametrize(
    ("leaving", "early", "overtime"),
    [
        (time(15, 55, 0), 0, 0),  # exactly end - grace
        (time(15, 54, 59), 5, 0),  # before end - grace: minutes before the end
        (time(15, 40), 20, 0),
        (time(16, 0), 0, 0),
        (time(16, 0, 59), 0, 0),  # under a minute of overtime rounds down to none
        (time(17, 30, 59), 0, 90),
    ],
)
def test_early_leave_and_overtime(leaving: time, early: int, overtime: int) -> None:
    instants = [local(MON, 8), datetime.combine(MON, leaving, tzinfo=MADRID)]
    decisions, _ = feed(instants, [DAY])
    out = accepted(decisions[1])
    assert out.kind is Kind.OUT
    assert (out.early_leave_minutes, out.overtime_minutes) == (early, overtime)


def test_check_out_after_late_checkout_window_is_a_calendar_day_record() -> None:
    # 23:30 is past 16:00 + 6 h, but the calendar day is still Monday, so it closes Monday.
    decisions, _ = feed([local(MON, 8), local(MON, 23, 30)], [DAY])
    out = accepted(decisions[1])
    assert (out.kind, out.shift_day, out.shift_id) == (Kind.OUT, MON, None)


# --- overnight shifts ------------------------------------------------------------------


def test_night_shift_belongs_to_the_day_it_starts() -> None:
    decisions, _ = feed([local(MON, 21, 50), local(TUE, 6, 10)], [NIGHT])
    check_in, check_out = (accepted(d) for d in decisions)
    assert (check_in.kind, check_in.shift_day, check_in.shift_id) == (Kind.IN, MON, "night")
    assert (check_out.kind, check_out.shift_day, check_out.shift_id) == (Kind.OUT, MON, "night")
    assert check_in.late_minutes == 0
    assert check_out.overtime_minutes == 10
    assert check_out.scheduled_end == datetime(2026, 3, 3, 5, 0, tzinfo=UTC)


def test_forgotten_check_out_stays_open_and_the_next_night_starts_with_in() -> None:
    decisions, _ = feed([local(MON, 22), local(TUE, 21, 55)], [NIGHT])
    second = accepted(decisions[1])
    assert (second.kind, second.shift_day) == (Kind.IN, TUE)


def test_open_night_check_in_wins_over_the_next_day_shift() -> None:
    shifts = [NIGHT, ShiftSpec("early", "Temprano", time(8), time(16), EVERY_DAY)]
    decisions, _ = feed([local(MON, 22), local(TUE, 7), local(TUE, 7, 30)], shifts)
    out, next_in = accepted(decisions[1]), accepted(decisions[2])
    assert (out.kind, out.shift_day, out.shift_id) == (Kind.OUT, MON, "night")
    assert out.overtime_minutes == 60
    assert (next_in.kind, next_in.shift_day, next_in.shift_id) == (Kind.IN, TUE, "early")


def test_split_shift_check_out_closes_the_shift_it_checked_in_to() -> None:
    morning = ShiftSpec("am", "Mañana", time(8), time(12), EVERY_DAY)
    afternoon = ShiftSpec("pm", "Tarde", time(16), time(20), EVERY_DAY)
    instants = [local(MON, 8), local(MON, 13, 30), local(MON, 15, 55), local(MON, 19)]
    decisions = [accepted(d) for d in feed(instants, [morning, afternoon])[0]]
    assert [(d.kind, d.shift_id) for d in decisions] == [
        (Kind.IN, "am"),
        (Kind.OUT, "am"),
        (Kind.IN, "pm"),
        (Kind.OUT, "pm"),
    ]
    assert decisions[1].overtime_minutes == 90
    assert decisions[3].early_leave_minutes == 60


def test_full_day_shift_when_end_equals_start() -> None:
    guard = ShiftSpec("24h", "Guardia", time(8), time(8), EVERY_DAY)
    [(day, start, end)] = shift_occurrences(
        guard, local(MON, 12), MADRID, days_before=0, days_after=0
    )
    assert day == MON
    assert end - start == timedelta(hours=24)


# --- which days a shift applies to ---------------------------------------------------


def test_weekday_filter_leaves_weekend_to_the_calendar_day() -> None:
    saturday = date(2026, 3, 7)
    result = accepted(decide(local(saturday, 8), MADRID, [DAY], []))
    assert result == Accepted(Kind.IN, saturday, None, None, None)


def test_night_shift_weekdays_are_start_days() -> None:
    weeknights = ShiftSpec("night", "Noche", time(22), time(6), WEEKDAYS)
    friday, saturday = date(2026, 3, 6), date(2026, 3, 7)
    friday_night, _ = feed([local(friday, 22), local(saturday, 6)], [weeknights])
    assert [(accepted(d).shift_day, accepted(d).shift_id) for d in friday_night] == [
        (friday, "night"),
        (friday, "night"),
    ]
    saturday_night = accepted(decide(local(saturday, 22), MADRID, [weeknights], []))
    assert (saturday_night.shift_day, saturday_night.shift_id) == (saturday, None)


def test_validity_dates_limit_the_assignment() -> None:
    limited = ShiftSpec("day", "Mañana", time(8), time(16), EVERY_DAY, valid_from=TUE, valid_to=TUE)
    assert accepted(decide(local(MON, 8), MADRID, [limited], [])).shift_id is None
    assert accepted(decide(local(TUE, 8), MADRID, [limited], [])).shift_id == "day"
    assert accepted(decide(local(TUE + timedelta(1), 8), MADRID, [limited], [])).shift_id is None


def test_no_shifts_uses_the_local_calendar_day() -> None:
    # 20:30 in Mexico City is already the next day in UTC.
    instant = local(MON, 20, 30, zone=MEXICO)
    assert instant.astimezone(UTC).date() == TUE
    result = accepted(decide(instant, MEXICO, [], []))
    assert result == Accepted(Kind.IN, MON, None, None, None)


def test_latest_start_wins_when_no_day_is_open() -> None:
    early = ShiftSpec("a", "A", time(7), time(15), EVERY_DAY)
    later = ShiftSpec("b", "B", time(9), time(17), EVERY_DAY)
    assert accepted(decide(local(MON, 6, 30), MADRID, [early, later], [])).shift_id == "b"


# --- cooldown and ordering -------------------------------------------------------------


def test_cooldown_ignores_a_repeat_within_sixty_seconds() -> None:
    history = [PriorRecord(local(MON, 8), Kind.IN, MON)]
    result = decide(local(MON, 8, 0, 59), MADRID, [DAY], history)
    assert result == Ignored(IgnoreReason.COOLDOWN, retry_after=timedelta(seconds=1))


@pytest.mark.parametrize("seconds", [60, 61])
def test_cooldown_accepts_once_it_has_passed(seconds: int) -> None:
    history = [PriorRecord(local(MON, 8), Kind.IN, MON)]
    result = accepted(decide(local(MON, 8) + timedelta(seconds=seconds), MADRID, [DAY], history))
    assert (result.kind, result.shift_day) == (Kind.OUT, MON)


def test_custom_cooldown() -> None:
    history = [PriorRecord(local(MON, 8), Kind.IN, MON)]
    config = RulesConfig(cooldown=timedelta(minutes=5))
    result = decide(local(MON, 8, 1), MADRID, [DAY], history, config)
    assert result == Ignored(IgnoreReason.COOLDOWN, retry_after=timedelta(minutes=4))


def test_instant_before_latest_record_is_out_of_order() -> None:
    history = [PriorRecord(local(MON, 8), Kind.IN, MON)]
    result = decide(local(MON, 7, 59), MADRID, [DAY], history)
    assert result == Ignored(IgnoreReason.OUT_OF_ORDER)


def test_history_order_and_time_zone_do_not_matter() -> None:
    records = [
        PriorRecord(local(MON, 8).astimezone(UTC), Kind.IN, MON),
        PriorRecord(local(MON, 12).astimezone(MEXICO), Kind.OUT, MON),
        PriorRecord(local(MON, 13), Kind.IN, MON),
    ]
    forward = decide(local(MON, 16), MADRID, [DAY], records)
    backward = decide(local(MON, 16), MADRID, [DAY], records[::-1])
    assert forward == backward
    assert accepted(forward).kind is Kind.OUT


def test_naive_instant_is_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        decide(datetime(2026, 3, 2, 8), MADRID, [DAY], [])


def test_invalid_specs_are_rejected() -> None:
    with pytest.raises(ValueError, match="weekdays"):
        ShiftSpec("x", "X", time(8), time(16), frozenset({7}))
    with pytest.raises(ValueError, match="grace"):
        ShiftSpec("x", "X", time(8), time(16), WEEKDAYS, grace_in_minutes=-1)
    with pytest.raises(ValueError, match="valid_from"):
        ShiftSpec("x", "X", time(8), time(16), WEEKDAYS, valid_from=TUE, valid_to=MON)
    with pytest.raises(ValueError, match="cooldown"):
        RulesConfig(cooldown=timedelta(seconds=-1))


# --- daylight saving -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("night_of", "hours"),
    [
        (date(2026, 3, 28), 7),  # clocks go forward 02:00 -> 03:00 on Sunday 29 March
        (date(2026, 10, 24), 9),  # clocks go back 03:00 -> 02:00 on Sunday 25 October
        (date(2026, 3, 27), 8),
    ],
)
def test_madrid_night_shift_across_dst_lasts_real_time(night_of: date, hours: int) -> None:
    next_day = night_of + timedelta(days=1)
    decisions, _ = feed([local(night_of, 22), local(next_day, 6)], [NIGHT])
    check_in, check_out = (accepted(d) for d in decisions)
    assert check_in.shift_day == check_out.shift_day == night_of
    assert check_out.scheduled_end is not None
    assert check_out.scheduled_start is not None
    assert check_out.scheduled_end - check_out.scheduled_start == timedelta(hours=hours)
    assert (check_out.early_leave_minutes, check_out.overtime_minutes) == (0, 0)


def test_non_existent_time_maps_to_the_end_of_the_gap() -> None:
    assert wall_clock_to_utc(date(2026, 3, 29), time(2, 30), MADRID) == datetime(
        2026, 3, 29, 1, 0, tzinfo=UTC
    )
    assert wall_clock_to_utc(date(2026, 3, 8), time(2, 30), NEW_YORK) == datetime(
        2026, 3, 8, 7, 0, tzinfo=UTC
    )


def test_ambiguous_time_takes_its_first_occurrence() -> None:
    assert wall_clock_to_utc(date(2026, 10, 25), time(2, 30), MADRID) == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )


def test_shift_starting_in_the_gap_starts_when_the_gap_ends() -> None:
    odd = ShiftSpec("odd", "Madrugada", time(2, 30), time(10), EVERY_DAY)
    # 03:00 CEST is the first instant after the gap, so arriving then is on time.
    result = accepted(decide(local(date(2026, 3, 29), 3, 0), MADRID, [odd], []))
    assert result.late_minutes == 0
    assert result.scheduled_start == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize("zone", [MEXICO, BOGOTA])
@pytest.mark.parametrize(
    "night_of", [date(2026, 3, 7), date(2026, 3, 28), date(2026, 4, 4), date(2026, 10, 24)]
)
def test_zones_without_dst_keep_eight_hour_nights(zone: ZoneInfo, night_of: date) -> None:
    [(day, start, end)] = shift_occurrences(
        NIGHT, local(night_of, 23, zone=zone), zone, days_before=0, days_after=0
    )
    assert day == night_of
    assert end - start == timedelta(hours=8)


def test_shift_occurrences_rejects_naive_instants() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        shift_occurrences(NIGHT, datetime(2026, 3, 2), MADRID)


# --- hypothesis invariants -------------------------------------------------------------

ZONE_NAMES = [
    "Europe/Madrid",
    "America/Mexico_City",
    "America/Bogota",
    "America/New_York",
    "Australia/Lord_Howe",  # a 30-minute DST change
    "UTC",
]
# Starting points right before DST changes in the zones above, plus anywhere in 2026.
DST_EVES = [
    datetime(2026, 3, 28, 12, tzinfo=UTC),
    datetime(2026, 10, 24, 12, tzinfo=UTC),
    datetime(2026, 3, 7, 12, tzinfo=UTC),
    datetime(2026, 10, 31, 12, tzinfo=UTC),
    datetime(2026, 4, 4, 6, tzinfo=UTC),
    datetime(2026, 10, 3, 6, tzinfo=UTC),
]

zones = st.sampled_from(ZONE_NAMES).map(ZoneInfo)
wall_times = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45, 59]))
weekday_sets = st.frozensets(st.integers(0, 6), min_size=1)
starts = st.one_of(
    st.sampled_from(DST_EVES),
    st.datetimes(
        min_value=datetime(2026, 1, 1),
        max_value=datetime(2026, 12, 31),
        timezones=st.just(UTC),
    ),
)
# Mostly short hops (to exercise the cooldown) and hops of hours (to reach other days).
gaps = st.lists(
    st.one_of(st.integers(0, 150), st.integers(150, 20 * 3600)).map(lambda s: timedelta(seconds=s)),
    min_size=1,
    max_size=30,
)
configs = st.builds(
    RulesConfig,
    cooldown=st.sampled_from([timedelta(seconds=60), timedelta(seconds=0), timedelta(minutes=5)]),
    early_checkin=st.sampled_from([timedelta(hours=3), timedelta(hours=1)]),
    late_checkout=st.sampled_from([timedelta(hours=6), timedelta(hours=2), timedelta(hours=13)]),
)


@st.composite
def shift_sets(draw: st.DrawFn) -> list[ShiftSpec]:
    count = draw(st.integers(0, 3))
    return [
        ShiftSpec(
            shift_id=f"s{index}",
            name=f"Turno {index}",
            start=draw(wall_times),
            end=draw(wall_times),  # end <= start makes an overnight shift
            weekdays=draw(weekday_sets),
            grace_in_minutes=draw(st.integers(0, 15)),
            grace_out_minutes=draw(st.integers(0, 15)),
        )
        for index in range(count)
    ]


def instants_from(start: datetime, steps: Sequence[timedelta]) -> list[datetime]:
    instants, current = [], start
    for step in steps:
        current += step
        instants.append(current)
    return instants


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shifts=shift_sets(), zone=zones, start=starts, steps=gaps, config=configs)
def test_decisions_keep_the_invariants(
    shifts: list[ShiftSpec],
    zone: ZoneInfo,
    start: datetime,
    steps: list[timedelta],
    config: RulesConfig,
) -> None:
    instants = instants_from(start, steps)
    decisions, history = feed(instants, shifts, zone, config)
    by_id = {shift.shift_id: shift for shift in shifts}

    # (a) within each shift day the accepted kinds alternate, starting with IN
    kinds_by_day: dict[date, list[Kind]] = {}
    for record in history:
        kinds_by_day.setdefault(record.shift_day, []).append(record.kind)
    for kinds in kinds_by_day.values():
        assert kinds == [Kind.IN if i % 2 == 0 else Kind.OUT for i in range(len(kinds))]

    # (b) no two accepted records closer than the cooldown
    accepted_at = [record.occurred_at for record in history]
    assert all(b - a >= config.cooldown for a, b in pairwise(accepted_at))

    last_accepted: datetime | None = None
    for instant, decision in zip(instants, decisions, strict=True):
        if isinstance(decision, Ignored):
            # an increasing sequence is only ever ignored for the cooldown, and exactly so
            assert decision.reason is IgnoreReason.COOLDOWN
            assert last_accepted is not None
            assert decision.retry_after is not None
            assert instant + decision.retry_after == last_accepted + config.cooldown
            continue
        last_accepted = instant
        assert min(decision.late_minutes, decision.early_leave_minutes) >= 0
        assert decision.overtime_minutes >= 0
        if decision.kind is Kind.IN:
            assert decision.early_leave_minutes == decision.overtime_minutes == 0
        else:
            assert decision.late_minutes == 0
            assert decision.early_leave_minutes == 0 or decision.overtime_minutes == 0
        if decision.shift_id is None:
            assert decision.scheduled_start is None
            continue
        # an accepted shift record lies in its occurrence's window, on one of its start days
        assert decision.scheduled_start is not None
        assert decision.scheduled_end is not None
        assert decision.shift_day.weekday() in by_id[decision.shift_id].weekdays
        assert decision.scheduled_start - config.early_checkin <= instant
        assert instant <= decision.scheduled_end + config.late_checkout


@settings(max_examples=100, deadline=None)
@given(shifts=shift_sets(), zone=zones, start=starts, steps=gaps, data=st.data())
def test_history_order_does_not_change_the_decision(
    shifts: list[ShiftSpec],
    zone: ZoneInfo,
    start: datetime,
    steps: list[timedelta],
    data: st.DataObject,
) -> None:
    instants = instants_from(start, steps)
    _, history = feed(instants[:-1], shifts, zone)
    shuffled = data.draw(st.permutations(history))
    assert decide(instants[-1], zone, shifts, shuffled) == decide(
        instants[-1], zone, shifts, history
    )


@st.composite
def overnight_shifts(draw: st.DrawFn) -> ShiftSpec:
    start = time(draw(st.integers(18, 23)), draw(st.sampled_from([0, 15, 30, 45])))
    hours = draw(st.integers(6, 12))  # long enough to end the next morning
    end_hour = (start.hour + hours) % 24
    assert end_hour < start.hour
    return ShiftSpec(
        "night",
        "Noche",
        start,
        time(end_hour, start.minute),
        draw(weekday_sets),
        grace_in_minutes=draw(st.integers(0, 15)),
        grace_out_minutes=draw(st.integers(0, 15)),
    )


@settings(max_examples=200, deadline=None)
@given(
    shift=overnight_shifts(),
    zone=zones,
    day=st.one_of(
        st.sampled_from([eve.date() for eve in DST_EVES]),
        st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31)),
    ),
    in_offset=st.integers(-179, 60),
    out_offset=st.integers(-60, 359),
)
def test_overnight_shift_is_one_day(
    shift: ShiftSpec, zone: ZoneInfo, day: date, in_offset: int, out_offset: int
) -> None:
    # (c) a check-in near the start and a check-out near the end next morning share a day
    occurrences = shift_occurrences(shift, local(day, 12, zone=zone), zone, days_before=0)
    starting_today = [o for o in occurrences if o[0] == day]
    if not starting_today:  # the shift does not start on this weekday
        assert day.weekday() not in shift.weekdays
        return
    [(_, start, end)] = starting_today
    check_in = start + timedelta(minutes=in_offset)
    check_out = end + timedelta(minutes=out_offset)
    assert end.astimezone(zone).date() == day + timedelta(days=1)

    decisions, _ = feed([check_in, check_out], [shift], zone)
    first, second = (accepted(d) for d in decisions)
    assert (first.kind, second.kind) == (Kind.IN, Kind.OUT)
    assert first.shift_day == second.shift_day == day
    assert first.shift_id == second.shift_id == "night"


# --- rule 3: kinds, breaks and the punch modes -------------------------------------------
SHIFT_MODE = RulesConfig(punch_mode=PunchMode.SHIFT)


def test_toggle_mode_alternates_in_and_out_and_never_guesses_a_break() -> None:
    history = [PriorRecord(local(MON, 8), Kind.IN, MON)]
    result = accepted(decide(local(MON, 12), MADRID, [DAY], history))
    assert result.kind is Kind.OUT
    assert result.allowed == (Kind.OUT, Kind.BREAK_START)


def test_shift_mode_takes_a_first_exit_mid_shift_for_the_break() -> None:
    history = [PriorRecord(local(MON, 8), Kind.IN, MON)]
    result = accepted(decide(local(MON, 12), MADRID, [DAY], history, SHIFT_MODE))
    assert result.kind is Kind.BREAK_START
    assert (result.late_minutes, result.early_leave_minutes, result.overtime_minutes) == (0, 0, 0)
    assert result.allowed == (Kind.BREAK_START, Kind.OUT)


@pytest.mark.parametrize("hour", [9, 15])  # the first and the last quarter of 08:00-16:00
def test_shift_mode_takes_an_exit_near_either_end_for_the_check_out(hour: int) -> None:
    history = [PriorRecord(local(MON, 8), Kind.IN, MON)]
    result = accepted(decide(local(MON, hour), MADRID, [DAY], history, SHIFT_MODE))
    assert result.kind is Kind.OUT


def test_shift_mode_takes_a_second_exit_mid_shift_for_the_check_out() -> None:
    history = [
        PriorRecord(local(MON, 8), Kind.IN, MON),
        PriorRecord(local(MON, 11), Kind.BREAK_START, MON),
        PriorRecord(local(MON, 11, 30), Kind.BREAK_END, MON),
    ]
    result = accepted(decide(local(MON, 13), MADRID, [DAY], history, SHIFT_MODE))
    assert result.kind is Kind.OUT
    assert result.early_leave_minutes == 180


def test_back_from_the_break_is_the_likely_kind_and_out_is_allowed() -> None:
    history = [
        PriorRecord(local(MON, 8), Kind.IN, MON),
        PriorRecord(local(MON, 12), Kind.BREAK_START, MON),
    ]
    result = accepted(decide(local(MON, 12, 40), MADRID, [DAY], history, SHIFT_MODE))
    assert result.kind is Kind.BREAK_END
    assert result.allowed == (Kind.BREAK_END, Kind.OUT)
    chosen = accepted(decide(local(MON, 12, 40), MADRID, [DAY], history, kind=Kind.OUT))
    assert (chosen.kind, chosen.early_leave_minutes) == (Kind.OUT, 200)


@pytest.mark.parametrize("kind", [Kind.OUT, Kind.BREAK_START, Kind.BREAK_END])
def test_a_kind_the_state_does_not_allow_is_not_allowed(kind: Kind) -> None:
    result = decide(local(MON, 8), MADRID, [DAY], [], kind=kind)
    assert result == Ignored(IgnoreReason.NOT_ALLOWED)
    assert isinstance(result, Ignored) and result.state is DayState.OFF


def test_an_open_break_keeps_the_day_open_for_the_night_shift() -> None:
    # A break started before midnight on a night shift is still that shift day's.
    history = [
        PriorRecord(local(MON, 22), Kind.IN, MON),
        PriorRecord(local(MON, 23, 50), Kind.BREAK_START, MON),
    ]
    result = accepted(decide(local(TUE, 0, 20), MADRID, [NIGHT], history, SHIFT_MODE))
    assert (result.kind, result.shift_day) == (Kind.BREAK_END, MON)


def test_the_cooldown_says_which_record_was_made() -> None:
    last = PriorRecord(local(MON, 8), Kind.IN, MON)
    result = decide(local(MON, 8, 0, 20), MADRID, [DAY], [last])
    assert isinstance(result, Ignored) and result.last == last


def test_a_correction_skips_the_cooldown() -> None:
    history = [PriorRecord(local(MON, 8), Kind.IN, MON)]
    result = decide(local(MON, 8, 0, 20), MADRID, [DAY], history, cooldown=False)
    assert accepted(result).kind is Kind.OUT


def test_day_state_and_sequences() -> None:
    assert day_state([]) is DayState.OFF
    assert day_state([Kind.IN, Kind.BREAK_START]) is DayState.ON_BREAK
    assert day_state([Kind.IN, Kind.BREAK_START, Kind.BREAK_END]) is DayState.IN
    assert day_state([Kind.IN, Kind.BREAK_START, Kind.OUT]) is DayState.OFF
    assert first_out_of_sequence([Kind.IN, Kind.BREAK_START, Kind.BREAK_END, Kind.OUT]) is None
    assert first_out_of_sequence([Kind.IN, Kind.OUT, Kind.OUT]) == 2
    assert first_out_of_sequence([Kind.BREAK_END]) == 0
