"""`docgen check-template` and `docgen generate` agree on every layout, on every part of it
(main text, headers, footers, footnotes, endnotes, document properties), and say what is
wrong in words a council officer follows."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from docx import Document
from docx.enum.section import WD_SECTION
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml

from docgen.cli import main
from docgen.templates import shipped_templates_dir

from .conftest import row, write_roster

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NOTE_TYPES = {
    "footnote": ("application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                 RT.FOOTNOTES),
    "endnote": ("application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml",
                RT.ENDNOTES),
}  # fmt: skip
# What Jinja, Python and TOML say, which a council officer should never be shown.
FOREIGN_WORDS = ("Jinja", "jinja", "Unexpected end of template", "looking for the following",
                 "expected token", "unexpected char", "is undefined", "has no attribute",
                 "dict object", "TemplateSyntaxError", "Traceback", "TOML",
                 "Invalid value", "fault in docgen")  # fmt: skip


# -- building layouts as Word would save them --------------------------------------------------


def run_xml(text: str, bold: bool = False) -> str:
    properties = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:r>{properties}<w:t xml:space="preserve">{text}</w:t></w:r>'


def add_raw_paragraph(parent: Any, runs: str) -> None:
    """A paragraph made of `runs` (Word XML), at the end of `parent`'s element."""
    paragraph = parse_xml(f'<w:p xmlns:w="{W_NS}">{runs}</w:p>')
    body = hasattr(parent, "sections")  # the document itself, not a header or footer
    element = parent.element.body if body else parent._element
    if body:
        element.insert(len(element) - 1, paragraph)  # before the section properties
    else:
        element.append(paragraph)


def add_note(document: Any, kind: str, runs: str) -> None:
    """A footnote or endnote holding `runs`, referred to from a new paragraph. python-docx
    cannot make notes, so the part is written as Word writes it."""
    content_type, reltype = NOTE_TYPES[kind]
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           f'<w:{kind}s xmlns:w="{W_NS}">'
           f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
           f"</w:{kind}><w:{kind} w:id=\"1\"><w:p>{runs}</w:p></w:{kind}></w:{kind}s>")  # fmt: skip
    part = Part(PackURI(f"/word/{kind}s.xml"), content_type, xml.encode(), document.part.package)
    document.part.relate_to(part, reltype)
    add_raw_paragraph(document, f'<w:r><w:t>See the note.</w:t></w:r><w:r><w:{kind}Reference '
                                'w:id="1"/></w:r>')  # fmt: skip


def split(container: Any, *pieces: str) -> None:
    """A paragraph "Split: " then `pieces`, every other one bold, as when part of a tag is
    formatted differently."""
    add_raw_paragraph(container, run_xml("Split: ") + "".join(
        run_xml(piece, bold=bool(number % 2)) for number, piece in enumerate(pieces)
    ))  # fmt: skip


def tracked(container: Any, before: str, inserted: str) -> None:
    """A tag typed partly before and partly after Track Changes was turned on."""
    add_raw_paragraph(container, run_xml("Split: ") + run_xml(before)
                      + '<w:ins w:id="90" w:author="Officer" w:date="2026-01-05T09:00:00Z">'
                      + run_xml(inserted) + "</w:ins>")  # fmt: skip


def linked(container: Any, before: str, inside: str) -> None:
    """A tag whose second half Word made part of a link."""
    add_raw_paragraph(
        container,
        run_xml("Split: ")
        + run_xml(before)
        + '<w:hyperlink w:anchor="top">'
        + run_xml(inside)
        + "</w:hyperlink>",
    )


def with_markers(container: Any, before: str, after: str) -> None:
    """A tag with Word's spelling and bookmark markers between its pieces."""
    add_raw_paragraph(
        container,
        run_xml("Split: ")
        + run_xml(before)
        + '<w:proofErr w:type="spellStart"/><w:bookmarkStart w:id="7" w:name="b"/>'
        + run_xml(after)
        + '<w:bookmarkEnd w:id="7"/><w:proofErr w:type="spellEnd"/>',
    )


