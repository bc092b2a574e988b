"""The whole job, top to bottom: roster -> records -> schedules -> documents -> manifest.

The command line, the tests (and later the web page) all call these functions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .calendar import calendar_bytes
from .context import build_context, meeting_minutes, sample_context
from .errors import Problem, RosterFileError, RosterProblems
from .output import (
    ManifestRow,
    NameRequest,
    assign_file_stems,
    keep_edited,
    read_manifest,
    sha256_of,
    write_atomically,
    write_manifest,
)
from .policy import Policy, load_policy
from .records import LayoutRules, Record, build_leave, build_records
from .render import CompiledLayout, compile_layout, render_document
from .roster import read_roster
from .schedule import Schedule, ScheduleRequest, plan_meetings
from .templates import Catalogue, load_catalogue

Progress = Callable[[int, int, str], None]  # (done, total, file name)


@dataclass(frozen=True)
class Options:
    """Choices shared by every command. `template` fills empty Layout cells; `policy`
    replaces every layout's own policy file."""

    template: str | None = None
    templates_dir: Path | None = None
    sheet: str | None = None
    policy: Path | None = None


@dataclass(frozen=True)
class Checked:
    """A roster read and checked: the good records, every problem, and what they need."""

    roster_path: Path
    records: tuple[Record, ...]
    problems: tuple[Problem, ...]
    catalogue: Catalogue
    policies: dict[str, Policy]  # by layout key

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


@dataclass(frozen=True)
class Planned:
    record: Record
    schedule: Schedule


@dataclass
class Result:
    out_dir: Path
    documents: list[Path] = field(default_factory=list)
    calendars: list[Path] = field(default_factory=list)
    kept: list[tuple[Path, Path]] = field(default_factory=list)  # (document, edited copy kept)
    skipped_rows: list[int] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    schedule_notes: list[str] = field(default_factory=list)  # meetings that broke the rules
    planned_files: list[Path] = field(default_factory=list)  # with dry_run: what would be made
    manifest: Path | None = None


def check_roster(roster_path: Path, options: Options = Options()) -> Checked:
    """Read and check the roster; collect every problem rather than stopping at the first."""
    catalogue = load_catalogue(options.templates_dir)
    if options.template is not None:
        catalogue.get(options.template)  # an unknown --template is an error straight away
    override = load_policy(options.policy) if options.policy else None
    policies: dict[str, Policy] = {}
    for layout in catalogue:
        policies[layout.key] = override or _load_cached(layout.policy, policies)
    rules = {
        layout.key: LayoutRules(policies[layout.key], layout.needs) for layout in catalogue
    }
    roster = read_roster(Path(roster_path), options.sheet)
    leave, leave_problems = build_leave(roster)
    records, problems = build_records(
        roster, rules, options.template.casefold() if options.template else None, leave
    )
    return Checked(
        Path(roster_path), tuple(records), tuple([*problems, *leave_problems]), catalogue, policies
    )


def _load_cached(path: Path, loaded: dict[str, Policy]) -> Policy:
    for policy in loaded.values():
        if policy.path == path:
            return policy
    return load_policy(path)


def plan(checked: Checked) -> list[Planned]:
    """Each good record's meeting schedule."""
    planned = []
    for record in checked.records:
        request = ScheduleRequest(
            start=record.start_date,
            policy=checked.policies[record.layout],
            role_frequency=record.role_frequency,
            nation=record.nation,
            day_pattern=record.meeting_day,
            override=record.frequency,
            started_in_post=record.started_in_post,
            leave=record.leave,
        )
        planned.append(Planned(record, plan_meetings(request)))
    return planned


def generate(
    roster_path: Path,
    out_dir: Path = Path("output"),
    options: Options = Options(),
    *,
    valid_rows_only: bool = False,
    calendars: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> Result:
    """Make one agreement per roster row in `out_dir`, and the manifest.

    If any row has a problem nothing is written and `RosterProblems` is raised, unless
    `valid_rows_only`, when the rows with problems are skipped and listed in the result.
    With `dry_run`, everything is checked and rendered but nothing is written.
    """
    checked = check_roster(roster_path, options)
    if checked.errors and not valid_rows_only:
        raise RosterProblems(checked.problems)
    if not checked.records and not checked.errors:
        raise RosterFileError(
            str(roster_path), "has a header row but no pairs below it",
            "Fill in one row per supervisor and supervisee, then run docgen again",
        )
    now = now or datetime.now()  # noqa: DTZ005 - local time is what staff expect to see
    out_dir = Path(out_dir)
    result = Result(out_dir, warnings=checked.warnings)
    result.skipped_rows = sorted({p.row for p in checked.errors if p.row})
    planned = plan(checked)
    compiled: dict[str, CompiledLayout] = {}
    stems = assign_file_stems([
        NameRequest(p.record.row, p.record.supervisee, p.record.supervisor, p.record.layout)
        for p in planned
    ])  # fmt: skip
    recorded = read_manifest(out_dir)
    manifest_rows: list[ManifestRow] = []
    for done, item in enumerate(planned, start=1):
        record = item.record
        layout = checked.catalogue.get(record.layout)
        if layout.key not in compiled:
            compiled[layout.key] = compile_layout(layout, sample_context())
        context = build_context(record, layout, checked.policies[layout.key], item.schedule)
        data = render_document(compiled[layout.key], context)
        path = out_dir / f"{stems[record.row]}.docx"
        if dry_run:
            result.planned_files.append(path)
            continue
        kept = keep_edited(path, recorded, now)
        if kept is not None:
            result.kept.append((path, kept))
        write_atomically(path, data)
        result.documents.append(path)
        if calendars:
            ics_path = path.with_suffix(".ics")
            minutes = meeting_minutes(record, layout)
            write_atomically(ics_path, calendar_bytes(record, item.schedule, context, minutes))
            result.calendars.append(ics_path)
        manifest_rows.append(ManifestRow(
            record.row, record.supervisee, record.supervisor, layout.key, path.name,
            sha256_of(data), context["start_date"], context["review_date"],
            len(item.schedule.meetings), f"{now:%d/%m/%Y %H:%M}", " ".join(item.schedule.notes),
        ))  # fmt: skip
        result.schedule_notes.extend(
            f"Row {record.row} ({record.supervisee}): {note}" for note in item.schedule.notes
        )
        if progress is not None:
            progress(done, len(planned), path.name)
    if not dry_run:
        result.manifest = write_manifest(out_dir, manifest_rows, recorded)
    return result


def schedules(roster_path: Path, options: Options = Options()) -> tuple[Checked, list[Planned]]:
    """The schedules for every good row, without writing anything."""
    checked = check_roster(roster_path, options)
    return checked, plan(checked)

