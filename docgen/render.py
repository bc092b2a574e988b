"""One record's template variables + one layout's Word template -> the bytes of one .docx.

Rendering is strict and safe: every value is XML-escaped (docxtpl's default would lose ``&``
and ``<...>``), the Jinja environment is sandboxed, a variable the template uses but docgen
does not provide is an error naming the template and the variable, and roster text that looks
like a tag is printed, never run (Jinja never evaluates a value's text).
"""

from __future__ import annotations

import bisect
import contextlib
import io
import pyexpat
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from docx.opc.exceptions import PackageNotFoundError
from docx.opc.oxml import serialize_part_xml
from docx.oxml.ns import nsmap
from docxtpl import DocxTemplate
from jinja2 import TemplateError as JinjaTemplateError
from jinja2 import UndefinedError
from jinja2.exceptions import SecurityError
from lxml import etree
from lxml.etree import LxmlError

from . import package
from .bundle import CORE_PROPERTIES
from .errors import TemplateError
from .field_marks import mark_fields
from .files import file_problem, zip_problem
from .fingerprint import as_xml_text, fit_property, read_parts, write_parts
from .layout_tags import (
    LayoutPart,
    describe,
    examine,
    layout_parts,
    mended,
    note_parts,
    one_paragraph_a_line,
    part_text,
    set_part_text,
)
from .sandbox import LayoutProblem, make_environment
from .templates import Layout

# Importing docxtpl imports docxcompose, which re-points python-docx's "cp" prefix from core
# to custom properties for the whole process (see `bundle._composer`): every agreement's
# last-modified-by, keywords and category would be written where Word does not look, and
# Word would call the file unreadable. python-docx's own meaning is put back.
nsmap["cp"] = CORE_PROPERTIES

LAYOUT_FILE_LIMIT = 50 * 1024 * 1024  # a layout with a few logos is well under a megabyte
# What opening a Word file that is not one can raise, in python-docx, lxml and zipfile.
NOT_A_DOCUMENT = (OSError, ValueError, KeyError, zipfile.BadZipFile, PackageNotFoundError,
                  LxmlError)  # fmt: skip


@dataclass(frozen=True)
class CompiledLayout:
    """A layout read once, ready to render many documents (the bulk-speed seam)."""

    layout: Layout
    template_bytes: bytes
    variables: frozenset[str]


def compile_layout(layout: Layout, provided: Mapping[str, Any]) -> CompiledLayout:
    """Read `layout`'s template and check every part that is filled in.

    The main text, headers, footers, footnotes and endnotes must use only variables in
    `provided`, shaped as they are, and nothing a layout may not use.
    """
    data = read_layout(layout.docx)
    tags = examine(open_parts(layout.docx, data), provided)
    if tags.problems:
        raise TemplateError(describe(layout.docx.name, tags.problems))
    return CompiledLayout(layout, data, tags.variables)


def open_parts(docx: Path, data: bytes) -> list[LayoutPart]:
    """The parts of the layout `docx` (read as `data`) that are filled in."""
    try:
        return layout_parts(DocxTemplate(io.BytesIO(data)))
    except NOT_A_DOCUMENT as error:
        raise TemplateError(
            f"the layout {docx} cannot be opened as a Word document ({error})"
        ) from None


def read_layout(docx: Path) -> bytes:
    """The bytes of the layout's Word file, any ``[[ field ]]`` marks in it made into fields.

    Refused with a sentence if it is not an ordinary file of sensible size or would unpack
    to too much.
    """
    problem = file_problem(docx, LAYOUT_FILE_LIMIT)
    if problem is None and zipfile.is_zipfile(docx):
        problem = zip_problem(docx)
    if problem is not None:
        raise TemplateError(f"the layout {docx} {problem}")
    try:
        return mark_fields(docx.read_bytes())
    except OSError as error:
        raise TemplateError(f"the layout {docx} cannot be opened: {error.strerror}") from None


