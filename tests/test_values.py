"""Every cell reader's answers and its exact sentences for bad values (the words people read
in `docgen validate`), written out here rather than taken from the code."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from docgen.values import (
    BadValue,
    DayPattern,
    as_text,
    ordinal_word,
    parse_day_pattern,
    parse_duration,
    parse_email,
    parse_nation,
    parse_time,
    parse_uk_date,
    parse_yes_no,
)

DATE_FIX = "write it as dd/mm/yyyy, for example 03/03/2026"
TIME_FIX = "write it as hh:mm, for example 10:00 or 14:30"
LENGTH_FIX = "write the number of minutes, for example 90, or 1 hour 30 minutes"
DAY_FIX = "write a weekday such as Tuesday, or 2nd Tuesday, or last Friday"


@pytest.mark.parametrize(("parse", "value", "message", "fix"), [
    (parse_uk_date, "31/02/2026", "is not a date: February 2026 has no day 31", DATE_FIX),
    (parse_uk_date, "03/14/2026",
     "looks like a US date (month first); docgen reads dates as dd/mm/yyyy",
     "did you mean 14/03/2026?"),
    (parse_uk_date, "13/13/2026", "is not a date (there is no month 13)", DATE_FIX),
    (parse_uk_date, "01/00/2026", "is not a date (there is no month 0)", DATE_FIX),
    (parse_uk_date, "2026-13-01", "is not a date (there is no month 13)", DATE_FIX),
    (parse_uk_date, "2026-00-01", "is not a date (there is no month 0)", DATE_FIX),
    (parse_uk_date, "03/03/26", "has a two-digit year", "write the year in full: " + DATE_FIX),
    (parse_uk_date, "", "is empty", DATE_FIX),
    (parse_uk_date, "  ", "is empty", DATE_FIX),
    (parse_uk_date, 46000, "is a number, not a date",
     "format the cell as a date (it would show 09/12/2025)"),
    (parse_uk_date, 36526, "is a number, not a date",
     "format the cell as a date (it would show 01/01/2000)"),
    (parse_uk_date, 54788, "is a number, not a date",
     "format the cell as a date (it would show 31/12/2049)"),
    (parse_uk_date, 36525, "is a number, not a date", "format the cell as a date, or " + DATE_FIX),
    (parse_uk_date, 54789, "is a number, not a date", "format the cell as a date, or " + DATE_FIX),
    (parse_uk_date, "soon", "is not a date", DATE_FIX),
    (parse_uk_date, "3 Smarch 2026", "is not a date", DATE_FIX),
    (parse_uk_date, "3 March 26", "is not a date", DATE_FIX),
    (parse_uk_date, "31/12/9999",
     "is not a date docgen can plan from (the year must be 1900 to 2100)", DATE_FIX),
    (parse_time, "10", "is not a time (a bare number)", TIME_FIX),
    (parse_time, "13pm", "is not a time", TIME_FIX),
    (parse_time, "0am", "is not a time", TIME_FIX),
    (parse_time, "24:00", "is not a time", TIME_FIX),
    (parse_time, "23:60", "is not a time", TIME_FIX),
    (parse_time, "noon", "is not a time", TIME_FIX),
    (parse_time, 1.0, "is not a time (a bare number)", TIME_FIX),  # a whole day is no time
    (parse_duration, "all day", "is not a length of time", LENGTH_FIX),
    (parse_duration, "", "is not a length of time", LENGTH_FIX),
    (parse_duration, True, "is not a length of time", LENGTH_FIX),
    (parse_duration, 481, "is not a sensible meeting length (10 minutes to 8 hours)", LENGTH_FIX),
    (parse_duration, 9.4, "is not a sensible meeting length (10 minutes to 8 hours)", LENGTH_FIX),
    (parse_yes_no, "Yse", "is not Yes or No", "write Yes or No"),
    (parse_day_pattern, "Sunday", "is a weekend day; supervision is in working hours", DAY_FIX),
    (parse_day_pattern, "last Saturday", "is a weekend day; supervision is in working hours",
     DAY_FIX),
    (parse_day_pattern, "Funday", "is not a meeting day", DAY_FIX),
    (parse_day_pattern, "5th Monday", "is not a meeting day", DAY_FIX),
    (parse_day_pattern, "Mo", "is not a meeting day", DAY_FIX),
    (parse_day_pattern, "", "is not a meeting day", DAY_FIX),
    (parse_nation, "Wakanda", "is not a UK nation",
     "write England, Wales, Scotland or Northern Ireland"),
    (parse_email, "amira", "is not an email address", "write it as name@example.gov.uk"),
])  # fmt: skip
def test_bad_values_say_what_is_wrong_and_how_to_fix_it(
    parse: Callable[[object], object], value: object, message: str, fix: str
) -> None:
    with pytest.raises(BadValue) as raised:
        parse(value)
    assert (raised.value.message, raised.value.fix) == (message, fix)
    assert str(raised.value) == message


@pytest.mark.parametrize(("value", "expected"), [
    (datetime(2026, 3, 3, 10, 30, 45), time(10, 30)),  # seconds are dropped
    (time(9, 15, 59, 999), time(9, 15)),
    ("2 pm", time(14, 0)), (" 14:30 ", time(14, 30)), ("9.05", time(9, 5)),
    ("23:59", time(23, 59)), ("0:00", time(0, 0)), (0.999, time(23, 59)),
])  # fmt: skip
def test_more_times(value: object, expected: time) -> None:
    assert parse_time(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("", "England"), (None, "England"), ("england", "England"), ("ENG", "England"),
    ("Cymru", "Wales"), ("alba", "Scotland"), ("Northern Ireland", "Northern Ireland"),
    ("northern-ireland", "Northern Ireland"), ("N. Ireland", "Northern Ireland"),
    ("NI", "Northern Ireland"), (" Scotland ", "Scotland"),
])  # fmt: skip
def test_nations(value: object, expected: str) -> None:
    assert parse_nation(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("Tuesday", DayPattern(1)), ("tuesdays", DayPattern(1)), ("Tue", DayPattern(1)),
    ("Thurs.", DayPattern(3)), ("2nd Tuesday", DayPattern(1, 2)),
    ("second tuesday", DayPattern(1, 2)),
    ("last Friday", DayPattern(4, -1)), ("final friday", DayPattern(4, -1)),
    ("1st Monday of the month", DayPattern(0, 1)), ("4th Wed", DayPattern(2, 4)),
    ("third thursday", DayPattern(3, 3)), ("first monday", DayPattern(0, 1)),
])  # fmt: skip
def test_meeting_days(value: str, expected: DayPattern) -> None:
    assert parse_day_pattern(value) == expected


def test_meeting_days_described() -> None:
    assert DayPattern(1).describe() == "Tuesday"
    assert DayPattern(1, 2).describe() == "2nd Tuesday of the month"
    assert DayPattern(4, -1).describe() == "last Friday of the month"
    assert DayPattern(0, 1).describe() == "1st Monday of the month"
    assert DayPattern(2, 3).describe() == "3rd Wednesday of the month"
    assert DayPattern(3, 4).describe() == "4th Thursday of the month"
    assert [ordinal_word(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "23rd",
    ]


@given(st.text(alphabet=st.sampled_from(list("ab \t\n\r\u00a0\u2028\u3000\x85\x0b"))))
@example("a\u00a0b")
@example("a\rb")
@example("a \n b")
@example("a\r\nb c")
def test_cell_text_is_the_rule_for_any_text(value: str) -> None:
    """The rule `as_text` states: non-breaking spaces as spaces, Windows line ends folded,
    and no space at either end of the text or of any line."""
    text = value.replace("\u00a0", " ").replace("\r\n", "\n").replace("\r", "\n").strip()
    assert as_text(value) == "\n".join(line.strip() for line in text.split("\n"))


@pytest.mark.parametrize(("value", "expected"), [
    (None, ""), (3.0, "3"), (2.5, "2.5"), ("\u00a0Amira  Khan\u00a0", "Amira  Khan"),
    ("a\r\nb\rc", "a\nb\nc"), ("  one \n two  ", "one\ntwo"),
])  # fmt: skip
def test_cell_text(value: object, expected: str) -> None:
    assert as_text(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("3 Sept 2026", date(2026, 9, 3)), ("3rd of", None), ("Tue, 3 March 2026", date(2026, 3, 3)),
    ("1st Jan. 2026", date(2026, 1, 1)), ("03-03-2026", date(2026, 3, 3)),
    (date(2026, 3, 3), date(2026, 3, 3)),
])  # fmt: skip
def test_more_dates(value: object, expected: date | None) -> None:
    if expected is None:
        with pytest.raises(BadValue):
            parse_uk_date(value)
    else:
        assert parse_uk_date(value) == expected


def test_ja_is_not_a_month() -> None:
    with pytest.raises(BadValue):  # two letters could be January or nothing
        parse_uk_date("3 Ja 2026")
    assert parse_yes_no("no") is False and parse_yes_no("0") is False and parse_yes_no("1")
    assert parse_email("a.b@c.d") == "a.b@c.d"


@pytest.mark.parametrize(("minutes", "words"), [
    (45, "45 minutes"), (60, "1 hour"), (90, "1 hour 30 minutes"), (120, "2 hours"),
    (150, "2 hours 30 minutes"),
])  # fmt: skip
def test_meeting_lengths_in_words(minutes: int, words: str) -> None:
    from docgen.values import format_duration

    assert format_duration(minutes) == words


def test_dates_in_running_text() -> None:
    from docgen.values import prose_date

    assert [prose_date(d) for d in (date(2026, 3, 3), date(2027, 12, 31))] == [
        "3 March 2026", "31 December 2027"
    ]  # fmt: skip


def test_cell_references_quote_sheet_names_as_excel_does() -> None:
    from docgen.roster import sheet_ref

    assert [sheet_ref(name, "E7") for name in
            ("Roster", "Sheet.1", "My roster", "Amira's list", "2024", "Roster")] == [
        "Roster!E7", "Sheet.1!E7", "'My roster'!E7", "'Amira''s list'!E7", "'2024'!E7",
        "Roster!E7",
    ]  # fmt: skip
