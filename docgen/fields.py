"""The fields people complete in an agreement: Word content controls, read back and filled in.

A field is a content control (``w:sdt``) whose tag is its stable name, such as
``expectations_supervisee_wants`` or ``signed_supervisee_date``. Until someone types in it,
it shows its placeholder text (a dotted line) and counts as empty. Everything here works on
bytes: reading files is the caller's job.

What Word and LibreOffice do to a field when they save, and how it is still read:

- Word keeps the tag and the title, and drops ``showingPlcHdr`` once someone types.
- LibreOffice 7.4 keeps a plain text control's title (``w:alias``) but drops its tag and its
  placeholder mark; docgen's titles are the tag in words ("Signed supervisee date"), so the
  field is still known by its title, and a field still holding only its dotted line (or
  Word's own "Click or tap here to enter text.") counts as empty.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass

from lxml import etree

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_XML = "http://www.w3.org/XML/1998/namespace"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_FIELD_TAG = re.compile(r"[a-z][a-z0-9_]{0,99}")

# The parts of a document that hold text people see (not the glossary, whose placeholders
# are never what anyone typed).
_TEXT_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")

# What a field shows before anyone types in it: dotted or underlined lines, or the
# placeholder Word gives a content control inserted from its Developer tab.
_ONLY_LINES = re.compile(r"[\s.\u2026\u2024\u2025_\u2010-\u2015-]*")
_WORD_PLACEHOLDERS = frozenset({
    "click or tap here to enter text.", "click here to enter text.",
    "click or tap to enter a date.", "click here to enter a date.", "choose an item.",
})  # fmt: skip


def _w(name: str) -> str:
    return f"{{{_W}}}{name}"


def is_field_tag(value: object) -> bool:
    """Whether `value` can name a field: lower-case letters, digits and ``_``, from a letter."""
    return isinstance(value, str) and _FIELD_TAG.fullmatch(value) is not None


def is_signature_field(tag: str) -> bool:
    """Whether the field `tag` is a signature or a date.

    By the naming rule the README gives councils: a tag starting ``signed_`` or ending
    ``_date``. These are never carried into next year's agreement.
    """
    return tag.startswith("signed_") or tag.endswith("_date")


@dataclass(frozen=True)
class Control:
    """One content control as a document holds it.

    `name` is the field it is: its tag, else (after a LibreOffice save) its title read as
    a tag, else "". `text` is what someone typed, "" while it shows its placeholder.
    """

    name: str
    tag: str
    title: str
    text: str
    showing_placeholder: bool
    part: str  # the document part it is in, such as word/document.xml
    raw_text: str = ""  # the text it holds, placeholder or not

    @property
    def filled(self) -> bool:
        """Whether someone has completed it."""
        return bool(self.text)


def read_controls(data: bytes) -> list[Control]:
    """Every content control in the .docx `data`, in document order, part by part.

    Raises `zipfile.BadZipFile`, `KeyError` or an lxml error for a file that is not a
    readable Word document.
    """
    controls: list[Control] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = [n for n in archive.namelist() if _TEXT_PARTS.fullmatch(n)]
        names.sort(key=lambda n: (n != "word/document.xml", n))
        for name in names:
            controls.extend(controls_in(archive.read(name), name))
    return controls


def read_fields(data: bytes) -> dict[str, str]:
    """Each field of the .docx `data` by name, with what was typed in it ("" if nothing).

    A field appearing twice keeps the first text someone completed.
    """
    fields: dict[str, str] = {}
    for control in read_controls(data):
        if control.name and not fields.get(control.name):
            fields[control.name] = control.text
    return fields


def controls_in(xml: bytes, part: str = "word/document.xml") -> list[Control]:
    """The content controls in one part's XML."""
    root = etree.fromstring(xml, _PARSER)
    return [_control(sdt, part) for sdt in root.iter(_w("sdt"))]


def _control(sdt: etree._Element, part: str) -> Control:
    properties = sdt.find(_w("sdtPr"))
    tag = _value(properties, "tag")
    title = _value(properties, "alias")
    showing = _on(properties.find(_w("showingPlcHdr")) if properties is not None else None)
    content = sdt.find(_w("sdtContent"))
    raw = _text(content).strip() if content is not None else ""
    empty = (showing or _ONLY_LINES.fullmatch(raw) is not None
             or raw.casefold() in _WORD_PLACEHOLDERS)  # fmt: skip
    name = tag if is_field_tag(tag) else ""
    if not tag and title:
        from_title = title.strip().casefold().replace(" ", "_")
        name = from_title if is_field_tag(from_title) else ""
    return Control(name, tag, title, "" if empty else raw, showing, part, raw)


