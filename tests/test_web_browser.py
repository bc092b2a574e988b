"""The web page in a real browser: Debian's Chromium, driven by Playwright, checked by axe-core.

One server and one browser for the whole walk through, as a person would take it: upload a
roster with a problem, see it, upload the corrected one, generate, download the zip and open
an agreement from it. Every page visited is checked by axe-core (WCAG 2.2 AA) and must have
no violation. With DOCGEN_SCREENSHOTS=DIR the pages are also saved as PNGs there (the
README's pictures: DOCGEN_SCREENSHOTS=docs python -m pytest tests/test_web_browser.py).
"""

from __future__ import annotations

import base64
import io
import os
import shutil
import threading
import time
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from .conftest import REPO, row, write_roster

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(os.environ.get("DOCGEN_AXE", "/tmp/docgen-ci/axe")) / "node_modules/axe-core/axe.min.js"
README_PICTURES = {"start", "problems", "choose", "done", "renew-due", "layout"}
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _missing() -> str:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is not installed (apt install chromium)"
    if not AXE.exists():
        return f"axe-core is not at {AXE} (set DOCGEN_AXE)"
    return ""


if _missing():
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"CI must run the browser tests: {_missing()}")
    pytest.skip(_missing(), allow_module_level=True)

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402
from waitress.server import create_server  # noqa: E402

from docgen.web import Settings, create_app  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    app = create_app(Settings(data=tmp_path_factory.mktemp("web-data")))
    httpd = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=httpd.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.effective_port}", app
    httpd.close()


@pytest.fixture(scope="module")
def page() -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        context = browser.new_context(viewport={"width": 1024, "height": 800},
                                      accept_downloads=True)  # fmt: skip
        opened = context.new_page()
        opened.blocked: list[str] = []  # type: ignore[attr-defined]
        # Anything the page's Content-Security-Policy stopped, and any script error.
        opened.on(
            "console",
            lambda m: (
                opened.blocked.append(m.text)  # type: ignore[attr-defined]
                if "Content Security Policy" in m.text
                else None
            ),
        )
        opened.on("pageerror", lambda e: opened.blocked.append(str(e)))  # type: ignore[attr-defined]
        yield opened
        context.close()
        browser.close()


def check_accessible(page: Page, name: str) -> None:
    """axe-core finds no WCAG 2.2 AA violation on the page; the screenshot when asked for."""
    # Evaluated through the browser's debugging protocol, which the page's
    # Content-Security-Policy (no inline script) does not govern.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    # axe's experimental rules are left out, as axe itself leaves them out by default: one
    # of them reads GOV.UK Frontend's own file upload button (its hidden comma) as a mismatch.
    found = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.filter(v => !v.tags.includes('experimental'))"
        ".map(v => v.id + ': ' + v.help + ' ' + v.nodes.map(n => n.html).join(' | '))",
        WCAG,
    )
    assert found == [], f"{name}: {found}"
    shots = os.environ.get("DOCGEN_SCREENSHOTS")
    if shots and name in README_PICTURES:
        page.screenshot(path=str(Path(shots) / f"web-{name}.png"), full_page=True)


def drop_file(page: Page, target: str, path: Path) -> None:
    """Drag `path` onto `target` and drop it, as from a file manager."""
    data = page.evaluate_handle(
        """([name, b64]) => {
            const transfer = new DataTransfer();
            const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
            transfer.items.add(new File([bytes], name));
            return transfer;
        }""",
        [path.name, base64.b64encode(path.read_bytes()).decode()],
    )
    page.dispatch_event(target, "dragenter", {"dataTransfer": data})
    page.dispatch_event(target, "drop", {"dataTransfer": data})


def fits_at_200_percent(page: Page) -> bool:
    """At 200% zoom a 1280-pixel-wide screen is 640 CSS pixels: nothing scrolls sideways."""
    page.set_viewport_size({"width": 640, "height": 800})
    try:
        return bool(
            page.evaluate(
                "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
            )
        )
    finally:
        page.set_viewport_size({"width": 1024, "height": 800})


