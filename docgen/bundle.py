"""One file to print every agreement at once, and one zip of a run to send on.

The print file is made with docxcompose, which carries each agreement's styles and
numbering into one document; each agreement starts on a new page, in a section of its own
whose page numbers start at 1. docxcompose keeps only the first document's headers and
footers, so each section is then given its own agreement's ("... – Amira Khan, Page 2 of
4"), the page count taken from the agreement's own last page rather than the whole file.
"""

from __future__ import annotations

import contextlib
import copy
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import nsmap, qn
from docx.section import _Footer, _Header

from .fingerprint import remove_stamp
from .output import write_atomically

COMBINED_NAME = "All agreements.docx"
BUNDLE_NAME = "Supervision agreements.zip"
CORE_PROPERTIES = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"


@contextlib.contextmanager
def _composer() -> Iterator[Any]:
    """Docxcompose's Composer, without its side effect on python-docx.

    Importing docxcompose re-points python-docx's ``cp`` prefix from core properties to
    custom properties for the whole process, after which python-docx writes a document's
    author, keywords and category in the wrong namespace (Word then calls the file
    unreadable). docxcompose needs its meaning while it works; everything else needs
    python-docx's, so it is put back as soon as docxcompose is done.
    """
    from docxcompose.composer import Composer

    custom = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
    nsmap["cp"] = custom
    try:
        yield Composer
    finally:
        nsmap["cp"] = CORE_PROPERTIES


def combine_documents(documents: Sequence[Path], target: Path, title: str) -> Path:
    """Write every agreement in `documents` into one .docx at `target`, each on a new page."""
    with _composer() as composer_class:
        first = Document(str(documents[0]))
        composer = composer_class(first)
        for path in documents[1:]:
            # A new section, not just a page break: each agreement keeps its page set-up.
            first.add_section(WD_SECTION.NEW_PAGE)
            composer.append(Document(str(path)))
        buffer = io.BytesIO()
        composer.save(buffer)
    document = Document(io.BytesIO(buffer.getvalue()))
    _own_headers_and_footers(document, [Document(str(path)) for path in documents])
    document.core_properties.title = title
    document.core_properties.subject = f"{len(documents)} supervision agreements, to print"
    buffer = io.BytesIO()
    document.save(buffer)
    # It carries the first agreement's docgen properties; without them docgen never takes
    # the print file for that person's agreement.
    write_atomically(target, remove_stamp(buffer.getvalue()))
    return target


_NUMPAGES = re.compile(r"\bNUMPAGES\b")
_KINDS = ("header", "first_page_header", "even_page_header",
          "footer", "first_page_footer", "even_page_footer")  # fmt: skip


def _own_headers_and_footers(
    combined: DocumentObject, agreements: Sequence[DocumentObject]
) -> None:
    """Give each section of `combined` the headers and footers of the agreement it holds.

    Never another agreement's, with "of Y" counting that agreement's pages alone.

    NUMPAGES would count the whole print file, and LibreOffice (which makes the print file's
    PDF) leaves SECTIONPAGES at the value saved in the file; a PAGEREF to a bookmark on the
    agreement's last paragraph is worked out by both, and is the agreement's own page count
    because each section's page numbers start at 1.
    """
    if len(combined.sections) != len(agreements):
        return  # an agreement of several sections: which section is whose is not known
    body = combined.element.body
    ends = [p for p in body.iterchildren(qn("w:p"))
            if p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None]  # fmt: skip
    ends.append(list(body.iterchildren(qn("w:p")))[-1])
    taken = [int(b.get(qn("w:id"), "0")) for b in body.iter(qn("w:bookmarkStart"))]
    next_id = max(taken, default=0) + 1
    defined = set()  # kinds some earlier section has, which a later one would inherit
    sections = zip(combined.sections, agreements, ends, strict=True)
    for number, (section, agreement, end) in enumerate(sections):
        bookmark = f"_DocgenAgreementEnd{number + 1}"
        for kind in _KINDS:
            target = getattr(section, kind)
            if number > 0:
                _copy_part(target, getattr(agreement.sections[-1], kind), kind in defined)
            if not target.is_linked_to_previous:
                defined.add(kind)
                _count_pages_to(target, bookmark)
        start, finish = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
        start.set(qn("w:id"), str(next_id))
        start.set(qn("w:name"), bookmark)
        finish.set(qn("w:id"), str(next_id))
        end.append(start)
        end.append(finish)
        next_id += 1


def _copy_part(target: _Header | _Footer, source: _Header | _Footer, inherits: bool) -> None:
    """Make `target`, a header or footer of the print file, a copy of the agreement's `source`.

    It is left empty when the agreement has none but would `inherit` an earlier one's. One
    that refers to other parts (a logo) cannot be copied on its own and is left as it was.
    """
    if source.is_linked_to_previous:
        if inherits:
            target.is_linked_to_previous = False  # an empty one of its own
        return
    if source.part.rels:
        return
    target.is_linked_to_previous = False
    element = target._element
    for child in list(element):
        element.remove(child)
    for child in source._element:
        element.append(copy.deepcopy(child))


def _count_pages_to(part: _Header | _Footer, bookmark: str) -> None:
    """Turn each NUMPAGES field in `part` into the page number of `bookmark`."""
    for instruction in part._element.iter(qn("w:instrText")):
        instruction.text = _NUMPAGES.sub(f"PAGEREF {bookmark}", instruction.text or "")
    for simple in part._element.iter(qn("w:fldSimple")):
        instr = simple.get(qn("w:instr"), "")
        simple.set(qn("w:instr"), _NUMPAGES.sub(f"PAGEREF {bookmark}", instr))


def bundle(folder: Path, files: Sequence[Path], target: Path) -> Path:
    """A zip at `target` of `files` (all inside `folder`), keeping their folders."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            if path.exists() and path != target:
                archive.write(path, path.relative_to(folder).as_posix())
    write_atomically(target, buffer.getvalue())
    return target