def _value(properties: etree._Element | None, name: str) -> str:
    if properties is None:
        return ""
    element = properties.find(_w(name))
    return (element.get(_w("val")) or "") if element is not None else ""


def _on(element: etree._Element | None) -> bool:
    """Whether an on/off property such as ``<w:showingPlcHdr/>`` is on."""
    if element is None:
        return False
    return element.get(_w("val"), "true").casefold() not in ("false", "0", "off")


def _text(content: etree._Element) -> str:
    """The text of a control's content: paragraphs on lines of their own, breaks and tabs kept."""
    paragraphs = list(content.iter(_w("p")))
    text = "\n".join(_run_text(p) for p in paragraphs) if paragraphs else _run_text(content)
    return "\n".join(line.rstrip(" ") for line in text.split("\n"))


def _run_text(element: etree._Element) -> str:
    pieces = []
    for item in element.iter(_w("t"), _w("tab"), _w("br"), _w("cr")):
        if item.tag == _w("t"):
            pieces.append(item.text or "")
        elif item.tag == _w("tab"):
            parent = item.getparent()
            if parent is not None and parent.tag == _w("r"):
                pieces.append("\t")  # not a tab stop in paragraph properties
        else:
            pieces.append("\n")
    return "".join(pieces)


def fill_controls(xml: bytes, values: Mapping[str, str]) -> tuple[bytes, list[str]]:
    """`xml` (a part) with `values` typed into the fields they name, and the names filled.

    Only a field still showing its placeholder is filled, once; the names come in document
    order. The text takes the placeholder's own formatting, its lines as line breaks.
    """
    root = etree.fromstring(xml, _PARSER)
    filled: list[str] = []
    for sdt in list(root.iter(_w("sdt"))):
        control = _control(sdt, "")
        text = values.get(control.name, "")
        if not text or control.name in filled or control.text:
            continue  # nothing to give it, or someone already completed it
        content = sdt.find(_w("sdtContent"))
        if content is None:
            continue
        _put_text(sdt, content, text)
        filled.append(control.name)
    if not filled:
        return xml, []
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True), filled


def _put_text(sdt: etree._Element, content: etree._Element, text: str) -> None:
    properties = sdt.find(_w("sdtPr"))
    if properties is not None:
        for mark in properties.findall(_w("showingPlcHdr")):
            properties.remove(mark)
        plain = properties.find(_w("text"))
        if plain is not None and "\n" in text:
            plain.set(_w("multiLine"), "1")  # Word refuses line breaks in a one-line field
    first_run = next(content.iter(_w("r")), None)
    run_properties = first_run.find(_w("rPr")) if first_run is not None else None
    paragraphs = [p for p in content.iter(_w("p"))]
    holder = content
    if paragraphs:  # a control around whole paragraphs: the text goes in the first
        holder = paragraphs[0]
        for extra in paragraphs[1:]:
            parent = extra.getparent()
            if parent is not None:
                parent.remove(extra)
    for child in list(holder):
        if child.tag != _w("pPr"):
            holder.remove(child)
    holder.append(_run(text, run_properties))


def _run(text: str, properties: etree._Element | None) -> etree._Element:
    run = etree.Element(_w("r"))
    if properties is not None:
        copied = etree.fromstring(etree.tostring(properties))
        for style in copied.findall(_w("rStyle")):
            if style.get(_w("val")) == "PlaceholderText":  # Word's grey placeholder look
                copied.remove(style)
        if len(copied):
            run.append(copied)
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if number:
            etree.SubElement(run, _w("br"))
        if number < len(lines) - 1 and not line.endswith((" ", "\t")):
            # LibreOffice 7.4 shows a plain text control's line breaks as nothing: a space
            # keeps the words apart there (Word shows the break; docgen reads the line).
            line += " "
        _add_line(run, line)
    return run


def _add_line(run: etree._Element, line: str) -> None:
    for number, piece in enumerate(line.split("\t")):
        if number:
            etree.SubElement(run, _w("tab"))
        if piece:
            element = etree.SubElement(run, _w("t"))
            element.text = piece
            element.set(f"{{{_XML}}}space", "preserve")
