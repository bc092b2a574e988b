"""Who is supervised how often: a council's supervision policy, read from a TOML data file.

The default policy (``docgen/policies/default.toml``) is the supervision policy seed's rule.
A council with other rules copies that file, edits it, and names it in its layout's metadata
(``policy = "our-policy.toml"``) or passes ``--policy FILE``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from dateutil.relativedelta import relativedelta

from .errors import PolicyError
from .files import read_small_text, toml_problem
from .values import BadValue, as_text, parse_uk_date, prose_date

POLICY_DIR = Path(__file__).parent / "policies"
DEFAULT_POLICY = POLICY_DIR / "default.toml"


@dataclass(frozen=True, order=True)
class Frequency:
    """A meeting interval: `count` weeks or `count` calendar months."""

    unit: Literal["week", "month"]
    count: int

    @property
    def approx_days(self) -> float:
        """The interval in days, months taken as their average length."""
        return self.count * (7 if self.unit == "week" else 30.44)

    @property
    def words(self) -> str:
        """The frequency as an agreement words it: "monthly", "every 3 weeks"."""
        named = {("week", 1): "weekly", ("week", 2): "fortnightly", ("month", 1): "monthly"}
        return named.get((self.unit, self.count), f"every {self.count} {self.unit}s")

    def __str__(self) -> str:
        return self.words


FREQUENCY_FIX = "write weekly, fortnightly, every 3 weeks, every 4 weeks, monthly or every 6 weeks"
_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "eight": 8}


def parse_frequency(value: object) -> Frequency:
    """A frequency: "weekly", "fortnightly", "every 4 weeks", "monthly", "every 2 months"."""
    text = re.sub(r"\s+", " ", as_text(value).casefold().replace("-", " ")).strip()
    fixed = {
        "weekly": Frequency("week", 1), "every week": Frequency("week", 1),
        "fortnightly": Frequency("week", 2), "every fortnight": Frequency("week", 2),
        "biweekly": Frequency("week", 2), "bi weekly": Frequency("week", 2),
        "monthly": Frequency("month", 1), "every month": Frequency("month", 1),
        "four weekly": Frequency("week", 4), "4 weekly": Frequency("week", 4),
        "six weekly": Frequency("week", 6), "6 weekly": Frequency("week", 6),
        "bimonthly": Frequency("month", 2), "bi monthly": Frequency("month", 2),
        "quarterly": Frequency("month", 3),
    }  # fmt: skip
    if text in fixed:
        return fixed[text]
    match = re.fullmatch(r"every (\w+) (week|month)s?", text)
    if match:
        count_word, unit = match.groups()
        count = int(count_word) if count_word.isdigit() else _NUMBER_WORDS.get(count_word, 0)
        if unit == "week" and 1 <= count <= 13 or unit == "month" and 1 <= count <= 3:
            return Frequency(unit, count)  # type: ignore[arg-type]
    raise BadValue("is not a frequency", FREQUENCY_FIX)


def parse_period(text: str) -> relativedelta:
    """How long a newly qualified phase lasts: "6 weeks", "12 months"."""
    match = re.fullmatch(r"\s*(\d+)\s*(week|month)s?\s*", text.casefold())
    if not match:
        raise ValueError(f'"{text}" is not a period such as "6 weeks" or "12 months"')
    number, unit = int(match.group(1)), match.group(2)
    return relativedelta(weeks=number) if unit == "week" else relativedelta(months=number)


@dataclass(frozen=True)
class Phase:
    """For newly qualified staff: `frequency` until `until` after they started in post.

    `started_from` and `started_before` limit it to people who started in post in those
    dates (a scheme replacing another). A policy file may also name the phase's `programme`,
    for people reading it.
    """

    until: relativedelta
    until_text: str
    frequency: Frequency
    started_from: date | None = None
    started_before: date | None = None

    def applies_to(self, started_in_post: date) -> bool:
        """Whether the phase applies to someone who started in post on `started_in_post`."""
        if self.started_from is not None and started_in_post < self.started_from:
            return False
        return self.started_before is None or started_in_post < self.started_before


@dataclass(frozen=True)
class HolidayChange:
    """A day the policy adds to, or removes from, the `holidays` package's bank holidays."""

    day: date
    name: str  # empty for a removed day
    nations: tuple[str, ...]  # empty: every nation