class _LayoutTemplate(DocxTemplate):  # type: ignore[misc]
    """docxtpl's template, filling in every part the way docxtpl fills in the main text."""

    def render_footnotes(self, context: dict[str, Any], jinja_env: Any = None) -> None:
        # docxtpl fills the footnotes in once per section of the document, so from the second
        # section on a value that looks like a tag would be run; and it skips the endnotes.
        for _, part in note_parts(self):
            xml = self.render_xml_part(self.patch_xml(part_text(part)), part, context, jinja_env)
            set_part_text(part, _mended(xml))

    def map_headers_footers_xml(self, rel_key: str, xml: bytes) -> None:
        # docxtpl mends the main text after filling it in, but would stop at a header
        # with the same tag in it; every part is mended alike.
        super().map_headers_footers_xml(rel_key, _mended(xml.decode("utf-8")))


def _as_mended(xml: str, encoding: str = "utf-8") -> bytes:
    """A filled-in header, footer or note as `_mended` leaves it, in `encoding`.

    One that is well-formed as it is would come out of the mending the same once
    canonicalised: only checked, which is quicker.
    """
    if encoding.lower() in ("utf-8", "utf8"):
        data = xml.encode("utf-8")
        if _well_formed(data):
            # With the declaration the mending writes, as Word's own parts have one.
            return data if data.startswith(b"<?xml") else _DECLARATION + data
    return _mended(xml).decode("utf-8").encode(encoding)


_DECLARATION = b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"  # as lxml writes it


def _mended(xml: str) -> bytes:
    fixed = mended(xml)
    if fixed is None:
        raise LayoutProblem(
            "cannot be filled in: its tags cut a header, footer or note into pieces that do "
            "not fit together; type each tag again in one go"
        )
    return fixed


def render_document(compiled: CompiledLayout, context: Mapping[str, Any]) -> bytes:
    """The finished agreement for one `context`, as the bytes of a .docx file.

    The first agreement of a layout in a process is filled in by docxtpl in full, and so is
    a prepared copy that does once what docxtpl repeats for every document (reading the
    Word file, mending split tags, compiling the Jinja): if the two agree, every later
    agreement of that layout only fills in and zips its changed parts. If they do not agree
    (a feature the prepared copy does not cover), every agreement is filled in in full.
    """
    return write_parts(render_parts(compiled, context))


def render_parts(compiled: CompiledLayout, context: Mapping[str, Any]) -> dict[str, bytes]:
    """The finished agreement's parts (name -> bytes), not yet zipped into a .docx."""
    fast = _prepared(compiled)
    if fast is not None:
        with _plain_errors(compiled.layout.docx.name):
            return fast.render(context)
    return read_parts(full_render(compiled, context))


def full_render(compiled: CompiledLayout, context: Mapping[str, Any]) -> bytes:
    """The agreement for one `context`, filled in by docxtpl from the Word file up."""
    template = _LayoutTemplate(io.BytesIO(compiled.template_bytes))
    template.init_docx()
    _clear_template_properties(template)
    with _plain_errors(compiled.layout.docx.name):
        template.render(dict(context), make_environment(), autoescape=True)
    _set_properties(template.docx.core_properties, context, compiled.layout)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


@contextlib.contextmanager
def _plain_errors(name: str) -> Iterator[None]:
    """What filling in a layout can raise, as sentences naming the layout."""
    try:
        yield
    except LayoutProblem as error:
        raise TemplateError(f"the layout {name} {error.message}") from None
    except UndefinedError as error:
        raise TemplateError(f"the layout {name} {_undefined(error.message or '')}") from None
    except SecurityError:
        raise TemplateError(
            f"the layout {name} uses something a layout cannot access (a name starting with _, "
            "or a part of the program rather than of the agreement)"
        ) from None
    except JinjaTemplateError:
        raise TemplateError(
            f"the layout {name} cannot be filled in: one of its tags cannot be worked out "
            "(check its spelling against the README's examples)"
        ) from None
    except Exception as error:
        if not _raised_in_layout(error):
            raise
        raise TemplateError(
            f"the layout {name} cannot be filled in: a calculation in it failed ({_failed(error)})"
        ) from None


