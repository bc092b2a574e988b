"""The `docgen` command: arguments in, messages out. All the work is in `docgen.pipeline`."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .errors import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_ROSTER_PROBLEMS,
    DocgenError,
    Problem,
    RosterProblems,
)
from .pipeline import Extras, Options, check_roster
from .pipeline import generate as run_generate
from .pipeline import refresh as run_refresh

_Command = TypeVar("_Command", bound=Callable[..., Any])

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _colour() -> bool | None:
    return False if os.environ.get("NO_COLOR") else None  # None: click decides by terminal


def say(message: str = "", **style: Any) -> None:
    """A message for the person (stderr), so stdout stays clean for data."""
    click.echo(click.style(message, **style) if style else message, err=True, color=_colour())


def show_problems(problems: Sequence[Problem]) -> None:
    """Print each problem, the errors before the warnings."""
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    for problem in errors:
        say(f"  {problem}", fg="red")
    for problem in warnings:
        say(f"  {problem}", fg="yellow")
    if errors:
        rows = len({p.row for p in errors})
        say(f"{len(errors)} problem{'s' * (len(errors) != 1)} in {rows} "
            f"row{'s' * (rows != 1)}.", bold=True)  # fmt: skip


class DocgenGroup(click.Group):
    """Turns every `DocgenError` into one `Error: ...` line and its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command, turning docgen's own errors into messages and exit codes."""
        try:
            return super().invoke(ctx)
        except RosterProblems as error:
            say("The roster has problems:", bold=True)
            show_problems(error.problems)
            say(
                "Nothing was written. Correct the cells above in Excel and run docgen again "
                "(or add --valid-rows-only to make the agreements for the other rows)."
            )
            ctx.exit(error.exit_code)
        except DocgenError as error:
            say(f"Error: {error}", fg="red")
            ctx.exit(error.exit_code)
        except KeyboardInterrupt:
            say("Stopped. Documents already written are complete; the rest were not made.")
            ctx.exit(EXIT_INTERRUPTED)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:  # output piped into `head` or `more`, which stopped reading
            sys.stderr.close()
            ctx.exit(EXIT_OK)
        except Exception as error:  # a bug in docgen: say so plainly, details on request
            if os.environ.get("DOCGEN_DEBUG"):
                raise
            say(f"docgen stopped because of a fault in docgen itself ({type(error).__name__}: "
                f"{error}). Nothing you did caused it; please report it, with the files you "
                "used. Set DOCGEN_DEBUG=1 to see the technical details.", fg="red")  # fmt: skip
            ctx.exit(EXIT_ERROR)


roster_argument = click.argument(
    "roster", type=click.Path(dir_okay=False, path_type=Path), metavar="ROSTER"
)


def common_options(function: Any) -> Any:
    """Add the options shared by every command that reads a roster."""
    function = click.option(
        "--policy", type=click.Path(dir_okay=False, path_type=Path),
        help="A supervision policy file (.toml) to use instead of each layout's own.",
    )(function)  # fmt: skip
    function = click.option(
        "--sheet", help="The roster's sheet (default: Roster, else the first)."
    )(function)
    function = click.option(
        "--templates", "templates_dir", type=click.Path(file_okay=False, path_type=Path),
        help="A folder of your own layouts (.docx with a .toml beside each).",
    )(function)  # fmt: skip
    return click.option(
        "--template", "-t", metavar="LAYOUT",
        help="The layout for rows whose Layout cell is empty (see `docgen templates`).",
    )(function)  # fmt: skip


@click.group(cls=DocgenGroup, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="docgen")
def main() -> None:
    """Make supervision agreements for every supervisor–supervisee pair in a roster.

    \b
    To try it, in any folder:
      docgen new-roster --example example.xlsx
      docgen generate example.xlsx
    The agreements appear in the folder output/.

    To start your own roster: docgen new-roster roster.xlsx
    """  # noqa: D301 - click keeps lines as typed after a real backspace character, not r"\b"


def out_option(required: bool) -> Callable[[_Command], _Command]:
    """The --out option; `required` for commands that change an existing folder."""
    return click.option(
        "--out", "-o", "out_dir", type=click.Path(file_okay=False, path_type=Path),
        default=None if required else Path("output"), required=required,
        show_default=not required,
        help="The folder of agreements and their manifest.",
    )  # fmt: skip


