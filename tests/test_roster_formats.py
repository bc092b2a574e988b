"""Rosters as other programs save them (issue 10, point 6): each file is built here byte by
byte, as Excel, LibreOffice or another program writes it, then read, checked and generated."""

from __future__ import annotations

import zipfile
from datetime import date, datetime, time
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from docgen import check_roster, generate
from docgen.cli import main
from docgen.policy import DEFAULT_POLICY, load_policy
from docgen.records import LayoutRules, build_records
from docgen.roster import decode_escapes, read_roster

from .conftest import document_text, row, write_roster

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEADERS = ["Layout", "Supervisee", "Supervisor", "Role", "Start date", "Key tasks"]


def cli(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args))


def excel_workbook(path: Path, rows: list[list[str]]) -> Path:
    """A workbook as Excel saves one: every text in the shared strings table, written
    exactly as given (escapes and all), the cells pointing at it by number. No styles
    part, as some programs write none."""
    strings: list[str] = []
    sheet_rows = []
    for number, values in enumerate(rows, start=1):
        cells = []
        for column, text in zip("ABCDEFGHIJ", values, strict=False):
            if text not in strings:
                strings.append(text)
            cells.append(f'<c r="{column}{number}" t="s"><v>{strings.index(text)}</v></c>')
        sheet_rows.append(f'<row r="{number}">{"".join(cells)}</row>')
    declaration = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{OFFICE}"><sheets>'
            '<sheet name="Roster" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{RELS}">'
            f'<Relationship Id="rId1" Type="{OFFICE}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{OFFICE}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{MAIN}"><sheetData>{"".join(sheet_rows)}</sheetData></worksheet>'
        ),
        "xl/sharedStrings.xml": (
            f'<sst xmlns="{MAIN}" count="{len(strings)}" uniqueCount="{len(strings)}">'
            + "".join(f'<si><t xml:space="preserve">{text}</t></si>' for text in strings)
            + "</sst>"
        ),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            archive.writestr(name, declaration + xml)
    return path


# ---- _xHHHH_: what Excel and LibreOffice write for characters XML cannot hold -----------


def test_a_pasted_control_character_saved_as_x000B_is_read_cleaned_and_warned(
    tmp_path: Path,
) -> None:
    # A vertical tab (Word's line break) pasted into a name: Excel writes _x000B_, the
    # issue's file had _x000b_. Excel writes a line break typed as CR LF as _x000D_ and LF.
    path = excel_workbook(tmp_path / "roster.xlsx", [
        HEADERS,
        ["sefton", "Ann_x000B_Able", "Joe Bloggs", "Social worker", "02/03/2026", "Court work"],
        ["sefton", "Kwame_x000b_Mensah", "Joe Bloggs", "Social worker", "02/03/2026",
         "Court work_x000D_\nDuty"],
    ])  # fmt: skip
    checked = check_roster(path)
    assert checked.errors == []
    assert [r.supervisee for r in checked.records] == ["Ann Able", "Kwame Mensah"]
    assert checked.records[1].key_tasks == "Court work\nDuty"
    assert [(p.cell, p.severity) for p in checked.problems] == [
        ("Roster!B2", "warning"), ("Roster!B3", "warning"),
    ]  # fmt: skip
    assert "invisible control characters" in checked.problems[0].message

    result = cli("validate", str(path))
    assert result.exit_code == 0
    assert "roster.xlsx Roster!B2 (Supervisee)" in result.stderr
    assert "control characters" in result.stderr and "_x000" not in result.stderr

    made = generate(path, tmp_path / "out")
    names = sorted(p.name for p in made.documents)
    assert names == ["Ann Able - supervised by Joe Bloggs - sefton.docx",
                     "Kwame Mensah - supervised by Joe Bloggs - sefton.docx"]  # fmt: skip
    text = "\n".join(document_text(made.documents[0]))
    assert "Ann Able" in text and "_x00" not in text


