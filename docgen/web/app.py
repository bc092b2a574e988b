"""The web page's Flask application: settings, safety, and one blueprint per screen.

`create_app(settings)` builds it; ``docgen serve`` runs it under waitress. Every screen calls
the same library functions as the command line, so the page holds no rules of its own.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Flask, Response, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from .. import __version__
from ..errors import DocgenError
from .store import RunStore

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
# No inline script or style anywhere: every script and style sheet is a file of ours.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class ServeRefused(DocgenError):
    """The page would be reachable from other computers without a password."""

    def __init__(self, host: str) -> None:
        super().__init__(
            f"the web page would be open to other computers on {host} with no password. "
            "Set the environment variable DOCGEN_PASSWORD to a password or access token "
            "(long and random) and start it again, or serve on 127.0.0.1 (this computer only)"
        )


@dataclass(frozen=True)
class Settings:
    """How the web page runs.

    `data` holds the runs and uploaded layouts; runs older than `keep_days` days are
    deleted. `password` (a password or access token) is asked for before any page when
    set; it must be set when `host` is not this computer only. Uploads may be at most
    `max_upload_mb` megabytes.
    """

    data: Path
    host: str = "127.0.0.1"
    port: int = 8642
    keep_days: int = 30
    password: str | None = None
    max_upload_mb: int = 20

    def check(self) -> None:
        """Refuse to serve other computers without a password."""
        if self.host not in LOCAL_HOSTS and not self.password:
            raise ServeRefused(self.host)


def create_app(settings: Settings, **config: Any) -> Flask:
    """The application for `settings`; `config` overrides Flask's settings (for tests)."""
    settings.check()
    app = Flask(__name__, static_url_path="/static")
    store = RunStore(settings.data, settings.keep_days)
    app.config.update(
        SECRET_KEY=_secret_key(Path(settings.data)),
        MAX_CONTENT_LENGTH=settings.max_upload_mb * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,  # a form left open over lunch still works
        DOCGEN_SETTINGS=settings,
        DOCGEN_STORE=store,
    )
    if settings.host in LOCAL_HOSTS:
        # A page elsewhere cannot reach this one by pointing its own name at 127.0.0.1.
        app.config["TRUSTED_HOSTS"] = [*LOCAL_HOSTS, "[::1]"]
    app.config.update(config)
    CSRFProtect(app)
    # Jinja's capitalize lowers the rest ("changed from joe bloggs"); names keep their case.
    app.jinja_env.filters["sentence"] = lambda text: str(text)[:1].upper() + str(text)[1:]
    store.clear_old(_now())

    from . import generate, home, layouts, refresh, sign_in

    for module in (home, generate, refresh, layouts, sign_in):
        app.register_blueprint(module.blueprint)

    _guard(app, settings, store)
    _error_pages(app, settings)

    return app


def _guard(app: Flask, settings: Settings, store: RunStore) -> None:
    """The password, the security headers, the clearing of old runs, and what every page needs."""

    @app.before_request
    def _before() -> Response | None:
        store.clear_if_due(_now())
        if settings.password and not session.get("signed_in"):
            if request.endpoint not in ("sign_in.sign_in", "static"):
                return redirect(url_for("sign_in.sign_in", next=request.path))  # type: ignore[return-value]
        return None

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        if request.endpoint != "static":  # pages and downloads hold people's details
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.context_processor
    def _everywhere() -> dict[str, Any]:
        return {"version": __version__, "signed_in": bool(session.get("signed_in")),
                "keep_days": settings.keep_days, "errors": {}, "section": None}  # fmt: skip


def _error_pages(app: Flask, settings: Settings) -> None:
    """Pages for an expired form, a file too big and an address with nothing at it."""

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> tuple[str, int]:  # noqa: ARG001
        return render_template("error.html", title="This form had expired",
                               text="The page was open for too long, or was opened before "
                               "docgen was restarted. Go back, reload the page and try "
                               "again."), 400  # fmt: skip

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(error: RequestEntityTooLarge) -> tuple[str, int]:  # noqa: ARG001
        return render_template("error.html", title="The file is too big",
                               text=f"Files sent to docgen may be at most "
                               f"{settings.max_upload_mb} MB. Go back and choose a smaller "
                               "file."), 413  # fmt: skip

    @app.errorhandler(404)
    def _not_found(error: HTTPException) -> tuple[str, int]:  # noqa: ARG001
        return render_template("error.html", title="Page not found",
                               text="There is nothing at this address. Runs are deleted "
                               f"{settings.keep_days} days after they are made."), 404  # fmt: skip


def password_matches(settings: Settings, given: str) -> bool:
    """Whether `given` is the password, compared in constant time."""
    return bool(settings.password) and hmac.compare_digest(
        given.encode("utf-8"), (settings.password or "").encode("utf-8")
    )


def _secret_key(data: Path) -> str:
    """The key that signs sessions, kept in the data folder so a restart signs no one out."""
    data.mkdir(parents=True, exist_ok=True)
    path = data / "secret-key"
    if not path.exists():
        path.write_text(secrets.token_hex(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def _now() -> datetime:
    return datetime.now()  # noqa: DTZ005 - runs are dated in local time, as staff see them