def writing_options(function: Any) -> Any:
    """Add the options of the commands that write agreements."""
    for option in reversed((
        click.option("--valid-rows-only", is_flag=True,
                     help="Make agreements for the rows without problems; list the rest."),
        click.option("--ics", is_flag=True,
                     help="Also write a calendar file (.ics) for each pair."),
        click.option("--ics-invitations", "invitations", is_flag=True,
                     help="Write the calendar files as invitations from the supervisor to the "
                     "supervisee (implies --ics)."),
        click.option("--pdf", is_flag=True, help="Also write a PDF of each agreement (needs "
                     "LibreOffice)."),
        click.option("--pdf-a", "pdf_archive", is_flag=True,
                     help="Write the PDFs as PDF/A, for archives (implies --pdf)."),
        click.option("--combine", is_flag=True, help="Also write one Word file holding every "
                     "agreement, to print them at once (and its PDF with --pdf)."),
        click.option("--zip", "bundle", is_flag=True, help="Also write one .zip of the "
                     "agreements and everything beside them, to email or upload."),
        click.option("--replace-edited", is_flag=True,
                     help="Replace agreements edited in Word whose roster row changed (the "
                     "edited one is kept in superseded/)."),
        click.option("--dry-run", is_flag=True, help="Check everything and list what would be "
                     "done; change nothing."),
        click.option("--quiet", "-q", is_flag=True, help="Print only problems and errors."),
    )):  # fmt: skip
        function = option(function)
    return function


def _extras(ics: bool, invitations: bool, pdf: bool, pdf_archive: bool, combine: bool,
            bundle: bool) -> Extras:  # fmt: skip
    return Extras(calendars=ics or invitations, pdf=pdf or pdf_archive, pdf_archive=pdf_archive,
                  combine=combine, bundle=bundle, invitations=invitations)  # fmt: skip


class ProgressBar:
    """A progress bar on a terminal; nothing when output goes to a file or --quiet."""

    def __init__(self, quiet: bool, label: str) -> None:
        self.enabled = not quiet and sys.stderr.isatty()
        self.label = label
        self.bar: Any = None

    def __call__(self, done: int, total: int, name: str) -> None:  # noqa: ARG002
        """Move the bar on by one; `done` of `total` are finished."""
        # `name` (the file just written) is part of every progress callback; a bar shows counts.
        if not self.enabled:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr,
                                         show_pos=True, show_eta=True)  # fmt: skip
            self.bar.__enter__()
        self.bar.update(1)
        if done == total:
            self.close()

    def close(self) -> None:
        """Finish the bar's line on the terminal."""
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@main.command(context_settings=CONTEXT)
@roster_argument
@out_option(required=False)
@common_options
@writing_options
def generate(
    roster: Path,
    out_dir: Path,
    template: str | None,
    templates_dir: Path | None,
    sheet: str | None,
    policy: Path | None,
    valid_rows_only: bool,
    ics: bool,
    invitations: bool,
    pdf: bool,
    pdf_archive: bool,
    combine: bool,
    bundle: bool,
    replace_edited: bool,
    dry_run: bool,
    quiet: bool,
) -> None:
    """Make one Word agreement per roster row, and a manifest, in --out.

    Run it again whenever the roster changes: agreements already up to date are left as
    they are, changed rows get a new agreement (the old one is kept in superseded/), and
    agreements edited in Word are never touched.
    """
    bar = ProgressBar(quiet, "Writing agreements")
    try:
        result = run_generate(
            roster, out_dir, Options(template, templates_dir, sheet, policy),
            valid_rows_only=valid_rows_only,
            extras=_extras(ics, invitations, pdf, pdf_archive, combine, bundle),
            dry_run=dry_run, replace_edited=replace_edited, progress=bar,
        )  # fmt: skip
    finally:
        bar.close()
    if dry_run:
        for outcome in result.outcomes:
            click.echo(f"{outcome.action}: {outcome.file}")
    report_run(result, quiet)


@main.command(context_settings=CONTEXT)
@roster_argument
@out_option(required=True)
@click.option("--within", "within_days", type=click.IntRange(0, 3660), default=30,
              show_default=True, metavar="DAYS",
              help="Renew agreements whose review is due within this many days.")  # fmt: skip
@click.option("--today", "today_text", metavar="DD/MM/YYYY",
              help="Work as if today were this date (default: today).")  # fmt: skip
@click.option("--no-carry-forward", "no_carry_forward", is_flag=True,
              help="Start new agreements with blank fields, rather than with what the same "
              "pair completed in the one it replaces.")  # fmt: skip
