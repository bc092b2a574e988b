"""The manifest and the refresh report as workbooks people open, sort and write in.

From the README ("The manifest"): the sheet Agreements lists every agreement in the folder
and in superseded/, with the documented columns, Excel dates shown dd/mm/yyyy and the File
column as links; columns and sheets people add are kept beside their agreement; what cannot
be placed is kept as ``manifest (kept 2026-11-23 10.15.02).xlsx``.
"""

from __future__ import annotations

import dataclasses
import os
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from docgen.errors import OutputError
from docgen.fingerprint import Stamp
from docgen.manifest import Entry, Manifest, ManifestResult, ReportLine, write_refresh_report


def write_manifest(
    folder: Path, entries: list[Entry], renamed: dict[str, str], now: datetime
) -> ManifestResult:
    """One run's manifest: what people added read at the start, then written."""
    return Manifest(folder, now).write(entries, renamed)


NOW = datetime(2026, 11, 23, 10, 15, 2)
README_COLUMNS = [
    "Supervisee", "Staff ID", "Supervisor", "Layout", "Status", "Why", "File", "Start date",
    "Review date", "Meetings", "Made", "Roster row", "Schedule notes", "Pair key",
    "Input fingerprint", "Content fingerprint", "Bank holiday data",
]  # fmt: skip


def stamp(
    supervisee: str = "Amira Khan", pair: str = "p1-s1", start: date | None = date(2026, 3, 2)
) -> Stamp:
    return Stamp(content="c" * 64, input="i" * 64, pair=pair, person=pair.split("-")[0],
                 supervisee=supervisee, supervisor="Joe Bloggs", staff_id="", layout="sefton",
                 start=start, review=date(2027, 3, 2), meetings=12,
                 made=datetime(2026, 3, 1, 9, 30))  # fmt: skip


def rows(folder: Path) -> list[dict[str, object]]:
    sheet = load_workbook(folder / "manifest.xlsx")["Agreements"]
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], r, strict=True)) for r in values[1:]]


def test_a_new_manifest_has_one_sheet_with_the_documented_columns(tmp_path: Path) -> None:
    result = write_manifest(
        tmp_path, [Entry("a.docx", stamp(), "made", "new on the roster", 2)], {}, NOW
    )
    assert result.path == tmp_path / "manifest.xlsx"
    assert (result.kept_copy, result.reason, result.not_updated) == (None, "", "")
    workbook = load_workbook(tmp_path / "manifest.xlsx")
    assert workbook.sheetnames == ["Agreements"]
    sheet = workbook["Agreements"]
    assert [c.value for c in sheet[1]] == README_COLUMNS
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "B2"  # the headings and the names stay in view
    assert sheet.auto_filter.ref == "A1:Q2"  # every column can be sorted and filtered
    widths = {c.value: sheet.column_dimensions[c.column_letter].width for c in sheet[1]}
    assert widths["File"] >= 50 and widths["Supervisee"] >= 20 and widths["Why"] >= 30
    [row] = rows(tmp_path)
    assert (row["Status"], row["Why"], row["Roster row"], row["Meetings"]) == (
        "made",
        "new on the roster",
        2,
        12,
    )


def test_agreements_in_force_come_first_by_name_then_the_superseded_oldest_first(
    tmp_path: Path,
) -> None:
    entries = [
        Entry("superseded/b1.docx", stamp("amira khan", start=date(2025, 3, 3)), "superseded"),
        Entry("k.docx", stamp("Kwame Mensah", "p2-s1"), "up to date"),
        Entry("superseded/b2.docx", stamp("Amira Khan", start=date(2024, 3, 4)), "superseded"),
        Entry("a.docx", stamp("amira Khan"), "made"),
        Entry("z.docx", stamp("Zoe Adams", "p3-s1"), "left the roster"),
    ]  # fmt: skip
    write_manifest(tmp_path, entries, {}, NOW)
    assert [r["File"] for r in rows(tmp_path)] == [
        "a.docx",
        "k.docx",
        "z.docx",
        "superseded/b2.docx",
        "superseded/b1.docx",
    ]