_PREPARED: dict[int, tuple[CompiledLayout, _Prepared | None]] = {}


def _prepared(compiled: CompiledLayout) -> _Prepared | None:
    """The prepared copy of `compiled` for this process, made (and checked) on first use."""
    found = _PREPARED.get(id(compiled))
    if found is None or found[0] is not compiled:
        if len(_PREPARED) >= 32:  # a long-lived process (the web page) sees many runs
            _PREPARED.clear()
        found = (compiled, _Prepared.attempt(compiled))
        _PREPARED[id(compiled)] = found
    return found[1]


class _Prepared:
    """A layout opened, mended and compiled once, to fill in many times.

    It reuses docxtpl's own steps (its tag mending, table fixing and line-break handling),
    only not repeated for each document: the parts nobody fills in are taken as docxtpl
    saves them, and only the filled-in parts are made for each agreement.
    """

    def __init__(self, compiled: CompiledLayout) -> None:
        self.compiled = compiled
        self.environment = make_environment()
        template = _LayoutTemplate(io.BytesIO(compiled.template_bytes))
        template.render_init()
        _clear_template_properties(template)
        self.template = template
        self.root = template.docx.element
        body = template.patch_xml(template.get_xml())
        self.body = self._compiled(body)
        # docxtpl parses the filled-in body (forgivingly) to fix tables' grids and number
        # drawings; where neither can change anything and it is well-formed, the body is used
        # as filled in: the same XML once canonicalised (checked in `attempt`, and the tests).
        self.as_filled_in = _tables_stay_as_they_are(body) and "docPr" not in body
        texts = [body]
        self.headers_footers = []
        for uri in (template.HEADER_URI, template.FOOTER_URI):
            for _, part in template.get_headers_footers(uri):
                xml = template.get_part_xml(part)
                encoding = template.get_headers_footers_encoding(xml)
                name = str(part.partname).lstrip("/")
                texts.append(xml)
                self.headers_footers.append(
                    (name, encoding, self._compiled(template.patch_xml(xml)))
                )
        self.notes = [
            (str(part.partname).lstrip("/"), self._compiled(template.patch_xml(part_text(part))))
            for _, part in note_parts(template)
        ]
        texts += [part_text(part) for _, part in note_parts(template)]
        # Paragraphs sit inside paragraphs only in text boxes.
        self.flat = not any("txbxContent" in text for text in texts)
        whole = serialize_part_xml(self.root)
        start, end = whole.index(b"<w:body"), whole.rindex(b"</w:body>") + len(b"</w:body>")
        self.around_body = whole[:start], whole[end:]
        self.core = template.docx.core_properties
        self.core_part = template.docx.part.package._core_properties_part  # noqa: SLF001
        try:
            self.core_frame: _CoreFrame | None = _CoreFrame(
                self.core, self.core_part.element, compiled.layout
            )
        except ValueError:  # a part python-docx writes otherwise: it writes each one's
            self.core_frame = None
        self.static: dict[str, bytes] = {}

    def _core_xml(self, context: Mapping[str, Any]) -> bytes:
        layout = self.compiled.layout
        if self.core_frame is None:
            _set_properties(self.core, context, layout)
            return bytes(serialize_part_xml(self.core_part.element))
        return self.core_frame.filled(context, layout)

    @classmethod
    def attempt(cls, compiled: CompiledLayout) -> _Prepared | None:
        """A prepared copy whose output matches docxtpl's own for sample values.

        None where it does not, or cannot be made.
        """
        from .context import sample_context  # the full list of values, as check-template uses

        try:
            prepared = cls(compiled)
            sample = sample_context()
            expected = read_parts(full_render(compiled, sample))
            prepared.static = {name: data for name, data in expected.items()
                               if name not in prepared.filled_in}  # fmt: skip
            package.remember(prepared.static)  # compressed once, not for every agreement
            ours = prepared.render(sample)
            same = set(ours) == set(expected) and all(
                _canonical(ours[name]) == _canonical(expected[name])
                for name in ours if name != "docProps/core.xml"
            )  # fmt: skip
        except Exception:  # noqa: BLE001 - anything unexpected: docxtpl does it all
            return None
        return prepared if same else None

    @property
    def filled_in(self) -> set[str]:
        return {"word/document.xml", "docProps/core.xml",
                *(name for name, _, _ in self.headers_footers),
                *(name for name, _ in self.notes)}  # fmt: skip

    def _compiled(self, xml: str) -> Any:
        return self.environment.from_string(one_paragraph_a_line(xml))

    def _filled(self, compiled: Any, context: Mapping[str, Any]) -> str:
        """A part filled in, then finished as docxtpl's `render_xml_part` finishes it."""
        xml: str = compiled.render(context).replace("\n<w:p>", "<w:p>").replace("\n<w:p ", "<w:p ")
        if "{_" in xml or "_}" in xml:  # tags written out as text, in docxtpl's escaped form
            xml = (
                xml.replace("{_{", "{{")
                .replace("}_}", "}}")
                .replace("{_%", "{%")
                .replace("%_}", "%}")
            )
        # resolve_listing turns tabs, line and page breaks in roster text into Word's own,
        # paragraph by paragraph (the same paragraphs its own pattern finds); only the few
        # paragraphs holding one need it.
        marks = sorted(_places(xml, _MARKS))
        if not marks:
            return xml
        pieces: list[str] = []
        done = 0
        for start, end in self._paragraphs_holding(xml, marks):
            pieces += (xml[done:start], str(self.template.resolve_listing(xml[start:end])))
            done = end
        pieces.append(xml[done:])
        return "".join(pieces)

    def _paragraphs_holding(self, xml: str, marks: list[int]) -> Iterator[tuple[int, int]]:
        """Where the paragraphs holding `marks` start and end, as docxtpl's pattern finds them.

        In a layout with no paragraph inside another (text boxes have them), a paragraph is
        from the last ``<w:p>`` before a mark to the next ``</w:p>``: found there, rather
        than by running the pattern over the whole part.
        """
        if not self.flat:
            for paragraph in _PARAGRAPH.finditer(xml):
                first = bisect.bisect_left(marks, paragraph.start())
                if first < len(marks) and marks[first] < paragraph.end():
                    yield paragraph.span()
            return
        done = 0
        for mark in marks:
            if mark < done:
                continue  # in the paragraph just found
            start = max(xml.rfind("<w:p>", done, mark), xml.rfind("<w:p ", done, mark))
            end = xml.find("</w:p>", start) if start >= 0 else -1
            if end >= mark:
                done = end + len("</w:p>")
                yield start, done

    def render(self, context: Mapping[str, Any]) -> dict[str, bytes]:
        self.environment.restart()  # this agreement's own clock, loop count and size
        values = dict(context)
        parts = dict(self.static)
        xml = self._filled(self.body, values)
        body = xml.encode("utf-8")
        if not (self.as_filled_in and _well_formed(body) and not _emptied_table(xml)):
            tree = self.template.fix_tables(xml)
            self.template.docx_ids_index = 1000
            self.template.fix_docpr_ids(tree)
            body = etree.tostring(tree, encoding="UTF-8", xml_declaration=False)
        # The body goes between the rest of the document as serialised once, rather than
        # into the document's own tree (moving every element between trees cost more than
        # the rest of the agreement). Only the body's namespace declarations repeat.
        before, after = self.around_body
        parts["word/document.xml"] = b"".join((before, body, after))
        for name, encoding, compiled in self.headers_footers:
            parts[name] = _as_mended(self._filled(compiled, values), encoding)
        for name, compiled in self.notes:
            parts[name] = _as_mended(self._filled(compiled, values))
        parts["docProps/core.xml"] = self._core_xml(context)
        return parts


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RECOVERING = etree.XMLParser(recover=True)
_TABLE_MARKS = re.compile(r"<w:tbl[ >]|<w:tr[ >]|</w:tbl>")


