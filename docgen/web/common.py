"""What every screen uses: the runs store, the clock, and taking in an uploaded roster."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from flask import abort, current_app
from werkzeug.datastructures import FileStorage

from ..pdf import find_libreoffice
from ..schedule import long_date
from .app import Settings
from .store import Run, RunStore, safe_upload_name

ACTION_TAGS = {  # how each of the library's outcomes shows on the page: (words, colour)
    "made": ("Made", "green"),
    "replaced": ("Replaced", "blue"),
    "up to date": ("Up to date", "grey"),
    "edited": ("Edited in Word", "grey"),
    "edited, not replaced": ("Not replaced: edited in Word", "orange"),
    "left": ("Left the roster", "yellow"),
    "failed": ("Not written", "red"),
}


def store() -> RunStore:
    """The runs store of the running application."""
    return cast(RunStore, current_app.config["DOCGEN_STORE"])


def settings() -> Settings:
    """The running application's settings."""
    return cast(Settings, current_app.config["DOCGEN_SETTINGS"])


def now() -> datetime:
    """The local time, as staff read it."""
    return datetime.now()  # noqa: DTZ005


def run_or_404(run_id: str) -> Run:
    """The run `run_id`, or a 404 page."""
    run = store().get(run_id)
    if run is None:
        abort(404)
    return run


def uploaded(upload: FileStorage | None) -> bool:
    """Whether the form's file field holds a file."""
    return upload is not None and bool(upload.filename)


def take_roster(run: Run, upload: FileStorage) -> None:
    """Save `upload` as `run`'s roster, under a safe name in the run's own folder."""
    name = safe_upload_name(upload.filename or "", "roster")
    for old in (run.folder / "input").iterdir():
        old.unlink()
    upload.save(run.folder / "input" / name)
    run.save(roster_file=name, roster_name=upload.filename or name)


def when(text: str) -> str:
    """An ISO time as the pages show it: ``Monday 23 November 2026 at 09:15``."""
    moment = datetime.fromisoformat(text)
    return f"{long_date(moment.date())} at {moment:%H:%M}"


def pdf_possible() -> bool:
    """Whether PDFs can be offered (LibreOffice is installed)."""
    return find_libreoffice() is not None