def deleted_inside(container: Any, before: str, after: str) -> None:
    """A tag with a tracked deletion in its middle."""
    add_raw_paragraph(
        container,
        run_xml("Split: ")
        + run_xml(before)
        + '<w:del w:id="91" w:author="Officer" w:date="2026-01-05T09:00:00Z">'
        "<w:r><w:delText>xyz</w:delText></w:r></w:del>" + run_xml(after),
    )


def table(document: Any, rows: list[tuple[str, str]]) -> None:
    grid = document.add_table(rows=len(rows), cols=2)
    for cells, (first, second) in zip(grid.rows, rows, strict=True):
        cells.cells[0].text, cells.cells[1].text = first, second


def half_bold_sefton_supervisee(document: Any) -> None:
    """Sefton's own "{{ supervisee }}", its first half made bold (the issue's example)."""
    for paragraph in document.paragraphs:
        if paragraph.text == "Name Supervisee: {{ supervisee }}":
            text = paragraph.text
            for old in paragraph.runs:
                old._r.getparent().remove(old._r)
            start = text.index("{{ supervisee }}")
            paragraph.add_run(text[:start] + "Split: ")
            paragraph.add_run("{{ super").bold = True
            paragraph.add_run("visee }}" + text[start + 16 :])
            return
    raise AssertionError("Sefton's layout no longer has {{ supervisee }} on its own line")


# -- the cases -----------------------------------------------------------------------------------

Change = Callable[[Any], Any]
header: Callable[[Any], Any] = lambda d: d.sections[0].header  # noqa: E731
footer: Callable[[Any], Any] = lambda d: d.sections[0].footer  # noqa: E731

# Layouts both must accept: (name, change, the part whose text must read "Split: Amira Khan").
ACCEPTED: list[tuple[str, Change, str]] = [
    ("bold first half", lambda d: split(d, "{{ super", "visee }}"), "word/document.xml"),
    ("opening braces apart", lambda d: split(d, "{", "{ supervisee }}"), "word/document.xml"),
    ("closing braces apart", lambda d: split(d, "{{ supervisee }", "}"), "word/document.xml"),
    ("every character its own run", lambda d: split(d, *"{{ supervisee }}"), "word/document.xml"),
    ("Sefton's own tag half bold", half_bold_sefton_supervisee, "word/document.xml"),
    (
        "spelling and bookmark marks",
        lambda d: with_markers(d, "{{ super", "visee }}"),
        "word/document.xml",
    ),
    (
        "tracked insertion in a tag",
        lambda d: tracked(d, "{{ super", "visee }}"),
        "word/document.xml",
    ),
    (
        "tracked deletion in a tag",
        lambda d: deleted_inside(d, "{{ super", "visee }}"),
        "word/document.xml",
    ),
    ("half a tag in a link", lambda d: linked(d, "{{ super", "visee }}"), "word/document.xml"),
    ("header, half bold", lambda d: split(header(d), "{{ super", "visee }}"), "word/header"),
    (
        "header, tracked insertion",
        lambda d: tracked(header(d), "{{ super", "visee }}"),
        "word/header",
    ),
    ("footer, braces apart", lambda d: split(footer(d), "{", "{ supervisee }}"), "word/footer"),
    (
        "footnote, half bold",
        lambda d: add_note(
            d, "footnote", run_xml("Split: ") + run_xml("{{ super", True) + run_xml("visee }}")
        ),
        "word/footnotes.xml",
    ),  # fmt: skip
    (
        "footnote, half in a link",
        lambda d: add_note(
            d,
            "footnote",
            run_xml("Split: {{ super")
            + '<w:hyperlink w:anchor="t">'
            + run_xml("visee }}")
            + "</w:hyperlink>",
        ),
        "word/footnotes.xml",
    ),  # fmt: skip
    (
        "endnote",
        lambda d: add_note(d, "endnote", run_xml("Split: {{ supervisee }}")),
        "word/endnotes.xml",
    ),
    (
        "Word's curly quotes in a tag",
        lambda d: d.add_paragraph(
            "Split: {% if newly_qualified == \u201cNo\u201d %}{{ supervisee }}{% endif %}"
        ),
        "word/document.xml",
    ),  # fmt: skip
    (
        "paragraphs shown only if",
        lambda d: (
            d.add_paragraph("{%p if newly_qualified == 'No' %}"),
            d.add_paragraph("Split: {{ supervisee }}"),
            d.add_paragraph("{%p endif %}"),
        ),
        "word/document.xml",
    ),  # fmt: skip
    (
        "a repeated table row",
        lambda d: table(
            d,
            [
                ("{%tr for m in meetings %}", ""),
                ("Split: {{ supervisee }}", "{{ m.when }}"),
                ("{%tr endfor %}", ""),
            ],
        ),
        "word/document.xml",
    ),  # fmt: skip
    (
        "methods and filters that exist",
        lambda d: d.add_paragraph(
            "Split: {{ supervisee.title() }}{{ (meetings|first).when[:0] }}"
            "{{ meetings[0]['month'][:0] }}"
        ),
        "word/document.xml",
    ),  # fmt: skip
]

