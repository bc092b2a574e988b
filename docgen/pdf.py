"""PDF copies of agreements, made by LibreOffice in the background.

Starting LibreOffice costs about a second, so documents are converted in batches, each batch
by one LibreOffice process, with as many running at once as the computer has cores (each
with a profile of its own, since two cannot share one). A batch that fails or takes too long
is stopped and its documents tried one at a time, so one bad document never stops the rest.
Each PDF is written beside its agreement, whole or not at all.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty, Queue

from .errors import DocgenError

BATCH_SIZE = 100  # documents per LibreOffice run at most
SECONDS_PER_DOCUMENT = 20  # a batch's time limit is this per document, plus start-up
START_UP_SECONDS = 60
# PDF/A-2b: what archives ask for (fonts embedded, no encryption, no external content).
PDF_A_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'
PDF_FILTER = "pdf:writer_pdf_Export"
_WINDOWS_PLACES = (r"C:\Program Files\LibreOffice\program\soffice.exe",
                   r"C:\Program Files (x86)\LibreOffice\program\soffice.exe")  # fmt: skip
_MAC_PLACE = "/Applications/LibreOffice.app/Contents/MacOS/soffice"


class LibreOfficeMissing(DocgenError):
    """PDFs were asked for, but LibreOffice is not installed."""

    def __init__(self) -> None:
        super().__init__(
            "PDFs are made with LibreOffice, which is not installed on this computer. "
            "Install it (it is free), then run again: on Windows, from "
            "libreoffice.org/download (or: winget install TheDocumentFoundation.LibreOffice); "
            "on macOS, from libreoffice.org/download (or: brew install --cask libreoffice); "
            "on Debian or Ubuntu: sudo apt install libreoffice-writer"
        )


def find_libreoffice() -> str | None:
    """The LibreOffice program, from PATH or where its installers put it."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    places = _WINDOWS_PLACES if sys.platform == "win32" else (_MAC_PLACE,)
    return next((place for place in places if Path(place).is_file()), None)


@dataclass
class PdfResult:
    """The PDFs made, and the agreements that could not be converted, with why."""

    made: list[Path] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)  # (agreement, why)


def convert_to_pdf(  # noqa: C901
    documents: Sequence[Path],
    *,
    archive: bool = False,
    workers: int | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int, int, str], None] | None = None,
    program: str | None = None,
) -> PdfResult:
    """Write `documents[i]` as a PDF beside it (PDF/A-2b when `archive`)."""
    program = program or find_libreoffice()
    if program is None:
        raise LibreOfficeMissing()
    result = PdfResult()
    if not documents:
        return result
    workers = max(1, min(workers or os.cpu_count() or 1, len(documents)))
    # Even batches for the workers, each as large as is safe: starting LibreOffice is the
    # cost to spread, and a failed batch is tried again one document at a time.
    batch_size = max(1, min(batch_size, -(-len(documents) // workers)))
    batches: Queue[list[Path]] = Queue()
    for start in range(0, len(documents), batch_size):
        batches.put(list(documents[start : start + batch_size]))
    lock = threading.Lock()
    done = 0

    def record(made: list[Path], failed: list[tuple[Path, str]]) -> None:
        nonlocal done
        with lock:
            result.made.extend(made)
            result.failed.extend(failed)
            for path in made + [p for p, _ in failed]:
                done += 1
                if progress is not None:
                    progress(done, len(documents), path.with_suffix(".pdf").name)

    def work() -> None:
        with tempfile.TemporaryDirectory(prefix="docgen-libreoffice-") as home:
            converter = _Converter(program, Path(home), PDF_A_FILTER if archive else PDF_FILTER)
            while True:
                try:
                    batch = batches.get_nowait()
                except Empty:
                    return
                made, failed = converter.convert(batch)
                if failed and len(batch) > 1:  # one bad document: try each of the rest alone
                    retried = [converter.convert([path]) for path, _ in failed]
                    made += [p for ok, _ in retried for p in ok]
                    failed = [f for _, bad in retried for f in bad]
                record(made, failed)

    threads = [threading.Thread(target=work, daemon=True) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    order = {path.with_suffix(".pdf"): index for index, path in enumerate(documents)}
    result.made.sort(key=lambda p: order[p])
    result.failed.sort(key=lambda f: order[f[0].with_suffix(".pdf")])
    return result


class _Converter:
    """One LibreOffice profile, converting one batch at a time into a private folder."""

    def __init__(self, program: str, home: Path, export_filter: str) -> None:
        self.program, self.home, self.filter = program, home, export_filter
        (home / "out").mkdir()

    def convert(self, batch: list[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
        out = self.home / "out"
        for leftover in out.iterdir():
            leftover.unlink()
        # Two agreements in one batch never share a name: each comes from one output folder.
        command = [self.program, f"-env:UserInstallation={self.home.as_uri()}/profile",
                   "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
                   "--convert-to", self.filter, "--outdir", str(out), *map(str, batch)]  # fmt: skip
        limit = START_UP_SECONDS + SECONDS_PER_DOCUMENT * len(batch)
        why = ""
        try:
            completed = _run(command, limit)
            if completed != 0:
                why = f"LibreOffice stopped with code {completed}"
        except subprocess.TimeoutExpired:
            why = f"LibreOffice took longer than {limit} seconds"
        made, failed = [], []
        for document in batch:
            produced = out / f"{document.stem}.pdf"
            if produced.is_file() and produced.stat().st_size > 0:
                target = document.with_suffix(".pdf")
                try:
                    shutil.move(str(produced), str(target.with_name(f".docgen-{target.name}.part")))
                    target.with_name(f".docgen-{target.name}.part").replace(target)
                except OSError as error:
                    failed.append((document, f"the PDF could not be written: {error.strerror}"))
                    continue
                made.append(target)
            else:
                failed.append((document, why or "LibreOffice could not convert it"))
        return made, failed


def _run(command: list[str], limit: float) -> int:
    """Run `command`; on time-out stop it and everything it started."""
    quiet = subprocess.DEVNULL
    if sys.platform == "win32":  # pragma: no cover - Windows
        process = subprocess.Popen(
            command, stdout=quiet, stderr=quiet, creationflags=subprocess.CREATE_NEW_PROCESS_GROUP
        )
    else:
        process = subprocess.Popen(command, stdout=quiet, stderr=quiet, start_new_session=True)
    try:
        return process.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        if sys.platform == "win32":  # pragma: no cover - Windows
            process.kill()
        else:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, 9)
        process.wait()
        raise
