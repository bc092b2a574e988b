"""Check a layout before anyone generates from it.

Broken tags, unknown variables, missing metadata, and the names of regulators that
councils' older documents still carry.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from docx import Document

from .context import sample_context
from .errors import TemplateError
from .field_check import field_warnings, mark_warnings
from .fields import read_controls
from .layout_tags import STRAIGHT, Paragraph, examine, paragraphs, shorten, tags_in
from .render import NOT_A_DOCUMENT, CompiledLayout, open_parts, read_layout, render_document
from .templates import Layout, load_layout


@dataclass(frozen=True)
class Finding:
    """One thing the template check found, and the paragraph it is in."""

    severity: str  # "error" or "warning"
    message: str
    paragraph: str = ""

    def __str__(self) -> str:
        quoted = f'\n    in: "{_shorten(self.paragraph)}"' if self.paragraph else ""
        return f"{self.severity}: {self.message}{quoted}"


# (pattern, what to say) for regulators and bodies that no longer exist or changed role.
OUTDATED_BODIES = (
    (re.compile(r"General Social Care Council|\bGSCC\b"),
     "names the General Social Care Council (GSCC), abolished in 2012; social workers in "
     "England are registered with Social Work England (since December 2019)"),
    (re.compile(r"College of Social Work", re.I),
     "names the College of Social Work, which closed in 2015 (the Professional Capabilities "
     "Framework is now held by BASW)"),
    (re.compile(r"\bHCPC\b|Health and Care Professions Council"),
     "names the HCPC, which stopped regulating social workers in England in December 2019; "
     "their regulator is Social Work England"),
)  # fmt: skip


def check_template(docx: Path) -> list[Finding]:
    """Every problem found in the layout `docx` and its metadata, errors first.

    The errors are exactly what `generate` would refuse the layout for: every part that is
    filled in is read as docxtpl and docgen read it, and the layout is filled in once with
    sample values, as `generate` does before it writes anything.
    """
    docx = Path(docx)
    try:
        data = read_layout(docx)
        parts = open_parts(docx, data)
    except TemplateError as error:
        return [Finding("error", str(error))]
    findings: list[Finding] = []
    provided = sample_context()
    tags = examine(parts, provided)
    findings += [Finding("error", f"the layout {docx.name} {p.sentence}{_part(p.part)}", p.where)
                 for p in tags.problems]  # fmt: skip
    findings += [Finding("warning", f"the layout {docx.name} {p.sentence}{_part(p.part)}", p.where)
                 for p in tags.warnings]  # fmt: skip
    for part in parts:
        for paragraph in paragraphs(part.xml):
            findings += _paragraph_warnings(paragraph, part.name)
    findings += _property_warnings(data)
    layout: Layout | None = None
    try:
        layout = load_layout(docx)
    except TemplateError as error:
        findings.append(Finding("error", f"metadata: {error}"))
    findings += _field_warnings(docx, data, layout)
    findings += [Finding("warning", f"the layout {docx.name} {sentence}{_part(part.name)}",
                         paragraph.text)
                 for part in parts for paragraph in paragraphs(part.xml)
                 for sentence in mark_warnings(paragraph.text)]  # fmt: skip
    if not tags.problems:
        findings.extend(_trial_run(docx, data, layout))
    return sorted(findings, key=lambda f: f.severity != "error")


def _field_warnings(docx: Path, data: bytes, layout: Layout | None) -> list[Finding]:
    """The fields people complete: each tagged once, showing a placeholder, listed."""
    try:
        controls = read_controls(data)
    except NOT_A_DOCUMENT:
        return []
    listed = layout.fields if layout is not None else None
    sentences = field_warnings(controls, listed, docx.with_suffix(".toml").name)
    return [Finding("warning", f"the layout {docx.name} {sentence}") for sentence in sentences]


def _part(name: str) -> str:
    return "" if name in ("", "the main text") else f" (in {name})"


def _trial_run(docx: Path, data: bytes, layout: Layout | None) -> list[Finding]:
    """Fill the layout in once with sample values, within the same limits as `generate`.

    What only shows when it runs (a loop or a calculation too big, a division by zero) is
    found here.
    """
    layout = layout or Layout(docx.stem, docx.stem, "", docx, docx.with_suffix(".toml"), ())
    try:
        render_document(CompiledLayout(layout, data, frozenset()), sample_context())
    except TemplateError as error:
        return [Finding("error", str(error))]
    return []


# Braces typed once ({supervisee}) or with a space ({ { supervisee } }) are not tags: they
# print as typed, braces and all, in every agreement.
_LOOSE_BRACES = re.compile(r"\{\s*(\{\s*|%\s*)?[A-Za-z_][\w.]*(\s*[}%])?\s*\}")


def _paragraph_warnings(paragraph: Paragraph, part: str) -> list[Finding]:
    text = paragraph.text
    findings = []
    for pattern, message in OUTDATED_BODIES:
        if pattern.search(text):
            findings.append(Finding("warning", message + _part(part), text))
    tags, left_open = tags_in(paragraph)
    rest = text.removesuffix(left_open) if left_open else text  # reported as not closed
    for tag in tags:
        rest = rest.replace(tag.text, " ", 1)
    for loose in _LOOSE_BRACES.finditer(rest.translate(STRAIGHT)):
        name = re.sub(r"[{}%\s]", "", loose.group())
        findings.append(Finding(
            "warning", f"{loose.group()} is not a tag: it would be printed as typed, braces "
            f"and all, in every agreement. A tag has two braces each side with no space "
            f"between them: {{{{ {name} }}}}{_part(part)}", text,
        ))  # fmt: skip
    return findings


_PROPERTIES = ("title", "subject", "author", "comments", "keywords", "category", "identifier",
               "language", "last_modified_by", "content_status", "version")  # fmt: skip


def _property_warnings(data: bytes) -> list[Finding]:
    """Tags in the document's properties (File, Info), which docgen writes itself."""
    try:
        properties = Document(io.BytesIO(data)).core_properties
    except NOT_A_DOCUMENT:
        return []
    findings = []
    for name in _PROPERTIES:
        value = getattr(properties, name, "") or ""
        if re.search(r"\{[{%]", value):
            findings.append(Finding(
                "warning", f"the document property {name.replace('_', ' ').capitalize()} "
                f"holds a tag ({_shorten(value, 60)}); docgen writes each agreement's "
                "properties itself (title, subject, author...), so it is never filled in",
            ))  # fmt: skip
    return findings


def _shorten(text: str, limit: int = 110) -> str:
    return shorten(text, limit)