# Layouts both must refuse: (name, change, what both must say).
REFUSED: list[tuple[str, Change, str]] = [
    (
        "unknown variable in a footnote",
        lambda d: add_note(d, "footnote", run_xml("{{ supervisee_nam }}")),
        "uses {{ supervisee_nam }}, which is not a roster column or a value docgen works out: did "
        "you mean {{ supervisee }}?",
    ),
    (
        "unknown attribute in an endnote",
        lambda d: add_note(d, "endnote", run_xml("{{ meetings[0].whenn }}")),
        'uses {{ meetings[0].whenn }}, but meetings[0] has no "whenn"; did you mean '
        "meetings[0].when?",
    ),
    (
        "unknown variable in a header",
        lambda d: header(d).add_paragraph("{{ supervise }}"),
        "uses {{ supervise }}, which is not a roster column",
    ),
    (
        "unknown attribute, main text",
        lambda d: d.add_paragraph("{{ meetings[0].whenn }}"),
        'uses {{ meetings[0].whenn }}, but meetings[0] has no "whenn"',
    ),
    # The sample values have no note, so only reading the layout finds this one.
    (
        "unknown attribute in a branch the sample never takes",
        lambda d: d.add_paragraph(
            "{% for m in meetings %}{% if m.note %}{{ m.notee }}{% endif %}{% endfor %}"
        ),
        'uses {{ m.notee }}, but m has no "notee"; did you mean m.note?',
    ),
    (
        "unknown variable in a branch the sample never takes",
        lambda d: d.add_paragraph("{% if newly_qualified == 'Maybe' %}{{ nonesuch }}{% endif %}"),
        "uses {{ nonesuch }}, which is not a roster column",
    ),
    (
        "unknown filter in a footer",
        lambda d: footer(d).add_paragraph("{{ supervisee|uppper }}"),
        "uses the |uppper filter, which layouts cannot use: did you mean |upper?",
    ),
    (
        "a filter docgen does not have",
        lambda d: d.add_paragraph("{{ supervisee|wordwrap(9) }}"),
        "uses the |wordwrap filter, which layouts cannot use",
    ),
    (
        "unknown test",
        lambda d: d.add_paragraph("{% if meeting_count is evenn %}x{% endif %}"),
        'uses "is evenn", which is not a test layouts can use; did you mean is even?',
    ),
    (
        "an if left open in a footer",
        lambda d: footer(d).add_paragraph("{% if supervisee %}x"),
        "has {% if supervisee %} with no {% endif %} after it",
    ),
    (
        "two names in one tag",
        lambda d: d.add_paragraph("{{ supervisee name }}"),
        "has {{ supervisee name }}, which holds more than one name",
    ),
    (
        "a tag not closed",
        lambda d: d.add_paragraph("Dear {{ supervisee }"),
        'has "{{ supervisee }", a tag that is not closed: it must end with }}',
    ),
    (
        "a tag that is not a tag",
        lambda d: d.add_paragraph("{% foreach m in meetings %}"),
        "has {% foreach m in meetings %}, but foreach is not a tag layouts can use",
    ),
    (
        "a row loop with no end row",
        lambda d: table(
            d,
            [
                ("Month", "When"),
                ("{%tr for m in meetings %}", ""),
                ("{{ m.month }}", "{{ m.when }}"),
            ],
        ),
        "has a table row that repeats rows, starting with {%tr for m in meetings %}, but no row "
        "after it holds {%tr endfor %}",
    ),
    (
        "a row loop closed inside a cell",
        lambda d: table(
            d, [("{%tr for m in meetings %}", ""), ("{{ m.month }}", "{{ m.when }}{% endfor %}")]
        ),
        "write {%tr endfor %} in a row of its own, or rows would be lost",
    ),
    (
        "a row tag outside a table",
        lambda d: (
            d.add_paragraph("{%tr for m in meetings %}"),
            d.add_paragraph("{{ m.when }}"),
            d.add_paragraph("{%tr endfor %}"),
        ),
        "has {%tr for m in meetings %} outside a table",
    ),
    (
        "two paragraph tags in one paragraph",
        lambda d: split(d, "{%", "p if supervisee %}x{%p endif %}"),
        "has {%p if supervisee %} and {%p endif %} in the same paragraph",
    ),
    (
        "a run tag printing a value",
        lambda d: d.add_paragraph("{{r supervisee }}"),
        "has {{r supervisee }}: docgen's values are plain text, so write {{ supervisee }}",
    ),
    (
        "a loop name outside its loop",
        lambda d: d.add_paragraph("{{ m.when }}"),
        "uses {{ m }}, which is not a roster column",
    ),
    (
        "a division by zero",
        lambda d: d.add_paragraph("{{ meeting_count / 0 }}"),
        "a calculation in it failed (it divides by zero)",
    ),
]


