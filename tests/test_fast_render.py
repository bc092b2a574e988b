"""The prepared (fast) way of filling in a layout makes exactly what docxtpl's own render
makes: every XML part compared after canonicalisation, for every shipped layout with real
roster values, and for the docxtpl features councils' layouts use."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.enum.text import WD_BREAK
from docxtpl import DocxTemplate
from lxml import etree

from docgen import check_roster
from docgen.pipeline import _prepare
from docgen.render import _prepared, compile_layout, render_document
from docgen.sandbox import make_environment
from docgen.templates import load_layout, shipped_templates_dir

from .conftest import row
from .test_template_check import ACCEPTED, make_layout

# docgen writes the document properties itself (docxtpl would fill in the layout's own).
NOT_COMPARED = {"docProps/core.xml", "docProps/custom.xml"}


def docxtpl_render(template: bytes, context: dict[str, Any]) -> bytes:
    """docxtpl's own render, as its README shows it, with docgen's environment."""
    document = DocxTemplate(io.BytesIO(template))
    document.render(context, make_environment(), autoescape=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xml_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            name: etree.tostring(etree.fromstring(archive.read(name)), method="c14n")
            for name in archive.namelist()
            if name.endswith((".xml", ".rels")) and name not in NOT_COMPARED
        }


def assert_same_parts(ours: bytes, theirs: bytes) -> None:
    mine, expected = xml_parts(ours), xml_parts(theirs)
    assert set(mine) == set(expected)
    for name in expected:
        assert mine[name] == expected[name], name
    # Canonical XML has no declaration: each part starts with one where docxtpl's does.
    with zipfile.ZipFile(io.BytesIO(ours)) as a, zipfile.ZipFile(io.BytesIO(theirs)) as b:
        for name in expected:
            assert a.read(name).startswith(b"<?xml") == b.read(name).startswith(b"<?xml"), name


TRICKY = dict(supervisee="Siân O'Neill & <Co>",
              Key_tasks="Court work\nDuty desk\n\tFostering panel",
              Location="Room 2 & 3", Meeting_day="2nd Tuesday", Meeting_time="14:00")  # fmt: skip


@pytest.mark.parametrize("layout", ["sefton", "contract", "safeguarding", "stoke"])
def test_every_shipped_layout_matches_docxtpls_own_render(roster_path, layout: str) -> None:
    roster = roster_path([row(Layout=layout, **TRICKY), row(Layout=layout, supervisee="Kwame",
                          Newly_qualified="Yes", Start_date=row()["Start date"]),
                          # a tab alone, and a line break in one value and a tab in a later one
                          row(Layout=layout, supervisee="Tab", Key_tasks="Court\twork",
                              Location="Room\t2"),
                          row(Layout=layout, supervisee="Both", Key_tasks="Court\nDuty",
                              Location="Room\t2", Organisation="Our\tCouncil")])  # fmt: skip
    checked = check_roster(roster)
    agreements = _prepare(checked, checked.records)
    compiled = compile_layout(agreements[0].layout, agreements[0].context())
    assert _prepared(compiled) is not None  # the shipped layouts take the prepared way
    template = compiled.template_bytes
    for agreement in agreements:
        context = agreement.context()
        assert_same_parts(render_document(compiled, context), docxtpl_render(template, context))


def features_layout(folder: Path) -> Path:
    """A council's own layout using what docxtpl offers: a header and footer with tags, a
    {%p if %} paragraph, a {%tr for %} row loop, merged cells, and a value with line breaks."""
    folder.mkdir()
    document = Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "Agreement for {{ supervisee }}"
    section.footer.paragraphs[0].text = "{{ organisation }}: page footer"
    document.add_paragraph("{%p if meeting_count > 1 %}")
    document.add_paragraph("There are {{ meeting_count }} meetings.")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("Type {_{ supervisee }_} for the name, as docxtpl writes a tag as text")
    tasks = document.add_paragraph("Tasks: {{ key_tasks }}")
    tasks.add_run().add_break(WD_BREAK.LINE)
    table = document.add_table(rows=4, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "Meetings for {{ supervisee }}"
    table.cell(1, 0).text = "{%tr for m in meetings %}"
    table.cell(2, 0).text = "{{ m.number }}"
    table.cell(2, 1).text = "{{ m.date }}"
    table.cell(2, 2).text = "{{ m.when }}"
    table.cell(3, 0).text = "{%tr endfor %}"
    merged = document.add_table(rows=2, cols=2)
    merged.cell(0, 0).merge(merged.cell(1, 0)).text = "{{ supervisor }}"
    merged.cell(0, 1).text = "{{ start_date }}"
    merged.cell(1, 1).text = "{{ review_date }}"
    document.save(str(folder / "features.docx"))
    (folder / "features.toml").write_text('name = "Features"\norganisation = "Our Council"\n',
                                          encoding="utf-8")  # fmt: skip
    return folder / "features.docx"


def test_docxtpl_features_councils_use_match_too(tmp_path: Path, roster_path) -> None:
    layout = load_layout(features_layout(tmp_path / "layouts"))
    roster = roster_path([row(**TRICKY)])
    checked = check_roster(roster)
    [agreement] = _prepare(checked, checked.records)
    context = {**agreement.context(), "layout_name": "Features"}
    compiled = compile_layout(layout, context)
    assert _prepared(compiled) is not None
    ours = render_document(compiled, context)
    assert_same_parts(ours, docxtpl_render(compiled.template_bytes, context))
    text = "\n".join(p.text for p in Document(io.BytesIO(ours)).paragraphs)
    assert "There are 12 meetings." in text and "Court work\nDuty desk" in text
    assert "Type {{ supervisee }} for the name" in text
    assert Document(io.BytesIO(ours)).sections[0].header.paragraphs[0].text == (
        "Agreement for Siân O'Neill & <Co>"
    )


def test_a_layout_the_prepared_way_does_not_cover_is_filled_in_by_docxtpl(
    roster_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should the prepared copy ever differ from docxtpl's own render for a layout, docxtpl
    fills in every agreement of that layout (here the difference is made on purpose)."""
    from docgen import render

    real = render._Prepared.render
    changed = {"supervisee": "someone else"}
    monkeypatch.setattr(render._Prepared, "render",
                        lambda self, context: real(self, {**context, **changed}))  # fmt: skip
    layout = load_layout(shipped_templates_dir() / "sefton.docx")
    checked = check_roster(roster_path([row()]))
    [agreement] = _prepare(checked, checked.records)
    compiled = compile_layout(layout, agreement.context())
    assert _prepared(compiled) is None
    ours = render_document(compiled, agreement.context())
    assert_same_parts(ours, docxtpl_render(compiled.template_bytes, agreement.context()))


