"""Hostile and awkward input: formula-looking text, very long names, layouts that try to
exhaust the machine or escape their folder, and rosters that are not what they seem."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import threading
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import Workbook, load_workbook

from docgen.cli import main

from .conftest import BASE_ROW, row, write_roster

FORMULA_LOOKING = ['=HYPERLINK("http://evil","x")', "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1"]


def _roster_with_text(path: Path, column: str, texts: list[str]) -> Path:
    """A roster whose `column` holds each of `texts` as text (as Excel stores a value typed
    with a leading apostrophe), one row each."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Roster"
    headers = list(BASE_ROW)
    sheet.append(headers)
    for number, text in enumerate(texts):
        sheet.append([row(supervisee=f"Person {number}")[h] for h in headers])
        cell = sheet.cell(sheet.max_row, headers.index(column) + 1)
        cell.value = text
        cell.data_type = "s"  # text, not a formula, as a user typing '=... in Excel gets
    workbook.save(path)
    return path


def _assert_all_text(sheet, expected: list[str]) -> None:  # type: ignore[no-untyped-def]
    shown = []
    for cells in sheet.iter_rows():
        for cell in cells:
            assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
            if isinstance(cell.value, str) and cell.value in expected:
                shown.append(cell.value)
    assert sorted(set(shown)) == sorted(set(expected))


def test_formula_looking_roster_text_stays_text_in_the_problems_report(tmp_path: Path) -> None:
    roster = _roster_with_text(tmp_path / "r.xlsx", "Nation", FORMULA_LOOKING)
    report = tmp_path / "problems.xlsx"
    result = CliRunner().invoke(main, ["validate", str(roster), "--report", str(report)])
    assert result.exit_code == 3, result.output
    workbook = load_workbook(report)
    problems = workbook["Problems"]
    # The roster's own text is kept as typed; the report lists it with outer spaces trimmed.
    listed = [r[2] for r in problems.iter_rows(min_row=2, values_only=True)]
    assert listed == ['=HYPERLINK("http://evil","x")', "+1", "-1+2", "@SUM(A1)", "=1", "=1"]
    _assert_all_text(problems, ['=HYPERLINK("http://evil","x")', "+1", "-1+2", "@SUM(A1)", "=1"])
    for cell in problems["C"][1:]:
        assert cell.quotePrefix, f"{cell.coordinate} can become a formula when edited in Excel"
    _assert_all_text(workbook["Roster"], FORMULA_LOOKING)


def test_formula_looking_csv_text_stays_text_in_the_report_copy(tmp_path: Path) -> None:
    roster = tmp_path / "r.csv"
    with roster.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream, quoting=csv.QUOTE_ALL)
        writer.writerow(["Supervisee", "Supervisor", "Start date", "Nation", "Location"])
        for number, text in enumerate(FORMULA_LOOKING):
            writer.writerow([f"Person {number}", "Joe Bloggs", "02/03/2026", text, text])
    report = tmp_path / "problems.xlsx"
    result = CliRunner().invoke(main, ["validate", str(roster), "--report", str(report),
                                       "--template", "safeguarding"])  # fmt: skip
    assert result.exit_code == 3, result.output
    workbook = load_workbook(report)
    _assert_all_text(workbook["r"], FORMULA_LOOKING)
    _assert_all_text(workbook["Problems"], ['=HYPERLINK("http://evil","x")', "+1", "-1+2",
                                            "@SUM(A1)", "=1"])  # fmt: skip


def test_the_starter_roster_keeps_a_formula_looking_layout_name_as_text(tmp_path: Path) -> None:
    from docx import Document

    from docgen.templates import shipped_templates_dir

    layouts = tmp_path / "layouts"
    layouts.mkdir()
    Document(str(shipped_templates_dir() / "sefton.docx")).save(str(layouts / "=1+2.docx"))
    (layouts / "=1+2.toml").write_text('name = "Ours"\norganisation = "Our Council"\n',
                                       encoding="utf-8")  # fmt: skip
    path = tmp_path / "start.xlsx"
    result = CliRunner().invoke(main, ["new-roster", str(path), "--templates", str(layouts)])
    assert result.exit_code == 0, result.output
    lists = load_workbook(path)["Lists"]
    _assert_all_text(lists, ["=1+2"])


