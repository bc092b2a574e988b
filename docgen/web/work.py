"""What a run's thread does: call the library, and save what came of it in ``run.json``.

Each function here is the web page's `docgen generate`, `docgen refresh` or `docgen
validate`: the same library calls, with the outcome kept as plain data for the pages.
"""

from __future__ import annotations

import dataclasses
import logging
import shutil
from collections.abc import Collection
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import DocgenError, Problem, RosterProblems
from ..pipeline import Extras, Options, Result, check_roster, generate, refresh
from ..workbooks import write_problem_report
from .store import Progress, Run

log = logging.getLogger(__name__)


def options_for(run: Run, own_layouts: Path | None) -> Options:
    """The library's options for `run`: its chosen layout, and the layouts uploaded here."""
    return Options(template=run.data.get("choices", {}).get("layout") or None,
                   templates_dir=own_layouts)  # fmt: skip


def extras_for(run: Run) -> Extras:
    """The extras the person chose; always the one zip, which the page offers to download."""
    choices = run.data.get("choices", {})
    return Extras(calendars=bool(choices.get("calendars")), pdf=bool(choices.get("pdf")),
                  combine=bool(choices.get("combine")), bundle=True)  # fmt: skip


def check(run: Run, own_layouts: Path | None) -> None:
    """Check the run's roster (`docgen validate --report`) and save its problems."""
    try:
        checked = check_roster(run.roster, options_for(run, own_layouts))
    except DocgenError as error:
        run.save(state="unreadable", error=message(error, run), problems=[])
        return
    problems = [problem_data(p) for p in checked.problems]
    run.problems_workbook.unlink(missing_ok=True)
    if checked.problems:
        try:
            write_problem_report(run.roster, checked.problems, run.problems_workbook)
        except DocgenError as error:  # the list on the page is what matters
            log.warning("no problems workbook for run %s: %s", run.id, error)
    state = "problems" if checked.errors else "checked"
    run.save(state=state, problems=problems, error="", rows_ready=len(checked.records))


def run_generate(run: Run, own_layouts: Path | None, progress: Progress) -> None:
    """`docgen generate --zip` into the run's output folder, saving what it did."""
    choices = run.data.get("choices", {})
    _carry_out(run, lambda: generate(
        run.roster, run.output, options_for(run, own_layouts),
        valid_rows_only=bool(choices.get("valid_rows_only")), extras=extras_for(run),
        progress=progress,
    ))  # fmt: skip


def run_refresh_preview(run: Run, own_layouts: Path | None, progress: Progress) -> None:
    """`docgen refresh --dry-run`: what is due, saved for the person to choose from."""
    choices = run.data.get("choices", {})
    try:
        result = refresh(
            run.roster, run.output, options_for(run, own_layouts),
            within_days=int(run.data.get("within_days", 30)),
            valid_rows_only=bool(choices.get("valid_rows_only")), dry_run=True,
            progress=progress,
        )  # fmt: skip
    except BaseException as error:  # noqa: BLE001 - every ending is saved for the page
        _failed(run, error)
        return
    run.save(state="preview", preview=result_data(result, run.output), error="")


def run_refresh(
    run: Run, own_layouts: Path | None, rows: Collection[int], progress: Progress
) -> None:
    """`docgen refresh --zip` for the rows the person chose, saving what it did."""
    choices = run.data.get("choices", {})
    _carry_out(run, lambda: refresh(
        run.roster, run.output, options_for(run, own_layouts),
        within_days=int(run.data.get("within_days", 30)),
        valid_rows_only=bool(choices.get("valid_rows_only")), extras=extras_for(run),
        progress=progress, rows=rows,
    ))  # fmt: skip


def copy_output(earlier: Run, run: Run) -> None:
    """Start `run`'s output folder as a copy of `earlier`'s, for a refresh against it."""
    shutil.copytree(earlier.output, run.output, dirs_exist_ok=True)


def _carry_out(run: Run, work: Any) -> None:
    try:
        result = work()
    except BaseException as error:  # noqa: BLE001 - every ending is saved for the page
        _failed(run, error)
        return
    run.save(state="done", result=result_data(result, run.output), error="",
             finished=datetime.now().isoformat(timespec="seconds"))  # noqa: DTZ005  # fmt: skip


def _failed(run: Run, error: BaseException) -> None:
    if isinstance(error, RosterProblems):
        run.save(state="problems", problems=[problem_data(p) for p in error.problems], error="")
    elif isinstance(error, DocgenError):
        run.save(state="failed", error=message(error, run))
    else:
        log.exception("fault in docgen itself in run %s", run.id, exc_info=error)
        run.save(state="failed", error=(
            f"docgen stopped because of a fault in docgen itself ({type(error).__name__}). "
            "Nothing you did caused it; please report it, with the roster you used."
        ))  # fmt: skip


def message(error: DocgenError, run: Run) -> str:
    """The error's sentence, naming the roster as the person named it, not our folder."""
    text = str(error).replace(str(run.roster), str(run.data.get("roster_name", "the roster")))
    return text.replace(str(run.output), "the run's folder")


def problem_data(problem: Problem) -> dict[str, Any]:
    """A problem as plain data for ``run.json``."""
    return dataclasses.asdict(problem)


def result_data(result: Result, out: Path) -> dict[str, Any]:
    """What a run did, as plain data: files relative to its output folder."""

    def relative(path: Path | None) -> str:
        if path is None:
            return ""
        try:
            return path.relative_to(out).as_posix()
        except ValueError:
            return ""

    return {
        "outcomes": [
            {"action": o.action, "supervisee": o.supervisee, "supervisor": o.supervisor,
             "staff_id": o.staff_id, "file": relative(o.file), "reason": o.reason,
             "superseded_as": relative(o.superseded_as), "row": o.row,
             "pdf": relative(o.file.with_suffix(".pdf")) if o.file.with_suffix(".pdf").exists()
             else "",
             "ics": relative(o.file.with_suffix(".ics")) if o.file.with_suffix(".ics").exists()
             else ""}
            for o in result.outcomes
        ],
        "warnings": [problem_data(p) for p in result.warnings],
        "layout_warnings": list(result.layout_warnings),
        "schedule_notes": list(result.schedule_notes),
        "skipped_rows": list(result.skipped_rows),
        "pdf_failed": [[relative(p), why] for p, why in result.pdf_failed],
        "pdfs": len(result.pdfs),
        "calendars": len(result.calendars),
        "combined": relative(result.combined),
        "bundle": relative(result.bundle),
        "manifest": relative(result.manifest.path) if result.manifest and result.manifest.path
        else "",
        "report": relative(result.report),
        "seconds": round(result.seconds, 1),
    }  # fmt: skip
