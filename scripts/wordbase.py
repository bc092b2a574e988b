"""A small, clean Word document to author layouts on, and helpers to write them.

python-docx's own default template carries about 790 KB of style XML (styles.xml plus
stylesWithEffects.xml) into every file; this base holds only the styles the layouts use
(Normal, Title, Heading 1 and 2, List Bullet, List Bullet 2, List Number, Footer, Table
Grid), in British English, so each agreement is a few tens of kilobytes and reads cleanly in
Word.

What a manager opening an agreement should not meet, and how it is kept away:
* table rows cut across two pages (every row is ``cantSplit``, so a note never breaks in
  half and no sliver of a row is left under the header repeated on the next page);
* a heading or a lead-in line ("... will consist of the following:") alone at the foot of a
  page (headings, numbered items, lead-ins, the line before a table and table header rows
  keep with what follows);
* pages that do not say whose agreement they are (a footer with the agreement's name, the
  supervisee and "Page X of Y"; its section restarts at page 1, so in a print file holding
  many agreements each one's pages start from 1).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>
<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>
<Override PartName="/word/glossary/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.glossary+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>
</Types>"""

ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>
</Relationships>"""

DOCUMENT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>
<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/glossaryDocument" Target="glossary/document.xml"/>
</Relationships>"""

DOCUMENT = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document {W} {R}><w:body><w:sectPr><w:pgSz w:w="11906" w:h="16838"/>
<w:pgMar w:top="1247" w:right="1247" w:bottom="1247" w:left="1247" w:header="709" w:footer="567" w:gutter="0"/>
<w:pgNumType w:start="1"/></w:sectPr></w:body></w:document>"""
TEXT_WIDTH = 11906 - 2 * 1247  # twips between the margins, where the footer's right tab sits


def _heading(style_id: str, name: str, size: int, level: int, before: int) -> str:
    return f"""<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{name}"/>
<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/>
<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="{before}" w:after="80"/>
<w:outlineLvl w:val="{level}"/></w:pPr>
<w:rPr><w:b/><w:color w:val="1F3864"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr></w:style>"""


def _list_style(
    style_id: str, name: str, num_id: int, indent: int, *, keep_next: bool = False
) -> str:
    keep = "<w:keepNext/>" if keep_next else ""
    return f"""<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{name}"/>
<w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>
<w:pPr>{keep}<w:numPr><w:numId w:val="{num_id}"/></w:numPr><w:spacing w:after="60"/>
<w:ind w:left="{indent}" w:hanging="357"/></w:pPr></w:style>"""


STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles {W}>
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/>
<w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="en-GB" w:eastAsia="en-GB" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>
<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/>
<w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>
<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/>
<w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>
<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>
<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/><w:uiPriority w:val="99"/>
<w:semiHidden/><w:unhideWhenUsed/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>
<w:uiPriority w:val="10"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:after="240"/></w:pPr>
<w:rPr><w:b/><w:color w:val="1F3864"/><w:sz w:val="34"/><w:szCs w:val="34"/></w:rPr></w:style>
{_heading("Heading1", "heading 1", 26, 0, 280)}
{_heading("Heading2", "heading 2", 23, 1, 200)}
{_list_style("ListBullet", "List Bullet", 1, 714)}
{_list_style("ListBullet2", "List Bullet 2", 2, 1071)}
{_list_style("ListNumber", "List Number", 3, 714, keep_next=True)}
<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/>
<w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:pPr><w:tabs><w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs>
<w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
<w:rPr><w:color w:val="595959"/><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>
<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/>
<w:uiPriority w:val="39"/><w:pPr><w:spacing w:before="40" w:after="40" w:line="240" w:lineRule="auto"/></w:pPr>
<w:tblPr><w:tblBorders>
<w:top w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:left w:val="single" w:sz="4" w:space="0" w:color="808080"/>
<w:bottom w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:right w:val="single" w:sz="4" w:space="0" w:color="808080"/>
<w:insideH w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="808080"/>
</w:tblBorders></w:tblPr></w:style>
</w:styles>"""


