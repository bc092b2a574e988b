"""What a layout's tags say, and what is wrong with them, in words a council officer follows.

docxtpl fills in a layout's main text, headers and footers, and its footnotes; docgen fills in
its endnotes the same way, and mends every part as docxtpl mends the main text (see render).
Each part is read here exactly as it will be filled in: docxtpl's own clean-up
(`DocxTemplate.patch_xml`, which joins a tag Word has split into differently formatted pieces)
and then docgen's Jinja environment. So `generate` and ``docgen check-template`` refuse the
same layouts, for the same reasons, and a tag is only called broken when filling it in would
really fail. (A tag in the document's properties is never filled in: docgen writes them.)

When Jinja cannot read a part, its message ("Unexpected end of template...") is never shown:
the part's paragraphs, as typed in Word, are read again to say which tag is wrong and how.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from docx.opc.part import Part, XmlPart
from docx.oxml import parse_xml
from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError, meta, nodes
from lxml import etree

from .sandbox import layout_refusals, make_environment

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NOTES_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml": "the footnotes",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml": "the endnotes",
}
# The Jinja tags a layout has a use for, named when someone types another.
LAYOUT_TAGS = "if, elif, else, endif, for, endfor and set"
UNITS = {"tr": "row", "tc": "cell", "p": "paragraph", "r": "run"}
_STRICT = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True)


@dataclass(frozen=True)
class LayoutPart:
    """One part of a layout that is filled in: its name, its XML, and docxtpl's Jinja of it.

    The Jinja source has one paragraph a line, as docxtpl renders it.
    """

    name: str
    xml: str
    source: str


@dataclass(frozen=True)
class TagProblem:
    """Why a layout cannot be used.

    `sentence` follows the layout's name ("uses ...", "has ..."); `where` is the paragraph or
    table row it is in, as typed in Word.
    """

    sentence: str
    where: str = ""
    part: str = ""  # "a header", "the footnotes"...; empty for the main text

    def located(self) -> str:
        """Where it is, for the end of a one-line message."""
        part = f"in {self.part}" if self.part else "in"
        if self.where:
            return f' ({part}{":" if self.part else ""} "{shorten(self.where)}")'
        return f" ({part})" if self.part else ""


@dataclass(frozen=True)
class LayoutTags:
    """What the check of a layout's tags found, and the variables the layout uses."""

    problems: tuple[TagProblem, ...]
    variables: frozenset[str]  # the variables the layout uses
    warnings: tuple[TagProblem, ...] = ()  # what works, but not as its author may expect


# -- the parts, as docxtpl fills them in --------------------------------------------------


def note_parts(template: DocxTemplate) -> Iterator[tuple[str, Part]]:
    """The footnotes and endnotes parts of the opened `template`, each once."""
    for part in template.docx.part.package.iter_parts():
        name = NOTES_TYPES.get(part.content_type)
        if name is not None:
            yield name, part


def part_text(part: Part) -> str:
    """A part's XML as text."""
    blob = part.blob
    return blob.decode("utf-8") if isinstance(blob, bytes) else str(blob)


def set_part_text(part: Part, xml: bytes) -> None:
    """Replace a part's XML with `xml`."""
    if isinstance(part, XmlPart):  # python-docx may one day load notes as XML
        part._element = parse_xml(xml)  # noqa: SLF001
    else:
        part._blob = xml  # noqa: SLF001


def one_paragraph_a_line(xml: str) -> str:
    """The source as docxtpl's `render_xml_part` hands it to Jinja."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)


def layout_parts(template: DocxTemplate) -> list[LayoutPart]:
    """Every part of `template` that is filled in, in the order docxtpl fills them in."""
    template.init_docx()
    raw = [("the main text", template.get_xml())]
    for uri, name in ((template.HEADER_URI, "a header"), (template.FOOTER_URI, "a footer")):
        raw += [(name, template.get_part_xml(part))
                for _, part in template.get_headers_footers(uri)]  # fmt: skip
    raw += [(name, part_text(part)) for name, part in note_parts(template)]
    return [LayoutPart(name, xml, one_paragraph_a_line(template.patch_xml(xml)))
            for name, xml in raw]  # fmt: skip


_MENDING = etree.XMLParser(recover=True, huge_tree=True, resolve_entities=False,
                           no_network=True)  # fmt: skip


def mended(xml: str) -> bytes | None:
    """A filled-in part's XML patched up as docxtpl patches up the main text's.

    A tag split across a tracked change or a link leaves half an element behind. None if
    nothing can be made of it.
    """
    root = etree.fromstring(xml.encode("utf-8"), _MENDING)
    if root is None:
        return None
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


# -- the paragraphs, as typed ---------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of a layout as typed in Word, and where it sits."""

    text: str
    row: str  # the text of the table row it is in, cells joined by " | ", or ""
    in_row: bool
    in_cell: bool
    number: int = 0  # which paragraph of its part it is, and which row it is in (0: none)
    row_number: int = 0

    @property
    def shown(self) -> str:
        """The paragraph as a message quotes it: its table row when it is in one."""
        return self.row or self.text


