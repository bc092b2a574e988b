"""Turn roster rows into checked, typed records, collecting every problem in one pass."""

from __future__ import annotations

import dataclasses
import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TypeVar

from dateutil.relativedelta import relativedelta

from .columns import BY_KEY, EXAMPLE_PREFIX
from .errors import Problem
from .policy import Frequency, Policy, parse_frequency
from .roster import Roster, RosterRow
from .schedule import Leave
from .values import (
    BadValue,
    DayPattern,
    as_text,
    format_duration,
    parse_day_pattern,
    parse_duration,
    parse_email,
    parse_nation,
    parse_time,
    parse_uk_date,
    parse_yes_no,
    strip_forbidden,
    uk_date,
)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Record:
    """One supervisor–supervisee pair, checked. Empty optional text is ``""``."""

    row: int
    ref: str  # "Roster!5", for messages
    layout: str
    organisation: str
    supervisee: str
    supervisee_job_title: str
    supervisee_email: str
    supervisor: str
    supervisor_job_title: str
    supervisor_email: str
    role: str
    newly_qualified: bool
    started_in_post: date | None
    start_date: date
    frequency: Frequency | None  # the roster's own, more frequent than the policy's
    role_frequency: Frequency  # the policy's for the role (or the override, with no role)
    meeting_day: DayPattern | None
    meeting_time: time | None
    duration_minutes: int | None
    location: str
    nation: str
    key_tasks: str
    leave: tuple[Leave, ...] = ()
    staff_id: str = ""  # the supervisee's employee or payroll number, when the roster has one

    @property
    def person(self) -> str:
        """Who the supervisee is from year to year: their Staff ID, else their name folded."""
        return person_of(self.supervisee, self.staff_id)


def person_of(supervisee: str, staff_id: str) -> str:
    """The supervisee's identity across years: a Staff ID if given, else the folded name."""
    return "staff id " + staff_id.casefold() if staff_id else fold_name(supervisee)


def fold_name(name: str) -> str:
    """A name as docgen compares it: case, accents' encoding and runs of spaces do not count."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


@dataclass(frozen=True)
class LayoutRules:
    """What validation needs to know of a layout: its policy and the columns it needs."""

    policy: Policy
    required: tuple[str, ...] = ()


def _shown(value: object) -> str:
    """A cell's value as a message quotes it: an Excel date as dd/mm/yyyy."""
    if isinstance(value, datetime | date):
        return uk_date(value)
    return as_text(value)


# A start date further than this from today is questioned: a mistyped year (2062 for
# 2026, 2016 for 2026) would otherwise plan a whole year of meetings nobody can keep.
START_WITHIN_YEARS = 2


class _RowChecker:
    """Reads one row's cells, turning each bad cell into a `Problem` instead of failing."""

    def __init__(
        self, roster: Roster, row: RosterRow, problems: list[Problem], read_problem_cells: set[str]
    ) -> None:
        self.roster, self.row, self.problems = roster, row, problems
        self.read_problem_cells = read_problem_cells

    def report(self, key: str, message: str, fix: str = "", severity: str = "error") -> None:
        cell = self.row.cells.get(key)
        if cell and cell.ref in self.read_problem_cells:
            return  # reading the file already said what is wrong with this cell
        self.problems.append(Problem(
            self.roster.file_name, cell.ref if cell else self.row.ref, BY_KEY[key].header,
            _shown(cell.value) if cell else "", message, fix, self.row.number, severity,
        ))  # fmt: skip

    def text(self, key: str, required: bool = False) -> str:
        text, had_forbidden = strip_forbidden(self.row.text(key))
        if had_forbidden:
            self.report(
                key,
                "had invisible control characters (pasted from another system); they were removed",
                "check the text reads as intended",
                "warning",
            )
        if required and not text:
            self.report(key, "is empty", f"fill in the {BY_KEY[key].header}")
        return text

    def parsed(self, key: str, parse: Callable[[object], T], required: bool = False) -> T | None:
        value = self.row.value(key)
        if as_text(value) == "":
            if required:
                self.report(key, "is empty", f"fill in the {BY_KEY[key].header}")
            return None
        try:
            return parse(value)
        except BadValue as error:
            self.report(key, error.message, error.fix)
            return None