@common_options
@writing_options
def refresh(
    roster: Path,
    out_dir: Path,
    within_days: int,
    today_text: str | None,
    no_carry_forward: bool,
    template: str | None,
    templates_dir: Path | None,
    sheet: str | None,
    policy: Path | None,
    valid_rows_only: bool,
    ics: bool,
    invitations: bool,
    pdf: bool,
    pdf_archive: bool,
    combine: bool,
    bundle: bool,
    replace_edited: bool,
    dry_run: bool,
    quiet: bool,
) -> None:
    """Renew the agreements in --out that are due.

    An agreement is due when its review is within --within days or has passed, when its
    supervisor changed, and for a new pair. Old agreements are kept in superseded/; people no
    longer on the roster are listed, and their agreements kept. A pair's new agreement starts
    with the fields they completed in their old one (never signatures or dates; not with a
    new supervisor).

    Writes a refresh report workbook in --out saying what was done for each person, and why.
    """
    from .values import BadValue, parse_uk_date

    today = None
    if today_text is not None:
        try:
            today = parse_uk_date(today_text)
        except BadValue as error:
            raise click.BadParameter(f'"{today_text}" {error.message}; {error.fix}',
                                     param_hint="--today") from None  # fmt: skip
    bar = ProgressBar(quiet, "Renewing agreements")
    try:
        result = run_refresh(
            roster, out_dir, Options(template, templates_dir, sheet, policy),
            within_days=within_days, today=today, valid_rows_only=valid_rows_only,
            extras=_extras(ics, invitations, pdf, pdf_archive, combine, bundle),
            dry_run=dry_run, replace_edited=replace_edited, progress=bar,
            carry_forward=not no_carry_forward,
        )  # fmt: skip
    finally:
        bar.close()
    if not quiet or result.report is None:
        for line in refresh_lines(result):
            click.echo(line)
    report_run(result, quiet)
    if result.carried_forward and not quiet:
        count = len(result.carried_forward)
        say(f"{'Would carry' if dry_run else 'Carried'} forward the answers of "
            f"{count} agreement{'s' * (count != 1)} into the new one{'s' * (count != 1)}, for "
            "the pair to review (signatures and dates start blank).")  # fmt: skip
    if result.report is not None:
        say(f"Refresh report: {result.report}", fg="green")


def refresh_lines(result: Any) -> list[str]:
    """The refresh, person by person, for standard output."""
    lines = []
    for outcome in result.outcomes:
        who = f"{outcome.supervisee} (supervised by {outcome.supervisor})"
        what = {"made": "new agreement", "replaced": "new agreement, the old one superseded",
                "up to date": "nothing due", "edited": "nothing due (edited in Word)",
                "edited, not replaced": "NOT renewed: edited in Word",
                "left": "no longer on the roster: agreement kept",
                "failed": "could not be written"}.get(outcome.action, outcome.action)  # fmt: skip
        why = f" ({outcome.reason})" if outcome.reason and outcome.action != "left" else ""
        lines.append(f"{who}: {what}{why}: {outcome.file.name}")
    return lines