@dataclass(frozen=True)
class Closure:
    """Days the organisation is shut. `every_year` closures repeat on the same dates."""

    name: str
    start: date  # for yearly closures, the year is a placeholder
    end: date
    every_year: bool

    def covers(self, day: date) -> bool:
        """Whether the closure includes `day`."""
        if not self.every_year:
            return self.start <= day <= self.end
        for year in (day.year - 1, day.year):
            start = _same_day_in(self.start, year)
            end = _same_day_in(self.end, year + (self.end < self.start))
            if start <= day <= end:
                return True
        return False


def _same_day_in(day: date, year: int) -> date:
    return day + relativedelta(year=year)


def normalise_role(text: str) -> str:
    """A role as roles are compared: case, punctuation and a plural s aside."""
    folded = re.sub(r"[\W_]+", " ", text.casefold()).strip()
    folded = folded.replace("advisor", "adviser")
    return re.sub(r"s$", "", folded)


ORGANISATION_PLACEHOLDER = "{organisation}"


@dataclass(frozen=True)
class Policy:
    """A supervision policy.

    `name` is the file's own title (in messages); `policy_name` is how agreements name it,
    where ``{organisation}`` stands for the agreement's organisation, so that one shipped file
    reads as each council's own policy.
    """

    name: str
    source: str
    path: Path
    roles: Mapping[str, Frequency]  # keyed by normalise_role(display name)
    role_names: tuple[str, ...]
    newly_qualified: tuple[Phase, ...]
    closures: tuple[Closure, ...] = ()
    review_after_months: int = 12
    cover_text: str = ""
    aliases: Mapping[str, str] = field(default_factory=dict)
    minimum_meeting_minutes: int | None = None
    holidays_added: tuple[HolidayChange, ...] = ()
    holidays_removed: tuple[HolidayChange, ...] = ()
    policy_name: str = ""

    def name_for(self, organisation: str) -> str:
        """What an agreement for `organisation` calls this policy.

        "Sefton Council supervision policy": the file's `policy_name`, else its `name`.
        """
        if not self.policy_name:
            return self.name
        return self.policy_name.replace(ORGANISATION_PLACEHOLDER, organisation.strip())

    def role_frequency(self, role: str) -> Frequency | None:
        """The frequency the policy asks for `role` (or one of its other names), or None."""
        key = normalise_role(role)
        key = self.aliases.get(key, key)
        return self.roles.get(key)

    def phases_for(self, started_in_post: date) -> tuple[Phase, ...]:
        """The newly qualified phases for someone who started in post on `started_in_post`."""
        return tuple(p for p in self.newly_qualified if p.applies_to(started_in_post))

    def frequency_on(
        self, day: date, role_frequency: Frequency, started_in_post: date | None
    ) -> Frequency:
        """The policy's minimum frequency on `day`, for a person whose role asks for it.

        `role_frequency` is what the role asks for; `started_in_post` is given only for newly
        qualified staff.
        """
        if started_in_post is not None:
            for phase in self.phases_for(started_in_post):
                if day < started_in_post + phase.until:
                    return phase.frequency
        return role_frequency

    def phase_boundaries(self, started_in_post: date) -> list[date]:
        """The days on which the newly qualified phases of this person end."""
        return [started_in_post + phase.until for phase in self.phases_for(started_in_post)]

    def newly_qualified_until(self, started_in_post: date) -> date | None:
        """When the newly qualified rules stop applying to someone, or None if they never do."""
        boundaries = self.phase_boundaries(started_in_post)
        return max(boundaries) if boundaries else None

    def describe_frequency(
        self, role_frequency: Frequency, started_in_post: date | None, start: date, review: date
    ) -> str:
        """This person's frequency in words, with the dates it changes on within the agreement.

        The agreement runs from `start` to `review`: "fortnightly until 1 June 2027 (12 months
        in post), then monthly". `started_in_post` is given only for newly qualified staff.
        """
        steps = self.frequency_steps(role_frequency, started_in_post, start, review)
        return ", then ".join(f"{f.words} {until}".strip() for f, until in steps)

    def frequency_steps(
        self, role_frequency: Frequency, started_in_post: date | None, start: date, review: date
    ) -> list[tuple[Frequency, str]]:
        """The frequencies that apply in turn from `start` to `review`, each with its words.

        The words say until when ("until 1 June 2027 (12 months in post)"; empty for the last).
        """
        if started_in_post is None:
            return [(role_frequency, "")]
        phases: list[Phase] = []
        for phase in self.phases_for(started_in_post):
            if phases and phases[-1].frequency == phase.frequency:
                phases[-1] = phase  # two phases asking the same read as one
            else:
                phases.append(phase)
        if phases and phases[-1].frequency == role_frequency:
            phases.pop()  # a last phase asking what the role asks reads as the role's
        steps: list[tuple[Frequency, str]] = []
        for phase in phases:
            ends = started_in_post + phase.until
            if ends <= start:
                continue  # a phase that is over before the agreement starts
            steps.append(
                (phase.frequency, f"until {prose_date(ends)} ({phase.until_text} in post)")
            )
            if ends >= review:
                break  # the agreement is reviewed before the next phase begins
        else:
            if steps and steps[-1][0] == role_frequency:
                steps[-1] = (role_frequency, "")
            else:
                steps.append((role_frequency, ""))
        return steps

    def holiday_added(self, day: date, nation: str) -> str | None:
        """The name of a bank holiday the policy adds on `day` in `nation`, or None."""
        for change in self.holidays_added:
            if change.day == day and (not change.nations or nation in change.nations):
                return change.name
        return None

    def holiday_removed(self, day: date, nation: str) -> bool:
        """Whether the policy takes away the bank holiday on `day` in `nation`."""
        return any(change.day == day and (not change.nations or nation in change.nations)
                   for change in self.holidays_removed)  # fmt: skip

    def is_closed(self, day: date) -> str | None:
        """The name of the closure that includes `day`, or None."""
        for closure in self.closures:
            if closure.covers(day):
                return closure.name
        return None


