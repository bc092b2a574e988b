"""One record's template variables + one layout's Word template -> the bytes of one .docx.

Rendering is strict and safe: every value is XML-escaped (docxtpl's default would lose ``&``
and ``<...>``), the Jinja environment is sandboxed, a variable the template uses but docgen
does not provide is an error naming the template and the variable, and roster text that looks
like a tag is printed, never run (Jinja never evaluates a value's text).
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, UndefinedError
from jinja2 import TemplateError as JinjaTemplateError
from jinja2.sandbox import SandboxedEnvironment

from .errors import TemplateError
from .templates import Layout


def make_environment() -> SandboxedEnvironment:
    """The Jinja environment every layout renders in."""
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)


@dataclass(frozen=True)
class CompiledLayout:
    """A layout read once, ready to render many documents (the bulk-speed seam)."""

    layout: Layout
    template_bytes: bytes
    variables: frozenset[str]


def compile_layout(layout: Layout, provided: Mapping[str, Any]) -> CompiledLayout:
    """Read `layout`'s template and check it uses only variables in `provided`."""
    try:
        data = layout.docx.read_bytes()
        template = DocxTemplate(io.BytesIO(data))
        variables = frozenset(template.get_undeclared_template_variables(make_environment()))
    except JinjaTemplateError as error:
        raise TemplateError(
            f"the layout {layout.docx.name} has a broken tag: {error}. "
            f"Run `docgen check-template {layout.docx}` to find it"
        ) from None
    except (OSError, ValueError, KeyError) as error:
        raise TemplateError(f"the layout {layout.docx} cannot be opened: {error}") from None
    unknown = sorted(variables - set(provided))
    if unknown:
        names = ", ".join("{{ " + name + " }}" for name in unknown)
        raise TemplateError(
            f"the layout {layout.docx.name} uses {names}, which docgen does not provide. "
            "Correct the spelling in Word (the README lists every variable)"
        )
    return CompiledLayout(layout, data, variables)


def render_document(compiled: CompiledLayout, context: Mapping[str, Any]) -> bytes:
    """The finished agreement for one `context`, as the bytes of a .docx file."""
    template = DocxTemplate(io.BytesIO(compiled.template_bytes))
    template.init_docx()
    _clear_template_properties(template)
    try:
        template.render(dict(context), make_environment(), autoescape=True)
    except UndefinedError as error:
        raise TemplateError(
            f"the layout {compiled.layout.docx.name} uses something docgen does not provide: "
            f"{error.message}"
        ) from None
    except JinjaTemplateError as error:
        raise TemplateError(f"the layout {compiled.layout.docx.name} failed: {error}") from None
    _set_properties(template, context, compiled.layout)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


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
    if len(text.encode("utf-16-le")) // 2 <= limit:
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