def build_records(
    roster: Roster,
    layouts: Mapping[str, LayoutRules],
    default_layout: str | None = None,
    leave: Mapping[str, tuple[Leave, ...]] | None = None,
    today: date | None = None,
) -> tuple[list[Record], list[Problem]]:
    """Check every row of `roster`; return the good records and every problem found.

    `layouts` maps each installed layout's key to its rules; `default_layout` fills an empty
    Layout cell (the ``--template`` option); `leave` maps a folded supervisor name to leave.
    A Start date more than `START_WITHIN_YEARS` from `today` (default: the computer's date)
    is a warning.
    """
    today = today or date.today()  # noqa: DTZ011 - the local date is the one staff mean
    problems: list[Problem] = []
    records: list[Record] = []
    read_problem_cells: set[str] = set()
    seen = 0
    shared: dict[tuple[str, object], object] = {}
    for row in roster.rows:
        # A roster read as it goes has found this row's problems by the time it gives it.
        read_problem_cells.update(p.cell for p in roster.problems[seen:])
        seen = len(roster.problems)
        if row.text("supervisee").casefold().startswith(EXAMPLE_PREFIX.casefold()):
            continue  # the starter workbook's example row
        first_new = len(problems)
        check = _RowChecker(roster, row, problems, read_problem_cells)
        record = _check_row(check, layouts, default_layout, leave or {}, today)
        if record is None or any(p.severity == "error" for p in problems[first_new:]):
            continue
        records.append(_sharing(record, shared))
    problems[:0] = roster.problems
    return _check_people(roster, records, problems), problems


# The values a team's rows repeat, each held once however many rows give it: 10,000 rows
# then take a fraction of the memory. (Not names, tasks and row numbers, which rarely repeat.)
SHARED_FIELDS = (
    "layout", "organisation", "supervisee_job_title", "supervisor", "supervisor_job_title",
    "supervisor_email", "role", "started_in_post", "start_date", "frequency", "role_frequency",
    "meeting_day", "meeting_time", "location", "nation",
)  # fmt: skip


def _sharing(record: Record, shared: dict[tuple[str, object], object]) -> Record:
    """`record`, holding the same objects as earlier records where it has the same values."""
    changes = {}
    for name in SHARED_FIELDS:
        value = getattr(record, name)
        # By field as well as value: 1 and True, say, are equal but not the same.
        kept = shared.setdefault((name, value), value)
        if kept is not value:
            changes[name] = kept
    return dataclasses.replace(record, **changes) if changes else record  # type: ignore[arg-type]


def _check_people(roster: Roster, records: list[Record], problems: list[Problem]) -> list[Record]:
    """Rows that are the same pair from the same start are one agreement typed more than once.

    Typed or pasted: one error names every such row, and none of them is made. The same
    supervisee on two rows otherwise (another supervisor, another start) may be meant, so
    it is a warning naming both rows.
    """
    by_agreement: dict[tuple[str, str, date], list[Record]] = {}
    for record in records:
        key = (record.person, fold_name(record.supervisor), record.start_date)
        by_agreement.setdefault(key, []).append(record)
    repeated = {id(r) for group in by_agreement.values() if len(group) > 1 for r in group}
    for group in by_agreement.values():
        if len(group) > 1:
            first = group[0]
            problems.append(Problem(
                roster.file_name, _cell_ref(roster, first, "supervisee"), "Supervisee",
                first.supervisee,
                f"is the same agreement ({first.supervisee} supervised by {first.supervisor}, "
                f"starting {uk_date(first.start_date)}) on {len(group)} rows: "
                f"{row_list([r.row for r in group])}",
                "keep one of these rows and delete the others", first.row,
            ))  # fmt: skip
    kept = [r for r in records if id(r) not in repeated]
    first_row_of: dict[str, Record] = {}
    for record in kept:
        earlier = first_row_of.setdefault(record.person, record)
        if earlier is not record:
            differs = ("another supervisor" if fold_name(earlier.supervisor)
                       != fold_name(record.supervisor) else "another start date")  # fmt: skip
            problems.append(Problem(
                roster.file_name, _cell_ref(roster, record, "supervisee"), "Supervisee",
                record.supervisee,
                f"is also on row {earlier.row} ({earlier.supervisee} supervised by "
                f"{earlier.supervisor}, starting {uk_date(earlier.start_date)}), with "
                f"{differs}; both agreements will be made",
                "delete one of the two rows if only one is wanted", record.row, "warning",
            ))  # fmt: skip
    return kept


