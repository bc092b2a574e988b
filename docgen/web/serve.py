"""``docgen serve``: the web page under waitress, a production server, with the browser opened."""

from __future__ import annotations

import os
import sys
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path

from .app import Settings, create_app

SERVER_THREADS = 8  # requests at once; the long work runs in threads of its own


def default_data_dir() -> Path:
    """Where runs are kept unless ``--data`` says otherwise: the user's own program data."""
    if sys.platform == "win32":  # pragma: no cover - Windows
        return Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local")) / "docgen"
    return Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "docgen"


def address(settings: Settings) -> str:
    """The page's address, for people to open."""
    host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(settings.host, settings.host)  # noqa: S104
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{settings.port}/"


def serve(settings: Settings, *, open_browser: bool, say: Callable[[str], None]) -> None:
    """Serve the page until Ctrl+C, opening it in the browser first when `open_browser`."""
    from waitress import serve as waitress_serve

    app = create_app(settings)
    url = address(settings)
    say(f"docgen's web page is at {url} (runs kept in {settings.data} for "
        f"{settings.keep_days} days). Press Ctrl+C to stop it.")  # fmt: skip
    if open_browser:
        threading.Timer(1.0, webbrowser.open, [url]).start()
    try:
        waitress_serve(app, host=settings.host, port=settings.port, threads=SERVER_THREADS,
                       ident="docgen")  # fmt: skip
    except KeyboardInterrupt:
        say("Stopped the web page. A run that was still working shows as interrupted when "
            "docgen serve starts again; start it again from its page.")  # fmt: skip
