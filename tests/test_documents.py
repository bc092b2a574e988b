"""What a manager meets on opening an agreement (issue 10, point 5): table rows that never
break across pages, a footer naming the agreement and the supervisee with "Page X of Y",
meeting days in plain English, the organisation's own policy, the Location in Sefton's
agreement, headings kept with what follows and bullets indented under their numbered item.

Expected wording is written out from the issue, the layouts' seeds and the calendar."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import datetime, time
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from docgen import Extras, Options, generate
from docgen.errors import PolicyError
from docgen.policy import DEFAULT_POLICY, load_policy

from .conftest import document_text, row, write_roster

IN_CI = os.environ.get("CI") == "true"
LAYOUTS = ("sefton", "contract", "safeguarding", "stoke")
# Each layout's name, as its metadata file gives it: the footer's first words.
AGREEMENT_NAMES = {
    "sefton": "Sefton Council Children's Services Supervision Agreement",
    "contract": "Supervision Contract",
    "safeguarding": "Safeguarding Supervision Agreement / Contract",
    "stoke": "City of Stoke-on-Trent Supervision Agreement",
}
# A year of newly qualified meetings (weekly, then fortnightly), with leave and bank
# holidays moving some of them, so every meeting table runs over a page and has notes.
LONG_TABLE = {"Newly_qualified": "Yes", "Started_in_post": datetime(2026, 3, 2),
              "Meeting_day": "Friday"}  # fmt: skip
LEAVE = [("Joe Bloggs", datetime(2026, 7, 13), datetime(2026, 8, 14))]


def make_all(folder: Path, **changes: Any) -> dict[str, Path]:
    """One agreement in each layout, for supervisees named after their layout."""
    rows = [row(Layout=layout, Supervisee=f"Pat {layout.title()}", **changes)
            for layout in LAYOUTS]  # fmt: skip
    roster = write_roster(folder / "roster.xlsx", rows, leave=LEAVE)
    result = generate(roster, folder / "out")
    return {path.stem.rsplit(" - ", 1)[1]: path for path in result.documents}


@pytest.fixture(scope="module")
def long_agreements(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_all(tmp_path_factory.mktemp("long"), **LONG_TABLE)


def one(tmp_path: Path, layout: str, **changes: Any) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    roster = write_roster(tmp_path / "roster.xlsx", [row(Layout=layout, **changes)])
    [document] = generate(roster, tmp_path / "out").documents
    return document


MEETING_HEADERS = (["Month", "Date"], ["No.", "Date and time", "Notes"])


def meeting_tables(document: Any) -> list[Any]:
    return [t for t in document.tables if [c.text for c in t.rows[0].cells] in MEETING_HEADERS]


def body_paragraphs(path: Path) -> list[Paragraph]:
    document = Document(str(path))
    return list(document.paragraphs)


def keeps_with_next(paragraph: Paragraph) -> bool:
    """Whether the paragraph keeps with the next, set on it or on its style (or one its
    style is based on)."""
    if paragraph.paragraph_format.keep_with_next:
        return True
    style = paragraph.style
    while style is not None:
        if style.paragraph_format.keep_with_next:
            return True
        style = style.base_style
    return False


def left_indent(paragraph: Paragraph) -> int:
    """The paragraph's left indent in twips, set on it or on its style."""
    style = paragraph.style
    while paragraph.paragraph_format.left_indent is None and style is not None:
        if style.paragraph_format.left_indent is not None:
            return style.paragraph_format.left_indent.twips
        style = style.base_style
    indent = paragraph.paragraph_format.left_indent
    return indent.twips if indent is not None else 0


# --- Table rows ----------------------------------------------------------------------------


@pytest.mark.parametrize("layout", LAYOUTS)
def test_no_table_row_can_break_across_pages(long_agreements: dict[str, Path], layout: str) -> None:
    document = Document(str(long_agreements[layout]))
    rows = document.element.body.findall(f".//{qn('w:tr')}")
    meeting_rows = [r for t in meeting_tables(document) for r in t.rows[1:]]
    assert len(meeting_rows) > 25  # weekly, then fortnightly: the table runs over a page
    for tr in rows:
        assert tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None, layout


