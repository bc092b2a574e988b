"""Reading one cell's value: UK dates, times, durations, yes/no, meeting days, frequencies.

Each reader takes what openpyxl or the CSV reader gave (a `str`, number, `datetime`...) and
returns a typed value, or raises `BadValue` saying what is wrong and how to fix it. Dates are
UK dates: ``03/04/2026`` is 3 April, and a date that only makes sense the US way is reported,
never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december",
)  # fmt: skip


class BadValue(ValueError):
    """A value that cannot be read, with what is wrong with it and how to put it right."""

    def __init__(self, message: str, fix: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix


def as_text(value: object) -> str:
    """A cell as clean text.

    No surrounding or non-breaking spaces, Windows line ends folded, and a date or time as
    Excel shows it in the UK (``14/09/2026``, ``10:00``), never Python's
    ``2026-09-14 00:00:00``.
    """
    if value is None:
        return ""
    if type(value) is str and _CLEAN.fullmatch(value):  # most cells: nothing to change
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = uk_date(value) + ("" if value.time() == time() else f" {value:%H:%M}")
    elif isinstance(value, date):
        value = uk_date(value)
    elif isinstance(value, time):
        value = f"{value:%H:%M}" if not value.second else f"{value:%H:%M:%S}"
    text = str(value).replace("\u00a0", " ").replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.strip() for line in text.strip().split("\n"))


# Text with no line end, no non-breaking space and no space at either end.
_CLEAN = re.compile(r"(?:\S(?:[^\r\n\u00a0]*\S)?)?")


def prose_date(day: date) -> str:
    """`3 March 2026`, the way dates are written in running text."""
    return f"{day.day} {day:%B %Y}"


def format_duration(minutes: int) -> str:
    """A meeting length in words: "1 hour 30 minutes", "2 hours"."""
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour" + ("s" if hours > 1 else ""))
    if rest:
        parts.append(f"{rest} minutes")
    return " ".join(parts)


def uk_date(day: date) -> str:
    """`day` as messages show dates: ``01/01/0001``, ``14/09/2026``.

    strftime's ``%Y`` drops the leading zeros of an early year on some systems.
    """
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


_DATE_FIX = "write it as dd/mm/yyyy, for example 03/03/2026"


def _month_number(word: str) -> int | None:
    word = word.casefold().rstrip(".")
    for number, name in enumerate(MONTHS, start=1):
        if len(word) >= 3 and name.startswith(word):
            return number
    return None


# Dates docgen accepts. Schedules count 12 months (and newly qualified phases up to two
# years) on from a date, so a year such as 9999 or 0001 would fail there; a real agreement
# starts between these.
FIRST_YEAR, LAST_YEAR = 1900, 2100


def _checked_date(year: int, month: int, day: int) -> date:
    try:
        found = date(year, month, day)
    except ValueError:
        month_name = MONTHS[month - 1].capitalize()
        raise BadValue(f"is not a date: {month_name} {year} has no day {day}", _DATE_FIX) from None
    return _in_range(found)


def _in_range(day: date) -> date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise BadValue(f"is not a date docgen can plan from (the year must be {FIRST_YEAR} "
                       f"to {LAST_YEAR})", _DATE_FIX)  # fmt: skip
    return day


def parse_uk_date(value: object) -> date:  # noqa: C901
    """A date from an Excel date cell or from UK text (dd/mm/yyyy, 3 March 2026)."""
    if isinstance(value, datetime):
        return _in_range(value.date())
    if isinstance(value, date):
        return _in_range(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        fix = "format the cell as a date, or " + _DATE_FIX
        if 36_526 <= value <= 54_788:  # Excel's day numbers for 2000 to 2049
            from openpyxl.utils.datetime import from_excel  # rarely needed; slow to load

            shown = from_excel(value)
            fix = f"format the cell as a date (it would show {uk_date(shown)})"
        raise BadValue("is a number, not a date", fix)
    text = as_text(value)
    if not text:
        raise BadValue("is empty", _DATE_FIX)
    if match := re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})", text):
        day, month, year = (int(part) for part in match.groups())
        if len(match.group(3)) != 4:
            raise BadValue("has a two-digit year", "write the year in full: " + _DATE_FIX)
        if month > 12 and day <= 12:
            raise BadValue(
                "looks like a US date (month first); docgen reads dates as dd/mm/yyyy",
                f"did you mean {month:02d}/{day:02d}/{year}?",
            )
        if month > 12 or month < 1:
            raise BadValue(f"is not a date (there is no month {month})", _DATE_FIX)
        return _checked_date(year, month, day)
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
        year, month, day = (int(part) for part in match.groups())
        if not 1 <= month <= 12:
            raise BadValue(f"is not a date (there is no month {month})", _DATE_FIX)
        return _checked_date(year, month, day)
    words = re.sub(r"[,]", " ", text).split()
    if words and words[0].casefold().rstrip(".") in {w[:3] for w in WEEKDAYS} | set(WEEKDAYS):
        words = words[1:]  # "Tuesday 3 March 2026": the weekday adds nothing
    if len(words) == 3:
        day_word = re.sub(r"(st|nd|rd|th)$", "", words[0].casefold())
        named_month = _month_number(words[1])
        if day_word.isdigit() and named_month and words[2].isdigit() and len(words[2]) == 4:
            return _checked_date(int(words[2]), named_month, int(day_word))
    raise BadValue("is not a date", _DATE_FIX)


def parse_time(value: object) -> time:
    """A meeting time from an Excel time cell or text: 10:00, 14.30, 2pm, 2.30pm."""
    fix = "write it as hh:mm, for example 10:00 or 14:30"
    if isinstance(value, datetime):
        # A time cell is a day fraction, so its date is Excel's day 0 or 1 (1899/1900); a
        # later date at midnight is a date typed into the wrong column.
        if value.year > 1900 and value.time() == time():
            raise BadValue("is a date, not a time", fix)
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, float) and 0 <= value < 1:  # an Excel time saved as a day fraction
        minutes = round(value * 24 * 60)
        return time(minutes // 60, minutes % 60)
    text = as_text(value).casefold().replace(" ", "")
    match = re.fullmatch(r"(\d{1,2})(?:[:.](\d{2}))?(am|pm)?", text)
    if not match:
        raise BadValue("is not a time", fix)
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    suffix = match.group(3)
    if suffix is None and match.group(2) is None:
        raise BadValue("is not a time (a bare number)", fix)
    if suffix:
        if not 1 <= hour <= 12:
            raise BadValue("is not a time", fix)
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    if hour > 23 or minute > 59:
        raise BadValue("is not a time", fix)
    return time(hour, minute)


def parse_duration(value: object) -> int:
    """A meeting length in minutes: 90, "90 minutes", "1.5 hours", "1 hour 30 minutes"."""
    fix = "write the number of minutes, for example 90, or 1 hour 30 minutes"
    if isinstance(value, int | float) and not isinstance(value, bool):
        minutes = float(value)
    else:
        text = as_text(value).casefold()
        match = re.fullmatch(
            r"(?:(\d+(?:\.\d+)?)\s*(?:hours?|hrs?|h))?\s*(?:(\d+)\s*(?:minutes?|mins?|m)?)?",
            text,
        )
        if not text or not match or not any(match.groups()):
            raise BadValue("is not a length of time", fix)
        minutes = float(match.group(1) or 0) * 60 + float(match.group(2) or 0)
    if not 10 <= minutes <= 8 * 60:
        raise BadValue("is not a sensible meeting length (10 minutes to 8 hours)", fix)
    return round(minutes)


def parse_yes_no(value: object) -> bool:
    """A Yes or No cell as a truth value; empty is No."""
    if isinstance(value, bool):
        return value
    text = as_text(value).casefold()
    if text in {"yes", "y", "true", "1", "nqsw", "asye"}:
        return True
    if text in {"no", "n", "false", "0", ""}:
        return False
    raise BadValue("is not Yes or No", "write Yes or No")


@dataclass(frozen=True, slots=True)
class DayPattern:
    """When in the month or week meetings fall: a weekday (0 = Monday) and optionally which one.

    `ordinal` is 1 to 4 for "2nd Tuesday", -1 for "last Friday", None for "every Tuesday".
    """

    weekday: int
    ordinal: int | None = None

    def describe(self) -> str:
        """The pattern as the roster writes it: "2nd Tuesday of the month"."""
        day = WEEKDAYS[self.weekday].capitalize()
        if self.ordinal is None:
            return day
        if self.ordinal == -1:
            return f"last {day} of the month"
        return f"{ordinal_word(self.ordinal)} {day} of the month"


def ordinal_word(number: int) -> str:
    """A number with its English ordinal suffix: 1st, 2nd, 3rd, 11th, 21st."""
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(number if number < 20 else number % 10, "th")
    return f"{number}{suffix}"


_ORDINALS = {
    "1st": 1, "first": 1, "2nd": 2, "second": 2, "3rd": 3, "third": 3,
    "4th": 4, "fourth": 4, "last": -1, "final": -1,
}  # fmt: skip


def parse_day_pattern(value: object) -> DayPattern:
    """A Meeting day: "Tuesday", "2nd Tuesday", "last Friday", "Tuesdays", "Tue"."""
    fix = "write a weekday such as Tuesday, or 2nd Tuesday, or last Friday"
    words = as_text(value).casefold().replace(" of the month", "").split()
    ordinal = None
    if len(words) == 2 and words[0] in _ORDINALS:
        ordinal = _ORDINALS[words[0]]
        words = words[1:]
    if len(words) != 1:
        raise BadValue("is not a meeting day", fix)
    word = words[0].rstrip("s.") if len(words[0]) > 3 else words[0]
    for number, name in enumerate(WEEKDAYS):
        if len(word) >= 3 and name.startswith(word):
            if number >= 5:
                raise BadValue("is a weekend day; supervision is in working hours", fix)
            return DayPattern(number, ordinal)
    raise BadValue("is not a meeting day", fix)


NATION_NAMES = {
    "england": "England",
    "eng": "England",
    "wales": "Wales",
    "cymru": "Wales",
    "scotland": "Scotland",
    "alba": "Scotland",
    "northernireland": "Northern Ireland",
    "ni": "Northern Ireland",
    "nireland": "Northern Ireland",
}


def parse_nation(value: object) -> str:
    """A Nation cell as one of the four UK nations; empty is England."""
    text = re.sub(r"[\W_]+", "", as_text(value).casefold())
    if not text:
        return "England"
    if text in NATION_NAMES:
        return NATION_NAMES[text]
    raise BadValue("is not a UK nation", "write England, Wales, Scotland or Northern Ireland")


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def parse_email(value: object) -> str:
    """An Email cell as an address, without a leading ``mailto:``."""
    text = as_text(value)
    if text.casefold().startswith("mailto:"):
        text = text[7:]
    if not _EMAIL.fullmatch(text):
        raise BadValue("is not an email address", "write it as name@example.gov.uk")
    return text


# Characters Word's XML cannot hold (XML 1.0): pasted from other systems, they corrupt a .docx.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# A vertical tab is Word's line break and a form feed its page break, pasted across (and
# other systems use them the same way): between two words they stand for a space.
_BREAKS = re.compile("[ \t]*[\x0b\x0c]+[ \t]*")


def strip_forbidden(text: str) -> tuple[str, bool]:
    r"""`text` without the control characters a Word document cannot hold, and whether any were.

    A vertical tab or form feed becomes a space (``Ann\x0bAble`` is ``Ann Able``); the others
    are removed.
    """
    cleaned = _XML_FORBIDDEN.sub("", _BREAKS.sub(" ", text))
    if cleaned == text:
        return text, False
    return "\n".join(line.strip() for line in cleaned.strip().split("\n")), True
