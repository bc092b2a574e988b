"""How fast docgen makes agreements, as ratios to floors measured in the same run.

    python benchmarks/bench_generate.py [ROWS]

Floors: (1) copying the template's zip entry by entry into a new .docx (the cost of just
writing a Word file); (2) docxtpl rendering the same template with a ready-made context and
saving it (the cost of the template engine alone). docgen's figure includes reading and
checking the roster, planning each schedule, rendering, hashing and atomic writes, and the
manifest. Then the same command again into the same folder, where every agreement is up to
date: it reads the roster, plans, and checks each agreement's fingerprint, rendering nothing.
The machine is noisy, so compare the ratios, not the seconds.
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from docxtpl import DocxTemplate  # noqa: E402

from docgen import generate  # noqa: E402
from docgen.context import sample_context  # noqa: E402
from docgen.render import make_environment  # noqa: E402
from docgen.templates import shipped_templates_dir  # noqa: E402
from tests.conftest import row, write_roster  # noqa: E402


def best_of(runs: int, work) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main(rows: int = 200) -> None:
    template = (shipped_templates_dir() / "sefton.docx").read_bytes()
    context = dict(sample_context())
    context["meetings"] = context["meetings"] * 12
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        roster = write_roster(base / "roster.xlsx",
                              [row(supervisee=f"Person {n}") for n in range(rows)])  # fmt: skip

        def zip_copy() -> None:
            for _ in range(rows):
                buffer = io.BytesIO()
                with zipfile.ZipFile(io.BytesIO(template)) as source, \
                        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:  # fmt: skip
                    for item in source.infolist():
                        target.writestr(item, source.read(item.filename))

        def docxtpl_only() -> None:
            for _ in range(rows):
                document = DocxTemplate(io.BytesIO(template))
                document.render(context, make_environment(), autoescape=True)
                document.save(io.BytesIO())

        folders = iter(range(1000))

        def docgen_run() -> None:  # into a new, empty folder each time
            generate(roster, base / f"out{next(folders)}")

        def docgen_rerun() -> None:  # the same command again: everything is up to date
            generate(roster, base / "out0")

        floor_zip = best_of(3, zip_copy)
        floor_tpl = best_of(3, docxtpl_only)
        ours = best_of(3, docgen_run)
        again = best_of(3, docgen_rerun)
    print(f"{rows} agreements (sefton layout, 12 meetings each)")
    print(f"  zip copy floor:   {floor_zip / rows * 1000:7.2f} ms/document")
    print(f"  docxtpl floor:    {floor_tpl / rows * 1000:7.2f} ms/document")
    print(f"  docgen generate:  {ours / rows * 1000:7.2f} ms/document")
    print(f"  docgen / docxtpl floor: {ours / floor_tpl:5.2f}x")
    print(f"  docgen / zip floor:     {ours / floor_zip:5.1f}x")
    print(
        f"  re-run, all up to date: {again / rows * 1000:7.2f} ms/document, "
        f"{again / ours:5.1%} of the first run"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
