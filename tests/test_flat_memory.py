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
