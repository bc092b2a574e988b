"""Check a layout before anyone generates from it: broken tags, unknown variables, missing
metadata, and the names of regulators that councils' older documents still carry."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError, meta

from .context import VARIABLES, sample_context
from .errors import TemplateError
from .render import (
    NOT_A_DOCUMENT,
    CompiledLayout,
    layout_source,
    read_layout,
    render_document,
)
from .sandbox import layout_refusals, make_environment
from .templates import Layout, load_layout

_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


@dataclass(frozen=True)
class Finding:
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
    """Every problem found in the layout `docx` and its metadata, errors first."""
    docx = Path(docx)
    findings: list[Finding] = []
    try:
        data = read_layout(docx)
        document = Document(io.BytesIO(data))
    except TemplateError as error:
        return [Finding("error", str(error))]
    except NOT_A_DOCUMENT as error:
        return [Finding("error", f"{docx} cannot be opened as a Word document ({error})")]
    paragraphs = _all_paragraphs(document)
    for element, text in paragraphs:
        findings.extend(_split_tags(element, text))
        for pattern, message in OUTDATED_BODIES:
            if pattern.search(text):
                findings.append(Finding("warning", message, text))
    findings.extend(_jinja_problems(docx, data, [text for _, text in paragraphs]))
    tags_fit = not any(finding.severity == "error" for finding in findings)
    layout: Layout | None = None
    try:
        layout = load_layout(docx)
    except TemplateError as error:
        findings.append(Finding("error", f"metadata: {error}"))
    if tags_fit:
        findings.extend(_trial_run(docx, data, layout))
    return sorted(findings, key=lambda f: f.severity != "error")


def _trial_run(docx: Path, data: bytes, layout: Layout | None) -> list[Finding]:
    """Fill the layout in once with sample values: what only shows when it runs (a loop or
    a calculation too big, a division by zero) is found here, within the same limits."""
    layout = layout or Layout(docx.stem, docx.stem, "", docx, docx.with_suffix(".toml"), ())
    try:
        render_document(CompiledLayout(layout, data, frozenset()), sample_context())
    except TemplateError as error:
        return [Finding("error", str(error))]
    return []


def _all_paragraphs(document) -> list[tuple[object, str]]:  # type: ignore[no-untyped-def]
    parts = [document.element.body]
    for section in document.sections:
        parts += [section.header._element, section.footer._element]
    found = []
    for part in parts:
        for paragraph in part.iter(qn("w:p")):
            text = "".join(node.text or "" for node in paragraph.iter(qn("w:t")))
            found.append((paragraph, text))
    return found


def _split_tags(paragraph, text: str) -> list[Finding]:  # type: ignore[no-untyped-def]
    """Tags whose braces Word has split across differently formatted pieces of text.

    docxtpl can mend formatting inside a tag, but not between its two opening (or closing)
    braces; such a tag would be printed as it stands instead of being filled in.
    """
    runs = [node.text or "" for node in paragraph.iter(qn("w:t"))]
    findings = []
    for tag in _TAG.findall(text):
        opener, closer = tag[:2], tag[-2:]
        if not any(opener in run for run in runs) or not any(closer in run for run in runs):
            findings.append(Finding(
                "error", f"the tag {tag} is broken up by Word formatting: delete it and type "
                "it again in one go, without changing the formatting part way", text,
            ))  # fmt: skip
    return findings


def _jinja_problems(docx: Path, data: bytes, texts: list[str]) -> list[Finding]:
    environment = make_environment()
    template = DocxTemplate(io.BytesIO(data))
    template.init_docx()
    xml = template.patch_xml(template.get_xml())
    xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)  # one paragraph a line, as docxtpl renders
    try:
        environment.parse(xml)
    except TemplateSyntaxError as error:
        lines = xml.splitlines()
        line = lines[error.lineno - 1] if 0 < error.lineno <= len(lines) else ""
        paragraph = re.sub(r"<[^>]+>", "", line)
        return [Finding("error", f"the tags do not fit together: {error.message}", paragraph)]
    try:
        whole = environment.parse(layout_source(template))  # with its headers and footers
    except TemplateSyntaxError as error:
        return [Finding("error", f"the tags in a header or footer do not fit together: "
                                 f"{error.message}")]  # fmt: skip
    refused = [Finding("error", f"the layout {docx.name} {reason}")
               for reason in layout_refusals(whole)]  # fmt: skip
    if refused:  # and the variables cannot be listed: that compiles it, which they stop
        return refused
    known = set(VARIABLES)  # names a layout binds itself ({% for m in ... %}) are not listed
    findings = []
    for name in sorted(meta.find_undeclared_variables(whole) - known):
        where = next((t for t in texts if re.search(r"[{%].*\b" + re.escape(name) + r"\b", t)), "")
        findings.append(Finding(
            "error", f"{{{{ {name} }}}} is not a roster column or a value docgen works out; "
            "the README lists the variables", where,
        ))  # fmt: skip
    return findings


def _shorten(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