# --- Document properties -------------------------------------------------------------------

LONG_NAME = "Khan-" * 48  # 240 characters


def _render(
    supervisee: str,
    supervisor: str = "Joe Bloggs",
    organisation: str = "Sefton Council",
    layout_dir: Path | None = None,
    layout: str = "sefton",
):  # type: ignore[no-untyped-def]
    from docx import Document

    from docgen.context import sample_context
    from docgen.render import compile_layout, render_document
    from docgen.templates import load_catalogue

    compiled = compile_layout(load_catalogue(layout_dir).get(layout), sample_context())
    context = {**sample_context(), "supervisee": supervisee, "supervisor": supervisor,
               "organisation": organisation, "start_date": "2 March 2026"}  # fmt: skip
    return Document(io.BytesIO(render_document(compiled, context)))


def test_a_240_character_name_is_cut_in_the_properties_and_whole_in_the_text() -> None:
    document = _render(LONG_NAME, organisation="Council " * 40)
    properties = document.core_properties
    assert properties.title == "Supervision agreement: " + "Khan-" * 46 + "K\u2026"
    assert len(properties.title) == 255
    assert properties.subject.startswith("Supervision agreement between Khan-Khan-")
    assert properties.subject.endswith("\u2026") and len(properties.subject) == 255
    assert properties.author == ("Council " * 40)[:254].rstrip() + "\u2026"
    assert properties.last_modified_by == properties.author
    assert any(LONG_NAME in paragraph.text for paragraph in document.paragraphs)


def test_cjk_and_emoji_names_render_and_emoji_count_twice_in_properties() -> None:
    document = _render("王小明" * 15, "李华" * 22 + "李", organisation="\U0001f3db" * 200)
    properties = document.core_properties
    assert properties.title == "Supervision agreement: " + "王小明" * 15
    assert "李华" * 22 + "李 (supervisor)" in properties.subject
    assert properties.author == "\U0001f3db" * 127 + "\u2026"  # 254 UTF-16 units + the ellipsis
    document = _render("\U0001f600" * 60)
    assert document.core_properties.title == "Supervision agreement: " + "\U0001f600" * 60


def test_a_layout_whose_own_title_uses_a_long_name_still_renders(tmp_path: Path) -> None:
    from docx import Document

    from docgen.templates import shipped_templates_dir

    layouts = tmp_path / "layouts"
    layouts.mkdir()
    template = Document(str(shipped_templates_dir() / "sefton.docx"))
    template.core_properties.title = "{{ supervisee }} and {{ supervisee }}"
    template.save(str(layouts / "ours.docx"))
    (layouts / "ours.toml").write_text('name = "Ours"\norganisation = "Our Council"\n',
                                       encoding="utf-8")  # fmt: skip
    document = _render(LONG_NAME, layout_dir=layouts, layout="ours")
    assert document.core_properties.title.startswith("Supervision agreement: Khan-")


