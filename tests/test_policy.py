"""Policy files: what each setting does and the sentence for each mistake in one."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from docgen.errors import PolicyError
from docgen.policy import DEFAULT_POLICY, Frequency, load_policy, parse_frequency
from docgen.values import BadValue

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
    assert (
        str(raised.value)
        == f"the supervision policy file {tmp_path / 'ours.toml'} is wrong: {detail}"
    )


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
    for day in (
        date(2026, 12, 24),
        date(2026, 12, 31),
        date(2027, 1, 1),
        date(2027, 1, 2),
        date(2030, 12, 24),
        date(2031, 1, 2),
    ):
        assert policy.is_closed(day) == "Christmas closure", day
    for day in (
        date(2026, 12, 23),
        date(2027, 1, 3),
        date(2026, 6, 9),
        date(2026, 6, 13),
        date(2027, 6, 10),
        date(2027, 2, 28),
    ):
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
    assert policy.describe_frequency(
        MONTHLY, date(2026, 9, 7), date(2026, 9, 7), date(2027, 9, 7)
    ) == (  # fmt: skip
        "weekly until 19 October 2026 (6 weeks in post), then fortnightly until 7 March 2028 "
        "(18 months in post)"
    )


@pytest.mark.parametrize(("text", "unit", "count"), [
    ("weekly", "week", 1), ("every week", "week", 1), ("Fortnightly", "week", 2),
    ("every fortnight", "week", 2), ("biweekly", "week", 2), ("bi-weekly", "week", 2),
    ("every 3 weeks", "week", 3), ("every three weeks", "week", 3), ("four-weekly", "week", 4),
    ("4 weekly", "week", 4), ("every 4 weeks", "week", 4), ("six weekly", "week", 6),
    ("6 weekly", "week", 6), ("every 13 weeks", "week", 13), ("monthly", "month", 1),
    ("every month", "month", 1), ("bimonthly", "month", 2), ("bi monthly", "month", 2),
    ("every two months", "month", 2), ("quarterly", "month", 3), ("every 3 months", "month", 3),
    ("  Every   2   Weeks ", "week", 2), ("every eight weeks", "week", 8),
])  # fmt: skip
def test_frequencies_in_words(text: str, unit: str, count: int) -> None:
    assert parse_frequency(text) == Frequency(unit, count)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "every 14 weeks",
        "every 0 weeks",
        "every 4 months",
        "daily",
        "every seven weeks",
        "sometimes",
        "",
    ],
)
def test_not_frequencies(text: str) -> None:
    with pytest.raises(BadValue, match="is not a frequency"):
        parse_frequency(text)


def test_frequency_words_and_order() -> None:
    assert [Frequency("week", 1).words, Frequency("week", 2).words, Frequency("month", 1).words,
            Frequency("week", 4).words, Frequency("month", 3).words] == [
        "weekly", "fortnightly", "monthly", "every 4 weeks", "every 3 months"]  # fmt: skip
    assert str(Frequency("week", 6)) == "every 6 weeks"
    assert Frequency("week", 4).approx_days == 28 and Frequency("month", 2).approx_days == 60.88


def test_a_policys_plain_settings(tmp_path: Path) -> None:
    path = tmp_path / "bare.toml"
    path.write_text('[[role]]\nname = "Social worker"\nfrequency = "monthly"\n', encoding="utf-8")
    bare = load_policy(path)
    assert (bare.name, bare.source, bare.review_after_months, bare.cover_text) == (
        "bare",
        "",
        12,
        "",
    )
    assert (
        bare.path == path and bare.newly_qualified == () and bare.role_names == ("Social worker",)
    )
    shipped = load_policy(DEFAULT_POLICY)
    assert shipped.source == "Supervision policy, General rule 7: frequency of supervision"
    assert shipped.cover_text.startswith("When the supervisor is on annual leave or off sick,")
    for minutes in (10, 480):
        assert policy_with(tmp_path, "", base=f"minimum_meeting_minutes = {minutes}\n" + BASE
                           ).minimum_meeting_minutes == minutes  # fmt: skip


def test_policy_files_that_cannot_be_read(tmp_path: Path) -> None:
    missing = tmp_path / "none.toml"
    with pytest.raises(PolicyError) as raised:
        load_policy(missing)
    assert str(raised.value) == f"the supervision policy file {missing} does not exist"
    broken = tmp_path / "broken.toml"
    broken.write_text("name = \n", encoding="utf-8")
    with pytest.raises(PolicyError, match=f"the supervision policy file {broken} cannot be read: "):
        load_policy(broken)
    roles = tmp_path / "roles.toml"
    roles.write_text('role = "Social worker"\n', encoding="utf-8")
    with pytest.raises(PolicyError) as raised:
        load_policy(roles)
    assert str(raised.value).endswith("is wrong: [[role]] entries are expected")
    bad = tmp_path / "bad.toml"
    bad.write_text('[[role]]\nname = "Social worker"\nfrequency = "yearly"\n', encoding="utf-8")
    with pytest.raises(PolicyError) as raised:
        load_policy(bad)
    assert str(raised.value).endswith(
        'is wrong: role Social worker: "yearly" is not a frequency '
        "(write weekly, fortnightly, every 3 weeks, every 4 weeks, "
        "monthly or every 6 weeks)"
    )


def test_the_employer_standard_picks_the_scheme_by_start_in_post() -> None:
    standard = load_policy(DEFAULT_POLICY.parent / "employer-standards.toml")
    assert len(standard.phases_for(date(2027, 8, 31))) == 2  # the ASYE
    assert len(standard.phases_for(date(2027, 9, 1))) == 3  # the early-career programme
    words = standard.describe_frequency(MONTHLY, date(2027, 9, 1), date(2027, 9, 1),
                                        date(2028, 9, 1))  # fmt: skip
    assert words == (
        "weekly until 13 October 2027 (6 weeks in post), then fortnightly until "
        "1 March 2028 (6 months in post), then monthly"
    )