def _well_formed(xml: bytes) -> bool:
    """Whether `xml` is XML as it is, which docxtpl's forgiving parser would leave alone.

    A layout whose tags Word split around tracked changes can come out otherwise.
    """
    parser = pyexpat.ParserCreate(namespace_separator=" ")  # checks prefixes too
    try:
        parser.Parse(xml, True)  # builds nothing: twice as quick as a tree
    except pyexpat.ExpatError:
        return False
    return True


def _emptied_table(xml: str) -> bool:
    """Whether a table was left with no row (its rows all repeated over an empty list).

    docxtpl's `fix_tables` then drops the table's grid. A table holding another is in a
    row, so no table left with none holds a table.
    """
    has_rows: list[bool] = []
    for mark in _TABLE_MARKS.finditer(xml):
        tag = mark.group()
        if tag.startswith("<w:tbl"):
            has_rows.append(False)
        elif tag.startswith("<w:tr"):
            if has_rows:
                has_rows[-1] = True
        elif has_rows and not has_rows.pop():
            return True
    return False


def _tables_stay_as_they_are(body: str) -> bool:
    """Whether docxtpl's `fix_tables` can only leave this layout's tables as they are.

    It fixes a table's column grid when a row has more cells than the grid has columns, or
    when no row fills the grid. Rendering only repeats or drops whole rows (``{%tr``) unless
    a tag sits between a row's cells (``{%tc``), so a layout whose every row (nested tables'
    rows too, as fix_tables counts them) has no tag between cells and fills its table's grid
    exactly never needs it, as long as some row is left: a table left with none is fixed.
    """
    tree = etree.fromstring(body.encode("utf-8"), _RECOVERING)
    for table in tree.iter(f"{_W}tbl"):
        grid = table.find(f"{_W}tblGrid")
        columns = len(grid.findall(f"{_W}gridCol")) if grid is not None else -1
        for row in table.iter(f"{_W}tr"):
            cells = row.findall(f"{_W}tc")
            if "{%" in (row.text or "") or any("{%" in (cell.tail or "") for cell in cells):
                return False
            spans = [cell.find(f"{_W}tcPr/{_W}gridSpan") for cell in cells]
            width = sum(int(span.get(f"{_W}val", "1")) if span is not None else 1
                        for span in spans)  # fmt: skip
            if len(cells) > columns or width != columns:
                return False
    return True


