"""The start page: what docgen does here, and the latest runs."""

from __future__ import annotations

from flask import Blueprint, render_template

from .common import ACTION_TAGS, store, when

blueprint = Blueprint("home", __name__)


@blueprint.get("/")
def home() -> str:
    """The start page."""
    return render_template("home.html", title="Make supervision agreements",
                           runs=store().runs()[:5], when=when, tags=ACTION_TAGS)  # fmt: skip