def test_generate_makes_the_agreement_of_a_240_character_name(tmp_path: Path) -> None:
    from docx import Document

    roster = write_roster(tmp_path / "r.xlsx", [row(supervisee=LONG_NAME)])
    result = CliRunner().invoke(main, ["generate", str(roster), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    [made] = (tmp_path / "out").glob("*.docx")
    assert Document(str(made)).core_properties.title.endswith("Khan-K\u2026")


# --- A layout's policy stays where it belongs, and is a small ordinary file ----------------

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="pipes and /dev/zero are POSIX")


def _own_layout(folder: Path, policy: str) -> Path:
    from docx import Document

    from docgen.templates import shipped_templates_dir

    folder.mkdir(exist_ok=True)
    Document(str(shipped_templates_dir() / "sefton.docx")).save(str(folder / "ours.docx"))
    (folder / "ours.toml").write_text(
        f'name = "Ours"\norganisation = "Our Council"\npolicy = \'{policy}\'\n', encoding="utf-8"
    )
    return folder


def _validate(tmp_path: Path, *options: str):  # type: ignore[no-untyped-def]
    roster = write_roster(tmp_path / "r.xlsx", [row(Layout="ours")])
    return CliRunner().invoke(main, ["validate", str(roster), *options])


@contextlib.contextmanager
def _never_hangs_on(fifo: Path):  # type: ignore[no-untyped-def]
    """Fail, rather than hang the suite, if anything opens `fifo` and waits for a writer."""
    released = []

    def release() -> None:
        with contextlib.suppress(OSError):
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))  # EOF for a blocked reader
            released.append(True)

    timer = threading.Timer(10, release)
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
    assert not released, f"{fifo} was opened and waited on"