def load_policy(path: Path) -> Policy:
    """Read a policy file; any mistake in it is a `PolicyError` naming the file and the entry."""
    text = read_small_text(path, "supervision policy file", PolicyError)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PolicyError(f"the supervision policy file {path} cannot be read: "
                          f"{toml_problem(text, str(error))}") from None  # fmt: skip
    try:
        return _policy_from(data, path)
    except (KeyError, TypeError, ValueError) as error:
        detail = error.message if isinstance(error, BadValue) else str(error)
        raise PolicyError(f"the supervision policy file {path} is wrong: {detail}") from None


def _policy_from(data: dict[str, object], path: Path) -> Policy:
    roles: dict[str, Frequency] = {}
    names: list[str] = []
    aliases: dict[str, str] = {}
    for entry in _table_list(data, "role"):
        name = str(entry["name"])
        roles[normalise_role(name)] = _frequency(entry["frequency"], f"role {name}")
        names.append(name)
        for alias in _other_names(entry.get("also", []), name):
            aliases[normalise_role(alias)] = normalise_role(name)
    phases = []
    for entry in _table_list(data, "newly_qualified"):
        until_text = str(entry["until"])
        phases.append(Phase(
            parse_period(until_text), until_text, _frequency(entry["frequency"], "phase"),
            _optional_date(entry, "started_from"), _optional_date(entry, "started_before"),
        ))  # fmt: skip
    closures = [_closure(entry) for entry in _table_list(data, "closure")]
    policy_name = data.get("policy_name", "")
    if not isinstance(policy_name, str):
        raise ValueError('policy_name must be text in quotes, such as '
                         'policy_name = "{organisation} supervision policy"')  # fmt: skip
    leftover = policy_name.replace(ORGANISATION_PLACEHOLDER, "")
    if "{" in leftover or "}" in leftover:
        raise ValueError(f'policy_name = "{policy_name}" may use {ORGANISATION_PLACEHOLDER} '
                         "for the agreement's organisation, and no other { }")  # fmt: skip
    minimum = data.get("minimum_meeting_minutes")
    if minimum is not None and (not isinstance(minimum, int) or not 10 <= minimum <= 480):
        raise ValueError(f'minimum_meeting_minutes = {minimum} is not a number of minutes '
                         "from 10 to 480")  # fmt: skip
    return Policy(
        name=str(data.get("name", path.stem)),
        source=str(data.get("source", "")),
        path=path,
        roles=roles,
        role_names=tuple(names),
        newly_qualified=tuple(phases),
        closures=tuple(closures),
        review_after_months=int(data.get("review_after_months", 12)),  # type: ignore[call-overload]
        cover_text=str(data.get("cover_when_supervisor_away", "")),
        aliases=aliases,
        minimum_meeting_minutes=minimum,
        holidays_added=tuple(_holiday(e, True) for e in _table_list(data, "add_bank_holiday")),
        holidays_removed=tuple(
            _holiday(e, False) for e in _table_list(data, "remove_bank_holiday")
        ),
        policy_name=policy_name.strip(),
    )


