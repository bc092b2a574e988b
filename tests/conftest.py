"""Helpers that build real roster workbooks and read real Word documents back."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from openpyxl import Workbook

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_ROSTER = REPO / "data" / "example_roster.xlsx"

BASE_ROW: dict[str, Any] = {
    "Layout": "sefton",
    "Organisation": "Sefton Council",
    "Supervisee": "Amira Khan",
    "Supervisee job title": "Social Worker",
    "Supervisor": "Joe Bloggs",
    "Supervisor job title": "Team Manager",
    "Role": "Social worker",
    "Newly qualified": "No",
    "Start date": datetime(2026, 3, 2),
    "Meeting day": "Tuesday",
    "Meeting time": time(10, 0),
    "Duration": 90,
    "Location": "Bootle Town Hall",
    "Nation": "England",
    "Key tasks": "Child protection caseload",
}


def row(**changes: Any) -> dict[str, Any]:
    """A good roster row with `changes` (keyword names use _ for spaces)."""
    result = dict(BASE_ROW)
    for key, value in changes.items():
        header = key.replace("_", " ")
        result[header[0].upper() + header[1:].lower()] = value
    return result


def write_roster(
    path: Path,
    rows: Sequence[Mapping[str, Any]],
    *,
    sheet: str = "Roster",
    headers: Sequence[str] | None = None,
    title_rows: Sequence[str] = (),
    leave: Sequence[tuple[str, Any, Any]] = (),
) -> Path:
    """Write `rows` (dicts keyed by header) as a real .xlsx roster at `path`."""
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    headers = list(headers or dict.fromkeys(key for r in rows for key in r))
    for title in title_rows:
        worksheet.append([title])
    worksheet.append(headers)
    for values in rows:
        worksheet.append([values.get(header) for header in headers])
    for cells in worksheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, datetime | date):
                cell.number_format = "dd/mm/yyyy"
    if leave:
        sheet_leave = workbook.create_sheet("Leave")
        sheet_leave.append(["Supervisor", "From", "To"])
        for entry in leave:
            sheet_leave.append(list(entry))
    workbook.save(path)
    return path


def paragraph_text(paragraph: Paragraph) -> str:
    """A paragraph's text as Word shows it: python-docx's `text` leaves out what is inside a
    content control (w:sdt), such as a field's dotted placeholder line."""
    return "".join(Run(r, paragraph).text for r in paragraph._p.xpath(
        "./w:r | ./w:hyperlink/w:r | ./w:sdt/w:sdtContent/w:r"))  # fmt: skip


def document_text(path: Path) -> list[str]:
    """Every paragraph's text (tabs and line breaks kept), and each table row's cells joined
    by " | ", in document order."""
    lines: list[str] = []
    for item in Document(str(path)).iter_inner_content():
        if isinstance(item, Paragraph):
            lines.append(paragraph_text(item))
        else:
            lines.extend(" | ".join(cell.text for cell in r.cells) for r in item.rows)
    return lines


def assert_in_order(lines: Sequence[str], expected: Sequence[str]) -> None:
    """Each of `expected` appears in `lines`, in this order (each a substring of a line)."""
    position = 0
    for text in expected:
        for index in range(position, len(lines)):
            if text in lines[index]:
                position = index + 1
                break
        else:
            raise AssertionError(
                f"{text!r} not found after line {position}: {lines[position : position + 5]}"
            )


def run_cli(*args: str) -> tuple[int, str, str]:
    """`docgen ARGS...` through click's test runner: exit code, stdout, stderr."""
    from click.testing import CliRunner

    from docgen.cli import main

    result = CliRunner().invoke(main, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def roster_path(tmp_path: Path):  # type: ignore[no-untyped-def]
    def make(rows: Sequence[Mapping[str, Any]], name: str = "roster.xlsx", **kwargs: Any) -> Path:
        return write_roster(tmp_path / name, rows, **kwargs)

    return make


def fill_in(path: Path, values: Mapping[str, str]) -> None:
    """Type `values` into the agreement's fields (content controls, by tag) and save it, as a
    manager does in Word: the placeholder goes, the text takes its place; a line break where
    they pressed Enter."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = Document(str(path))
    for sdt in document.element.iter(qn("w:sdt")):
        properties = sdt.find(qn("w:sdtPr"))
        tag = properties.find(qn("w:tag"))
        if tag is None or tag.get(qn("w:val")) not in values:
            continue
        for mark in properties.findall(qn("w:showingPlcHdr")):
            properties.remove(mark)
        content = sdt.find(qn("w:sdtContent"))
        first, *rest = content.findall(qn("w:r"))
        for run in rest:
            content.remove(run)
        for child in list(first):
            if child.tag != qn("w:rPr"):
                first.remove(child)
        for number, line in enumerate(values[tag.get(qn("w:val"))].split("\n")):
            if number:
                first.append(OxmlElement("w:br"))
            text = OxmlElement("w:t")
            text.text = line
            first.append(text)
    document.save(str(path))


def resave_with_libreoffice(path: Path) -> None:
    """Open `path` in LibreOffice and save it as Word again, in its place."""
    import shutil
    import subprocess
    import tempfile

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice is not installed; .ci/run installs it")
        pytest.skip("LibreOffice is not installed")
    with tempfile.TemporaryDirectory() as folder:
        profile = Path(folder) / "profile"
        subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                        "--convert-to", "docx:MS Word 2007 XML", "--outdir", folder, str(path)],
                       capture_output=True, timeout=180, check=True)  # fmt: skip
        shutil.copyfile(Path(folder) / path.name, path)
