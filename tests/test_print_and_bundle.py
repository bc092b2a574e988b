"""PDFs, the one print file and the zip: real LibreOffice, files reopened and counted."""

from __future__ import annotations

import os
import re
import stat
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document

from docgen import Extras, generate
from docgen.pdf import convert_to_pdf, find_libreoffice

from .conftest import document_text, row, run_cli

IN_CI = bool(os.environ.get("CI"))
LAYOUTS = ("sefton", "contract", "safeguarding", "stoke")


def needs_libreoffice() -> None:
    if find_libreoffice() is None:
        if IN_CI:
            pytest.fail("LibreOffice is not installed; .ci/run installs it")
        pytest.skip("LibreOffice is not installed")


def pdf_pages(path: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", path.read_bytes()))


def team(roster_path) -> Path:  # type: ignore[no-untyped-def]
    rows = [row(supervisee=f"Person {n}", Layout=LAYOUTS[n % 4], Organisation="Sefton Council",
                Meeting_day="Tuesday", Meeting_time="10:00") for n in range(6)]  # fmt: skip
    return roster_path(rows)


@pytest.mark.slow
def test_pdf_beside_each_agreement_and_only_once(tmp_path: Path, roster_path) -> None:
    needs_libreoffice()
    out = tmp_path / "out"
    roster = team(roster_path)
    result = generate(roster, out, extras=Extras(pdf=True))
    assert len(result.pdfs) == 6 and not result.pdf_failed
    for document in out.glob("*.docx"):
        pdf = document.with_suffix(".pdf")
        assert pdf.read_bytes().startswith(b"%PDF") and pdf_pages(pdf) >= 2
    before = {p: p.stat().st_mtime_ns for p in out.glob("*.pdf")}
    again = generate(roster, out, extras=Extras(pdf=True))
    assert again.pdfs == []  # up to date agreements keep their PDFs
    assert {p: p.stat().st_mtime_ns for p in out.glob("*.pdf")} == before


@pytest.mark.slow
def test_pdf_a_for_archives(tmp_path: Path, roster_path) -> None:
    needs_libreoffice()
    code, _, err = run_cli("generate", str(roster_path([row()])), "--out", str(tmp_path), "--pdf-a")
    assert code == 0, err
    [pdf] = tmp_path.glob("*.pdf")
    assert re.search(rb"pdfaid:part[>=\"']+2", pdf.read_bytes())  # PDF/A-2


@pytest.mark.slow
def test_one_print_file_holds_every_agreement_each_on_its_own_pages(
    tmp_path: Path, roster_path
) -> None:
    needs_libreoffice()
    out = tmp_path / "out"
    result = generate(team(roster_path), out, extras=Extras(pdf=True, combine=True))
    combined = out / "All agreements.docx"
    assert result.combined == combined
    document = Document(str(combined))
    text = "\n".join(document_text(combined))
    for n in range(6):
        assert f"Person {n}" in text
    singles = [Document(str(p)) for p in sorted(out.glob("Person *.docx"))]
    assert len(document.tables) == sum(len(d.tables) for d in singles)
    # every agreement's meeting table, its 12 meetings intact
    meeting_tables = [
        t
        for t in document.tables
        if sum("March 2026" in c.text for r in t.rows for c in r.cells) >= 1 and len(t.rows) >= 13
    ]  # a header row and 12 monthly meetings
    assert len(meeting_tables) == 6
    assert len(document.sections) >= 6  # a new section, so a new page, for each agreement
    pages = pdf_pages(combined.with_suffix(".pdf"))
    assert pages == sum(pdf_pages(p.with_suffix(".pdf")) for p in sorted(out.glob("Person *.docx")))
    # The print file is nobody's agreement: the next run does not take it for one.
    again = generate(team(roster_path), out)
    assert {o.action for o in again.outcomes} == {"up to date"}
    with zipfile.ZipFile(combined) as archive:
        assert b"docgen content" not in archive.read("docProps/custom.xml")


def test_a_plain_run_writes_document_properties_in_their_own_namespace(
    tmp_path: Path, roster_path
) -> None:
    """Importing docxtpl imports docxcompose, which re-points python-docx's core-properties
    prefix for the whole process: in a fresh process (as staff run it), an agreement's
    author, keywords and category are still where Word looks for them."""
    import subprocess

    from lxml import etree

    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "docgen", "generate",
                           str(roster_path([row()])), "--out", str(out)],
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    [made] = out.glob("*.docx")
    with zipfile.ZipFile(made) as archive:
        core = etree.fromstring(archive.read("docProps/core.xml"))
    core_ns = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
    where = {etree.QName(element).localname: etree.QName(element).namespace for element in core}
    for name in ("lastModifiedBy", "keywords", "category"):
        assert where[name] == core_ns, name
    assert where["creator"] == "http://purl.org/dc/elements/1.1/"


