"""The whole job, top to bottom: roster -> records -> schedules -> agreements -> folder.

`generate` makes the agreements a roster asks for; `refresh` makes the ones that are due
(reviews, new supervisors, new pairs). Both read the roster and plan every agreement first
(pure, cheap), then compare with what the output folder holds (each agreement there knows
what it was made from), and render and write only what is new or changed. The command line,
the tests and the web page all call these functions.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import time as clock
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from .agreements import Agreement, Rendered, Workers, keys_of, prepare, render_all
from .bundle import BUNDLE_NAME, COMBINED_NAME, bundle, combine_documents
from .carry import AnswerCarrier, Carried
from .context import meeting_minutes, sample_context
from .errors import FileInUse, OutputInsideLayouts, Problem, RosterFileError, RosterProblems
from .fingerprint import Stamp
from .manifest import (
    MANIFEST_NAME,
    Entries,
    Entry,
    Manifest,
    ManifestResult,
    ReportLine,
    write_refresh_report,
)
from .output import (
    FolderLock,
    check_writable,
    clear_temporary_files,
    make_durable,
    one_step,
    place,
    scan_documents,
    supersede,
    write_atomically,
)
from .pdf import LibreOfficeMissing, convert_to_pdf, find_libreoffice
from .policy import Policy, load_policy
from .reconcile import Decision, Existing, decide, match_existing, refresh_start, short_key
from .records import LayoutRules, Record, build_leave, build_records, fold_name, person_of
from .render import CompiledLayout, compile_layout, render_document
from .roster import RosterRow, open_roster
from .schedule import Schedule, ScheduleRequest, plan_meetings
from .template_check import check_template
from .templates import Catalogue, load_catalogue, shipped_templates_dir

Progress = Callable[[int, int, str], None]  # (done, total, file name)
# A last step for each agreement rendered, before it is written (refresh's carried answers).
Adjust = Callable[[Decision, Agreement, Rendered], Rendered]
IN_FORCE = ("made", "replaced", "up to date", "edited")  # the roster's agreements after a run
MANIFEST_EVERY_SECONDS = 30.0  # how stale the manifest may get while a long run writes


@dataclass(frozen=True)
class Options:
    """Choices shared by every command.

    `template` fills empty Layout cells; `policy` replaces every layout's own policy file.
    """

    template: str | None = None
    templates_dir: Path | None = None
    sheet: str | None = None
    policy: Path | None = None


@dataclass(frozen=True)
class Extras:
    """What to make beside the agreements.

    A calendar file for each (`calendars`), a PDF of each (`pdf`, PDF/A for archives with
    `pdf_archive`), one file holding them all to print (`combine`), and one zip of the whole
    run to send on (`bundle`).
    """

    calendars: bool = False
    pdf: bool = False
    invitations: bool = False  # calendar files as invitations to the supervisee
    pdf_archive: bool = False
    combine: bool = False
    bundle: bool = False


@dataclass(frozen=True)
class Checked:
    """A roster read and checked: the good records, every problem, and what they need."""

    roster_path: Path
    records: tuple[Record, ...]
    problems: tuple[Problem, ...]
    catalogue: Catalogue
    policies: dict[str, Policy]  # by layout key
    held_back: frozenset[str] = frozenset()  # keys of people on rows with problems

    @property
    def errors(self) -> list[Problem]:
        """The problems that stop a row."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """The problems that only warn."""
        return [p for p in self.problems if p.severity == "warning"]


@dataclass(frozen=True, slots=True)
class Planned:
    """A roster row's agreement with its meetings planned."""

    record: Record
    schedule: Schedule


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a run did (or, in a dry run, would do) for one agreement."""

    action: str  # made, replaced, up to date, edited, edited, not replaced, left, failed
    supervisee: str
    supervisor: str
    staff_id: str
    folder: Path  # the output folder
    name: str  # the agreement (for "replaced", the new one), in `folder`, with "/"
    reason: str = ""
    superseded_as: Path | None = None  # where the replaced agreement went
    review: date | None = None
    row: int | None = None

    @property
    def file(self) -> Path:
        """The agreement (for "replaced", the new one).

        Made when asked for: a run holds an outcome for every agreement in the folder.
        """
        return self.folder / self.name


@dataclass
class Result:
    """What a run did, for the command line to report."""

    out_dir: Path
    outcomes: list[Outcome] = field(default_factory=list)
    calendars: list[Path] = field(default_factory=list)
    skipped_rows: list[int] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    layout_warnings: list[str] = field(default_factory=list)  # from the template check
    schedule_notes: list[str] = field(default_factory=list)  # meetings that broke the rules
    renamed: list[tuple[Path, Path]] = field(default_factory=list)  # (file not docgen's, ours)
    displaced: list[tuple[Path, Path]] = field(default_factory=list)  # (damaged file, kept as)
    cleared_temporary_files: int = 0
    manifest: ManifestResult | None = None
    report: Path | None = None  # refresh's report workbook
    seconds: float = 0.0  # how long the run took, reading the roster to the manifest
    pdfs: list[Path] = field(default_factory=list)
    pdf_failed: list[tuple[Path, str]] = field(default_factory=list)  # (agreement, why)
    combined: Path | None = None
    bundle: Path | None = None
    dry_run: bool = False
    carried_forward: list[Carried] = field(default_factory=list)  # refresh's answers carried

    def having(self, *actions: str) -> list[Outcome]:
        """The outcomes whose action is one of `actions`."""
        return [o for o in self.outcomes if o.action in actions]

    @property
    def documents(self) -> list[Path]:
        """The agreements written by this run."""
        return [o.file for o in self.having("made", "replaced")]


def check_roster(
    roster_path: Path, options: Options = Options(), today: date | None = None
) -> Checked:
    """Read and check the roster; collect every problem rather than stopping at the first.

    `today` (default: the computer's date) is when start dates are judged near or far.
    """
    catalogue = load_catalogue(options.templates_dir)
    if options.template is not None:
        catalogue.get(options.template)  # an unknown --template is an error straight away
    override = load_policy(options.policy) if options.policy else None
    policies: dict[str, Policy] = {}
    for layout in catalogue:
        policies[layout.key] = override or _load_cached(layout.policy, policies)
    rules = {layout.key: LayoutRules(policies[layout.key], layout.needs) for layout in catalogue}
    supervisors: dict[str, str] = {}
    people: dict[int, str] = {}  # row number -> the key of the person on it
    # Read as it goes (memory stays flat in the roster's length): what is needed of every
    # row after the pass is noted on the way.
    with open_roster(Path(roster_path), options.sheet) as roster:
        leave, _ = build_leave(roster, {})  # leave's problems once every supervisor is known
        records, problems = build_records(
            dataclasses.replace(roster, rows=_noting(roster.rows, supervisors, people)), rules,
            options.template.casefold() if options.template else None, leave, today,
        )  # fmt: skip
        _, leave_problems = build_leave(roster, supervisors)
    error_rows = {p.row for p in problems if p.severity == "error"}
    # The people on rows with problems, by the key their agreements carry: they have not
    # left the roster, their row is being corrected.
    held_back = frozenset(people[row] for row in error_rows if row in people)
    return Checked(
        Path(roster_path), tuple(records), tuple([*problems, *leave_problems]), catalogue,
        policies, held_back,
    )  # fmt: skip


def _noting(
    rows: Iterable[RosterRow], supervisors: dict[str, str], people: dict[int, str]
) -> Iterator[RosterRow]:
    """`rows`, noting each one's supervisor (as `supervisors_of` does) and person as they pass."""
    for row in rows:
        supervisors[fold_name(row.text("supervisor"))] = row.text("supervisor")
        people[row.number] = short_key(person_of(row.text("supervisee"), row.text("staff_id")))
        yield row


def _load_cached(path: Path, loaded: dict[str, Policy]) -> Policy:
    for policy in loaded.values():
        if policy.path == path:
            return policy
    return load_policy(path)


def plan(checked: Checked, records: Sequence[Record] | None = None) -> list[Planned]:
    """Each good record's meeting schedule."""
    planned = []
    # Many rows share every input of a schedule (a team's start date, day and policy); each
    # distinct one is planned once.
    made: dict[tuple[object, ...], Schedule] = {}
    for record in checked.records if records is None else records:
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
        key = (id(request.policy), *(getattr(request, f.name) for f in dataclasses.fields(request)
                                     if f.name != "policy"))  # fmt: skip
        if key not in made:
            made[key] = plan_meetings(request)
        planned.append(Planned(record, made[key]))
    return planned


def schedules(roster_path: Path, options: Options = Options()) -> tuple[Checked, list[Planned]]:
    """The schedules for every good row, without writing anything."""
    checked = check_roster(roster_path, options)
    return checked, plan(checked)


def generate(
    roster_path: Path,
    out_dir: Path = Path("output"),
    options: Options = Options(),
    *,
    valid_rows_only: bool = False,
    extras: Extras = Extras(),
    dry_run: bool = False,
    replace_edited: bool = False,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> Result:
    """Make the agreements the roster asks for in `out_dir`, and the manifest.

    Agreements already made from the same values are left as they are; one whose row
    changed is replaced, the old one moving to ``superseded/``; one edited in Word since it
    was made is never touched unless `replace_edited`. If any row has a problem nothing is
    written and `RosterProblems` is raised, unless `valid_rows_only`, when the rows with
    problems are skipped and listed in the result. With `dry_run`, everything is checked
    and rendered but nothing is written.
    """
    started = clock.monotonic()
    now = now or datetime.now()  # noqa: DTZ005 - local time is what staff expect to see
    with _workers_for(roster_path, dry_run) as workers:
        checked = _checked_for_writing(roster_path, options, valid_rows_only, now.date())
        _check_extras(extras)
        compiled = _compile_layouts(checked)
        with _output_folder(Path(out_dir), options, now, dry_run) as folder:
            # By their place in the decisions, so that each can be let go of once it is
            # written (see `_let_go`).
            agreements = dict(enumerate(_prepare(checked, checked.records)))
            decisions = _decide(agreements, folder.existing, checked, replace_edited)
            checked = _let_go(checked)
            result = _carry_out(folder, checked, agreements, decisions, compiled, extras,
                                progress, now, workers)  # fmt: skip
            if extras.bundle and not dry_run:
                result.bundle = _make_bundle(result)
            result.seconds = clock.monotonic() - started
            return result


def refresh(
    roster_path: Path,
    out_dir: Path,
    options: Options = Options(),
    *,
    within_days: int = 30,
    today: date | None = None,
    valid_rows_only: bool = False,
    extras: Extras = Extras(),
    dry_run: bool = False,
    replace_edited: bool = False,
    progress: Progress | None = None,
    now: datetime | None = None,
    carry_forward: bool = True,
    rows: Collection[int] | None = None,
) -> Result:
    """Bring the agreements in `out_dir` up to this roster and date.

    A new agreement for the next 12 months where the review is due within `within_days` (or
    has passed), where the supervisor changed, and for new pairs; the old ones go to
    ``superseded/``. People no longer on the roster are reported, and their agreements kept.
    `today` fixes the date (for reports that must be reproducible); it defaults to the real
    one. With `carry_forward`, a pair's new agreement starts with the fields they completed
    in the one it replaces (not signatures or dates; not for a new supervisor). Given `rows`
    (roster row numbers), only those rows' agreements are renewed: the others are left as
    they are, and their people are not taken as leavers.
    """
    started = clock.monotonic()
    now = now or datetime.now()  # noqa: DTZ005
    today = today or now.date()
    with _workers_for(roster_path, dry_run) as workers:
        checked = _checked_for_writing(roster_path, options, valid_rows_only, today)
        if rows is not None:
            checked = _only_rows(checked, frozenset(rows))
        _check_extras(extras)
        compiled = _compile_layouts(checked)
        with _output_folder(Path(out_dir), options, now, dry_run) as folder:
            keys = [keys_of(record) for record in checked.records]
            matches, leftovers = match_existing(keys, folder.existing)
            starts = [refresh_start(m, r.start_date, today, within_days)
                      for m, r in zip(matches, checked.records, strict=True)]  # fmt: skip
            records = [dataclasses.replace(r, start_date=start)
                       for r, (start, _) in zip(checked.records, starts, strict=True)]  # fmt: skip
            agreements = dict(enumerate(_prepare(checked, records)))
            decisions = decide([a.wanted for a in agreements.values()], matches,
                               _leavers(leftovers, checked), folder.existing,
                               replace_edited=replace_edited,
                               reasons=[reason for _, reason in starts])  # fmt: skip
            carrier = AnswerCarrier(Path(out_dir)) if carry_forward else None
            checked = _let_go(checked)
            result = _carry_out(folder, checked, agreements, decisions, compiled, extras,
                                progress, now, workers, carrier)  # fmt: skip
            result.carried_forward = carrier.carried if carrier else []
            carried = {item.agreement for item in result.carried_forward}
            result.outcomes = [dataclasses.replace(o, reason=f"{o.reason}; answers carried forward")
                               if o.file.name in carried else o
                               for o in result.outcomes]  # fmt: skip
            if not dry_run:
                result.report = write_refresh_report(
                    _free_name(Path(out_dir), f"Refresh report {today:%Y-%m-%d}", ".xlsx"),
                    [_report_line(o, Path(out_dir)) for o in result.outcomes], today,
                )  # fmt: skip
            if extras.bundle and not dry_run:
                result.bundle = _make_bundle(result)
            result.seconds = clock.monotonic() - started
            return result


_DONE = {
    "made": "new agreement made",
    "replaced": "new agreement made; the old one superseded",
    "up to date": "nothing due",
    "edited": "nothing due (edited in Word)",
    "edited, not replaced": "not renewed: edited in Word",
    "left": "no longer on the roster; agreement kept",
    "failed": "could not be written",
}


def _decide(
    agreements: dict[int, Agreement],
    existing: Sequence[Existing],
    checked: Checked,
    replace_edited: bool,
) -> list[Decision]:
    """What to do about each agreement, and about those in the folder nobody asked for."""
    wanted = [a.wanted for a in agreements.values()]
    matches, leftovers = match_existing(wanted, existing)
    return decide(wanted, matches, _leavers(leftovers, checked), existing,
                  replace_edited=replace_edited)  # fmt: skip


def _let_go(checked: Checked) -> Checked:
    """`checked` without its records, once each is held by its agreement.

    The run then lets go of each agreement as it is done: memory stays flat however long the
    roster is.
    """
    return dataclasses.replace(checked, records=())


def _only_rows(checked: Checked, rows: frozenset[int]) -> Checked:
    """`checked` with the records of `rows` alone; the rest are held back, not leavers."""
    left_out = [r for r in checked.records if r.row not in rows]
    return dataclasses.replace(
        checked,
        records=tuple(r for r in checked.records if r.row in rows),
        held_back=checked.held_back | {short_key(r.person) for r in left_out},
    )


def _report_line(outcome: Outcome, out_dir: Path) -> ReportLine:
    def relative(path: Path | None) -> str:
        return path.relative_to(out_dir).as_posix() if path is not None else ""

    return ReportLine(outcome.supervisee, outcome.staff_id, outcome.supervisor,
                      _DONE.get(outcome.action, outcome.action), outcome.reason,
                      relative(outcome.file), relative(outcome.superseded_as),
                      outcome.review)  # fmt: skip


def _free_name(folder: Path, stem: str, suffix: str) -> Path:
    path, counter = folder / f"{stem}{suffix}", 2
    while path.exists():
        path, counter = folder / f"{stem} ({counter}){suffix}", counter + 1
    return path


def _checked_for_writing(
    roster_path: Path, options: Options, valid_rows_only: bool, today: date
) -> Checked:
    checked = check_roster(roster_path, options, today)
    if checked.errors and not valid_rows_only:
        raise RosterProblems(checked.problems)
    if not checked.records and not checked.errors:
        raise RosterFileError(
            str(roster_path), "has a header row but no pairs below it",
            "Fill in one row per supervisor and supervisee, then run docgen again",
        )  # fmt: skip
    return checked


def _check_extras(extras: Extras) -> None:
    if (extras.pdf or extras.pdf_archive) and find_libreoffice() is None:
        raise LibreOfficeMissing()


def layout_warnings(catalogue: Catalogue, keys: Iterable[str]) -> list[str]:
    """The template check's warnings for each layout of `keys` (those the roster uses).

    An outdated regulator's name, say, so staff see them without running the check.
    """
    warnings = []
    for key in sorted(keys):
        layout = catalogue.get(key)
        warnings += [f"{layout.docx.name}: {finding.message}"
                     for finding in check_template(layout.docx)
                     if finding.severity == "warning"]  # fmt: skip
    return warnings


def _compile_layouts(checked: Checked) -> dict[str, CompiledLayout]:
    """Each layout the roster uses, read and checked once, and filled in once with sample values.

    A layout that breaks a limit stops the run here, before anything is written.
    """
    compiled = {}
    for key in sorted({record.layout for record in checked.records}):
        compiled[key] = compile_layout(checked.catalogue.get(key), sample_context())
        render_document(compiled[key], sample_context())
    return compiled


def _prepare(checked: Checked, records: Sequence[Record]) -> list[Agreement]:
    layouts = {key: checked.catalogue.get(key) for key in {r.layout for r in records}}
    sources = {key: _source_fingerprint(layout.docx, layout.metadata, checked.policies[key].path)
               for key, layout in layouts.items()}  # fmt: skip
    items = [(p.record, p.schedule) for p in plan(checked, records)]
    return prepare(items, layouts, checked.policies, sources)


EARLY_WORKERS_FROM = 16 * 1024  # bytes of roster: a few hundred rows, in .xlsx or .csv


def _workers_for(roster_path: Path, dry_run: bool) -> Workers:
    """Processes to render on, started now if the roster looks long enough to need them.

    They load docgen while this process reads the roster, rather than after it. A short
    roster (tests make many) starts none: `render_all` starts them later if it must.
    """
    workers = Workers()
    with contextlib.suppress(OSError):
        if not dry_run and Path(roster_path).stat().st_size >= EARLY_WORKERS_FROM:
            workers.start(before_lock=True)
    return workers


def _source_fingerprint(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _leavers(leftovers: Sequence[Existing], checked: Checked) -> list[Existing]:
    """Agreements nobody on the roster asked for, less those of people whose rows have problems."""
    return [e for e in leftovers if e.stamp is not None and e.stamp.person not in checked.held_back]


@dataclass
class _Folder:
    path: Path
    existing: list[Existing]
    dry_run: bool
    cleared: int = 0


@contextlib.contextmanager
def _output_folder(
    out_dir: Path, options: Options, now: datetime, dry_run: bool
) -> Iterator[_Folder]:
    """The output folder, locked against other runs, checked writable, with what it holds.

    A dry run only reads it.
    """
    for layouts in filter(None, (shipped_templates_dir(), options.templates_dir)):
        if out_dir.resolve().is_relative_to(Path(layouts).resolve()):
            raise OutputInsideLayouts(out_dir, layouts)
    if dry_run:
        yield _Folder(out_dir, scan_documents(out_dir) if out_dir.is_dir() else [], True)
        return
    check_writable(out_dir, out_dir / MANIFEST_NAME)
    lock = FolderLock(out_dir)
    lock.acquire(now)
    try:
        cleared = clear_temporary_files(out_dir)
        yield _Folder(out_dir, scan_documents(out_dir), False, cleared)
    finally:
        # However the run ended (Ctrl+C can land between creating a temporary file and
        # guarding it), nothing half-written stays behind.
        clear_temporary_files(out_dir)
        lock.release()


def _carry_out(  # noqa: C901
    folder: _Folder,
    checked: Checked,
    agreements: dict[int, Agreement],
    decisions: Sequence[Decision],
    compiled: dict[str, CompiledLayout],
    extras: Extras,
    progress: Progress | None,
    now: datetime,
    workers: Workers,
    adjust: Adjust | None = None,
) -> Result:
    """Render and write what the decisions call for, keeping the manifest in step.

    Each agreement is taken out of `agreements` once it is done with.
    """
    out = folder.path
    result = Result(out, warnings=checked.warnings, dry_run=folder.dry_run,
                    cleared_temporary_files=folder.cleared)  # fmt: skip
    result.skipped_rows = sorted({p.row for p in checked.errors if p.row})
    result.layout_warnings = layout_warnings(checked.catalogue, compiled)
    ledger = _Ledger(out, folder.existing, now, folder.dry_run)
    total = sum(d.index is not None for d in decisions)
    last_manifest = clock.monotonic()
    to_render = [d.index for d in decisions
                 if d.action in ("made", "replaced") and d.index is not None]  # fmt: skip
    # Workers create the files too, unless each agreement is changed after rendering.
    spool = out if not folder.dry_run and adjust is None else None
    rendered = render_all((agreements[index] for index in to_render), compiled, now,
                          workers=workers, spool=spool, count=len(to_render))  # fmt: skip
    try:
        for done, decision in enumerate(decisions, start=1):
            agreement = agreements.get(decision.index) if decision.index is not None else None
            outcome = _carry_out_one(decision, agreement, rendered, ledger, now, adjust)
            result.outcomes.append(outcome)
            if agreement is not None:
                if outcome.action in ("made", "replaced"):
                    result.schedule_notes.extend(
                        f"Row {agreement.record.row} ({agreement.record.supervisee}): {note}"
                        for note in agreement.schedule.notes
                    )
                if (
                    outcome.action in ("made", "replaced")
                    and decision.target != agreement.wanted.file_name
                ):
                    result.renamed.append((out / agreement.wanted.file_name, outcome.file))
                if progress is not None:
                    progress(min(done, total), total, outcome.file.name)
            if (extras.calendars or extras.invitations) and outcome.action in IN_FORCE:
                ics = outcome.file.with_suffix(".ics")
                if outcome.action in ("made", "replaced") or not ics.exists():
                    result.calendars.append(ics)
                    if not folder.dry_run and agreement is not None:
                        earlier = [p.with_suffix(".ics") for p in (outcome.superseded_as, ics) if p]
                        _write_calendar(ics, agreement,
                                        next((p for p in earlier if p.exists()), None),
                                        extras.invitations)  # fmt: skip
            if decision.index is not None:  # done with (rendering has taken it already)
                del agreements[decision.index]
            if not folder.dry_run and clock.monotonic() - last_manifest > MANIFEST_EVERY_SECONDS:
                ledger.write()
                last_manifest = clock.monotonic()
        if not folder.dry_run:
            _make_extras(result, extras, ledger, progress)
    finally:
        rendered.close()  # stops the workers if the run stopped early
        result.displaced = [(out / a, out / b) for a, b in ledger.displaced]
        try:
            if not folder.dry_run:
                result.manifest = ledger.write()
        finally:
            ledger.close()
    return result


def _make_bundle(result: Result) -> Path:
    """One zip of what the run leaves in force.

    The agreements with their calendar files and PDFs, the print file, the manifest and the
    refresh report.
    """
    in_force = [o.file for o in result.outcomes if o.action in IN_FORCE]
    companions = [p.with_suffix(suffix) for p in in_force for suffix in (".ics", ".pdf")]
    combined = [result.combined, result.combined.with_suffix(".pdf")] if result.combined else []
    manifest = [result.manifest.path] if result.manifest and result.manifest.path else []
    report = [result.report] if result.report else []
    files = [*in_force, *companions, *combined, *manifest, *report]
    return bundle(result.out_dir, files, result.out_dir / BUNDLE_NAME)


def _make_extras(
    result: Result, extras: Extras, ledger: _Ledger, progress: Progress | None
) -> None:
    """PDFs beside the agreements (new ones, and any that lack one), then the print file."""
    in_force = [o.file for o in result.outcomes if o.action in IN_FORCE]
    if extras.pdf or extras.pdf_archive:
        wanted = [o.file for o in result.outcomes
                  if o.action in ("made", "replaced")
                  or (o.action in IN_FORCE
                      and not o.file.with_suffix(".pdf").exists())]  # fmt: skip
        made = convert_to_pdf(wanted, archive=extras.pdf_archive, progress=progress)
        result.pdfs, result.pdf_failed = made.made, made.failed
    if extras.combine and in_force:
        result.combined = combine_documents(
            in_force, ledger.folder / COMBINED_NAME, f"Supervision agreements ({len(in_force)})"
        )
        if extras.pdf or extras.pdf_archive:
            made = convert_to_pdf([result.combined], archive=extras.pdf_archive, workers=1)
            result.pdfs += made.made
            result.pdf_failed += made.failed


def _carry_out_one(
    decision: Decision,
    agreement: Agreement | None,
    rendered_in_order: Iterator[Rendered],
    ledger: _Ledger,
    now: datetime,
    adjust: Adjust | None = None,
) -> Outcome:
    out = ledger.folder
    old = decision.existing
    if agreement is None:  # an agreement whose supervisee left the roster
        assert old is not None and old.stamp is not None
        ledger.set(old.name, old.stamp, "left the roster", decision.reason)
        return _outcome("left", old.stamp, out, old.name, decision.reason)
    record = agreement.record
    if decision.action in ("up to date", "edited", "edited, not replaced"):
        assert old is not None and old.stamp is not None
        status = {
            "up to date": "up to date",
            "edited": "edited in Word",
            "edited, not replaced": "edited in Word; roster changed",
        }[decision.action]
        ledger.set(old.name, old.stamp, status, decision.reason, record.row)
        return _outcome(decision.action, old.stamp, out, old.name, decision.reason, record.row)
    rendered = next(rendered_in_order)
    if adjust is not None:  # before the old agreement moves: it may be read
        rendered = adjust(decision, agreement, rendered)
    target = out / decision.target
    moved_to: Path | None = None
    if ledger.dry_run:
        return _outcome(decision.action, rendered.stamp, out, decision.target, decision.reason,
                        record.row)  # fmt: skip
    with one_step():  # every file moved here is in the manifest, however the run stops
        try:
            if decision.displaces is not None:  # not a Word file: kept, but out of the way
                ledger.displaced.append(
                    (decision.displaces.name, supersede(out, decision.displaces.name, now))
                )
            if decision.action == "replaced" and old is not None and old.stamp is not None:
                new_name = supersede(out, old.name, now)
                ledger.move(old.name, new_name, decision.reason)
                moved_to = out / new_name
            if rendered.spooled is not None:
                place(rendered.spooled, target)
            else:
                write_atomically(target, rendered.data, durable=False)
            ledger.written.append(decision.target)
        except FileInUse as error:
            ledger.failed.append(str(error))
            return Outcome("failed", record.supervisee, record.supervisor, record.staff_id,
                           out, decision.target, str(error), moved_to, rendered.stamp.review,
                           record.row)  # fmt: skip
        ledger.set(decision.target, rendered.stamp, "made", decision.reason, record.row)
    return _outcome(decision.action, rendered.stamp, out, decision.target, decision.reason,
                    record.row, moved_to)  # fmt: skip


def _outcome(
    action: str,
    stamp: Stamp,
    folder: Path,
    name: str,
    reason: str,
    row: int | None = None,
    superseded_as: Path | None = None,
) -> Outcome:
    return Outcome(action, stamp.supervisee, stamp.supervisor, stamp.staff_id, folder, name,
                   reason, superseded_as, stamp.review, row)  # fmt: skip


def _write_calendar(
    path: Path, agreement: Agreement, previous: Path | None, invitations: bool
) -> None:
    """The pair's calendar file.

    Given the one written before (now beside the superseded agreement, or still in place),
    meetings no longer planned are sent as cancelled.
    """
    from .calendar import calendar_bytes  # only runs asking for calendars load icalendar

    minutes = meeting_minutes(agreement.record, agreement.layout)
    earlier = previous.read_bytes() if previous is not None else None
    write_atomically(path, calendar_bytes(agreement.record, agreement.schedule, agreement.context(),
                                          minutes, previous=earlier,
                                          invitations=invitations), durable=False)  # fmt: skip


class _Ledger:
    """What the output folder holds, as the run changes it: the manifest's rows."""

    def __init__(
        self, folder: Path, existing: Sequence[Existing], now: datetime, dry_run: bool
    ) -> None:
        self.folder, self.now, self.dry_run = folder, now, dry_run
        self.entries = Entries()
        self.renamed: dict[str, str] = {}
        self.failed: list[str] = []
        self.manifest: Manifest | None = None  # read when first written (never in a dry run)
        self.displaced: list[tuple[str, str]] = []  # (damaged file, where it was moved)
        self.written: list[str] = []  # files not yet known to be on disk
        for item in existing:
            if item.stamp is None:
                continue
            status = ("superseded" if item.superseded
                      else "up to date" if item.untouched else "edited in Word")  # fmt: skip
            self.entries.set(Entry(item.name, item.stamp, status))

    def make_durable(self) -> None:
        if self.written:
            make_durable(self.folder / name for name in self.written)
            self.written = []

    def set(self, name: str, stamp: Stamp, status: str, why: str, row: int | None = None) -> None:
        self.entries.set(Entry(name, stamp, status, why, row))

    def move(self, old: str, new: str, why: str) -> None:
        entry = self.entries.pop(old)
        self.entries.set(Entry(new, entry.stamp, "superseded", why))
        self.renamed[old] = new

    def write(self) -> ManifestResult:
        self.make_durable()  # the manifest never lists an agreement that is not yet on disk
        if self.manifest is None:
            self.manifest = Manifest(self.folder, self.now)
        return self.manifest.write(self.entries, self.renamed)

    def close(self) -> None:
        self.entries.close()
