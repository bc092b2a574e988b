"""A role's other names (`also`) in a policy file: one name in quotes, or a list of them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.errors import PolicyError
from docgen.policy import Frequency, load_policy

from .conftest import row, write_roster

OUR_RULES = """\
name = "Our rules"

[[role]]
name = "Team manager"
frequency = "fortnightly"
{also}

[[role]]
name = "Social worker"
frequency = "monthly"
"""


def _policy_file(tmp_path: Path, also: str) -> Path:
    path = tmp_path / "ours.toml"
    path.write_text(OUR_RULES.format(also=also), encoding="utf-8")
    return path


def test_one_other_name_in_quotes_is_one_alias_not_one_per_letter(tmp_path: Path) -> None:
    # The issue: `also = "Deputy"` made the aliases d, e, p, u, t, y.
    policy = load_policy(_policy_file(tmp_path, 'also = "Deputy"'))
    assert policy.role_frequency("Deputy") == Frequency("week", 2)
    assert dict(policy.aliases) == {"deputy": "team manager"}
    for letter in "DEPUTYdeputy":
        assert policy.role_frequency(letter) is None


def test_a_list_of_other_names_still_gives_each_one(tmp_path: Path) -> None:
    policy = load_policy(_policy_file(tmp_path, 'also = ["Deputy", "Assistant team manager"]'))
    assert policy.role_frequency("Deputy") == Frequency("week", 2)
    assert policy.role_frequency("Assistant team manager") == Frequency("week", 2)
    assert policy.role_frequency("D") is None


@pytest.mark.parametrize("also", ["also = 3", 'also = { name = "Deputy" }', "also = true"])
def test_other_names_that_are_not_text_get_one_sentence(tmp_path: Path, also: str) -> None:
    path = _policy_file(tmp_path, also)
    with pytest.raises(PolicyError) as raised:
        load_policy(path)
    assert str(raised.value) == (
        f"the supervision policy file {path} is wrong: role Team manager: "
        '"also" must be a name in quotes, or a list of them, such as '
        'also = ["Deputy team manager", "Assistant team manager"]'
    )


def test_a_roster_role_of_the_one_other_name_is_read_and_a_letter_is_not(tmp_path: Path) -> None:
    policy = _policy_file(tmp_path, 'also = "Deputy"')
    good = write_roster(tmp_path / "good.xlsx", [row(role="Deputy")])
    result = CliRunner().invoke(main, ["validate", str(good), "--policy", str(policy)])
    assert result.exit_code == 0, result.output

    letter = write_roster(tmp_path / "letter.xlsx", [row(role="D")])
    result = CliRunner().invoke(main, ["validate", str(letter), "--policy", str(policy)])
    assert result.exit_code != 0, result.output
    assert 'is not a role in the policy "Our rules"' in result.output
