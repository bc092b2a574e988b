"""Renewing agreements: this year's roster against an earlier run, then the chosen ones made.

The new run starts from a copy of the earlier run's folder, so the earlier run stays as it
was; `docgen refresh --dry-run` says what is due, and `docgen refresh` makes the ones chosen.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for

from . import work
from .common import now, run_or_404, store, take_roster, uploaded, when
from .generate import (
    ROSTER_HINT,
    ROSTER_TYPES,
    installed_layouts,
    read_choices,
    render_run,
    start_preview,
)
from .store import WORKING, Run

blueprint = Blueprint("refresh", __name__)
DEFAULT_WITHIN_DAYS = "30"  # as `docgen refresh --within`


def _renewable() -> list[Run]:
    return [run for run in store().runs() if run.state == "done"]


def _form(errors: dict[str, str] | None = None, status: int = 200, **values: Any) -> Any:
    return render_template(
        "renew.html", title="Renew agreements for a new year", section="refresh.choose_run",
        runs=_renewable(), when=when, errors=errors or {}, hint=ROSTER_HINT,
        accept=ROSTER_TYPES, chosen=values.get("chosen", request.args.get("run", "")),
        within=values.get("within", DEFAULT_WITHIN_DAYS),
    ), status  # fmt: skip


@blueprint.get("/renew")
def choose_run() -> Any:
    """The page to choose an earlier run and upload this year's roster on."""
    return _form()


@blueprint.post("/renew")
def start_renewal() -> Any:
    """A new run from the earlier one's agreements and this year's roster; what is due."""
    errors = {}
    earlier = store().get(request.form.get("run", ""))
    if earlier is None or earlier.state != "done":
        errors["run"] = "Choose the run whose agreements you are renewing"
    within = request.form.get("within", "").strip()
    if not within.isdigit() or not 0 <= int(within) <= 3660:
        errors["within"] = "Enter a number of days from 0 to 3660, like 30"
    upload = request.files.get("roster")
    if upload is None or not uploaded(upload):
        errors["roster"] = "Select this year's roster"
    if errors or earlier is None or upload is None:
        return _form(errors, 400, chosen=request.form.get("run", ""), within=within)
    run = store().new_run("refresh", now(), base=earlier.id, within_days=int(within))
    work.copy_output(earlier, run)
    take_roster(run, upload)
    work.check(run, store().own_layouts())
    if run.state == "checked":
        start_preview(run)
    return redirect(url_for("generate.run_page", run_id=run.id))


@blueprint.post("/runs/<run_id>/renew")
def renew(run_id: str) -> Any:
    """Make the agreements chosen from what is due."""
    run = run_or_404(run_id)
    if run.data.get("kind") != "refresh" or run.state in WORKING or "preview" not in run.data:
        abort(409)
    due = {o["row"] for o in run.data["preview"]["outcomes"]
           if o["action"] in ("made", "replaced") and o["row"]}  # fmt: skip
    rows = {int(value) for value in request.form.getlist("rows") if value.isdigit()}
    choices, errors = read_choices(installed_layouts()[0])
    if not rows & due:
        errors["rows"] = "Choose at least one agreement to renew"
    if errors:
        return render_run(run, errors, 400)
    run.save(choices={**choices, "layout": run.data.get("choices", {}).get("layout", "")},
             chosen_rows=sorted(rows & due))  # fmt: skip
    own = store().own_layouts()
    chosen = rows & due
    store().start(run, "running",
                  lambda progress: work.run_refresh(run, own, chosen, progress))  # fmt: skip
    return redirect(url_for("generate.run_page", run_id=run.id))