def paragraphs(xml: str) -> list[Paragraph]:
    """The paragraphs of a part's XML in document order, with the text typed in each."""
    try:
        root = etree.fromstring(xml.encode("utf-8"), _STRICT)
    except etree.XMLSyntaxError:
        return []
    found = []
    rows: dict[Any, int] = {}
    for number, paragraph in enumerate(root.iter(f"{W}p"), start=1):
        row = next(paragraph.iterancestors(f"{W}tr"), None)
        row_text = ""
        if row is not None:
            rows.setdefault(row, len(rows) + 1)
            row_text = " | ".join(" ".join(_text(p) for p in cell.iter(f"{W}p")).strip()
                                  for cell in row.iterchildren(f"{W}tc"))  # fmt: skip
        cell = next(paragraph.iterancestors(f"{W}tc"), None)
        found.append(Paragraph(_text(paragraph), row_text, row is not None, cell is not None,
                               number, rows.get(row, 0)))  # fmt: skip
    return found


def _text(paragraph: Any) -> str:
    # A text box's paragraphs sit inside another paragraph; each text counts once, in its own.
    return "".join(t.text or "" for t in paragraph.iter(f"{W}t")
                   if next(t.iterancestors(f"{W}p")) is paragraph)  # fmt: skip


@dataclass(frozen=True)
class Tag:
    """One Jinja tag as typed in a layout, with the paragraph it is in."""

    text: str  # as typed, with Word's curly quotes made straight as docxtpl does
    kind: str  # "{{", "{%" or "{#"
    prefix: str  # docxtpl's "tr", "tc", "p" or "r", or ""
    body: str  # what is inside, without the prefix
    paragraph: Paragraph

    @property
    def keyword(self) -> str:
        """The first word inside a `{% %}` tag ("for", "endif"), or ""."""
        return self.body.split()[0] if self.kind == "{%" and self.body.split() else ""


_OPENER = re.compile(r"\{[{%#]")
_CLOSER = {"{{": "}}", "{%": "%}", "{#": "#}"}
STRAIGHT = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})


def tags_in(paragraph: Paragraph) -> tuple[list[Tag], str]:
    """The tags typed in `paragraph`, and the start of one left open ("" if none)."""
    text, at = paragraph.text, 0
    found: list[Tag] = []
    while (opener := _OPENER.search(text, at)) is not None:
        kind = opener.group()
        end = text.find(_CLOSER[kind], opener.end())
        if end < 0:
            return found, text[opener.start() :]
        whole = text[opener.start() : end + 2].translate(STRAIGHT)
        inner = whole[2:-2]
        prefix = ""
        if (typed := re.match(r"(tr|tc|p|r) ", inner)) is not None and kind != "{#":
            prefix, inner = typed.group(1), inner[typed.end() :]
        body = inner.strip().removeprefix("-").removesuffix("-").strip()
        found.append(Tag(whole, kind, prefix, body, paragraph))
        at = end + 2
    return found, ""


# -- what is wrong --------------------------------------------------------------------------


