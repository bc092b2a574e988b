"""Fields people complete (issue 13, "Must hold" 1): Word content controls with a stable tag,
a dotted line as their placeholder, listed in each layout's metadata and by `docgen
templates`, checked by the template check; read back as empty until someone types in them."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from lxml import etree

from docgen import generate
from docgen.fields import read_controls, read_fields
from docgen.template_check import check_template
from docgen.templates import load_catalogue, shipped_templates_dir

from .conftest import row, run_cli

# The fields of each shipped layout, in document order: the blanks the seeds leave for
# people to complete (LAYOUTS.md), each party's signature and, where the form has one, date.
SEFTON = [
    "expectations_supervisee_wants", "expectations_supervisee_contributes",
    "expectations_supervisor_wants", "expectations_supervisor_contributes",
    "expectations_supervisor_responsible_for", "expectations_supervisee_responsible_for",
    "signed_supervisee", "signed_supervisee_date", "signed_supervisor", "signed_supervisor_date",
]  # fmt: skip
SAFEGUARDING = [
    "cancelled_sessions_rebooked_by", "location_booking_and_contingency",
    "recording_arrangements", "expectations_supervisee_wants", "expectations_supervisor_wants",
    "expectations_each_contributes", "expectations_link_to_line_manager",
    "expectations_supervision_is_not", "review_arrangements",
    "signed_supervisor", "signed_supervisor_date", "signed_supervisee", "signed_supervisee_date",
]  # fmt: skip
FIELDS = {
    "sefton": SEFTON,
    "safeguarding": SAFEGUARDING,
    "contract": ["signed_supervisee", "signed_supervisor"],  # the contract dates nothing
    "stoke": ["signed_supervisor", "signed_supervisee"],  # its date of agreement is the start
}


def sdts(path: Path) -> list[etree._Element]:
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    return list(root.iter(qn("w:sdt")))


def tag_of(sdt: etree._Element) -> str:
    return sdt.find(qn("w:sdtPr")).find(qn("w:tag")).get(qn("w:val"))


@pytest.mark.parametrize("layout", list(FIELDS))
def test_each_layout_has_its_fields_as_plain_text_controls_showing_a_dotted_line(
    tmp_path: Path, roster_path, layout: str
) -> None:
    result = generate(roster_path([row(Layout=layout)]), tmp_path / "out")
    [document] = result.documents
    controls = sdts(document)
    assert [tag_of(sdt) for sdt in controls] == FIELDS[layout]
    for sdt in controls:
        properties = sdt.find(qn("w:sdtPr"))
        assert properties.find(qn("w:text")) is not None  # plain text: click and type
        assert properties.find(qn("w:showingPlcHdr")) is not None
        assert properties.find(qn("w:placeholder")).find(qn("w:docPart")) is not None
        shown = "".join(sdt.find(qn("w:sdtContent")).itertext())
        assert shown and set(shown) <= {"…", " "} and "…" in shown  # dotted lines, as printed
    # Word shows the placeholder again from the glossary when a field is emptied.
    with zipfile.ZipFile(document) as archive:
        glossary = archive.read("word/glossary/document.xml").decode()
    assert "bbPlcHdr" in glossary and "…" in glossary
    assert read_fields(document.read_bytes()) == dict.fromkeys(FIELDS[layout], "")


def test_layout_metadata_and_docgen_templates_list_the_fields() -> None:
    catalogue = load_catalogue()
    for key, fields in FIELDS.items():
        assert list(catalogue.get(key).fields) == fields
    code, stdout, _ = run_cli("templates")
    assert code == 0
    assert "\tfields: signed_supervisee, signed_supervisor\n" in stdout  # contract
    assert "\tfields: " + ", ".join(SEFTON) + "\n" in stdout


def test_a_sefton_prompt_and_its_field_print_as_the_dotted_lines_of_the_form(
    tmp_path: Path, roster_path
) -> None:
    [document] = generate(roster_path([row()]), tmp_path / "out").documents
    paragraphs = Document(str(document)).paragraphs
    prompt = next(p for p in paragraphs if p.text.startswith("a) What I want from you"))
    [sdt] = prompt._p.findall(qn("w:sdt"))
    # The rest of the line, then a whole line, as the form printed them: where the line
    # wraps, not a line break (which LibreOffice 7.4, making the PDFs, would drop).
    assert sdt.find(".//" + qn("w:br")) is None
    text = "".join(t.text for t in sdt.iter(qn("w:t")))
    assert text == "…" * 13 + " " + "…" * 40


def council_layout(tmp_path: Path, sdt_xml: str, fields: str) -> Path:
    """A council's copy of sefton with one more content control (as Word inserts one) and its
    own metadata."""
    folder = tmp_path / "layouts"
    folder.mkdir()
    docx = folder / "leeds.docx"
    shutil.copy(shipped_templates_dir() / "sefton.docx", docx)
    document = Document(str(docx))
    paragraph = document.add_paragraph("Anything else: ")
    paragraph._p.append(etree.fromstring(
        f'<w:sdt xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"{sdt_xml}</w:sdt>"))  # fmt: skip
    document.save(str(docx))
    metadata = (shipped_templates_dir() / "sefton.toml").read_text(encoding="utf-8")
    start, end = metadata.index("fields = ["), metadata.index("]\n", metadata.index("fields = ["))
    (folder / "leeds.toml").write_text(metadata[:start] + fields + metadata[end + 2 :],
                                       encoding="utf-8")  # fmt: skip
    return docx


WORD_INSERTED = (
    '<w:sdtPr><w:alias w:val="Anything else"/><w:tag w:val="anything_else"/><w:id w:val="-1"/>'
    '<w:placeholder><w:docPart w:val="DefaultPlaceholder_-1854013440"/></w:placeholder>'
    "<w:showingPlcHdr/><w:text/></w:sdtPr><w:sdtContent><w:r><w:rPr>"
    '<w:rStyle w:val="PlaceholderText"/></w:rPr><w:t>Click or tap here to enter text.</w:t>'
    "</w:r></w:sdtContent>"
)
ALL_SEFTON = "fields = [" + ", ".join(f'"{f}"' for f in SEFTON)


def warnings_of(docx: Path) -> list[str]:
    return [f.message for f in check_template(docx) if f.severity == "warning"]


def test_a_field_a_council_inserts_in_word_is_checked_and_read(tmp_path: Path) -> None:
    docx = council_layout(tmp_path, WORD_INSERTED, ALL_SEFTON + ', "anything_else"]\n')
    assert not [w for w in warnings_of(docx) if "field" in w or "content control" in w]
    assert read_fields(docx.read_bytes())["anything_else"] == ""  # Word's placeholder: empty


def test_the_template_check_names_each_field_problem(tmp_path: Path) -> None:
    no_tag = WORD_INSERTED.replace('<w:alias w:val="Anything else"/><w:tag w:val="anything_else"/>',
                                   "")  # fmt: skip
    docx = council_layout(tmp_path, no_tag, ALL_SEFTON + ', "review_notes"]\n')
    warnings = warnings_of(docx)
    assert any("has a content control with no tag, so docgen cannot read what people type in "
               "it" in w and "Developer > Properties" in w for w in warnings)  # fmt: skip
    assert any("has no content control for review_notes, which leeds.toml lists" in w
               for w in warnings)  # fmt: skip


def test_the_template_check_finds_unlisted_doubled_and_prefilled_fields(tmp_path: Path) -> None:
    prefilled = ('<w:sdtPr><w:tag w:val="signed_supervisee"/><w:text/></w:sdtPr>'
                 "<w:sdtContent><w:r><w:t>Amira</w:t></w:r></w:sdtContent>")  # fmt: skip
    docx = council_layout(tmp_path, prefilled, 'fields = ["signed_supervisee"]\n')
    warnings = warnings_of(docx)
    assert any("marks the field signed_supervisee twice" in w for w in warnings)
    assert any("has fields that leeds.toml does not list: expectations_supervisee_wants" in w
               for w in warnings)  # fmt: skip
    bad_tag = ('<w:sdtPr><w:tag w:val="Signed By"/><w:showingPlcHdr/><w:text/></w:sdtPr>'
               "<w:sdtContent><w:r><w:t>…</w:t></w:r></w:sdtContent>")  # fmt: skip
    other = tmp_path / "other"
    other.mkdir()
    docx = council_layout(other, bad_tag, ALL_SEFTON + "]\n")
    assert any('has a content control tagged "Signed By", which is not a field name' in w
               for w in warnings_of(docx))  # fmt: skip


def test_a_filled_field_without_its_placeholder_mark_is_read_and_dots_alone_are_empty() -> None:
    from docgen.fields import controls_in

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    xml = (f'<w:document {w}><w:body><w:p>'
           '<w:sdt><w:sdtPr><w:alias w:val="Signed supervisor date"/></w:sdtPr>'
           "<w:sdtContent><w:r><w:t>……………</w:t></w:r></w:sdtContent></w:sdt>"
           '<w:sdt><w:sdtPr><w:tag w:val="recording_arrangements"/></w:sdtPr><w:sdtContent>'
           "<w:r><w:t>Typed by</w:t><w:tab/><w:t>the supervisor</w:t><w:br/><w:t>weekly</w:t>"
           "</w:r></w:sdtContent></w:sdt></w:p></w:body></w:document>").encode()  # fmt: skip
    first, second = controls_in(xml)
    assert (first.name, first.text) == ("signed_supervisor_date", "")
    assert (second.name, second.text) == ("recording_arrangements",
                                          "Typed by\tthe supervisor\nweekly")  # fmt: skip
    assert [c.name for c in read_controls_of_each_layout()] == sorted(
        {tag for tags in FIELDS.values() for tag in tags}
    )


def read_controls_of_each_layout() -> list:  # type: ignore[type-arg]
    seen = {}
    for layout in FIELDS:
        for control in read_controls((shipped_templates_dir() / f"{layout}.docx").read_bytes()):
            seen.setdefault(control.name, control)
    return [seen[name] for name in sorted(seen)]


def marked_layout(tmp_path: Path) -> Path:
    """A council's own layout whose fields are typed as [[ name ]] marks, as anyone can in
    Word without its Developer tab: on a line of its own, after words (Word having split the
    mark across two runs), and in a table cell; and one mark that is no field name."""
    folder = tmp_path / "marked"
    folder.mkdir()
    document = Document()
    document.add_paragraph("Supervision agreement for {{ supervisee }}")
    document.add_paragraph("What we agreed:")
    document.add_paragraph("[[ agreed_actions ]]")
    split = document.add_paragraph("Next review: ")
    split.add_run("[[next_re").bold = True
    split.add_run("view_notes]] by the supervisor").bold = True
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Witness"
    table.cell(0, 1).text = "[[signed_witness]]"
    document.add_paragraph("Notes: [[Review Notes]]")
    document.save(str(folder / "marked.docx"))
    (folder / "marked.toml").write_text(
        'name = "Marked"\norganisation = "Our Council"\n'
        'fields = ["agreed_actions", "next_review_notes", "signed_witness"]\n',
        encoding="utf-8",
    )
    return folder / "marked.docx"


def test_a_field_typed_as_a_mark_becomes_a_content_control(tmp_path: Path, roster_path) -> None:
    from docgen import Options
    from docgen.context import sample_context
    from docgen.render import _prepared, compile_layout, render_document

    from .test_fast_render import assert_same_parts, docxtpl_render

    layout = marked_layout(tmp_path)
    warnings = warnings_of(layout)
    assert warnings == [
        "the layout marked.docx has [[Review Notes]], which is not a field: it would be "
        "printed as typed in every agreement. A field's name is lower-case letters, digits "
        "and _, starting with a letter, such as [[ review_notes ]]"
    ]
    result = generate(roster_path([row(Layout="marked")]), tmp_path / "out",
                      Options(templates_dir=layout.parent))  # fmt: skip
    [document] = result.documents
    controls = sdts(document)
    assert [tag_of(sdt) for sdt in controls] == ["agreed_actions", "next_review_notes",
                                                 "signed_witness"]  # fmt: skip
    body = Document(str(document))
    split = body.paragraphs[3]
    assert [r.text for r in split.runs] == ["Next review: ", " by the supervisor"]
    assert split.runs[1].bold  # the words after the mark keep their formatting
    for sdt, dots in zip(controls, (40, 13, 8), strict=True):
        assert sdt.find(qn("w:sdtPr")).find(qn("w:showingPlcHdr")) is not None
        assert "".join(sdt.find(qn("w:sdtContent")).itertext()) == "…" * dots
    assert body.paragraphs[4].text == "Notes: [[Review Notes]]"  # not a field: as typed
    assert read_fields(document.read_bytes()) == dict.fromkeys(
        ["agreed_actions", "next_review_notes", "signed_witness"], ""
    )
    # docgen's quick way of filling in layouts makes what docxtpl's own render makes.
    context = sample_context()
    compiled = compile_layout(load_catalogue(layout.parent).get("marked"), context)
    assert _prepared(compiled) is not None
    assert_same_parts(render_document(compiled, context),
                      docxtpl_render(compiled.template_bytes, context))  # fmt: skip
