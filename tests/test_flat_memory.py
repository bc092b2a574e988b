"""Memory flat in the roster's length (issue 11): the roster is read row by row, nothing of
its XML outlives the reading, and the manifest is laid out row by row as it is written.

The peak memory itself is measured in benchmarks/bench_bulk.py; these tests check the
structure that keeps it flat.
"""

from __future__ import annotations

import gc
import xml.etree.ElementTree as ET
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.hyperlink import Hyperlink

import docgen.manifest
from docgen import check_roster
from docgen.fingerprint import Stamp
from docgen.manifest import Entry, Manifest
from docgen.roster import open_roster
from tests.conftest import row, write_roster


def test_the_roster_is_read_row_by_row_with_merged_cells_and_problems(tmp_path: Path) -> None:
    rows = [row(supervisee=f"Person {n:02d}") for n in range(60)]
    for n in (1, 2):  # rows 4 and 5 of the sheet, under a supervisor cell merged down
        rows[n + 1]["Supervisor"] = None
    path = write_roster(tmp_path / "r.xlsx", rows)
    workbook = load_workbook(path)
    workbook["Roster"].merge_cells("E3:E5")
    workbook["Roster"].row_dimensions[50].hidden = True
    workbook.save(path)
    with open_roster(path) as roster:
        given = iter(roster.rows)
        first = next(given)
        assert first.number == 2
        # Row 50's warning comes when row 50 is read, not before the first row is given.
        assert not any("hidden in Excel" in p.message for p in roster.problems)
        rest = list(given)
        assert [p.cell for p in roster.problems if "hidden in Excel" in p.message] == ["Roster!50"]
    assert len(rest) == 59
    assert [r.text("supervisor") for r in rest[:4]] == ["Joe Bloggs"] * 4
    assert rest[1].text("supervisee") == "Person 02"


def test_no_xml_of_the_roster_outlives_checking_it(tmp_path: Path) -> None:
    path = write_roster(tmp_path / "r.xlsx", [row(supervisee=f"P {n}") for n in range(300)])
    check_roster(path)  # anything read once (templates, policies) is read now

    def elements() -> int:
        return sum(isinstance(o, ET.Element) for o in gc.get_objects())

    gc.collect()
    gc.disable()  # so that only docgen's own doing can free them
    try:
        before = elements()
        checked = check_roster(path)
        after = elements()
    finally:
        gc.enable()
    assert len(checked.records) == 300
    assert after <= before


def test_the_manifest_lays_out_each_row_as_it_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    count = 400
    entries = [
        Entry(f"Person {n:03d} - supervised by Joe Bloggs - sefton.docx",
              Stamp(content="c" * 64, input="i" * 64, pair=f"p{n}-s1", person=f"p{n}",
                    supervisee=f"Person {n:03d}", supervisor="Joe Bloggs", staff_id="",
                    layout="sefton", start=date(2026, 3, 2), review=date(2027, 3, 2),
                    meetings=12, made=datetime(2026, 3, 1, 9, 30)),
              "made", "new on the roster", n + 2)
        for n in range(count)
    ]  # fmt: skip
    laid_out, appended, links_held = 0, 0, []
    values_of, append = docgen.manifest._values, WriteOnlyWorksheet.append

    def counting_values(entry: Entry) -> list[Any]:
        nonlocal laid_out
        laid_out += 1
        return values_of(entry)

    def counting_append(sheet: WriteOnlyWorksheet, values: Any) -> None:
        nonlocal appended
        assert laid_out - appended <= 1  # never more than the row being written
        appended += 1
        if appended == count + 1:  # the last row, after the header
            links_held.append(sum(isinstance(o, Hyperlink) for o in gc.get_objects()))
        append(sheet, values)

    monkeypatch.setattr(docgen.manifest, "_values", counting_values)
    monkeypatch.setattr(WriteOnlyWorksheet, "append", counting_append)
    result = Manifest(tmp_path, datetime(2026, 11, 23, 10, 15)).write(entries, {})
    assert (laid_out, appended) == (count, count + 1)
    assert links_held == [0]  # no object per link waits in memory for the save
    assert result.path is not None
    sheet = load_workbook(result.path)["Agreements"]
    files = [(c.value, c.hyperlink.target if c.hyperlink else None, c.style)
             for (c,) in sheet.iter_rows(min_row=2, min_col=7, max_col=7)]  # fmt: skip
    assert files == [(e.file, quote(e.file), "Hyperlink") for e in entries]