def report_run(result: Any, quiet: bool) -> None:  # noqa: C901
    """Every line a person needs after `generate` or `refresh`.

    What was kept, moved, replaced or could not be done, then one summary line.
    """
    if result.warnings and not quiet:
        say("Warnings:", bold=True)
        show_problems(result.warnings)
    if result.layout_warnings and not quiet:
        say("The layouts used have these warnings (`docgen check-template` explains):", bold=True)
        for warning in result.layout_warnings:
            say(f"  {warning}", fg="yellow")
    if result.cleared_temporary_files:
        say(f"Cleared {result.cleared_temporary_files} unfinished file(s) left by an "
            "interrupted run.")  # fmt: skip
    would = "would be " if result.dry_run else ""
    for outcome in result.outcomes:
        name = outcome.file.name
        if outcome.action == "replaced":
            kept = (f"; the old one is kept as {_relative(outcome.superseded_as, result)}"
                    if outcome.superseded_as
                    else "; the old one would move to superseded/")  # fmt: skip
            say(f"{name}: {would}replaced because {outcome.reason}{kept}", fg="yellow")
        elif outcome.action == "edited" and not quiet:
            say(f"{name} was edited in Word since docgen made it; left as it is.")
        elif outcome.action == "edited, not replaced":
            say(f"{name} was edited in Word, and {outcome.reason}: it was left as it is and no "
                "new agreement was made. To replace it, run again with --replace-edited (the "
                "edited one is then kept in superseded/).", fg="yellow")  # fmt: skip
        elif outcome.action == "left" and not quiet:
            say(f"{name}: {outcome.supervisee} is no longer on the roster; the agreement is "
                "kept.", fg="yellow")  # fmt: skip
        elif outcome.action == "failed":
            say(f"{name} was not made: {outcome.reason}", fg="red")
    for damaged, kept in result.displaced:
        say(f"{damaged.name} could not be opened as a Word file (a copy cut short, perhaps by a "
            f"power cut); it was moved to {_relative(kept, result)} and the agreement made "
            "again.", fg="yellow")  # fmt: skip
    for theirs, ours in result.renamed:
        say(f"{theirs.name} is not an agreement docgen made, so it was left as it is; the new "
            f"agreement is {ours.name}", fg="yellow")  # fmt: skip
    for note in result.schedule_notes:
        if not quiet:
            say(f"Schedule: {note}", fg="yellow")
    if result.skipped_rows:
        say(f"Skipped {len(result.skipped_rows)} row(s) with problems: "
            + ", ".join(str(row) for row in result.skipped_rows)
            + ". Run `docgen validate` to see them.", fg="yellow")  # fmt: skip
    for document, why in result.pdf_failed:
        say(f"{document.with_suffix('.pdf').name} was not made: {why}", fg="red")
    if result.pdfs and not quiet:
        say(f"Wrote {len(result.pdfs)} PDF{'s' * (len(result.pdfs) != 1)}.")
    if result.combined is not None and not quiet:
        say(f"Everything to print in one file: {result.combined.name}")
    if result.bundle is not None and not quiet:
        say(f"Everything in one zip: {result.bundle.name}")
    manifest = result.manifest
    if manifest is not None and manifest.kept_copy is not None:
        say(f"The manifest could not be brought up to date as it was ({manifest.reason}); "
            f"your version is kept as {manifest.kept_copy.name}", fg="yellow")  # fmt: skip
    if manifest is not None and manifest.not_updated:
        say(f"The manifest was not updated: {manifest.not_updated}. The agreements are all "
            "in place; the next run brings the manifest up to date.", fg="yellow")  # fmt: skip
    counts = {
        a: len(result.having(a))
        for a in (
            "made",
            "replaced",
            "up to date",
            "edited",
            "edited, not replaced",
            "left",
            "failed",
        )
    }
    if not quiet or counts["failed"]:
        say(_summary(counts, result), fg="red" if counts["failed"] else "green")
    if counts["failed"] or result.pdf_failed:
        sys.exit(EXIT_ERROR)


def _relative(path: Path | None, result: Any) -> str:
    if path is None:
        return ""
    try:
        return str(path.relative_to(result.out_dir))
    except ValueError:
        return str(path)


def _summary(counts: dict[str, int], result: Any) -> str:
    def n(count: int, word: str) -> str:
        return f"{count} {word}{'s' * (count != 1)}"

    made = counts["made"] + counts["replaced"]
    verb = "Would make" if result.dry_run else "Made"
    nothing = "Nothing new to make" if not result.dry_run else "Nothing new would be made"
    parts = [
        (f"{verb} {n(made, 'agreement')}" if made else nothing)
        + (
            f" ({counts['replaced']} replacing "
            + ("an older one)" if counts["replaced"] == 1 else "older ones)")
            if counts["replaced"]
            else ""
        )
    ]
    if result.calendars:
        parts[0] += f" and {n(len(result.calendars), 'calendar file')}"
    if counts["up to date"] + counts["edited"]:
        parts.append(
            f"{counts['up to date'] + counts['edited']} up to date"
            + (f" ({counts['edited']} edited in Word)" if counts["edited"] else "")
        )
    if counts["edited, not replaced"]:
        parts.append(f"{counts['edited, not replaced']} not replaced (edited in Word)")
    if counts["left"]:
        parts.append(f"{counts['left']} for people no longer on the roster, kept")
    if counts["failed"]:
        parts.append(f"{counts['failed']} could not be written (close them and run again)")
    where = f" in {result.out_dir}{os.sep}"
    if result.dry_run:
        return "Dry run: " + "; ".join(parts) + where + "; nothing was written."
    listing = (
        f" (list: {result.manifest.path.name})" if result.manifest and result.manifest.path else ""
    )
    made_rate = ""
    if made and result.seconds > 0:
        made_rate = f", in {result.seconds:.1f} s ({made / result.seconds:.0f} a second)"
    return "; ".join(parts) + where + listing + made_rate + "."