def _cell_ref(roster: Roster, record: Record, key: str) -> str:
    letter = roster.columns.get(key)
    if letter is None:
        return record.ref
    return record.ref.rsplit("!", 1)[0] + f"!{letter}{record.row}"


def row_list(rows: list[int]) -> str:
    """Row numbers as a person reads them: ``2, 5 and 9``, with runs shortened (``2 to 5001``)."""
    runs: list[list[int]] = []
    for number in sorted(rows):
        if runs and number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    parts = [str(a) if a == b else f"{a}, {b}" if b == a + 1 else f"{a} to {b}" for a, b in runs]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _check_row(  # noqa: C901
    check: _RowChecker,
    layouts: Mapping[str, LayoutRules],
    default_layout: str | None,
    leave: Mapping[str, tuple[Leave, ...]],
    today: date,
) -> Record | None:
    layout = check.text("layout").casefold() or (default_layout or "")
    rules = layouts.get(layout)
    if not layout:
        check.report(
            "layout",
            "is empty",
            "write a layout name (see `docgen templates`), "
            "or give --template to choose one for every empty Layout cell",
        )
    elif rules is None:
        check.report(
            "layout", "is not an installed layout", "write one of: " + ", ".join(sorted(layouts))
        )
    supervisee = check.text("supervisee", required=True)
    supervisor = check.text("supervisor", required=True)
    if supervisee and supervisee.casefold() == supervisor.casefold():
        check.report(
            "supervisor",
            "is the same person as the supervisee",
            "write the supervising manager's name",
        )
    start = check.parsed("start_date", parse_uk_date, required=True)
    _check_near_today(check, start, today)
    newly_qualified = bool(check.parsed("newly_qualified", parse_yes_no))
    started_in_post = check.parsed("started_in_post", parse_uk_date)
    if started_in_post and start and started_in_post > start:
        check.report(
            "started_in_post",
            "is after the agreement's start date",
            "check both dates; someone starts in post before their agreement starts",
        )
    override = check.parsed("frequency", parse_roster_frequency)
    role = check.text("role")
    role_frequency: Frequency | None = None
    if rules is not None:
        for key in rules.required:
            if not check.row.text(key):
                check.report(
                    key,
                    f'is empty, and the "{layout}" layout needs it',
                    f"fill in the {BY_KEY[key].header}",
                )
        role_frequency = _role_frequency(check, rules.policy, role, override)
    if rules is not None and role_frequency and override and start:
        _check_override(check, rules.policy, role_frequency, override, start,
                        (started_in_post or start) if newly_qualified else None)  # fmt: skip
    if rules is not None and newly_qualified:
        _check_still_newly_qualified(check, rules.policy, started_in_post, start, role)
    record_fields = dict(
        meeting_day=check.parsed("meeting_day", parse_day_pattern),
        meeting_time=check.parsed("meeting_time", parse_time),
        duration_minutes=_duration(check, rules.policy if rules else None),
        nation=check.parsed("nation", parse_nation) or "England",
        supervisee_email=check.parsed("supervisee_email", parse_email) or "",
        supervisor_email=check.parsed("supervisor_email", parse_email) or "",
        organisation=check.text("organisation"),
        supervisee_job_title=check.text("supervisee_job_title"),
        supervisor_job_title=check.text("supervisor_job_title"),
        location=check.text("location"),
        key_tasks=check.text("key_tasks"),
        staff_id=check.text("staff_id"),
    )
    if rules is None or start is None or role_frequency is None or not supervisee or not supervisor:
        return None
    return Record(
        row=check.row.number,
        ref=check.row.ref,
        layout=layout,
        supervisee=supervisee,
        supervisor=supervisor,
        role=role,
        newly_qualified=newly_qualified,
        started_in_post=(started_in_post or start) if newly_qualified else None,
        start_date=start,
        frequency=override,
        role_frequency=role_frequency,
        leave=leave.get(fold_name(supervisor), ()),
        **record_fields,  # type: ignore[arg-type]
    )


