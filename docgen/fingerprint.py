"""What an agreement carries inside it about itself, so docgen knows it from the file alone.

docgen writes a few custom document properties into each agreement (File > Info >
Properties > Advanced > Custom in Word): the pair it is for, the dates, and two fingerprints.
The *content* fingerprint is a SHA-256 of every part of the document as docgen wrote it
(all but the custom properties themselves), so any save from Word or LibreOffice changes it:
that is how an edited agreement is told from an untouched one, with no manifest needed. The
*input* fingerprint is a SHA-256 of everything the agreement was made from (the roster row,
the layout, the policy and the meeting dates), so a re-run knows when nothing has changed.

Word and LibreOffice keep custom properties when they save, so an edited agreement still
says which pair it belongs to. Everything here works on bytes; reading files is the writer's.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from lxml import etree

from . import package

CUSTOM_PART = "docProps/custom.xml"
_CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM_REL = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
)
_CP = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_PR = "http://schemas.openxmlformats.org/package/2006/relationships"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the one id Office uses for user properties
PREFIX = "docgen "
VALUE_LIMIT = 255  # Word shows and keeps custom property text up to 255 characters
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)


@dataclass(frozen=True, slots=True)
class Stamp:
    """What docgen wrote into an agreement about it."""

    content: str  # SHA-256 of the document's parts as written
    input: str  # SHA-256 of what the agreement was made from
    pair: str  # the pair's stable key
    person: str  # the supervisee's stable key (Staff ID, else name)
    supervisee: str
    supervisor: str
    staff_id: str
    layout: str
    start: date | None
    review: date | None
    meetings: int
    made: datetime | None
    notes: str = ""
    holidays: str = ""  # the bank holiday data the dates were planned with

    def properties(self) -> dict[str, str]:
        """The stamp as custom document properties, by their prefixed names, each kept short."""
        values = {
            "content": self.content, "input": self.input, "pair": self.pair,
            "person": self.person, "supervisee": self.supervisee,
            "supervisor": self.supervisor, "staff id": self.staff_id, "layout": self.layout,
            "start": self.start.isoformat() if self.start else "",
            "review": self.review.isoformat() if self.review else "",
            "meetings": str(self.meetings),
            "made": self.made.isoformat(timespec="seconds") if self.made else "",
            "notes": self.notes, "holidays": self.holidays,
        }  # fmt: skip
        return {PREFIX + name: fit_property(value) for name, value in values.items()}


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def fit_property(text: str, limit: int = VALUE_LIMIT) -> str:
    """`text` cut to fit a document property, ending "…" when cut.

    Counted in UTF-16 units, as Word counts (an emoji takes two), so it fits both Word and
    python-docx; a letter is never left without the accents or joined emoji parts after it.
    """
    text = _NOT_XML.sub("", text)  # a control character pasted into a layout's metadata
    if len(text.encode("utf-16-le", "surrogatepass")) // 2 <= limit:
        return text
    cut, used = 0, 1  # room for the ellipsis
    for character in text:
        used += 2 if ord(character) > 0xFFFF else 1
        if used > limit:
            break
        cut += 1
    while cut > 0 and _attaches(text[cut]):
        cut -= 1
    while cut > 0 and text[cut - 1] == "\u200d":  # a joiner with nothing left to join
        cut -= 1
    return text[:cut].rstrip() + "\u2026"


def _attaches(character: str) -> bool:
    """Whether `character` belongs to the one before it (an accent, a joiner, a variant)."""
    return (
        bool(unicodedata.combining(character))
        or character in "\u200d\ufe0e\ufe0f"
        or (
            "\U0001f3fb" <= character <= "\U0001f3ff"  # skin tones
        )
    )


def content_fingerprint(parts: Mapping[str, bytes]) -> str:
    """SHA-256 over every part but the custom properties, in name order."""
    whole = hashlib.sha256()
    for name in sorted(parts):
        if name != CUSTOM_PART:
            whole.update(name.encode() + b"\0" + package.digest(name, parts[name]))
    return whole.hexdigest()


def stamp_parts(parts: dict[str, bytes], stamp: Stamp) -> str:
    """Write `stamp` into the custom properties among `parts` (changed in place).

    The stamp gets the content fingerprint, which is returned.
    """
    # The same two parts for every agreement of a layout: compressed once, not for each.
    for name, with_custom in (("[Content_Types].xml", _with_custom_type),
                              ("_rels/.rels", _with_custom_relationship)):  # fmt: skip
        parts[name] = package.shared(name, with_custom(parts[name]))
    existing = parts.pop(CUSTOM_PART, None)  # what it holds is not part of the content
    content = content_fingerprint(parts)
    stamp = dataclasses.replace(stamp, content=content)
    parts[CUSTOM_PART] = _custom_xml(existing, stamp.properties())
    return content


def remove_stamp(data: bytes) -> bytes:
    """`data` (a .docx) without docgen's properties, for files that are not one agreement."""
    parts = read_parts(data)
    if CUSTOM_PART not in parts:
        return data
    parts[CUSTOM_PART] = _custom_xml(parts[CUSTOM_PART], {})
    return _zip(parts)