def examine(parts: Sequence[LayoutPart], provided: Mapping[str, Any]) -> LayoutTags:
    """Everything in `parts` that stops the layout being filled in, and the variables it uses.

    The layout is filled in with values shaped like `provided`.
    """
    problems: list[TagProblem] = []
    warnings: list[TagProblem] = []
    parsed: list[tuple[nodes.Template, LayoutPart]] = []
    for part in parts:
        typed = paragraphs(part.xml)
        found = _placement_problems(typed)
        if not found:
            try:
                parsed.append((make_environment().parse(part.source), part))
            except TemplateSyntaxError as error:
                found = [_explain(error, part, typed)]
            else:
                pairing = _pairing_problems(typed)
                found = [problem for problem, damaging in pairing if damaging]
                warnings += [_in_part(problem, part) for problem, damaging in pairing
                             if not damaging]  # fmt: skip
        problems += [_in_part(problem, part) for problem in found]
    every_paragraph = [p for part in parts for p in paragraphs(part.xml)]
    variables: dict[str, str] = {}  # name -> the first part that uses it
    for template, part in parsed:
        refused = layout_refusals(template)
        problems += [_in_part(TagProblem(reason), part) for reason in refused]
        if refused:  # and the variables cannot be listed: that compiles it, which they stop
            continue
        found = _test_problems(template, part) + _shape_problems(
            template, provided, every_paragraph
        )
        problems += [_in_part(problem, part) for problem in found]
        if found:
            continue
        for name in meta.find_undeclared_variables(template):
            variables.setdefault(name, part.name)
    for name in sorted(set(variables) - set(provided)):
        problem = _unknown_variable(name, provided, paragraphs_of(parts, variables[name]))
        problems.append(
            TagProblem(
                problem.sentence,
                problem.where,
                "" if variables[name] == "the main text" else variables[name],
            )
        )
    return LayoutTags(tuple(dict.fromkeys(problems)), frozenset(variables), tuple(warnings))


def paragraphs_of(parts: Sequence[LayoutPart], name: str) -> list[Paragraph]:
    """The paragraphs of the parts named `name`, in document order."""
    return [p for part in parts if part.name == name for p in paragraphs(part.xml)]


def describe(layout_name: str, problems: Sequence[TagProblem]) -> str:
    """The problems as one message for an error: "the layout ours.docx uses ...; it also..."."""
    sentences = []
    for number, problem in enumerate(problems):
        start = f"the layout {layout_name}" if number == 0 else "it also"
        sentences.append(f"{start} {problem.sentence}{problem.located()}")
    return "; ".join(sentences)