def test_a_run_lets_go_of_each_agreement_once_it_is_written(tmp_path: Path) -> None:
    """By the last agreement, the run holds no earlier one (nor its roster row), and none of
    the manifest's rows: they wait on disk until the manifest is written."""
    from docgen import generate
    from docgen.agreements import Agreement
    from docgen.records import Record

    count = 120
    path = write_roster(tmp_path / "r.xlsx", [row(supervisee=f"P {n}") for n in range(count)])
    held: list[tuple[int, int, int]] = []

    def at_the_last(done: int, total: int, _: str) -> None:
        if done == total:
            gc.collect()
            live = gc.get_objects()
            held.append((sum(isinstance(o, Agreement) for o in live),
                         sum(isinstance(o, Record) for o in live),
                         sum(isinstance(o, Entry) for o in live)))  # fmt: skip

    result = generate(path, tmp_path / "out", progress=at_the_last)
    assert len(result.documents) == count
    assert held == [(1, 1, 0)]  # the last agreement's own, and no manifest row
    sheet = load_workbook(tmp_path / "out" / "manifest.xlsx")["Agreements"]
    assert [c.value for (c,) in sheet.iter_rows(min_row=2, max_col=1)] == sorted(
        f"P {n}" for n in range(count)
    )


def test_rows_that_repeat_a_value_share_it(tmp_path: Path) -> None:
    """A team's rows repeat their organisation, manager, role and start date: each is held
    once, whichever row gave it. Values that only look alike (a 1 and a Yes) are not mixed."""
    rows = [row(supervisee=f"P {n}", Organisation="Sefton " + "Council") for n in range(3)]
    rows.append(row(supervisee="P 3", Organisation="Wirral Council", Start_date="06/04/2026"))
    records = check_roster(write_roster(tmp_path / "r.xlsx", rows)).records
    first, second, third, other = records
    for name in ("organisation", "supervisor", "role", "start_date", "meeting_day",
                 "meeting_time", "location", "supervisee_job_title"):  # fmt: skip
        assert getattr(first, name) is getattr(second, name) is getattr(third, name), name
    assert other.organisation == "Wirral Council" and other.start_date == date(2026, 4, 6)
    assert first.supervisee == "P 0" and second.supervisee == "P 1"
    assert first.newly_qualified is False and first.duration_minutes == 90


def test_the_manifest_rows_kept_on_disk_come_back_in_the_manifests_order(tmp_path: Path) -> None:
    from docgen.manifest import Entries

    def stamp(supervisee: str, supervisor: str, start: date | None) -> Stamp:
        return Stamp(content="c" * 64, input="i", pair=f"{supervisee}-{supervisor}",
                     person=supervisee, supervisee=supervisee, supervisor=supervisor,
                     staff_id="", layout="sefton", start=start, review=None, meetings=12,
                     made=datetime(2026, 3, 1, 9, 30))  # fmt: skip

    given = [
        Entry("superseded/zoe.docx", stamp("Zoe", "Joe", date(2025, 3, 3)), "superseded"),
        Entry("b.docx", stamp("Émile", "Joe", date(2026, 3, 2)), "made", "new", 3),
        Entry("a2.docx", stamp("amira", "Joe", date(2026, 3, 2)), "made"),
        Entry("a1.docx", stamp("Amira", "Joe", None), "edited in Word"),
        Entry("a3.docx", stamp("Amira", "Ann", date(2027, 1, 4)), "up to date"),
        Entry("c.docx", stamp("Carl", "Joe", date(2026, 3, 2)), "left the roster"),
    ]
    stored = Entries()
    try:
        for entry in given:
            stored.set(entry)
        stored.set(Entry("b.docx", stamp("Émile", "Joe", date(2026, 3, 2)), "made", "why", 4))
        moved = stored.pop("c.docx")
        stored.set(Entry("superseded/c.docx", moved.stamp, "superseded"))
        with pytest.raises(KeyError):
            stored.pop("c.docx")
        assert len(stored) == 6
        order = [(e.file, e.why, e.roster_row) for e in stored]
        assert order == [
            ("a3.docx", "", None),  # Amira with Ann before Amira with Joe
            ("a1.docx", "", None),  # no start date first
            ("a2.docx", "", None),
            ("b.docx", "why", 4),  # set again: the latest
            ("superseded/c.docx", "", None),  # superseded last, by name
            ("superseded/zoe.docx", "", None),
        ]
        # The manifest laid out from them has the rows it has from a plain list.
        from_disk = Manifest(tmp_path / "a", datetime(2026, 3, 1)).write(stored, {})
        in_memory = Manifest(tmp_path / "b", datetime(2026, 3, 1)).write(list(stored)[::-1], {})
        assert from_disk.path is not None and in_memory.path is not None
        values = [list(load_workbook(result.path)["Agreements"].values)
                  for result in (from_disk, in_memory)]  # fmt: skip
        assert values[0] == values[1]
    finally:
        stored.close()
