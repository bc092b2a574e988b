"""The web page's safety: headers, forms' tokens, sizes, names, escaping, passwords, serving."""

from __future__ import annotations

import re
import stat
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from docgen.web import ServeRefused, Settings, create_app
from docgen.web.store import safe_upload_name

from .conftest import row, run_cli, write_roster
from .web_helpers import finish, make_app, post, run_id, text_of, token, upload

SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(2)>'
FILE_NAME = "<img src=x onerror=alert(3)>.xlsx"  # browsers send a " in a file name as %22


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    return make_app(tmp_path / "data")


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def test_every_response_carries_the_security_headers(client: FlaskClient) -> None:
    for path in ("/", "/runs/new", "/no-such-page", "/static/docgen.css"):
        headers = client.get(path).headers
        policy = headers["Content-Security-Policy"]
        assert "script-src 'self';" in policy and "default-src 'self';" in policy
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
    assert client.get("/").headers["Cache-Control"] == "no-store"


def _pages(app: Flask, client: FlaskClient, tmp_path: Path) -> dict[str, str]:
    """Every page a person can reach, in each of its states."""
    bad = write_roster(tmp_path / "bad.xlsx", [row(Start_date="31/02/2026")])
    good = write_roster(tmp_path / "good.xlsx", [row(Start_date=datetime(2026, 3, 2))])
    problems = run_id(upload(client, "/runs/new", {"roster": bad}))
    done = run_id(upload(client, "/runs/new", {"roster": good}))
    checked = run_id(upload(client, "/runs/new", {"roster": good}))
    post(client, f"/runs/{done}/generate")
    finish(app, done)
    renewal = run_id(upload(client, "/renew", {"roster": good}, run=done, within="30"))
    finish(app, renewal)
    paths = ["/", "/runs/new", "/runs", f"/runs/{problems}", f"/runs/{checked}",
             f"/runs/{done}", f"/runs/{renewal}", "/renew", "/layouts", "/layouts/sefton",
             "/layouts/new", "/sign-in", "/no-such-page"]  # fmt: skip
    return {path: client.get(path).get_data(as_text=True) for path in paths}