def _enough_to_share_out(roster_path: Any) -> tuple[list[Any], dict[str, Any], Any, list[Any]]:
    """Enough agreements for worker processes, the layout, a time, and them rendered here."""
    from datetime import datetime

    from docgen.agreements import PARALLEL_FROM, render_all

    roster = roster_path([row(supervisee=f"Person {n}") for n in range(PARALLEL_FROM)])
    checked = check_roster(roster)
    agreements = _prepare(checked, checked.records)
    compiled = {"sefton": compile_layout(agreements[0].layout, agreements[0].context())}
    now = datetime(2026, 3, 1, 9, 0)
    return agreements, compiled, now, list(render_all(agreements, compiled, now, workers=1))


def test_agreements_rendered_by_worker_processes_are_the_same(roster_path) -> None:
    """On every core, in fresh interpreters (as Windows starts them): the same documents,
    in the same order, as rendered in one process."""

    from docgen.agreements import PARALLEL_FROM, Workers, render_all

    agreements, compiled, now, alone = _enough_to_share_out(roster_path)
    together = list(render_all(agreements, compiled, now, workers=2))  # fresh interpreters
    with Workers(2) as forked:
        forked.start(method="fork")  # copies of this process, as the command line starts them
        copied = list(render_all(agreements, compiled, now, workers=forked))
    for made in (together, copied):
        assert [r.stamp.supervisee for r in made] == [f"Person {n}" for n in range(PARALLEL_FROM)]
        for one, other in zip(alone, made, strict=True):
            assert xml_parts(one.data) == xml_parts(other.data)  # all but the times made


