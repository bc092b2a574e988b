"""The web page's runs: one private folder each under the data folder, cleared when old.

``DATA/runs/<id>/`` holds a run's uploaded roster (``input/``), its problems workbook, its
output folder (``output/``, as ``docgen generate --out`` would fill it), ``run.json`` (what
the person chose and what happened) and ``progress.json`` (how far the work has gone, so a
reloaded page shows the count). Nothing a person sends names a folder: ids are made here,
and uploaded file names are reduced to safe ones before they touch the disk.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from werkzeug.utils import secure_filename

RUN_ID = re.compile(r"\d{8}-\d{6}-[0-9a-f]{8}")
LAYOUT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,59}")
PROGRESS_EVERY_SECONDS = 0.2  # how often a run's count is saved while it works
CLEAR_EVERY = timedelta(hours=1)
PENDING_LAYOUTS_KEPT = timedelta(days=1)
WORKING = ("running", "previewing")


def safe_upload_name(name: str, fallback: str) -> str:
    """A file name from a browser, reduced to letters, digits, ``.``, ``-`` and ``_``.

    Never a path, never empty, never hidden: `fallback` (with the upload's extension) when
    nothing of the name is left.
    """
    # A name typed on Windows may hold its folders, with backslashes.
    cleaned = secure_filename((name or "").replace("\\", "/"))
    suffix = Path(cleaned).suffix.casefold() if cleaned else ""
    if not re.fullmatch(r"\.[a-z0-9]{1,5}", suffix):
        suffix = ""
    stem = Path(cleaned).stem.strip("._") if cleaned else ""
    return f"{stem[:80] or fallback}{suffix}"


def write_json(path: Path, data: Any) -> None:
    """Write `data` as JSON at `path` whole or not at all, so a reader never sees half."""
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, prefix=".part-", delete=False
    ) as handle:
        json.dump(data, handle, ensure_ascii=False, indent=1)
    Path(handle.name).replace(path)


def read_json(path: Path, default: Any) -> Any:
    """The JSON at `path`, or `default` when there is none (or it cannot be read)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default


@dataclass
class Run:
    """One run's folder and what ``run.json`` says of it."""

    folder: Path
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        """The run's id, also its folder's name."""
        return self.folder.name

    @property
    def state(self) -> str:
        """Where the run is: checked, problems, running, previewing, preview, done, failed..."""
        return str(self.data.get("state", ""))

    @property
    def created(self) -> datetime:
        """When the run was started."""
        return datetime.fromisoformat(self.data["created"])

    @property
    def output(self) -> Path:
        """The run's output folder, as ``--out`` would be."""
        return self.folder / "output"

    @property
    def roster(self) -> Path:
        """The roster last uploaded to the run."""
        return self.folder / "input" / str(self.data["roster_file"])

    @property
    def problems_workbook(self) -> Path:
        """The copy of the roster with its problems highlighted."""
        return self.folder / "problems.xlsx"

    def progress(self) -> dict[str, Any]:
        """How far the run's work has gone: ``done``, ``total`` and the file just written."""
        return dict(read_json(self.folder / "progress.json", {"done": 0, "total": 0, "name": ""}))

    def save(self, **changes: Any) -> None:
        """Change what ``run.json`` says and write it."""
        self.data.update(changes)
        write_json(self.folder / "run.json", self.data)


class Progress:
    """A progress callback for the library that saves the count, at most every 0.2 s."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.saved = -PROGRESS_EVERY_SECONDS

    def __call__(self, done: int, total: int, name: str) -> None:
        """Save that `done` of `total` are finished, `name` the last."""
        now = time.monotonic()
        if done == total or now - self.saved >= PROGRESS_EVERY_SECONDS:
            write_json(self.run.folder / "progress.json",
                       {"done": done, "total": total, "name": name})  # fmt: skip
            self.saved = now


class RunStore:
    """The runs under ``DATA/runs``, the council's own layouts, and the clearing of old runs."""

    def __init__(self, data: Path, keep_days: int) -> None:
        self.data = Path(data)
        self.keep = timedelta(days=keep_days)
        self.runs_dir = self.data / "runs"
        self.layouts_dir = self.data / "layouts"
        self.pending_dir = self.data / "pending-layouts"
        self.previews_dir = self.data / "previews"
        # Only the account docgen runs as may read what people upload and what is made.
        self.data.mkdir(mode=0o700, parents=True, exist_ok=True)
        for folder in (self.runs_dir, self.layouts_dir, self.pending_dir, self.previews_dir):
            folder.mkdir(mode=0o700, exist_ok=True)
        self._lock = threading.Lock()
        self._threads: dict[str, threading.Thread] = {}
        self._cleared: datetime | None = None
        self._mark_stopped()

    def own_layouts(self) -> Path | None:
        """The folder of layouts uploaded here, for `Options.templates_dir`; None while empty."""
        return self.layouts_dir if any(self.layouts_dir.glob("*.docx")) else None

    def new_run(self, kind: str, now: datetime, **data: Any) -> Run:
        """A new run with a private folder."""
        run_id = f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(4)}"
        folder = self.runs_dir / run_id
        (folder / "input").mkdir(parents=True)
        (folder / "output").mkdir()
        run = Run(folder, {"kind": kind, "created": now.isoformat(timespec="seconds"), **data})
        run.save()
        return run

    def get(self, run_id: str) -> Run | None:
        """The run `run_id`, or None when there is none (or the id is not one of ours)."""
        if not RUN_ID.fullmatch(run_id):
            return None
        folder = self.runs_dir / run_id
        data = read_json(folder / "run.json", None)
        return Run(folder, data) if isinstance(data, dict) else None

    def runs(self) -> list[Run]:
        """Every run, newest first."""
        found = (self.get(folder.name) for folder in sorted(self.runs_dir.iterdir(), reverse=True))
        return [run for run in found if run is not None]

    def start(self, run: Run, state: str, work: Callable[[Progress], None]) -> None:
        """Run `work` in a thread of its own, the run in `state` until it ends."""
        with self._lock:
            if run.id in self._threads and self._threads[run.id].is_alive():
                return
            write_json(run.folder / "progress.json", {"done": 0, "total": 0, "name": ""})
            run.save(state=state)
            thread = threading.Thread(
                target=work, args=(Progress(run),), name=f"docgen-run-{run.id}", daemon=True
            )
            self._threads[run.id] = thread
            thread.start()

    def wait(self, run: Run, seconds: float | None = None) -> None:
        """Wait for `run`'s work to end (for tests, and for stopping cleanly)."""
        thread = self._threads.get(run.id)
        if thread is not None:
            thread.join(seconds)

    def clear_old(self, now: datetime) -> list[str]:
        """Delete the runs older than the retention setting; the ids of those deleted.

        Runs still working are left until they end. Uploaded layouts never accepted go
        after a day.
        """
        self._cleared = now
        deleted = []
        for run in self.runs():
            if run.state in WORKING and self._alive(run):
                continue
            if now - run.created > self.keep:
                shutil.rmtree(run.folder, ignore_errors=True)
                deleted.append(run.id)
        for pending in self.pending_dir.iterdir():
            age = now.timestamp() - pending.stat().st_mtime
            if age > PENDING_LAYOUTS_KEPT.total_seconds():
                shutil.rmtree(pending, ignore_errors=True)
        return deleted

    def clear_if_due(self, now: datetime) -> None:
        """Clear old runs if an hour has passed since the last time."""
        if self._cleared is None or now - self._cleared >= CLEAR_EVERY:
            self.clear_old(now)

    def new_pending_layout(self) -> Path:
        """A private folder for an uploaded layout waiting to be checked and accepted."""
        folder = self.pending_dir / secrets.token_hex(8)
        folder.mkdir()
        return folder

    def pending_layout(self, pending_id: str) -> Path | None:
        """The folder of the uploaded layout `pending_id`, if there is one."""
        if not re.fullmatch(r"[0-9a-f]{16}", pending_id):
            return None
        folder = self.pending_dir / pending_id
        return folder if folder.is_dir() else None

    def _alive(self, run: Run) -> bool:
        thread = self._threads.get(run.id)
        return thread is not None and thread.is_alive()

    def _mark_stopped(self) -> None:
        """Runs left working by a server that stopped: say so, so they can be started again."""
        for run in self.runs():
            if run.state in WORKING:
                run.save(state="stopped", stopped_while=run.state)


def files_in(folder: Path) -> Iterator[Path]:
    """Every file below `folder`, in name order."""
    for root, _, names in sorted(os.walk(folder)):
        for name in sorted(names):
            yield Path(root) / name