def test_what_people_wrote_beside_an_agreement_follows_it_to_superseded(tmp_path: Path) -> None:
    write_manifest(tmp_path, [Entry("a.docx", stamp(), "made"),
                              Entry("k.docx", stamp("Kwame Mensah", "p2-s1"), "made")], {}, NOW)  # fmt: skip
    workbook = load_workbook(tmp_path / "manifest.xlsx")
    sheet = workbook["Agreements"]
    sheet.cell(1, 17, "Signed on")
    sheet.cell(2, 17, datetime(2026, 3, 10))  # Amira's row
    sheet.cell(3, 17, "not yet")  # Kwame's
    workbook.create_sheet("Chasing")["A1"] = "Kwame by Friday"
    workbook.save(tmp_path / "manifest.xlsx")

    moved = "superseded/a (superseded 2026-11-23).docx"
    result = write_manifest(tmp_path, [
        Entry(moved, stamp(), "superseded", "the roster row changed"),
        Entry("a.docx", stamp(start=date(2026, 4, 6)), "made", "the roster row changed"),
        Entry("k.docx", stamp("Kwame Mensah", "p2-s1"), "up to date"),
    ], {"a.docx": moved}, NOW)  # fmt: skip
    signed = {r["File"]: r["Signed on"] for r in rows(tmp_path)}
    assert signed == {"a.docx": None, "k.docx": "not yet", moved: datetime(2026, 3, 10)}
    workbook = load_workbook(tmp_path / "manifest.xlsx")
    assert workbook.sheetnames == ["Agreements", "Chasing"]  # docgen's sheet stays first
    assert workbook["Chasing"]["A1"].value == "Kwame by Friday"
    sheet = workbook["Agreements"]
    assert (
        sheet.column_dimensions["Q"].width >= 15
    )  # their column is widened too (13 is the default)
    assert result.kept_copy is None and result.reason == ""


def test_a_row_people_typed_that_is_no_agreement_is_kept_in_a_dated_copy(tmp_path: Path) -> None:
    write_manifest(tmp_path, [Entry("a.docx", stamp(), "made")], {}, NOW)
    workbook = load_workbook(tmp_path / "manifest.xlsx")
    sheet = workbook["Agreements"]
    sheet.cell(1, 17, "Comment")
    sheet.cell(4, 17, "Ask HR about Priya")
    workbook.save(tmp_path / "manifest.xlsx")
    result = write_manifest(tmp_path, [Entry("a.docx", stamp(), "up to date")], {}, NOW)
    assert result.kept_copy == tmp_path / "manifest (kept 2026-11-23 10.15.02).xlsx"
    assert result.reason == "1 row(s) of what was added to it could not be matched to an agreement"
    kept = load_workbook(result.kept_copy)["Agreements"]
    assert kept.cell(4, 17).value == "Ask HR about Priya"


def test_an_unreadable_manifest_is_kept_in_a_dated_copy_and_the_run_says_why(
    tmp_path: Path,
) -> None:
    (tmp_path / "manifest.xlsx").write_bytes(b"not a workbook")
    result = write_manifest(tmp_path, [Entry("a.docx", stamp(), "made")], {}, NOW)
    assert result.kept_copy == tmp_path / "manifest (kept 2026-11-23 10.15.02).xlsx"
    assert result.kept_copy.read_bytes() == b"not a workbook"
    assert result.reason == "it could not be read as a workbook"
    assert [r["File"] for r in rows(tmp_path)] == ["a.docx"]


def test_an_agreement_without_a_made_time_still_gets_its_row(tmp_path: Path) -> None:
    """A property someone deleted in Word reads as empty; the row is written without it."""
    undated = dataclasses.replace(stamp(), made=None)
    write_manifest(tmp_path, [Entry("a.docx", undated, "edited in Word")], {}, NOW)
    [row] = rows(tmp_path)
    assert (row["File"], row["Made"], row["Status"]) == ("a.docx", None, "edited in Word")