def test_a_script_piped_into_python_still_generates(tmp_path: Path, roster_path) -> None:
    """A new interpreter cannot re-read a program typed or piped in, so such a program
    renders in its own process rather than failing."""
    import subprocess
    import sys

    from docgen.agreements import PARALLEL_FROM

    roster = roster_path([row(supervisee=f"Person {n}") for n in range(PARALLEL_FROM + 6)])
    script = (f"from docgen import generate\n"
              f"print(len(generate({str(roster)!r}, "
              f"{str(tmp_path / 'out')!r}).documents))\n")  # fmt: skip
    done = subprocess.run([sys.executable, "-"], input=script, capture_output=True, text=True,
                          timeout=300, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(PARALLEL_FROM + 6)


def test_workers_start_while_a_long_roster_is_read_and_stop_with_the_run(
    tmp_path: Path, roster_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Worker processes load docgen while the roster is read, not after; none outlives the
    run, whether it made agreements or stopped at a problem in the roster."""
    import multiprocessing

    from docgen import agreements, generate, pipeline
    from docgen.errors import RosterProblems

    events: list[str] = []
    real_start, real_check = agreements.Workers.start, pipeline.check_roster

    def start(self: Any, **how: Any) -> Any:
        events.append("workers")
        return real_start(self, **how)

    def check(*args: Any, **kwargs: Any) -> Any:
        events.append("roster read")
        return real_check(*args, **kwargs)

    monkeypatch.setattr(agreements.Workers, "start", start)
    monkeypatch.setattr(pipeline, "check_roster", check)
    rows = [row(supervisee=f"Person {n}") for n in range(400)]
    assert generate(roster_path(rows), tmp_path / "out").documents
    assert events[:2] == ["workers", "roster read"]
    assert multiprocessing.active_children() == []
    events.clear()
    with pytest.raises(RosterProblems):
        generate(roster_path([*rows, row(supervisee="")]), tmp_path / "again")
    assert events[:2] == ["workers", "roster read"]
    assert multiprocessing.active_children() == []


def grid_layout(folder: Path, build: Any) -> Path:
    """A layout made by `build(document)`, saved with its metadata in `folder`."""
    folder.mkdir()
    document = Document()
    build(document)
    document.save(str(folder / "grid.docx"))
    (folder / "grid.toml").write_text('name = "Grid"\norganisation = "Our Council"\n',
                                      encoding="utf-8")  # fmt: skip
    return folder / "grid.docx"


def column_loop(document: Any) -> None:
    """A {%tc for %} loop: rows with more cells than the table's grid, which docxtpl widens."""
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).text = "Dates"
    table.cell(1, 0).text = "{%tc for m in meetings %}"
    table.cell(1, 1).text = "{{ m.date }}"
    table.cell(1, 2).text = "{%tc endfor %}"


def emptied_table(document: Any) -> None:
    """A table whose every row repeats over a list that is empty: docxtpl drops its grid."""
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "{%tr for note in schedule_notes %}"
    table.cell(1, 0).text = "{{ note }}"
    table.cell(1, 1).text = "{{ supervisee }}"
    table.cell(2, 0).text = "{%tr endfor %}"
    document.add_paragraph("Tasks: {{ key_tasks }}")


def text_box(document: Any) -> None:
    """A value with a tab and line breaks inside a text box: a paragraph within a paragraph,
    in a bold run (docxtpl's pattern gives the tab the bold of the run holding the box)."""
    from docx.oxml import parse_xml

    document.add_paragraph("Before {{ key_tasks }} after")
    box = parse_xml(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><w:rPr><w:b/></w:rPr><w:pict>'
        '<v:shape style="width:200pt;height:60pt"><v:textbox><w:txbxContent>'
        "<w:p><w:r><w:t>In the box: {{ key_tasks }}"
        "</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
    )
    holder = document.add_paragraph("Box: ")
    holder._p.append(box)
    document.add_paragraph("Last {{ key_tasks }}")


def with_logo(document: Any) -> None:
    """A council's logo: a drawing, whose id docxtpl renumbers in every agreement."""
    import base64

    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    )
    document.add_picture(io.BytesIO(png))
    document.add_paragraph("Agreement for {{ supervisee }}")
    document.add_picture(io.BytesIO(png))


