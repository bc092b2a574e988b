"""Checking roster rows: every problem found in one pass, each pinned to its cell."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from docgen import check_roster
from docgen.values import BadValue, parse_duration, parse_time, parse_uk_date

from .conftest import row


def problems_of(roster) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(p) for p in check_roster(roster).problems]


@pytest.mark.parametrize(("value", "expected"), [
    (datetime(2026, 3, 3, 0, 0), date(2026, 3, 3)),
    ("03/04/2026", date(2026, 4, 3)),
    ("3/4/2026", date(2026, 4, 3)),
    ("03.04.2026", date(2026, 4, 3)),
    ("3 March 2026", date(2026, 3, 3)),
    ("Tuesday 3 March 2026", date(2026, 3, 3)),
    ("3rd Mar 2026", date(2026, 3, 3)),
    ("29/02/2028", date(2028, 2, 29)),
    ("2026-03-03", date(2026, 3, 3)),
])  # fmt: skip
def test_uk_dates(value: object, expected: date) -> None:
    assert parse_uk_date(value) == expected


@pytest.mark.parametrize(("value", "message"), [
    ("03/14/2026", "looks like a US date"),
    ("29/02/2026", "February 2026 has no day 29"),
    ("03/03/26", "two-digit year"),
    ("next Tuesday", "is not a date"),
    (46000, "is a number, not a date"),
])  # fmt: skip
def test_bad_dates_are_reported_never_guessed(value: object, message: str) -> None:
    with pytest.raises(BadValue, match=message):
        parse_uk_date(value)


def test_times_and_durations() -> None:
    assert parse_time("2pm") == time(14, 0)
    assert parse_time("14.30") == time(14, 30)
    assert parse_time(time(9, 30)) == time(9, 30)
    assert parse_duration("1 hour 30 minutes") == 90
    assert parse_duration("1.5 hours") == 90
    assert parse_duration(45) == 45
    with pytest.raises(BadValue):
        parse_duration("all afternoon")


def test_every_problem_in_one_pass_with_cell_references(roster_path) -> None:
    roster = roster_path([
        row(Supervisee=None),
        row(Start_date="03/14/2026", Meeting_time="25:00"),
        row(supervisee="Joe Bloggs"),
        row(Role="Wizard"),
        row(Layout="leeds"),
    ])  # fmt: skip
    text = "\n".join(problems_of(roster))
    assert "roster.xlsx Roster!C2 (Supervisee): is empty; fill in the Supervisee" in text
    assert ('Roster!I3 (Start date): "03/14/2026" looks like a US date (month first); docgen '
            "reads dates as dd/mm/yyyy; did you mean 14/03/2026?") in text
    assert 'Roster!K3 (Meeting time): "25:00" is not a time' in text
    assert "Roster!E4 (Supervisor): \"Joe Bloggs\" is the same person as the supervisee" in text
    assert 'Roster!G5 (Role): "Wizard" is not a role in the policy' in text
    assert "Social worker" in text and "Personal adviser" in text
    assert 'Roster!A6 (Layout): "leeds" is not an installed layout; write one of: contract' in text


def test_a_frequency_below_the_policy_minimum_names_the_rule(roster_path) -> None:
    roster = roster_path([
        row(Frequency="every 6 weeks"),
        row(Frequency="fortnightly"),  # more often than monthly: allowed
        row(Newly_qualified="Yes", Started_in_post=datetime(2026, 3, 2), Frequency="fortnightly"),
    ])  # fmt: skip
    checked = check_roster(roster)
    errors = [str(p) for p in checked.errors]
    assert len(errors) == 2
    assert ('Roster!P2 (Frequency): "every 6 weeks" is less often than the policy "Children\'s '
            "Services supervision policy\" allows: it asks for monthly supervision for this "
            "role") in errors[0]
    assert "asks for weekly supervision for newly qualified staff" in errors[1]
    assert [r.row for r in checked.records] == [3]


def test_layout_needs_its_columns(roster_path) -> None:
    roster = roster_path([row(Layout="stoke", Supervisor_job_title=None)])
    assert any('(Supervisor job title): is empty, and the "stoke" layout needs it' in p
               for p in problems_of(roster))  # fmt: skip


def test_missing_required_column_is_one_problem_at_the_header(roster_path) -> None:
    roster = roster_path([{k: v for k, v in row().items() if k != "Start date"}])
    assert "roster.xlsx Roster!1 (Start date): the roster has no Start date column; add a " \
           'column headed "Start date"' in problems_of(roster)


def test_headers_match_ignoring_case_spacing_and_aliases(roster_path) -> None:
    base = row()
    renamed = {
        "  LAYOUT ": base["Layout"], "Name of Supervisee": base["Supervisee"],
        "line_manager": base["Supervisor"], "start-date": base["Start date"],
        "ROLE": base["Role"], "Key Tasks": base["Key tasks"],
    }  # fmt: skip
    checked = check_roster(roster_path([renamed], title_rows=["Supervision roster 2026", ""]))
    assert checked.errors == []
    [record] = checked.records
    assert (record.supervisee, record.supervisor, record.row) == ("Amira Khan", "Joe Bloggs", 4)


def test_duplicates_warn_and_control_characters_are_cleaned(tmp_path) -> None:
    # Excel will not save control characters, but other systems' CSV exports carry them.
    header = "Layout,Supervisee,Supervisor,Role,Start date,Key tasks\n"
    lines = ["sefton,Amira Khan,Joe Bloggs,Social worker,02/03/2026,Court work\n",
             "sefton,Amira Khan,Joe Bloggs,Social worker,02/04/2026,Case\x07load\x0b review\n"]
    roster = tmp_path / "roster.csv"
    roster.write_text(header + "".join(lines), encoding="utf-8")
    checked = check_roster(roster)
    assert checked.errors == []
    warnings = [str(p) for p in checked.warnings]
    assert any("roster!B3 (Supervisee)" in w and "is also on row 2" in w for w in warnings)
    assert any("roster!F3 (Key tasks)" in w and "control characters" in w for w in warnings)
    assert checked.records[1].key_tasks == "Caseload review"
