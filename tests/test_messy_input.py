"""Rosters as people really have them: each case from the issue, in a real file built here."""

from __future__ import annotations

import hashlib
import re
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from docgen import check_roster, generate
from docgen.cli import main
from docgen.errors import RosterFileError

from .conftest import BASE_ROW, document_text, row, write_roster


def cli(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args))


def edit_sheet_xml(path: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    """Rewrite the first sheet's XML, for what openpyxl cannot write (cached formula values)."""
    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            if info.filename == "xl/worksheets/sheet1.xml":
                data = edit(data.decode()).encode()
            target.writestr(info, data)
    return path


def test_blank_rows_and_columns_and_spaces(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Roster"
    headers = list(BASE_ROW)
    sheet.append([None, *headers[:5], None, *headers[5:]])  # a blank column in the middle
    sheet.append([])
    values = list(BASE_ROW.values())
    values[2] = "\u00a0 Amira   Khan \u00a0"
    sheet.append([None, *values[:5], None, *values[5:]])
    sheet.append([])
    sheet.append([None, *values[:5], None, *values[5:]])
    sheet["D5"] = " Kwame Mensah "
    workbook.save(tmp_path / "r.xlsx")
    checked = check_roster(tmp_path / "r.xlsx")
    assert checked.errors == []
    assert [(r.row, r.supervisee) for r in checked.records] == [
        (3, "Amira   Khan"),
        (5, "Kwame Mensah"),
    ]


def test_formatted_rows_down_to_the_last_row_end_the_table(tmp_path: Path) -> None:
    path = write_roster(tmp_path / "r.xlsx", [row(), row(supervisee="Kwame Mensah")])
    styled = "".join(f'<row r="{n}"><c r="A{n}" s="1"/><c r="C{n}" s="1"/></row>'
                     for n in range(4, 1_048_577))  # fmt: skip
    edit_sheet_xml(path, lambda xml: re.sub(
        r'<dimension ref="[^"]+"/>', '<dimension ref="A1:O1048576"/>',
        xml.replace("</sheetData>", styled + "</sheetData>"),
    ))  # fmt: skip
    checked = check_roster(path)  # benchmarks/roster_read.py measures how long this takes
    assert [r.supervisee for r in checked.records] == ["Amira Khan", "Kwame Mensah"]


def test_names_in_any_script(tmp_path: Path, roster_path) -> None:
    names = ["محمد الأحمد", "王小明", "Zofia Wójcik-Łęcka", "Rhiannon ap Gruffydd", "Ngozi Ọkọnkwọ"]
    roster = roster_path([row(supervisee=name) for name in names])
    result = generate(roster, tmp_path / "out")
    assert len(result.documents) == 5
    for name, document in zip(names, result.documents, strict=True):
        assert document.name.startswith(name)
        assert f"Name Supervisee: {name}" in document_text(document)


def test_dates_in_every_form_and_us_dates_reported(roster_path) -> None:
    roster = roster_path([
        row(Start_date=datetime(2026, 3, 2)),
        row(supervisee="B", Start_date="02/03/2026"),
        row(supervisee="C", Start_date="2 March 2026"),
        row(supervisee="D", Start_date="03/14/2026"),
    ])  # fmt: skip
    checked = check_roster(roster)
    assert {r.start_date.isoformat() for r in checked.records} == {"2026-03-02"}
    assert len(checked.records) == 3
    [problem] = checked.errors
    assert problem.cell == "Roster!I5" and "looks like a US date" in problem.message


def test_formulas_with_and_without_saved_results(roster_path) -> None:
    path = roster_path(
        [row(Start_date="=DATE(2026,3,2)"), row(supervisee="B", Start_date="=DATE(2026,3,2)")]
    )
    workbook = load_workbook(path)
    for cell in ("I2", "I3"):
        workbook["Roster"][cell].number_format = "dd/mm/yyyy"
    workbook.save(path)
    # Excel saves a formula's result beside it; openpyxl cannot, so row 2's is added by hand.
    edit_sheet_xml(path, lambda xml: re.sub(
        r'(<c r="I2"[^>]*>)<f>([^<]*)</f><v\s*/?>(?:</v>)?', r"\1<f>\2</f><v>46083</v>", xml,
    ))  # fmt: skip
    checked = check_roster(path)
    assert [r.supervisee for r in checked.records] == ["Amira Khan"]
    assert checked.records[0].start_date.isoformat() == "2026-03-02"
    [problem] = checked.errors
    assert problem.cell == "Roster!I3"
    assert "formula whose result was not saved" in problem.message
    assert "open the file in Excel and save it" in problem.fix


def test_merged_cells_fill_across_their_rows(tmp_path: Path) -> None:
    path = write_roster(
        tmp_path / "r.xlsx", [row(), row(supervisee="Kwame Mensah", Supervisor=None)]
    )
    workbook = load_workbook(path)
    workbook["Roster"].merge_cells("E2:E3")  # one supervisor for both rows
    workbook.save(path)
    checked = check_roster(path)
    assert checked.errors == []
    assert [r.supervisor for r in checked.records] == ["Joe Bloggs", "Joe Bloggs"]


def test_hidden_rows_are_included_with_a_warning_and_hidden_sheets_skipped(tmp_path: Path) -> None:
    path = write_roster(tmp_path / "r.xlsx", [row(), row(supervisee="Kwame Mensah")])
    workbook = load_workbook(path)
    workbook["Roster"].row_dimensions[3].hidden = True
    workbook["Roster"].title = "Pairs"
    notes = workbook.create_sheet("Old notes", 0)
    notes.append(["Supervisee", "Supervisor"])
    notes.sheet_state = "hidden"
    workbook.save(path)
    checked = check_roster(path)  # no sheet named Roster: the first visible one, not the hidden
    assert [r.supervisee for r in checked.records] == ["Amira Khan", "Kwame Mensah"]
    assert any(p.cell == "Pairs!3" and "hidden in Excel" in p.message for p in checked.warnings)


def test_several_sheets_and_the_sheet_option(tmp_path: Path) -> None:
    path = write_roster(tmp_path / "r.xlsx", [row()], sheet="Team A")
    workbook = load_workbook(path)
    other = workbook.create_sheet("Team B")
    other.append(list(BASE_ROW))
    other.append(list(row(supervisee="Kwame Mensah").values()))
    workbook.save(path)
    assert [r.supervisee for r in check_roster(path).records] == ["Amira Khan"]
    from docgen import Options

    assert [r.supervisee for r in check_roster(path, Options(sheet="team b")).records] == [
        "Kwame Mensah"
    ]
    result = cli("validate", str(path), "--sheet", "Team C")
    assert result.exit_code == 1 and 'has no sheet called "Team C"' in result.stderr
    assert "The sheets are: Team A, Team B" in result.stderr


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1252"])
def test_csv_rosters(tmp_path: Path, encoding: str) -> None:
    text = ("Layout,Supervisee,Supervisor,Role,Start date,Key tasks\r\n"
            "sefton,Siân Müller,Joe Bloggs,Social worker,02/03/2026,"
            "Court work – duty\r\n")  # fmt: skip
    path = tmp_path / "roster.csv"
    path.write_bytes(text.encode(encoding))
    checked = check_roster(path)
    assert checked.errors == []
    [record] = checked.records
    assert record.supervisee == "Siân Müller" and record.key_tasks == "Court work – duty"


@pytest.mark.parametrize(("name", "content", "message"), [
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old Excel 97-2003 workbook"),
    ("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "is password-protected"),
    ("notes.xlsx", b"This is a Word document really\n", "is not an Excel workbook"),
    ("empty.xlsx", b"", "the file is empty"),
])  # fmt: skip
def test_files_that_are_not_rosters(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = cli("validate", str(path))
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


def test_ods_and_missing_files(tmp_path: Path) -> None:
    ods = tmp_path / "roster.ods"
    with zipfile.ZipFile(ods, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    with pytest.raises(RosterFileError, match="OpenDocument spreadsheet"):
        check_roster(ods)
    with pytest.raises(RosterFileError, match="there is no such file"):
        check_roster(tmp_path / "missing.xlsx")


def test_header_only_roster_says_there_is_nothing_to_make(tmp_path: Path) -> None:
    path = write_roster(tmp_path / "r.xlsx", [], headers=list(BASE_ROW))
    result = cli("generate", str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1 and "has a header row but no pairs below it" in result.stderr


def test_starter_workbook_fills_in_and_generates_first_time(tmp_path: Path) -> None:
    path = tmp_path / "team.xlsx"
    assert cli("new-roster", str(path)).exit_code == 0
    assert cli("new-roster", str(path)).exit_code == 1  # never overwrites
    workbook = load_workbook(path)
    sheet = workbook["Roster"]
    assert workbook.sheetnames[:2] == ["Roster", "How to fill this in"]
    assert sheet.freeze_panes == "A2"
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["Layout", "Organisation", "Supervisee"]
    assert "Required." in sheet["C1"].comment.text
    validated = {str(v.sqref).split(":")[0] for v in sheet.data_validations.dataValidation}
    for header in ("Layout", "Role", "Nation", "Newly qualified", "Frequency", "Meeting day"):
        assert f"{sheet.cell(1, headers.index(header) + 1).column_letter}2" in validated
    start = headers.index("Start date") + 1
    assert sheet.cell(10, start).number_format == "dd/mm/yyyy"
    assert str(sheet["C2"].value).startswith("EXAMPLE:")
    # Fill in one row the way a person would in Excel, then generate.
    values = {"Layout": "stoke", "Supervisee": "Chloe Bennett",
              "Supervisee job title": "Social Worker",
              "Supervisor": "Rachel Hughes", "Supervisor job title": "Team Manager",
              "Role": "Social worker", "Start date": datetime(2026, 5, 1), "Meeting day": "Friday",
              "Nation": "England"}  # fmt: skip
    for header, value in values.items():
        sheet.cell(3, headers.index(header) + 1, value)
    workbook.save(path)
    result = generate(path, tmp_path / "out")
    assert [p.name for p in result.documents] == [
        "Chloe Bennett - supervised by Rachel Hughes - stoke.docx"
    ]


def test_problems_report_highlights_and_links_and_leaves_the_roster_alone(tmp_path: Path) -> None:
    path = write_roster(tmp_path / "r.xlsx", [row(), row(Start_date="31/02/2026", Nation="Mars")])
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    report = tmp_path / "problems.xlsx"
    result = cli("validate", str(path), "--report", str(report))
    assert result.exit_code == 3
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    workbook = load_workbook(report)
    assert workbook.sheetnames[0] == "Problems"
    listing = list(workbook["Problems"].iter_rows(values_only=True))
    assert listing[0][:4] == ("Cell", "Column", "Value", "What is wrong")
    assert {r[0] for r in listing[1:]} == {"Roster!I3", "Roster!N3"}
    problems = workbook["Problems"]
    for linked in ("A2", "A3"):  # each problem's own row links to its cell
        assert problems[linked].hyperlink.location or problems[linked].hyperlink.target
    assert problems["A1"].hyperlink is None
    cell = workbook["Roster"]["I3"]
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert "February 2026 has no day 31" in cell.comment.text and "dd/mm/yyyy" in cell.comment.text
    assert workbook["Roster"]["I2"].comment is None