_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)  # docxtpl's resolve_listing


_MARKS = "\t\a\n\f"  # what resolve_listing turns into Word's own breaks


def _places(text: str, characters: str) -> Iterator[int]:
    """Where each of `characters` is in `text` (a few in a long text: str.find is quickest)."""
    for character in characters:
        at = text.find(character)
        while at >= 0:
            yield at
            at = text.find(character, at + 1)


def _canonical(data: bytes) -> bytes:
    if not data.lstrip().startswith(b"<"):
        return data
    return etree.tostring(etree.fromstring(data), method="c14n")


def _undefined(message: str) -> str:
    """What Jinja's "'dict object' has no attribute 'whenn'" means, as a sentence.

    The sentence follows the layout's name.
    """
    if found := re.fullmatch(r"'(\w+)' is undefined", message):
        return (f"uses {{{{ {found.group(1)} }}}}, which is not a roster column or a value "
                "docgen works out; the README lists the variables a layout can use")  # fmt: skip
    if found := re.search(r"has no attribute '(.+?)'", message):
        return (f'uses ".{found.group(1)}" after a value that has no such part; the README '
                "lists the parts of each variable")  # fmt: skip
    if found := re.search(r"has no element (.+)$", message):
        return (f"asks for item {found.group(1)} of a list that may be shorter (docgen tries "
                "each layout with one meeting); go through the list with {%tr for m in "
                "meetings %} instead")  # fmt: skip
    return "uses something docgen does not provide; the README lists the variables"


