"""Signing in with the password or access token the operator set (off this computer only)."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from .app import password_matches
from .common import settings

blueprint = Blueprint("sign_in", __name__)


@blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> str | Response | tuple[str, int]:
    """Ask for the password; on the right one, go on to the page asked for."""
    if request.method == "GET":
        return render_template("sign_in.html", title="Sign in")
    if not password_matches(settings(), request.form.get("password", "")):
        errors = {"password": "Enter the password or access token your IT team gave you"}
        return render_template("sign_in.html", title="Sign in", errors=errors), 400
    session.clear()
    session["signed_in"] = True
    target = request.args.get("next", "")
    # Only a path on this site: never a page elsewhere (//evil.example or https://...).
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        target = url_for("home.home")
    return redirect(target)


@blueprint.post("/sign-out")
def sign_out() -> Response:
    """Forget the sign-in."""
    session.clear()
    return redirect(url_for("sign_in.sign_in"))
