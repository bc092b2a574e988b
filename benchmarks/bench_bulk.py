"""Bulk speed and memory: `docgen generate` against the naive docxtpl loop, in one run.

    python benchmarks/bench_bulk.py            # 2,000 rows; memory at 1,000 and 10,000
    python benchmarks/bench_bulk.py --rows 500 --no-memory
    python benchmarks/bench_bulk.py --memory-only   # peak memory at 1,000 and 10,000 rows

The roster is saved as Excel saves one (its text in a shared strings table);
`--openpyxl-roster` keeps it as openpyxl writes it (each cell's text in the cell), which
openpyxl reads more slowly.

Both sides run as whole processes on the same roster and layout (sefton), so start-up,
reading the roster and writing files count for both:

- docgen: `python -m docgen generate ROSTER --out DIR --quiet`;
- the naive loop: a process that works out docgen's real template values for every row,
  then for each row opens the template afresh with docxtpl, renders and saves it (what a
  hand-written mail-merge script does).

Also printed: the in-process render-only rate (docgen's renderer alone, no files), and the
peak memory (RSS of the largest process) of `docgen generate` at 1,000 and 10,000 rows.
The machine is shared and noisy: each naive run is paired with docgen runs made straight after
it, and the ratio quoted is the median of the pairs' (`--pairs N`, 3 by default).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import row, write_roster  # noqa: E402

NAIVE = """
import io, sys
from pathlib import Path
from docxtpl import DocxTemplate
from docgen import check_roster
from docgen.pipeline import _prepare
from docgen.sandbox import make_environment
from docgen.templates import shipped_templates_dir

roster, out = Path(sys.argv[1]), Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
checked = check_roster(roster)
template = shipped_templates_dir() / "sefton.docx"
for n, agreement in enumerate(_prepare(checked, checked.records)):
    document = DocxTemplate(str(template))
    document.render(agreement.context(), make_environment(), autoescape=True)
    document.save(str(out / f"{n}.docx"))
"""

MEASURE = """
import resource, subprocess, sys, time
started = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
wall = time.perf_counter() - started
print(wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def roster(path: Path, rows: int, *, as_excel_saves: bool = True) -> Path:
    """`rows` pairs, as a council's roster has them: teams sharing start dates and days.

    Saved as Excel and LibreOffice save a workbook, its text in one shared table, unless
    not `as_excel_saves`: then as openpyxl writes it, each cell's text in the cell.
    """
    days = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "2nd Tuesday", "last Friday")
    entries = [
        row(supervisee=f"Person {n:05d}", supervisor=f"Manager {n % 97:02d}",
            Start_date=datetime(2026, 1, 5) + timedelta(days=7 * (n % 40)),
            Meeting_day=days[n % len(days)], Key_tasks=f"Caseload {n}\nDuty desk")
        for n in range(rows)
    ]  # fmt: skip
    write_roster(path, entries)
    if as_excel_saves:
        _share_strings(path)
    return path


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_SHARED_STRINGS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml",
)


