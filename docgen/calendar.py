"""One iCalendar (.ics) file per pair: the schedule's meetings.

For Outlook, Google Calendar, Thunderbird or Apple Calendar.

* The file is a published calendar (RFC 5546 ``METHOD:PUBLISH``): the supervisor is the
  ORGANIZER and there are no ATTENDEE lines. With no supervisor email it is a plain
  calendar with no METHOD, which RFC 5546 does not govern. ``invitations=True`` writes
  ``METHOD:REQUEST`` with the supervisee as an attendee instead.
* Each meeting's UID comes from the pair, the agreement's start and the meeting's place in
  the plan (its month, or the week it was due), so leave that moves one meeting changes no
  other UID, and importing a regenerated file updates the same events.
* Given the file a previous run wrote, a meeting that is no longer in the plan is written
  again as cancelled, and a meeting that changed gets a higher SEQUENCE.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar, Component, Event, vCalAddress, vText

from .records import Record
from .schedule import Meeting, Schedule, long_date

LONDON = ZoneInfo("Europe/London")
DEFAULT_MINUTES = 60  # a calendar event needs an end; the agreement's own length wins

# Europe/London as calendar programs write it: one yearly rule for each change. UK summer
# time has begun at 01:00 GMT on the last Sunday of March since 1981, and ended at 01:00 GMT
# (02:00 BST) on the last Sunday of October since 1996. DTSTART is the local time before
# the change. (The icalendar package instead lists every change from 1972 to 2037 on one
# line, which ical.js and vobject misread.)
LONDON_VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/London
BEGIN:DAYLIGHT
TZNAME:BST
TZOFFSETFROM:+0000
TZOFFSETTO:+0100
DTSTART:19810329T010000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZNAME:GMT
TZOFFSETFROM:+0100
TZOFFSETTO:+0000
DTSTART:19961027T020000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
"""


def pair_key(record: Record) -> str:
    """Stable for the same pair and agreement, whatever row it is on."""
    text = "|".join((record.supervisee.casefold(), record.supervisor.casefold(),
                     record.layout, record.start_date.isoformat()))  # fmt: skip
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def meeting_uid(record: Record, meeting: Meeting) -> str:
    """The meeting's calendar ID, from the pair and its place in the plan (leave never moves)."""
    place = meeting.place or (meeting.due or meeting.day).isoformat()
    return f"docgen-{pair_key(record)}-{place}@supervision-agreements"


def calendar_bytes(
    record: Record,
    schedule: Schedule,
    context: Mapping[str, Any],
    minutes: int | None,
    now: datetime | None = None,
    *,
    previous: bytes | None = None,
    invitations: bool = False,
) -> bytes:
    """The pair's meetings as an .ics file; each lasts `minutes` (an hour if not known).

    `previous` is the file an earlier run wrote for this pair, if any: meetings gone from
    the plan are written as cancelled, and changed ones get a higher SEQUENCE.
    """
    now = now or datetime.now(UTC)
    earlier = _events_of(previous)
    calendar = Calendar()
    calendar.add("prodid", "-//docgen//Supervision agreements//EN")
    calendar.add("version", "2.0")
    organizer = _organizer(record)
    if organizer is not None:
        calendar.add("method", "REQUEST" if invitations else "PUBLISH")
    calendar.add("x-wr-calname", f"Supervision: {record.supervisee} and {record.supervisor}")
    calendar.add("x-wr-timezone", "Europe/London")
    calendar.add_component(Calendar.from_ical(LONDON_VTIMEZONE))
    minutes = minutes or DEFAULT_MINUTES
    written: set[str] = set()
    for meeting in schedule.meetings:
        uid = meeting_uid(record, meeting)
        written.add(uid)
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", now)
        event.add("summary", f"Supervision: {record.supervisee} with {record.supervisor}")
        _add_times(event, meeting.day, record, minutes)
        location = str(context.get("location", ""))
        if location and not location.startswith("…"):
            event.add("location", location)
        # No "meeting 3 of 12": one meeting dropped would then change every other event.
        description = [f"Supervision meeting under the "
                       f"{context.get('layout_name', 'supervision agreement')} "
                       f"starting {context.get('start_date', '')}."]  # fmt: skip
        if meeting.moved_from is not None:
            description.append(f"Moved from {long_date(meeting.moved_from)} "
                               f"({meeting.moved_because}).")  # fmt: skip
        event.add("description", " ".join(description))
        event.add("sequence", _sequence(earlier.get(uid), event, now))
        if organizer is not None:
            event.add("organizer", organizer, encode=False)
            if invitations and record.supervisee_email:
                event.add("attendee", _address(record.supervisee_email, record.supervisee,
                                               "REQ-PARTICIPANT"), encode=False)  # fmt: skip
        calendar.add_component(event)
    for uid, old in earlier.items():
        if uid in written:
            continue
        # Cancellations are kept in later files, so a calendar that missed one still gets it.
        cancelled = str(old.get("status", "")).upper() == "CANCELLED"
        calendar.add_component(old if cancelled else _cancelled(old, now, organizer))
    data: bytes = calendar.to_ical()
    return data


def _add_times(event: Event, day: date, record: Record, minutes: int) -> None:
    if record.meeting_time is not None:
        start = datetime.combine(day, record.meeting_time, tzinfo=LONDON)
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=minutes))
    else:
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("transp", "TRANSPARENT")


def _organizer(record: Record) -> vCalAddress | None:
    if not record.supervisor_email:
        return None
    return _address(record.supervisor_email, record.supervisor, "CHAIR")


def _address(email: str, name: str, role: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = vText(name)
    address.params["role"] = vText(role)
    return address


# What, when different from the previous run's, makes an event a change calendars must take.
_COMPARED = ("dtstart", "dtend", "summary", "location", "description", "status")


def _sequence(old: Component | None, event: Event, now: datetime) -> int:
    if old is None:
        # With no earlier file to compare, a number that grows with time still lets a
        # regenerated file update what an earlier one added.
        return max(0, int(now.timestamp() // 60) - 29_000_000)
    before = int(old.get("sequence", 0))
    same = all(_value(old, key) == _value(event, key) for key in _COMPARED)
    return before if same else before + 1


def _value(event: Component, key: str) -> object:
    if key not in event:
        return None
    if key in ("dtstart", "dtend"):
        value = event.decoded(key)
        return value.astimezone(UTC) if isinstance(value, datetime) else value
    return str(event[key])


def _cancelled(old: Component, now: datetime, organizer: vCalAddress | None) -> Event:
    event = Event()
    event.add("uid", str(old["uid"]))
    event.add("dtstamp", now)
    event.add("sequence", int(old.get("sequence", 0)) + 1)
    event.add("status", "CANCELLED")
    event.add("summary", f"Cancelled: {old.get('summary', 'supervision')}")
    for key in ("dtstart", "dtend"):
        if key in old:
            value = old.decoded(key)
            if isinstance(value, datetime) and value.tzinfo is not None:
                value = value.astimezone(LONDON)
            event.add(key, value)
    event.add("description", "This meeting is no longer in the supervision plan.")
    if organizer is not None:
        event.add("organizer", organizer, encode=False)
    return event


def _events_of(previous: bytes | None) -> dict[str, Component]:
    if not previous:
        return {}
    try:
        calendar = Calendar.from_ical(previous)
    except ValueError:
        return {}  # an earlier file someone broke is replaced, not a reason to stop
    return {str(event["uid"]): event for event in calendar.walk("VEVENT") if "uid" in event}