def test_a_policy_outside_the_layout_folder_is_refused(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.toml"
    elsewhere.write_text('name = "Elsewhere"\n[[role]]\nname = "Social worker"\n'
                         'frequency = "monthly"\n', encoding="utf-8")  # fmt: skip
    for policy in ("../elsewhere.toml", str(elsewhere), "sub/../../elsewhere.toml"):
        layouts = _own_layout(tmp_path / "layouts", policy)
        result = _validate(tmp_path, "--templates", str(layouts))
        assert result.exit_code == 4, (policy, result.output)
        assert f'ours.toml: its policy "{policy}" is outside the layout\'s folder' in result.stderr
    linked = tmp_path / "layouts" / "linked.toml"
    linked.symlink_to(elsewhere)
    layouts = _own_layout(tmp_path / "layouts", "linked.toml")
    result = _validate(tmp_path, "--templates", str(layouts))
    assert result.exit_code == 4 and "is outside the layout's folder" in result.stderr


def test_a_policy_beside_the_layout_or_one_of_docgens_is_accepted(tmp_path: Path) -> None:
    layouts = _own_layout(tmp_path / "layouts", "employer-standards")
    assert _validate(tmp_path, "--templates", str(layouts)).exit_code == 0
    (layouts / "policies").mkdir()
    (layouts / "policies" / "ours.toml").write_text(
        'name = "Ours"\n[[role]]\nname = "Social worker"\nfrequency = "monthly"\n',
        encoding="utf-8")  # fmt: skip
    layouts = _own_layout(tmp_path / "layouts", "policies/ours.toml")
    assert _validate(tmp_path, "--templates", str(layouts)).exit_code == 0


@needs_fifo
def test_a_folder_pipe_or_huge_file_named_as_a_layouts_policy_is_refused(tmp_path: Path) -> None:
    layouts = tmp_path / "layouts"
    layouts.mkdir()
    (layouts / "folder.toml").mkdir()
    os.mkfifo(layouts / "pipe.toml")
    (layouts / "huge.toml").write_bytes(b"# " + b"x" * 2_000_000 + b"\n")
    expected = {"folder.toml": "is a folder, not a file",
                "pipe.toml": "is not an ordinary file (it is a device, a pipe or a socket)",
                "huge.toml": "is too big (2 MB; docgen reads at most 1 MB)"}  # fmt: skip
    for name, reason in expected.items():
        _own_layout(layouts, name)
        with _never_hangs_on(layouts / "pipe.toml"):
            result = _validate(tmp_path, "--templates", str(layouts))
        assert result.exit_code == 4, result.output
        assert f"ours.toml: its policy file {layouts / name} {reason}" in result.stderr


@needs_fifo
def test_a_device_pipe_or_huge_file_given_as_policy_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.toml")
    (tmp_path / "huge.toml").write_bytes(b"# " + b"x" * 2_000_000 + b"\n")
    expected = {"/dev/zero": "is not an ordinary file (it is a device, a pipe or a socket)",
                str(tmp_path / "pipe.toml"): "is not an ordinary file (it is a device, a pipe "
                                             "or a socket)",
                str(tmp_path / "huge.toml"): "is too big (2 MB; docgen reads at most 1 "
                                             "MB)"}  # fmt: skip
    roster = write_roster(tmp_path / "r.xlsx", [row()])
    for policy, reason in expected.items():
        with _never_hangs_on(tmp_path / "pipe.toml"):
            result = CliRunner().invoke(main, ["validate", str(roster), "--policy", policy])
        assert result.exit_code == 1, result.output
        assert f"Error: the supervision policy file {policy} {reason}" in result.stderr


# --- A layout cannot exhaust the machine, or write raw XML ---------------------------------

HOSTILE_LAYOUTS = [
    ("{{ 'x' * 10**9 }}", "makes a text of 1,000,000,000 characters"),
    ("{{ 9 ** (9 ** 9) }}", "works out a number too big to print"),
    ("{% for i in range(10**9) %}x{% endfor %}", "counts range(1,000,000,000), more than the "
                                                 "100,000 numbers a layout may count"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
     "repeats its loops more than 1,000,000 times for one agreement"),
    ("{% for i in range(100000) %}{{ 'x' * 100000 }}{% endfor %}",
     "makes more than 20,000,000 characters of Word XML for one agreement"),
    ("{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}"
     "{% endfor %}", "makes a text of 2,097,152 characters"),
    ("{{ supervisee.center(10**9) }}", "gives .center() the number 1,000,000,000"),
    ("{{ '{:>999999999}'.format(supervisee) }}",
     "uses .format() on text, which layouts cannot use"),
    ("{{ supervisee|safe }}", "uses the |safe filter, which would let text from the roster write "
                              "raw Word XML into the agreement"),
    ("{% autoescape false %}{{ supervisee }}{% endautoescape %}",
     "uses {% autoescape %}, which would let text from the roster write raw Word XML"),
    ("{% include 'sefton.docx' %}", "uses {% include %}, which a layout cannot: a layout is one "
                                    "Word document"),
    ("{% extends 'sefton.docx' %}", "uses {% extends %}, which a layout cannot"),
    ("{% import 'sefton.docx' as other %}", "uses {% import %}, which a layout cannot"),
    ("{{ meeting_count / 0 }}", "cannot be filled in: a calculation in it failed "
                                "(it divides by zero)"),
    ("{% macro again() %}{{ again() }}{% endmacro %}{{ again() }}",
     "cannot be filled in: a calculation in it failed (a macro in it calls itself"),
]  # fmt: skip


def _layout_with(folder: Path, paragraph: str) -> Path:
    from docx import Document

    from docgen.templates import shipped_templates_dir

    folder.mkdir(exist_ok=True)
    document = Document(str(shipped_templates_dir() / "sefton.docx"))
    document.add_paragraph(paragraph)
    document.save(str(folder / "ours.docx"))
    (folder / "ours.toml").write_text('name = "Ours"\norganisation = "Our Council"\n',
                                      encoding="utf-8")  # fmt: skip
    return folder / "ours.docx"


@pytest.mark.parametrize(("paragraph", "expected"), HOSTILE_LAYOUTS,
                         ids=[p for p, _ in HOSTILE_LAYOUTS])  # fmt: skip
def test_a_hostile_layout_stops_with_a_sentence(
    tmp_path: Path, paragraph: str, expected: str
) -> None:
    layout = _layout_with(tmp_path / "layouts", paragraph)
    roster = write_roster(tmp_path / "r.xlsx", [row(Layout="ours")])
    made = CliRunner().invoke(main, ["generate", str(roster), "--out", str(tmp_path / "out"),
                                     "--templates", str(layout.parent)])  # fmt: skip
    assert made.exit_code == 4, made.output
    assert f"Error: the layout ours.docx {expected}" in made.stderr
    assert "fault in docgen" not in made.stderr
    assert not list((tmp_path / "out").glob("*.docx")) if (tmp_path / "out").exists() else True
    checked = CliRunner().invoke(main, ["check-template", str(layout)])
    assert checked.exit_code == 4, checked.output
    assert f"error: the layout ours.docx {expected}" in checked.stderr


def test_a_layout_that_takes_too_long_is_stopped(tmp_path: Path, monkeypatch) -> None:
    import docgen.sandbox

    monkeypatch.setattr(docgen.sandbox, "TIME_LIMIT", 0.5)  # the real limit is a few seconds
    # Each call makes two more: 2^40 calls, without a loop, a big number or a long text.
    layout = _layout_with(tmp_path / "layouts", "{% macro grow(n) %}{% if n %}{{ grow(n - 1) }}"
                                                "{{ grow(n - 1) }}{% endif %}{% endmacro %}"
                                                "{{ grow(40) }}")  # fmt: skip
    roster = write_roster(tmp_path / "r.xlsx", [row(Layout="ours")])
    made = CliRunner().invoke(main, ["generate", str(roster), "--out", str(tmp_path / "out"),
                                     "--templates", str(layout.parent)])  # fmt: skip
    assert made.exit_code == 4
    assert (
        "the layout ours.docx takes more than 0.5 seconds to fill in for one agreement"
        in made.stderr
    )
    checked = CliRunner().invoke(main, ["check-template", str(layout)])
    assert checked.exit_code == 4 and "takes more than 0.5 seconds" in checked.stderr


def test_ordinary_tags_loops_and_filters_still_work(tmp_path: Path) -> None:
    from docgen.context import sample_context
    from docgen.render import compile_layout, render_document
    from docgen.templates import load_layout

    layout = _layout_with(tmp_path / "layouts",
                          "{% for m in meetings %}{{ loop.index }}. {{ m.when|upper }}"
                          "{% if not loop.last %}; {% endif %}{% endfor %} | "
                          "{{ (supervisee ~ ' and ' ~ supervisor)|title }} | "
                          "{{ schedule_notes|join(', ') }} | "
                          "{{ range(3)|list|length * 2 }}")  # fmt: skip
    compiled = compile_layout(load_layout(layout), sample_context())
    context = {**sample_context(), "supervisee": "amira <khan>", "supervisor": "joe"}
    text = [p.text for p in Document(io.BytesIO(render_document(compiled, context))).paragraphs]
    assert "1. TUESDAY 3 MARCH 2026, 10:00 | Amira <Khan> And Joe | A note. | 6" in text


# --- Rosters that are not what they seem ---------------------------------------------------


def _rebuild(
    path: Path,
    change,
    extra: dict[str, bytes] | None = None,  # type: ignore[no-untyped-def]
    level: int = 6,
) -> Path:
    """Rewrite the workbook at `path`, passing each part's bytes through `change(name, data)`
    and adding `extra` parts."""
    parts = {}
    with zipfile.ZipFile(path) as source:
        for item in source.infolist():
            parts[item.filename] = change(item.filename, source.read(item.filename))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as target:
        for name, data in {**parts, **(extra or {})}.items():
            target.writestr(name, data)
    return path


def _validate_roster(path: Path):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["validate", str(path)])