@main.command(context_settings=CONTEXT)
@roster_argument
@common_options
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path),
              metavar="PATH.xlsx",
              help="Also write a copy of the roster with each problem cell "
                   "highlighted.")  # fmt: skip
def validate(
    roster: Path,
    template: str | None,
    templates_dir: Path | None,
    sheet: str | None,
    policy: Path | None,
    report: Path | None,
) -> None:
    """Check a roster and list every problem; the roster itself is never changed.

    Exits 0 when the roster is ready, 3 when it has problems.
    """
    checked = check_roster(roster, Options(template, templates_dir, sheet, policy))
    if checked.problems:
        show_problems(checked.problems)
    if report is not None:
        from .workbooks import write_problem_report

        write_problem_report(roster, checked.problems, report)
        say(f"Problems report: {report} ({len(checked.problems)} highlighted).")
    if checked.errors:
        say("Correct these cells in Excel, then run `docgen validate` again.")
        sys.exit(EXIT_ROSTER_PROBLEMS)
    say(f"{roster.name}: {len(checked.records)} row{'s' * (len(checked.records) != 1)} "
        "ready to generate.", fg="green")  # fmt: skip


@main.command(context_settings=CONTEXT)
@click.option("--templates", "templates_dir", type=click.Path(file_okay=False, path_type=Path),
              help="A folder of your own layouts to list with docgen's.")  # fmt: skip
def templates(templates_dir: Path | None) -> None:
    """List the installed layouts, the roster columns each needs and the fields people complete."""
    from .templates import load_catalogue

    for layout in load_catalogue(templates_dir):
        click.echo(f"{layout.key}\t{layout.name} ({layout.organisation})")
        click.echo(f"\tneeds: {', '.join(layout.needed_columns())}")
        if layout.defaults:
            click.echo("\tdefaults: " + "; ".join(f"{k} = {v}" for k, v in layout.defaults.items()))
        if layout.fields:
            click.echo(f"\tfields: {', '.join(layout.fields)}")
        click.echo(f"\tpolicy: {layout.policy.name}; file: {layout.docx}")


@main.command("collect", context_settings=CONTEXT)
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path),
                metavar="DIR")  # fmt: skip
@click.option("--tracker", type=click.Path(dir_okay=False, path_type=Path), metavar="PATH.xlsx",
              help="Where to write the tracker (default: tracker.xlsx in DIR).")  # fmt: skip
@click.option("--within", "within_days", type=click.IntRange(0, 3660), default=30,
              show_default=True, metavar="DAYS",
              help="Count the reviews due within this many days.")  # fmt: skip
@click.option("--today", "today_text", metavar="DD/MM/YYYY",
              help="Work as if today were this date (default: today).")  # fmt: skip
def collect_command(
    folder: Path, tracker: Path | None, within_days: int, today_text: str | None
) -> None:
    """Read the agreements in DIR (and DIR/superseded): who has signed, what is filled in.

    Writes a tracker workbook, one row per agreement: its dates, each party's signature and
    date, the other fields completed, whether it was edited since docgen made it, and the
    superseded agreements. No agreement is changed.
    """
    from .collect import collect

    collected = collect(folder, tracker, today=_today_option(today_text),
                        within_days=within_days)  # fmt: skip
    click.echo(collected.summary() + ".")
    say(f"Tracker: {collected.tracker}", fg="green")


def _today_option(text: str | None) -> date | None:
    """The --today option's date, or None for the computer's date."""
    from .values import BadValue, parse_uk_date

    if text is None:
        return None
    try:
        return parse_uk_date(text)
    except BadValue as error:
        raise click.BadParameter(f'"{text}" {error.message}; {error.fix}',
                                 param_hint="--today") from None  # fmt: skip


@main.command("check-template", context_settings=CONTEXT)
@click.argument("template_file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
                metavar="FILE.docx")  # fmt: skip
def check_template_command(template_file: Path) -> None:
    """Check a layout: broken tags, unknown variables, metadata, outdated regulators.

    Exits 0 when it can be used (warnings only), 4 when it has errors.
    """
    from .errors import EXIT_TEMPLATE_PROBLEMS
    from .template_check import check_template

    findings = check_template(template_file)
    for finding in findings:
        say(str(finding), fg="red" if finding.severity == "error" else "yellow")
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    if errors:
        say(f"{template_file.name}: {errors} error(s), {warnings} warning(s); fix the errors "
            "(the layout in Word, its .toml file in Notepad) and check again.",
            bold=True)  # fmt: skip
        sys.exit(EXIT_TEMPLATE_PROBLEMS)
    say(f"{template_file.name}: ready to use ({warnings} warning(s)).", fg="green")