@pytest.fixture(scope="module")
def roster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("roster")
    return write_roster(folder / "roster.xlsx", [row(Layout="ours", Supervisee="Amira Khan",
                                                     Newly_qualified="No")])  # fmt: skip


def make_layout(folder: Path, change: Change) -> Path:
    folder.mkdir()
    document = Document(str(shipped_templates_dir() / "sefton.docx"))
    change(document)
    document.save(str(folder / "ours.docx"))
    (folder / "ours.toml").write_text('name = "Ours"\norganisation = "Our Council"\n',
                                      encoding="utf-8")  # fmt: skip
    return folder / "ours.docx"


def check_and_generate(layout: Path, roster: Path, out: Path) -> tuple[Any, Any]:
    checked = CliRunner().invoke(main, ["check-template", str(layout)])
    made = CliRunner().invoke(main, ["generate", str(roster), "--out", str(out),
                                     "--templates", str(layout.parent)])  # fmt: skip
    return checked, made


def part_text(document: Path, part: str) -> str:
    with zipfile.ZipFile(document) as archive:
        xml = "".join(archive.read(name).decode("utf-8") for name in archive.namelist()
                      if name.startswith(part))  # fmt: skip
    return re.sub(r"<[^>]+>", "", xml)


@pytest.mark.parametrize(("change", "part"), [pytest.param(c, p, id=n) for n, c, p in ACCEPTED])
def test_check_and_generate_both_accept_what_docxtpl_fills_in(
    tmp_path: Path, roster: Path, change: Change, part: str
) -> None:
    layout = make_layout(tmp_path / "layouts", change)
    checked, made = check_and_generate(layout, roster, tmp_path / "out")
    assert checked.exit_code == 0, checked.output
    assert "ready to use" in checked.stderr
    assert made.exit_code == 0, made.output
    [document] = (tmp_path / "out").glob("*.docx")
    text = part_text(document, part)
    assert "Split: Amira Khan" in text, text
    assert "{{" not in text and "{%" not in text


@pytest.mark.parametrize(("change", "said"), [pytest.param(c, s, id=n) for n, c, s in REFUSED])
def test_check_and_generate_both_refuse_with_the_same_sentence(
    tmp_path: Path, roster: Path, change: Change, said: str
) -> None:
    layout = make_layout(tmp_path / "layouts", change)
    checked, made = check_and_generate(layout, roster, tmp_path / "out")
    assert checked.exit_code == 4, checked.output
    assert made.exit_code == 4, made.output
    assert not list((tmp_path / "out").glob("*.docx")) if (tmp_path / "out").exists() else True
    assert said in " ".join(checked.stderr.split()), checked.stderr
    assert said in " ".join(made.stderr.split()), made.stderr
    assert made.stderr.startswith("Error: the layout ours.docx ")
    for words in FOREIGN_WORDS:
        assert words not in checked.stderr
        assert words not in made.stderr.removeprefix("Error:")