@pytest.mark.parametrize("build", [column_loop, emptied_table, text_box, with_logo])
def test_tables_docxtpl_regrids_and_text_boxes_match_too(
    tmp_path: Path, roster_path, build: Any
) -> None:
    layout = load_layout(grid_layout(tmp_path / "layouts", build))
    checked = check_roster(roster_path([row(**TRICKY)]))
    [agreement] = _prepare(checked, checked.records)
    context = {**agreement.context(), "layout_name": "Grid",
               "key_tasks": "Court work\tDuty desk\nFostering panel"}  # fmt: skip
    compiled = compile_layout(layout, context)
    assert _prepared(compiled) is not None
    ours = render_document(compiled, context)
    theirs = docxtpl_render(compiled.template_bytes, context)
    assert_same_parts(ours, theirs)
    body = zipfile.ZipFile(io.BytesIO(ours)).read("word/document.xml")
    if build is column_loop:  # the grid was widened from 3 columns to the 12 meetings
        assert len(Document(io.BytesIO(ours)).tables[0].rows[1].cells) == 12
        assert body.count(b"<w:gridCol ") == 12
    if build is emptied_table:  # every column of the grid gone, as docxtpl leaves it
        assert b"gridCol" not in body


def test_workers_can_write_the_files_themselves(tmp_path: Path, roster_path) -> None:
    """Given a folder, workers create each agreement's file there (a temporary `.part` the
    run then names), sharing out the work of writing: the same documents, in order."""

    from docgen.agreements import PARALLEL_FROM, render_all

    agreements, compiled, now, alone = _enough_to_share_out(roster_path)
    spooled = list(render_all(agreements, compiled, now, workers=2, spool=tmp_path))
    assert [r.stamp.supervisee for r in spooled] == [f"Person {n}" for n in range(PARALLEL_FROM)]
    for one, other in zip(alone, spooled, strict=True):
        assert other.data == b"" and other.spooled is not None
        assert other.spooled.parent == tmp_path and other.spooled.suffix == ".part"
        assert xml_parts(one.data) == xml_parts(other.spooled.read_bytes())


class _BreakingPool:
    """A pool whose workers die after `lasting` chunks, as when the system kills one.

    A chunk it takes after that fails, or, with `refusing`, is refused when handed over.
    (Killing real workers can leave Python's own pool waiting forever on a half-sent result,
    which no caller can recover from.)
    """

    def __init__(self, lasting: int, refusing: bool = False) -> None:
        self.lasting, self.refusing, self.taken = lasting, refusing, 0

    def submit(self, task: Any, *arguments: Any) -> Any:
        from concurrent.futures import Future
        from concurrent.futures.process import BrokenProcessPool

        self.taken += 1
        future: Future[Any] = Future()
        if self.taken <= self.lasting:
            future.set_result(task(*arguments))
        elif self.refusing:
            raise BrokenProcessPool("refused")
        else:
            future.set_exception(BrokenProcessPool("a worker died"))
        return future

    def shutdown(self, **_: Any) -> None:
        pass


@pytest.mark.parametrize("lasting", [0, 1, 3, 7])
@pytest.mark.parametrize("refusing", [False, True], ids=["fails", "refuses"])
def test_when_the_workers_die_the_rest_are_rendered_here_each_once_in_order(
    roster_path, lasting: int, refusing: bool
) -> None:

    from docgen.agreements import PARALLEL_FROM, Workers, render_all

    agreements, compiled, now, alone = _enough_to_share_out(roster_path)
    team = Workers(2)
    team.pool = _BreakingPool(lasting, refusing)  # type: ignore[assignment]
    made = list(render_all(iter(agreements), compiled, now, workers=team, count=len(agreements)))
    assert [r.stamp.supervisee for r in made] == [f"Person {n}" for n in range(PARALLEL_FROM)]
    for one, other in zip(alone, made, strict=True):
        assert xml_parts(one.data) == xml_parts(other.data)
        # All but the content fingerprint, which covers the time each was made.
        assert dataclasses.replace(one.stamp, content="") == dataclasses.replace(
            other.stamp, content=""
        )
    assert team.pool is None  # stopped: nothing left waiting on it


