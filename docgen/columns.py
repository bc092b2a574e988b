"""The roster's columns: their names, the other names people give them, and what goes in them.

This is the one list the roster reader, the validator, the starter workbook and the README
table all work from, so a column is added in one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One roster column: its key, its header, and what the starter workbook says of it."""

    key: str  # the name used in code and in the records
    header: str  # the documented header, as a person writes it
    required: bool
    format: str
    example: str
    note: str
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()  # offered as a dropdown in the starter workbook


# A row whose Supervisee starts so is the starter workbook's example: docgen skips it.
EXAMPLE_PREFIX = "EXAMPLE:"

NATIONS = ("England", "Wales", "Scotland", "Northern Ireland")
MEETING_DAYS = (
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
    "1st Monday", "1st Tuesday", "1st Wednesday", "1st Thursday", "1st Friday",
    "2nd Tuesday", "3rd Wednesday", "last Friday",
)  # fmt: skip
FREQUENCIES = (
    "weekly", "fortnightly", "every 3 weeks", "every 4 weeks", "monthly",
    "every 6 weeks", "every 2 months", "every 3 months",
)  # fmt: skip

COLUMNS: tuple[Column, ...] = (
    Column("layout", "Layout", False, "a layout name (see `docgen templates`)", "sefton",
           "Which council's agreement to use. May be left empty when --template is given.",
           ("template", "agreement layout")),
    Column("organisation", "Organisation", False, "text", "Sefton Council",
           "The employing council or agency. Empty: the layout's own organisation.",
           ("organization", "agency", "council", "name of agency")),
    Column("supervisee", "Supervisee", True, "text (full name)", "Amira Khan",
           "The person being supervised.",
           ("supervisee name", "name of supervisee", "staff name", "employee")),
    Column("staff_id", "Staff ID", False, "text or number", "E10234",
           "The supervisee's employee or payroll number. It tells docgen the same person "
           "from year to year, even if their name changes. Empty: the name is used.",
           ("employee id", "employee number", "payroll number", "staff number",
            "person number", "employee no", "staff no")),
    Column("supervisee_job_title", "Supervisee job title", False, "text", "Social Worker",
           "As it should appear on the agreement.", ("supervisee title", "supervisee job")),
    Column("supervisee_email", "Supervisee email", False, "email address",
           "amira.khan@example.gov.uk", "Used to invite them in the calendar file."),
    Column("supervisor", "Supervisor", True, "text (full name)", "Joe Bloggs",
           "The supervising manager.",
           ("supervisor name", "name of supervisor", "manager", "line manager")),
    Column("supervisor_job_title", "Supervisor job title", False, "text", "Team Manager",
           "As it should appear on the agreement.", ("supervisor title", "manager job title")),
    Column("supervisor_email", "Supervisor email", False, "email address",
           "joe.bloggs@example.gov.uk", "Used to invite them in the calendar file.",
           ("manager email",)),
    Column("role", "Role", False, "a role from the supervision policy", "Social worker",
           "Sets how often supervision happens. Needed unless Frequency is given.",
           ("staff role", "role type"),),
    Column("newly_qualified", "Newly qualified", False, "Yes or No", "No",
           "Yes for newly qualified staff (for example a social worker in their ASYE).",
           ("nqsw", "asye", "newly qualified?"), ("Yes", "No")),
    Column("started_in_post", "Started in post", False, "date, dd/mm/yyyy", "07/09/2026",
           "When a newly qualified person started; their weekly and fortnightly period "
           "counts from here. Empty: the agreement's start date.",
           ("start in post", "post start date", "date started in post")),
    Column("start_date", "Start date", True, "date, dd/mm/yyyy", "03/03/2026",
           "The date the agreement starts; the 12-month schedule counts from here.",
           ("agreement start", "agreement start date", "date of agreement")),
    Column("frequency", "Frequency", False, "weekly, fortnightly, every 4 weeks, monthly...",
           "monthly", "Only to meet more often than the policy asks.",
           ("supervision frequency",), FREQUENCIES),
    Column("meeting_day", "Meeting day", False, "a weekday, or 2nd Tuesday, last Friday...",
           "Tuesday", "Empty: the same day of the month as the start date.",
           ("day", "preferred day", "supervision day"), MEETING_DAYS),
    Column("meeting_time", "Meeting time", False, "time, hh:mm (24-hour) or 2pm", "10:00",
           "Empty: no time is printed.", ("time", "start time")),
    Column("duration", "Duration", False, "minutes, or 1 hour 30 minutes", "90",
           "Empty: the layout's usual length.", ("length", "meeting length", "minutes")),
    Column("location", "Location", False, "text", "Bootle Town Hall, room 2",
           "Empty: the layout's usual place.", ("venue", "usual location", "place")),
    Column("nation", "Nation", False, "England, Wales, Scotland or Northern Ireland",
           "England", "Whose bank holidays to avoid. Empty: England.",
           ("country", "uk nation"), NATIONS),
    Column("key_tasks", "Key tasks", False, "text; one task per line (Alt+Enter)",
           "Child protection caseload", "Printed under the agreement's key tasks heading.",
           ("key tasks of supervisee", "tasks", "responsibilities")),
)  # fmt: skip

BY_KEY = {c.key: c for c in COLUMNS}


def normalise_header(text: str) -> str:
    """Fold a header for matching: case, spaces, punctuation and underscores do not count."""
    return re.sub(r"[\W_]+", "", text.replace("\u00a0", " ").casefold())


def _build_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for column in COLUMNS:
        for name in (column.header, column.key, *column.aliases):
            lookup[normalise_header(name)] = column.key
    return lookup


HEADER_LOOKUP = _build_lookup()


def column_for_header(text: str) -> Column | None:
    """The documented column that a header cell's `text` names, or None."""
    key = HEADER_LOOKUP.get(normalise_header(text))
    return BY_KEY[key] if key else None
