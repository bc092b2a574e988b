"""The meeting schedule: the policy's frequencies, UK bank holidays by nation, closures and
leave; explicit cases for known dates and property tests over many starts."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

import holidays
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from docgen.policy import DEFAULT_POLICY, POLICY_DIR, Frequency, load_policy, parse_frequency
from docgen.schedule import (
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
# The README's rule: a meeting moves up to 3 days; gaps longer than a weekly-type interval
# plus 3 days, or than 6 weeks between monthly meetings, are noted.
TOLERANCE = 3
MONTHLY_LIMIT = 42


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
    assert all(b - a == timedelta(days=7) for a, b in pairwise(first_six_weeks))
    rest = [d for d in days if d >= start + timedelta(weeks=6)]
    assert all((b - a).days <= 14 + TOLERANCE for a, b in pairwise(rest))
    assert 22 <= len(rest) <= 24  # 46 weeks at fortnightly


def test_an_agreement_starting_in_week_10_goes_on_fortnightly() -> None:
    started = date(2026, 1, 5)
    schedule = plan(started + timedelta(weeks=10), started_in_post=started)
    assert schedule.meetings[0].frequency.words == "fortnightly"
    assert schedule.meetings[-1].frequency.words == "monthly"  # past 12 months in post
    gaps = {(b.day - a.day).days for a, b in pairwise(schedule.meetings)}
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


def days_of(schedule) -> list[date]:  # type: ignore[no-untyped-def]
    return [m.day for m in schedule.meetings]


def d(text: str) -> date:
    day, month, year = (int(part) for part in text.split("/"))
    return date(year, month, day)


# ---- issue 9, point 1: nothing after the review date; no month skipped in silence --------


def test_first_thursday_from_6_january_2026_meets_in_january_and_ends_before_the_review() -> None:
    # 1 January 2026 is the 1st Thursday but a bank holiday and before the start; Thursday
    # 8 January is the first Thursday of the agreement. Review: 6 January 2027.
    schedule = plan(d("06/01/2026"), day_pattern=parse_day_pattern("1st Thursday"))
    assert schedule.review == d("06/01/2027")
    assert days_of(schedule) == [
        d("08/01/2026"), d("05/02/2026"), d("05/03/2026"), d("02/04/2026"), d("07/05/2026"),
        d("04/06/2026"), d("02/07/2026"), d("06/08/2026"), d("03/09/2026"), d("01/10/2026"),
        d("05/11/2026"), d("03/12/2026"),
    ]  # fmt: skip
    assert schedule.notes == ()


def test_last_friday_from_29_december_2026_meets_in_december() -> None:
    # The last Friday of December 2026 is Christmas Day, before the start: the meeting is
    # on the start, Tuesday 29 December. Good Friday 2027 (26 March) moves to the day before.
    schedule = plan(d("29/12/2026"), day_pattern=parse_day_pattern("last Friday"))
    assert days_of(schedule) == [
        d("29/12/2026"), d("29/01/2027"), d("26/02/2027"), d("25/03/2027"), d("30/04/2027"),
        d("28/05/2027"), d("25/06/2027"), d("30/07/2027"), d("27/08/2027"), d("24/09/2027"),
        d("29/10/2027"), d("26/11/2027"),
    ]  # fmt: skip
    assert all(day < d("29/12/2027") for day in days_of(schedule))


def test_a_start_month_with_no_working_day_left_starts_the_next_month() -> None:
    # Saturday 30 and Sunday 31 December 2028: the 12 months are January to December 2029,
    # the December one before the review on Saturday 30 December 2029.
    schedule = plan(d("30/12/2028"))
    months = [f"{day:%m/%Y}" for day in days_of(schedule)]
    assert months == [f"{m:02d}/2029" for m in range(1, 13)]
    assert days_of(schedule)[-1] == d("28/12/2029")  # Friday; the 29th is a Saturday


def test_a_month_that_cannot_hold_a_meeting_is_named() -> None:
    leave = (Leave(d("01/08/2026"), d("31/08/2026")),)
    schedule = plan(d("03/03/2026"), day_pattern=parse_day_pattern("1st Tuesday"), leave=leave)
    assert not any(day.month == 8 for day in days_of(schedule))
    assert any("August 2026" in note for note in schedule.notes)


# ---- point 2: meetings moved by leave keep to the frequency --------------------------------


def test_leave_moves_a_monthly_meeting_to_keep_gaps_near_a_month() -> None:
    # The row: last Tuesday from 01/09/2027, leave 04/10/2027 to 12/11/2027. The
    # October meeting goes to the first free day, Monday 15 November, not to 1 October.
    leave = (Leave(d("04/10/2027"), d("12/11/2027")),)
    schedule = plan(d("01/09/2027"), day_pattern=parse_day_pattern("last Tuesday"), leave=leave)
    assert days_of(schedule)[:3] == [d("28/09/2027"), d("15/11/2027"), d("30/11/2027")]
    october = schedule.meetings[1]
    assert (october.moved_from, october.moved_because) == (
        d("26/10/2027"),
        "the supervisor's leave",
    )
    # 28 September to 15 November is 48 days, more than 6 weeks: noted, naming October.
    assert any("48 days" in n and "Monday 15 November 2027" in n for n in schedule.notes)
    assert any("October 2027" in n for n in schedule.notes)


def test_a_monthly_meeting_stays_in_its_month_when_the_gaps_allow() -> None:
    # 1st Tuesday 4 August 2026; leave 3 to 7 August: the 10th keeps gaps under 6 weeks.
    leave = (Leave(d("03/08/2026"), d("07/08/2026")),)
    schedule = plan(d("03/03/2026"), day_pattern=parse_day_pattern("1st Tuesday"), leave=leave)
    assert d("10/08/2026") in days_of(schedule)
    assert schedule.notes == ()


# ---- point 3: notes are sentences -----------------------------------------------------


def test_notes_are_sentences_naming_dates_never_none() -> None:
    # The row: newly qualified, in post and starting Monday 20/07/2026, Tuesdays,
    # supervisor's leave 01/08/2026 to 31/08/2026.
    leave = (Leave(d("01/08/2026"), d("31/08/2026")),)
    start = d("20/07/2026")
    schedule = plan(start, started_in_post=start, day_pattern=parse_day_pattern("Tuesday"),
                    leave=leave)  # fmt: skip
    assert schedule.notes
    for note in schedule.notes:
        assert "None" not in note and note[0].isupper() and note.endswith(".")
    assert ("There are 32 days between the meeting on Friday 31 July 2026 and the meeting on "
            "Tuesday 1 September 2026, more than the 17 days allowed between fortnightly "
            "meetings.") in schedule.notes  # fmt: skip
    assert ("No working day could be found for the meeting due on Tuesday 11 August 2026 (the "
            "supervisor's leave), so it is not in the table; arrange it with another "
            "manager.") in schedule.notes  # fmt: skip


# ---- point 5: weekly meetings start on a working weekday ------------------------------


def test_newly_qualified_from_a_saturday_meets_on_a_working_weekday() -> None:
    # Saturday 1 January 2028; Monday 3 January is the New Year bank holiday (substitute).
    start = d("01/01/2028")
    schedule = plan(start, started_in_post=start)
    assert days_of(schedule)[:3] == [d("04/01/2028"), d("11/01/2028"), d("18/01/2028")]
    assert not any("day" in m.moved_because and "urday" in m.moved_because
                   for m in schedule.meetings)  # fmt: skip
    assert sum(1 for m in schedule.meetings if m.moved_from) <= 3  # only real holidays


# ---- point 9: each rule has a test that fails without it ------------------------------


def test_the_frequency_column_changes_the_dates() -> None:
    # A monthly role asking for fortnightly: every 14 days from Tuesday 3 March 2026 to
    # Tuesday 2 March 2027, the day before the review: 27 meetings.
    schedule = plan(d("03/03/2026"), override=parse_frequency("fortnightly"))
    days = days_of(schedule)
    assert days[:4] == [d("03/03/2026"), d("17/03/2026"), d("31/03/2026"), d("14/04/2026")]
    assert len(days) == 27 and days[-1] == d("02/03/2027")


def test_review_after_months_sets_the_review_and_the_length(tmp_path: Path) -> None:
    text = DEFAULT_POLICY.read_text(encoding="utf-8").replace(
        "review_after_months = 12", "review_after_months = 6"
    )
    (tmp_path / "six.toml").write_text(text, encoding="utf-8")
    schedule = plan(d("03/03/2026"), policy=load_policy(tmp_path / "six.toml"),
                    day_pattern=parse_day_pattern("Tuesday"))  # fmt: skip
    assert schedule.review == d("03/09/2026")
    assert days_of(schedule) == [d("03/03/2026"), d("07/04/2026"), d("05/05/2026"),
                                 d("02/06/2026"), d("07/07/2026"), d("04/08/2026")]  # fmt: skip


WEDNESDAYS = parse_day_pattern("Wednesday")


@pytest.mark.parametrize(("leave", "held"), [
    # Wednesday 10 June 2026 blocked: the next working day, Thursday 11th.
    ((d("10/06/2026"), d("10/06/2026")), d("11/06/2026")),
    # Wednesday and Thursday: Friday 12th (2 days later) before Tuesday 9th (1 day before).
    ((d("10/06/2026"), d("11/06/2026")), d("12/06/2026")),
    # Wednesday to Monday 15th: nothing in the 3 days after, so Tuesday 9th, the day before.
    ((d("10/06/2026"), d("15/06/2026")), d("09/06/2026")),
    # Monday 8th to Saturday 13th: Tuesday to Friday after... only Saturday 13th was +3:
    # nothing after, nothing 3 days before (Sunday 7th and Saturday 6th are weekend, Monday
    # 8th leave): the nearest-gap day, Monday 15th, 5 days later.
    ((d("08/06/2026"), d("13/06/2026")), d("15/06/2026")),
])  # fmt: skip
def test_next_working_day_first_then_the_one_before_in_the_middle(
    leave: tuple[date, date], held: date
) -> None:
    schedule = plan(d("06/05/2026"), override=parse_frequency("weekly"), day_pattern=WEDNESDAYS,
                    leave=(Leave(*leave),))  # fmt: skip
    june = next(m for m in schedule.meetings if m.due == d("10/06/2026"))
    assert june.day == held
    assert june.moved_from == d("10/06/2026")


def test_the_tolerance_is_three_days() -> None:
    # Monday meetings; leave Monday 8 to Thursday 11 June 2026: Thursday (+3) is leave, so
    # back to Friday 5th (-3). Leave Monday to Wednesday: Thursday 11th (+3).
    mondays = parse_day_pattern("Monday")
    four = plan(d("04/05/2026"), override=parse_frequency("weekly"), day_pattern=mondays,
                leave=(Leave(d("08/06/2026"), d("11/06/2026")),))  # fmt: skip
    three = plan(d("04/05/2026"), override=parse_frequency("weekly"), day_pattern=mondays,
                 leave=(Leave(d("08/06/2026"), d("10/06/2026")),))  # fmt: skip
    assert d("05/06/2026") in days_of(four) and d("11/06/2026") not in days_of(four)
    assert d("11/06/2026") in days_of(three)
    assert three.notes == ()  # Thursday 11th is 10 days after Monday 1st: within 7 + 3


@pytest.mark.parametrize(("frequency", "gap", "noted"), [
    ("weekly", 10, False), ("weekly", 11, True),
    ("fortnightly", 17, False), ("fortnightly", 18, True),
])  # fmt: skip
def test_the_gap_limit_is_the_interval_plus_three_days(
    frequency: str, gap: int, noted: bool
) -> None:
    # Mondays from 7 September 2026 (no bank holidays near). Leave from the day after the
    # meeting of Monday 21 September (weekly) or 7 September (fortnightly) until the day
    # before the one `gap` days later, so that is the first day it can be held.
    step = 7 if frequency == "weekly" else 14
    previous = d("21/09/2026") if step == 7 else d("07/09/2026")
    held = previous + timedelta(days=gap)
    leave = (Leave(previous + timedelta(days=1), held - timedelta(days=1)),)
    schedule = plan(d("07/09/2026"), override=parse_frequency(frequency),
                    day_pattern=parse_day_pattern("Monday"), leave=leave)  # fmt: skip
    assert previous in days_of(schedule) and held in days_of(schedule)
    assert any(long_date(held) in note for note in schedule.notes) == noted


def test_a_monthly_gap_over_six_weeks_is_noted_and_six_weeks_is_not() -> None:
    # Days of the month: 1st. Leave from 2 June to 12 July 2026 keeps the July meeting to
    # Monday 13 July: 42 days after 1 June, no note; to the 14th, 43 days, a note.
    for leave_end, noted in ((d("12/07/2026"), False), (d("13/07/2026"), True)):
        schedule = plan(d("01/05/2026"), leave=(Leave(d("02/06/2026"), leave_end),))
        july = next(m for m in schedule.meetings if m.place == "2026-07")
        assert july.day == leave_end + timedelta(days=1)
        assert bool(schedule.notes) == noted


def test_the_newly_qualified_phase_boundaries() -> None:
    # In post Monday 7 September 2026: weekly for the first 6 weeks (to Monday 19 October),
    # fortnightly from 19 October.
    start = d("07/09/2026")
    schedule = plan(start, started_in_post=start, day_pattern=parse_day_pattern("Monday"))
    assert days_of(schedule)[:8] == [
        d("07/09/2026"), d("14/09/2026"), d("21/09/2026"), d("28/09/2026"), d("05/10/2026"),
        d("12/10/2026"), d("19/10/2026"), d("02/11/2026"),
    ]  # fmt: skip
    assert [m.frequency.words for m in schedule.meetings[5:7]] == ["weekly", "fortnightly"]
    # 12 months in post is the review date, 7 September 2027: fortnightly to the end.
    assert schedule.meetings[-1].frequency.words == "fortnightly"
    assert POLICY.frequency_on(d("04/01/2027"), MONTHLY, d("05/01/2026")).words == "fortnightly"
    assert POLICY.frequency_on(d("05/01/2027"), MONTHLY, d("05/01/2026")).words == "monthly"


def test_the_places_of_meetings_stay_when_leave_moves_them() -> None:
    without = plan(d("03/03/2026"), day_pattern=parse_day_pattern("Tuesday"))
    leave = (Leave(d("01/08/2026"), d("31/08/2026")),)
    moved = plan(d("03/03/2026"), day_pattern=parse_day_pattern("Tuesday"), leave=leave)
    assert [m.place for m in without.meetings][:3] == ["2026-03", "2026-04", "2026-05"]
    assert [m.place for m in moved.meetings] == [m.place for m in without.meetings]


def test_employer_standard_is_fortnightly_only_to_six_months_and_90_minutes() -> None:
    standard = load_policy(POLICY_DIR / "employer-standards.toml")
    assert standard.minimum_meeting_minutes == 90
    started = d("01/03/2027")  # ASYE: before 1 September 2027
    assert standard.frequency_on(d("31/08/2027"), MONTHLY, started).words == "fortnightly"
    assert standard.frequency_on(d("01/09/2027"), MONTHLY, started).words == "monthly"
    assert standard.newly_qualified_until(started) == d("01/09/2027")
    # The early-career programme from 1 September 2027: newly qualified for two years.
    assert standard.newly_qualified_until(d("01/09/2027")) == d("01/09/2029")
    # Six weeks from 1 September 2027 is 13 October.
    assert standard.frequency_on(d("12/10/2027"), MONTHLY, d("01/09/2027")).words == "weekly"
    assert standard.frequency_on(d("13/10/2027"), MONTHLY, d("01/09/2027")).words == "fortnightly"
    programme = load_policy(POLICY_DIR / "early-career-programme.toml")
    assert programme.newly_qualified_until(d("01/03/2027")) == d("01/03/2029")


def test_policy_adds_and_removes_bank_holidays(tmp_path: Path) -> None:
    # The package lists Monday 15 June 2026 as a one-off Scottish holiday.
    assert d("15/06/2026") in bank_holidays("Scotland", 2026)
    text = DEFAULT_POLICY.read_text(encoding="utf-8") + (
        '\n[[remove_bank_holiday]]\ndate = "15/06/2026"\nnations = ["Scotland"]\n'
        '\n[[add_bank_holiday]]\nname = "Foundation day"\ndate = "15/07/2026"\n'
    )
    (tmp_path / "ours.toml").write_text(text, encoding="utf-8")
    ours = load_policy(tmp_path / "ours.toml")
    shipped = plan(d("15/06/2026"), nation="Scotland")
    changed = plan(d("15/06/2026"), nation="Scotland", policy=ours)
    assert shipped.meetings[0].day == d("16/06/2026")
    assert changed.meetings[0].day == d("15/06/2026")
    july = next(m for m in changed.meetings if m.place == "2026-07")
    assert july.day == d("16/07/2026")
    assert july.moved_because == "Foundation day, a bank holiday in Scotland"


def test_holidays_version_is_the_installed_package() -> None:
    from docgen.schedule import holidays_version

    assert holidays_version() == holidays.__version__


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=starts, nation=nations, pattern=patterns, frequency=frequencies, data=st.data())
@example(start=date(2028, 2, 29), nation="England", pattern=None,
         frequency=Frequency("week", 1), data=None)  # fmt: skip
@example(start=date(2026, 12, 24), nation="Scotland", pattern=DayPattern(4),
         frequency=Frequency("week", 2), data=None)  # fmt: skip
# Fridays: Christmas Day goes back to Thursday 24th; New Year's Day must not then go forward
# to Monday 4 January (11 days), but back to Thursday 31 December.
@example(start=date(2026, 1, 23), nation="England", pattern=None,
         frequency=Frequency("week", 1), data=None)  # fmt: skip
def test_no_meeting_on_a_blocked_day_and_every_long_gap_noted(
    start: date, nation: str, pattern: DayPattern | None, frequency: Frequency, data
) -> None:  # type: ignore[no-untyped-def]
    leave = data.draw(leave_periods(start)) if data is not None else ()
    request = ScheduleRequest(start, POLICY, frequency, nation, pattern, leave=leave)
    schedule = plan_meetings(request)
    assert schedule == plan_meetings(request)  # the same input, the same schedule
    days = [m.day for m in schedule.meetings]
    assert days == sorted(set(days))
    leap_day = (start.month, start.day) == (2, 29)
    review = date(start.year + 1, 2, 28) if leap_day else start.replace(year=start.year + 1)
    assert schedule.review == review
    for day in days:
        assert not is_blocked(day, nation, leave), (long_date(day), leave)
        assert start <= day < review
    # A gap longer than the interval plus 3 days (weekly types) or 6 weeks (monthly), from
    # the start or between meetings, always has a note naming the later meeting.
    limit = frequency.count * 7 + TOLERANCE if frequency.unit == "week" else MONTHLY_LIMIT
    for a, b in pairwise([start, *days]):
        if (b - a).days > limit:
            assert any(long_date(b) in note for note in schedule.notes), (
                long_date(a),
                long_date(b),
            )
    if frequency.unit == "week" and not leave:
        assert all((b - a).days <= limit for a, b in pairwise(days))


def is_working_weekday(day: date, nation: str) -> bool:
    return not is_blocked(day, nation, ())


@settings(max_examples=150, deadline=None)
@given(start=starts, nation=nations, pattern=patterns)
@example(start=date(2028, 2, 29), nation="England", pattern=None)  # a leap day
@example(start=date(2027, 1, 29), nation="Wales", pattern=None)  # no 29 February that year
@example(start=date(2026, 12, 31), nation="Scotland", pattern=DayPattern(3, -1))  # a year end
@example(start=date(2024, 3, 29), nation="Northern Ireland", pattern=None)  # Easter in March
@example(start=date(2025, 4, 18), nation="England", pattern=DayPattern(0, 3))  # Easter in April
@example(start=date(2028, 12, 30), nation="England", pattern=None)  # no working day left
@example(start=date(2026, 1, 6), nation="England", pattern=DayPattern(3, 1))  # the row
def test_monthly_is_one_meeting_in_each_month_of_the_agreement(
    start: date, nation: str, pattern: DayPattern | None
) -> None:
    schedule = plan(start, nation=nation, day_pattern=pattern)
    months = [(m.day.year, m.day.month) for m in schedule.meetings]
    # The start's month has a meeting whenever a working day is left in it after the start.
    month_end = date(start.year + start.month // 12, start.month % 12 + 1, 1) - timedelta(days=1)
    room = any(is_working_weekday(start + timedelta(days=k), nation)
               for k in range((month_end - start).days + 1))  # fmt: skip
    first = (start.year, start.month) if room else (month_end + timedelta(days=1)).timetuple()[:2]
    expected = [((first[1] - 1 + k) // 12 + first[0], (first[1] - 1 + k) % 12 + 1)
                for k in range(12)]  # fmt: skip
    assert months == expected
    assert all(start <= m.day < schedule.review for m in schedule.meetings)
    assert schedule.notes == ()


@settings(max_examples=100, deadline=None)
@given(started=starts, weeks_in=st.integers(0, 60), nation=nations)
@example(started=date(2027, 2, 12), weeks_in=0, nation="England")  # Good Friday at 6 weeks
def test_newly_qualified_counts_follow_the_rule(started: date, weeks_in: int, nation: str) -> None:
    start = started + timedelta(weeks=weeks_in)
    schedule = plan(start, started_in_post=started, nation=nation)
    six_weeks = started + timedelta(weeks=6)
    year = date(started.year + 1, started.month, 1 if (started.month, started.day) == (2, 29)
                else started.day)  # fmt: skip
    # Counted by the day each meeting was due: a meeting moved off a holiday keeps its phase.
    due = [m.due for m in schedule.meetings]
    weekly = [x for x in due if x < six_weeks]
    if weeks_in == 0:
        assert len(weekly) == 6
        assert all((b - a).days == 7 for a, b in pairwise(weekly))
    if weeks_in >= 6:
        assert weekly == []
    fortnightly = [x for x in due if six_weeks <= x < year]
    assert all((b - a).days == 14 for a, b in pairwise(fortnightly))
    for a, b in pairwise(schedule.meetings):
        if b.frequency.unit == "week":
            gap = (b.day - a.day).days
            assert gap <= b.frequency.count * 7 + TOLERANCE or any(
                long_date(b.day) in note for note in schedule.notes
            )


def test_notes_for_months_without_their_meeting_are_exact() -> None:
    # 1st Tuesdays; leave 8 July to 30 September 2026. August: nothing free between the
    # July meeting and September's due day. September's goes to Thursday 1 October.
    leave = (Leave(d("08/07/2026"), d("30/09/2026")),)
    schedule = plan(d("03/03/2026"), day_pattern=parse_day_pattern("1st Tuesday"), leave=leave)
    assert days_of(schedule)[4:7] == [d("07/07/2026"), d("01/10/2026"), d("06/10/2026")]
    assert list(schedule.notes) == [
        "August 2026 has no meeting (the supervisor's leave), and no other working day was "
        "free between the meetings either side; arrange it with another manager.",
        "No working day could be found in September 2026 for its meeting (the supervisor's "
        "leave), so it is held on Thursday 1 October 2026.",
        "There are 86 days between the meeting on Tuesday 7 July 2026 and the meeting on "
        "Thursday 1 October 2026, more than the 42 days allowed between monthly meetings: the "
        "meeting was due on Tuesday 1 September 2026 (the supervisor's leave).",
    ]
    leave = (Leave(d("04/10/2027"), d("12/11/2027")),)
    october = plan(d("01/09/2027"), day_pattern=parse_day_pattern("last Tuesday"), leave=leave)
    assert october.notes[0] == (
        "The October 2027 meeting, due on Tuesday 26 October 2027 (the supervisor's leave), is "
        "held on Monday 15 November 2027: the free days left in October 2027 would have put "
        "more than 42 days between meetings."
    )


def test_a_late_first_meeting_is_noted_from_the_start() -> None:
    leave = (Leave(d("02/03/2026"), d("15/04/2026")),)
    schedule = plan(d("02/03/2026"), override=parse_frequency("weekly"), leave=leave)
    assert schedule.meetings[0].day == d("16/04/2026")
    assert schedule.notes[-1] == (
        "There are 45 days between the agreement's start Monday 2 March 2026 and the meeting "
        "on Thursday 16 April 2026, more than the 10 days allowed between weekly meetings: the "
        "meeting was due on Monday 13 April 2026 (the supervisor's leave)."
    )


@pytest.mark.parametrize(("start", "day", "expected"), [
    # A plain weekday keeps its place in the month: Thursday 29 January is the last.
    (d("29/01/2026"), "Thursday", [d("29/01/2026"), d("26/02/2026"), d("26/03/2026")]),
    # No Monday is left in January after Friday 30th: the meeting is on the start, and the
    # start's place in the month (the last week) holds: last Mondays.
    (d("30/01/2026"), "Monday", [d("30/01/2026"), d("23/02/2026"), d("30/03/2026")]),
    # The 2nd Tuesday (10 March) is after the start: it holds from March.
    (d("02/03/2026"), "2nd Tuesday", [d("10/03/2026"), d("14/04/2026"), d("12/05/2026")]),
    # The 31st: the last day of shorter months.
    (d("31/03/2026"), None, [d("31/03/2026"), d("30/04/2026"), d("29/05/2026")]),
])  # fmt: skip
def test_monthly_days_of_the_month(start: date, day: str | None, expected: list[date]) -> None:
    pattern = parse_day_pattern(day) if day else None
    assert days_of(plan(start, day_pattern=pattern))[:3] == expected


def test_every_two_months_and_every_four_weeks() -> None:
    two = plan(d("03/03/2026"), role_frequency=parse_frequency("every 2 months"))
    assert [f"{x:%m/%Y}" for x in days_of(two)] == [
        "03/2026",
        "05/2026",
        "07/2026",
        "09/2026",
        "11/2026",
        "01/2027",
    ]
    four = plan(d("03/03/2026"), role_frequency=parse_frequency("every 4 weeks"))
    assert days_of(four)[:3] == [d("03/03/2026"), d("31/03/2026"), d("28/04/2026")]
    assert len(four.meetings) == 14  # 3 March 2026 + 13 x 28 days = 2 March 2027


def test_fortnightly_then_monthly_after_twelve_months_in_post() -> None:
    # In post Monday 5 January 2026; the agreement from Monday 2 March 2026, 2nd Tuesdays.
    started = d("05/01/2026")
    schedule = plan(d("02/03/2026"), started_in_post=started,
                    day_pattern=parse_day_pattern("2nd Tuesday"))  # fmt: skip
    fortnightly = [m.day for m in schedule.meetings if m.frequency.unit == "week"]
    monthly = [m.day for m in schedule.meetings if m.frequency.unit == "month"]
    # Weekly-type meetings keep the weekday (Tuesdays), every 14 days from 3 March.
    assert fortnightly[0] == d("03/03/2026") and fortnightly[-1] == d("22/12/2026")
    # 12 months in post is 5 January 2027; the first 2nd Tuesday at least a week after the
    # last fortnightly meeting is 12 January.
    assert monthly[:2] == [d("12/01/2027"), d("09/02/2027")]


def test_the_last_month_of_a_shifted_agreement_ends_before_the_review() -> None:
    # Saturday 30 December 2028: January to December 2029. The last Monday of December 2029
    # is the 31st, after the review (Sunday 30th): the last Monday before it, the 24th.
    schedule = plan(d("30/12/2028"), day_pattern=parse_day_pattern("last Monday"))
    assert days_of(schedule)[0] == d("29/01/2029")
    assert days_of(schedule)[-1] == d("24/12/2029")
    assert schedule.meetings[-1].moved_from is None


def test_a_first_month_meeting_on_a_holiday_moves_without_a_move_note() -> None:
    # Monday 28 December 2026 is a bank holiday (Boxing Day observed); the last Friday of
    # December is before it, so December's meeting is due on the start and held the next day.
    schedule = plan(d("28/12/2026"), day_pattern=parse_day_pattern("last Friday"))
    first = schedule.meetings[0]
    assert (first.day, first.due, first.moved_from) == (d("29/12/2026"), d("28/12/2026"), None)
    assert first.place == "2026-12"