def test_the_row_where_an_unended_loop_starts_is_quoted(tmp_path: Path) -> None:
    layout = make_layout(tmp_path / "layouts", lambda d: table(d, [
        ("Month", "When"), ("{%tr for m in meetings %}", "(one row a meeting)"),
        ("{{ m.month }}", "{{ m.when }}")]))  # fmt: skip
    checked = CliRunner().invoke(main, ["check-template", str(layout)])
    assert checked.exit_code == 4
    assert 'in: "{%tr for m in meetings %} | (one row a meeting)"' in checked.stderr
    assert "add a row below the rows it repeats, with {%tr endfor %} in its first cell" in " ".join(
        checked.stderr.split()
    )


def test_footnotes_are_filled_in_once_so_roster_text_is_never_run(tmp_path: Path) -> None:
    """docxtpl fills the footnotes in once for each section of the document: from the second
    section on, a name typed as "{{ 7 * 7 }}" would be worked out and print as 49."""

    def two_sections_and_a_footnote(document: Any) -> None:
        document.add_section(WD_SECTION.NEW_PAGE)
        document.add_paragraph("The second section.")
        add_note(document, "footnote", run_xml("Note for {{ supervisee }}"))

    layout = make_layout(tmp_path / "layouts", two_sections_and_a_footnote)
    roster = write_roster(tmp_path / "r.xlsx", [row(Layout="ours", Supervisee="{{ 7 * 7 }}")])
    made = CliRunner().invoke(main, ["generate", str(roster), "--out", str(tmp_path / "out"),
                                     "--templates", str(layout.parent)])  # fmt: skip
    assert made.exit_code == 0, made.output
    [document] = (tmp_path / "out").glob("*.docx")
    assert "Note for {{ 7 * 7 }}" in part_text(document, "word/footnotes.xml")


def test_single_braces_are_warned_and_print_as_typed(tmp_path: Path, roster: Path) -> None:
    layout = make_layout(tmp_path / "layouts", lambda d: d.add_paragraph(
        "Dear {supervisee}, your supervisor is { { supervisor } }."))  # fmt: skip
    checked, made = check_and_generate(layout, roster, tmp_path / "out")
    assert checked.exit_code == 0
    said = " ".join(checked.stderr.split())
    assert ("warning: {supervisee} is not a tag: it would be printed as typed, braces and all, "
            "in every agreement") in said  # fmt: skip
    assert "warning: { { supervisor } } is not a tag" in said
    assert "two braces each side with no space between them: {{ supervisor }}" in said
    assert made.exit_code == 0
    [document] = (tmp_path / "out").glob("*.docx")
    assert "Dear {supervisee}, your supervisor is { { supervisor } }." in part_text(
        document, "word/document.xml"
    )  # what the warning says happens


def test_tags_in_document_properties_are_warned_never_filled_in(
    tmp_path: Path, roster: Path
) -> None:
    def properties(document: Any) -> None:
        document.core_properties.title = "{{ supervisee_nam }}"
        document.core_properties.subject = "{% if %}"

    layout = make_layout(tmp_path / "layouts", properties)
    checked, made = check_and_generate(layout, roster, tmp_path / "out")
    assert checked.exit_code == 0 and made.exit_code == 0, (checked.output, made.output)
    said = " ".join(checked.stderr.split())
    assert (
        "warning: the document property Title holds a tag ({{ supervisee_nam }}); docgen "
        "writes each agreement's properties itself" in said
    )
    assert "the document property Subject holds a tag" in said
    [document] = (tmp_path / "out").glob("*.docx")
    assert Document(str(document)).core_properties.title == "Supervision agreement: Amira Khan"