def _abstract(abstract_id: int, fmt: str, text: str, indent: int, font: str = "") -> str:
    rpr = (
        f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:hint="default"/></w:rPr>'
        if font
        else ""
    )
    return f"""<w:abstractNum w:abstractNumId="{abstract_id}"><w:multiLevelType w:val="singleLevel"/>
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>
<w:pPr><w:ind w:left="{indent}" w:hanging="357"/></w:pPr>{rpr}</w:lvl></w:abstractNum>"""


# numIds: 1 bullets, 2 sub-bullets, 3 the List Number style; 10-19 numbered lists that each
# restart at 1 (Word continues one w:num's count across the whole document).
RESTARTING_LISTS = range(10, 20)
NUMBERING = (
    f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:numbering {W}>"""
    + _abstract(0, "bullet", "\u2022", 714, "Arial")
    + _abstract(1, "bullet", "\u2013", 1071, "Arial")
    + _abstract(2, "decimal", "%1.", 714)
    + '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    + '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
    + '<w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num>'
    + "".join(
        f'<w:num w:numId="{n}"><w:abstractNumId w:val="2"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
        for n in RESTARTING_LISTS
    )
    + "</w:numbering>"
)

SETTINGS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings {W}><w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/>
<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>
<w:themeFontLang w:val="en-GB"/></w:settings>"""

CORE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>Supervision agreement</dc:title>
<dc:language>en-GB</dc:language></cp:coreProperties>"""

APP = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>docgen</Application></Properties>"""


# Fields people complete in Word are plain text content controls, each showing a dotted line
# as its placeholder text: Word selects the whole placeholder on the first click, so typing
# replaces it (no Developer tab needed), and a printed blank agreement shows the dotted line.
# When someone empties a field, Word shows its placeholder again from these glossary entries
# (without them it would show five spaces).
ROOM_DOTS = 40  # one line of the page: an ellipsis is 1 em, 11 pt, of the 470 pt between margins
SHORT_DOTS = 5  # what fits the narrowest cell, a 3 cm date column
LONG_PLACEHOLDER, SHORT_PLACEHOLDER = "DocgenDottedLine", "DocgenShortDottedLine"
ELLIPSIS = "\u2026"


def _placeholder_part(name: str, guid: str, dots: int) -> str:
    return f"""<w:docPart><w:docPartPr><w:name w:val="{name}"/><w:category><w:name w:val="General"/>
<w:gallery w:val="placeholder"/></w:category><w:types><w:type w:val="bbPlcHdr"/></w:types>
<w:behaviors><w:behavior w:val="content"/></w:behaviors><w:guid w:val="{guid}"/></w:docPartPr>
<w:docPartBody><w:p><w:r><w:t>{ELLIPSIS * dots}</w:t></w:r></w:p></w:docPartBody></w:docPart>"""


GLOSSARY = (
    f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:glossaryDocument {W}><w:docParts>"""
    + _placeholder_part(LONG_PLACEHOLDER, "{6F1D2C2E-4C1B-4E52-9E37-2B6C1D0A5E01}", ROOM_DOTS)
    + _placeholder_part(SHORT_PLACEHOLDER, "{6F1D2C2E-4C1B-4E52-9E37-2B6C1D0A5E02}", SHORT_DOTS)
    + "</w:docParts></w:glossaryDocument>"
)


def base_document() -> DocumentType:
    """An empty A4 document with docgen's compact styles."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (
            ("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", ROOT_RELS),
            ("word/document.xml", DOCUMENT), ("word/_rels/document.xml.rels", DOCUMENT_RELS),
            ("word/styles.xml", STYLES), ("word/numbering.xml", NUMBERING),
            ("word/settings.xml", SETTINGS), ("docProps/core.xml", CORE),
            ("docProps/app.xml", APP), ("word/glossary/document.xml", GLOSSARY),
        ):  # fmt: skip
            archive.writestr(name, text)
    buffer.seek(0)
    return Document(buffer)


class Writer:
    """Builds one layout: short calls that read like the agreement they write."""

    def __init__(self) -> None:
        self.doc = base_document()
        self._next_list = iter(RESTARTING_LISTS)

    def title(self, text: str) -> Paragraph:
        return self.doc.add_paragraph(text, style="Title")

    def h1(self, text: str) -> Paragraph:
        return self.doc.add_paragraph(text, style="Heading 1")

    def h2(self, text: str) -> Paragraph:
        return self.doc.add_paragraph(text, style="Heading 2")

    def p(
        self, text: str = "", *, italic: bool = False, bold: bool = False, keep: bool = False
    ) -> Paragraph:
        """A paragraph; `keep` keeps it on the page of the one after it (a lead-in line)."""
        paragraph = self.doc.add_paragraph()
        if text:
            run = paragraph.add_run(text)
            run.italic, run.bold = italic or None, bold or None
        if keep:
            paragraph.paragraph_format.keep_with_next = True
        return paragraph

    def lead(self, text: str, **kwargs: bool) -> Paragraph:
        """A line that introduces what follows ("... will consist of the following:")."""
        return self.p(text, keep=True, **kwargs)

    def label(self, label: str, value: str) -> Paragraph:
        """A bold label and its value on one line: `Name of Supervisee: {{ supervisee }}`;
        a label with no value introduces the lines after it and keeps with them."""
        paragraph = self.doc.add_paragraph()
        paragraph.add_run(label).bold = True
        paragraph.add_run(" " + value)
        if not value:
            paragraph.paragraph_format.keep_with_next = True
        return paragraph

    def bullet(self, text: str, level: int = 1) -> Paragraph:
        """A bullet; one ending "for example:" keeps with the sub-bullets under it."""
        paragraph = self.doc.add_paragraph(
            text, style="List Bullet" if level == 1 else "List Bullet 2"
        )
        if text.endswith(":"):
            paragraph.paragraph_format.keep_with_next = True
        return paragraph

    def bullets(self, items: Sequence[str], level: int = 1) -> None:
        for item in items:
            self.bullet(item, level)

    def new_list(self) -> int:
        """A List Number list of its own, starting at 1; pass it to `number`."""
        return next(self._next_list)

    def number(self, list_id: int, text: str, *, bold: bool = False) -> Paragraph:
        paragraph = self.doc.add_paragraph(style="List Number")
        paragraph.add_run(text).bold = bold or None
        num_pr = OxmlElement("w:numPr")
        for tag, value in (("w:ilvl", "0"), ("w:numId", str(list_id))):
            element = OxmlElement(tag)
            element.set(qn("w:val"), value)
            num_pr.append(element)
        paragraph._p.get_or_add_pPr().append(num_pr)
        return paragraph

    def room(self, lines: int = 2) -> None:
        """Dotted lines to write on by hand, each one line of the page."""
        for _ in range(lines):
            self.p(ELLIPSIS * ROOM_DOTS)

    def field(self, tag: str, lines: int = 1) -> Paragraph:
        """A field of its own paragraph: `lines` dotted lines to type over or write on."""
        paragraph = self.p()
        add_content_control(paragraph, tag, [ELLIPSIS * ROOM_DOTS] * lines)
        return paragraph

    def prompt(self, text: str, tag: str, *, dots: str) -> Paragraph:
        """`text`, then a field running on from it: `dots` to the end of the line and a
        whole dotted line under it, as the council's form has them."""
        paragraph = self.p(text + " ")
        add_content_control(paragraph, tag, [dots, ELLIPSIS * ROOM_DOTS])
        return paragraph

    def table(
        self,
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        *,
        header: bool = True,
        bold_first_column: bool = False,
        row_height: float | None = None,
        keep_together: bool = False,
    ) -> Table:
        """A table; `keep_together` keeps a small one (signatures) on one page. A long one
        may run over pages, its header row repeated and kept with the first row under it."""
        table = self.doc.add_table(rows=len(rows), cols=len(widths))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        for r, values in enumerate(rows):
            row = table.rows[r]
            if row_height and not (header and r == 0):
                row.height = Cm(row_height)
            for c, value in enumerate(values):
                cell = row.cells[c]
                cell.width = Cm(widths[c])
                paragraph = cell.paragraphs[0]
                run = paragraph.add_run(value)
                if (header and r == 0) or (bold_first_column and c == 0):
                    run.bold = True
                if (keep_together and r < len(rows) - 1) or (header and r == 0):
                    paragraph.paragraph_format.keep_with_next = True
            keep_row_whole(row)
        if header:
            mark_header_row(table)
        for c, width in enumerate(widths):
            table.columns[c].width = Cm(width)
        self.doc.add_paragraph().paragraph_format.space_after = Pt(0)
        return table

    def footer(self, text: str) -> None:
        """The footer on every page: `text` (tags allowed), then "Page X of Y" at the right.

        Y is NUMPAGES: LibreOffice (which makes docgen's PDFs) leaves SECTIONPAGES at the
        value saved in the file, printing "Page 2 of 1". The section restarts at page 1, so in
        a print file of many agreements each one's pages still start from 1."""
        footer = self.doc.sections[0].footer
        footer.is_linked_to_previous = False  # gives the section a footer of its own
        paragraph = footer.paragraphs[0]
        paragraph.add_run(text + "\tPage ")
        add_field(paragraph, "PAGE")
        paragraph.add_run(" of ")
        add_field(paragraph, "NUMPAGES")

    def save(self, path: str) -> None:
        self.doc.save(path)


def add_field(paragraph: Paragraph, instruction: str, shown: str = "1") -> None:
    """A Word field (PAGE, NUMPAGES) at the end of `paragraph`, one run per part as Word
    writes it: Word and LibreOffice work out its value when they lay out the page; `shown` is
    what a reader that does not lay out sees."""
    parts = [("w:fldChar", "begin"), ("w:instrText", f" {instruction} "),
             ("w:fldChar", "separate"), ("w:t", shown), ("w:fldChar", "end")]  # fmt: skip
    for tag, value in parts:
        run: Run = paragraph.add_run()
        element = OxmlElement(tag)
        if tag == "w:fldChar":
            element.set(qn("w:fldCharType"), value)
        else:
            element.set(qn("xml:space"), "preserve")
            element.text = value
        run._r.append(element)


def add_content_control(
    paragraph: Paragraph, tag: str, lines: Sequence[str], placeholder: str = LONG_PLACEHOLDER
) -> None:
    """A plain text content control at the end of `paragraph`, for people to complete.

    Its tag is the field's stable name, which docgen reads back; its title (what Word shows
    on the control) is the tag in words, which LibreOffice 7.4 keeps when it saves (it drops
    the tag). It shows `lines` (dotted lines, one under another) as placeholder text: joined
    by spaces, where the line wraps, because LibreOffice 7.4 drops a line break in a plain
    text control (and would run the dots together into one line and a bit).
    """
    title = tag.replace("_", " ").capitalize()
    number = zlib.crc32(tag.encode()) & 0x7FFFFFFF  # Word's ids are signed 32-bit numbers
    text = '<w:t xml:space="preserve">' + " ".join(lines) + "</w:t>"
    paragraph._p.append(parse_xml(
        f'<w:sdt {W}><w:sdtPr><w:alias w:val="{title}"/><w:tag w:val="{tag}"/>'
        f'<w:id w:val="{number}"/><w:placeholder><w:docPart w:val="{placeholder}"/></w:placeholder>'
        f'<w:showingPlcHdr/><w:text w:multiLine="1"/></w:sdtPr>'
        f"<w:sdtContent><w:r>{text}</w:r></w:sdtContent></w:sdt>"
    ))  # fmt: skip


def add_cell_field(cell: _Cell, tag: str, dots: int) -> None:
    """A field filling a table cell (a signature, a date), a dotted line `dots` long."""
    add_content_control(cell.paragraphs[0], tag, [ELLIPSIS * dots], SHORT_PLACEHOLDER)


def keep_row_whole(row: _Row) -> None:
    """Never split `row` across two pages: a note cut in half, or a row's empty lower part
    left under the header repeated on the next page, is what a reader trips on."""
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        tr_pr.insert(0, OxmlElement("w:cantSplit"))


def mark_header_row(table: Table) -> None:
    """Mark the first row as a header: Word repeats it on each page and reads it as one."""
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    tr_pr.append(header)
    keep_row_whole(table.rows[0])
