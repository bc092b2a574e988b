"""Reading a roster whose rows are formatted down to row 1,048,576, as a ratio to reading the
same two pairs from a plain roster, measured in the same run.

    python benchmarks/bench_roster_read.py
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from docgen import check_roster  # noqa: E402
from tests.conftest import row, write_roster  # noqa: E402


def timed(path: Path) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        check_roster(path)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        plain = write_roster(Path(folder) / "plain.xlsx", [row(), row(supervisee="B")])
        formatted = Path(folder) / "formatted.xlsx"
        styled = "".join(f'<row r="{n}"><c r="A{n}" s="1"/><c r="C{n}" s="1"/></row>'
                         for n in range(4, 1_048_577))  # fmt: skip
        with zipfile.ZipFile(plain) as source, \
                zipfile.ZipFile(formatted, "w", zipfile.ZIP_DEFLATED) as target:  # fmt: skip
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename == "xl/worksheets/sheet1.xml":
                    text = data.decode().replace("</sheetData>", styled + "</sheetData>")
                    data = re.sub(r'<dimension ref="[^"]+"/>',
                                  '<dimension ref="A1:O1048576"/>', text).encode()  # fmt: skip
                target.writestr(item, data)
        base, big = timed(plain), timed(formatted)
    print(f"plain roster (2 rows):                 {base * 1000:8.1f} ms")
    print(f"formatted to row 1,048,576 (2 rows):   {big * 1000:8.1f} ms")
    print(f"ratio:                                 {big / base:8.1f}x")


if __name__ == "__main__":
    main()