def test_a_paragraph_tag_closed_by_a_plain_tag_is_a_warning(tmp_path: Path, roster: Path) -> None:
    """docxtpl patches it up (only text after the closing tag would go), so it is not refused."""
    layout = make_layout(tmp_path / "layouts", lambda d: (
        d.add_paragraph("{%p if newly_qualified == 'No' %}"),
        d.add_paragraph("Split: {{ supervisee }}{% endif %}")))  # fmt: skip
    checked, made = check_and_generate(layout, roster, tmp_path / "out")
    assert checked.exit_code == 0 and made.exit_code == 0
    assert "is not the same kind of tag: write {%p endif %} in a paragraph of its own" in " ".join(
        checked.stderr.split()
    )
    [document] = (tmp_path / "out").glob("*.docx")
    assert "Split: Amira Khan" in part_text(document, "word/document.xml")


def test_a_misspelt_layout_gets_did_you_mean_and_the_own_folder_hint(tmp_path: Path) -> None:
    from docgen.errors import UnknownLayout
    from docgen.templates import load_catalogue

    roster = write_roster(tmp_path / "r.xlsx", [row()])
    made = CliRunner().invoke(main, ["generate", str(roster), "--out", str(tmp_path / "out"),
                                     "--template", "seftn"])  # fmt: skip
    assert made.exit_code == 4
    said = " ".join(made.stderr.split())
    assert 'there is no layout called "seftn": did you mean "sefton"?' in said
    assert (
        "If it is one of your council's own layouts, give docgen the folder your layouts "
        "are in" in said
    )
    with pytest.raises(UnknownLayout) as raised:
        load_catalogue().get("leeds")
    assert "--" not in str(raised.value)  # a library message names no command-line options
    assert (
        'no layout called "leeds"; the layouts docgen has are: contract, safeguarding, '
        "sefton, stoke" in str(raised.value)
    )


# -- metadata as Notepad saves it -----------------------------------------------------------------

POLICY = Path(__file__).resolve().parent.parent / "docgen" / "policies" / "default.toml"


def _metadata_folder(tmp_path: Path, data: bytes, name: str = "ours.toml") -> Path:
    folder = tmp_path / "layouts"
    (folder / "policies").mkdir(parents=True)
    (folder / "ours.docx").write_bytes((shipped_templates_dir() / "sefton.docx").read_bytes())
    (folder / name).write_bytes(data)
    (folder / "policies" / "wb-policy.toml").write_bytes(POLICY.read_bytes())
    (folder / "wb-policy.toml").write_bytes(POLICY.read_bytes())
    return folder