@main.command(context_settings=CONTEXT)
@roster_argument
@common_options
def schedule(
    roster: Path,
    template: str | None,
    templates_dir: Path | None,
    sheet: str | None,
    policy: Path | None,
) -> None:
    """Print each pair's meeting dates for the next 12 months; writes no documents."""
    from .context import frequency_words
    from .pipeline import schedules
    from .schedule import long_date

    checked, planned = schedules(roster, Options(template, templates_dir, sheet, policy))
    if checked.problems:
        show_problems(checked.problems)
    for item in planned:
        record, plan = item.record, item.schedule
        time_text = f", {record.meeting_time:%H:%M}" if record.meeting_time else ""
        frequency = frequency_words(record, checked.policies[record.layout])
        click.echo(f"Row {record.row}: {record.supervisee}, supervised by {record.supervisor} "
                   f"({record.layout}, {record.nation}): {frequency}; "
                   f"{len(plan.meetings)} meetings; review {long_date(plan.review)}")  # fmt: skip
        for number, meeting in enumerate(plan.meetings, start=1):
            moved = ""
            if meeting.moved_from is not None:
                moved = f"  (moved from {long_date(meeting.moved_from)}: {meeting.moved_because})"
            click.echo(f"  {number:>2}. {long_date(meeting.day)}{time_text}{moved}")
        for note in plan.notes:
            click.echo(f"  Note: {note}")
        click.echo()
    if checked.errors:
        say(f"{len(checked.errors)} problem(s): the rows with problems are not shown.")
        sys.exit(EXIT_ROSTER_PROBLEMS)


@main.command("new-roster", context_settings=CONTEXT)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), metavar="PATH.xlsx")
@click.option("--templates", "templates_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Offer your own layouts in the Layout dropdown too.")  # fmt: skip
@click.option("--example", is_flag=True,
              help="Write docgen's example roster (made-up pairs) instead, to try docgen "
              "on.")  # fmt: skip
def new_roster_command(path: Path, templates_dir: Path | None, example: bool) -> None:
    """Write a starter roster to fill in Excel: columns, notes, dropdowns, an example row."""
    from .workbooks import new_roster, write_example

    if example:
        write_example(path)
        say(f"Wrote {path}. Try `docgen generate {path.name}`.", fg="green")
        return
    new_roster(path, templates_dir)
    say(f"Wrote {path}. Fill it in Excel (row 2 is an example, skipped), then run "
        f"`docgen validate {path.name}`.", fg="green")  # fmt: skip


@main.command(context_settings=CONTEXT)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to serve on. Any but this computer's own needs the "
              "DOCGEN_PASSWORD environment variable set.")  # fmt: skip
@click.option("--port", type=click.IntRange(1, 65535), default=8642, show_default=True,
              help="The port to serve on.")  # fmt: skip
@click.option("--no-browser", is_flag=True, help="Do not open the page in a browser.")
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
              help="The folder for uploads and the agreements made (default: your user's "
              "program data folder).")  # fmt: skip
@click.option("--keep-days", type=click.IntRange(1, 36600), default=30, show_default=True,
              help="Delete each run, with its roster and agreements, this many days after it "
              "was made.")  # fmt: skip
@click.option("--max-upload-mb", type=click.IntRange(1, 512), default=20, show_default=True,
              help="The largest file people may upload.")  # fmt: skip
def serve(host: str, port: int, no_browser: bool, data_dir: Path | None, keep_days: int,
          max_upload_mb: int) -> None:  # fmt: skip
    """Start the web page: everything docgen does, in a browser.

    It serves this computer only unless --host says otherwise; then it asks for the password
    or access token in the DOCGEN_PASSWORD environment variable.
    """
    from .web import Settings
    from .web.serve import default_data_dir
    from .web.serve import serve as run_server

    settings = Settings(data=data_dir or default_data_dir(), host=host, port=port,
                        keep_days=keep_days, password=os.environ.get("DOCGEN_PASSWORD") or None,
                        max_upload_mb=max_upload_mb)  # fmt: skip
    run_server(settings, open_browser=not no_browser, say=say)