def test_a_roster_that_unpacks_to_gigabytes_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = write_roster(tmp_path / "r.xlsx", [row()])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("xl/padding.xml", "w", force_zip64=True) as stream:
            for _ in range(36):  # 576 MB of spaces, which pack into about 2.5 MB
                stream.write(b" " * 2**24)
    assert path.stat().st_size < 4 * 2**20
    result = _validate_roster(path)
    assert result.exit_code == 1, result.output
    assert (
        f"Error: {path}: unpacks to 576 MB, more than the 512 MB docgen accepts." in result.stderr
    )


def test_a_roster_part_packed_a_thousand_times_is_refused(tmp_path: Path) -> None:
    path = _rebuild(write_roster(tmp_path / "r.xlsx", [row()]), lambda _name, data: data,
                    extra={"xl/padding.xml": b" " * 20 * 2**20}, level=9)  # fmt: skip
    result = _validate_roster(path)
    assert result.exit_code == 1, result.output
    assert "has a part (xl/padding.xml) that unpacks to 20 MB from" in result.stderr
    assert "more than 100 times its size" in result.stderr


def test_a_roster_formatted_to_the_last_row_is_still_read(tmp_path: Path) -> None:
    # 1,048,573 styled rows: about 70 MB unpacked, packed about 9 times: under both limits.
    path = write_roster(tmp_path / "r.xlsx", [row()])
    styled = "".join(f'<row r="{n}"><c r="A{n}" s="1"/><c r="C{n}" s="1"/></row>'
                     for n in range(4, 1_048_577)).encode()  # fmt: skip
    _rebuild(path, lambda name, data: data.replace(b"</sheetData>", styled + b"</sheetData>")
             if name == "xl/worksheets/sheet1.xml" else data)  # fmt: skip
    assert _validate_roster(path).exit_code == 0