def _check_near_today(check: _RowChecker, start: date | None, today: date) -> None:
    years = START_WITHIN_YEARS
    if start is None:
        return
    if start < today - relativedelta(years=years):
        where = f"more than {years} years before today ({uk_date(today)})"
    elif start > today + relativedelta(years=years):
        where = f"more than {years} years after today ({uk_date(today)})"
    else:
        return
    check.report(
        "start_date",
        f"is {where}; the 12 months of meetings are planned from it",
        "check the year",
        "warning",
    )


# Words that mean two things in British English: "bi-weekly" is every two weeks or twice a
# week, "bi-monthly" every two months or twice a month. Guessing would plan half or twice
# the meetings intended.
_AMBIGUOUS_FREQUENCIES = {
    "biweekly": ("every two weeks or twice a week", "write fortnightly for every two weeks"),
    "bimonthly": ("every two months or twice a month",
                  "write every 2 months, or fortnightly for twice a month"),
}  # fmt: skip


def parse_roster_frequency(value: object) -> Frequency:
    """A Frequency cell: a frequency the policy reader knows, except the ambiguous words."""
    word = re.sub(r"[\s\-_]+", "", as_text(value).casefold())
    if word in _AMBIGUOUS_FREQUENCIES:
        meanings, fix = _AMBIGUOUS_FREQUENCIES[word]
        raise BadValue(f"can mean {meanings}", fix)
    return parse_frequency(value)


def at_least_as_often(frequency: Frequency, minimum: Frequency) -> bool:
    """Whether meetings `frequency` apart keep to the policy's `minimum`.

    Every 4 weeks keeps to monthly: a month is taken as its average length, with half a
    day's grace.
    """
    return frequency.approx_days <= minimum.approx_days + 0.5


def _role_frequency(
    check: _RowChecker, policy: Policy, role: str, override: Frequency | None
) -> Frequency | None:
    if not role:
        if override is None:
            check.report("role", "is empty, so docgen cannot tell how often supervision is due",
                         "write a role from the policy (" + ", ".join(policy.role_names)
                         + "), or fill in Frequency")  # fmt: skip
        return override
    frequency = policy.role_frequency(role)
    if frequency is None:
        check.report("role", f'is not a role in the policy "{policy.name}"',
                     "write one of: " + ", ".join(policy.role_names)
                     + "; or add it to the policy file")  # fmt: skip
    return frequency


def _check_override(
    check: _RowChecker,
    policy: Policy,
    role_frequency: Frequency,
    override: Frequency,
    start: date,
    started_in_post: date | None,
) -> None:
    """The policy sets a minimum: a roster may ask for more frequent meetings, never fewer."""
    checkpoints = [start]
    if started_in_post is not None:
        checkpoints += [b for b in policy.phase_boundaries(started_in_post) if b > start]
    for day in checkpoints:
        minimum = policy.frequency_on(day, role_frequency, started_in_post)
        if not at_least_as_often(override, minimum):
            who = "newly qualified staff at this point" if started_in_post else "this role"
            check.report(
                "frequency",
                f'is less often than the policy "{policy.name}" allows: it asks for '
                f"{minimum.words} supervision for {who}",
                f"write {minimum.words} or more often, or leave Frequency empty",
            )
            return


def _duration(check: _RowChecker, policy: Policy | None) -> int | None:
    minutes = check.parsed("duration", parse_duration)
    least = policy.minimum_meeting_minutes if policy else None
    if minutes is not None and least is not None and minutes < least:
        check.report("duration", f'is shorter than the policy "{policy.name}" asks: at least '  # type: ignore[union-attr]
                     f"{format_duration(least)}", f"write {least} or more, or leave it empty",
                     "warning")  # fmt: skip
    return minutes