def test_a_person_makes_agreements_in_the_browser(
    page: Page, server: tuple[str, Any], tmp_path: Path
) -> None:
    base, _ = server
    bad = write_roster(tmp_path / "Team roster.xlsx", [
        row(Supervisee="Amira Khan", Start_date="31/02/2026"),
        row(Supervisee="Ben Cole", Start_date=datetime(2026, 3, 2)),
    ])  # fmt: skip
    good = write_roster(tmp_path / "Team roster fixed.xlsx", [
        row(Supervisee="Amira Khan", Start_date=datetime(2026, 3, 3)),
        row(Supervisee="Ben Cole", Start_date=datetime(2026, 3, 2)),
    ])  # fmt: skip

    page.goto(base + "/")
    expect(page.locator("h1")).to_have_text("Make supervision agreements")
    check_accessible(page, "start")
    # The first Tab reaches the skip link, as on every GOV.UK-style page.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"

    # Leaving the skip link hides it, moving the page up under the pointer: blur it first.
    page.evaluate("document.activeElement.blur()")
    page.get_by_role("button", name="Start").click()
    expect(page.locator("h1")).to_have_text("Upload your roster")
    # GOV.UK Frontend's file upload, enhanced by its script: a drop zone as well as a button.
    expect(page.get_by_text("or drop file")).to_be_visible()
    check_accessible(page, "upload")
    page.get_by_role("button", name="Check the roster").click()
    assert page.locator(".govuk-error-summary").inner_text().count("Select your roster") == 1
    check_accessible(page, "upload-error")
    page.get_by_role("link", name="Select your roster").click()
    assert page.evaluate("document.activeElement.id") == "roster"

    with page.expect_file_chooser() as chooser:  # the file picker, as a person opens it
        page.locator("#roster").click()
    chooser.value.set_files(str(bad))
    expect(page.locator(".govuk-file-upload-button__status")).to_have_text("Team roster.xlsx")
    page.get_by_role("button", name="Check the roster").click()
    expect(page.locator("h1")).to_have_text("Your roster has problems")
    problems = page.locator("table").first.inner_text()
    assert "Roster!I2" in problems and "31/02/2026" in problems
    assert "February 2026 has no day 31" in problems
    check_accessible(page, "problems")
    assert fits_at_200_percent(page)

    drop_file(page, "#roster", good)  # dragged from the desktop and dropped on the page
    expect(page.locator(".govuk-file-upload-button__status")).to_have_text(good.name)
    page.get_by_role("button", name="Check the roster again").click()
    expect(page.locator("h1")).to_have_text("Choose what to make")
    check_accessible(page, "choose")
    page.get_by_label("Calendar files").check()
    page.get_by_role("button", name="Make the agreements").click()
    page.wait_for_selector("h1:has-text('Your agreements are ready')", timeout=60_000)
    assert "Made 2 agreements" in page.locator(".govuk-notification-banner").inner_text()
    check_accessible(page, "done")
    assert fits_at_200_percent(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="one zip file", exact=True).click()
    with zipfile.ZipFile(download.value.path()) as bundle:
        names = bundle.namelist()
        agreement = next(n for n in names if n.startswith("Amira Khan") and n.endswith(".docx"))
        text = [p.text for p in Document(io.BytesIO(bundle.read(agreement))).paragraphs]
    assert any("Amira Khan" in line for line in text)
    assert any(n.endswith(".ics") for n in names) and "manifest.xlsx" in names

    page.get_by_role("link", name="Earlier runs").click()
    assert "Team roster fixed.xlsx" in page.locator("table").inner_text()
    check_accessible(page, "runs")
    page.get_by_role("link", name="Renew agreements").first.click()
    check_accessible(page, "renew")

    # Next year's roster: Amira has a new supervisor, Cara is new, Ben has left.
    next_year = write_roster(tmp_path / "Team roster 2027.xlsx", [
        row(Supervisee="Amira Khan", Supervisor="Priya Raman", Start_date=datetime(2026, 3, 2)),
        row(Supervisee="Cara Dunn", Start_date=datetime(2026, 3, 2)),
    ])  # fmt: skip
    with page.expect_file_chooser() as chooser:
        page.locator("#roster").click()
    chooser.value.set_files(str(next_year))
    page.get_by_role("button", name="See what is due").click()
    expect(page.locator("h1")).to_have_text("Choose which agreements to renew", timeout=60_000)
    due = page.locator("#choices").inner_text()
    assert "The supervisor changed from Joe Bloggs" in due and "New on the roster" in due
    assert "Ben Cole" in page.locator("table").inner_text()  # no longer on the roster
    check_accessible(page, "renew-due")
    page.get_by_role("button", name="Renew the chosen agreements").click()
    expect(page.locator("h1")).to_have_text("Your agreements are ready", timeout=60_000)
    assert "Made 2 agreements" in page.locator(".govuk-notification-banner").inner_text()
    assert page.blocked == []  # type: ignore[attr-defined]