LAUGHS = (b'<!DOCTYPE worksheet [<!ENTITY lol0 "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (n, b"&lol%d;" % (n - 1) * 10) for n in range(1, 10))
          + b"]>")  # fmt: skip


@pytest.mark.parametrize(("declaration", "reference"), [
    (LAUGHS, b"&lol9;"),  # a billion laughs: 10^9 "lol"s from a few hundred bytes
    (b'<!DOCTYPE worksheet [<!ENTITY secret SYSTEM "file:///etc/passwd">]>', b"&secret;"),
    (b'<!DOCTYPE worksheet [<!ENTITY name "Amira Khan">]>', b"&name;"),  # even a harmless one
], ids=["billion laughs", "external entity", "plain entity"])  # fmt: skip
def test_a_workbook_whose_xml_declares_entities_gets_a_sentence(
    tmp_path: Path, declaration: bytes, reference: bytes
) -> None:
    path = write_roster(tmp_path / "r.xlsx", [row(supervisee="ENTITY-HERE")])

    def hostile(_name: str, data: bytes) -> bytes:  # the part holding the text: sheet or strings
        if b"ENTITY-HERE" not in data:
            return data
        declared = re.sub(rb"^(<\?xml[^>]*\?>)?", lambda m: (m.group(0) or b"") + declaration,
                          data, count=1)  # fmt: skip
        return declared.replace(b"ENTITY-HERE", reference)

    _rebuild(path, hostile)
    result = _validate_roster(path)
    assert result.exit_code == 1, result.output
    assert (f"Error: {path}: contains XML that Excel never writes (entity declarations), so "
            "docgen does not read it.") in result.stderr  # fmt: skip
    assert "root:" not in result.output