def _check_still_newly_qualified(
    check: _RowChecker,
    policy: Policy,
    started_in_post: date | None,
    start: date | None,
    role: str,
) -> None:
    """Say so when a newly qualified person's phases ended before the agreement starts.

    Such a person is planned at their role's frequency; the warning keeps that from
    misleading.
    """
    if started_in_post is None or start is None:
        return  # an empty Started in post is the start: newly qualified throughout
    ended = policy.newly_qualified_until(started_in_post)
    if ended is None or ended > start:
        return
    check.report(
        "started_in_post",
        f"is more than {policy.phases_for(started_in_post)[-1].until_text} before the start "
        f"date, so the newly qualified frequencies ended on {uk_date(ended)}; the schedule "
        f"follows the {'role' if role else 'Frequency'}'s frequency",
        "check the date, or write No in Newly qualified",
        "warning",
    )


def build_leave(
    roster: Roster, supervisors: Mapping[str, str] | None = None
) -> tuple[dict[str, tuple[Leave, ...]], list[Problem]]:
    """The optional Leave sheet: supervisor, from, to. Keyed by the folded supervisor name.

    Leave is checked against `supervisors`, the roster's supervisors as it names them keyed
    by folded name (see `supervisors_of`); by default they are gathered from `roster.rows`.
    """
    if supervisors is None:
        supervisors = supervisors_of(roster.rows)
    found: dict[str, list[Leave]] = {}
    problems: list[Problem] = []
    for row in roster.leave_rows:
        names = {"supervisor": "Supervisor", "from": "From", "to": "To"}
        values: dict[str, date] = {}
        for key in ("from", "to"):
            cell = row.cells.get(key)
            try:
                values[key] = parse_uk_date(cell.value if cell else None)
            except BadValue as error:
                problems.append(Problem(roster.file_name, cell.ref if cell else row.ref,
                                        names[key], _shown(cell.value) if cell else "",
                                        error.message, error.fix, row.number))  # fmt: skip
        name = row.text("supervisor")
        if not name:
            problems.append(Problem(roster.file_name, row.ref, "Supervisor", "",
                                    "leave with no supervisor named",
                                    "write the supervisor's name as on the Roster sheet",
                                    row.number))  # fmt: skip
        if name and len(values) == 2:
            if values["to"] < values["from"]:
                problems.append(Problem(roster.file_name, row.cells["to"].ref, "To",
                                        _shown(row.value("to")), "is before the From date",
                                        "swap the two dates", row.number))  # fmt: skip
            else:
                found.setdefault(fold_name(name), []).append(Leave(values["from"], values["to"]))
        if name:
            problem = _unknown_supervisor(roster, row, name, supervisors)
            if problem is not None:
                problems.append(problem)
    return {name: tuple(periods) for name, periods in found.items()}, problems


def supervisors_of(rows: Iterable[RosterRow]) -> dict[str, str]:
    """The supervisors `rows` name, as the roster names them, keyed as names are compared."""
    return {fold_name(r.text("supervisor")): r.text("supervisor") for r in rows}


def _unknown_supervisor(
    roster: Roster, row: RosterRow, name: str, supervisors: Mapping[str, str]
) -> Problem | None:
    """Leave for a name no roster row has as its supervisor would be silently unused.

    A near miss ("Pat Tset" for Pat Test) is an error, as the leave was surely meant for
    them; a name like no supervisor's is a warning (a shared leave sheet may list others).
    """
    if fold_name(name) in supervisors:
        return None
    cell = row.cells.get("supervisor")
    ref = cell.ref if cell else row.ref
    close = difflib.get_close_matches(fold_name(name), list(supervisors), n=1, cutoff=0.75)
    if close:
        return Problem(roster.file_name, ref, "Supervisor", name,
                       "is not a supervisor in the roster",
                       f"did you mean {supervisors[close[0]]}?", row.number)  # fmt: skip
    return Problem(roster.file_name, ref, "Supervisor", name,
                   "is not a supervisor in the roster, so this leave is not used",
                   "write the supervisor's name as on the Roster sheet", row.number,
                   "warning")  # fmt: skip