NOTEPAD_SAVES = [
    ("UTF-8 with a byte order mark",
     '\ufeffname = "Leeds\u2019s Agreement"\r\norganisation = "Leeds City Council"\r\n'
     .encode("utf-8"), "Leeds\u2019s Agreement", "default.toml"),
    ("ANSI, with a curly apostrophe",
     'name = "Children\u2019s Services Agreement"\r\norganisation = "Leeds City Council"\r\n'
     .encode("cp1252"), "Children\u2019s Services Agreement", "default.toml"),
    ("Unicode (UTF-16)",
     'name = "Ours"\r\norganisation = "Leeds City Council"\r\n'.encode("utf-16"), "Ours",
     "default.toml"),
    ("a Windows path to the policy",
     'name = "Ours"\r\norganisation = "Leeds City Council"\r\npolicy = "policies\\wb-policy.toml"'
     "\r\n".encode("cp1252"), "Ours", "wb-policy.toml"),
    ("Word's curly quotation marks",
     'name = \u201cOurs\u201d\r\norganisation = \u201cLeeds City Council\u201d\r\n'.encode("utf-8"),
     "Ours", "default.toml"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("data", "name", "policy"), [pytest.param(d, n, p, id=how) for how, d, n, p in NOTEPAD_SAVES]
)
def test_metadata_as_notepad_saves_it_works(
    tmp_path: Path, data: bytes, name: str, policy: str
) -> None:
    folder = _metadata_folder(tmp_path, data)
    listed = CliRunner().invoke(main, ["templates", "--templates", str(folder)])
    assert listed.exit_code == 0, listed.output
    assert f"ours\t{name} (Leeds City Council)" in listed.stdout
    assert f"policy: {policy};" in listed.stdout


def test_a_full_windows_path_to_the_policy_is_read_as_typed(tmp_path: Path) -> None:
    r"""In TOML "\d" is a mistake and "\n" a line break; a path is read as typed instead."""
    import os

    folder = _metadata_folder(tmp_path, b"")
    (folder / "ours.toml").write_bytes(
        f'name = "Ours"\r\norganisation = "Leeds City Council"\r\npolicy = '
        f'"{folder}\\wb-policy.toml"\r\n'.encode("cp1252") if os.name == "nt" else
        b'name = "Ours"\r\norganisation = "Leeds City Council"\r\n'
        b'policy = "C:\\docgen-layouts\\new-policy.toml"\r\n'
    )  # fmt: skip
    listed = CliRunner().invoke(main, ["templates", "--templates", str(folder)])
    if os.name == "nt":
        assert listed.exit_code == 0 and "policy: wb-policy.toml;" in listed.stdout
        return
    assert listed.exit_code == 4
    assert (
        f'Error: {folder / "ours.toml"}: its policy "C:\\docgen-layouts\\new-policy.toml" is a '
        "Windows path, which this computer cannot follow; copy the policy file beside the "
        'layout and write policy = "new-policy.toml"'
    ) in " ".join(listed.stderr.split())


NOTEPAD_MISTAKES = [
    ("a value without quotation marks", b'name = Ours\r\norganisation = "Leeds"\r\n',
     'line 1 ("name = Ours") has a value without quotation marks: write name = "Ours"'),
    ("a quotation mark not closed", b'name = "Ours\r\norganisation = "Leeds"\r\n',
     'line 1 ("name = "Ours") opens a quotation mark it does not close'),
    ("a setting given twice", b'name = "Ours"\r\norganisation = "Leeds"\r\nname = "Theirs"\r\n',
     'line 3 ("name = "Theirs"") gives "name" a second time: keep one of the two lines'),
    ("a backslash in a name", b'name = "Ours\\Theirs"\r\norganisation = "Leeds"\r\n',
     "has a backslash (\\) in a value between double quotation marks: put the value between "
     "single quotation marks"),
    ("a list not closed", b'name = "Ours"\r\norganisation = "Leeds"\r\nneeds = ["Key tasks"\r\n',
     'line 3 ("needs = ["Key tasks"") starts a list with [ and does not close it'),
    ("an apostrophe in single quotes", b"name = 'Children's'\r\norganisation = \"Leeds\"\r\n",
     "has more after its value: put the whole value between one pair of double quotation marks"),
    ("not saved as text", b'name = "Ours\x81\x8d"\r\norganisation = "Leeds"\r\n',
     "is not saved as text docgen can read: open it in Notepad, choose File, Save As, set "
     "Encoding to UTF-8 and save it"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("data", "said"), [pytest.param(d, s, id=how) for how, d, s in NOTEPAD_MISTAKES]
)
def test_a_mistake_in_metadata_is_one_sentence_about_notepad(
    tmp_path: Path, data: bytes, said: str
) -> None:
    folder = _metadata_folder(tmp_path, data)
    listed = CliRunner().invoke(main, ["templates", "--templates", str(folder)])
    assert listed.exit_code == 4
    message = " ".join(listed.stderr.split())
    assert said in message, message
    assert "Notepad" in message and message.count("Error:") == 1
    for words in ("TOML", "Invalid value", "column", "in Word", "Unterminated", "Traceback"):
        assert words not in message
    checked = CliRunner().invoke(main, ["check-template", str(folder / "ours.docx")])
    assert checked.exit_code == 4 and said in " ".join(checked.stderr.split())


def test_metadata_saved_with_notepads_txt_ending_says_so(tmp_path: Path) -> None:
    folder = _metadata_folder(tmp_path, b'name = "Ours"\r\norganisation = "Leeds"\r\n',
                              name="ours.toml.txt")  # fmt: skip
    listed = CliRunner().invoke(main, ["templates", "--templates", str(folder)])
    assert listed.exit_code == 4
    assert (
        "the layout ours.docx has its metadata saved as ours.toml.txt: rename it ours.toml"
        in " ".join(listed.stderr.split())
    )


def test_a_layout_that_docxtpl_reads_in_every_part_has_its_variables_listed(
    tmp_path: Path,
) -> None:
    """The compiled layout lists variables from every part, not only the main text."""
    from docgen.context import sample_context
    from docgen.render import compile_layout
    from docgen.templates import Layout

    document = Document()
    document.add_paragraph("{{ supervisee }}")
    document.sections[0].header.add_paragraph("{{ review_date }}")
    document.sections[0].footer.add_paragraph("{{ layout_name }}")
    add_note(document, "footnote", run_xml("{{ policy_name }}"))
    add_note(document, "endnote", run_xml("{{ supervisor }}"))
    document.save(str(tmp_path / "x.docx"))
    layout = Layout("x", "X", "Org", tmp_path / "x.docx", tmp_path / "x.toml", ())
    compiled = compile_layout(layout, sample_context())
    assert compiled.variables == {"supervisee", "review_date", "layout_name", "policy_name",
                                  "supervisor"}  # fmt: skip


def cells(document: Any, rows: list[tuple[str, ...]]) -> None:
    grid = document.add_table(rows=len(rows), cols=len(rows[0]))
    for cells_of_row, values in zip(grid.rows, rows, strict=True):
        for cell, value in zip(cells_of_row.cells, values, strict=True):
            cell.text = value


# docxtpl's own tags, as its documentation and test templates use them: (change, refused?).
DOCXTPL_TAGS: list[tuple[str, Change, bool]] = [
    ("cells repeated: {%tc for %}",
     lambda d: cells(d, [("{%tc for m in meetings %}", "{{ m.month }}", "{%tc endfor %}")]), False),
    ("cells merged down: {% vm %}",
     lambda d: cells(d, [("{%tr for m in meetings %}", ""),
                         ("{% vm %}{{ m.month }}", "{{ m.when }}"), ("{%tr endfor %}", "")]),
     False),
    ("cells merged across: {% hm %}",
     lambda d: cells(d, [("{%tc for m in meetings %}", "{% hm %}{{ m.month }}", "{%tc endfor %}")]),
     False),
    ("{% colspan %}", lambda d: cells(d, [("{% colspan meeting_count %}x", "y")]), False),
    ("{% cellbg %}", lambda d: cells(d, [("{% cellbg 'FF0000' %}x", "y")]), False),
    ("{% cellbg %} with an unknown variable", lambda d: cells(d, [("{% cellbg colour %}x", "y")]),
     True),
    ("comments {# #} and {#p #}",
     lambda d: (d.add_paragraph("{# a note #}{{ supervisee }}"), d.add_paragraph("{#p note #}")),
     False),
    ("{%- -%} joining paragraphs",
     lambda d: (d.add_paragraph("A {%- if supervisee -%}"), d.add_paragraph("B {%- endif -%} C")),
     False),
    ("{% raw %}", lambda d: d.add_paragraph("{% raw %}{{ not a tag }}{% endraw %}"), False),
    ("{%r if %}", lambda d: d.add_paragraph("{%r if supervisee %}x{%r endif %}"), False),
    ("set, macro, loop.index, items()",
     lambda d: d.add_paragraph("{% set n = meeting_count %}{{ n }}{% macro f(x) %}{{ x.upper() }}"
                               "{% endmacro %}{{ f(supervisee) }}{% for m in meetings %}"
                               "{{ loop.index }}{% for k, v in m.items() %}{{ k }}{% endfor %}"
                               "{% endfor %}"), False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "refused"), [pytest.param(c, r, id=n) for n, c, r in DOCXTPL_TAGS]
)
def test_check_and_generate_agree_on_docxtpls_own_tags(
    tmp_path: Path, roster: Path, change: Change, refused: bool
) -> None:
    layout = make_layout(tmp_path / "layouts", change)
    checked, made = check_and_generate(layout, roster, tmp_path / "out")
    assert (checked.exit_code, made.exit_code) == ((4, 4) if refused else (0, 0)), (
        checked.output, made.output)  # fmt: skip
