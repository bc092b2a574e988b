"""The meeting schedule: the policy's frequencies, UK bank holidays by nation, closures and
leave; explicit cases for known dates and property tests over many starts."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import holidays
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from docgen.policy import DEFAULT_POLICY, POLICY_DIR, Frequency, load_policy, parse_frequency
from docgen.schedule import (
    TOLERANCE_DAYS,
    Leave,
    ScheduleRequest,
    bank_holidays,
    long_date,
    plan_meetings,
)
from docgen.values import DayPattern, parse_day_pattern

POLICY = load_policy(DEFAULT_POLICY)
MONTHLY = Frequency("month", 1)
SUBDIVISION = {"England": "ENG", "Wales": "WLS", "Scotland": "SCT", "Northern Ireland": "NIR"}


def plan(start: date, **kwargs):  # type: ignore[no-untyped-def]
    kwargs.setdefault("policy", POLICY)
    kwargs.setdefault("role_frequency", MONTHLY)
    return plan_meetings(ScheduleRequest(start=start, **kwargs))


# Bank holidays as published for 2026 and 2027, written out by hand to check the library's.
KNOWN_HOLIDAYS = {
    "England": ["2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25",
                "2026-08-31", "2026-12-25", "2026-12-28", "2027-01-01", "2027-03-26",
                "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27",
                "2027-12-28"],
    "Wales": ["2026-04-06", "2026-08-31", "2027-03-29", "2027-08-30"],
    "Scotland": ["2026-01-01", "2026-01-02", "2026-04-03", "2026-05-04", "2026-05-25",
                 "2026-08-03", "2026-11-30", "2026-12-25", "2026-12-28", "2027-01-01",
                 "2027-01-04", "2027-03-26", "2027-05-03", "2027-05-31", "2027-08-02",
                 "2027-11-30", "2027-12-27", "2027-12-28"],
    "Northern Ireland": ["2026-03-17", "2026-04-06", "2026-07-13", "2026-08-31",
                         "2027-03-17", "2027-03-29", "2027-07-12", "2027-08-30"],
}  # fmt: skip
NOT_HOLIDAYS = {
    "England": ["2026-11-30", "2026-03-17", "2026-07-13", "2026-08-03"],
    "Scotland": ["2026-04-06", "2026-08-31", "2027-03-29", "2027-08-30"],
    "Northern Ireland": ["2026-11-30", "2026-08-03"],
}  # fmt: skip


@pytest.mark.parametrize("nation", list(KNOWN_HOLIDAYS))
def test_known_bank_holidays_of_each_nation(nation: str) -> None:
    for text in KNOWN_HOLIDAYS[nation]:
        day = date.fromisoformat(text)
        assert day in bank_holidays(nation, day.year), (nation, text)
    for text in NOT_HOLIDAYS.get(nation, []):
        day = date.fromisoformat(text)
        assert day not in bank_holidays(nation, day.year), (nation, text)


def test_monthly_from_tuesday_3_march_2026() -> None:
    schedule = plan(date(2026, 3, 3), day_pattern=parse_day_pattern("Tuesday"))
    assert [long_date(m.day) for m in schedule.meetings][:3] == [
        "Tuesday 3 March 2026", "Tuesday 7 April 2026", "Tuesday 5 May 2026",
    ]  # fmt: skip
    assert len(schedule.meetings) == 12
    assert schedule.review == date(2027, 3, 3)


@pytest.mark.parametrize(("nation", "start", "moved_from", "moved_to"), [
    # Easter Monday: a holiday in England, not in Scotland.
    ("England", date(2026, 4, 6), date(2026, 4, 6), date(2026, 4, 7)),
    # Christmas 2026: Friday 25th, Monday 28th (Boxing Day moved): next working day Tuesday 29th.
    ("England", date(2026, 12, 25), date(2026, 12, 25), date(2026, 12, 29)),
    # St Andrew's Day 2026 is a Monday: a Scottish holiday; the month's last working day before.
    ("Scotland", date(2026, 10, 30), date(2026, 11, 30), date(2026, 11, 27)),
    # St Patrick's Day and the Twelfth (13 July 2026, moved from Sunday) in Northern Ireland.
    ("Northern Ireland", date(2026, 3, 17), date(2026, 3, 17), date(2026, 3, 18)),
    ("Northern Ireland", date(2026, 7, 13), date(2026, 7, 13), date(2026, 7, 14)),
    # The August bank holiday: first Monday in Scotland, last Monday elsewhere.
    ("Scotland", date(2026, 8, 3), date(2026, 8, 3), date(2026, 8, 4)),
    ("Wales", date(2026, 7, 31), date(2026, 8, 31), date(2026, 8, 28)),
])  # fmt: skip
def test_meetings_move_off_each_nations_holidays(
    nation: str, start: date, moved_from: date, moved_to: date
) -> None:
    schedule = plan(start, nation=nation)
    moved = {m.moved_from: m.day for m in schedule.meetings if m.moved_from}
    assert moved[moved_from] == moved_to
    assert "bank holiday in " + nation in next(
        m.moved_because for m in schedule.meetings if m.moved_from == moved_from
    )


def test_easter_monday_is_kept_in_scotland() -> None:
    schedule = plan(date(2026, 4, 6), nation="Scotland")
    assert schedule.meetings[0].day == date(2026, 4, 6)


def test_newly_qualified_weekly_then_fortnightly_then_monthly() -> None:
    start = date(2026, 9, 7)  # a Monday, their first day in post
    schedule = plan(start, started_in_post=start, day_pattern=parse_day_pattern("Monday"))
    days = [m.day for m in schedule.meetings]
    first_six_weeks = [d for d in days if d < start + timedelta(weeks=6)]
    assert len(first_six_weeks) == 6
    assert all(b - a == timedelta(days=7) for a, b in zip(first_six_weeks, first_six_weeks[1:]))
    rest = [d for d in days if d >= start + timedelta(weeks=6)]
    assert all((b - a).days <= 14 + TOLERANCE_DAYS for a, b in zip(rest, rest[1:]))
    assert 22 <= len(rest) <= 24  # 46 weeks at fortnightly


def test_an_agreement_starting_in_week_10_goes_on_fortnightly() -> None:
    started = date(2026, 1, 5)
    schedule = plan(started + timedelta(weeks=10), started_in_post=started)
    assert schedule.meetings[0].frequency.words == "fortnightly"
    assert schedule.meetings[-1].frequency.words == "monthly"  # past 12 months in post
    gaps = {(b.day - a.day).days for a, b in zip(schedule.meetings, schedule.meetings[1:])}
    assert min(gaps) >= 11


def test_ordinal_patterns() -> None:
    second_tuesdays = plan(date(2026, 1, 1), day_pattern=parse_day_pattern("2nd Tuesday"))
    assert all(m.day.weekday() == 1 and 8 <= m.day.day <= 14 for m in second_tuesdays.meetings
               if not m.moved_from)  # fmt: skip
    last_fridays = plan(date(2026, 1, 1), day_pattern=parse_day_pattern("last Friday"))
    assert [m.day for m in last_fridays.meetings][:2] == [date(2026, 1, 30), date(2026, 2, 27)]
    # Good Friday 2027 is 26 March, the last Friday: the meeting stays in March.
    march = next(m for m in last_fridays.meetings if m.day.month == 3 and m.day.year == 2026)
    assert march.day == date(2026, 3, 27)


def test_closure_days_from_the_policy(tmp_path: Path) -> None:
    text = DEFAULT_POLICY.read_text(encoding="utf-8") + (
        '\n[[closure]]\nname = "Christmas closure"\nfrom = "24 December"\nto = "2 January"\n'
    )
    policy_file = tmp_path / "ours.toml"
    policy_file.write_text(text, encoding="utf-8")
    policy = load_policy(policy_file)
    schedule = plan(date(2026, 12, 24), policy=policy, role_frequency=Frequency("week", 1))
    assert all(not (date(2026, 12, 24) <= m.day <= date(2027, 1, 2)) for m in schedule.meetings)
    assert schedule.meetings[0].day == date(2027, 1, 4)
    assert any("Christmas closure" in note for note in schedule.notes)
    monthly = plan(date(2027, 12, 24), policy=policy)
    assert monthly.meetings[0].day == date(2027, 12, 31) or monthly.meetings[0].day.month == 1


def test_leave_moves_meetings_and_says_when_it_cannot() -> None:
    leave = (Leave(date(2026, 8, 3), date(2026, 8, 21)),)
    schedule = plan(date(2026, 3, 3), day_pattern=parse_day_pattern("1st Tuesday"), leave=leave)
    august = [m for m in schedule.meetings if m.day.month == 8]
    assert [m.day for m in august] == [date(2026, 8, 24)]
    assert august[0].moved_because == "the supervisor's leave"
    whole_month = (Leave(date(2026, 8, 1), date(2026, 8, 31)),)
    blocked = plan(date(2026, 3, 3), leave=whole_month)
    assert len(blocked.meetings) == 11
    assert any("arrange it with another manager" in note for note in blocked.notes)


def test_national_employer_standard_is_fortnightly_only_to_six_months() -> None:
    standard = load_policy(POLICY_DIR / "national-employer-standard.toml")
    start = date(2026, 9, 7)
    schedule = plan(start, policy=standard, started_in_post=start)
    at_seven_months = [m for m in schedule.meetings if m.day > start + timedelta(days=213)]
    assert {m.frequency.words for m in at_seven_months} == {"monthly"}


# ---- properties over many starts, frequencies, nations and leave ---------------------------

nations = st.sampled_from(list(SUBDIVISION))
starts = st.dates(min_value=date(2024, 1, 1), max_value=date(2031, 12, 31))
patterns = st.one_of(
    st.none(),
    st.builds(DayPattern, st.integers(0, 4), st.sampled_from([None, 1, 2, 3, 4, -1])),
)
frequencies = st.sampled_from(["weekly", "fortnightly", "every 3 weeks", "every 4 weeks",
                               "monthly", "every 6 weeks"]).map(parse_frequency)  # fmt: skip


@st.composite
def leave_periods(draw, start: date):  # type: ignore[no-untyped-def]
    periods = []
    for _ in range(draw(st.integers(0, 2))):
        offset = draw(st.integers(0, 330))
        length = draw(st.integers(0, 13))
        first = start + timedelta(days=offset)
        periods.append(Leave(first, first + timedelta(days=length)))
    return tuple(periods)


def is_blocked(day: date, nation: str, leave: tuple[Leave, ...]) -> bool:
    national = holidays.country_holidays("GB", subdiv=SUBDIVISION[nation], years=day.year)
    return day.weekday() >= 5 or day in national or any(p.covers(day) for p in leave)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=starts, nation=nations, pattern=patterns, frequency=frequencies, data=st.data())
@example(start=date(2028, 2, 29), nation="England", pattern=None,
         frequency=Frequency("week", 1), data=None)  # fmt: skip
@example(start=date(2026, 12, 24), nation="Scotland", pattern=DayPattern(4),
         frequency=Frequency("week", 2), data=None)  # fmt: skip
def test_no_meeting_on_a_blocked_day_and_no_long_gaps(
    start: date, nation: str, pattern: DayPattern | None, frequency: Frequency, data
) -> None:  # type: ignore[no-untyped-def]
    leave = data.draw(leave_periods(start)) if data is not None else ()
    request = ScheduleRequest(start, POLICY, frequency, nation, pattern, leave=leave)
    schedule = plan_meetings(request)
    assert schedule == plan_meetings(request)  # the same input, the same schedule
    days = [m.day for m in schedule.meetings]
    assert days == sorted(set(days))
    for day in days:
        assert not is_blocked(day, nation, leave), (long_date(day), leave)
        assert day >= start
    # Tolerance: weekly-type gaps at most the interval plus TOLERANCE_DAYS (3); monthly gaps
    # at most 6 weeks; unless the schedule notes the meeting it could not keep to that.
    limit = frequency.count * 7 + TOLERANCE_DAYS if frequency.unit == "week" else 42
    # Leave may move a monthly meeting anywhere in its month, so monthly gaps are checked
    # without leave; weekly-type gaps always hold (or are noted).
    if not schedule.notes and (frequency.unit == "week" or not leave):
        for a, b in zip(days, days[1:]):
            assert (b - a).days <= limit, (long_date(a), long_date(b))
    if frequency.unit == "week":
        assert all(d < schedule.review for d in days)


@settings(max_examples=150, deadline=None)
@given(start=starts, nation=nations, pattern=patterns)
@example(start=date(2028, 2, 29), nation="England", pattern=None)  # a leap day
@example(start=date(2027, 1, 29), nation="Wales", pattern=None)  # no 29 February that year
@example(start=date(2026, 12, 31), nation="Scotland", pattern=DayPattern(3, -1))  # a year end
@example(start=date(2024, 3, 29), nation="Northern Ireland", pattern=None)  # Easter in March
@example(start=date(2025, 4, 18), nation="England", pattern=DayPattern(0, 3))  # Easter in April
def test_monthly_is_one_meeting_in_each_of_12_consecutive_months(
    start: date, nation: str, pattern: DayPattern | None
) -> None:
    schedule = plan(start, nation=nation, day_pattern=pattern)
    months = [(m.day.year, m.day.month) for m in schedule.meetings]
    assert len(months) == 12 and len(set(months)) == 12
    first = date(*months[0], 1)
    expected = [((first.month - 1 + k) // 12 + first.year, (first.month - 1 + k) % 12 + 1)
                for k in range(12)]  # fmt: skip
    assert months == expected
    assert months[0] <= ((start + timedelta(days=35)).year, (start + timedelta(days=35)).month)


@settings(max_examples=100, deadline=None)
@given(started=starts, weeks_in=st.integers(0, 60), nation=nations)
def test_newly_qualified_counts_follow_the_rule(started: date, weeks_in: int, nation: str) -> None:
    start = started + timedelta(weeks=weeks_in)
    schedule = plan(start, started_in_post=started, nation=nation)
    six_weeks, year = started + timedelta(weeks=6), date(started.year + 1, started.month, 1)
    assume(year.year < 2033)
    by_phase = Counter(
        "weekly" if m.day < six_weeks else "fortnightly" if m.frequency.unit == "week"
        else "monthly" for m in schedule.meetings
    )  # fmt: skip
    if weeks_in == 0:
        assert by_phase["weekly"] == 6
    if weeks_in >= 6:
        assert by_phase["weekly"] == 0
    for a, b in zip(schedule.meetings, schedule.meetings[1:]):
        if a.frequency.unit == "week" and b.frequency.unit == "week" and not schedule.notes:
            assert (b.day - a.day).days <= a.frequency.count * 7 + TOLERANCE_DAYS
