"""`docgen refresh`: each reason a new agreement is due, worked out for a fixed `--today`.

The dates come from the issue and the Sefton agreement: an agreement is reviewed every 12
months and whenever the supervisor changes; "due" means within --within days (30 unless
given) or passed.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from docx import Document
from openpyxl import load_workbook

from docgen import generate

from .conftest import document_text, row
from .conftest import run_cli as run


def file_of(name: str, supervisor: str = "Joe Bloggs") -> str:
    return f"{name} - supervised by {supervisor} - sefton.docx"


ROWS_LAST_YEAR = [
    row(supervisee="Due Soon", Start_date=datetime(2025, 12, 1)),  # review 1 December 2026
    row(supervisee="Not Due", Start_date=datetime(2026, 6, 1)),  # review 1 June 2027
    row(supervisee="Overdue", Start_date=datetime(2025, 1, 6)),  # review 6 January 2026
    row(supervisee="New Boss", Start_date=datetime(2026, 3, 2)),
    row(supervisee="Leaver", Start_date=datetime(2026, 3, 2)),
]
ROWS_THIS_YEAR = [
    *ROWS_LAST_YEAR[:3],
    row(supervisee="New Boss", supervisor="Priya Raman", Start_date=datetime(2026, 3, 2)),
    row(supervisee="Newcomer", Start_date=datetime(2026, 11, 2)),
]


def set_up(tmp_path: Path, roster_path) -> tuple[Path, Path]:
    out = tmp_path / "out"
    generate(roster_path(ROWS_LAST_YEAR, name="last.xlsx"), out, now=datetime(2026, 1, 2, 9, 0))
    return roster_path(ROWS_THIS_YEAR, name="this.xlsx"), out


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_refresh_renews_what_is_due_and_nothing_else(tmp_path: Path, roster_path) -> None:
    roster, out = set_up(tmp_path, roster_path)
    not_due = (out / file_of("Not Due")).read_bytes()
    code, stdout, err = run("refresh", str(roster), "--out", str(out), "--today", "23/11/2026")
    assert code == 0, err

    # Review within 30 days: the next 12 months start at the review date.
    lines = document_text(out / file_of("Due Soon"))
    assert any("Tuesday 1 December 2026" in line for line in lines)
    assert not any("2025" in line for line in lines if "December" in line)
    # Review passed: the new 12 months start today.
    assert (
        "Due Soon (supervised by Joe Bloggs): new agreement, the old one superseded "
        "(the review is due on 01/12/2026)" in stdout
    )
    assert (
        "Overdue (supervised by Joe Bloggs): new agreement, the old one superseded "
        "(the review was due on 06/01/2026)" in stdout
    )
    overdue = Document(str(out / file_of("Overdue"))).tables[0].rows[1].cells[1].text
    assert overdue == "Tuesday 24 November 2026, 10:00"  # the first Tuesday from 23 November
    # A new supervisor: a new agreement from today, the old one superseded.
    assert (out / file_of("New Boss", "Priya Raman")).exists()
    assert not (out / file_of("New Boss")).exists()
    assert (
        "New Boss (supervised by Priya Raman): new agreement, the old one superseded "
        "(the supervisor changed from Joe Bloggs)" in stdout
    )
    # New pairs are made; leavers are reported and kept; the rest is untouched.
    assert (out / file_of("Newcomer")).exists()
    assert "Newcomer (supervised by Joe Bloggs): new agreement (new on the roster)" in stdout
    assert (out / file_of("Leaver")).exists()
    assert "Leaver (supervised by Joe Bloggs): no longer on the roster: agreement kept" in stdout
    assert (out / file_of("Not Due")).read_bytes() == not_due
    assert "Not Due (supervised by Joe Bloggs): nothing due" in stdout

    superseded = sorted(p.name.split(" - ")[0] for p in (out / "superseded").glob("*.docx"))
    assert superseded == ["Due Soon", "New Boss", "Overdue"]

    [report] = out.glob("Refresh report 2026-11-23*.xlsx")
    sheet = load_workbook(report).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    by_person = {r[0]: r for r in rows}
    assert by_person["Due Soon"][3] == "new agreement made; the old one superseded"
    assert by_person["Due Soon"][4] == "the review is due on 01/12/2026"
    assert by_person["Due Soon"][5] == file_of("Due Soon")
    assert by_person["Due Soon"][6].startswith("superseded/Due Soon - supervised by Joe Bloggs")
    assert by_person["Leaver"][3] == "no longer on the roster; agreement kept"
    assert by_person["Not Due"][3] == "nothing due"
    assert by_person["Due Soon"][7] == datetime(2027, 12, 1)

    # Run again: nothing is due any more.
    before = snapshot(out)
    code, stdout, err = run("refresh", str(roster), "--out", str(out), "--today", "23/11/2026")
    assert code == 0, err
    assert "new agreement" not in stdout
    after = snapshot(out)
    assert {k: v for k, v in after.items() if k.endswith(".docx")} == {
        k: v for k, v in before.items() if k.endswith(".docx")
    }


def test_within_widens_what_is_due(tmp_path: Path, roster_path) -> None:
    roster, out = set_up(tmp_path, roster_path)
    code, stdout, err = run("refresh", str(roster), "--out", str(out), "--today", "23/11/2026",
                            "--within", "200")  # fmt: skip
    assert code == 0, err
    assert (
        "Not Due (supervised by Joe Bloggs): new agreement, the old one superseded "
        "(the review is due on 01/06/2027)" in stdout
    )


def test_refresh_dry_run_lists_and_changes_nothing(tmp_path: Path, roster_path) -> None:
    roster, out = set_up(tmp_path, roster_path)
    before = snapshot(out)
    code, stdout, err = run("refresh", str(roster), "--out", str(out), "--today", "23/11/2026",
                            "--dry-run")  # fmt: skip
    assert code == 0, err
    assert "Due Soon (supervised by Joe Bloggs): new agreement" in stdout
    assert "nothing was written" in err
    assert snapshot(out) == before


def test_refresh_supersedes_a_signed_agreement_when_its_review_is_due(
    tmp_path: Path, roster_path
) -> None:
    roster, out = set_up(tmp_path, roster_path)
    signed = Document(str(out / file_of("Due Soon")))
    signed.add_paragraph("Signed: Due Soon, Joe Bloggs, 5 December 2025")
    signed.save(str(out / file_of("Due Soon")))
    code, stdout, err = run("refresh", str(roster), "--out", str(out), "--today", "23/11/2026")
    assert code == 0, err
    [kept] = (out / "superseded").glob("Due Soon*.docx")
    assert "Signed: Due Soon, Joe Bloggs, 5 December 2025" in document_text(kept)
    assert "Due Soon (supervised by Joe Bloggs): new agreement, the old one superseded" in stdout


def test_a_bad_today_is_a_usage_error(tmp_path: Path, roster_path) -> None:
    roster, out = set_up(tmp_path, roster_path)
    code, _, err = run("refresh", str(roster), "--out", str(out), "--today", "2026-13-45")
    assert code == 2
    assert "--today" in err and "dd/mm/yyyy" in err


def test_formula_looking_names_stay_text_in_the_refresh_report(tmp_path: Path) -> None:
    out = tmp_path / "out"
    roster = tmp_path / "roster.csv"  # a workbook cell cannot hold text starting "=" as typed
    roster.write_text('Layout,Supervisee,Supervisor,Role,Start date,Key tasks\n'
                      'sefton,"=HYPERLINK(""http://evil"",""x"")",@SUM(A1),Social worker,'
                      '02/03/2026,Court work\n', encoding="utf-8")  # fmt: skip
    code, _, err = run("refresh", str(roster), "--out", str(out), "--today", "23/11/2026")
    assert code == 0, err
    [report] = out.glob("Refresh report*.xlsx")
    sheet = load_workbook(report).active
    cells = list(sheet.iter_rows(min_row=3, max_row=3))[0]
    assert cells[0].value == '=HYPERLINK("http://evil","x")' and cells[0].data_type == "s"
    assert cells[2].value == "@SUM(A1)" and cells[2].data_type == "s"