@pytest.mark.parametrize("layout", LAYOUTS)
def test_meeting_tables_have_a_repeated_header_and_no_blank_row(
    long_agreements: dict[str, Path], layout: str
) -> None:
    document = Document(str(long_agreements[layout]))
    [table] = meeting_tables(document)
    header = table.rows[0]
    assert header._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    # The header keeps with the first meeting, never alone at the foot of a page.
    assert all(p.paragraph_format.keep_with_next for c in header.cells for p in c.paragraphs)
    meetings = [r for r in table.rows[1:]]
    # The first meeting is Friday 6 March 2026 (the 2nd is a Monday start), the row right
    # under the header; every row after it is a meeting (number or month first).
    assert "Friday 6 March 2026, 10:00" in meetings[0].cells[1].text
    for r in meetings:
        assert r.cells[0].text.strip() and r.cells[1].text.strip().startswith(
            ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
        ), [c.text for c in r.cells]


# --- Footer ------------------------------------------------------------------------------


def footer_parts(path: Path) -> tuple[str, list[str]]:
    section = Document(str(path)).sections[0]
    footer = section.footer
    assert not footer.is_linked_to_previous
    instructions = [i.text.strip() for i in footer._element.iter(qn("w:instrText"))]
    return "\n".join(p.text for p in footer.paragraphs), instructions


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_has_a_footer_with_name_supervisee_and_page_x_of_y(
    long_agreements: dict[str, Path], layout: str
) -> None:
    text, instructions = footer_parts(long_agreements[layout])
    # Field results read "1" until Word or LibreOffice lays the pages out.
    assert text == f"{AGREEMENT_NAMES[layout]} – Pat {layout.title()}\tPage 1 of 1"
    assert instructions == ["PAGE", "NUMPAGES"]
    section = Document(str(long_agreements[layout])).sections[0]._sectPr
    # Each agreement's pages count from 1, also as one section of a print file.
    assert section.find(qn("w:pgNumType")).get(qn("w:start")) == "1"


def test_the_print_file_gives_each_agreement_its_own_footer_and_page_count(
    long_agreements: dict[str, Path], tmp_path: Path
) -> None:
    pytest.importorskip("docxcompose")
    from docgen.bundle import combine_documents

    paths = [long_agreements[layout] for layout in LAYOUTS]
    combined = combine_documents(paths, tmp_path / "All agreements.docx", "All")
    document = Document(str(combined))
    assert len(document.sections) == 4
    body = document.element.body
    bookmarks = {b.get(qn("w:name")): b for b in body.iter(qn("w:bookmarkStart"))}
    section_ends = [p for p in body.iterchildren(qn("w:p"))
                    if p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None]  # fmt: skip
    section_ends.append(list(body.iterchildren(qn("w:p")))[-1])
    for number, (section, layout) in enumerate(zip(document.sections, LAYOUTS, strict=True)):
        footer = section.footer
        assert not footer.is_linked_to_previous, layout  # never the agreement before's
        text = "\n".join(p.text for p in footer.paragraphs)
        assert text.startswith(f"{AGREEMENT_NAMES[layout]} – Pat {layout.title()}\tPage ")
        instructions = [i.text.strip() for i in footer._element.iter(qn("w:instrText"))]
        # "of Y": the page of a bookmark on the agreement's own last paragraph, not the
        # whole file's count.
        [page, of] = instructions
        assert page == "PAGE" and of.startswith("PAGEREF ")
        bookmark = bookmarks[of.split()[1]]
        assert bookmark.getparent() is section_ends[number]
        assert section._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"


# --- Meeting days in English ----------------------------------------------------------------