_NATIONS = ("England", "Wales", "Scotland", "Northern Ireland")


def _holiday(entry: Mapping[str, object], added: bool) -> HolidayChange:
    what = "add_bank_holiday" if added else "remove_bank_holiday"
    try:
        day = parse_uk_date(entry["date"])
    except BadValue as error:
        raise ValueError(f'[[{what}]] date "{entry["date"]}" {error.message}') from None
    nations = entry.get("nations", [])
    if not isinstance(nations, list) or any(n not in _NATIONS for n in nations):
        raise ValueError(f"[[{what}]] nations must be a list of: " + ", ".join(_NATIONS))
    name = str(entry.get("name", "")) if added else ""
    if added and not name:
        raise ValueError(f"[[{what}]] {entry['date']} needs a name")
    return HolidayChange(day, name, tuple(str(n) for n in nations))


def _optional_date(entry: Mapping[str, object], key: str) -> date | None:
    if key not in entry:
        return None
    try:
        return parse_uk_date(entry[key])
    except BadValue as error:
        raise ValueError(f'{key} "{entry[key]}" {error.message}') from None


def _table_list(data: Mapping[str, object], key: str) -> list[dict[str, object]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ValueError(f"[[{key}]] entries are expected")
    return value


def _other_names(also: object, role: str) -> list[str]:
    # `also = "Deputy"` is one other name: read as a sequence it would be six, one per letter.
    if isinstance(also, str):
        return [also]
    if isinstance(also, list):
        return [str(alias) for alias in also]
    raise ValueError(
        f'role {role}: "also" must be a name in quotes, or a list of them, '
        'such as also = ["Deputy team manager", "Assistant team manager"]'
    )


def _frequency(value: object, what: str) -> Frequency:
    try:
        return parse_frequency(value)
    except BadValue:
        raise ValueError(f'{what}: "{value}" is not a frequency ({FREQUENCY_FIX})') from None


def _closure(entry: Mapping[str, object]) -> Closure:
    name = str(entry.get("name", "closure"))
    start_text, end_text = str(entry["from"]), str(entry.get("to", entry["from"]))
    every_year = not re.search(r"\d{4}", start_text)
    placeholder = " 2000" if every_year else ""  # a leap year, so 29 February is allowed
    try:
        start = parse_uk_date(start_text + placeholder)
        end = parse_uk_date(end_text + placeholder)
    except BadValue as error:
        raise ValueError(
            f'closure "{name}": {error.message} ({start_text} to {end_text})'
        ) from None
    if not every_year and end < start:
        raise ValueError(f'closure "{name}" ends before it starts')
    return Closure(name, start, end, every_year)