def test_combining_leaves_document_properties_in_their_own_namespace(
    tmp_path: Path, roster_path
) -> None:
    """docxcompose re-points python-docx's core-properties prefix when imported; agreements
    made after a combine must still have their author and keywords where Word looks."""
    out = tmp_path / "out"
    generate(team(roster_path), out, extras=Extras(combine=True))
    generate(roster_path([row(supervisee="Later Person")], name="later.xlsx"), tmp_path / "later")
    [later] = (tmp_path / "later").glob("*.docx")
    with zipfile.ZipFile(later) as archive:
        core = archive.read("docProps/core.xml").decode()
    core_ns = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
    custom_ns = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
    assert custom_ns not in core
    assert re.search(r"<(\w+):keywords>", core)
    prefix = re.search(r"<(\w+):keywords>", core).group(1)  # type: ignore[union-attr]
    assert f'xmlns:{prefix}="{core_ns}"' in core
    assert core.count(":lastModifiedBy>") == 2  # one element: opening and closing tag
    # And the Open XML SDK, which checks every part against its schema, finds nothing wrong.
    from .test_layouts import find_validator

    validator = find_validator()
    if validator is None:
        if IN_CI:
            pytest.fail("the Open XML validator is not installed; .ci/run installs it")
        return
    import json
    import subprocess

    checked = subprocess.run([validator, str(later)], capture_output=True, text=True,
                             timeout=120, check=False)  # fmt: skip
    report = json.loads(checked.stdout)
    assert report["ok"] and report["errors"] == [], report["errors"][:3]


def test_zip_of_the_run(tmp_path: Path, roster_path) -> None:
    out = tmp_path / "out"
    result = generate(
        team(roster_path), out, extras=Extras(calendars=True, combine=True, bundle=True)
    )
    assert result.bundle == out / "Supervision agreements.zip"
    with zipfile.ZipFile(result.bundle) as archive:
        names = set(archive.namelist())
    assert {p.name for p in out.glob("Person *.docx")} <= names
    assert {p.name for p in out.glob("Person *.ics")} <= names
    assert {"manifest.xlsx", "All agreements.docx"} <= names
    assert "Supervision agreements.zip" not in names


def test_without_libreoffice_a_sentence_says_how_to_install_it(
    tmp_path: Path, roster_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty-path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setattr("docgen.pdf._MAC_PLACE", str(empty / "none"))
    code, _, err = run_cli(
        "generate", str(roster_path([row()])), "--out", str(tmp_path / "o"), "--pdf"
    )
    assert code == 1
    assert "LibreOffice, which is not installed" in err
    for where in ("on Windows", "on macOS", "on Debian or Ubuntu"):
        assert where in err
    assert not (tmp_path / "o").exists()  # nothing made before saying so


def test_a_batch_that_fails_is_retried_one_document_at_a_time(tmp_path: Path) -> None:
    """A stand-in for LibreOffice that gives up on any batch holding a "bad" document, so
    the retry can be seen; the real conversions are tested above."""
    fake = tmp_path / "soffice"
    fake.write_text(
        f"#!{sys.executable}\n"
        + """
import sys, pathlib
args = sys.argv[1:]
out = pathlib.Path(args[args.index("--outdir") + 1])
files = [pathlib.Path(a) for a in args if a.endswith(".docx")]
if any("bad" in f.name for f in files) and len(files) > 1:
    sys.exit(1)
for f in files:
    if "bad" not in f.name:
        (out / (f.stem + ".pdf")).write_bytes(b"%PDF-1.7 fake")
sys.exit(81 if any("bad" in f.name for f in files) else 0)
"""
    )
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    documents = []
    for name in ("one", "two", "bad", "four", "five"):
        documents.append(tmp_path / f"{name}.docx")
        documents[-1].write_bytes(b"x")
    result = convert_to_pdf(documents, program=str(fake), batch_size=5, workers=1)
    assert [p.name for p in result.made] == ["one.pdf", "two.pdf", "four.pdf", "five.pdf"]
    assert [(p.name, why) for p, why in result.failed] == [
        ("bad.docx", "LibreOffice stopped with code 81")
    ]
