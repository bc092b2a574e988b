"""One iCalendar (.ics) file per pair: the schedule's meetings, for Outlook or Google Calendar.

Each meeting's UID is worked out from the pair, the agreement's start and the meeting's
number, so importing a regenerated file updates the same events instead of adding copies.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText

from .records import Record
from .schedule import Schedule, long_date

LONDON = ZoneInfo("Europe/London")
DEFAULT_MINUTES = 60  # a calendar event needs an end; the agreement's own length wins


def pair_key(record: Record) -> str:
    """Stable for the same pair and agreement, whatever row it is on."""
    text = "|".join((record.supervisee.casefold(), record.supervisor.casefold(),
                     record.layout, record.start_date.isoformat()))  # fmt: skip
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def calendar_bytes(
    record: Record,
    schedule: Schedule,
    context: Mapping[str, Any],
    minutes: int | None,
    now: datetime | None = None,
) -> bytes:
    """The pair's meetings as an .ics file; each lasts `minutes` (an hour if not known)."""
    now = now or datetime.now(UTC)
    calendar = Calendar()
    calendar.add("prodid", "-//docgen//Supervision agreements//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"Supervision: {record.supervisee} and {record.supervisor}")
    calendar.add("x-wr-timezone", "Europe/London")
    key = pair_key(record)
    minutes = minutes or DEFAULT_MINUTES
    total = len(schedule.meetings)
    for number, meeting in enumerate(schedule.meetings, start=1):
        event = Event()
        event.add("uid", f"docgen-{key}-{number}@supervision-agreements")
        event.add("dtstamp", now)
        # Later runs carry a higher sequence, so calendars take them as updates.
        event.add("sequence", int(now.timestamp() // 60) - 29_000_000)
        event.add("summary", f"Supervision: {record.supervisee} with {record.supervisor}")
        if record.meeting_time is not None:
            start = datetime.combine(meeting.day, record.meeting_time, tzinfo=LONDON)
            event.add("dtstart", start)
            event.add("dtend", start + timedelta(minutes=minutes))
        else:
            event.add("dtstart", meeting.day)
            event.add("dtend", meeting.day + timedelta(days=1))
            event.add("transp", "TRANSPARENT")
        location = str(context.get("location", ""))
        if location and not location.startswith("…"):
            event.add("location", location)
        description = [f"Supervision meeting {number} of {total} under the "
                       f"{context.get('layout_name', 'supervision agreement')} "
                       f"starting {context.get('start_date', '')}."]  # fmt: skip
        if meeting.moved_from is not None:
            description.append(f"Moved from {long_date(meeting.moved_from)} "
                               f"({meeting.moved_because}).")  # fmt: skip
        event.add("description", " ".join(description))
        for name, email, role in ((record.supervisor, record.supervisor_email, "CHAIR"),
                                  (record.supervisee, record.supervisee_email,
                                   "REQ-PARTICIPANT")):  # fmt: skip
            if email:
                attendee = vCalAddress(f"mailto:{email}")
                attendee.params["cn"] = vText(name)
                attendee.params["role"] = vText(role)
                event.add("attendee", attendee, encode=0)
        if record.supervisor_email:
            organizer = vCalAddress(f"mailto:{record.supervisor_email}")
            organizer.params["cn"] = vText(record.supervisor)
            event.add("organizer", organizer, encode=0)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()

