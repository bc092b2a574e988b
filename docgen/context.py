"""The template variables: what a layout's ``{{ ... }}`` tags can use.

These names are a public API for the people who edit templates in Word; they are listed in
the README and must stay stable. Every variable always has a value: an empty optional roster
cell becomes `BLANK`, a dotted line people complete in Word, never ``None`` or nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, time
from typing import Any

from dateutil.relativedelta import relativedelta

from .policy import Frequency, Policy
from .records import Record
from .schedule import Schedule, long_date
from .templates import Layout
from .values import (
    WEEKDAYS,
    BadValue,
    DayPattern,
    format_duration,
    ordinal_word,
    parse_duration,
    prose_date,
)

BLANK = "…………………………………"

# name -> what it holds; the README's table of template variables is this list.
VARIABLES: dict[str, str] = {
    "organisation": "The Organisation column, else the layout's organisation",
    "supervisee": "The supervisee's name",
    "supervisee_job_title": "The supervisee's job title",
    "supervisee_with_title": "Name and job title: `Amira Khan, Social Worker`",
    "supervisor": "The supervisor's name",
    "supervisor_job_title": "The supervisor's job title",
    "supervisor_with_title": "Name and job title: `Joe Bloggs, Team Manager`",
    "role": "The Role column",
    "newly_qualified": "`Yes` or `No`",
    "start_date": "The agreement's start: `3 March 2026`",
    "review_date": "When it is reviewed (12 months on): `3 March 2027`",
    "frequency": "How often they meet, with the dates it changes: `monthly`, or "
    "`fortnightly until 1 June 2027 (12 months in post), then monthly`",
    "meeting_day": 'The Meeting day in words that follow "on", saying how often: '
    "`the 2nd Tuesday of each month`, `the 1st Tuesday of each month` (for a plain "
    "`Tuesday`), `Tuesdays` (weekly), `alternate Tuesdays`, `a Monday every 3 weeks`; with "
    "dates when the frequency changes: `Tuesdays until 13 April 2026 (6 weeks in post), then "
    "alternate Tuesdays`",
    "meeting_time": "`10:00`",
    "duration": "`1 hour 30 minutes`",
    "location": "The Location column, else the layout's usual place",
    "key_tasks": "The Key tasks column; each line on its own line",
    "format_of_supervision": "The layout's default, such as `one-to-one`",
    "recording_method": "How sessions are recorded (layout default)",
    "record_written_by": "Who writes the record (layout default)",
    "record_shared_within": "Working days to share the record (layout default)",
    "interruptions_only_if": "When the meeting may be interrupted (layout default)",
    "others_who_may_see_the_record": "Who else may see the record (layout default)",
    "meetings": "The schedule: a list; each has `number`, `month`, `date`, `time`, "
    "`when`, `duration`, `location`, `note`",
    "meeting_count": "How many meetings the schedule has",
    "schedule_notes": "A list of sentences on meetings that could not keep to the rules",
    "cover_arrangements": "How supervision continues while the supervisor is away",
    "policy_name": "The supervision policy the schedule follows, named as the "
    'organisation\'s own: `Sefton Council supervision policy` (write "the {{ policy_name }}" '
    "in a sentence)",
    "layout_name": "The layout's display name",
    "blank": "A dotted line to complete by hand",
}


def format_time(value: time) -> str:
    """A time as the agreements show it: "14:00"."""
    return f"{value:%H:%M}"


def meeting_minutes(record: Record, layout: Layout) -> int | None:
    """The meeting length in minutes: the roster's Duration, else the layout's default."""
    if record.duration_minutes is not None:
        return record.duration_minutes
    try:
        return parse_duration(layout.defaults.get("duration", ""))
    except BadValue:
        return None


def build_context(
    record: Record, layout: Layout, policy: Policy, schedule: Schedule
) -> dict[str, Any]:
    """Every template variable for one agreement, each with a printable value."""
    defaults = layout.defaults
    minutes = meeting_minutes(record, layout)
    # A default that is not a length ("as agreed") is printed as the layout wrote it.
    duration = format_duration(minutes) if minutes else defaults.get("duration", "")
    location = record.location or defaults.get("location", "")
    time_text = format_time(record.meeting_time) if record.meeting_time else ""
    meetings = []
    for number, meeting in enumerate(schedule.meetings, start=1):
        date_text = long_date(meeting.day)
        note = ""
        if meeting.moved_from is not None:
            note = f"Moved from {long_date(meeting.moved_from)} ({meeting.moved_because})"
        meetings.append({
            "number": number,
            "month": f"{meeting.day:%B %Y}",
            "date": date_text,
            "time": time_text or BLANK,
            "when": f"{date_text}, {time_text}" if time_text else date_text,
            "duration": duration or BLANK,
            "location": location or BLANK,
            "note": note,
        })  # fmt: skip
    cover = " ".join([policy.cover_text, *schedule.notes]).strip()
    organisation = record.organisation or layout.organisation
    values: dict[str, Any] = {
        "organisation": organisation,
        "supervisee": record.supervisee,
        "supervisee_job_title": record.supervisee_job_title,
        "supervisee_with_title": _with_title(record.supervisee, record.supervisee_job_title),
        "supervisor": record.supervisor,
        "supervisor_job_title": record.supervisor_job_title,
        "supervisor_with_title": _with_title(record.supervisor, record.supervisor_job_title),
        "role": record.role,
        "newly_qualified": "Yes" if record.newly_qualified else "No",
        "start_date": prose_date(record.start_date),
        "review_date": prose_date(schedule.review),
        "frequency": frequency_words(record, policy),
        "meeting_day": meeting_day_words(record, policy, schedule),
        "meeting_time": time_text,
        "duration": duration,
        "location": location,
        "key_tasks": record.key_tasks,
        "meetings": meetings,
        "meeting_count": len(meetings),
        "schedule_notes": list(schedule.notes),
        "cover_arrangements": cover,
        "policy_name": policy.name_for(organisation),
        "layout_name": layout.name,
        "blank": BLANK,
    }
    for key in ("format_of_supervision", "recording_method", "record_written_by",
                "record_shared_within", "interruptions_only_if",
                "others_who_may_see_the_record"):  # fmt: skip
        values[key] = defaults.get(key, "")
    return {key: (BLANK if value == "" else value) for key, value in values.items()}


def _with_title(name: str, title: str) -> str:
    return f"{name}, {title}" if title else name


def frequency_words(record: Record, policy: Policy) -> str:
    """How often this pair meets, in words, with the dates it changes on during the agreement.

    The roster's own frequency, else the policy's for this person.
    """
    if record.frequency is not None:
        return record.frequency.words
    return policy.describe_frequency(
        record.role_frequency, record.started_in_post, record.start_date, _review(record, policy)
    )


def _frequencies(record: Record, policy: Policy) -> list[tuple[Frequency, str]]:
    if record.frequency is not None:
        return [(record.frequency, "")]
    return policy.frequency_steps(
        record.role_frequency, record.started_in_post, record.start_date, _review(record, policy)
    )


def _review(record: Record, policy: Policy) -> date:
    return record.start_date + relativedelta(months=policy.review_after_months)


def meeting_day_words(record: Record, policy: Policy, schedule: Schedule) -> str:
    """The roster's Meeting day as English that follows "on", saying how often as it goes.

    "the 2nd Tuesday of each month", "Tuesdays until 13 April 2026 (6 weeks in post), then
    alternate Tuesdays"; empty when the roster gives no day.

    A plain weekday for monthly meetings says which one of the month the schedule keeps
    ("the 1st Tuesday"), as the roster's "Tuesday" alone does not.
    """
    pattern = record.meeting_day
    if pattern is None:
        return ""
    return ", then ".join(
        f"{_days_in_words(pattern, frequency, schedule.monthly_day)} {until}".strip()
        for frequency, until in _frequencies(record, policy)
    )


_EVERY_N_MONTHS = {1: "each month", 2: "every other month", 3: "every third month"}


def _days_in_words(pattern: DayPattern, frequency: Frequency, kept: DayPattern | None) -> str:
    day = WEEKDAYS[pattern.weekday].capitalize()
    if frequency.unit == "week":
        if frequency.count == 1:
            return f"{day}s"
        if frequency.count == 2:
            return f"alternate {day}s"
        return f"a {day} every {frequency.count} weeks"
    months = _EVERY_N_MONTHS.get(frequency.count, f"every {frequency.count} months")
    ordinal = pattern.ordinal
    if ordinal is None and kept is not None and kept.weekday == pattern.weekday:
        ordinal = kept.ordinal
    if ordinal is None:
        return f"a {day} in {months}"
    which = "last" if ordinal == -1 else ordinal_word(ordinal)
    return f"the {which} {day} of {months}"


def sample_context() -> Mapping[str, Any]:
    """Values of the right shape for every variable, for checking templates without a roster."""
    meeting = {"number": 1, "month": "March 2026", "date": "Tuesday 3 March 2026",
               "time": "10:00", "when": "Tuesday 3 March 2026, 10:00",
               "duration": "1 hour 30 minutes", "location": "Room 2", "note": ""}  # fmt: skip
    values: dict[str, Any] = {key: "sample" for key in VARIABLES}
    values.update(meetings=[meeting], meeting_count=1, schedule_notes=["A note."])
    return values