def test_damaged_and_impostor_workbooks_get_a_sentence(tmp_path: Path) -> None:
    impostor = tmp_path / "impostor.xlsx"
    with zipfile.ZipFile(impostor, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    result = _validate_roster(impostor)
    assert result.exit_code == 1 and f"Error: {impostor}: cannot be read as an Excel workbook" \
        in result.stderr  # fmt: skip

    damaged = write_roster(tmp_path / "damaged.xlsx", [row()] * 30)
    data = bytearray(damaged.read_bytes())
    with zipfile.ZipFile(damaged) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    start = sheet.header_offset + 30 + len(sheet.filename) + len(sheet.extra)
    for offset in range(start + 20, start + sheet.compress_size - 20, 7):  # the packed sheet
        data[offset] ^= 0xFF
    damaged.write_bytes(bytes(data))
    result = _validate_roster(damaged)
    assert result.exit_code == 1, result.output
    assert f"Error: {damaged}: is damaged: part of it cannot be unpacked." in result.stderr


@needs_fifo
def test_a_pipe_or_locked_file_as_roster_gets_a_sentence(tmp_path: Path, monkeypatch) -> None:
    pipe = tmp_path / "r.xlsx"
    os.mkfifo(pipe)
    with _never_hangs_on(pipe):
        result = _validate_roster(pipe)
    assert result.exit_code == 1
    assert f"Error: {pipe}: is not an ordinary file (it is a device, a pipe or a socket)" \
        in result.stderr  # fmt: skip

    locked = write_roster(tmp_path / "locked.xlsx", [row()])
    real_open = Path.open

    def open_locked(self: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self == locked:  # as Windows does while another program holds the file
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", open_locked)
    result = _validate_roster(locked)
    assert result.exit_code == 1
    assert f"Error: {locked}: cannot be opened: another program has it locked" in result.stderr


# --- Conditions the user caused get a sentence, not "a fault in docgen" --------------------


def test_a_layout_that_is_not_a_word_document_gets_a_sentence(tmp_path: Path) -> None:
    layouts = tmp_path / "layouts"
    layouts.mkdir()
    (layouts / "ours.docx").write_text("a letter saved as text, renamed", encoding="utf-8")
    (layouts / "ours.toml").write_text('name = "Ours"\norganisation = "Our Council"\n',
                                       encoding="utf-8")  # fmt: skip
    roster = write_roster(tmp_path / "r.xlsx", [row(Layout="ours")])
    made = CliRunner().invoke(main, ["generate", str(roster), "--out", str(tmp_path / "out"),
                                     "--templates", str(layouts)])  # fmt: skip
    assert made.exit_code == 4, made.output
    assert f"Error: the layout {layouts / 'ours.docx'} cannot be opened as a Word document" \
        in made.stderr  # fmt: skip
    checked = CliRunner().invoke(main, ["check-template", str(layouts / "ours.docx")])
    assert checked.exit_code == 4 and "cannot be opened as a Word document" in checked.stderr


def test_a_layout_that_unpacks_to_too_much_is_refused(tmp_path: Path) -> None:
    layout = _layout_with(tmp_path / "layouts", "Ours")
    _rebuild(layout, lambda _name, data: data, extra={"word/padding.xml": b" " * 20 * 2**20},
             level=9)  # fmt: skip
    roster = write_roster(tmp_path / "r.xlsx", [row(Layout="ours")])
    made = CliRunner().invoke(main, ["generate", str(roster), "--out", str(tmp_path / "out"),
                                     "--templates", str(layout.parent)])  # fmt: skip
    assert made.exit_code == 4, made.output
    assert "has a part (word/padding.xml) that unpacks to 20 MB" in made.stderr
    checked = CliRunner().invoke(main, ["check-template", str(layout)])
    assert checked.exit_code == 4 and "has a part (word/padding.xml)" in checked.stderr


def test_odd_layout_metadata_gets_a_sentence_or_still_works(tmp_path: Path) -> None:
    layout = _layout_with(tmp_path / "layouts", "Ours")
    metadata = layout.with_suffix(".toml")
    metadata.write_text('name = "Ours"\norganisation = "Our Council"\nneeds = 5\n',
                        encoding="utf-8")  # fmt: skip
    result = CliRunner().invoke(main, ["templates", "--templates", str(layout.parent)])
    assert result.exit_code == 4
    assert f"Error: {metadata}: needs must be a list of roster columns" in result.stderr
    # A control character pasted into the organisation's name (TOML writes it \u0001).
    metadata.write_text('name = "Ours"\norganisation = "Our\\u0001 Council"\n', encoding="utf-8")
    roster = write_roster(tmp_path / "r.xlsx", [row(Layout="ours", Organisation=None)])
    made = CliRunner().invoke(main, ["generate", str(roster), "--out", str(tmp_path / "out"),
                                     "--templates", str(layout.parent)])  # fmt: skip
    assert made.exit_code == 0, made.output
    [document] = (tmp_path / "out").glob("*.docx")
    assert Document(str(document)).core_properties.author == "Our Council"
