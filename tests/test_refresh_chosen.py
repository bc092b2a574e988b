"""`refresh(rows=...)`: only the rows a person chose are renewed (the web page's renewal).

The others are left exactly as they are: not renewed, not superseded, and not taken as
people who left the roster.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from docgen import generate, refresh

from .conftest import row

LAST_YEAR = [
    row(supervisee="Due Soon", Start_date=datetime(2025, 12, 1)),  # review 1 December 2026
    row(supervisee="New Boss", Start_date=datetime(2026, 3, 2)),
]
THIS_YEAR = [
    LAST_YEAR[0],  # row 2
    row(supervisee="New Boss", supervisor="Priya Raman", Start_date=datetime(2026, 3, 2)),  # 3
    row(supervisee="Newcomer", Start_date=datetime(2026, 11, 2)),  # row 4
]
TODAY = date(2026, 11, 23)


def test_only_the_chosen_rows_are_renewed(tmp_path: Path, roster_path) -> None:
    out = tmp_path / "out"
    generate(roster_path(LAST_YEAR, name="last.xlsx"), out, now=datetime(2026, 1, 2, 9, 0))
    old_boss = (out / "New Boss - supervised by Joe Bloggs - sefton.docx").read_bytes()
    result = refresh(roster_path(THIS_YEAR, name="this.xlsx"), out, today=TODAY, rows={2},
                     now=datetime(2026, 11, 23, 9, 0))  # fmt: skip

    assert [(o.supervisee, o.action) for o in result.outcomes] == [("Due Soon", "replaced")]
    assert result.outcomes[0].reason == "the review is due on 01/12/2026"
    # New Boss's agreement with the old supervisor stays in force, untouched, not a leaver.
    assert (out / "New Boss - supervised by Joe Bloggs - sefton.docx").read_bytes() == old_boss
    assert not (out / "New Boss - supervised by Priya Raman - sefton.docx").exists()
    assert not (out / "Newcomer - supervised by Joe Bloggs - sefton.docx").exists()
    assert [p.name for p in (out / "superseded").iterdir()] == [
        "Due Soon - supervised by Joe Bloggs - sefton (superseded 2026-11-23).docx"
    ]


def test_without_rows_everything_due_is_renewed(tmp_path: Path, roster_path) -> None:
    out = tmp_path / "out"
    generate(roster_path(LAST_YEAR, name="last.xlsx"), out, now=datetime(2026, 1, 2, 9, 0))
    result = refresh(roster_path(THIS_YEAR, name="this.xlsx"), out, today=TODAY, dry_run=True)
    assert sorted((o.supervisee, o.action, o.row) for o in result.outcomes) == [
        ("Due Soon", "replaced", 2),
        ("New Boss", "replaced", 3),
        ("Newcomer", "made", 4),
    ]
