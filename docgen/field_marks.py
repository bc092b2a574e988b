"""Fields a council marks in its layout by typing ``[[ name ]]``, made into content controls.

Inserting a content control needs Word's Developer tab; typing ``[[ review_notes ]]`` where a
blank goes does not. When a layout is read, each such mark becomes a plain text content
control tagged ``review_notes``, showing a dotted line as its placeholder, exactly like the
fields of docgen's own layouts: a whole line of dots for a mark on a line of its own, a
short one in a table cell, and the rest of a line after words. A mark whose name is not a
field name stays as typed (the template check says so).
"""

from __future__ import annotations

import copy
import re
import zlib

from lxml import etree

from .fields import is_field_tag
from .fingerprint import read_parts, write_parts

MARK = re.compile(r"\[\[\s*([^\[\]]*?)\s*\]\]")
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_MAIN = "word/document.xml"
# An ellipsis is about 1 em: a line of the page between margins, what fits a narrow table
# cell, and what is left of a line after a prompt (the shipped layouts' dotted lines).
LINE_DOTS, CELL_DOTS, AFTER_WORDS_DOTS = 40, 8, 13


def _w(name: str) -> str:
    return f"{{{_W}}}{name}"


def mark_fields(data: bytes) -> bytes:
    """The layout `data` (a .docx) with each ``[[ name ]]`` in its main text made a field.

    `data` itself, unchanged, when it has no such mark (or cannot be read: whoever opens it
    next says why).
    """
    try:
        parts = read_parts(data)
        xml = parts.get(_MAIN)
        if xml is None or b"]]" not in xml:
            return data
        root = etree.fromstring(xml, _PARSER)
    except Exception:  # noqa: BLE001 - not a Word file: opening it reports that
        return data
    changed = False
    for paragraph in list(root.iter(_w("p"))):
        changed |= _mark_paragraph(paragraph)
    if not changed:
        return data
    parts[_MAIN] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return write_parts(parts)


def _run_text(run: etree._Element) -> str | None:
    """A run's text, or None for a run holding more than text (a tab, a break, a picture)."""
    pieces = []
    for child in run:
        if child.tag == _w("t"):
            pieces.append(child.text or "")
        elif child.tag != _w("rPr"):
            return None
    return "".join(pieces)


def _mark_paragraph(paragraph: etree._Element) -> bool:
    runs = [child for child in paragraph if child.tag == _w("r")]
    texts = [_run_text(run) for run in runs]
    # A run that is not plain text stops a mark: "\0" never appears in a name.
    full = "".join("\0" if text is None else text for text in texts)
    marks = [m for m in MARK.finditer(full) if is_field_tag(m.group(1))]
    if not marks:
        return False
    in_cell = any(ancestor.tag == _w("tc") for ancestor in paragraph.iterancestors())
    starts = []
    position = 0
    for text in texts:
        starts.append(position)
        position += 1 if text is None else len(text)
    for mark in reversed(marks):  # from the end, so earlier offsets stay true
        first = max(i for i, s in enumerate(starts) if s <= mark.start())
        last = max(i for i, s in enumerate(starts) if s < mark.end())
        merged = "".join(texts[i] or "" for i in range(first, last + 1))
        for index in range(first + 1, last + 1):
            paragraph.remove(runs[index])
        offset = mark.start() - starts[first]
        before, after = merged[:offset], merged[offset + len(mark.group(0)) :]
        if full.strip() == mark.group(0):
            dots = CELL_DOTS if in_cell else LINE_DOTS
        else:
            dots = AFTER_WORDS_DOTS
        run = runs[first]
        field = _field(mark.group(1), run.find(_w("rPr")), dots)
        run.addnext(field)
        if after:
            field.addnext(_with_text(copy.deepcopy(run), after))
        if before:
            _with_text(run, before)
        else:
            paragraph.remove(run)
    return True


def _with_text(run: etree._Element, text: str) -> etree._Element:
    for child in list(run):
        if child.tag != _w("rPr"):
            run.remove(child)
    element = etree.SubElement(run, _w("t"))
    element.text = text
    element.set(_XML_SPACE, "preserve")
    return run


def _field(tag: str, run_properties: etree._Element | None, dots: int) -> etree._Element:
    """A plain text content control tagged `tag`, showing `dots` dots as its placeholder."""
    sdt = etree.Element(_w("sdt"))
    properties = etree.SubElement(sdt, _w("sdtPr"))
    for name, value in (("alias", tag.replace("_", " ").capitalize()), ("tag", tag),
                        ("id", str(zlib.crc32(tag.encode()) & 0x7FFFFFFF))):  # fmt: skip
        etree.SubElement(properties, _w(name)).set(_w("val"), value)
    etree.SubElement(properties, _w("showingPlcHdr"))
    etree.SubElement(properties, _w("text")).set(_w("multiLine"), "1")
    content = etree.SubElement(sdt, _w("sdtContent"))
    run = etree.SubElement(content, _w("r"))
    if run_properties is not None:
        run.append(copy.deepcopy(run_properties))
    etree.SubElement(run, _w("t")).text = "\u2026" * dots
    return sdt