@pytest.mark.parametrize("way", ["frame", "python-docx"])
@pytest.mark.parametrize("layout", ["sefton", "contract"])
def test_document_properties_are_written_as_python_docx_writes_them(
    roster_path, layout, way, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The core properties (title, subject, author...) of the prepared way, written as text
    into a frame made once, are byte for byte what python-docx writes, even for values with
    XML's special characters, a line break, accents and emoji, or too long to fit."""
    import re
    from datetime import UTC, datetime

    from docgen import render
    from docgen.render import full_render, render_parts

    checked = check_roster(roster_path([
        row(layout=layout, supervisee=f"Ann & \"Bo\" <Cy> 'D' Dé \U0001f600 {n}" + "x" * 250 * n,
            Organisation="Sefton &\n<Partners>")
        for n in range(2)
    ]))  # fmt: skip
    agreements = _prepare(checked, checked.records)
    compiled = compile_layout(agreements[0].layout, agreements[0].context())
    if way == "python-docx":  # a part python-docx writes otherwise than the frame expects

        def no_frame(*_: object) -> None:
            raise ValueError

        monkeypatch.setattr(render, "_CoreFrame", no_frame)
    at_a_time = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
    for agreement in agreements:
        before = datetime.now(UTC).replace(microsecond=0)
        ours = render_parts(compiled, agreement.context())["docProps/core.xml"]
        made = [datetime.strptime(t.decode(), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
                for t in at_a_time.findall(ours)]  # fmt: skip
        assert len(made) == 2 and all(before <= t <= datetime.now(UTC) for t in made)
        with zipfile.ZipFile(io.BytesIO(full_render(compiled, agreement.context()))) as archive:
            theirs = archive.read("docProps/core.xml")
        assert at_a_time.sub(b"T", ours) == at_a_time.sub(b"T", theirs)
        assert b'Ann &amp; "Bo" &lt;Cy&gt;' in ours and b"&amp;\n&lt;Partners&gt;" in ours
        assert b"<dc:language>en-GB</dc:language>" in ours
        assert f"<cp:category>{compiled.layout.name}</cp:category>".encode() in ours
    prepared = _prepared(compiled)
    assert prepared is not None
    assert (prepared.core_frame is not None) == (way == "frame")  # the way asked for was used


@pytest.mark.parametrize(("name", "change"), [(name, change) for name, change, _ in ACCEPTED])
def test_every_layout_the_template_check_accepts_takes_the_prepared_way(
    tmp_path: Path, roster_path, name: str, change: Any
) -> None:
    """Tags split by Word formatting, tracked changes or links, in the body, a header, a
    footer or a note: the prepared way covers them, and makes what docxtpl's full render
    (with docgen's mending) makes."""
    from docgen import Options
    from docgen.render import full_render

    layout = load_layout(make_layout(tmp_path / "layout", change))
    checked = check_roster(roster_path([row(Layout="ours", **TRICKY)]),
                           Options(templates_dir=tmp_path / "layout"))  # fmt: skip
    [agreement] = _prepare(checked, checked.records)
    context = agreement.context()
    compiled = compile_layout(layout, context)
    assert _prepared(compiled) is not None, name
    assert_same_parts(render_document(compiled, context), full_render(compiled, context))


def test_parts_every_agreement_of_a_layout_shares_are_compressed_once(
    roster_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The content types and relationships parts, the same for every agreement of a layout
    once docgen's properties are added, are compressed for the first agreement only."""
    import zlib

    from docgen.agreements import render

    checked = check_roster(roster_path([row(supervisee=f"Person {n}") for n in range(3)]))
    agreements = _prepare(checked, checked.records)
    compiled = compile_layout(agreements[0].layout, agreements[0].context())
    now = __import__("datetime").datetime(2026, 3, 1, 9, 0)
    render(agreements[0], compiled, now)
    compressed: list[bytes] = []
    real = zlib.compressobj

    class Counting:
        def __init__(self, *args: Any) -> None:
            self.real = real(*args)

        def compress(self, data: bytes) -> bytes:
            compressed.append(data)
            return self.real.compress(data)

        def flush(self) -> bytes:
            return self.real.flush()

    monkeypatch.setattr(zlib, "compressobj", Counting)
    for agreement in agreements[1:]:
        render(agreement, compiled, now)
    assert compressed and not any(b"<Types" in d or b"<Relationships" in d for d in compressed)
