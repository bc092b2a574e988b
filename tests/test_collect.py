"""`docgen collect DIR` (issue 13, "Must hold" 2): every agreement in a folder and its
superseded/ read into a tracker workbook, with a one-line summary; no document changed.

The folder is made as a council's would be: agreements generated, then completed by
managers (fields typed into as in Word), one replaced by a later run."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from urllib.parse import unquote

from docx import Document
from openpyxl import load_workbook

from docgen import generate

from .conftest import fill_in, row
from .conftest import run_cli as run


def name(supervisee: str, supervisor: str, layout: str = "sefton") -> str:
    return f"{supervisee} - supervised by {supervisor} - {layout}.docx"


ROWS = [
    row(supervisee="Amira Khan", Start_date=datetime(2026, 3, 2)),  # review 2 March 2027
    row(supervisee="Kwame Mensah", Start_date=datetime(2025, 12, 1)),  # review 1 December 2026
    row(supervisee="Fiona MacLeod", supervisor="Callum Reid", Layout="safeguarding",
        Start_date=datetime(2025, 1, 6)),  # review 6 January 2026: passed
    row(supervisee="Gareth Price", supervisor="Eleri Morgan", Layout="contract",
        Start_date=datetime(2026, 6, 1)),
    row(supervisee="Tomasz Nowak", supervisor="Priya Raman", Start_date=datetime(2026, 3, 2)),
]  # fmt: skip


def make_folder(tmp_path: Path, roster_path) -> Path:
    out = tmp_path / "out"
    generate(roster_path(ROWS, name="first.xlsx"), out, now=datetime(2026, 1, 2, 9, 0))
    # Tomasz's row changes: his first agreement moves to superseded/.
    moved = [*ROWS[:4], row(supervisee="Tomasz Nowak", supervisor="Priya Raman",
                            Start_date=datetime(2026, 3, 2),
                            Location="Southport Town Hall")]  # fmt: skip
    generate(roster_path(moved, name="second.xlsx"), out, now=datetime(2026, 2, 2, 9, 0))
    fill_in(out / name("Amira Khan", "Joe Bloggs"), {
        "expectations_supervisee_wants": "Regular, reflective supervision\nHonest feedback",
        "expectations_supervisee_contributes": "An agenda each month",
        "signed_supervisee": "Amira Khan", "signed_supervisee_date": "05/03/2026",
        "signed_supervisor": "J Bloggs", "signed_supervisor_date": "6 March 2026",
    })  # fmt: skip
    fill_in(
        out / name("Kwame Mensah", "Joe Bloggs"),
        {"signed_supervisee": "K Mensah", "signed_supervisee_date": "03/12/25"},
    )
    fill_in(
        out / name("Gareth Price", "Eleri Morgan", "contract"),
        {"signed_supervisee": "G Price", "signed_supervisor": "E Morgan"},
    )
    Document().save(str(out / "Team notes.docx"))  # someone's own file in the folder
    return out


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.docx")}


def rows_of(sheet) -> dict[str, dict[str, object]]:  # type: ignore[no-untyped-def]
    values = list(sheet.iter_rows(values_only=True))
    headers = values[0]
    return {line[0]: dict(zip(headers, line, strict=True)) for line in values[1:]}


def test_collect_writes_the_tracker_and_the_summary(tmp_path: Path, roster_path) -> None:
    out = make_folder(tmp_path, roster_path)
    before = snapshot(out)
    code, stdout, stderr = run("collect", str(out), "--today", "23/11/2026")
    assert code == 0, stderr
    # In force: Amira, Kwame, Fiona, Gareth, Tomasz. Signed by both: Amira (both signed and
    # dated) and Gareth (the contract has no dates). Kwame's review, 1 December 2026, is
    # within 30 days; Fiona's, 6 January 2026, has passed, so she has no current agreement.
    assert stdout == (
        "2 of 5 signed by both; 1 review due within 30 days; 1 person has no current agreement.\n"
    )
    assert snapshot(out) == before  # no agreement changed, none added or moved
    assert f"Tracker: {out / 'tracker.xlsx'}" in stderr

    workbook = load_workbook(out / "tracker.xlsx")
    assert workbook.sheetnames == ["Summary", "In force", "Superseded", "Other files"]
    in_force = rows_of(workbook["In force"])
    assert list(in_force) == ["Amira Khan", "Fiona MacLeod", "Gareth Price", "Kwame Mensah",
                              "Tomasz Nowak"]  # fmt: skip
    amira = in_force["Amira Khan"]
    assert amira["Supervisor"] == "Joe Bloggs" and amira["Layout"] == "sefton"
    assert amira["Start date"] == datetime(2026, 3, 2)
    assert amira["Review date"] == datetime(2027, 3, 2)
    assert amira["Review"] is None
    assert amira["Signed by both"] == "Yes"
    assert amira["Supervisee signed"] == "Yes" and amira["Supervisor signed"] == "Yes"
    assert amira["Supervisee's date"] == datetime(2026, 3, 5)  # real Excel dates
    assert amira["Supervisor's date"] == datetime(2026, 3, 6)
    assert amira["Fields completed"] == "2 of 6"
    assert (
        amira["Completed"] == "expectations_supervisee_wants, expectations_supervisee_contributes"
    )
    assert amira["Not completed"] == (
        "expectations_supervisor_wants, expectations_supervisor_contributes, "
        "expectations_supervisor_responsible_for, expectations_supervisee_responsible_for"
    )
    assert amira["Edited since made"] == "Yes"
    assert amira["File"] == name("Amira Khan", "Joe Bloggs")
    cell = next(c for c in workbook["In force"]["R"] if c.value == amira["File"])
    assert cell.hyperlink is not None and cell.is_date is False

    kwame = in_force["Kwame Mensah"]
    assert kwame["Review"] == "due within 30 days"
    assert kwame["Signed by both"] == "No"
    assert (kwame["Supervisee signed"], kwame["Supervisee's date"]) == (
        "Yes",
        datetime(2025, 12, 3),
    )
    assert (kwame["Supervisor signed"], kwame["Supervisor's date"]) == ("No", None)

    fiona = in_force["Fiona MacLeod"]
    assert fiona["Review"] == "passed" and fiona["Signed by both"] == "No"
    assert fiona["Fields completed"] == "0 of 9"
    assert fiona["Edited since made"] == "No"

    gareth = in_force["Gareth Price"]
    assert gareth["Signed by both"] == "Yes"
    assert gareth["Supervisee's date"] == "no field" and gareth["Fields completed"] == "no field"

    tomasz = in_force["Tomasz Nowak"]
    assert tomasz["Superseded agreements"] == 1 and tomasz["Edited since made"] == "No"
    superseded = rows_of(workbook["Superseded"])
    assert list(superseded) == ["Tomasz Nowak"]
    assert str(superseded["Tomasz Nowak"]["File"]).startswith("superseded/Tomasz Nowak - ")
    assert superseded["Tomasz Nowak"]["Review"] is None

    assert list(rows_of(workbook["Other files"])) == ["Team notes.docx"]
    summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(min_row=3, values_only=True)}
    assert summary["Read on"] == datetime(2026, 11, 23)
    assert summary["People with no current agreement"] == "Fiona MacLeod"
    assert summary["Superseded agreements"] == 1


def test_collect_into_a_named_tracker_with_another_window(tmp_path: Path, roster_path) -> None:
    out = make_folder(tmp_path, roster_path)
    tracker = tmp_path / "HR" / "signatures.xlsx"
    tracker.parent.mkdir()
    code, stdout, _ = run("collect", str(out), "--tracker", str(tracker), "--today",
                          "23/11/2026", "--within", "1")  # fmt: skip
    assert code == 0
    assert stdout.startswith("2 of 5 signed by both; 0 reviews due within 1 day; ")
    assert tracker.exists() and not (out / "tracker.xlsx").exists()


def test_collect_on_a_folder_without_agreements_says_so(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, stderr = run("collect", str(empty))
    assert code == 1
    assert "holds no agreements made by docgen" in stderr
    assert not (empty / "tracker.xlsx").exists()


def test_the_trackers_links_open_the_agreements_from_where_it_is(
    tmp_path: Path, roster_path
) -> None:
    out = make_folder(tmp_path, roster_path)
    elsewhere = tmp_path / "HR" / "tracker.xlsx"
    elsewhere.parent.mkdir()
    assert run("collect", str(out), "--tracker", str(elsewhere))[0] == 0
    link = load_workbook(elsewhere)["Superseded"].cell(2, 18).hyperlink.target
    assert link.startswith("../out/superseded/Tomasz%20Nowak%20-%20")
    assert (elsewhere.parent / unquote(link)).resolve().exists()
    assert run("collect", str(out))[0] == 0
    sheet = load_workbook(out / "tracker.xlsx")["In force"]
    assert sheet.cell(2, 18).hyperlink.target == (
        "Amira%20Khan%20-%20supervised%20by%20Joe%20Bloggs%20-%20sefton.docx"
    )


def test_who_has_no_current_agreement() -> None:
    """Someone whose only agreement in force has passed its review, or who has only
    superseded ones, has no current agreement; one current agreement is enough."""
    from datetime import date

    from docgen.collect import Collection, Tracked
    from docgen.fingerprint import Stamp

    def agreement(person: str, review: date, superseded: bool = False) -> Tracked:
        stamp = Stamp(content="c", input="i", pair=f"{person}-boss", person=person,
                      supervisee=person.title(), supervisor="Boss", staff_id="",
                      layout="sefton", start=date(review.year - 1, review.month, review.day),
                      review=review, meetings=12, made=datetime(2025, 1, 1, 9, 0))  # fmt: skip
        return Tracked(f"{person}.docx", stamp, superseded, False, {})

    folder = Collection(Path("out"), date(2026, 11, 23), 30, (
        agreement("ann", date(2027, 1, 1)),  # current
        agreement("ann", date(2026, 1, 1), superseded=True),
        agreement("bob", date(2026, 11, 22)),  # in force, but its review passed yesterday
        agreement("cat", date(2027, 5, 1), superseded=True),  # nothing in force
        agreement("dan", date(2026, 11, 23)),  # reviewed today: still current
    ))  # fmt: skip
    assert folder.without_current == ["Bob", "Cat"]
    assert folder.summary() == (
        "0 of 3 signed by both; 1 review due within 30 days; 2 people have no current agreement"
    )