def test_layouts_in_the_browser(page: Page, server: tuple[str, Any], tmp_path: Path) -> None:
    base, _ = server
    page.goto(base + "/layouts")
    check_accessible(page, "layouts")
    page.get_by_role(
        "link", name="Sefton Council Children's Services Supervision Agreement"
    ).click()
    if shutil.which("soffice") and shutil.which("pdftoppm"):
        image = page.locator("img.docgen-preview")
        image.wait_for()
        # LibreOffice draws it on the first request: a few seconds.
        deadline = time.monotonic() + 60
        while not image.evaluate("img => img.complete && img.naturalWidth > 0"):
            assert time.monotonic() < deadline, "the layout's preview never loaded"
            page.wait_for_timeout(200)
    check_accessible(page, "layout")
    page.goto(base + "/layouts/new")
    check_accessible(page, "add-layout")
    folder = tmp_path / "layouts"
    folder.mkdir()
    (folder / "leeds.docx").write_bytes((REPO / "templates_docx" / "stoke.docx").read_bytes())
    (folder / "leeds.toml").write_text(
        'name = "Leeds Supervision Agreement"\norganisation = "Leeds City Council"\n'
        'fields = ["signed_supervisor", "signed_supervisee"]\n',
        encoding="utf-8",
    )
    page.set_input_files("#docx-input", str(folder / "leeds.docx"))
    page.set_input_files("#toml-input", str(folder / "leeds.toml"))
    page.get_by_role("button", name="Check the layout").click()
    expect(page.locator("h1")).to_have_text("Your layout is ready")
    check_accessible(page, "layout-checked")
    page.get_by_role("button", name="Use this layout").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("leeds is ready to use")
    check_accessible(page, "layout-added")
    page.goto(base + "/no-such-page")
    check_accessible(page, "not-found")
    assert page.blocked == []  # type: ignore[attr-defined]


def test_signing_in_in_the_browser(page: Page, tmp_path: Path) -> None:
    app = create_app(Settings(data=tmp_path / "data", host="0.0.0.0", password="team pw"))
    httpd = create_server(app, host="127.0.0.1", port=0, threads=2)
    threading.Thread(target=httpd.run, daemon=True).start()
    try:
        page.goto(f"http://127.0.0.1:{httpd.effective_port}/layouts")
        expect(page.locator("h1")).to_have_text("Sign in")
        check_accessible(page, "sign-in")
        page.get_by_label("Password or access token").fill("wrong")
        page.get_by_role("button", name="Sign in").click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        check_accessible(page, "sign-in-error")
        page.get_by_label("Password or access token").fill("team pw")
        page.get_by_role("button", name="Sign in").click()
        expect(page.locator("h1")).to_have_text("Layouts")
    finally:
        httpd.close()


def test_the_count_goes_up_as_agreements_are_written(
    page: Page, server: tuple[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base, _ = server
    from docgen.web import work

    real_generate = work.generate
    steps = [threading.Event(), threading.Event()]

    def paced(*args: Any, progress: Any, **kwargs: Any) -> Any:
        # The real run, held at two counts until the test has seen each on the page.
        progress(1, 3, "one.docx")
        steps[0].wait(30)
        progress(2, 3, "two.docx")
        steps[1].wait(30)
        return real_generate(*args, progress=progress, **kwargs)

    monkeypatch.setattr(work, "generate", paced)
    roster = write_roster(tmp_path / "Paced.xlsx", [
        row(Supervisee=name, Start_date=datetime(2026, 3, 2))
        for name in ("Amira Khan", "Ben Cole", "Cara Dunn")
    ])  # fmt: skip
    page.goto(base + "/runs/new")
    page.set_input_files("#roster-input", str(roster))
    page.get_by_role("button", name="Check the roster").click()
    expect(page.locator("h1")).to_have_text("Choose what to make")
    # Keyboard only: the button takes the focus and Enter presses it.
    page.get_by_role("button", name="Make the agreements").focus()
    page.keyboard.press("Enter")
    count = page.locator("[data-progress-count]")
    try:
        expect(count).to_have_text("Written 1 of 3 agreements")
        check_accessible(page, "progress")
        page.reload()  # the count survives a reload
        expect(count).to_have_text("Written 1 of 3 agreements")
        steps[0].set()
        expect(count).to_have_text("Written 2 of 3 agreements")  # without a reload
    finally:
        for step in steps:
            step.set()
    # When the run ends the page shows what it made, by itself.
    expect(page.locator("h1")).to_have_text("Your agreements are ready", timeout=60_000)
    assert "Made 3 agreements" in page.locator(".govuk-notification-banner").inner_text()
    # Focus is visible: GOV.UK's yellow behind the focused link.
    page.get_by_role("link", name="one zip file", exact=True).focus()
    colour = page.evaluate("getComputedStyle(document.activeElement).backgroundColor")
    assert colour == "rgb(255, 221, 0)"
    assert page.blocked == []  # type: ignore[attr-defined]
