"""The layouts: what each needs, a picture of its first page, the starter roster, and new ones.

A new layout (its .docx and .toml) waits in a private folder until the template check has
found no errors and the person chooses to use it; it then joins the layouts every run uses.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    abort,
    after_this_request,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from werkzeug.wrappers import Response

from ..errors import DocgenError
from ..preview import PreviewUnavailable, can_preview, first_page_image
from ..template_check import check_template
from ..templates import shipped_templates_dir
from ..workbooks import new_roster, write_example
from .common import store
from .generate import installed_layouts
from .store import LAYOUT_NAME, read_json, write_json

blueprint = Blueprint("layouts", __name__)


@blueprint.get("/layouts")
def layouts() -> str:
    """The installed layouts and what each needs."""
    found, error = installed_layouts()
    own = store().own_layouts()
    return render_template("layouts.html", title="Layouts", section="layouts.layouts",
                           layouts=found, layout_error=error,
                           own={p.stem.casefold() for p in own.glob("*.docx")} if own else set(),
                           )  # fmt: skip


@blueprint.get("/layouts/<key>")
def layout(key: str) -> str:
    """One layout: its details and a picture of its first page."""
    found = {item.key: item for item in installed_layouts()[0]}
    if key not in found:
        abort(404)
    return render_template("layout.html", title=found[key].name, section="layouts.layouts",
                           layout=found[key], needs=found[key].needed_columns(),
                           can_preview=can_preview())  # fmt: skip


@blueprint.get("/layouts/<key>/preview.png")
def preview(key: str) -> Response:
    """The first page of a layout filled in with sample values (made once, then kept)."""
    found = {item.key: item for item in installed_layouts()[0]}
    if key not in found:
        abort(404)
    item = found[key]
    digest = hashlib.sha256(item.docx.read_bytes() + item.metadata.read_bytes()).hexdigest()
    image = store().previews_dir / f"{digest[:32]}.png"
    if not image.exists():
        try:
            first_page_image(item, image)
        except (PreviewUnavailable, DocgenError):
            abort(404)
    return send_file(image, mimetype="image/png")


@blueprint.get("/starter-roster.xlsx")
def starter_roster() -> Response:
    """A blank roster to fill in Excel, offering every layout installed here."""
    return _temporary_download("Roster.xlsx", lambda path: new_roster(path, store().own_layouts()))


@blueprint.get("/example-roster.xlsx")
def example_roster() -> Response:
    """Docgen's example roster, to try it on."""
    return _temporary_download("Example roster.xlsx", write_example)


def _temporary_download(name: str, write: Any) -> Response:
    folder = Path(tempfile.mkdtemp(prefix="docgen-download-"))

    @after_this_request
    def _tidy(response: Response) -> Response:
        response.call_on_close(lambda: shutil.rmtree(folder, ignore_errors=True))
        return response

    path = folder / name
    write(path)
    return send_file(path, as_attachment=True, download_name=name)


def _upload_form(errors: dict[str, str] | None = None, status: int = 200) -> Any:
    return render_template("layout_new.html", title="Add a layout", section="layouts.layouts",
                           errors=errors or {}), status  # fmt: skip


@blueprint.get("/layouts/new")
def new_layout() -> Any:
    """The page to upload a council's own layout on."""
    return _upload_form()


@blueprint.post("/layouts/new")
def upload_layout() -> Any:
    """Keep the uploaded layout aside and check it."""
    docx, toml = request.files.get("docx"), request.files.get("toml")
    errors = {}
    docx_name = Path(docx.filename or "") if docx is not None else Path()
    toml_name = Path(toml.filename or "") if toml is not None else Path()
    if docx is None or not docx.filename:
        errors["docx"] = "Select the layout's Word file (.docx)"
    elif docx_name.suffix.casefold() != ".docx":
        errors["docx"] = "The layout must be a Word file ending .docx"
    elif not LAYOUT_NAME.fullmatch(docx_name.stem):
        errors["docx"] = (
            "Name the Word file with letters, digits, - and _ only (like leeds.docx): its "
            "name is what the roster's Layout column says"
        )
    if toml is None or not toml.filename:
        errors["toml"] = "Select the layout's settings file (.toml)"
    elif toml_name.suffix.casefold() != ".toml":
        errors["toml"] = "The settings file must end .toml (Notepad may have added .txt)"
    if errors or docx is None or toml is None:
        return _upload_form(errors, 400)
    folder = store().new_pending_layout()
    key = docx_name.stem.casefold()
    docx.save(folder / f"{key}.docx")
    toml.save(folder / f"{key}.toml")
    findings = check_template(folder / f"{key}.docx")
    write_json(folder / "findings.json", {
        "key": key, "file_name": docx_name.name,
        "findings": [{"severity": f.severity, "message": f.message, "paragraph": f.paragraph}
                     for f in findings],
    })  # fmt: skip
    return redirect(url_for("layouts.pending", pending_id=folder.name))


@blueprint.get("/layouts/pending/<pending_id>")
def pending(pending_id: str) -> str:
    """The template check's findings for an uploaded layout."""
    folder = store().pending_layout(pending_id)
    if folder is None:
        abort(404)
    data = read_json(folder / "findings.json", {})
    errors = [f for f in data.get("findings", []) if f["severity"] == "error"]
    shipped = (shipped_templates_dir() / f"{data.get('key')}.docx").exists()
    return render_template("layout_pending.html", title="Check your layout",
                           section="layouts.layouts", data=data, pending_id=pending_id,
                           has_errors=bool(errors), replaces_shipped=shipped)  # fmt: skip


@blueprint.post("/layouts/pending/<pending_id>/use")
def use_layout(pending_id: str) -> Response:
    """Add a checked layout to the ones every run uses."""
    folder = store().pending_layout(pending_id)
    if folder is None:
        abort(404)
    data = read_json(folder / "findings.json", {})
    if any(f["severity"] == "error" for f in data.get("findings", [])):
        abort(409)
    key = str(data["key"])
    for suffix in (".docx", ".toml"):
        shutil.copyfile(folder / f"{key}{suffix}", store().layouts_dir / f"{key}{suffix}")
    shutil.rmtree(folder, ignore_errors=True)
    return redirect(url_for("layouts.layout", key=key, added="1"))
