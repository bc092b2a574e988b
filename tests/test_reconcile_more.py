"""More of the re-run rules: what counts as a change, and what does not.

The issue: the same command twice writes nothing the second time; each pair's input
fingerprint holds its roster values, the layout file's hash and the policy, so a changed
layout remakes its agreements; nothing is replaced without a line saying so.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

from docx import Document

from docgen import Options, generate
from docgen.fingerprint import Stamp
from docgen.reconcile import Existing, Wanted, decide, match_existing

from .conftest import REPO, row


def stamp(person: str, input_: str, made: datetime | None = datetime(2026, 3, 1, 9, 0)) -> Stamp:
    return Stamp(content="c", input=input_, pair=f"{person}-s1", person=person,
                 supervisee="Amira Khan", supervisor="Joe Bloggs", staff_id="",
                 layout="sefton", start=date(2026, 3, 2), review=date(2027, 3, 2),
                 meetings=12, made=made)  # fmt: skip


def wanted(person: str, file_name: str, input_: str = "in-1") -> Wanted:
    return Wanted(person, "s1", date(2026, 3, 2), input_, file_name)


def test_of_two_agreements_in_force_for_one_pair_the_newest_is_theirs() -> None:
    """Copies of one pair's agreement (say one restored from a backup beside the newer one):
    the one made last is the agreement in force; the others are reported, never replaced."""
    newest = Existing("b.docx", stamp("p1", "in-1", datetime(2026, 6, 1, 9, 0)), True)
    older = Existing("a.docx", stamp("p1", "in-1", datetime(2025, 1, 6, 9, 0)), True)
    undated = Existing("c.docx", stamp("p1", "in-1", None), True)  # its made time deleted
    matches, left = match_existing([wanted("p1", "b.docx")], [older, undated, newest])
    assert matches[0].existing == newest
    assert sorted(e.name for e in left) == ["a.docx", "c.docx"]


def test_another_pairs_agreement_keeps_its_name_and_the_new_one_takes_the_next() -> None:
    """A leaver and a newcomer with the same name: the leaver's agreement is kept as it is."""
    items = [wanted("p2", "Amira Khan - supervised by J. Bloggs - sefton.docx")]
    found = [
        Existing("Amira Khan - supervised by J. Bloggs - sefton.docx", stamp("p1", "in-1"), True)
    ]
    matches, leftovers = match_existing(items, found)
    decisions = decide(items, matches, leftovers, found)
    assert [(d.action, d.target) for d in decisions] == [
        ("made", "Amira Khan - supervised by J. Bloggs - sefton (2).docx"),
        ("left", ""),
    ]


def test_sorting_the_roster_remakes_nothing(tmp_path: Path, roster_path) -> None:
    rows = [
        row(),
        row(supervisee="Kwame Mensah"),
        row(supervisee="Li Wei", supervisor="Priya Raman"),
    ]
    out = tmp_path / "out"
    generate(roster_path(rows), out)
    result = generate(roster_path(rows[::-1], name="sorted.xlsx"), out)
    assert [o.action for o in result.outcomes] == ["up to date"] * 3
    assert not (out / "superseded").exists()


def test_one_pair_twice_with_two_starts_keeps_each_agreement_its_own(
    tmp_path: Path, roster_path
) -> None:
    """The same supervisee and supervisor on two rows with different starts (a warning, not an
    error): each row's agreement is matched by its start, so a re-run changes nothing."""
    rows = [row(Start_date=datetime(2026, 9, 1)), row()]
    out = tmp_path / "out"
    first = generate(roster_path(rows), out, now=datetime(2026, 3, 1, 9, 0))
    assert len(first.documents) == 2
    again = generate(roster_path(rows, name="again.xlsx"), out, now=datetime(2026, 3, 2, 9, 0))
    assert [o.action for o in again.outcomes] == ["up to date", "up to date"]
    assert [o.file for o in again.outcomes] == [o.file for o in first.outcomes]


def layouts_copy(tmp_path: Path) -> Path:
    layouts = tmp_path / "layouts"
    layouts.mkdir()
    for name in ("sefton.docx", "sefton.toml"):
        shutil.copy(REPO / "templates_docx" / name, layouts / name)
    return layouts


def test_a_changed_layout_remakes_its_agreements(tmp_path: Path, roster_path) -> None:
    layouts = layouts_copy(tmp_path)
    options = Options(templates_dir=layouts)
    roster = roster_path([row()])
    out = tmp_path / "out"
    generate(roster, out, options)
    layout = Document(str(layouts / "sefton.docx"))
    layout.add_paragraph("Reviewed by the Principal Social Worker, 2026.")
    layout.save(str(layouts / "sefton.docx"))
    result = generate(roster, out, options)
    assert [o.action for o in result.outcomes] == ["replaced"]
    assert len(list((out / "superseded").glob("*.docx"))) == 1


def test_a_layout_change_is_not_reported_as_a_roster_change(tmp_path: Path, roster_path) -> None:
    layouts = layouts_copy(tmp_path)
    options = Options(templates_dir=layouts)
    roster = roster_path([row()])
    out = tmp_path / "out"
    generate(roster, out, options)
    layout = Document(str(layouts / "sefton.docx"))
    layout.add_paragraph("Reviewed by the Principal Social Worker, 2026.")
    layout.save(str(layouts / "sefton.docx"))
    [outcome] = generate(roster, out, options).outcomes
    assert outcome.action == "replaced"
    assert "roster row changed" not in outcome.reason  # the roster is the same file


def test_each_decision_says_why_in_the_words_the_manifest_shows() -> None:
    """The manifest's Why column: why an agreement was made or replaced (README)."""
    items = [wanted(p, f"{p}.docx", "in-2") for p in ("new", "same", "changed", "edited")]
    found = [Existing("same.docx", stamp("same", "in-2"), True),
             Existing("changed.docx", stamp("changed", "in-1"), True),
             Existing("edited.docx", stamp("edited", "in-1"), False),
             Existing("gone.docx", stamp("gone", "in-1"), True)]  # fmt: skip
    matches, leftovers = match_existing(items, found)
    decisions = decide(items, matches, leftovers, found)
    assert [(d.action, d.reason) for d in decisions] == [
        ("made", "new on the roster"),
        ("up to date", ""),
        ("replaced", "the roster row changed"),
        ("edited, not replaced", "the roster row changed"),
        ("left", "no longer on the roster"),
    ]