def test_text_typed_as_an_escape_stays_as_typed(tmp_path: Path) -> None:
    # Excel writes a typed "_x000B_" with its underscore escaped: _x005F_x000B_. openpyxl
    # drops every "x005F_" from shared strings, which made it read as the escape itself.
    path = excel_workbook(tmp_path / "roster.xlsx", [
        HEADERS,
        ["sefton", "Amira Khan", "Joe Bloggs", "Social worker", "02/03/2026",
         "Explain the code _x005F_x000B_ to staff"],
        ["sefton", "Kwame Mensah", "Joe Bloggs", "Social worker", "02/03/2026",
         "Report ref x005F_1"],
    ])  # fmt: skip
    checked = check_roster(path)
    assert checked.problems == ()
    assert [r.key_tasks for r in checked.records] == [
        "Explain the code _x000B_ to staff", "Report ref x005F_1",
    ]  # fmt: skip


def test_escapes_in_cells_written_inline_are_read_too(roster_path) -> None:
    # openpyxl (and other libraries) write text into the cell itself, escapes unchanged.
    path = roster_path([row(supervisee="Ann_x000B_Able")])
    assert b"Ann_x000B_Able" in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    checked = check_roster(path)
    assert [r.supervisee for r in checked.records] == ["Ann Able"]
    assert [p.cell for p in checked.warnings] == ["Roster!C2"]


@pytest.mark.parametrize(("stored", "shown"), [
    ("Ann_x000B_Able", "Ann\x0bAble"),
    ("Ann_x000b_Able", "Ann\x0bAble"),
    ("_x005F_x000B_", "_x000B_"),
    ("a_x005F_b", "a_b"),
    ("_x0041__x0042_", "AB"),
    ("_xD83D__xDE00_", "\U0001f600"),  # one character beyond U+FFFF, as its two halves
    ("_xD83D_ alone", "\ufffd alone"),
    ("_x00GG_ and _x41_", "_x00GG_ and _x41_"),  # not escapes
])  # fmt: skip
def test_escapes_read_as_the_open_xml_standard_says(stored: str, shown: str) -> None:
    assert decode_escapes(stored) == shown


# ---- CSV as Excel and other programs save it ------------------------------------------

CSV_HEADER = b"Layout,Supervisee,Supervisor,Role,Start date,Key tasks"


