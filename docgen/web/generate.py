"""Making agreements: upload a roster, see its problems, choose, generate, download.

Each view takes the form, calls the library through `work` (in a thread for the long part)
and shows a template; the run's folder and ``run.json`` carry everything between requests.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, jsonify, redirect, render_template, request, send_file, url_for
from werkzeug.wrappers import Response

from ..errors import DocgenError
from ..templates import Layout, load_catalogue
from . import work
from .common import (
    ACTION_TAGS,
    now,
    pdf_possible,
    run_or_404,
    store,
    take_roster,
    uploaded,
    when,
)
from .store import WORKING, Run

blueprint = Blueprint("generate", __name__)
ROSTER_HINT = "An Excel workbook (.xlsx) or a CSV file, one row per supervisor and supervisee."
ROSTER_TYPES = ".xlsx,.xlsm,.csv,.txt"
NO_FILE = "Select your roster"


@blueprint.get("/runs/new")
def new_run() -> str:
    """The page to upload a roster on."""
    return render_template("new_run.html", title="Upload your roster", section="generate.new_run",
                           hint=ROSTER_HINT, accept=ROSTER_TYPES)  # fmt: skip


@blueprint.post("/runs/new")
def upload_roster() -> Response | tuple[str, int]:
    """Take the roster into a new run and check it."""
    upload = request.files.get("roster")
    if upload is None or not uploaded(upload):
        return render_template("new_run.html", title="Upload your roster",
                               section="generate.new_run", hint=ROSTER_HINT, accept=ROSTER_TYPES,
                               errors={"roster": NO_FILE}), 400  # fmt: skip
    run = store().new_run("generate", now())
    take_roster(run, upload)
    work.check(run, store().own_layouts())
    return redirect(url_for("generate.run_page", run_id=run.id))


@blueprint.get("/runs")
def runs() -> str:
    """Every earlier run, newest first."""
    return render_template("runs.html", title="Earlier runs", section="generate.runs",
                           runs=store().runs(), when=when)  # fmt: skip


@blueprint.get("/runs/<run_id>")
def run_page(run_id: str) -> tuple[str, int]:
    """A run: its steps, its problems, its choices, its progress or what it made."""
    run = run_or_404(run_id)
    return render_run(run)


def render_run(
    run: Run, errors: dict[str, str] | None = None, status: int = 200
) -> tuple[str, int]:
    """The run's page, with `errors` against its form fields."""
    layouts, layout_error = installed_layouts()
    return render_template(
        "run.html", title=page_title(run), run=run, layouts=layouts, layout_error=layout_error,
        pdf_possible=pdf_possible(), progress=progress_text(run), tags=ACTION_TAGS, when=when,
        errors=errors or {}, hint=ROSTER_HINT, accept=ROSTER_TYPES,
        section="refresh.choose_run" if run.data.get("kind") == "refresh" else "generate.new_run",
    ), status  # fmt: skip


def installed_layouts() -> tuple[list[Layout], str]:
    """Docgen's layouts and those uploaded here; an error's sentence if they cannot be read."""
    try:
        return list(load_catalogue(store().own_layouts())), ""
    except DocgenError as error:
        return [], str(error)


def page_title(run: Run) -> str:
    """The run page's heading, saying where the run is."""
    return {
        "problems": "Your roster has problems",
        "unreadable": "Your roster could not be read",
        "checked": "Choose what to make",
        "running": "Making your agreements",
        "previewing": "Working out what is due",
        "preview": "Choose which agreements to renew",
        "done": "Your agreements are ready",
        "failed": "The run stopped",
        "stopped": "The run was interrupted",
    }.get(run.state, "Your run")


def progress_text(run: Run, count: dict[str, Any] | None = None) -> str:
    """How far the run's work has gone, in words (from `count`, else as last saved)."""
    count = count if count is not None else run.progress()
    done, total, name = int(count["done"]), int(count["total"]), str(count["name"])
    if run.state == "previewing":
        return f"Checked {done} of {total} agreements" if total else "Reading the roster"
    if not total:
        return "Reading and checking the roster"
    if name.endswith(".pdf"):
        return f"Made {done} of {total} PDFs"
    return f"Written {done} of {total} agreements"


@blueprint.post("/runs/<run_id>/roster")
def replace_roster(run_id: str) -> Any:
    """A corrected roster for the same run, checked again."""
    run = run_or_404(run_id)
    if run.state in WORKING:
        abort(409)
    upload = request.files.get("roster")
    if upload is None or not uploaded(upload):
        return render_run(run, {"roster": "Select your corrected roster"}, 400)
    take_roster(run, upload)
    work.check(run, store().own_layouts())
    if run.data.get("kind") == "refresh" and run.state == "checked":
        start_preview(run)
    return redirect(url_for("generate.run_page", run_id=run.id))


def read_choices(layouts: list[Layout]) -> tuple[dict[str, Any], dict[str, str]]:
    """The layout and extras chosen on the form, and an error for a layout not offered."""
    layout = request.form.get("layout", "")
    errors = {}
    if layout and layout not in {item.key for item in layouts}:
        errors["layout"] = "Choose one of the layouts listed"
    choices = {
        "layout": layout,
        "calendars": request.form.get("calendars") == "yes",
        "pdf": request.form.get("pdf") == "yes" and pdf_possible(),
        "combine": request.form.get("combine") == "yes",
        "valid_rows_only": request.form.get("valid_rows_only") == "yes",
    }
    return choices, errors


@blueprint.post("/runs/<run_id>/generate")
def start_generate(run_id: str) -> Any:
    """Start making the agreements, with the choices on the form."""
    run = run_or_404(run_id)
    if run.state in WORKING or run.data.get("kind") != "generate":
        abort(409)
    if run.state not in ("checked", "problems", "done", "failed", "stopped"):
        abort(409)
    choices, errors = read_choices(installed_layouts()[0])
    if errors:
        return render_run(run, errors, 400)
    run.save(choices=choices)
    own = store().own_layouts()
    store().start(run, "running", lambda progress: work.run_generate(run, own, progress))
    return redirect(url_for("generate.run_page", run_id=run.id))


@blueprint.get("/runs/<run_id>/progress.json")
def progress(run_id: str) -> Response:
    """How far the run has got, for the page to show without reloading."""
    run = run_or_404(run_id)
    count = run.progress()  # read once: the words and the numbers say the same
    return jsonify(state=run.state, working=run.state in WORKING,
                   text=progress_text(run, count), **count)  # fmt: skip


@blueprint.get("/runs/<run_id>/files/<path:name>")
def download(run_id: str, name: str) -> Response:
    """A file the run made (an agreement, its PDF, the manifest, the zip...)."""
    run = run_or_404(run_id)
    folder = run.output.resolve()
    path = (folder / name).resolve()
    # Only files inside the run's own output folder, never a path that climbs out of it.
    if not path.is_relative_to(folder) or not path.is_file() or path.name.startswith("."):
        abort(404)
    return send_file(path, as_attachment=True, download_name=path.name)


@blueprint.get("/runs/<run_id>/problems.xlsx")
def problems_workbook(run_id: str) -> Response:
    """The copy of the roster with each problem cell highlighted."""
    run = run_or_404(run_id)
    if not run.problems_workbook.is_file():
        abort(404)
    stem = run.roster.stem
    return send_file(run.problems_workbook, as_attachment=True,
                     download_name=f"{stem} - problems.xlsx")  # fmt: skip


def start_preview(run: Run) -> None:
    """Work out, in the background, which agreements a renewal would make."""
    own = store().own_layouts()
    store().start(run, "previewing", lambda progress: work.run_refresh_preview(run, own, progress))
