"""Calendar files and the schedule command. Every file is read back with icalendar and with
Mozilla's ical.js (Thunderbird's parser), and every event's UTC time is checked."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from docx import Document
from icalendar import Calendar

from docgen import Extras, generate
from docgen.calendar import calendar_bytes
from docgen.cli import main
from docgen.pipeline import check_roster, plan

from .conftest import REPO, row

IN_CI = os.environ.get("CI") == "true"

# UK summer time (BST, UTC+1) as published: 29 March to 25 October 2026, from 28 March 2027
# to 31 October 2027. A 10:00 meeting is 09:00 UTC in summer, 10:00 UTC in winter.
SUMMER = [(date(2026, 3, 29), date(2026, 10, 25)), (date(2027, 3, 28), date(2027, 10, 31))]


def utc_of_ten_oclock(day: date) -> datetime:
    summer = any(first <= day < last for first, last in SUMMER)
    return datetime(day.year, day.month, day.day, 9 if summer else 10, tzinfo=UTC)


def icaljs() -> str | None:
    """ical.js's ES module, from DOCGEN_ICALJS (the npm prefix .ci/run installs it in)."""
    prefix = os.environ.get("DOCGEN_ICALJS", "/tmp/docgen-ci/icaljs")
    library = Path(prefix) / "node_modules" / "ical.js" / "dist" / "ical.js"
    return str(library) if library.exists() and shutil.which("node") else None


def read_with_icaljs(path: Path) -> dict[str, Any]:
    library = icaljs()
    if library is None:
        if IN_CI:
            pytest.fail("ical.js (npm ical.js) or node is not installed; .ci/run installs it")
        pytest.skip("ical.js (npm ical.js) is not installed; set DOCGEN_ICALJS")
    result = subprocess.run(
        ["node", str(REPO / "tests" / "icaljs_events.mjs"), library, str(path)],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return json.loads(result.stdout)


def events_of(path: Path) -> list[Any]:
    return list(Calendar.from_ical(path.read_bytes()).walk("VEVENT"))


def test_every_events_utc_time_across_both_clock_changes(tmp_path: Path, roster_path) -> None:
    # Weekly on Tuesdays at 10:00 from 3 March 2026 to 2 March 2027: meetings either side of
    # 29 March 2026 (clocks forward) and 25 October 2026 (clocks back).
    roster = roster_path([row(Frequency="weekly", Supervisor_email="joe.bloggs@example.gov.uk")])
    [ics] = generate(roster, tmp_path, extras=Extras(calendars=True)).calendars
    events = events_of(ics)
    days = [e.decoded("dtstart").date() for e in events]
    assert days[0] == date(2026, 3, 3) and len(days) == 53 - 1  # 52 Tuesdays, less Christmas
    expected = {str(e["uid"]): utc_of_ten_oclock(e.decoded("dtstart").date()) for e in events}
    for event in events:
        assert event.decoded("dtstart").astimezone(UTC) == expected[str(event["uid"])]
        assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=90)
    parsed = read_with_icaljs(ics)
    assert len(parsed["events"]) == len(events)
    for event in parsed["events"]:
        start = datetime.fromisoformat(event["start"].replace("Z", "+00:00"))
        assert start == expected[event["uid"]], event
        end = datetime.fromisoformat(event["end"].replace("Z", "+00:00"))
        assert end - start == timedelta(minutes=90)
    # Both sides of each change are in the plan.
    hours = {utc_of_ten_oclock(day).hour for day in days}
    assert hours == {9, 10}


def test_the_time_zone_is_written_as_yearly_rules(tmp_path: Path, roster_path) -> None:
    [ics] = generate(roster_path([row()]), tmp_path, extras=Extras(calendars=True)).calendars
    text = ics.read_bytes().decode("utf-8").replace("\r\n ", "")
    zone = text[text.index("BEGIN:VTIMEZONE") : text.index("END:VTIMEZONE")]
    assert "RDATE" not in zone
    # Summer time starts at 01:00 GMT on the last Sunday of March; it ends at 02:00 BST on
    # the last Sunday of October.
    assert "DTSTART:19810329T010000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in zone
    assert "DTSTART:19961027T020000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10" in zone


def test_published_files_have_an_organizer_and_no_attendees(tmp_path: Path, roster_path) -> None:
    roster = roster_path([row(Supervisee_email="amira.khan@example.gov.uk",
                              Supervisor_email="joe.bloggs@example.gov.uk",
                              Start_date=datetime(2026, 3, 2),
                              Meeting_time=time(10, 0))])  # fmt: skip
    first = generate(roster, tmp_path / "a", extras=Extras(calendars=True))
    [ics] = first.calendars
    assert ics.name == "Amira Khan - supervised by Joe Bloggs - sefton.ics"
    calendar = Calendar.from_ical(ics.read_bytes())
    assert str(calendar["method"]) == "PUBLISH"
    events = events_of(ics)
    word_rows = Document(str(first.documents[0])).tables[0].rows[1:]
    assert len(events) == len(word_rows) == 12
    for event in events:
        assert "attendee" not in event
        assert str(event["organizer"]) == "mailto:joe.bloggs@example.gov.uk"
        assert str(event["organizer"].params["cn"]) == "Joe Bloggs"
    parsed = read_with_icaljs(ics)
    assert parsed["method"] == "PUBLISH"
    assert {e["attendees"] for e in parsed["events"]} == {0}
    assert {e["organizer"] for e in parsed["events"]} == {"mailto:joe.bloggs@example.gov.uk"}


