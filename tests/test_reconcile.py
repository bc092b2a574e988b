"""The re-run rules on their own, as plain values: who matches whom, and what is done."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from docgen.fingerprint import Stamp
from docgen.reconcile import Existing, Match, Wanted, decide, match_existing, refresh_start


def stamp(person: str = "p1", supervisor: str = "s1", start: date = date(2026, 3, 2),
          review: date = date(2027, 3, 2), input_: str = "in-1",
          made: datetime = datetime(2026, 3, 1, 9, 0),
          name: str = "Amira Khan") -> Stamp:  # fmt: skip
    return Stamp(content="c", input=input_, pair=f"{person}-{supervisor}", person=person,
                 supervisee=name, supervisor="Joe Bloggs", staff_id="", layout="sefton",
                 start=start, review=review, meetings=12, made=made)  # fmt: skip


def existing(name: str = "a.docx", untouched: bool = True, **kwargs: object) -> Existing:
    return Existing(name, stamp(**kwargs), untouched)  # type: ignore[arg-type]


def wanted(person: str = "p1", supervisor: str = "s1", start: date = date(2026, 3, 2),
           input_: str = "in-1", file_name: str = "a.docx") -> Wanted:  # fmt: skip
    return Wanted(person, supervisor, start, input_, file_name)


def run(items: list[Wanted], found: list[Existing], **kwargs: object) -> list[tuple[str, str, str]]:
    matches, leftovers = match_existing(items, found)
    decisions = decide(items, matches, leftovers, found, **kwargs)  # type: ignore[arg-type]
    return [(d.action, d.existing.name if d.existing else "", d.target) for d in decisions]


def test_each_rule_of_a_re_run() -> None:
    assert run([wanted()], []) == [("made", "", "a.docx")]
    assert run([wanted()], [existing()]) == [("up to date", "a.docx", "")]
    assert run([wanted()], [existing(untouched=False)]) == [("edited", "a.docx", "")]
    assert run([wanted(input_="in-2")], [existing()]) == [("replaced", "a.docx", "a.docx")]
    assert run([wanted(input_="in-2")], [existing(untouched=False)]) == [
        ("edited, not replaced", "a.docx", "")
    ]
    assert run([wanted(input_="in-2")], [existing(untouched=False)], replace_edited=True) == [
        ("replaced", "a.docx", "a.docx")
    ]
    assert run([], [existing()]) == [("left", "a.docx", "")]


def test_superseded_agreements_are_never_matched_again() -> None:
    old = existing("superseded/a (superseded 2026-01-01).docx")
    assert run([wanted()], [old]) == [("made", "", "a.docx")]


def test_a_name_held_by_a_file_docgen_did_not_make_is_not_taken() -> None:
    theirs = Existing("a.docx", None, False)
    also = Existing("A (2).DOCX", None, False)
    assert run([wanted()], [theirs, also]) == [("made", "", "a (3).docx")]


def test_a_replaced_agreement_frees_its_name_for_the_new_one() -> None:
    assert run([wanted(input_="in-2")], [existing("a.docx")]) == [("replaced", "a.docx", "a.docx")]


def test_matching_prefers_the_same_supervisor_and_start_then_the_same_supervisor_then_anyone() -> (
    None
):
    same_start = existing("x.docx", start=date(2026, 3, 2), made=datetime(2025, 1, 1))
    other_start = existing("y.docx", start=date(2025, 3, 3), made=datetime(2026, 1, 1))
    other_boss = existing("z.docx", supervisor="s2", made=datetime(2026, 6, 1))
    matches, left = match_existing([wanted()], [other_boss, other_start, same_start])
    assert matches[0].existing == same_start and matches[0].same_supervisor
    matches, left = match_existing([wanted()], [other_boss, other_start])
    assert matches[0].existing == other_start and matches[0].same_supervisor
    matches, left = match_existing([wanted()], [other_boss])
    assert matches[0].existing == other_boss and not matches[0].same_supervisor
    assert left == []
    matches, left = match_existing([wanted(person="p9")], [other_boss])
    assert matches[0].existing is None and left == [other_boss]


def test_a_new_supervisor_replaces_even_in_generate_and_says_why() -> None:
    items = [wanted(supervisor="s2", input_="in-9")]
    found = [existing()]
    matches, leftovers = match_existing(items, found)
    [decision] = decide(items, matches, leftovers, found)
    assert decision.action == "replaced"
    assert decision.reason == "the supervisor changed from Joe Bloggs"


TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("review", "within", "expected"),
    [
        (date(2026, 12, 23), 30, (date(2026, 12, 23), "the review is due on 23/12/2026")),
        (date(2026, 12, 24), 30, (date(2026, 3, 2), "")),  # 31 days away: not yet
        (date(2026, 11, 23), 0, (date(2026, 11, 23), "the review is due on 23/11/2026")),
        (date(2026, 11, 22), 0, (TODAY, "the review was due on 22/11/2026")),
        (date(2027, 6, 1), 200, (date(2027, 6, 1), "the review is due on 01/06/2027")),
    ],
)  # fmt: skip
def test_refresh_reviews_due_within_the_window_or_passed(
    review: date, within: int, expected: tuple[date, str]
) -> None:
    match = Match(existing(review=review))
    assert refresh_start(match, date(2026, 3, 2), TODAY, within) == expected


def test_refresh_other_reasons() -> None:
    assert refresh_start(Match(None), date(2026, 11, 2), TODAY, 30) == (
        date(2026, 11, 2),
        "new on the roster",
    )
    new_boss = Match(existing(), same_supervisor=False)
    assert refresh_start(new_boss, date(2026, 3, 2), TODAY, 30) == (
        TODAY,
        "the supervisor changed from Joe Bloggs",
    )
    assert refresh_start(new_boss, date(2026, 12, 1), TODAY, 30) == (
        date(2026, 12, 1),
        "the roster gives a new start date, 01/12/2026",
    )
    later = Match(existing(start=date(2026, 12, 1), review=date(2027, 12, 1)))
    # The agreement in force started later than the roster says (an earlier refresh):
    # it keeps its own start, and nothing is due.
    assert refresh_start(later, date(2025, 12, 1), TODAY, 30) == (date(2026, 12, 1), "")


def test_refresh_replaces_an_edited_agreement_that_is_due() -> None:
    items = [wanted(input_="in-2")]
    found = [existing(untouched=False)]
    matches, leftovers = match_existing(items, found)
    [decision] = decide(
        items, matches, leftovers, found, reasons=["the review is due on 01/12/2026"]
    )
    assert (decision.action, decision.reason) == ("replaced", "the review is due on 01/12/2026")
    [decision] = decide(items, matches, leftovers, found, reasons=[""])
    assert decision.action == "edited, not replaced"


def test_the_reason_names_what_changed() -> None:
    from docgen.reconcile import what_changed

    before = "roster:aaa layout:bbb dates:ccc"
    assert what_changed(before, "roster:xxx layout:bbb dates:yyy") == "the roster row changed"
    assert (
        what_changed(before, "roster:aaa layout:xxx dates:ccc")
        == "the layout or its policy changed"
    )
    assert what_changed(before, "roster:aaa layout:bbb dates:xxx") == (
        "the meeting dates changed (bank holidays)"
    )
    assert what_changed(before, "roster:xxx layout:xxx dates:xxx") == (
        "the roster row changed and the layout or its policy changed"
    )
    assert what_changed("0f3a9c", before) == "the roster row changed"  # an older agreement
