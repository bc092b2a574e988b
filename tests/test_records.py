"""Checking roster rows: every problem found in one pass, each pinned to its cell."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from docgen import check_roster
from docgen.context import frequency_words
from docgen.pipeline import Options
from docgen.values import (
    BadValue,
    DayPattern,
    parse_duration,
    parse_email,
    parse_time,
    parse_uk_date,
    parse_yes_no,
)

from .conftest import REPO, row


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
    assert (
        'Roster!I3 (Start date): "03/14/2026" looks like a US date (month first); docgen '
        "reads dates as dd/mm/yyyy; did you mean 14/03/2026?"
    ) in text
    assert 'Roster!K3 (Meeting time): "25:00" is not a time' in text
    assert 'Roster!E4 (Supervisor): "Joe Bloggs" is the same person as the supervisee' in text
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
    assert (
        'Roster!P2 (Frequency): "every 6 weeks" is less often than the policy "Children\'s '
        'Services supervision policy" allows: it asks for monthly supervision for this '
        "role"
    ) in errors[0]
    assert "asks for weekly supervision for newly qualified staff" in errors[1]
    assert [r.row for r in checked.records] == [3]


def test_layout_needs_its_columns(roster_path) -> None:
    roster = roster_path([row(Layout="stoke", Supervisor_job_title=None)])
    assert any('(Supervisor job title): is empty, and the "stoke" layout needs it' in p
               for p in problems_of(roster))  # fmt: skip


def test_missing_required_column_is_one_problem_at_the_header(roster_path) -> None:
    roster = roster_path([{k: v for k, v in row().items() if k != "Start date"}])
    assert (
        "roster.xlsx Roster!1 (Start date): the roster has no Start date column; add a "
        'column headed "Start date"' in problems_of(roster)
    )


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
    lines = [
        "sefton,Amira Khan,Joe Bloggs,Social worker,02/03/2026,Court work\n",
        "sefton,Amira Khan,Joe Bloggs,Social worker,02/04/2026,Case\x07load\x0b review\n",
    ]
    roster = tmp_path / "roster.csv"
    roster.write_text(header + "".join(lines), encoding="utf-8")
    checked = check_roster(roster)
    assert checked.errors == []
    warnings = [str(p) for p in checked.warnings]
    assert any("roster!B3 (Supervisee)" in w and "is also on row 2" in w for w in warnings)
    assert any("roster!F3 (Key tasks)" in w and "control characters" in w for w in warnings)
    assert checked.records[1].key_tasks == "Caseload review"


# ---- issue 9: the values and checks each rule depends on --------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    ("12pm", time(12, 0)), ("12am", time(0, 0)), ("12.30pm", time(12, 30)),
    ("12:30am", time(0, 30)), ("1pm", time(13, 0)), ("11am", time(11, 0)),
    (0.4375, time(10, 30)),  # Excel keeps 10:30 as 0.4375 of a day
    (0.5, time(12, 0)), (0.0, time(0, 0)),
    (datetime(1899, 12, 30, 14, 15), time(14, 15)),
])  # fmt: skip
def test_times_including_noon_midnight_and_excel_fractions(value: object, expected: time) -> None:
    assert parse_time(value) == expected


@pytest.mark.parametrize("value", ["10", 10, "13pm", "0am", "24:00", "10:60", "noon"])
def test_not_times(value: object) -> None:
    with pytest.raises(BadValue, match="is not a time"):
        parse_time(value)


@pytest.mark.parametrize(("value", "minutes"), [
    (10, 10), (480, 480), ("8 hours", 480), ("10 minutes", 10), ("90", 90),
    ("1h 30m", 90), (90.0, 90),
])  # fmt: skip
def test_meeting_lengths_from_10_minutes_to_8_hours(value: object, minutes: int) -> None:
    assert parse_duration(value) == minutes


@pytest.mark.parametrize("value", [9, 481, "9 minutes", "8 hours 1 minute", 0, ""])
def test_meeting_lengths_outside_the_bounds(value: object) -> None:
    with pytest.raises(BadValue):
        parse_duration(value)


@pytest.mark.parametrize(("value", "expected"), [
    ("Yes", True), ("y", True), ("TRUE", True), ("No", False), ("n", False), ("", False),
    (True, True), (False, False), ("NQSW", True), ("ASYE", True),
])  # fmt: skip
def test_yes_no(value: object, expected: bool) -> None:
    assert parse_yes_no(value) is expected


@pytest.mark.parametrize("value", ["Yse", "maybe", "Noo"])
def test_a_mistyped_yes_is_reported_not_read_as_no(value: str) -> None:
    with pytest.raises(BadValue, match="is not Yes or No"):
        parse_yes_no(value)


def test_yse_in_the_roster_is_a_problem_in_its_cell(roster_path) -> None:
    problems = problems_of(roster_path([row(Newly_qualified="Yse")]))
    assert any('Roster!H2 (Newly qualified): "Yse" is not Yes or No; write Yes or No' in p
               for p in problems)  # fmt: skip


@pytest.mark.parametrize(("value", "expected"), [
    ("amira.khan@example.gov.uk", "amira.khan@example.gov.uk"),
    ("mailto:joe@example.org", "joe@example.org"), ("MAILTO:joe@example.org", "joe@example.org"),
])  # fmt: skip
def test_email_addresses(value: str, expected: str) -> None:
    assert parse_email(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "amira.khan",
        "amira@example",
        "a b@example.gov.uk",
        "a@@example.gov.uk",
        "@example.gov.uk",
        "amira@",
    ],
)
def test_not_email_addresses(value: str) -> None:
    with pytest.raises(BadValue, match="is not an email address"):
        parse_email(value)


@pytest.mark.parametrize(
    "value",
    ["31/12/9999", "01/01/0001", "01/01/1899", "2101-01-01", datetime(9999, 12, 31), date(1, 1, 1)],
)
def test_dates_outside_1900_to_2100_are_reported(value: object) -> None:
    with pytest.raises(BadValue, match="the year must be 1900 to 2100"):
        parse_uk_date(value)


@pytest.mark.parametrize("value", ["01/01/1900", "31/12/2100"])
def test_dates_at_the_ends_of_the_range_are_accepted(value: str) -> None:
    assert parse_uk_date(value).year in (1900, 2100)


@pytest.mark.parametrize("start", ["31/12/9999", "01/01/0001"])
def test_a_start_the_schedule_cannot_count_from_is_a_cell_problem(roster_path, start: str) -> None:
    checked = check_roster(roster_path([row(Start_date=start)]))
    [problem] = checked.errors
    assert str(problem).startswith(
        f'roster.xlsx Roster!I2 (Start date): "{start}" is not a '
        "date docgen can plan from (the year must be 1900 to 2100)"
    )
    assert checked.records == ()


def test_empty_started_in_post_means_the_start_date(roster_path) -> None:
    checked = check_roster(roster_path([row(Newly_qualified="Yes", Started_in_post=None)]))
    [record] = checked.records
    assert record.started_in_post == date(2026, 3, 2)
    not_newly = check_roster(roster_path([row(Started_in_post=datetime(2026, 1, 5))], "b.xlsx"))
    assert not_newly.records[0].started_in_post is None


def test_an_empty_nation_is_england(roster_path) -> None:
    [record] = check_roster(roster_path([row(Nation=None)])).records
    assert record.nation == "England"


def test_newly_qualified_long_in_post_is_warned_and_planned_monthly(roster_path) -> None:
    checked = check_roster(roster_path([row(Newly_qualified="Yes",
                                            Started_in_post=datetime(2023, 9, 4))]))  # fmt: skip
    [warning] = checked.warnings
    assert str(warning) == (
        'warning: roster.xlsx Roster!P2 (Started in post): "04/09/2023" is more than 12 months '
        "before the start date, so the newly qualified frequencies ended on 04/09/2024; the "
        "schedule follows the role's frequency; check the date, or write No in Newly qualified"
    )
    [record] = checked.records
    assert frequency_words(record, checked.policies["sefton"]) == "monthly"


def test_a_duration_under_the_policys_minimum_is_a_warning(tmp_path, roster_path) -> None:
    policy = tmp_path / "standard.toml"
    policy.write_text((REPO / "docgen" / "policies" / "employer-standards.toml")
                      .read_text(encoding="utf-8"), encoding="utf-8")  # fmt: skip
    roster = roster_path([row(Duration=60), row(Duration=90, Supervisee="Ben Ode")])
    checked = check_roster(roster, Options(policy=policy))
    assert [str(w) for w in checked.warnings] == [
        'warning: roster.xlsx Roster!L2 (Duration): "60" is shorter than the policy "Standards '
        'for employers of social workers in England" asks: at least 1 hour 30 minutes; write 90 '
        "or more, or leave it empty"
    ]
    assert len(checked.records) == 2


def test_leave_for_a_name_like_a_supervisors_is_an_error_with_a_suggestion(roster_path) -> None:
    roster = roster_path([row(Supervisor="Pat Test")], leave=[
        ("Pat Test", datetime(2026, 8, 3), datetime(2026, 8, 7)),
        ("Pat Tset", datetime(2026, 9, 7), datetime(2026, 9, 11)),
        ("Sam Other", datetime(2026, 9, 7), datetime(2026, 9, 11)),
    ])  # fmt: skip
    checked = check_roster(roster)
    assert [str(p) for p in checked.errors] == [
        'roster.xlsx Leave!A3 (Supervisor): "Pat Tset" is not a supervisor in the roster; did '
        "you mean Pat Test?"
    ]
    assert [str(p) for p in checked.warnings] == [
        'warning: roster.xlsx Leave!A4 (Supervisor): "Sam Other" is not a supervisor in the '
        "roster, so this leave is not used; write the supervisor's name as on the Roster sheet"
    ]


@pytest.mark.parametrize(("started", "warned"), [
    (datetime(2025, 3, 2), True),  # 12 months in post on the start itself: no longer
    (datetime(2025, 3, 3), False),  # still newly qualified on the start
])  # fmt: skip
def test_newly_qualified_ends_at_twelve_months_to_the_day(roster_path, started, warned) -> None:
    checked = check_roster(roster_path([row(Newly_qualified="Yes", Started_in_post=started)]))
    assert bool(checked.warnings) == warned


def test_a_frequency_only_row_long_in_post_names_the_frequency(roster_path) -> None:
    checked = check_roster(roster_path([row(Role=None, Frequency="fortnightly",
                                            Newly_qualified="Yes",
                                            Started_in_post=datetime(2023, 9, 4))]))  # fmt: skip
    [warning] = checked.warnings
    assert "the schedule follows the Frequency's frequency" in str(warning)


def test_frequency_below_the_newly_qualified_minimum_is_exact(roster_path) -> None:
    checked = check_roster(roster_path([row(Newly_qualified="Yes", Frequency="monthly",
                                            Started_in_post=datetime(2026, 1, 5))]))  # fmt: skip
    [error] = checked.errors
    assert str(error) == (
        'roster.xlsx Roster!P2 (Frequency): "monthly" is less often than the policy '
        '"Children\'s Services supervision policy" allows: it asks for fortnightly supervision '
        "for newly qualified staff at this point; write fortnightly or more often, or leave "
        "Frequency empty"
    )


@pytest.mark.parametrize(("minimum", "words"), [
    (60, "1 hour"), (120, "2 hours"), (100, "1 hour 40 minutes"), (45, "45 minutes"),
])  # fmt: skip
def test_the_minimum_length_in_words(tmp_path, roster_path, minimum: int, words: str) -> None:
    policy = tmp_path / "p.toml"
    policy.write_text(f"minimum_meeting_minutes = {minimum}\n" + (
        REPO / "docgen" / "policies" / "default.toml").read_text(encoding="utf-8"),
        encoding="utf-8")  # fmt: skip
    checked = check_roster(roster_path([row(Duration=minimum - 1),
                                        row(Duration=minimum, Supervisee="B C")]),
                           Options(policy=policy))  # fmt: skip
    [warning] = checked.warnings
    assert f"asks: at least {words}; write {minimum} or more" in str(warning)


def test_leave_sheet_names_match_ignoring_case(roster_path) -> None:
    roster = roster_path([row(Supervisor="Pat Test")], leave=[
        ("pat test", datetime(2026, 8, 3), datetime(2026, 8, 7)),
        ("Pat", datetime(2026, 9, 7), datetime(2026, 9, 11)),
    ])  # fmt: skip
    checked = check_roster(roster)
    assert checked.errors == []
    assert [p.cell for p in checked.warnings] == ["Leave!A3"]
    assert checked.records[0].leave[0].start == date(2026, 8, 3)


def test_each_row_problem_word_for_word(roster_path) -> None:
    roster = roster_path([
        row(Layout=None),
        row(Supervisor=None),
        row(Start_date=None),
        row(Started_in_post=datetime(2026, 4, 1), Newly_qualified="Yes"),
        row(Role=None),
        row(supervisee="Joe Bloggs"),
    ], leave=[
        ("Joe Bloggs", "soon", datetime(2026, 8, 7)),
        ("Joe Bloggs", datetime(2026, 8, 7), "31/02/2026"),
        (None, datetime(2026, 8, 3), datetime(2026, 8, 7)),
        ("Joe Bloggs", datetime(2026, 8, 7), datetime(2026, 8, 3)),
    ])  # fmt: skip
    problems = [str(p) for p in check_roster(roster).problems]
    policy_roles = (
        "Strategic manager, Service manager, Team manager, Practice manager, Social "
        "worker, Family support worker, Early help practitioner, Personal adviser"
    )
    assert problems == [
        "roster.xlsx Roster!A2 (Layout): is empty; write a layout name (see `docgen templates`), "
        "or give --template to choose one for every empty Layout cell",
        "roster.xlsx Roster!E3 (Supervisor): is empty; fill in the Supervisor",
        "roster.xlsx Roster!I4 (Start date): is empty; fill in the Start date",
        'roster.xlsx Roster!P5 (Started in post): "01/04/2026" is after the agreement\'s start '
        "date; check both dates; someone starts in post before their agreement starts",
        "roster.xlsx Roster!G6 (Role): is empty, so docgen cannot tell how often supervision is "
        f"due; write a role from the policy ({policy_roles}), or fill in Frequency",
        'roster.xlsx Roster!E7 (Supervisor): "Joe Bloggs" is the same person as the '
        "supervisee; write the supervising manager's name",
        'roster.xlsx Leave!B2 (From): "soon" is not a date; write it as dd/mm/yyyy, for example '
        "03/03/2026",
        'roster.xlsx Leave!C3 (To): "31/02/2026" is not a date: February 2026 has no day 31; '
        "write it as dd/mm/yyyy, for example 03/03/2026",
        "roster.xlsx Leave!4 (Supervisor): leave with no supervisor named; write the "
        "supervisor's name as on the Roster sheet",
        'roster.xlsx Leave!C5 (To): "03/08/2026" is before the From date; swap the two dates',
    ]
    rows = [p.row for p in check_roster(roster).problems]
    assert rows == [2, 3, 4, 5, 6, 7, 2, 3, 4, 5]


def test_every_column_reaches_the_record(roster_path) -> None:
    [record] = check_roster(roster_path([row(
        Supervisee_email="amira.khan@example.gov.uk", Supervisor_email="mailto:joe@example.org",
        Meeting_day="2nd Tuesday", Nation="Wales", Frequency="weekly",
        Newly_qualified="Yes", Started_in_post=datetime(2026, 2, 2),
    )])).records  # fmt: skip
    assert (record.supervisee_email, record.supervisor_email) == (
        "amira.khan@example.gov.uk",
        "joe@example.org",
    )
    assert (record.organisation, record.supervisee_job_title, record.supervisor_job_title) == (
        "Sefton Council",
        "Social Worker",
        "Team Manager",
    )
    assert (record.location, record.key_tasks, record.nation) == (
        "Bootle Town Hall",
        "Child protection caseload",
        "Wales",
    )
    assert record.meeting_day == DayPattern(1, 2)
    assert (record.meeting_time, record.duration_minutes) == (time(10, 0), 90)
    assert (record.row, record.ref, record.layout, record.role) == (
        2,
        "Roster!2",
        "sefton",
        "Social worker",
    )
    assert (record.newly_qualified, record.started_in_post) == (True, date(2026, 2, 2))
    assert record.frequency is not None and record.frequency.words == "weekly"
    assert record.role_frequency.words == "monthly"
    blank = check_roster(roster_path([row(Organisation=None, Location=None)], "b.xlsx"))
    assert (blank.records[0].organisation, blank.records[0].location) == ("", "")
    assert (blank.records[0].supervisee_email, blank.records[0].meeting_time) == ("", time(10))


def test_a_frequency_alone_is_enough_without_a_role(roster_path) -> None:
    [record] = check_roster(roster_path([row(Role=None, Frequency="every 4 weeks")])).records
    assert record.role == "" and record.role_frequency.words == "every 4 weeks"


def test_layout_from_the_template_option_and_bad_layouts(roster_path) -> None:
    roster = roster_path([row(Layout=None), row(Layout="Leeds", Supervisee="B C")])
    checked = check_roster(roster, Options(template="stoke"))
    assert [r.layout for r in checked.records] == ["stoke"]
    assert [str(p) for p in checked.errors] == [
        'roster.xlsx Roster!A3 (Layout): "Leeds" is not an installed layout; write one of: '
        "contract, safeguarding, sefton, stoke"
    ]