def shorten(text: str, limit: int = 110) -> str:
    """`text` on one line, cut to `limit` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _in_part(problem: TagProblem, part: LayoutPart) -> TagProblem:
    if part.name == "the main text":
        return problem
    return TagProblem(problem.sentence, problem.where, part.name)


def _placement_problems(typed: Sequence[Paragraph]) -> list[TagProblem]:
    """Row, cell and paragraph tags where docxtpl cannot use them."""
    problems = []
    taken: dict[tuple[str, int], Tag] = {}  # (row or paragraph, which) -> the tag taking it
    for paragraph in typed:
        for tag in tags_in(paragraph)[0]:
            unit = (tag.prefix, paragraph.row_number if tag.prefix == "tr" else paragraph.number)
            owned = tag.kind == "{%" and (
                tag.prefix == "p" or tag.prefix == "tr" and paragraph.in_row
            )
            if owned and unit in taken:
                first, name = taken[unit], UNITS[tag.prefix]
                problems.append(TagProblem(
                    f"has {first.text} and {tag.text} in the same {name}: a {{%{tag.prefix} ... "
                    f"%}} tag takes its whole {name}, so put each in a {name} of its own",
                    paragraph.shown,
                ))  # fmt: skip
                continue
            if owned:
                taken[unit] = tag
            if tag.kind == "{{" and tag.prefix:
                problems.append(TagProblem(
                    f"has {tag.text}: docgen's values are plain text, so write "
                    f"{{{{ {tag.body.strip()} }}}} without the {tag.prefix}", paragraph.shown,
                ))  # fmt: skip
            elif tag.prefix == "tr" and not paragraph.in_row:
                problems.append(TagProblem(
                    f"has {tag.text} outside a table: {{%tr ... %}} repeats or hides a table "
                    "row, so it goes in a row of its own, in a table (for a paragraph, write "
                    f"{{%p {tag.body} %}})", paragraph.text,
                ))  # fmt: skip
            elif tag.prefix == "tc" and not paragraph.in_cell:
                problems.append(TagProblem(
                    f"has {tag.text} outside a table: {{%tc ... %}} repeats or hides a table "
                    "cell, so it goes in a cell of its own", paragraph.text,
                ))  # fmt: skip
    return problems


def _explain(
    error: TemplateSyntaxError, part: LayoutPart, typed: Sequence[Paragraph]
) -> TagProblem:
    """`error` in plain words, found again in the paragraphs as typed."""
    for paragraph in typed:
        tags, left_open = tags_in(paragraph)
        if left_open:
            closer = _CLOSER[left_open[:2]]
            return TagProblem(
                f'has "{shorten(left_open, 40)}", a tag that is not closed: it must end with '
                f"{closer}", paragraph.shown,
            )  # fmt: skip
        for tag in tags:
            problem = _tag_alone(tag)
            if problem is not None:
                return problem
    problem = _nesting_problem(typed)
    if problem is not None:
        return problem
    lines = part.source.splitlines()
    line = lines[error.lineno - 1] if 0 < error.lineno <= len(lines) else ""
    return TagProblem(
        "has a tag docgen cannot read: check that each {{ has its }} and each {% its %}, "
        "typed in one go",
        re.sub(r"<[^>]+>", "", line),
    )


# A tag tried on its own, with what Jinja needs around it to be whole.
_ALONE = {
    "if": "{}{{% endif %}}", "for": "{}{{% endfor %}}", "elif": "{{% if 1 %}}{}{{% endif %}}",
    "macro": "{}{{% endmacro %}}", "call": "{}{{% endcall %}}", "filter": "{}{{% endfilter %}}",
    "with": "{}{{% endwith %}}", "set": "{}",
}  # fmt: skip
_NOT_ALONE = {"else", "endif", "endfor", "endmacro", "endcall", "endfilter", "endwith",
              "endset", "raw", "endraw", "vm", "hm", "colspan", "cellbg"}  # fmt: skip


def _tag_alone(tag: Tag) -> TagProblem | None:
    """What is wrong with `tag` itself, whatever is around it."""
    if tag.kind == "{#":
        return None
    if tag.kind == "{{":
        source = "{{ " + tag.body + " }}"
    elif tag.keyword in _NOT_ALONE:
        return None
    elif tag.keyword in _ALONE:
        wrapper = _ALONE[tag.keyword]
        if tag.keyword == "set" and "=" not in tag.body:
            wrapper = "{}{{% endset %}}"
        source = wrapper.format("{% " + tag.body + " %}")
    elif tag.keyword in UNITS and not tag.prefix:
        return TagProblem(f"has {tag.text}: write {{%{tag.keyword} with no space between {{% "
                          f"and {tag.keyword}", tag.paragraph.shown)  # fmt: skip
    elif not tag.body:
        return TagProblem(f"has an empty tag {tag.text}; type what it should do between the "
                          "signs, or delete it", tag.paragraph.shown)  # fmt: skip
    else:
        return TagProblem(f"has {tag.text}, but {tag.keyword} is not a tag layouts can use: "
                          f"they use {LAYOUT_TAGS}", tag.paragraph.shown)  # fmt: skip
    try:
        make_environment().parse(source)
    except TemplateSyntaxError as error:
        return TagProblem(f"has {tag.text}, {_reason(error.message or '', tag)}",
                          tag.paragraph.shown)  # fmt: skip
    return None


def _reason(message: str, tag: Tag) -> str:
    """Why Jinja could not read `tag`, from its `message`, in words."""
    if "Expected an expression" in message and tag.kind == "{{" and not tag.body:
        return "which is empty: type a variable's name between the braces, or delete it"
    if "end of print statement" in message:
        return (
            "which holds more than one name: a tag holds one variable, such as "
            "{{ supervisee_job_title }} (names join their words with _)"
        )
    if char := re.search(r"unexpected char '(.+?)'", message):
        if char.group(1) in ("'", '"'):
            return "which opens a quotation mark it does not close"
        return f"which holds {char.group(1)}, a character a tag cannot hold"
    if "unexpected '}'" in message or "unexpected '%'" in message:
        return "which has a stray } or %: a tag starts {{ and ends }}, or starts {% and ends %}"
    if tag.keyword == "for" and "expected token 'in'" in message:
        return "which needs the form {% for m in meetings %}"
    return "which docgen cannot read: check its spelling against the README's examples"


_OPENS = {"if", "for", "macro", "call", "filter", "with", "block", "autoescape", "set"}
_MIDDLE = {"elif": {"if"}, "else": {"if", "for"}}
_WHAT = {"for": "repeats rows", "if": "shows rows only if a condition holds"}


def _block_tags(typed: Sequence[Paragraph]) -> Iterator[Tag]:
    raw = False
    for paragraph in typed:
        for tag in tags_in(paragraph)[0]:
            if tag.kind != "{%" or tag.keyword in ("vm", "hm", "colspan", "cellbg"):
                continue
            if tag.keyword in ("raw", "endraw"):
                raw = tag.keyword == "raw"
            elif not raw and not (tag.keyword == "set" and "=" in tag.body):
                yield tag


def _nesting_problem(typed: Sequence[Paragraph]) -> TagProblem | None:
    """The first {% if %}, {% for %}... without its end, or end without its start."""
    stack: list[Tag] = []
    for tag in _block_tags(typed):
        keyword = tag.keyword
        if keyword in _OPENS:
            stack.append(tag)
        elif keyword in _MIDDLE:
            if not stack or stack[-1].keyword not in _MIDDLE[keyword]:
                return TagProblem(f"has {tag.text} with no {{% if %}} before it",
                                  tag.paragraph.shown)  # fmt: skip
        elif keyword.startswith("end"):
            if not stack:
                return TagProblem(
                    f"has {tag.text} with no {{%{_spaced(tag.prefix)}{keyword[3:]} ... %}} "
                    "before it", tag.paragraph.shown,
                )  # fmt: skip
            opener = stack.pop()
            if keyword[3:] != opener.keyword:
                return _unclosed(opener, before=tag)
    return _unclosed(stack[-1]) if stack else None


def _spaced(prefix: str) -> str:
    return prefix + " " if prefix else " "


def _end_tag(opener: Tag) -> str:
    return f"{{%{_spaced(opener.prefix)}end{opener.keyword} %}}"


def _unclosed(opener: Tag, before: Tag | None = None) -> TagProblem:
    end = _end_tag(opener)
    unit = UNITS.get(opener.prefix, "")
    if before is not None:
        return TagProblem(
            f"has {opener.text} with no {end} after it before {before.text} (in "
            f'"{shorten(before.paragraph.shown, 60)}"); add {end} where the '
            f"{'repeated' if opener.keyword == 'for' else 'optional'} part ends",
            opener.paragraph.shown,
        )  # fmt: skip
    if opener.prefix == "tr" and opener.keyword in _WHAT:
        return TagProblem(
            f"has a table row that {_WHAT[opener.keyword]}, starting with {opener.text}, but "
            f"no row after it holds {end}: add a row below the rows it "
            f"{'repeats' if opener.keyword == 'for' else 'covers'}, with {end} in its "
            "first cell", opener.paragraph.shown,
        )  # fmt: skip
    if unit in ("paragraph", "cell"):
        return TagProblem(
            f"has {opener.text} in a {unit} of its own, but no {unit} after it holds {end}: "
            f"add one where the {'repeated' if opener.keyword == 'for' else 'optional'} "
            "part ends", opener.paragraph.shown,
        )  # fmt: skip
    return TagProblem(
        f"has {opener.text} with no {end} after it: type {end} where the "
        f"{'repeated' if opener.keyword == 'for' else 'optional'} text ends",
        opener.paragraph.shown,
    )  # fmt: skip


def _pairing_problems(typed: Sequence[Paragraph]) -> list[tuple[TagProblem, bool]]:
    """Row, cell and paragraph tags closed by a tag of another kind.

    Each comes with whether the agreement made would lose text. Jinja reads them; docxtpl
    then cuts a table row or a paragraph in two, and the pieces are patched up: a row's
    loses repeated rows, a paragraph's only the text after the closing tag.
    """
    stack: list[Tag] = []
    found = []
    for tag in _block_tags(typed):
        if tag.keyword in _OPENS:
            stack.append(tag)
        elif tag.keyword.startswith("end") and stack:
            opener = stack.pop()
            if opener.keyword != tag.keyword[3:]:
                return []  # not as Jinja reads it (a raw block, say): leave it to Jinja
            if opener.prefix != tag.prefix and {opener.prefix, tag.prefix} & {"tr", "tc", "p"}:
                found.append((_mismatched(opener, tag), _cuts_a_table(opener, tag)))
        elif tag.keyword in _MIDDLE and stack and stack[-1].prefix != tag.prefix:
            if {stack[-1].prefix, tag.prefix} & {"tr", "tc", "p"}:
                found.append((_mismatched(stack[-1], tag), _cuts_a_table(stack[-1], tag)))
    return found


def _cuts_a_table(opener: Tag, closer: Tag) -> bool:
    return bool({opener.prefix, closer.prefix} & {"tr", "tc"})


def _mismatched(opener: Tag, closer: Tag) -> TagProblem:
    unit = UNITS.get(opener.prefix, "")
    wanted = f"{{%{_spaced(opener.prefix)}{closer.keyword} %}}"
    where = f"in a {unit} of its own" if unit else "in the same paragraph"
    harm = ("rows would be lost from the agreement" if _cuts_a_table(opener, closer)
            else "text after it in that paragraph would be lost")  # fmt: skip
    return TagProblem(
        f"has {opener.text}, but {closer.text} (in "
        f'"{shorten(closer.paragraph.shown, 60)}") is not the same kind of tag: write '
        f"{wanted} {where}, or {harm}",
        opener.paragraph.shown,
    )  # fmt: skip


def _test_problems(template: nodes.Template, part: LayoutPart) -> list[TagProblem]:
    """``{% if x is frob %}``: Jinja would only find out while filling it in."""
    known = make_environment().tests
    problems = []
    for test in template.find_all(nodes.Test):
        if test.name not in known:
            lines = part.source.splitlines()
            line = lines[test.lineno - 1] if 0 < test.lineno <= len(lines) else ""
            close = difflib.get_close_matches(test.name, list(known), n=1, cutoff=0.6)
            hint = f"did you mean is {close[0]}? " if close else ""
            problems.append(TagProblem(
                f'uses "is {test.name}", which is not a test layouts can use; {hint}they can '
                "use is defined, is none, is number, is string, is even, is odd...",
                re.sub(r"<[^>]+>", "", line),
            ))  # fmt: skip
    return problems


def _unknown_variable(
    name: str, provided: Mapping[str, Any], typed: Sequence[Paragraph]
) -> TagProblem:
    where = next((p.shown for p in typed for tag in tags_in(p)[0]
                  if re.search(rf"\b{re.escape(name)}\b", tag.body)), "")  # fmt: skip
    close = difflib.get_close_matches(name, list(provided), n=1, cutoff=0.6)
    hint = f": did you mean {{{{ {close[0]} }}}}? The" if close else "; the"
    return TagProblem(
        f"uses {{{{ {name} }}}}, which is not a roster column or a value docgen works out"
        f"{hint} README lists the variables a layout can use",
        where,
    )


# -- attributes: {{ meetings[0].whenn }} -------------------------------------------------------


@dataclass(frozen=True)
class _Shape:
    """What a value is like: a mapping with keys, a list of items, or a plain value."""

    kind: str  # "mapping", "list" or "value"
    keys: Mapping[str, _Shape] | None = None
    item: _Shape | None = None
    example: Any = None


def _shape(value: Any) -> _Shape:
    if isinstance(value, Mapping):
        return _Shape("mapping", keys={str(k): _shape(v) for k, v in value.items()},
                      example=value)  # fmt: skip
    if isinstance(value, list | tuple):
        return _Shape("list", item=_shape(value[0]) if value else None, example=value)
    return _Shape("value", example=value)


def _shape_problems(
    template: nodes.Template, provided: Mapping[str, Any], typed: Sequence[Paragraph]
) -> list[TagProblem]:
    """Parts of a value the layout asks for that values of that shape never have.

    So ``{{ m.whenn }}`` is found even where the sample values would not reach it.
    """
    problems = []
    bound = _loop_names(template, provided)
    for node in template.find_all((nodes.Getattr, nodes.Getitem)):
        if isinstance(node, nodes.Getitem):
            if not isinstance(node.arg, nodes.Const) or not isinstance(node.arg.value, str):
                continue
            attribute = node.arg.value
        elif isinstance(node, nodes.Getattr):
            attribute = node.attr
        else:
            continue
        if attribute.startswith("_"):
            problems.append(TagProblem(
                f"uses {{{{ {_expression(node.node)}.{attribute} }}}}, which a layout cannot "
                "access: names starting with _ belong to the program, not to the agreement",
                _where_part(attribute, typed),
            ))  # fmt: skip
            continue
        shape = _resolve(node.node, bound, provided)
        if shape is None or _has(shape, attribute):
            continue
        problems.append(_no_such_part(node, attribute, shape, typed))
    return problems


def _loop_names(template: nodes.Template, provided: Mapping[str, Any]) -> dict[str, _Shape | None]:
    """The shape of each name a loop binds (None where it cannot be known)."""
    bound: dict[str, _Shape | None] = {}
    for loop in template.find_all(nodes.For):
        target = loop.target
        if isinstance(target, nodes.Name):
            source = _resolve(loop.iter, {}, provided)
            item = source.item if source is not None and source.kind == "list" else None
            known = target.name not in bound or bound[target.name] == item
            bound[target.name] = item if known else None
    for node in template.find_all((nodes.Assign, nodes.AssignBlock, nodes.Macro,
                                   nodes.CallBlock, nodes.With)):  # fmt: skip
        for name in node.find_all(nodes.Name):
            if name.ctx in ("store", "param"):
                bound[name.name] = None
    for loop in template.find_all(nodes.For):  # a, b in ...: unknown
        if not isinstance(loop.target, nodes.Name):
            for name in loop.target.find_all(nodes.Name):
                bound[name.name] = None
    return bound


def _resolve(
    node: nodes.Node, bound: Mapping[str, _Shape | None], provided: Mapping[str, Any]
) -> _Shape | None:
    if isinstance(node, nodes.Name):
        if node.name in bound:
            return bound[node.name]
        return _shape(provided[node.name]) if node.name in provided else None
    if isinstance(node, nodes.Getattr | nodes.Getitem):
        base = _resolve(node.node, bound, provided)
        if base is None:
            return None
        key = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
        if base.kind == "list" and isinstance(key, int) and not isinstance(key, bool):
            return base.item
        if base.kind == "mapping" and isinstance(key, str) and base.keys is not None:
            return base.keys.get(key)
        return None
    if isinstance(node, nodes.Filter) and node.name in ("first", "last") and node.node:
        base = _resolve(node.node, bound, provided)
        return base.item if base is not None and base.kind == "list" else None
    return None


def _has(shape: _Shape, attribute: str) -> bool:
    if shape.kind == "mapping" and shape.keys is not None and attribute in shape.keys:
        return True
    return hasattr(shape.example, attribute)


def _where_part(attribute: str, typed: Sequence[Paragraph]) -> str:
    """The first paragraph with a tag asking for `attribute` (.when or ['when'])."""
    pattern = re.compile(rf"\.\s*{re.escape(attribute)}\b|\[\s*['\"]{re.escape(attribute)}['\"]")
    return next((p.shown for p in typed for tag in tags_in(p)[0] if pattern.search(tag.body)), "")


def _no_such_part(
    node: nodes.Getattr | nodes.Getitem, attribute: str, shape: _Shape, typed: Sequence[Paragraph]
) -> TagProblem:
    base = _expression(node.node)
    whole = f"{base}.{attribute}"
    where = _where_part(attribute, typed)
    if shape.kind == "mapping" and shape.keys:
        names = list(shape.keys)
        close = difflib.get_close_matches(attribute, names, n=1, cutoff=0.6)
        hint = f"did you mean {base}.{close[0]}? " if close else ""  # then "It has ..."
        listed = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
        return TagProblem(
            f'uses {{{{ {whole} }}}}, but {base} has no "{attribute}"; {hint}It has '
            f"{listed}", where,
        )  # fmt: skip
    if shape.kind == "list":
        return TagProblem(
            f'uses {{{{ {whole} }}}}, but {base} is a list, which has no "{attribute}": take '
            f"its items one by one, as in {{%tr for m in {base} %}} ... {{{{ m.{attribute} }}}}",
            where,
        )  # fmt: skip
    return TagProblem(f'uses {{{{ {whole} }}}}, but {base} is a single value, which has no '
                      f'"{attribute}"', where)  # fmt: skip


def _expression(node: nodes.Node) -> str:
    """How `node` was written, near enough to recognise (meetings[0], m, meetings|first)."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_expression(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return f"{_expression(node.node)}[{node.arg.value!r}]"
    if isinstance(node, nodes.Filter) and node.node is not None:
        return f"{_expression(node.node)}|{node.name}"
    return "the value"