def test_no_page_has_inline_script_or_style(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    for path, html in _pages(app, client, tmp_path).items():
        assert re.findall(r"<script(?![^>]*\ssrc=)[^>]*>", html) == [], path
        assert re.findall(r"\son[a-z]+\s*=", html) == [], path
        assert re.findall(r"\sstyle\s*=|<style", html) == [], path
        assert "javascript:" not in html, path


@pytest.mark.parametrize("path", [
    "/runs/new", "/runs/{run}/roster", "/runs/{run}/generate", "/renew", "/runs/{run}/renew",
    "/layouts/new", "/layouts/pending/0123456789abcdef/use", "/sign-in", "/sign-out",
])  # fmt: skip
def test_every_form_needs_its_token(client: FlaskClient, tmp_path: Path, path: str) -> None:
    run = run_id(upload(client, "/runs/new", {"roster": write_roster(
        tmp_path / "r.xlsx", [row(Start_date=datetime(2026, 3, 2))])}))  # fmt: skip
    for data in ({}, {"csrf_token": "forged"}):
        response = client.post(path.format(run=run), data=data)
        assert response.status_code == 400, path
        assert "This form had expired" in response.get_data(as_text=True)
    # A token from another session is refused too.
    other = create_app(Settings(data=tmp_path / "data")).test_client()
    stolen = token(other)
    assert client.post(path.format(run=run), data={"csrf_token": stolen}).status_code == 400


def test_an_upload_past_the_limit_is_refused(tmp_path: Path) -> None:
    client = make_app(tmp_path / "data", max_upload_mb=1).test_client()
    # The form written out whole: the test client would spool so big a file to a temporary
    # file of its own, which it never closes.
    boundary = "docgen-boundary"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
            f"{token(client)}\r\n--{boundary}\r\nContent-Disposition: form-data; "
            f'name="roster"; filename="big.xlsx"\r\n\r\n').encode()  # fmt: skip
    body += b"x" * (1024 * 1024 + 1) + f"\r\n--{boundary}--\r\n".encode()
    response = client.post(
        "/runs/new", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 413
    assert "Files sent to docgen may be at most 1 MB" in text_of(response.get_data(as_text=True))
    assert list((tmp_path / "data" / "runs").iterdir()) == []


def test_a_roster_of_hostile_names_is_shown_as_text(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    roster = write_roster(tmp_path / FILE_NAME, [
        row(Supervisee=SCRIPT, Supervisor=IMAGE, Start_date=datetime(2026, 3, 2)),
        row(Supervisee=IMAGE, Supervisor="Joe Bloggs", Start_date=datetime(2026, 3, 2)),
        row(Supervisee="Cara Dunn", Start_date=f"{SCRIPT} {IMAGE}"),
    ])  # fmt: skip
    run = run_id(upload(client, "/runs/new", {"roster": roster}))
    pages = [client.get(f"/runs/{run}").get_data(as_text=True)]
    post(client, f"/runs/{run}/generate", valid_rows_only="yes")
    finish(app, run)
    pages += [client.get(path).get_data(as_text=True) for path in (f"/runs/{run}", "/runs", "/")]
    for html in pages:
        assert "<script>alert" not in html and "<img src=x" not in html
    assert FILE_NAME in text_of(pages[2])  # the roster's name, in the list of runs
    problems, done = text_of(pages[0]), text_of(pages[1])
    assert f"{SCRIPT} {IMAGE}" in problems  # the bad date, quoted as typed
    assert "Made 2 agreements." in done and SCRIPT in done and IMAGE in done
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[1]


def test_uploaded_names_never_reach_a_path(client: FlaskClient, tmp_path: Path) -> None:
    roster = write_roster(tmp_path / "r.xlsx", [row(Start_date=datetime(2026, 3, 2))])
    with roster.open("rb") as handle:
        sent = {"csrf_token": token(client), "roster": (handle, "../../../../outside.xlsx")}
        response = client.post("/runs/new", content_type="multipart/form-data", data=sent)
    run = run_id(response)
    saved = list((tmp_path / "data" / "runs" / run / "input").iterdir())
    assert [p.name for p in saved] == ["outside.xlsx"]
    assert not (tmp_path / "outside.xlsx").exists()
    assert "Choose what to make" in text_of(client.get(f"/runs/{run}").get_data(as_text=True))


@pytest.mark.parametrize(("sent", "kept"), [
    ("../../etc/passwd", "etc_passwd"),
    ("..\\..\\Windows\\roster.xlsx", "Windows_roster.xlsx"),
    ("/absolute/roster.CSV", "absolute_roster.csv"),
    (".hidden.xlsx", "hidden.xlsx"),
    ("", "roster"),
    ("....", "roster"),
    ("Rôster 2026 (final).xlsx", "Roster_2026_final.xlsx"),
    ("roster.xlsx\x00.exe", "roster.xlsx.exe"),
    ("a" * 300 + ".xlsx", "a" * 80 + ".xlsx"),
])  # fmt: skip
def test_a_sent_file_name_is_cut_to_a_safe_one(sent: str, kept: str) -> None:
    assert safe_upload_name(sent, "roster") == kept


@pytest.mark.usefixtures("app")
def test_runs_are_kept_in_a_folder_only_docgen_can_read(tmp_path: Path) -> None:
    for folder in (tmp_path / "data", tmp_path / "data" / "runs"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_it_will_not_serve_other_computers_without_a_password(tmp_path: Path) -> None:
    with pytest.raises(ServeRefused, match="DOCGEN_PASSWORD"):
        create_app(Settings(data=tmp_path, host="0.0.0.0"))  # noqa: S104
    create_app(Settings(data=tmp_path, host="0.0.0.0", password="correct horse"))  # noqa: S104


def test_the_password_is_asked_for_before_any_page(tmp_path: Path) -> None:
    client = make_app(tmp_path / "data", host="0.0.0.0", password="correct horse").test_client()
    response = client.get("/runs")
    assert response.status_code == 302 and response.headers["Location"] == "/sign-in?next=/runs"
    assert client.get("/static/docgen.css").status_code == 200
    wrong = client.post("/sign-in?next=/runs", data={"csrf_token": token(client, "/sign-in"),
                                                     "password": "wrong"})  # fmt: skip
    assert wrong.status_code == 400
    assert ('<a href="#password">Enter the password or access token your IT team gave you</a>'
            in wrong.get_data(as_text=True))  # fmt: skip
    right = client.post("/sign-in?next=/runs", data={"csrf_token": token(client, "/sign-in"),
                                                     "password": "correct horse"})  # fmt: skip
    assert right.headers["Location"] == "/runs"
    assert client.get("/runs").status_code == 200
    client.post("/sign-out", data={"csrf_token": token(client, "/runs")})
    assert client.get("/runs").status_code == 302


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil"])
def test_signing_in_never_leads_to_another_site(tmp_path: Path, target: str) -> None:
    client = make_app(tmp_path / "data", host="0.0.0.0", password="pw").test_client()
    response = client.post(
        "/sign-in",
        query_string={"next": target},
        data={"csrf_token": token(client, "/sign-in"), "password": "pw"},
    )
    assert response.headers["Location"] == "/"


def test_on_this_computer_only_its_own_names_are_answered(client: FlaskClient) -> None:
    # A page elsewhere that points its own name at 127.0.0.1 gets nothing.
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/", headers={"Host": "127.0.0.1:8642"}).status_code == 200


def test_serve_refuses_other_computers_without_a_password(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("DOCGEN_PASSWORD", raising=False)
    code, _, err = run_cli("serve", "--host", "0.0.0.0", "--no-browser", "--data", str(tmp_path))
    assert code == 1
    assert "open to other computers on 0.0.0.0 with no password" in err


def test_serve_runs_waitress_and_opens_the_browser(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    served: dict[str, Any] = {}
    opened: list[str] = []

    class Timer:
        def __init__(self, _: float, function: Any, args: list[str]) -> None:
            self.function, self.args = function, args

        def start(self) -> None:
            opened.extend(self.args)

    monkeypatch.setattr("waitress.serve", lambda app, **kw: served.update(app=app, **kw))
    monkeypatch.setattr("docgen.web.serve.threading.Timer", Timer)
    monkeypatch.setenv("DOCGEN_PASSWORD", "team password")
    code, _, err = run_cli("serve", "--host", "0.0.0.0", "--port", "8123", "--data",
                           str(tmp_path), "--keep-days", "90")  # fmt: skip
    assert code == 0
    assert served["host"] == "0.0.0.0" and served["port"] == 8123
    assert opened == ["http://127.0.0.1:8123/"]
    assert f"runs kept in {tmp_path} for 90 days" in err
    served.clear()
    opened.clear()
    code, _, _ = run_cli("serve", "--no-browser", "--data", str(tmp_path))
    assert served["host"] == "127.0.0.1" and served["port"] == 8642 and opened == []


def test_ctrl_c_stops_the_page_with_a_sentence(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def interrupted(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("waitress.serve", interrupted)
    code, _, err = run_cli("serve", "--no-browser", "--data", str(tmp_path))
    assert code == 0
    assert "Stopped the web page." in err and "start it again from its page" in err