@pytest.mark.parametrize(("changes", "sentence", "a_meeting"), [
    # The issue's own example.
    ({"Meeting_day": "2nd Tuesday", "Meeting_time": time(14, 0)},
     "on the 2nd Tuesday of each month at 14:00", "Tuesday 14 April 2026, 14:00"),
    ({"Meeting_day": "last Friday"},
     "on the last Friday of each month at 10:00", "Friday 24 April 2026, 10:00"),
    # A plain Tuesday from Monday 2 March 2026: the first is Tuesday 3 March, the 1st.
    ({"Meeting_day": "Tuesday"},
     "on the 1st Tuesday of each month at 10:00", "Tuesday 7 April 2026, 10:00"),
    # From Monday 16 March 2026 the first Thursday is the 19th, the 3rd of March.
    ({"Meeting_day": "Thursday", "Start_date": datetime(2026, 3, 16)},
     "on the 3rd Thursday of each month at 10:00", "Thursday 16 April 2026, 10:00"),
    # From Wednesday 25 March 2026 the first Tuesday is the 31st, the last of March.
    ({"Meeting_day": "Tuesday", "Start_date": datetime(2026, 3, 25)},
     "on the last Tuesday of each month at 10:00", "Tuesday 28 April 2026, 10:00"),
    ({"Meeting_day": "Wednesday", "Frequency": "weekly"},
     "on Wednesdays at 10:00", "Wednesday 11 March 2026, 10:00"),
    ({"Meeting_day": "Wednesday", "Frequency": "fortnightly"},
     "on alternate Wednesdays at 10:00", "Wednesday 18 March 2026, 10:00"),
    ({"Meeting_day": "Monday", "Frequency": "every 3 weeks"},
     "on a Monday every 3 weeks at 10:00", "Monday 23 March 2026, 10:00"),
])  # fmt: skip
def test_meeting_days_read_as_english(
    tmp_path: Path, changes: dict[str, Any], sentence: str, a_meeting: str
) -> None:
    document = one(tmp_path, "safeguarding", Organisation="Harbourside Partnership", **changes)
    lines = document_text(document)
    assert f"Supervision will take place {sentence} and will last for 1 hour 30 minutes." in lines
    assert any(a_meeting in line for line in lines)  # the table keeps to what the text says


BAD_PHRASES = [
    re.compile(r"\bon (\d(st|nd|rd|th)|last) [A-Z][a-z]+day"),  # "on 2nd Tuesday", no "the"
    re.compile(r"of the month"),
    re.compile(r"day, at \d"),  # "on Tuesday, at 10:00"
]


@pytest.mark.parametrize("day", ["2nd Tuesday", "last Friday", "Tuesday"])
def test_no_layout_prints_a_roster_value_as_a_fragment(tmp_path: Path, day: str) -> None:
    documents = make_all(tmp_path, Meeting_day=day)
    for layout, path in documents.items():
        text = "\n".join(document_text(path))
        for phrase in BAD_PHRASES:
            assert not phrase.search(text), (layout, phrase.pattern)


def test_newly_qualified_days_say_when_they_change(long_agreements: dict[str, Path]) -> None:
    lines = document_text(long_agreements["safeguarding"])
    # In post on Monday 2 March 2026: weekly for 6 weeks, fortnightly to 12 months, which
    # is the review date.
    assert (
        "Supervision will take place on Fridays until 13 April 2026 (6 weeks in post), then "
        "alternate Fridays until 2 March 2027 (12 months in post) at 10:00 and will last for "
        "1 hour 30 minutes."
    ) in lines


def test_the_contract_states_the_frequency_once_in_section_6(tmp_path: Path) -> None:
    document = one(tmp_path, "contract", Organisation="Cyngor Gwynedd", Nation="Wales")
    lines = document_text(document)
    start = lines.index("6. Frequency of supervision")
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("No. | Date"))
    assert lines[start + 1 : end] == [
        "Supervision will take place monthly, as specified in the Cyngor Gwynedd supervision "
        "policy. Meetings will be held at Bootle Town Hall and last 1 hour 30 minutes. The "
        "meetings for the next 12 months are:"
    ]


# --- Location and the policy's name ----------------------------------------------------------


def test_sefton_shows_the_rosters_location(tmp_path: Path) -> None:
    given = one(tmp_path / "given", "sefton", Location="Bootle Town Hall, room 2")
    assert "The supervision meeting will be held at: Bootle Town Hall, room 2" in (
        document_text(given)
    )
    # No Location and no usual place in Sefton's metadata: a dotted line to complete.
    empty = one(tmp_path / "empty", "sefton", Location=None)
    assert "The supervision meeting will be held at: …………………………………" in document_text(empty)


