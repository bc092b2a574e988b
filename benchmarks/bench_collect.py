"""How fast `docgen collect` reads a folder, and what carrying answers forward costs refresh.

    python benchmarks/bench_collect.py [ROWS]

Makes ROWS agreements (default 500), whose review is due, and completes the fields of every
one as a manager would; then times `collect` (reading every agreement and writing the
tracker) and `refresh` into two copies of the folder, with and without carrying answers
forward. The machine is noisy, so compare the figures with each other, not across runs.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from docgen import generate, refresh  # noqa: E402
from docgen.collect import collect  # noqa: E402
from tests.conftest import fill_in, row, write_roster  # noqa: E402

ANSWERS = {
    "expectations_supervisee_wants": "Regular, reflective supervision\nHonest feedback",
    "expectations_supervisor_contributes": "Protected time, and notes within 5 days",
    "signed_supervisee": "Signed", "signed_supervisee_date": "01/12/2025",
}  # fmt: skip


def timed(work) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def main(rows: int = 500) -> None:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        roster = write_roster(base / "roster.xlsx", [
            row(supervisee=f"Person {n}", Start_date=datetime(2025, 12, 1)) for n in range(rows)
        ])  # fmt: skip
        out = base / "out"
        generate(roster, out, now=datetime(2025, 11, 3, 9, 0))
        for document in out.glob("*.docx"):
            fill_in(document, ANSWERS)
        seconds = timed(lambda: collect(out, today=date(2026, 11, 23)))
        print(f"collect, {rows} agreements: {seconds:.2f} s ({rows / seconds:.0f} a second)")
        blank = base / "blank"
        shutil.copytree(out, blank)
        today = date(2026, 11, 23)
        carried = timed(lambda: refresh(roster, out, today=today))
        plain = timed(lambda: refresh(roster, blank, today=today, carry_forward=False))
        print(f"refresh, {rows} agreements: {carried:.2f} s carrying answers forward, "
              f"{plain:.2f} s without ({(carried / plain - 1) * 100:+.0f}%)")  # fmt: skip


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:]))
