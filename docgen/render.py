"""One record's template variables + one layout's Word template -> the bytes of one .docx.

Rendering is strict and safe: every value is XML-escaped (docxtpl's default would lose ``&``
and ``<...>``), the Jinja environment is sandboxed, a variable the template uses but docgen
does not provide is an error naming the template and the variable, and roster text that looks
like a tag is printed, never run (Jinja never evaluates a value's text).
"""

from __future__ import annotations

import io
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


def _set_properties(template: DocxTemplate, context: Mapping[str, Any], layout: Layout) -> None:
    # Set after rendering, as plain text: docxtpl would run these through Jinja and escape them.
    properties = template.docx.core_properties
    properties.title = f"Supervision agreement: {context['supervisee']}"
    properties.subject = (
        f"Supervision agreement between {context['supervisee']} (supervisee) and "
        f"{context['supervisor']} (supervisor), from {context['start_date']}"
    )
    properties.author = str(context["organisation"])
    properties.last_modified_by = str(context["organisation"])
    properties.keywords = "supervision agreement"
    properties.category = layout.name
    properties.language = "en-GB"
    properties.comments = "Made by docgen from the supervision roster."
    now = datetime.now(UTC).replace(microsecond=0)  # stored as UTC; Word shows local time
    properties.created = now
    properties.modified = now
