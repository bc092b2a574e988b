"""Set-up a newcomer can follow (issue 10, point 7): the quick start, the test command, and
the first commands `docgen --help` suggests, from any folder."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from docgen.cli import main
from docgen.policy import DEFAULT_POLICY, load_policy
from docgen.records import LayoutRules, build_records
from docgen.roster import read_roster
from docgen.templates import load_catalogue
from docgen.workbooks import write_example

from .conftest import EXAMPLE_ROSTER, REPO


def quick_start_blocks() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```\n(.*?)```", section, flags=re.S)


def test_quick_start_uses_a_virtual_environment_with_the_windows_form_beside_it() -> None:
    # Debian and Ubuntu refuse `pip install` into the system's Python, so each command
    # makes a virtual environment first; Windows keeps its programs in .venv\Scripts.
    linux, windows, tests = quick_start_blocks()
    assert linux.strip() == ("python3 -m venv .venv && .venv/bin/python -m pip install . && "
                             ".venv/bin/docgen generate data/example_roster.xlsx")  # fmt: skip
    assert windows.strip() == ("py -m venv .venv && .venv\\Scripts\\python -m pip install . && "
                               ".venv\\Scripts\\docgen generate "
                               "data\\example_roster.xlsx")  # fmt: skip
    assert tests.strip().splitlines() == [
        'python3 -m venv .venv && .venv/bin/python -m pip install ".[test]" && '
        ".venv/bin/python -m pytest",
        'py -m venv .venv && .venv\\Scripts\\python -m pip install ".[test]" && '
        ".venv\\Scripts\\python -m pytest",
    ]


def test_ci_runs_the_readme_commands_exactly() -> None:
    linux, _, tests = quick_start_blocks()
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert tests.strip().splitlines()[0] in ci
    assert linux.strip() in ci


def test_the_example_roster_is_written_anywhere_with_its_dates_moved_on(tmp_path: Path) -> None:
    later = write_example(tmp_path / "example.xlsx", today=date(2029, 2, 1))
    roster = load_workbook(later)["Roster"]
    original = load_workbook(EXAMPLE_ROSTER)["Roster"]
    headers = [c.value for c in roster[1]]
    start = headers.index("Start date")
    # The shipped example starts agreements in 2026; in 2029 the same days of 2029.
    assert [r[start].value for r in original.iter_rows(min_row=2, max_row=5)] == [
        datetime(2026, 3, 2),
        datetime(2026, 9, 7),
        "06/01/2026",
        datetime(2026, 2, 16),
    ]
    assert [r[start].value for r in roster.iter_rows(min_row=2, max_row=5)] == [
        datetime(2029, 3, 2),
        datetime(2029, 9, 7),
        "06/01/2029",
        datetime(2029, 2, 16),
    ]
    leave = list(load_workbook(later)["Leave"].iter_rows(min_row=2, values_only=True))
    assert leave == [("Rachel Hughes", datetime(2029, 8, 3), datetime(2029, 8, 21))]
    rules = {layout.key: LayoutRules(load_policy(DEFAULT_POLICY), layout.needs)
             for layout in load_catalogue()}  # fmt: skip
    records, problems = build_records(read_roster(later), rules, today=date(2029, 2, 1))
    assert [p for p in problems if p.severity == "error"] == []
    assert not [p for p in problems if "years before today" in p.message]
    assert len(records) == 13

    same_year = write_example(tmp_path / "now.xlsx", today=date(2026, 11, 23))
    assert list(load_workbook(same_year)["Roster"].values) == list(original.values)


def test_new_roster_example_never_overwrites_and_is_an_xlsx(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    first = runner.invoke(main, ["new-roster", "--example", "example.xlsx"])
    assert first.exit_code == 0 and "docgen generate example.xlsx" in first.stderr
    assert (tmp_path / "example.xlsx").is_file()
    again = runner.invoke(main, ["new-roster", "--example", "example.xlsx"])
    assert again.exit_code == 1 and "already exists" in again.stderr
    wrong = runner.invoke(main, ["new-roster", "--example", "example.csv"])
    assert wrong.exit_code == 1 and "name it .xlsx" in wrong.stderr


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """docgen as `pip install .` puts it: the wheel pip builds, unpacked into a folder."""
    wheels = tmp_path_factory.mktemp("wheels")
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "-q",
                    "-w", str(wheels)], check=True, capture_output=True, timeout=300)  # fmt: skip
    [wheel] = wheels.glob("docgen-*.whl")
    site = tmp_path_factory.mktemp("site")
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read("docgen/example_roster.xlsx") == EXAMPLE_ROSTER.read_bytes()
        archive.extractall(site)
    return site


def run_installed(site: Path, folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(site), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "docgen", *args], cwd=folder, env=environment,
                          capture_output=True, text=True, timeout=300)  # fmt: skip


def test_the_commands_help_suggests_work_from_any_folder(installed: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "somewhere else"
    elsewhere.mkdir()
    which = subprocess.run([sys.executable, "-c", "import docgen; print(docgen.__file__)"],
                           cwd=elsewhere, env={**os.environ, "PYTHONPATH": str(installed)},
                           capture_output=True, text=True, check=True)  # fmt: skip
    assert Path(which.stdout.strip()).is_relative_to(installed)  # not the source checkout

    help_text = run_installed(installed, elsewhere, "--help").stdout
    suggested = [line.strip() for line in help_text.splitlines()
                 if line.strip().startswith("docgen ")]  # fmt: skip
    assert suggested[:2] == ["docgen new-roster --example example.xlsx",
                             "docgen generate example.xlsx"]  # fmt: skip
    for command in suggested[:2]:
        result = run_installed(installed, elsewhere, *command.split()[1:])
        assert result.returncode == 0, result.stderr
    made = sorted((elsewhere / "output").glob("*.docx"))
    assert len(made) == 13
    assert "Amira Khan - supervised by Joe Bloggs - sefton.docx" in {p.name for p in made}


def test_the_installed_package_carries_the_web_page(installed: Path, tmp_path: Path) -> None:
    web = installed / "docgen" / "web"
    for part in ("static/govuk/govuk-frontend.min.css", "static/govuk/govuk-frontend.min.js",
                 "static/govuk/LICENCE.txt", "static/govuk/VERSION", "static/docgen.js",
                 "templates/base.html", "templates/run.html"):  # fmt: skip
        assert (web / part).is_file(), part
    # The page, served by the installed copy from another folder, with its style sheet.
    script = ("from pathlib import Path; from docgen.web import Settings, create_app; "
              "c = create_app(Settings(data=Path('data'))).test_client(); "
              "css = c.get('/static/govuk/govuk-frontend.min.css', buffered=True); "
              "print(c.get('/').status_code, css.status_code)")  # fmt: skip
    shown = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True,
                           env={**os.environ, "PYTHONPATH": str(installed)}, text=True,
                           check=True)  # fmt: skip
    assert shown.stdout.split() == ["200", "200"]
