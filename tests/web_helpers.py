"""Helpers for the web page's tests: an app on a private data folder, forms with their token."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from docgen.web import Settings, create_app


class BufferedClient(FlaskClient):
    """A test client that reads each response whole, so no downloaded file is left open."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)


def make_app(data: Path, **settings: Any) -> Flask:
    app = create_app(Settings(data=data, **settings))
    app.test_client_class = BufferedClient
    return app


def token(client: FlaskClient, path: str = "/runs/new") -> str:
    """The CSRF token a page's forms carry, as a browser would read it."""
    page = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, f"no form token on {path}"
    return found.group(1)


def upload(client: FlaskClient, path: str, files: dict[str, Path], **fields: Any) -> Any:
    """POST `files` (field: file) and `fields` as a browser's multipart form, with the token."""
    data: dict[str, Any] = {"csrf_token": token(client), **fields}
    handles = []
    for field, file in files.items():
        handle = file.open("rb")
        handles.append(handle)
        data[field] = (handle, file.name)
    try:
        return client.post(path, data=data, content_type="multipart/form-data")
    finally:
        for handle in handles:
            handle.close()


def post(client: FlaskClient, path: str, **fields: Any) -> Any:
    """POST an ordinary form, with the token."""
    return client.post(path, data={"csrf_token": token(client), **fields})


def run_id(response: Any) -> str:
    """The run a redirect leads to."""
    location = response.headers["Location"]
    found = re.search(r"/runs/([0-9a-f-]+)$", location)
    assert found, location
    return found.group(1)


def finish(app: Flask, run: str) -> None:
    """Wait for the run's work to end."""
    store = app.config["DOCGEN_STORE"]
    store.wait(store.get(run), 120)


def text_of(html: str) -> str:
    """A page's words as a person reads them: tags taken out, spaces collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
