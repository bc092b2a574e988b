"""The web page through Flask's test client: every screen, as a person goes through it."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from docx import Document
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from docgen.errors import DocgenError

from .conftest import REPO, row, write_roster
from .web_helpers import finish, make_app, post, run_id, text_of, upload

GOOD_ROWS = [
    row(Supervisee="Amira Khan", Start_date=datetime(2026, 3, 2)),
    row(Supervisee="Ben Cole", Start_date=datetime(2026, 3, 2)),
]


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    return make_app(tmp_path / "data")


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def test_the_start_page_offers_every_task(client: FlaskClient) -> None:
    page = text_of(client.get("/").get_data(as_text=True))
    assert "Make supervision agreements" in page
    for words in ("Renew agreements for a new year", "Download a starter roster",
                  "See the layouts", "Start"):  # fmt: skip
        assert words in page


def test_a_roster_with_problems_lists_each_with_its_cell_and_fix(
    client: FlaskClient, tmp_path: Path
) -> None:
    roster = write_roster(tmp_path / "Team.xlsx", [
        row(Supervisee="Amira Khan", Start_date="31/02/2026"),
        row(Supervisee="Ben Cole", Nation="Wakanda", Start_date=datetime(2026, 3, 2)),
        row(Supervisee="Cara Dunn", Start_date=datetime(2026, 3, 2)),
    ])  # fmt: skip
    response = upload(client, "/runs/new", {"roster": roster})
    assert response.status_code == 302
    page = text_of(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Your roster has problems" in page
    assert "2 problems to correct" in page
    assert ("Roster!I2 Start date 31/02/2026 is not a date: February 2026 has no day 31 "
            "write it as dd/mm/yyyy") in page  # fmt: skip
    assert "Wakanda is not a UK nation write England, Wales, Scotland or Northern Ireland" in page
    assert "make the agreements for the 1 row without problems" in page
    workbook = client.get(f"/runs/{run_id(response)}/problems.xlsx")
    assert workbook.status_code == 200
    assert "Team - problems.xlsx" in workbook.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(workbook.data))["Problems"]
    cells = [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert "Roster!I2" in cells and any(str(c).startswith("Roster!") for c in cells)


def test_a_corrected_roster_in_the_same_run_is_checked_again(
    client: FlaskClient, tmp_path: Path
) -> None:
    bad = write_roster(tmp_path / "bad.xlsx", [row(Start_date="31/02/2026")])
    good = write_roster(tmp_path / "good.xlsx", GOOD_ROWS)
    run = run_id(upload(client, "/runs/new", {"roster": bad}))
    response = upload(client, f"/runs/{run}/roster", {"roster": good})
    assert response.status_code == 302 and run_id(response) == run
    page = text_of(client.get(f"/runs/{run}").get_data(as_text=True))
    assert "Choose what to make" in page and "has problems" not in page.casefold()
    assert "Agreements from good.xlsx" in page


def test_no_file_chosen_is_an_error_linked_to_the_field(client: FlaskClient) -> None:
    response = post(client, "/runs/new")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert '<a href="#roster">Select your roster</a>' in html
    assert "govuk-form-group--error" in html and "<title>Error: " in html


def test_an_unreadable_roster_is_named_as_the_person_named_it(
    client: FlaskClient, tmp_path: Path
) -> None:
    fake = tmp_path / "Our roster.xlsx"
    fake.write_text("this is not a spreadsheet", encoding="utf-8")
    response = upload(client, "/runs/new", {"roster": fake})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your roster could not be read" in page
    assert "Our roster.xlsx" in page
    assert str(tmp_path / "data") not in page  # never the private folder


def test_making_agreements_end_to_end(app: Flask, client: FlaskClient, tmp_path: Path) -> None:
    roster = write_roster(tmp_path / "Team.xlsx", GOOD_ROWS)
    run = run_id(upload(client, "/runs/new", {"roster": roster}))
    response = post(client, f"/runs/{run}/generate", layout="", calendars="yes", combine="yes")
    assert response.status_code == 302
    finish(app, run)
    page = client.get(f"/runs/{run}").get_data(as_text=True)
    words = text_of(page)
    assert "Your agreements are ready" in words and "Made 2 agreements." in words
    assert "2 made, 0 up to date, 2 calendar files" in words
    bundle = client.get(f"/runs/{run}/files/Supervision agreements.zip")
    assert bundle.status_code == 200
    with zipfile.ZipFile(io.BytesIO(bundle.data)) as archive:
        names = archive.namelist()
        agreement = archive.read("Amira Khan - supervised by Joe Bloggs - sefton.docx")
    assert {"manifest.xlsx", "All agreements.docx"} <= set(names)
    assert "Ben Cole - supervised by Joe Bloggs - sefton.ics" in names
    text = "\n".join(p.text for p in Document(io.BytesIO(agreement)).paragraphs)
    assert "Amira Khan" in text
    one = client.get(f"/runs/{run}/files/Ben Cole - supervised by Joe Bloggs - sefton.docx")
    assert one.status_code == 200 and one.data[:2] == b"PK"
    manifest = load_workbook(io.BytesIO(client.get(f"/runs/{run}/files/manifest.xlsx").data))
    assert manifest["Agreements"].max_row == 3  # the header and two agreements
    listing = client.get("/runs").get_data(as_text=True)
    assert "Team.xlsx" in text_of(listing) and "2 made" in text_of(listing)
    assert f'href="/runs/{run}/files/manifest.xlsx"' in listing


def test_the_default_layout_fills_empty_layout_cells(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    roster = write_roster(tmp_path / "Team.xlsx", [
        row(Layout=None, Supervisee="Amira Khan", Start_date=datetime(2026, 3, 2),
            Supervisee_job_title="Social Worker", Supervisor_job_title="Team Manager"),
    ])  # fmt: skip
    run = run_id(upload(client, "/runs/new", {"roster": roster}))
    # Without a default the empty Layout cell is a problem; choosing one makes the agreement.
    assert "Roster!A2" in text_of(client.get(f"/runs/{run}").get_data(as_text=True))
    post(client, f"/runs/{run}/generate", layout="stoke", valid_rows_only="")
    finish(app, run)
    page = text_of(client.get(f"/runs/{run}").get_data(as_text=True))
    assert "Made 1 agreement." in page
    assert client.get(f"/runs/{run}/files/Amira Khan - supervised by Joe Bloggs - stoke.docx"
                      ).status_code == 200  # fmt: skip


def test_a_layout_not_offered_is_refused(client: FlaskClient, tmp_path: Path) -> None:
    run = run_id(upload(client, "/runs/new", {"roster": write_roster(tmp_path / "r.xlsx",
                                                                      GOOD_ROWS)}))  # fmt: skip
    response = post(client, f"/runs/{run}/generate", layout="../../etc")
    assert response.status_code == 400
    assert '<a href="#layout">Choose one of the layouts listed</a>' in response.get_data(
        as_text=True
    )


def test_the_other_rows_are_made_when_asked(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    roster = write_roster(tmp_path / "Team.xlsx", [
        row(Supervisee="Amira Khan", Start_date="31/02/2026"), *GOOD_ROWS[1:],
    ])  # fmt: skip
    run = run_id(upload(client, "/runs/new", {"roster": roster}))
    post(client, f"/runs/{run}/generate", valid_rows_only="yes")
    finish(app, run)
    page = text_of(client.get(f"/runs/{run}").get_data(as_text=True))
    assert "Made 1 agreement." in page and "Ben Cole" in page


def test_problems_found_while_generating_show_as_problems(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    # The safeguarding layout needs a Meeting time, which these rows do not have.
    roster = write_roster(tmp_path / "Team.xlsx", [
        row(Layout=None, Meeting_time=None, Supervisee="Amira Khan",
            Start_date=datetime(2026, 3, 2)),
    ])  # fmt: skip
    run = run_id(upload(client, "/runs/new", {"roster": roster}))
    post(client, f"/runs/{run}/generate", layout="safeguarding")
    finish(app, run)
    page = text_of(client.get(f"/runs/{run}").get_data(as_text=True))
    assert "Your roster has problems" in page
    assert 'Meeting time is empty, and the "safeguarding" layout needs it' in page


def test_an_error_while_generating_is_shown_in_plain_words(
    app: Flask, client: FlaskClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_: object, **__: object) -> None:
        raise DocgenError("the folder could not be written: the disk is full")

    monkeypatch.setattr("docgen.web.work.generate", refuse)
    run = run_id(upload(client, "/runs/new", {"roster": write_roster(tmp_path / "r.xlsx",
                                                                      GOOD_ROWS)}))  # fmt: skip
    post(client, f"/runs/{run}/generate")
    finish(app, run)
    page = text_of(client.get(f"/runs/{run}").get_data(as_text=True))
    assert "The run stopped" in page
    assert "the folder could not be written: the disk is full" in page
    assert "Make the agreements" in page  # it can be started again


def test_a_fault_in_docgen_is_reported_as_one(
    app: Flask, client: FlaskClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("docgen.web.work.generate", broken)
    run = run_id(upload(client, "/runs/new", {"roster": write_roster(tmp_path / "r.xlsx",
                                                                      GOOD_ROWS)}))  # fmt: skip
    post(client, f"/runs/{run}/generate")
    finish(app, run)
    page = text_of(client.get(f"/runs/{run}").get_data(as_text=True))
    assert "a fault in docgen itself (ZeroDivisionError)" in page
    assert "Nothing you did caused it" in page


def test_the_count_is_kept_so_a_reload_shows_it(
    app: Flask, client: FlaskClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    release = threading.Event()

    def slow(*_: object, progress: object, **__: object) -> None:
        progress(3, 12, "Amira Khan - supervised by Joe Bloggs - sefton.docx")  # type: ignore[operator]
        release.wait(30)
        raise DocgenError("stopped for the test")

    monkeypatch.setattr("docgen.web.work.generate", slow)
    run = run_id(upload(client, "/runs/new", {"roster": write_roster(tmp_path / "r.xlsx",
                                                                      GOOD_ROWS)}))  # fmt: skip
    post(client, f"/runs/{run}/generate")
    try:
        for _ in range(100):
            status = client.get(f"/runs/{run}/progress.json").get_json()
            if status["done"] == 3:
                break
            threading.Event().wait(0.05)
        assert status == {"state": "running", "working": True, "done": 3, "total": 12,
                          "name": "Amira Khan - supervised by Joe Bloggs - sefton.docx",
                          "text": "Written 3 of 12 agreements"}  # fmt: skip
        page = client.get(f"/runs/{run}").get_data(as_text=True)
        assert "Written 3 of 12 agreements" in page and "data-progress-url" in page
        # Another start while it works is refused.
        assert post(client, f"/runs/{run}/generate").status_code == 409
        assert upload(client, f"/runs/{run}/roster", {"roster": tmp_path / "r.xlsx"}
                      ).status_code == 409  # fmt: skip
    finally:
        release.set()
        finish(app, run)


def test_a_run_cut_off_by_a_restart_can_be_started_again(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    run = run_id(upload(client, "/runs/new", {"roster": write_roster(tmp_path / "r.xlsx",
                                                                      GOOD_ROWS)}))  # fmt: skip
    store = app.config["DOCGEN_STORE"]
    store.get(run).save(state="running")  # as a server killed mid-run leaves it
    again = make_app(tmp_path / "data").test_client()
    page = text_of(again.get(f"/runs/{run}").get_data(as_text=True))
    assert "The run was interrupted" in page
    assert "agreements already made are kept" in page


def test_renewing_shows_what_is_due_and_makes_only_the_chosen(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    first = run_id(upload(client, "/runs/new", {"roster": write_roster(tmp_path / "2026.xlsx", [
        row(Supervisee="Amira Khan", Start_date=datetime(2026, 3, 2)),
        row(Supervisee="Ben Cole", Start_date=datetime(2026, 3, 2)),
        row(Supervisee="Dan Evans", Start_date=datetime(2026, 3, 2)),
    ])}))  # fmt: skip
    post(client, f"/runs/{first}/generate")
    finish(app, first)
    this_year = write_roster(tmp_path / "2027.xlsx", [
        row(Supervisee="Amira Khan", Supervisor="Priya Raman", Start_date=datetime(2026, 3, 2)),
        row(Supervisee="Ben Cole", Start_date=datetime(2026, 3, 2)),
        row(Supervisee="Cara Dunn", Start_date=datetime(2026, 3, 2)),
    ])  # fmt: skip
    assert "2026.xlsx" in text_of(client.get("/renew").get_data(as_text=True))
    response = upload(client, "/renew", {"roster": this_year}, run=first, within="30")
    second = run_id(response)
    finish(app, second)
    html = client.get(f"/runs/{second}").get_data(as_text=True)
    page = text_of(html)
    assert "Choose which agreements to renew" in page
    assert "Due for a new agreement (2)" in page
    assert "Amira Khan, supervised by Priya Raman The supervisor changed from Joe Bloggs" in page
    assert "Cara Dunn, supervised by Joe Bloggs New on the roster" in page
    assert "No longer on the roster (1) Supervisee Supervisor Their agreement Dan Evans" in page
    assert "Not due yet: 1 agreement, left as they are." in page
    # Amira is row 2, Cara row 4: renew Amira's only.
    assert post(client, f"/runs/{second}/renew").status_code == 400
    post(client, f"/runs/{second}/renew", rows="2")
    finish(app, second)
    done = text_of(client.get(f"/runs/{second}").get_data(as_text=True))
    assert "Made 1 agreement." in done and "The refresh report" in done
    assert client.get(f"/runs/{second}/files/Amira Khan - supervised by Priya Raman - sefton.docx"
                      ).status_code == 200  # fmt: skip
    assert client.get(f"/runs/{second}/files/Cara Dunn - supervised by Joe Bloggs - sefton.docx"
                      ).status_code == 404  # fmt: skip
    # The earlier run is as it was.
    assert client.get(f"/runs/{first}/files/Amira Khan - supervised by Joe Bloggs - sefton.docx"
                      ).status_code == 200  # fmt: skip
    assert "Made 3 agreements." in text_of(client.get(f"/runs/{first}").get_data(as_text=True))


def test_renewing_needs_a_run_a_roster_and_a_number_of_days(client: FlaskClient) -> None:
    response = post(client, "/renew", run="nothing", within="soon")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    for field, words in (("run", "Choose the run whose agreements you are renewing"),
                         ("within", "Enter a number of days from 0 to 3660, like 30"),
                         ("roster", "Select this year&#39;s roster")):  # fmt: skip
        assert f'<a href="#{field}">{words}</a>' in html
    assert "make agreements from a roster" in text_of(client.get("/renew").get_data(as_text=True))


def test_renewing_a_run_that_is_not_a_renewal_is_refused(
    client: FlaskClient, tmp_path: Path
) -> None:
    run = run_id(upload(client, "/runs/new", {"roster": write_roster(tmp_path / "r.xlsx",
                                                                      GOOD_ROWS)}))  # fmt: skip
    assert post(client, f"/runs/{run}/renew", rows="2").status_code == 409


def test_the_layouts_with_what_each_needs(client: FlaskClient) -> None:
    page = text_of(client.get("/layouts").get_data(as_text=True))
    assert ("Sefton Council Children's Services Supervision Agreement sefton Supervisee, "
            "Supervisor, Start date, Key tasks") in page  # fmt: skip
    assert "Supervisee, Supervisor, Start date, Organisation, Meeting day, Meeting time" in page
    one = text_of(client.get("/layouts/stoke").get_data(as_text=True))
    assert "Name in the roster stoke" in one
    assert "Supervisee job title, Supervisor job title" in one
    assert client.get("/layouts/leeds").status_code == 404
    assert client.get("/layouts/leeds/preview.png").status_code == 404


def test_the_starter_and_example_rosters_download(client: FlaskClient) -> None:
    starter = client.get("/starter-roster.xlsx")
    assert starter.status_code == 200
    headers = next(load_workbook(io.BytesIO(starter.data))["Roster"].iter_rows(values_only=True))
    assert {"Layout", "Supervisee", "Supervisor", "Start date"} <= set(headers)
    example = load_workbook(io.BytesIO(client.get("/example-roster.xlsx").data))
    names = [r[2] for r in example["Roster"].iter_rows(min_row=2, values_only=True)]
    assert "Amira Khan" in names


def _layout_files(tmp_path: Path, name: str, metadata: str) -> dict[str, Path]:
    docx = tmp_path / f"{name}.docx"
    docx.write_bytes((REPO / "templates_docx" / "sefton.docx").read_bytes())
    toml = tmp_path / f"{name}.toml"
    toml.write_text(metadata, encoding="utf-8")
    return {"docx": docx, "toml": toml}


def test_a_new_layout_is_checked_then_used(app: Flask, client: FlaskClient, tmp_path: Path) -> None:
    files = _layout_files(
        tmp_path,
        "Leeds",
        'name = "Leeds Supervision Agreement"\n'
        'organisation = "Leeds City Council"\nneeds = ["Key tasks"]\n',
    )
    response = upload(client, "/layouts/new", files)
    assert response.status_code == 302
    page = text_of(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Your layout can be used" in page
    assert "names the College of Social Work, which closed in 2015" in page
    used = post(client, response.headers["Location"] + "/use")
    assert used.headers["Location"].endswith("/layouts/leeds?added=1")
    listing = text_of(client.get("/layouts").get_data(as_text=True))
    assert "Leeds Supervision Agreement Added here leeds" in listing
    roster = write_roster(
        tmp_path / "Team.xlsx", [row(Layout="leeds", Start_date=datetime(2026, 3, 2))]
    )
    run = run_id(upload(client, "/runs/new", {"roster": roster}))
    post(client, f"/runs/{run}/generate")
    finish(app, run)
    assert client.get(f"/runs/{run}/files/Amira Khan - supervised by Joe Bloggs - leeds.docx"
                      ).status_code == 200  # fmt: skip


def test_a_layout_with_errors_cannot_be_used(client: FlaskClient, tmp_path: Path) -> None:
    files = _layout_files(tmp_path, "broken", 'organisation = "Leeds City Council"\n')
    response = upload(client, "/layouts/new", files)
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your layout has problems" in text_of(html)
    assert 'it has no name = "..." line' in html.replace("&#34;", '"')
    assert "Use this layout" not in html
    assert post(client, response.headers["Location"] + "/use").status_code == 409


def test_a_new_layout_needs_both_files_named_well(client: FlaskClient, tmp_path: Path) -> None:
    response = post(client, "/layouts/new")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert '<a href="#docx">Select the layout&#39;s Word file (.docx)</a>' in html
    assert '<a href="#toml">Select the layout&#39;s settings file (.toml)</a>' in html
    files = _layout_files(tmp_path, "Leeds Council", "")
    wrong = tmp_path / "leeds.toml.txt"
    wrong.write_text("", encoding="utf-8")
    html = upload(client, "/layouts/new", {"docx": files["docx"], "toml": wrong}
                  ).get_data(as_text=True)  # fmt: skip
    assert "Name the Word file with letters, digits, - and _ only" in html
    assert "The settings file must end .toml (Notepad may have added .txt)" in html
    assert client.get("/layouts/pending/0123456789abcdef").status_code == 404
    assert client.get("/layouts/pending/..%2f..").status_code == 404


def test_old_runs_are_deleted_after_the_retention_period(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    run = run_id(upload(client, "/runs/new", {"roster": write_roster(tmp_path / "r.xlsx",
                                                                      GOOD_ROWS)}))  # fmt: skip
    store = app.config["DOCGEN_STORE"]
    created = store.get(run).created
    assert store.clear_old(created + timedelta(days=29)) == []
    assert store.clear_old(created + timedelta(days=31)) == [run]
    assert not (tmp_path / "data" / "runs" / run).exists()
    page = client.get(f"/runs/{run}")
    assert page.status_code == 404
    assert "Runs are deleted 30 days after they are made" in text_of(page.get_data(as_text=True))


def test_unknown_runs_and_files_are_not_found(client: FlaskClient, tmp_path: Path) -> None:
    run = run_id(upload(client, "/runs/new", {"roster": write_roster(tmp_path / "r.xlsx",
                                                                      GOOD_ROWS)}))  # fmt: skip
    for path in (
        "/runs/20260101-000000-00000000",
        "/runs/..",
        f"/runs/{run}/files/../run.json",
        f"/runs/{run}/files/%2e%2e/run.json",
        f"/runs/{run}/files/..%2frun.json",
        f"/runs/{run}/files/nothing.docx",
        f"/runs/{run}/problems.xlsx",  # a roster without problems has no problems workbook
        "/runs/20260101-000000-00000000/progress.json",
    ):
        assert client.get(path).status_code == 404, path
    assert post(client, "/runs/20260101-000000-00000000/generate").status_code == 404
    # A doubled slash is tidied into one, which stays inside the run's folder.
    assert client.get(f"/runs/{run}/files//etc/passwd", follow_redirects=True).status_code == 404


def test_a_corrected_roster_must_be_chosen(client: FlaskClient, tmp_path: Path) -> None:
    bad = write_roster(tmp_path / "bad.xlsx", [row(Start_date="31/02/2026")])
    run = run_id(upload(client, "/runs/new", {"roster": bad}))
    response = post(client, f"/runs/{run}/roster")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert '<a href="#roster">Select your corrected roster</a>' in html
    assert "Roster!I2" in text_of(html)  # the problems still show


def test_a_renewal_is_not_generated_as_a_new_run(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    roster = write_roster(tmp_path / "r.xlsx", GOOD_ROWS)
    first = run_id(upload(client, "/runs/new", {"roster": roster}))
    post(client, f"/runs/{first}/generate")
    finish(app, first)
    second = run_id(upload(client, "/renew", {"roster": roster}, run=first, within="30"))
    finish(app, second)
    assert post(client, f"/runs/{second}/generate").status_code == 409
    assert post(client, "/layouts/pending/0123456789abcdef/use").status_code == 404


def test_pdfs_are_offered_only_where_libreoffice_is(
    client: FlaskClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = run_id(upload(client, "/runs/new", {"roster": write_roster(tmp_path / "r.xlsx",
                                                                      GOOD_ROWS)}))  # fmt: skip
    monkeypatch.setattr("docgen.web.common.find_libreoffice", lambda: None)
    page = text_of(client.get(f"/runs/{run}").get_data(as_text=True))
    assert "A PDF of each agreement" not in page and "Calendar files" in page
    monkeypatch.setattr("docgen.web.common.find_libreoffice", lambda: "/usr/bin/soffice")
    page = text_of(client.get(f"/runs/{run}").get_data(as_text=True))
    assert "A PDF of each agreement" in page


def test_a_layout_picture_is_drawn_once_then_kept(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[str] = []

    def draw(layout: object, target: Path) -> Path:
        drawn.append(str(getattr(layout, "key", "")))
        target.write_bytes(b"\x89PNG\r\n\x1a\nfirst page")
        return target

    monkeypatch.setattr("docgen.web.layouts.first_page_image", draw)
    for _ in range(2):
        image = client.get("/layouts/sefton/preview.png")
        assert image.status_code == 200 and image.mimetype == "image/png"
        assert image.data == b"\x89PNG\r\n\x1a\nfirst page"
    assert drawn == ["sefton"]


def test_without_the_programs_a_layout_has_no_picture(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docgen.preview import PreviewUnavailable

    def cannot(*_: object) -> None:
        raise PreviewUnavailable("previews need LibreOffice")

    monkeypatch.setattr("docgen.web.layouts.first_page_image", cannot)
    monkeypatch.setattr("docgen.web.layouts.can_preview", lambda: False)
    assert client.get("/layouts/stoke/preview.png").status_code == 404
    page = client.get("/layouts/stoke").get_data(as_text=True)
    assert "preview.png" not in page
    assert "A picture of the first page needs LibreOffice" in text_of(page)


@pytest.mark.slow
def test_pdfs_and_the_print_file_when_chosen(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    import os
    import shutil

    if not shutil.which("soffice"):
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is not installed; .ci/run installs it")
        pytest.skip("LibreOffice is not installed")
    run = run_id(upload(client, "/runs/new", {"roster": write_roster(tmp_path / "r.xlsx",
                                                                      GOOD_ROWS)}))  # fmt: skip
    post(client, f"/runs/{run}/generate", pdf="yes", combine="yes")
    finish(app, run)
    page = client.get(f"/runs/{run}").get_data(as_text=True)
    assert "2 made, 0 up to date, 3 PDFs" in text_of(page)  # two agreements and the print file
    pdf = client.get(f"/runs/{run}/files/Amira Khan - supervised by Joe Bloggs - sefton.pdf")
    assert pdf.status_code == 200 and pdf.data[:5] == b"%PDF-"
    with zipfile.ZipFile(io.BytesIO(client.get(f"/runs/{run}/files/Supervision agreements.zip")
                                    .data)) as archive:  # fmt: skip
        assert {"All agreements.docx", "All agreements.pdf"} <= set(archive.namelist())
