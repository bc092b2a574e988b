"""End to end through the command line: a roster in, real Word agreements and a manifest out."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from docgen import __version__
from docgen.cli import main
from docgen.errors import EXIT_ROSTER_PROBLEMS

from .conftest import EXAMPLE_ROSTER, assert_in_order, document_text, row

TRICKY_NAME = "Siân O'Neill-Ó Súilleabháin & <Co>"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_example_roster_makes_one_agreement_per_row(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _, err = run("generate", str(EXAMPLE_ROSTER), "--out", str(out))
    assert code == 0, err
    roster = load_workbook(EXAMPLE_ROSTER)["Roster"]
    expected_rows = roster.max_row - 1
    documents = sorted(out.glob("*.docx"))
    assert len(documents) == expected_rows >= 12
    assert f"Made {expected_rows} agreements" in err
    for document in documents:
        text = "\n".join(document_text(document))
        assert "{{" not in text and "{%" not in text and "None" not in text, document.name
    manifest = load_workbook(out / "manifest.xlsx")["Agreements"]
    rows = list(manifest.iter_rows(values_only=True))
    header = rows[0]
    for column in ("Supervisee", "Supervisor", "Layout", "File", "Status", "Start date",
                   "Review date", "Made", "Pair key", "Input fingerprint"):  # fmt: skip
        assert column in header
    assert len(rows) - 1 == expected_rows
    for values in rows[1:]:
        record = dict(zip(header, values, strict=True))
        assert (out / record["File"]).exists()
        assert record["Status"] == "made"
        assert isinstance(record["Start date"], datetime)  # a real Excel date


def test_sefton_agreement_has_names_schedule_and_escaped_text(tmp_path: Path, roster_path) -> None:
    roster = roster_path([
        row(supervisee=TRICKY_NAME, Key_tasks="Court work {{ supervisor }} and {% if x %}"),
    ])  # fmt: skip
    out = tmp_path / "out"
    code, _, err = run("generate", str(roster), "--out", str(out))
    assert code == 0, err
    [document] = list(out.glob("*.docx"))
    lines = document_text(document)
    assert f"Name Supervisee: {TRICKY_NAME}" in lines
    assert "Name Supervisor/Manager: Joe Bloggs" in lines
    assert "Court work {{ supervisor }} and {% if x %}" in lines  # printed, never evaluated
    table = Document(str(document)).tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Month", "Date"]
    meetings = table.rows[1:]
    assert len(meetings) == 12
    assert meetings[0].cells[0].text == "March 2026"
    assert meetings[0].cells[1].text == "Tuesday 3 March 2026, 10:00"
    months = [r.cells[0].text for r in meetings]
    assert len(set(months)) == 12
    for r in meetings:
        assert re.fullmatch(r"Tuesday \d{1,2} \w+ 20\d\d, 10:00", r.cells[1].text)


def test_sefton_layout_keeps_the_seed_order_and_visible_blanks(tmp_path: Path, roster_path) -> None:
    roster = roster_path([row(Location=None)])
    out = tmp_path / "out"
    assert run("generate", str(roster), "--out", str(out))[0] == 0
    [document] = list(out.glob("*.docx"))
    lines = document_text(document)
    assert_in_order(lines, [
        "SEFTON COUNCIL CHILDREN’S SERVICES SUPERVISION AGREEMENT",
        "Name Supervisee: Amira Khan",
        "KEY TASKS OF SUPERVISEE:",
        "Child protection caseload",
        "MANDATE FOR SUPERVISION:",
        "a) To ensure that the supervisee carries out",
        "e) Provide both regular constructive feedback",
        "FORMAT OF SUPERVISION:",
        "The frequency of supervision will be monthly.",
        "The supervision meeting will last for a minimum of: 1 hour 30 minutes",
        "Method of recording the session will be by ………",
        "Performance Management discussions to include:",
        "Professional Development discussions",
        "Welfare/Support Issues",
        "Auditing of Practice (if applicable):",
        "Expectations of Supervision:",
        "a) What I want from you as my supervisor …",
        "f) As the supervisee I am responsible for …",
        "ANY OTHER ISSUES",
        "Disagreements",
        "Dates of Supervision Meetings (next 12 months):",
        "Month | Date",
        "Parties to the Contract:",
        "Supervisee | Amira Khan",
        "Supervisor | Joe Bloggs",
        "Date of Review: 2 March 2027",
        "It must also be reviewed when there is a change of supervisor.",
    ])  # fmt: skip
    document_xml = Document(str(document))
    styles = {p.style.name for p in document_xml.paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "List Bullet", "List Number"} <= styles
    header_row = document_xml.tables[0].rows[0]._tr
    assert header_row.find(".//{*}tblHeader") is not None


def test_invalid_roster_writes_nothing_and_names_every_cell(tmp_path: Path, roster_path) -> None:
    roster = roster_path([
        row(),
        row(supervisee="Kwame Mensah", Start_date="31/02/2026"),
        row(supervisee="Chloe Bennett", Nation="Wakanda", Meeting_day="Sunday"),
    ])  # fmt: skip
    out = tmp_path / "out"
    code, _, err = run("generate", str(roster), "--out", str(out))
    assert code == EXIT_ROSTER_PROBLEMS
    assert not out.exists()
    assert (
        'roster.xlsx Roster!I3 (Start date): "31/02/2026" is not a date: February 2026 has no '
        "day 31; write it as dd/mm/yyyy" in err
    )
    assert 'Roster!N4 (Nation): "Wakanda" is not a UK nation' in err
    assert 'Roster!J4 (Meeting day): "Sunday" is a weekend day' in err
    assert "3 problems in 2 rows" in err
    assert "Traceback" not in err


def test_valid_rows_only_makes_the_good_rows(tmp_path: Path, roster_path) -> None:
    roster = roster_path([row(), row(supervisee="Kwame Mensah", Start_date="31/02/2026")])
    out = tmp_path / "out"
    code, _, err = run("generate", str(roster), "--out", str(out), "--valid-rows-only")
    assert code == 0, err
    assert [p.name for p in out.glob("*.docx")] == [
        "Amira Khan - supervised by Joe Bloggs - sefton.docx"
    ]
    assert "Skipped 1 row(s) with problems: 3" in err


def test_same_names_get_unique_predictable_files(tmp_path: Path, roster_path) -> None:
    roster = roster_path(
        [
            row(),
            row(Start_date=datetime(2026, 4, 1)),
            row(supervisee="AMIRA KHAN", Start_date=datetime(2026, 5, 1)),
        ]
    )
    out = tmp_path / "out"
    assert run("generate", str(roster), "--out", str(out))[0] == 0
    names = sorted(p.name for p in out.glob("*.docx"))
    assert names == [
        "AMIRA KHAN - supervised by Joe Bloggs - sefton (row 4).docx",
        "Amira Khan - supervised by Joe Bloggs - sefton (row 2).docx",
        "Amira Khan - supervised by Joe Bloggs - sefton (row 3).docx",
    ]


def test_template_option_fills_empty_layout_cells(tmp_path: Path, roster_path) -> None:
    roster = roster_path([row(Layout=None)])
    code, _, err = run("validate", str(roster))
    assert code == EXIT_ROSTER_PROBLEMS and "(Layout): is empty" in err
    code, _, err = run("generate", str(roster), "--out", str(tmp_path / "o"), "--template", "stoke")
    assert code == 0, err
    assert [p.name for p in (tmp_path / "o").glob("*.docx")][0].endswith("stoke.docx")


def test_unknown_template_option_is_a_clear_error(roster_path) -> None:
    code, _, err = run("generate", str(roster_path([row()])), "--template", "leeds")
    assert code == 4
    assert 'Error: there is no layout called "leeds"' in err and "sefton" in err


def test_version_help_and_module_entry() -> None:
    assert run("--version")[1].strip() == f"docgen, version {__version__}"
    for command in ("generate", "validate", "templates"):
        code, out, _ = run(command, "--help")
        assert code == 0 and "Usage:" in out


def test_missing_roster_file_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    code, _, err = run("validate", str(tmp_path / "nope.xlsx"))
    assert code == 1
    assert (
        err.strip()
        == f"Error: {tmp_path / 'nope.xlsx'}: there is no such file. Check the name and folder"
    )