def test_without_a_supervisor_email_the_file_has_no_method(tmp_path: Path, roster_path) -> None:
    [ics] = generate(roster_path([row()]), tmp_path, extras=Extras(calendars=True)).calendars
    assert "method" not in Calendar.from_ical(ics.read_bytes())
    assert all("organizer" not in e and "attendee" not in e for e in events_of(ics))


def test_invitations_are_a_separate_mode(roster_path) -> None:
    roster = roster_path([row(Supervisee_email="amira.khan@example.gov.uk",
                              Supervisor_email="joe.bloggs@example.gov.uk")])  # fmt: skip
    checked = check_roster(roster)
    [planned] = plan(checked)
    data = calendar_bytes(planned.record, planned.schedule, {}, 90, invitations=True)
    calendar = Calendar.from_ical(data)
    assert str(calendar["method"]) == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert str(event["attendee"]) == "mailto:amira.khan@example.gov.uk"
    assert str(event["organizer"]) == "mailto:joe.bloggs@example.gov.uk"


def test_uids_come_from_the_plan_and_leave_shifts_none(tmp_path: Path, roster_path) -> None:
    before = generate(
        roster_path([row()], "before.xlsx"), tmp_path / "a", extras=Extras(calendars=True)
    )
    leave = [("Joe Bloggs", datetime(2026, 7, 6), datetime(2026, 7, 10))]
    after = generate(roster_path([row()], "after.xlsx", leave=leave), tmp_path / "b",
                     extras=Extras(calendars=True))  # fmt: skip
    old = {str(e["uid"]): e.decoded("dtstart") for e in events_of(before.calendars[0])}
    new = {str(e["uid"]): e.decoded("dtstart") for e in events_of(after.calendars[0])}
    assert set(old) == set(new) and len(old) == 12
    changed = {uid for uid in old if old[uid] != new[uid]}
    assert len(changed) == 1  # only July's meeting (Tuesday 7 July 2026, in the leave)
    [uid] = changed
    assert uid.endswith("-2026-07@supervision-agreements")
    # Friday 3 July: about a month from 2 June and from 4 August (13 July would be 41 days
    # after the June meeting and 22 before August's).
    assert new[uid].date() == date(2026, 7, 3)
    # A second run with the same plan writes the same UIDs.
    again = generate(
        roster_path([row()], "before.xlsx"), tmp_path / "c", extras=Extras(calendars=True)
    )
    assert {str(e["uid"]) for e in events_of(again.calendars[0])} == set(old)


def test_a_meeting_gone_from_the_plan_is_cancelled_and_sequence_rises(roster_path) -> None:
    now = datetime(2026, 2, 1, 9, tzinfo=UTC)
    plain = plan(check_roster(roster_path([row()], "plain.xlsx")))[0]
    first = calendar_bytes(plain.record, plain.schedule, {}, 90, now)
    # Leave all August: August's meeting moves; a fortnightly plan drops none, so drop one
    # meeting from the plan by hand as a shorter agreement would.
    leave = [("Joe Bloggs", datetime(2026, 8, 1), datetime(2026, 8, 31))]
    moved = plan(check_roster(roster_path([row()], "moved.xlsx", leave=leave)))[0]
    shorter = moved.schedule.__class__(moved.schedule.meetings[:-1], moved.schedule.start,
                                       moved.schedule.review, moved.schedule.notes)  # fmt: skip
    later = datetime(2026, 2, 1, 9, 1, tzinfo=UTC)  # a minute later: same clock-based number
    second = calendar_bytes(moved.record, shorter, {}, 90, later, previous=first)
    old = {str(e["uid"]): e for e in Calendar.from_ical(first).walk("VEVENT")}
    new = {str(e["uid"]): e for e in Calendar.from_ical(second).walk("VEVENT")}
    assert set(new) == set(old)
    last_uid = next(uid for uid in old if uid.endswith("-2027-02@supervision-agreements"))
    assert str(new[last_uid]["status"]) == "CANCELLED"
    august = next(uid for uid in old if uid.endswith("-2026-08@supervision-agreements"))
    for uid, event in new.items():
        rises = uid in (last_uid, august)
        assert int(event["sequence"]) == int(old[uid]["sequence"]) + (1 if rises else 0), uid
    # A third run that changes nothing keeps every SEQUENCE.
    third = calendar_bytes(moved.record, shorter, {}, 90, later, previous=second)
    again = {str(e["uid"]): int(e["sequence"]) for e in Calendar.from_ical(third).walk("VEVENT")}
    assert again == {uid: int(e["sequence"]) for uid, e in new.items()}


def test_meeting_without_a_time_is_an_all_day_event(tmp_path: Path, roster_path) -> None:
    roster = roster_path([row(Meeting_time=None)])
    [ics] = generate(roster, tmp_path, extras=Extras(calendars=True)).calendars
    event = events_of(ics)[0]
    assert not isinstance(event.decoded("dtstart"), datetime)
    assert "attendee" not in event
    parsed = read_with_icaljs(ics)
    assert parsed["events"][0]["start"] == "2026-03-03"


def test_schedule_command_prints_dates_without_writing(
    tmp_path: Path, roster_path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    roster = roster_path([row(Nation="Scotland", Start_date=datetime(2026, 11, 2),
                              Meeting_day="last Monday")])  # fmt: skip
    result = CliRunner().invoke(main, ["schedule", str(roster)])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Row 2: Amira Khan, supervised by Joe Bloggs (sefton, Scotland)")
    assert (
        "   1. Friday 27 November 2026, 10:00  (moved from Monday 30 November 2026: Saint "
        "Andrew's Day, a bank holiday in Scotland)" in lines
    )
    assert sum(1 for line in lines if line.startswith("  ") and ". " in line) == 12
    assert not (tmp_path / "output").exists()