def read_parts(data: bytes) -> dict[str, bytes]:
    """Every part of the zip `data` (a .docx), by name."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def write_parts(parts: Mapping[str, bytes]) -> bytes:
    """A .docx from its parts, [Content_Types].xml first as Office writes it."""
    return _zip(parts)


def _zip(parts: Mapping[str, bytes]) -> bytes:
    return package.pack(parts)


@functools.lru_cache(maxsize=64)  # the same few parts, for every agreement of a layout
def _with_custom_type(xml: bytes) -> bytes:
    root = etree.fromstring(xml, _PARSER)
    for override in root.findall(f"{{{_CT}}}Override"):
        if override.get("PartName") == "/" + CUSTOM_PART:
            return xml
    etree.SubElement(root, f"{{{_CT}}}Override", PartName="/" + CUSTOM_PART,
                     ContentType=_CUSTOM_TYPE)  # fmt: skip
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


@functools.lru_cache(maxsize=64)
def _with_custom_relationship(xml: bytes) -> bytes:
    root = etree.fromstring(xml, _PARSER)
    ids = set()
    for relationship in root.findall(f"{{{_PR}}}Relationship"):
        if relationship.get("Type") == _CUSTOM_REL:
            return xml
        ids.add(relationship.get("Id"))
    number = 1
    while f"rId{number}" in ids:
        number += 1
    etree.SubElement(root, f"{{{_PR}}}Relationship", Id=f"rId{number}", Type=_CUSTOM_REL,
                     Target=CUSTOM_PART)  # fmt: skip
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _custom_xml(existing: bytes | None, properties: Mapping[str, str]) -> bytes:
    """The custom properties part: a template's own properties kept, docgen's replaced.

    Every agreement of a layout starts from the same part, so it is read once; each one's
    properties are then written into it as text.
    """
    frame = _custom_frame(existing)
    if frame is None:  # a part with namespaces of its own making: built as a tree
        return _custom_tree(existing, properties)
    head, pid, tail = frame
    written = []
    for name, value in properties.items():
        pid += 1
        attribute = as_xml_text(name, quote=True)
        written.append(f'<property fmtid="{_FMTID}" pid="{pid}" name="{attribute}">'
                       f"<vt:lpwstr>{as_xml_text(value)}</vt:lpwstr></property>")  # fmt: skip
    return head + "".join(written).encode("utf-8") + tail


def as_xml_text(text: str, quote: bool = False) -> str:
    """`text` as lxml writes it in an element (or, with `quote`, an attribute).

    A carriage return is kept as one, not read back as a line end.
    """
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return (text.replace('"', "&quot;") if quote else text).replace("\r", "&#13;")


@functools.lru_cache(maxsize=32)
def _custom_frame(existing: bytes | None) -> tuple[bytes, int, bytes] | None:
    """The part without docgen's properties, split where they go, and the last pid before them.

    None where the part names its namespaces otherwise than Office does.
    """
    root = _custom_root(existing)
    if root.nsmap.get(None) != _CP or root.nsmap.get("vt") != _VT:
        return None
    pid = max([1, *(int(p.get("pid", "1")) for p in root.findall(f"{{{_CP}}}property"))])
    etree.SubElement(root, f"{{{_CP}}}docgen-properties")
    whole = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    head, tail = whole.split(b"<docgen-properties/>")
    return head, pid, tail


def _custom_root(existing: bytes | None) -> Any:
    """The part's tree, without docgen's properties."""
    root = (etree.fromstring(existing, _PARSER) if existing
            else etree.Element(f"{{{_CP}}}Properties", nsmap={None: _CP, "vt": _VT}))  # fmt: skip
    for prop in root.findall(f"{{{_CP}}}property"):
        if (prop.get("name") or "").startswith(PREFIX):
            root.remove(prop)
    return root


def _custom_tree(existing: bytes | None, properties: Mapping[str, str]) -> bytes:
    root = _custom_root(existing)
    pids = [int(p.get("pid", "1")) for p in root.findall(f"{{{_CP}}}property")]
    pid = max([1, *pids])
    for name, value in properties.items():
        pid += 1
        prop = etree.SubElement(root, f"{{{_CP}}}property", fmtid=_FMTID, pid=str(pid), name=name)
        etree.SubElement(prop, f"{{{_VT}}}lpwstr").text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


@dataclass(frozen=True)
class Inspection:
    """What a .docx on disk says about itself.

    docgen's stamp (None if docgen did not make it) and whether its content is still exactly
    what docgen wrote.
    """

    stamp: Stamp | None
    untouched: bool
    damaged: bool = False  # not a readable Word file at all (Word never saves one)


def inspect_document(data: bytes) -> Inspection:
    """Read the stamp in `data` and check its content fingerprint.

    A file that is not a readable .docx is reported as not docgen's (``stamp`` None).
    """
    try:
        parts = read_parts(data)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error):
        return Inspection(None, False, damaged=True)
    if "word/document.xml" not in parts:
        return Inspection(None, False, damaged=True)
    custom = parts.get(CUSTOM_PART)
    if custom is None:
        return Inspection(None, False)
    try:
        root = etree.fromstring(custom, _PARSER)
    except etree.XMLSyntaxError:
        return Inspection(None, False)
    values: dict[str, str] = {}
    for prop in root.findall(f"{{{_CP}}}property"):
        name = prop.get("name") or ""
        if name.startswith(PREFIX):
            values[name[len(PREFIX) :]] = "".join(prop.itertext())
    if not values.get("content") or not values.get("pair"):
        return Inspection(None, False)
    stamp = Stamp(
        content=values["content"], input=values.get("input", ""), pair=values["pair"],
        person=values.get("person", ""), supervisee=values.get("supervisee", ""),
        supervisor=values.get("supervisor", ""), staff_id=values.get("staff id", ""),
        layout=values.get("layout", ""), start=_date(values.get("start")),
        review=_date(values.get("review")), meetings=_int(values.get("meetings")),
        made=_datetime(values.get("made")), notes=values.get("notes", ""),
        holidays=values.get("holidays", ""),
    )  # fmt: skip
    return Inspection(stamp, content_fingerprint(parts) == stamp.content)


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _datetime(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def _int(text: str | None) -> int:
    try:
        return int(text or 0)
    except ValueError:
        return 0