def _share_strings(path: Path) -> None:
    """Move the text of the workbook at `path` into a shared strings table, as Excel keeps it."""
    with zipfile.ZipFile(path) as source:
        parts = {item.filename: source.read(item.filename) for item in source.infolist()}
    table: dict[str, int] = {}
    for name in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
        sheet = etree.fromstring(parts[name])
        for cell in sheet.iter(f"{{{_MAIN}}}c"):
            if cell.get("t") == "inlineStr":
                text = "".join(cell.itertext())
                for child in list(cell):
                    cell.remove(child)
                cell.set("t", "s")
                etree.SubElement(cell, f"{{{_MAIN}}}v").text = str(
                    table.setdefault(text, len(table))
                )
        parts[name] = etree.tostring(sheet, xml_declaration=True, encoding="UTF-8")
    shared = etree.Element(f"{{{_MAIN}}}sst", nsmap={None: _MAIN},
                           count=str(len(table)), uniqueCount=str(len(table)))  # fmt: skip
    for text in table:
        item = etree.SubElement(etree.SubElement(shared, f"{{{_MAIN}}}si"), f"{{{_MAIN}}}t")
        item.text = text
        item.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    parts["xl/sharedStrings.xml"] = etree.tostring(shared, xml_declaration=True,
                                                   encoding="UTF-8", standalone=True)  # fmt: skip
    relationship, content_type = _SHARED_STRINGS
    rels = etree.fromstring(parts["xl/_rels/workbook.xml.rels"])
    etree.SubElement(rels, f"{{{rels.nsmap[None]}}}Relationship", Id="rIdShared",
                     Type=relationship, Target="sharedStrings.xml")  # fmt: skip
    parts["xl/_rels/workbook.xml.rels"] = etree.tostring(rels, xml_declaration=True,
                                                         encoding="UTF-8")  # fmt: skip
    types = etree.fromstring(parts["[Content_Types].xml"])
    etree.SubElement(types, f"{{{types.nsmap[None]}}}Override",
                     PartName="/xl/sharedStrings.xml", ContentType=content_type)  # fmt: skip
    parts["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def measure(command: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB of the largest process) of `command`, run whole."""
    done = subprocess.run([sys.executable, "-c", MEASURE, *command], check=True,
                          capture_output=True, text=True)  # fmt: skip
    wall, peak_kb = done.stdout.split()
    return float(wall), int(peak_kb) / 1024


def docgen_command(roster_path: Path, out: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "docgen",
        "generate",
        str(roster_path),
        "--out",
        str(out),
        "--quiet",
    ]


def render_only_rate(roster_path: Path, count: int = 300) -> float:
    from docgen import check_roster
    from docgen.context import sample_context
    from docgen.pipeline import _prepare
    from docgen.render import compile_layout, render_document

    checked = check_roster(roster_path)
    agreements = _prepare(checked, checked.records[:count])
    contexts = [a.context() for a in agreements]
    compiled = compile_layout(agreements[0].layout, sample_context())
    render_document(compiled, contexts[0])  # prepares the layout
    started = time.perf_counter()
    for context in contexts:
        render_document(compiled, context)
    return len(contexts) / (time.perf_counter() - started)


def pdf_comparison(base: Path, count: int) -> None:
    """PDFs for `count` agreements: docgen's batches on every core, against one LibreOffice
    call per document (each call starting LibreOffice afresh), on the same files."""
    from docgen import generate
    from docgen.pdf import convert_to_pdf, find_libreoffice

    program = find_libreoffice()
    if program is None:
        print("  PDF: LibreOffice is not installed")
        return
    documents = generate(roster(base / "pdf.xlsx", count), base / "pdf").documents
    started = time.perf_counter()
    made = convert_to_pdf(documents)
    ours = time.perf_counter() - started
    assert len(made.made) == count, made.failed
    singles = base / "singles"
    started = time.perf_counter()
    for document in documents:
        subprocess.run([program, "--headless", "--convert-to", "pdf", "--outdir", str(singles),
                        str(document)], check=True, capture_output=True)  # fmt: skip
    one_by_one = time.perf_counter() - started
    print(
        f"  PDF, {count} agreements: docgen {count / ours:6.1f}/s, one LibreOffice call each "
        f"{count / one_by_one:6.2f}/s: {one_by_one / ours:5.1f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--big", action="store_true", help="10,000 rows instead of 2,000")
    parser.add_argument(
        "--no-memory", action="store_true", help="skip the 1,000/10,000 memory runs"
    )
    parser.add_argument("--memory-only", action="store_true",
                        help="only the 1,000/10,000 memory runs")  # fmt: skip
    parser.add_argument("--openpyxl-roster", action="store_true",
                        help="the roster as openpyxl writes it (text in each cell), not as "
                        "Excel saves it (text in a shared table)")  # fmt: skip
    parser.add_argument("--pairs", type=int, default=3, metavar="N",
                        help="naive and docgen runs side by side, N times")  # fmt: skip
    parser.add_argument("--pdf", type=int, default=0, metavar="N",
                        help="also compare PDF making on N agreements")  # fmt: skip
    args = parser.parse_args()
    rows = 10_000 if args.big else args.rows
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        if not args.memory_only:
            roster_path = roster(base / "roster.xlsx", rows,
                                 as_excel_saves=not args.openpyxl_roster)  # fmt: skip
            # The machine is shared and its speed drifts: each naive run is paired with
            # docgen runs straight after it (the median of three, each into a fresh folder,
            # as docgen's run is short and a moment's noise weighs more), and the ratio
            # quoted is the median of the pairs'.
            print(f"{rows} agreements, sefton layout, whole processes")
            ratios = []
            for pair in range(args.pairs):
                naive_wall, _ = measure([sys.executable, "-c", NAIVE, str(roster_path),
                                         str(base / f"naive{pair}")])  # fmt: skip
                walls = sorted(measure(docgen_command(roster_path, base / f"docgen{pair}-{n}"))[0]
                               for n in range(3))  # fmt: skip
                ours_wall = walls[1]
                ratios.append(naive_wall / ours_wall)
                print(f"  pair {pair + 1}: naive docxtpl loop {rows / naive_wall:6.1f}/s "
                      f"({naive_wall:.1f} s), docgen generate {rows / ours_wall:6.1f}/s "
                      f"({ours_wall:.1f} s): {ratios[-1]:5.1f}x")  # fmt: skip
                for folder_name in (f"naive{pair}", *(f"docgen{pair}-{n}" for n in range(3))):
                    shutil.rmtree(base / folder_name, ignore_errors=True)
            print(f"  docgen / naive, median of {args.pairs} pairs: "
                  f"{statistics.median(ratios):5.1f}x")  # fmt: skip
            print(
                f"  render only, in one process: {render_only_rate(roster_path):8.1f} documents/s"
            )
        if not args.no_memory:
            # Peak RSS of the largest process of the run: on Linux the spawned workers count
            # from the moment they are forked, so they show the main process's size then.
            peaks = {}
            for count in (1_000, 10_000):
                small = roster(base / f"roster{count}.xlsx", count)
                peaks[count] = measure(docgen_command(small, base / f"out{count}"))[1]
                print(f"  peak memory (RSS), {count:>6} rows: {peaks[count]:6.0f} MB")
            print(f"  10,000 / 1,000 rows: {peaks[10_000] / peaks[1_000]:.2f}x")
        if args.pdf:
            pdf_comparison(base, args.pdf)


if __name__ == "__main__":
    main()
