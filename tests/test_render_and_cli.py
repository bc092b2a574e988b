"""Rendering safety, a layout's own policy, and the smaller commands."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from docgen import Options, generate
from docgen.cli import main
from docgen.errors import TemplateError
from docgen.templates import shipped_templates_dir

from .conftest import REPO, document_text, row


def own_layout(folder: Path, extra_paragraph: str, policy: str = "default") -> Path:
    folder.mkdir(exist_ok=True)
    document = Document(str(shipped_templates_dir() / "sefton.docx"))
    document.add_paragraph(extra_paragraph)
    document.save(str(folder / "ours.docx"))
    (folder / "ours.toml").write_text(
        f'name = "Ours"\norganisation = "Our Council"\npolicy = "{policy}"\n', encoding="utf-8"
    )
    return folder


def test_a_variable_docgen_lacks_names_the_template_and_variable(
    tmp_path: Path, roster_path
) -> None:
    folder = own_layout(tmp_path / "layouts", "Team: {{ team_name }}")
    roster = roster_path([row(Layout="ours")])
    with pytest.raises(TemplateError, match=r"ours\.docx uses \{\{ team_name \}\}"):
        generate(roster, tmp_path / "out", Options(templates_dir=folder))
    assert not (tmp_path / "out").exists()


def test_the_jinja_environment_is_sandboxed(tmp_path: Path, roster_path) -> None:
    folder = own_layout(tmp_path / "layouts",
                        "{{ supervisee.__class__.__mro__[1].__subclasses__() }}")  # fmt: skip
    roster = roster_path([row(Layout="ours")])
    with pytest.raises(TemplateError, match="unsafe|not safely|access"):
        generate(roster, tmp_path / "out", Options(templates_dir=folder))


def test_a_layout_follows_the_policy_its_metadata_names(tmp_path: Path, roster_path) -> None:
    folder = tmp_path / "layouts"
    folder.mkdir()
    (folder / "four-weekly.toml").write_text(
        'name = "Four-weekly council"\n[[role]]\nname = "Social worker"\n'
        'frequency = "every 4 weeks"\n', encoding="utf-8",
    )  # fmt: skip
    own_layout(folder, "Policy: {{ policy_name }}", policy="four-weekly.toml")
    roster = roster_path([row(Layout="ours")])
    [document] = generate(roster, tmp_path / "out", Options(templates_dir=folder)).documents
    lines = document_text(document)
    assert "Policy: Four-weekly council" in lines
    assert "The frequency of supervision will be every 4 weeks." in lines
    meetings = Document(str(document)).tables[0].rows[1:]
    assert len(meetings) == 13  # 52 weeks / 4


def test_dry_run_writes_nothing_and_manifest_carries_schedule_notes(
    tmp_path: Path, roster_path
) -> None:
    roster = roster_path([row(Start_date=datetime(2026, 3, 2))],
                         leave=[("Joe Bloggs",
                                 datetime(2026, 8, 1), datetime(2026, 8, 31))])  # fmt: skip
    result = CliRunner().invoke(main, ["generate", str(roster), "--out", str(tmp_path / "o"),
                                       "--dry-run"])  # fmt: skip
    assert result.exit_code == 0 and "nothing was written" in result.stderr
    assert result.stdout.strip().endswith("Amira Khan - supervised by Joe Bloggs - sefton.docx")
    assert not (tmp_path / "o").exists()
    result = CliRunner().invoke(main, ["generate", str(roster), "--out", str(tmp_path / "o")])
    assert "Schedule: Row 2 (Amira Khan): No working day could be found" in result.stderr
    manifest = list(load_workbook(tmp_path / "o" / "manifest.xlsx").active.values)
    notes = manifest[0].index("Schedule notes")
    assert "supervisor's leave" in manifest[1][notes]
    document = next((tmp_path / "o").glob("*.docx"))
    assert any("No working day could be found" in line for line in document_text(document))


def test_templates_command_lists_layouts_and_needs() -> None:
    result = CliRunner().invoke(main, ["templates"])
    assert result.exit_code == 0
    assert "stoke\tCity of Stoke-on-Trent Supervision Agreement" in result.stdout
    assert (
        "needs: Supervisee, Supervisor, Start date, Supervisee job title, Supervisor job title"
        in result.stdout
    )


def test_check_template_command_exit_codes(tmp_path: Path) -> None:
    good = CliRunner().invoke(
        main, ["check-template", str(shipped_templates_dir() / "contract.docx")]
    )
    assert good.exit_code == 0 and "General Social Care Council" in good.stderr
    document = Document(str(shipped_templates_dir() / "sefton.docx"))
    document.add_paragraph("{{ nonsense }}")
    document.save(str(tmp_path / "bad.docx"))
    bad = CliRunner().invoke(main, ["check-template", str(tmp_path / "bad.docx")])
    assert bad.exit_code == 4 and "uses {{ nonsense }}, which is not a roster column" in bad.stderr


def test_python_dash_m_docgen() -> None:
    result = subprocess.run([sys.executable, "-m", "docgen", "--version"], capture_output=True,
                            text=True, cwd=REPO, check=False)  # fmt: skip
    assert result.returncode == 0 and result.stdout.startswith("docgen, version ")


def test_no_color_gives_plain_text(roster_path, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    result = CliRunner().invoke(main, ["validate", str(roster_path([row(Nation="Mars")]))],
                                color=True)  # fmt: skip
    assert result.exit_code == 3 and "\x1b[" not in result.stderr
    monkeypatch.delenv("NO_COLOR")
    coloured = CliRunner().invoke(main, ["validate", str(roster_path([row(Nation="Mars")]))],
                                  color=True)  # fmt: skip
    assert "\x1b[" in coloured.stderr
