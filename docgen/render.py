"""One record's template variables + one layout's Word template -> the bytes of one .docx.

Rendering is strict and safe: every value is XML-escaped (docxtpl's default would lose ``&``
and ``<...>``), the Jinja environment is sandboxed, a variable the template uses but docgen
does not provide is an error naming the template and the variable, and roster text that looks
like a tag is printed, never run (Jinja never evaluates a value's text).
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate
from jinja2 import TemplateError as JinjaTemplateError
from jinja2 import UndefinedError
from jinja2.exceptions import SecurityError
from lxml.etree import LxmlError

from .errors import TemplateError
from .files import file_problem, zip_problem
from .layout_tags import (
    LayoutPart,
    describe,
    examine,
    layout_parts,
    mended,
    note_parts,
    part_text,
    set_part_text,
)
from .sandbox import LayoutProblem, make_environment
from .templates import Layout

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
    """Read `layout`'s template and check every part that is filled in (main text, headers,
    footers, footnotes, endnotes) uses only variables in `provided`, shaped as they are, and
    nothing a layout may not use."""
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
    """The bytes of the layout's Word file, refused with a sentence if it is not an ordinary
    file of sensible size or would unpack to too much."""
    problem = file_problem(docx, LAYOUT_FILE_LIMIT)
    if problem is None and zipfile.is_zipfile(docx):
        problem = zip_problem(docx)
    if problem is not None:
        raise TemplateError(f"the layout {docx} {problem}")
    try:
        return docx.read_bytes()
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


def _mended(xml: str) -> bytes:
    fixed = mended(xml)
    if fixed is None:
        raise LayoutProblem(
            "cannot be filled in: its tags cut a header, footer or note into pieces that do "
            "not fit together; type each tag again in one go"
        )
    return fixed


def render_document(compiled: CompiledLayout, context: Mapping[str, Any]) -> bytes:
    """The finished agreement for one `context`, as the bytes of a .docx file."""
    name = compiled.layout.docx.name
    template = _LayoutTemplate(io.BytesIO(compiled.template_bytes))
    template.init_docx()
    _clear_template_properties(template)
    try:
        template.render(dict(context), make_environment(), autoescape=True)
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
            f"the layout {name} cannot be filled in: a calculation in it failed "
            f"({_failed(error)})"
        ) from None
    _set_properties(template, context, compiled.layout)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def _undefined(message: str) -> str:
    """What Jinja's "'dict object' has no attribute 'whenn'" means, as a sentence that
    follows the layout's name."""
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
    """Whether `error` came from the layout's own expressions (``{{ 1 / 0 }}``), which Jinja
    marks by giving their frames the template's name, rather than from docgen."""
    trace = error.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == "<template>":
            return True
        trace = trace.tb_next
    return False


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
PROPERTY_LIMIT = 255  # characters a Word document property holds (python-docx refuses more)
_DOCXTPL_RENDERED = ("author", "comments", "identifier", "language", "subject", "title")


def _clear_template_properties(template: DocxTemplate) -> None:
    # docxtpl runs a template's own properties through Jinja and stores the result, which
    # fails past 255 characters; docgen sets every property itself after rendering.
    properties = template.docx.core_properties
    for name in _DOCXTPL_RENDERED:
        setattr(properties, name, "")


def fit_property(text: str, limit: int = PROPERTY_LIMIT) -> str:
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
    return bool(unicodedata.combining(character)) or character in "\u200d\ufe0e\ufe0f" or (
        "\U0001f3fb" <= character <= "\U0001f3ff"  # skin tones
    )


def _set_properties(template: DocxTemplate, context: Mapping[str, Any], layout: Layout) -> None:
    # Set after rendering, as plain text: docxtpl would run these through Jinja and escape them.
    properties = template.docx.core_properties
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
    for name, value in values.items():
        setattr(properties, name, fit_property(value))
    now = datetime.now(UTC).replace(microsecond=0)  # stored as UTC; Word shows local time
    properties.created = now
    properties.modified = now