def test_a_note_typed_in_a_column_without_a_heading_is_not_lost(tmp_path: Path) -> None:
    """The issue: columns users add are kept; where that cannot be done, a dated copy of
    their manifest is kept and the run says so."""
    write_manifest(tmp_path, [Entry("a.docx", stamp(), "made")], {}, NOW)
    workbook = load_workbook(tmp_path / "manifest.xlsx")
    workbook["Agreements"].cell(2, 18, "signed 10/03")  # beside Amira's row, no heading typed
    workbook.save(tmp_path / "manifest.xlsx")
    result = write_manifest(tmp_path, [Entry("a.docx", stamp(), "up to date")], {}, NOW)
    values = [c.value for r in load_workbook(tmp_path / "manifest.xlsx")["Agreements"].iter_rows()
              for c in r]  # fmt: skip
    assert "signed 10/03" in values or result.kept_copy is not None


def test_a_column_added_after_a_blank_one_is_kept_and_nothing_is_invented(tmp_path: Path) -> None:
    write_manifest(tmp_path, [Entry("a.docx", stamp(), "made")], {}, NOW)
    workbook = load_workbook(tmp_path / "manifest.xlsx")
    sheet = workbook["Agreements"]
    sheet.cell(1, 18, "Signed on")  # column R, leaving Q without a heading
    sheet.cell(2, 18, "10/03/2026")
    workbook.save(tmp_path / "manifest.xlsx")
    result = write_manifest(tmp_path, [Entry("a.docx", stamp(), "up to date")], {}, NOW)
    sheet = load_workbook(tmp_path / "manifest.xlsx")["Agreements"]
    assert [c.value for c in sheet[1]] == [*README_COLUMNS, "Signed on"]
    assert rows(tmp_path)[0]["Signed on"] == "10/03/2026"
    assert result.kept_copy is None


def test_a_manifest_people_emptied_or_cut_about_is_rewritten(tmp_path: Path) -> None:
    """Someone cleared the sheet, or deleted the Pair key column: docgen rewrites its sheet,
    and what they added that can no longer be placed is kept in a dated copy."""
    workbook = Workbook()
    workbook.active.title = "Agreements"  # type: ignore[union-attr]
    workbook.save(tmp_path / "manifest.xlsx")
    write_manifest(tmp_path, [Entry("a.docx", stamp(), "made")], {}, NOW)
    assert [r["File"] for r in rows(tmp_path)] == ["a.docx"]

    workbook = load_workbook(tmp_path / "manifest.xlsx")
    sheet = workbook["Agreements"]
    sheet.cell(1, 17, "Signed on")
    sheet.cell(2, 17, "10/03/2026")
    sheet.delete_cols(README_COLUMNS.index("Pair key") + 1)
    workbook.save(tmp_path / "manifest.xlsx")
    result = write_manifest(tmp_path, [Entry("a.docx", stamp(), "up to date")], {}, NOW)
    assert [r["Status"] for r in rows(tmp_path)] == ["up to date"]
    assert result.kept_copy == tmp_path / "manifest (kept 2026-11-23 10.15.02).xlsx"