@pytest.mark.parametrize(("layout", "changes", "sentence"), [
    ("contract", {"Organisation": "Cyngor Gwynedd", "Nation": "Wales"},
     "as specified in the Cyngor Gwynedd supervision policy."),
    ("safeguarding", {"Organisation": "Highland Child Protection Committee",
                      "Nation": "Scotland"},
     "The dates below follow the Highland Child Protection Committee supervision policy."),
    # No Organisation in the roster: the layout's own.
    ("stoke", {"Organisation": None},
     "The dates below follow the City of Stoke-on-Trent Children's and Families Services "
     "supervision policy."),
])  # fmt: skip
def test_the_policy_is_named_as_the_organisations_own(
    tmp_path: Path, layout: str, changes: dict[str, Any], sentence: str
) -> None:
    text = "\n".join(document_text(one(tmp_path, layout, **changes)))
    assert sentence in text
    assert "Children's Services supervision policy" not in text


def test_a_policy_following_national_standards_says_so(tmp_path: Path) -> None:
    rows = [row(Layout="contract", Organisation="Cyngor Gwynedd")]
    roster = write_roster(tmp_path / "roster.xlsx", rows)
    policy = DEFAULT_POLICY.parent / "employer-standards.toml"
    [document] = generate(roster, tmp_path / "out", Options(policy=policy)).documents
    assert (
        "as specified in the Cyngor Gwynedd supervision policy, which follows the Standards for "
        "employers of social workers in England."
    ) in "\n".join(document_text(document))


def policy_file(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "ours.toml"
    path.write_text(
        'name = "Our rules"\n'
        + extra
        + '[[role]]\nname = "Social worker"\nfrequency = "monthly"\n',
        encoding="utf-8",
    )
    return path


def test_policy_name_in_the_policy_file(tmp_path: Path) -> None:
    shipped = load_policy(DEFAULT_POLICY)
    assert shipped.name_for("Cyngor Gwynedd") == "Cyngor Gwynedd supervision policy"
    assert shipped.name_for("Sefton Council") == "Sefton Council supervision policy"
    fixed = load_policy(policy_file(tmp_path, 'policy_name = "Polisi Goruchwylio Gwynedd"\n'))
    assert fixed.name_for("Cyngor Gwynedd") == "Polisi Goruchwylio Gwynedd"
    # Without policy_name, the file's name.
    assert load_policy(policy_file(tmp_path, "")).name_for("Sefton Council") == "Our rules"


@pytest.mark.parametrize(("line", "message"), [
    ('policy_name = "{organization} policy"\n',
     'policy_name = "{organization} policy" may use {organisation} for the agreement\'s '
     "organisation, and no other { }"),
    ("policy_name = 3\n",
     'policy_name must be text in quotes, such as policy_name = "{organisation} supervision '
     'policy"'),
])  # fmt: skip
def test_a_policy_name_docgen_cannot_use_is_one_sentence(
    tmp_path: Path, line: str, message: str
) -> None:
    path = policy_file(tmp_path, line)
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    assert str(caught.value) == f"the supervision policy file {path} is wrong: {message}"


# --- Keeping together, and indents ------------------------------------------------------------


@pytest.mark.parametrize("layout", LAYOUTS)
def test_headings_and_lead_in_lines_keep_with_what_follows(
    long_agreements: dict[str, Path], layout: str
) -> None:
    paragraphs = body_paragraphs(long_agreements[layout])
    checked = 0
    for paragraph in paragraphs:
        text = paragraph.text.strip()
        if paragraph.style.name.startswith(("Heading", "Title", "List Number")) or (
            text.endswith(":") and paragraph is not paragraphs[-1]
        ):
            assert keeps_with_next(paragraph), (layout, paragraph.style.name, text)
            checked += 1
    assert checked >= 8
    if layout in ("sefton", "contract"):
        wanted = "The supervision meeting will consist of the following:"
        [lead] = [p for p in paragraphs if p.text == wanted]
        assert keeps_with_next(lead)


def test_a_plain_paragraph_does_not_keep_with_next(long_agreements: dict[str, Path]) -> None:
    # So that keeps_with_next above tells the ones that do from the rest.
    [plain] = [p for p in body_paragraphs(long_agreements["sefton"])
               if p.text.startswith("c) To assist with the professional development")]  # fmt: skip
    assert not keeps_with_next(plain)


def numbered_items(paragraphs: list[Paragraph]) -> Iterator[tuple[Paragraph, list[Paragraph]]]:
    for index, paragraph in enumerate(paragraphs):
        if paragraph.style.name == "List Number":
            bullets = []
            for after in paragraphs[index + 1 :]:
                if not after.style.name.startswith("List Bullet"):
                    break
                bullets.append(after)
            yield paragraph, bullets


@pytest.mark.parametrize(("layout", "items"), [("sefton", 3), ("contract", 4)])
def test_bullets_sit_indented_under_their_numbered_item(
    long_agreements: dict[str, Path], layout: str, items: int
) -> None:
    found = list(numbered_items(body_paragraphs(long_agreements[layout])))
    assert len(found) == items
    for number, bullets in found:
        assert bullets, number.text
        for bullet in bullets:
            assert left_indent(bullet) > left_indent(number), (number.text, bullet.text)


# --- As LibreOffice lays the pages out --------------------------------------------------------


def pdf_tools() -> tuple[str, str]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    pdftotext = shutil.which("pdftotext")
    if not soffice or not pdftotext:
        if IN_CI:
            pytest.fail(
                "LibreOffice and pdftotext (poppler-utils) are needed; .ci/run installs both"
            )
        pytest.skip("LibreOffice or pdftotext (poppler-utils) is not installed")
    return soffice, pdftotext


def pdf_pages(tmp_path: Path, documents: list[Path]) -> dict[str, list[str]]:
    """Each document's pages as text, laid out by LibreOffice."""
    soffice, pdftotext = pdf_tools()
    out = tmp_path / "pdf"
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
         "--convert-to", "pdf", "--outdir", str(out), *map(str, documents)],
        capture_output=True, timeout=300, check=True,
    )  # fmt: skip
    pages = {}
    for document in documents:
        pdf = out / f"{document.stem}.pdf"
        text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True,
                              text=True, timeout=60, check=True).stdout  # fmt: skip
        pages[document.stem] = text.split("\f")[:-1]
    return pages


