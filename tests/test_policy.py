"""Policy files: what each setting does and the sentence for each mistake in one."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from docgen.errors import PolicyError
from docgen.policy import DEFAULT_POLICY, Frequency, load_policy

MONTHLY = Frequency("month", 1)
BASE = DEFAULT_POLICY.read_text(encoding="utf-8")


def policy_with(tmp_path: Path, extra: str, base: str = BASE):  # type: ignore[no-untyped-def]
    path = tmp_path / "ours.toml"
    path.write_text(base + "\n" + extra, encoding="utf-8")
    return load_policy(path)


@pytest.mark.parametrize(("extra", "detail"), [
    ('[[add_bank_holiday]]\ndate = "31/02/2026"\nname = "X"',
     '[[add_bank_holiday]] date "31/02/2026" is not a date: February 2026 has no day 31'),
    ('[[remove_bank_holiday]]\ndate = "soon"',
     '[[remove_bank_holiday]] date "soon" is not a date'),
    ('[[add_bank_holiday]]\ndate = "14/09/2026"',
     "[[add_bank_holiday]] 14/09/2026 needs a name"),
    ('[[add_bank_holiday]]\ndate = "14/09/2026"\nname = "X"\nnations = ["Wakanda"]',
     "[[add_bank_holiday]] nations must be a list of: England, Wales, Scotland, Northern Ireland"),
    ('[[remove_bank_holiday]]\ndate = "14/09/2026"\nnations = "Scotland"',
     "[[remove_bank_holiday]] nations must be a list of: England, Wales, Scotland, Northern "
     "Ireland"),
    ("minimum_meeting_minutes = 5",
     "minimum_meeting_minutes = 5 is not a number of minutes from 10 to 480"),
    ("minimum_meeting_minutes = 481",
     "minimum_meeting_minutes = 481 is not a number of minutes from 10 to 480"),
    ('minimum_meeting_minutes = "90"',
     "minimum_meeting_minutes = 90 is not a number of minutes from 10 to 480"),
    ('[[closure]]\nname = "Shut"\nfrom = "30/12/2026"\nto = "02/12/2026"',
     'closure "Shut" ends before it starts'),
    ('[[closure]]\nname = "Shut"\nfrom = "31 February"',
     'closure "Shut": is not a date: February 2000 has no day 31 (31 February to 31 February)'),
    ('[[newly_qualified]]\nuntil = "2 years"\nfrequency = "monthly"',
     '"2 years" is not a period such as "6 weeks" or "12 months"'),
    ('[[newly_qualified]]\nuntil = "18 months"\nfrequency = "monthly"\nstarted_from = "1/13/2027"',
     'started_from "1/13/2027" looks like a US date (month first); docgen reads dates as '
     "dd/mm/yyyy"),
    ('[[newly_qualified]]\nuntil = "18 months"\nfrequency = "sometimes"',
     'phase: "sometimes" is not a frequency (write weekly, fortnightly, every 3 weeks, every 4 '
     "weeks, monthly or every 6 weeks)"),
])  # fmt: skip
def test_mistakes_in_a_policy_file_are_named(tmp_path: Path, extra: str, detail: str) -> None:
    with pytest.raises(PolicyError) as raised:
        if extra.startswith("minimum"):  # a top-level setting goes before the tables
            policy_with(tmp_path, "", base=extra + "\n" + BASE)
        else:
            policy_with(tmp_path, extra)
    assert str(raised.value) == f"the supervision policy file {tmp_path / 'ours.toml'} is wrong: {detail}"


def test_bank_holiday_changes_apply_to_the_nations_named(tmp_path: Path) -> None:
    policy = policy_with(tmp_path, (
        '[[add_bank_holiday]]\nname = "Eisteddfod day"\ndate = "05/08/2026"\nnations = ["Wales"]\n'
        '[[add_bank_holiday]]\nname = "Foundation day"\ndate = 2026-09-14\n'
        '[[remove_bank_holiday]]\ndate = "15/06/2026"\nnations = ["Scotland", "England"]\n'
        '[[remove_bank_holiday]]\ndate = "25/12/2026"\n'
    ))  # fmt: skip
    assert policy.holiday_added(date(2026, 8, 5), "Wales") == "Eisteddfod day"
    assert policy.holiday_added(date(2026, 8, 5), "England") is None
    assert policy.holiday_added(date(2026, 8, 6), "Wales") is None
    assert policy.holiday_added(date(2026, 9, 14), "Northern Ireland") == "Foundation day"
    assert policy.holiday_removed(date(2026, 6, 15), "Scotland")
    assert not policy.holiday_removed(date(2026, 6, 15), "Wales")
    assert not policy.holiday_removed(date(2026, 6, 16), "Scotland")
    assert all(policy.holiday_removed(date(2026, 12, 25), n)
               for n in ("England", "Wales", "Scotland", "Northern Ireland"))  # fmt: skip


def test_closures_once_and_every_year(tmp_path: Path) -> None:
    policy = policy_with(tmp_path, (
        '[[closure]]\nname = "Christmas closure"\nfrom = "24 December"\nto = "2 January"\n'
        '[[closure]]\nname = "Office move"\nfrom = "10/06/2026"\nto = "12/06/2026"\n'
        '[[closure]]\nfrom = "1 May"\n'
    ))  # fmt: skip
    for day in (date(2026, 12, 24), date(2026, 12, 31), date(2027, 1, 1), date(2027, 1, 2),
                date(2030, 12, 24), date(2031, 1, 2)):
        assert policy.is_closed(day) == "Christmas closure", day
    for day in (date(2026, 12, 23), date(2027, 1, 3), date(2026, 6, 9), date(2026, 6, 13),
                date(2027, 6, 10), date(2027, 2, 28)):
        assert policy.is_closed(day) is None, day
    assert policy.is_closed(date(2026, 6, 10)) == "Office move"
    assert policy.is_closed(date(2026, 6, 12)) == "Office move"
    assert policy.is_closed(date(2031, 5, 1)) == "closure"  # a closure with no name


def test_roles_and_their_other_names() -> None:
    policy = load_policy(DEFAULT_POLICY)
    assert policy.role_frequency("Team Managers") == MONTHLY
    assert policy.role_frequency("assistant team manager") == MONTHLY
    assert policy.role_frequency("Personal Advisor") == MONTHLY
    assert policy.role_frequency("NQSW") == MONTHLY
    assert policy.role_frequency("Wizard") is None
    assert policy.review_after_months == 12
    assert policy.minimum_meeting_minutes is None
    assert policy.name == "Children's Services supervision policy"


@pytest.mark.parametrize(("started", "start", "words"), [
    (None, date(2026, 3, 2), "monthly"),
    # In post on the start: both phases fall inside the agreement; 12 months is the review.
    (date(2026, 3, 2), date(2026, 3, 2),
     "weekly until 13 April 2026 (6 weeks in post), then fortnightly until 2 March 2027 "
     "(12 months in post)"),
    # A day later in post than the review allows: monthly begins the day before the review.
    (date(2026, 3, 1), date(2026, 3, 2),
     "weekly until 12 April 2026 (6 weeks in post), then fortnightly until 1 March 2027 "
     "(12 months in post), then monthly"),
    # 6 weeks in post exactly on the start: the weekly phase is over.
    (date(2026, 1, 19), date(2026, 3, 2),
     "fortnightly until 19 January 2027 (12 months in post), then monthly"),
    # 12 months in post exactly on the start: nothing newly qualified is left.
    (date(2025, 3, 2), date(2026, 3, 2), "monthly"),
])  # fmt: skip
def test_frequency_in_words_with_dates(started: date | None, start: date, words: str) -> None:
    policy = load_policy(DEFAULT_POLICY)
    review = date(start.year + 1, start.month, start.day)
    assert policy.describe_frequency(MONTHLY, started, start, review) == words


def test_phases_asking_the_same_read_as_one(tmp_path: Path) -> None:
    programme = load_policy(DEFAULT_POLICY.parent / "early-career-programme.toml")
    # Monthly from 6 months to 24 months in post, then the role's monthly: one "monthly".
    words = programme.describe_frequency(MONTHLY, date(2026, 9, 7), date(2028, 6, 7),
                                         date(2029, 6, 7))  # fmt: skip
    assert words == "monthly"
    weekly_role = programme.describe_frequency(Frequency("week", 1), date(2026, 9, 7),
                                               date(2028, 6, 7), date(2029, 6, 7))  # fmt: skip
    assert weekly_role == "monthly until 7 September 2028 (24 months in post), then weekly"
    policy = policy_with(tmp_path, (
        '[[newly_qualified]]\nuntil = "18 months"\nfrequency = "fortnightly"\n'
    ))  # fmt: skip
    assert policy.describe_frequency(MONTHLY, date(2026, 9, 7), date(2026, 9, 7),
                                     date(2027, 9, 7)) == (  # fmt: skip
        "weekly until 19 October 2026 (6 weeks in post), then fortnightly until 7 March 2028 "
        "(18 months in post)"
    )