def test_a_renamed_agreements_sheet_and_the_rest_are_kept_beside_a_new_one(tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.active.title = "2025 agreements"  # type: ignore[union-attr]
    workbook.active["A1"] = "Supervisee"  # type: ignore[index]
    workbook.create_sheet("Notes")["A1"] = "Chase signatures"
    workbook.save(tmp_path / "manifest.xlsx")
    write_manifest(tmp_path, [Entry("a.docx", stamp(), "made")], {}, NOW)
    workbook = load_workbook(tmp_path / "manifest.xlsx")
    assert workbook.sheetnames == ["Agreements", "2025 agreements", "Notes"]
    assert workbook["Notes"]["A1"].value == "Chase signatures"


def test_an_unreadable_manifest_that_cannot_be_kept_is_a_sentence(tmp_path: Path) -> None:
    (tmp_path / "manifest.xlsx").write_bytes(b"not a workbook")
    (tmp_path / "manifest (kept 2026-11-23 10.15.02).xlsx").mkdir()  # the copy's name is taken
    with pytest.raises(OutputError) as raised:
        write_manifest(tmp_path, [Entry("a.docx", stamp(), "made")], {}, NOW)
    assert str(raised.value).startswith(
        f"{tmp_path / 'manifest.xlsx'} could not be kept as manifest (kept 2026-11-23 10.15.02).xlsx: "
    )
    assert (tmp_path / "manifest.xlsx").read_bytes() == b"not a workbook"


def test_a_manifest_open_in_excel_is_left_and_the_run_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Excel on Windows holds an open workbook against replacing; a patched replace plays it."""
    write_manifest(tmp_path, [Entry("a.docx", stamp(), "made")], {}, NOW)
    before = (tmp_path / "manifest.xlsx").read_bytes()
    real_replace = os.replace

    def replace(source: object, target: object) -> None:
        if str(target).endswith("manifest.xlsx"):
            raise PermissionError(13, "The process cannot access the file")
        real_replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", replace)
    result = write_manifest(tmp_path, [Entry("a.docx", stamp(), "up to date")], {}, NOW)
    assert result.path is None
    assert result.not_updated == "manifest.xlsx is open in another program (Excel?)"
    assert (tmp_path / "manifest.xlsx").read_bytes() == before
    assert not list(tmp_path.glob(".docgen-*"))  # no half-written file left behind


def test_a_workbook_that_has_no_agreements_sheet_keeps_its_sheets(tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.active.title = "Our notes"  # type: ignore[union-attr]
    workbook.active["A1"] = "Supervision audit 2026"  # type: ignore[index]
    workbook.save(tmp_path / "manifest.xlsx")
    write_manifest(tmp_path, [Entry("a.docx", stamp(), "made")], {}, NOW)
    workbook = load_workbook(tmp_path / "manifest.xlsx")
    assert workbook.sheetnames == ["Agreements", "Our notes"]
    assert workbook.active.title == "Agreements"  # type: ignore[union-attr]
    assert workbook["Our notes"]["A1"].value == "Supervision audit 2026"


def test_the_refresh_report_reads_as_a_list_for_people(tmp_path: Path) -> None:
    line = ReportLine("Due Soon", "E1001", "Joe Bloggs", "new agreement made; the old one superseded",
                      "the review is due on 01/12/2026", "Due Soon.docx",
                      "superseded/Due Soon (superseded 2026-11-23).docx", date(2027, 12, 1))  # fmt: skip
    path = write_refresh_report(
        tmp_path / "Refresh report 2026-11-23.xlsx", [line], date(2026, 11, 23)
    )
    sheet = load_workbook(path).active
    assert sheet.title == "Refresh"
    assert sheet["A1"].value == "Refresh of supervision agreements, 23/11/2026"
    assert sheet["A1"].font.bold
    assert [c.value for c in sheet[2]] == ["Supervisee", "Staff ID", "Supervisor", "What was done",
                                           "Why", "File", "Previous agreement", "Review date"]  # fmt: skip
    assert all(c.font.bold for c in sheet[2])
    assert sheet.freeze_panes == "A3"  # the title and headings stay in view
    assert [c.value for c in sheet[3]][:6] == ["Due Soon", "E1001", "Joe Bloggs",
        "new agreement made; the old one superseded", "the review is due on 01/12/2026",
        "Due Soon.docx"]  # fmt: skip
    assert sheet["H3"].value == datetime(2027, 12, 1) and sheet["H3"].number_format == "dd/mm/yyyy"
    assert sheet.column_dimensions["A"].width >= 20
    assert sheet.column_dimensions["F"].width >= 50 and sheet.column_dimensions["G"].width >= 50


def test_a_made_agreements_row_matches_what_the_document_says_about_itself(
    tmp_path: Path, roster_path
) -> None:
    """The manifest's fingerprints and pair key are the ones the agreement carries, and its
    meeting count is the schedule's: monthly for a social worker (the policy), 12 in a year."""
    import io
    import zipfile

    from lxml import etree

    from docgen import generate

    from .conftest import row

    out = tmp_path / "out"
    [document] = generate(roster_path([row()]), out).documents
    with zipfile.ZipFile(io.BytesIO(document.read_bytes())) as archive:
        custom = etree.fromstring(archive.read("docProps/custom.xml"))
    said = {p.get("name"): "".join(p.itertext()) for p in custom}
    [entry] = rows(out)
    assert entry["Meetings"] == 12 and said["docgen meetings"] == "12"
    assert entry["Pair key"] == said["docgen pair"]
    # The key must stay the same from release to release, or every agreement already in
    # people's folders would stop matching its row: SHA-256 of the folded supervisee and
    # supervisor names, 12 hex digits each, as docgen 0.1.0 writes it.
    assert entry["Pair key"] == "e540a65ab7d7-1b09ec609d8b"
    assert entry["Input fingerprint"] == said["docgen input"]
    assert entry["Content fingerprint"] == said["docgen content"][:16]
    assert len(said["docgen content"]) == 64  # a whole SHA-256, in hex


def test_every_schedule_note_reads_as_a_sentence_in_the_manifest(
    tmp_path: Path, roster_path
) -> None:
    """The supervisor's leave covers April and May 2026: each month's meeting breaks a rule,
    and the Schedule notes column says so for each, one sentence after another."""
    from docgen import generate

    from .conftest import row

    out = tmp_path / "out"
    roster = roster_path(
        [row()], leave=[("Joe Bloggs", datetime(2026, 4, 1), datetime(2026, 5, 31))]
    )
    generate(roster, out)
    [entry] = rows(out)
    notes = str(entry["Schedule notes"])
    assert notes.startswith("No working day could be found in April 2026")
    assert "31 March 2026. No working day could be found in May 2026" in notes


def test_rows_written_without_cell_objects_are_what_openpyxl_writes() -> None:
    """The manifest's rows are written without openpyxl making a cell for each value; the
    sheet is the same XML as openpyxl's own writer makes of the same rows: text with spaces
    at its ends or none at all, numbers, dates, links, formula-like and unprintable text."""
    import io
    import zipfile

    from lxml import etree

    from docgen.manifest import _streamed

    values = [
        ["Amira Khan", " padded ", "", 12, 2.5, date(2026, 3, 2), "a.docx",
         datetime(2026, 3, 1, 9, 30), "=SUM(A1)", "two\nlines", None, True, 10**17],
        ["Siân O'Neill & <Co>", "x" * 300, "tab\there", -1, 0.1 + 0.2, None, "",
         None, "+44 1234", "\u00a0nbsp", "last", False, 3],
        *([f"Person {n}", "", "", n, None, None, f" {n} spaced.docx ", date(2027, 1, n),
           datetime(2026, 11, 23, 10, n), None, datetime(2026, 3, n, 9, 30), n, "=x.docx"]
          for n in range(1, 4)),
        # file names that cannot go as they are: formula-like, and with a control character
        *([f"Person {n}", "", "", n, None, None, name, None, None, None, None, n, ""]
          for n, name in ((4, "=x.docx"), (5, "bell\x07.docx"))),
    ]  # fmt: skip

    def sheet_xml(quick: bool) -> bytes:
        stream = io.BytesIO()
        _streamed(stream, rows=iter(values), extra_headers=[], count=len(values),
                  quick_rows=quick)  # fmt: skip
        with zipfile.ZipFile(stream) as archive:
            sheet = archive.read("xl/worksheets/sheet1.xml")
        return etree.tostring(etree.fromstring(sheet), method="c14n")

    quick, theirs = sheet_xml(True), sheet_xml(False)
    assert b"Amira Khan" in quick and b"<v>12</v>" in quick and b" 3 spaced.docx " in quick
    assert quick == theirs


def test_text_longer_than_a_cell_holds_is_cut_in_the_manifest(tmp_path: Path) -> None:
    """Excel calls a cell of more than 32,767 characters corrupt: a long reason or note is
    cut to fit, ending "…"."""
    entry = Entry("a.docx", stamp(), "made", "x" * 40_000, 2)
    write_manifest(tmp_path, [entry], {}, NOW)
    why = rows(tmp_path)[0]["Why"]
    assert isinstance(why, str) and len(why) == 32_767 and why.endswith("\u2026")
