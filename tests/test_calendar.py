"""Calendar files and the schedule command."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

from click.testing import CliRunner
from docx import Document
from icalendar import Calendar

from docgen import generate
from docgen.cli import main

from .conftest import row


def test_ics_per_pair_with_london_times_attendees_and_stable_uids(tmp_path: Path, roster_path) -> None:
    roster = roster_path([row(Supervisee_email="amira.khan@example.gov.uk",
                              Supervisor_email="joe.bloggs@example.gov.uk",
                              Start_date=datetime(2026, 3, 2), Meeting_time=time(10, 0))])  # fmt: skip
    first = generate(roster, tmp_path / "a", calendars=True)
    second = generate(roster, tmp_path / "b", calendars=True)
    [ics] = first.calendars
    assert ics.name == "Amira Khan - supervised by Joe Bloggs - sefton.ics"
    calendar = Calendar.from_ical(ics.read_bytes())
    events = list(calendar.walk("VEVENT"))
    word_rows = Document(str(first.documents[0])).tables[0].rows[1:]
    assert len(events) == len(word_rows) == 12
    start = events[0].decoded("dtstart")
    assert start == datetime(2026, 3, 3, 10, 0, tzinfo=start.tzinfo)
    assert str(start.tzinfo) == "Europe/London"
    assert events[0].decoded("dtend") - start == (datetime(2026, 1, 1, 11, 30) - datetime(2026, 1, 1, 10))
    summer = next(e for e in events if e.decoded("dtstart").month == 7)
    assert summer.decoded("dtstart").utcoffset().total_seconds() == 3600  # British Summer Time
    assert any(c.name == "VTIMEZONE" for c in calendar.walk())
    attendees = sorted(str(a) for a in events[0].get("attendee"))
    assert attendees == ["mailto:amira.khan@example.gov.uk", "mailto:joe.bloggs@example.gov.uk"]
    again = Calendar.from_ical(second.calendars[0].read_bytes())
    assert [str(e["uid"]) for e in events] == [str(e["uid"]) for e in again.walk("VEVENT")]
    assert len({str(e["uid"]) for e in events}) == 12


def test_meeting_without_a_time_is_an_all_day_event(tmp_path: Path, roster_path) -> None:
    roster = roster_path([row(Meeting_time=None)])
    [ics] = generate(roster, tmp_path, calendars=True).calendars
    event = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")[0]
    assert not isinstance(event.decoded("dtstart"), datetime)
    assert "attendee" not in event


def test_schedule_command_prints_dates_without_writing(tmp_path: Path, roster_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    roster = roster_path([row(Nation="Scotland", Start_date=datetime(2026, 11, 2),
                              Meeting_day="last Monday")])  # fmt: skip
    result = CliRunner().invoke(main, ["schedule", str(roster)])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Row 2: Amira Khan, supervised by Joe Bloggs (sefton, Scotland)")
    assert "   1. Friday 27 November 2026, 10:00  (moved from Monday 30 November 2026: Saint " \
           "Andrew's Day, a bank holiday in Scotland)" in lines
    assert sum(1 for line in lines if line.startswith("  ") and ". " in line) == 12
    assert not (tmp_path / "output").exists()