def csv_roster(tmp_path: Path, data: bytes, name: str = "roster.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("bom", [b"\xef\xbb\xbf", b""])
def test_csv_doubled_quotes_as_excel_writes_them(tmp_path: Path, bom: bytes) -> None:
    # The row: a dialect sniffer took the lone quoted cell for one without doubled
    # quotes, and printed Khan, Amira "Amy""".
    path = csv_roster(tmp_path, bom + CSV_HEADER + b"\r\n"
                      b'sefton,"Khan, Amira ""Amy""",Joe Bloggs,Social worker,02/03/2026,'
                      b"Court work\r\n")  # fmt: skip
    checked = check_roster(path)
    assert checked.problems == ()
    assert [(r.supervisee, r.key_tasks) for r in checked.records] == [
        ('Khan, Amira "Amy"', "Court work"),
    ]  # fmt: skip
    path.write_bytes(bom + CSV_HEADER + b"\r\n"
                     b"sefton,Kwame Mensah,Joe Bloggs,Social worker,02/03/2026,"
                     b'"""Duty"" weeks, visits"\r\n')  # fmt: skip
    assert [r.key_tasks for r in check_roster(path).records] == ['"Duty" weeks, visits']


def test_csv_from_excel_for_mac_with_cr_line_ends_and_mac_roman(tmp_path: Path) -> None:
    # Excel for Mac's "Comma Separated Values": Mac Roman (0x89 is a-circumflex) and CR.
    path = csv_roster(tmp_path, CSV_HEADER + b"\r"
                      b"sefton,Si\x89n Jones,Joe Bloggs,Social worker,02/03/2026,Court work\r"
                      b"sefton,Kwame Mensah,Joe Bloggs,Social worker,31/02/2026,"
                      b"Duty\r")  # fmt: skip
    checked = check_roster(path)
    assert [(r.row, r.supervisee) for r in checked.records] == [(2, "Si\u00e2n Jones")]
    [problem] = checked.errors
    assert problem.cell == "roster!E3" and "February 2026 has no day 31" in problem.message


def test_csv_lone_cr_inside_a_quoted_cell_is_a_line_break(tmp_path: Path) -> None:
    path = csv_roster(tmp_path, CSV_HEADER + b"\r\n"
                      b"sefton,Amira Khan,Joe Bloggs,Social worker,02/03/2026,"
                      b'"Court work\rDuty"\r\n'
                      b"sefton,Kwame Mensah,Joe Bloggs,Social worker,02/03/2026,"
                      b"Visits\r\n")  # fmt: skip
    checked = check_roster(path)
    assert checked.problems == ()
    assert [(r.row, r.key_tasks) for r in checked.records] == [
        (2, "Court work\nDuty"), (3, "Visits"),
    ]  # fmt: skip


def test_csv_saved_as_unicode_text_utf16_tab_separated(tmp_path: Path) -> None:
    # Excel's "Unicode Text": UTF-16 little-endian with its byte-order mark, tabs, CR LF.
    text = ("Layout\tSupervisee\tSupervisor\tRole\tStart date\tKey tasks\r\n"
            "sefton\t\u0645\u062d\u0645\u062f Khan\tJoe Bloggs\tSocial worker\t02/03/2026\t"
            '"Court work, duty"\r\n')  # fmt: skip
    path = csv_roster(tmp_path, b"\xff\xfe" + text.encode("utf-16-le"))
    assert path.read_bytes()[:6] == b"\xff\xfeL\x00a\x00"
    checked = check_roster(path)
    assert checked.problems == ()
    [record] = checked.records
    assert record.supervisee == "\u0645\u062d\u0645\u062f Khan"
    assert record.key_tasks == "Court work, duty"
    # The same without its byte-order mark, as some programs write it.
    path.write_bytes(text.encode("utf-16-le"))
    assert [r.supervisee for r in check_roster(path).records] == ["\u0645\u062d\u0645\u062f Khan"]


def test_csv_with_semicolons_as_excel_writes_where_the_decimal_point_is_a_comma(
    tmp_path: Path,
) -> None:
    path = csv_roster(tmp_path, CSV_HEADER.replace(b",", b";") + b"\r\n"
                      b"sefton;Amira Khan;Joe Bloggs;Social worker;02/03/2026;"
                      b"Court work, duty\r\n")  # fmt: skip
    [record] = check_roster(path).records
    assert (record.supervisee, record.key_tasks) == ("Amira Khan", "Court work, duty")


@pytest.mark.parametrize(("name", "data", "message"), [
    ("roster.csv", b"PK\x03\x04" + b"\0" * 100, "is an Excel workbook, though its name ends .csv"),
    ("roster.csv", b"\xff\xfe" + "Layout\tSupervisee\r\n".encode("utf-16-le") + b"\x00",
     "is Unicode (UTF-16) text, but part of it is damaged"),
    ("roster.csv", CSV_HEADER + b"\r\nsefton,Amira Khan,Joe Bloggs,Social worker,02/03/2026,\""
     + b"x" * 140_000 + b'"\r\n', "row 2 has a cell longer than any Excel cell"),
])  # fmt: skip
def test_csv_files_docgen_cannot_read_get_a_sentence(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    path = csv_roster(tmp_path, data, name)
    result = cli("validate", str(path))
    assert result.exit_code == 1
    assert message in result.stderr
    assert "fault in docgen" not in result.stderr and "Traceback" not in result.stderr


# ---- dates far from today, and dates as messages show them ----------------------------

TODAY = date(2026, 11, 23)


def far_date_warnings(path: Path, today: date) -> list[str]:
    rules = {"sefton": LayoutRules(load_policy(DEFAULT_POLICY))}
    records, problems = build_records(read_roster(path), rules, today=today)
    assert [p for p in problems if p.severity == "error"] == []
    return [str(p) for p in problems if p.severity == "warning"]


def test_start_dates_more_than_two_years_from_today_are_warned(tmp_path: Path) -> None:
    path = write_roster(tmp_path / "roster.xlsx", [
        row(supervisee="A", Start_date=datetime(2062, 12, 1)),
        row(supervisee="B", Start_date="01/12/2016"),
        row(supervisee="C", Start_date=datetime(2024, 11, 23)),  # 2 years before: fine
        row(supervisee="D", Start_date=datetime(2024, 11, 22)),
        row(supervisee="E", Start_date=datetime(2028, 11, 23)),  # 2 years after: fine
        row(supervisee="F", Start_date=datetime(2028, 11, 24)),
    ])  # fmt: skip
    assert far_date_warnings(path, TODAY) == [
        'warning: roster.xlsx Roster!I2 (Start date): "01/12/2062" is more than 2 years after '
        "today (23/11/2026); the 12 months of meetings are planned from it; check the year",
        'warning: roster.xlsx Roster!I3 (Start date): "01/12/2016" is more than 2 years before '
        "today (23/11/2026); the 12 months of meetings are planned from it; check the year",
        'warning: roster.xlsx Roster!I5 (Start date): "22/11/2024" is more than 2 years before '
        "today (23/11/2026); the 12 months of meetings are planned from it; check the year",
        'warning: roster.xlsx Roster!I7 (Start date): "24/11/2028" is more than 2 years after '
        "today (23/11/2026); the 12 months of meetings are planned from it; check the year",
    ]  # fmt: skip
    assert far_date_warnings(path, date(2062, 6, 1))[0].startswith(
        'warning: roster.xlsx Roster!I3 (Start date): "01/12/2016"'
    )


def test_far_start_dates_are_warned_by_validate_and_generate_still_makes_them(
    tmp_path: Path,
) -> None:
    # 2062 and 2016 are more than two years from any day this suite will run on.
    path = write_roster(tmp_path / "roster.xlsx", [
        row(supervisee="A", Start_date="01/12/2062"), row(supervisee="B", Start_date="01/12/2016"),
    ])  # fmt: skip
    result = cli("validate", str(path))
    assert result.exit_code == 0
    assert '"01/12/2062" is more than 2 years after today' in result.stderr
    assert '"01/12/2016" is more than 2 years before today' in result.stderr
    assert len(generate(path, tmp_path / "out").documents) == 2


def test_a_year_before_1900_is_an_error_shown_dd_mm_yyyy(tmp_path: Path) -> None:
    path = write_roster(tmp_path / "roster.xlsx", [
        row(Start_date="01/01/0001"), row(supervisee="B", Start_date=datetime(1, 1, 1)),
    ])  # fmt: skip
    result = cli("validate", str(path))
    assert result.exit_code == 3
    for cell in ("I2", "I3"):
        assert (f'Roster!{cell} (Start date): "01/01/0001" is not a date docgen can plan from '
                "(the year must be 1900 to 2100)") in result.stderr  # fmt: skip


def test_dates_in_messages_and_text_columns_read_dd_mm_yyyy(tmp_path: Path) -> None:
    path = write_roster(tmp_path / "roster.xlsx", [
        row(Key_tasks=datetime(2026, 9, 14)),
        row(supervisee="B", Meeting_time=datetime(2026, 9, 14)),
    ], leave=[("Joe Bloggs", datetime(2026, 9, 14), datetime(2026, 9, 1))])  # fmt: skip
    checked = check_roster(path)
    assert [r.key_tasks for r in checked.records] == ["14/09/2026"]
    messages = [str(p) for p in checked.errors]
    assert messages == [
        'roster.xlsx Roster!K3 (Meeting time): "14/09/2026" is a date, not a time; write it '
        "as hh:mm, for example 10:00 or 14:30",
        'roster.xlsx Leave!C2 (To): "01/09/2026" is before the From date; swap the two dates',
    ]
    assert not any("00:00:00" in m for m in messages)


def test_a_time_cell_still_reads_as_its_time(tmp_path: Path) -> None:
    path = write_roster(tmp_path / "roster.xlsx", [
        row(Meeting_time=time(14, 30)),
        row(supervisee="B", Meeting_time=datetime(1899, 12, 30, 9, 15)),
    ])  # fmt: skip
    assert [r.meeting_time for r in check_roster(path).records] == [time(14, 30), time(9, 15)]


# ---- Frequency: ambiguous words, and what the starter workbook offers -----------------


@pytest.mark.parametrize("word", ["bi-weekly", "Bi-Weekly", "biweekly", "bi weekly"])
def test_bi_weekly_is_questioned_not_read_as_fortnightly(tmp_path: Path, word: str) -> None:
    path = write_roster(tmp_path / "roster.xlsx", [row(Frequency=word)])
    checked = check_roster(path)
    assert checked.records == ()
    [problem] = checked.errors
    assert str(problem) == (
        f'roster.xlsx Roster!P2 (Frequency): "{word}" can mean every two weeks or twice a '
        "week; write fortnightly for every two weeks"
    )


def test_bi_monthly_is_questioned_too(tmp_path: Path) -> None:
    path = write_roster(tmp_path / "roster.xlsx", [row(Frequency="bi-monthly")])
    [problem] = check_roster(path).errors
    assert "can mean every two months or twice a month" in problem.message


def dropdown(workbook_path: Path, header: str) -> list[str]:
    """The values a starter workbook's dropdown offers under `header`."""
    workbook = load_workbook(workbook_path)
    sheet = workbook["Roster"]
    headers = [c.value for c in sheet[1]]
    letter = sheet.cell(1, headers.index(header) + 1).column_letter
    [validation] = [v for v in sheet.data_validations.dataValidation
                    if str(v.sqref).startswith(f"{letter}2:")]  # fmt: skip
    sheet_name, cells = validation.formula1.lstrip("=").split("!")
    first, last = cells.replace("$", "").split(":")
    return [c.value for r in workbook[sheet_name][first:last] for c in r]


def test_starter_workbook_offers_only_frequencies_the_default_policy_accepts(
    tmp_path: Path,
) -> None:
    path = tmp_path / "team.xlsx"
    assert cli("new-roster", str(path)).exit_code == 0
    offered = dropdown(path, "Frequency")
    # The default policy (the seed's rule 7): every role at least monthly.
    assert offered == ["weekly", "fortnightly", "every 3 weeks", "every 4 weeks", "monthly"]
    rows = [row(supervisee=f"Person {n}", Frequency=word) for n, word in enumerate(offered)]
    checked = check_roster(write_roster(tmp_path / "filled.xlsx", rows))
    assert checked.errors == [] and len(checked.records) == len(offered)


def test_starter_workbook_offers_the_policys_roles_and_common_titles(tmp_path: Path) -> None:
    path = tmp_path / "team.xlsx"
    assert cli("new-roster", str(path)).exit_code == 0
    offered = dropdown(path, "Role")
    # The seed's rule 7 names these roles; councils' titles for them come with them.
    for title in ("Strategic manager", "Service manager", "Team manager", "Practice manager",
                  "Social worker", "Family support worker", "Early help practitioner",
                  "Personal adviser", "Senior practitioner", "Senior social worker",
                  "Advanced practitioner", "Deputy team manager"):  # fmt: skip
        assert title in offered
    # Being newly qualified is a column of its own; a title saying so would not set it.
    assert "NQSW" not in offered and "Newly qualified social worker" not in offered
    rows = [row(supervisee=f"Person {n}", Role=title) for n, title in enumerate(offered)]
    checked = check_roster(write_roster(tmp_path / "filled.xlsx", rows))
    assert checked.errors == [] and len(checked.records) == len(offered)