TABLE_HEADER = re.compile(r"^\s*(No\.\s+Date and time|Month\s+Date)\b")
ROW_START = re.compile(r"^\s*(\d+|[A-Z][a-z]+ 20\d\d)\s+[A-Z][a-z]+day \d")


@pytest.mark.slow
def test_pages_as_libreoffice_lays_them_out(tmp_path: Path, roster_path) -> None:  # type: ignore[no-untyped-def]
    """Every page's footer counts right, and a page that repeats a table's header goes on
    with a whole row. The contracts' key tasks push the table down line by line, so a
    meeting whose note takes three lines falls across the foot of a page in some of them
    (with rows allowed to split, LibreOffice 7.4 cuts one in half at 33 to 35 lines)."""
    rows = [row(Layout="contract", Supervisee=f"Pat {lines:02d}", Key_tasks="\n".join(
                f"Task {n}" for n in range(lines)), **LONG_TABLE)
            for lines in range(26, 42)]  # fmt: skip
    rows += [row(Layout=layout, Supervisee=f"Pat {layout.title()}", **LONG_TABLE)
             for layout in LAYOUTS]  # fmt: skip
    result = generate(roster_path(rows, leave=LEAVE), tmp_path / "out")
    pages = pdf_pages(tmp_path, result.documents)
    for document, texts in pages.items():
        supervisee, layout = document.split(" - supervised by ")[0], document.rsplit(" - ", 1)[1]
        assert len(texts) >= 3
        for number, text in enumerate(texts, start=1):
            footer = [line for line in text.splitlines() if line.strip()][-1]
            assert re.fullmatch(
                rf"{re.escape(AGREEMENT_NAMES[layout])} – {supervisee}\s+Page {number} of "
                rf"{len(texts)}", footer.strip()), (document, footer)  # fmt: skip
            lines = text.splitlines()
            # A word broken inside a narrow cell ("Supervise" over "e") leaves a lone letter.
            assert not [x for x in lines if re.fullmatch(r"\s*\S\s*", x)], (document, number)
            for index, line in enumerate(lines[:-1]):
                if TABLE_HEADER.match(line) and number > 1:
                    following = next(x for x in lines[index + 1 :] if x.strip())
                    assert ROW_START.match(following), (document, number, following)


# Roster values that move the page breaks: names long enough to wrap the opening
# paragraph, a location long enough to wrap its line, the newly qualified meeting sentence
# (a line longer), and one or seven lines of key tasks (Sefton and the contract print them).
NAMES = ("Ann Lee", "Pat Smith-Jones", "Alexandra Konstantinopoulou-Whittingham", "Jo Bo")
LONG_LOCATION = "Bootle Town Hall, Oriel Road, Bootle, Merseyside L20 7AE, meeting room 2"