def _failed(error: BaseException) -> str:
    """What went wrong in a layout's calculation, in words."""
    if isinstance(error, ZeroDivisionError):
        return "it divides by zero"
    if isinstance(error, RecursionError):
        return "a macro in it calls itself without end"
    if isinstance(error, TypeError):
        return "it mixes values that do not go together, such as text and a number"
    if isinstance(error, ValueError):
        return "a value in it is not of the kind the calculation needs"
    return "it cannot be worked out"


def _raised_in_layout(error: BaseException) -> bool:
    """Whether `error` came from the layout's own expressions (``{{ 1 / 0 }}``), not docgen.

    Jinja marks those by giving their frames the template's name.
    """
    trace = error.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == "<template>":
            return True
        trace = trace.tb_next
    return False


_DOCXTPL_RENDERED = ("author", "comments", "identifier", "language", "subject", "title")


def _clear_template_properties(template: DocxTemplate) -> None:
    # docxtpl runs a template's own properties through Jinja and stores the result, which
    # fails past 255 characters; docgen sets every property itself after rendering.
    properties = template.docx.core_properties
    for name in _DOCXTPL_RENDERED:
        setattr(properties, name, "")


def _set_properties(properties: Any, context: Mapping[str, Any], layout: Layout) -> None:
    # Set after rendering, as plain text: docxtpl would run these through Jinja and escape them.
    for name, value in _property_values(context, layout).items():
        setattr(properties, name, value)
    now = _now()
    properties.created = now
    properties.modified = now


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)  # stored as UTC; Word shows local time


def _property_values(context: Mapping[str, Any], layout: Layout) -> dict[str, str]:
    values = {
        "title": f"Supervision agreement: {context['supervisee']}",
        "subject": (
            f"Supervision agreement between {context['supervisee']} (supervisee) and "
            f"{context['supervisor']} (supervisor), from {context['start_date']}"
        ),
        "author": str(context["organisation"]),
        "last_modified_by": str(context["organisation"]),
        "keywords": "supervision agreement",
        "category": layout.name,
        "language": "en-GB",
        "comments": "Made by docgen from the supervision roster.",
    }
    return {name: fit_property(value) for name, value in values.items()}


_SLOT_TIME = datetime(1901, 2, 3, 4, 5, 6, tzinfo=UTC)  # a time no agreement is made at


class _CoreFrame:
    """The core properties part as python-docx writes it, with a slot for each value set.

    Written through python-docx once per layout; each agreement's values then go into the
    slots as text, byte for byte as python-docx would have written them (which took longer
    than filling in the agreement's own text).
    """

    def __init__(self, properties: Any, element: Any, layout: Layout) -> None:
        names = list(_property_values(_NO_VALUES, layout))
        for name in names:
            setattr(properties, name, f"docgen-slot-{name}")
        properties.created = properties.modified = _SLOT_TIME
        slots = {f"docgen-slot-{name}": name for name in names}
        slots[f"{_SLOT_TIME:%Y-%m-%dT%H:%M:%SZ}"] = "time"
        pattern = "(" + "|".join(map(re.escape, slots)) + ")"
        split = re.split(pattern, serialize_part_xml(element).decode("utf-8"))
        self.pieces, self.names = split[::2], [slots[slot] for slot in split[1::2]]
        if sorted(self.names) != sorted([*names, "time", "time"]):  # created and modified
            raise ValueError("python-docx wrote a value other than once")

    def filled(self, context: Mapping[str, Any], layout: Layout) -> bytes:
        values = {name: as_xml_text(value)
                  for name, value in _property_values(context, layout).items()}  # fmt: skip
        values["time"] = f"{_now():%Y-%m-%dT%H:%M:%SZ}"
        written = [self.pieces[0]]
        for name, piece in zip(self.names, self.pieces[1:], strict=True):
            written += (values[name], piece)
        return "".join(written).encode("utf-8")


_NO_VALUES = dict.fromkeys(("supervisee", "supervisor", "start_date", "organisation"), "")