def page_break_rows() -> list[dict[str, Any]]:
    rows = []
    for layout in LAYOUTS:
        for number, name in enumerate(NAMES):
            for newly_qualified in (False, True):
                tasks = 7 if (number + newly_qualified) % 2 else 1
                changes: dict[str, Any] = {
                    "Supervisee": f"{name} {layout.title()}{' NQ' * newly_qualified}",
                    "Key_tasks": "\n".join(f"Task {n}: casework" for n in range(tasks)),
                }
                if number % 2:
                    changes["Location"] = LONG_LOCATION
                if newly_qualified:
                    changes.update(LONG_TABLE)
                rows.append(row(Layout=layout, **changes))
    return rows


def headings(path: Path) -> set[str]:
    return {p.text.strip() for p in body_paragraphs(path)
            if p.style.name.startswith(("Heading", "Title")) and p.text.strip()}  # fmt: skip


@pytest.mark.slow
def test_no_page_ends_with_a_heading_as_libreoffice_lays_it_out(
    tmp_path: Path, roster_path
) -> None:  # type: ignore[no-untyped-def]
    """Issue 10: "Headings keep with what follows". Every layout, with roster values that
    move the page breaks, converted by LibreOffice: the last words above each page's
    footer are never a heading (nor the last line of a heading that wraps)."""
    result = generate(roster_path(page_break_rows(), leave=LEAVE), tmp_path / "out")
    assert len(result.documents) == 32
    pages = pdf_pages(tmp_path, result.documents)
    # The layouts ask for Arial; LibreOffice must lay them out in Arial's metrics (its own
    # Liberation Sans, which it ships on Windows and macOS), or its page breaks are not the
    # ones Word makes (in DejaVu Sans, ten per cent wider, LibreOffice 7.4 leaves the
    # safeguarding layout's "Confidentiality" alone at the foot of page 1).
    pdffonts = str(Path(pdf_tools()[1]).with_name("pdffonts"))  # poppler's, beside pdftotext
    for document in result.documents[::8]:
        listing = subprocess.run(
            [pdffonts, str(tmp_path / "pdf" / f"{document.stem}.pdf")],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
        used = {line.split()[0].split("+")[-1] for line in listing.splitlines()[2:]}
        assert used and all(f.startswith(("LiberationSans", "Arial")) for f in used), used
    stranded = []
    for document in result.documents:
        titles = headings(document)
        for number, text in enumerate(pages[document.stem][:-1], start=1):
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            last = lines[-2]  # the line above the footer
            if any(title == last or title.endswith(" " + last) for title in titles):
                stranded.append((document.stem, number, last))
    assert not stranded


@pytest.mark.slow
def test_the_print_file_counts_each_agreements_pages(tmp_path: Path, roster_path) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("docxcompose")
    pdf_tools()
    rows = [row(Layout=layout, Supervisee=f"Pat {layout.title()}", **LONG_TABLE)
            for layout in LAYOUTS]  # fmt: skip
    out = tmp_path / "out"
    result = generate(roster_path(rows, leave=LEAVE), out, extras=Extras(combine=True))
    assert result.combined is not None
    singles = pdf_pages(tmp_path / "singles", sorted(out.glob("Pat *.docx")))
    [combined] = pdf_pages(tmp_path / "combined", [result.combined]).values()
    expected = []
    for layout in LAYOUTS:  # the roster's order
        [name] = [n for n in singles if n.endswith(f" - {layout}")]
        supervisee = name.split(" - supervised by ")[0]
        count = len(singles[name])
        expected += [f"{AGREEMENT_NAMES[layout]} – {supervisee} Page {n} of {count}"
                     for n in range(1, count + 1)]  # fmt: skip
    footers = [re.sub(r"\s+", " ", [x for x in page.splitlines() if x.strip()][-1].strip())
               for page in combined]  # fmt: skip
    assert footers == expected


def test_the_readme_lists_every_template_variable_as_docgen_describes_it() -> None:
    from docgen.context import VARIABLES

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for name, meaning in VARIABLES.items():
        assert f"| `{{{{ {name} }}}}` | {meaning} |" in readme, name
    assert "`the 2nd Tuesday of each month`" in VARIABLES["meeting_day"]
