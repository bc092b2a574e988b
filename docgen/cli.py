"""The `docgen` command: arguments in, messages out. All the work is in `docgen.pipeline`."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

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
from .pipeline import Options, check_roster
from .pipeline import generate as run_generate

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _colour() -> bool | None:
    return False if os.environ.get("NO_COLOR") else None  # None: click decides by terminal


def say(message: str = "", **style: Any) -> None:
    """A message for the person (stderr), so stdout stays clean for data."""
    click.echo(click.style(message, **style) if style else message, err=True, color=_colour())


def show_problems(problems: Sequence[Problem]) -> None:
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
        try:
            return super().invoke(ctx)
        except RosterProblems as error:
            say("The roster has problems:", bold=True)
            show_problems(error.problems)
            say("Nothing was written. Correct the cells above in Excel and run docgen again "
                "(or add --valid-rows-only to make the agreements for the other rows).")
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
    function = click.option(
        "--policy", type=click.Path(dir_okay=False, path_type=Path),
        help="A supervision policy file (.toml) to use instead of each layout's own.",
    )(function)  # fmt: skip
    function = click.option("--sheet", help="The roster's sheet (default: Roster, else the first).")(
        function
    )
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

    Start with `docgen generate data/example_roster.xlsx`; the agreements appear in output/.
    """


@main.command(context_settings=CONTEXT)
@roster_argument
@click.option("--out", "-o", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("output"), show_default=True,
              help="The folder to write the agreements and manifest into.")  # fmt: skip
@common_options
@click.option("--valid-rows-only", is_flag=True,
              help="Make agreements for the rows without problems; list the rest.")  # fmt: skip
@click.option("--ics", is_flag=True, help="Also write a calendar file (.ics) for each pair.")
@click.option("--dry-run", is_flag=True, help="Check everything and list the files; write none.")
@click.option("--quiet", "-q", is_flag=True, help="Print only problems and errors.")
def generate(
    roster: Path,
    out_dir: Path,
    template: str | None,
    templates_dir: Path | None,
    sheet: str | None,
    policy: Path | None,
    valid_rows_only: bool,
    ics: bool,
    dry_run: bool,
    quiet: bool,
) -> None:
    """Make one Word agreement per roster row, and a manifest, in --out."""
    options = Options(template, templates_dir, sheet, policy)
    bar: Any = None

    def progress(done: int, total: int, name: str) -> None:
        nonlocal bar
        if quiet or not sys.stderr.isatty():
            return
        if bar is None:
            bar = click.progressbar(length=total, label="Writing agreements", file=sys.stderr)
            bar.__enter__()
        bar.update(1)
        if done == total:
            bar.__exit__(None, None, None)

    result = run_generate(roster, out_dir, options, valid_rows_only=valid_rows_only,
                          calendars=ics, dry_run=dry_run, progress=progress)  # fmt: skip
    if dry_run:
        for path in result.planned_files:
            click.echo(str(path))
        say(f"Dry run: {len(result.planned_files)} agreements would be made in {out_dir}; "
            "nothing was written.")  # fmt: skip
        return
    if result.warnings and not quiet:
        say("Warnings:", bold=True)
        show_problems(result.warnings)
    for original, kept in result.kept:
        say(f"{original.name} had been edited since docgen made it; that version is kept as "
            f"{kept.name}", fg="yellow")  # fmt: skip
    for note in result.schedule_notes:
        say(f"Schedule: {note}", fg="yellow")
    if result.skipped_rows:
        say(f"Skipped {len(result.skipped_rows)} row(s) with problems: "
            + ", ".join(str(row) for row in result.skipped_rows)
            + ". Run `docgen validate` to see them.", fg="yellow")  # fmt: skip
    if not quiet:
        made = len(result.documents)
        extra = f" and {len(result.calendars)} calendar files" if result.calendars else ""
        say(f"Made {made} agreement{'s' * (made != 1)}{extra} in {result.out_dir}"
            f"{os.sep} (list: {result.manifest.name if result.manifest else '-'}).",
            fg="green")  # fmt: skip


@main.command(context_settings=CONTEXT)
@roster_argument
@common_options
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), metavar="PATH.xlsx",
              help="Also write a copy of the roster with each problem cell highlighted.")  # fmt: skip
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
    """List the installed layouts and the roster columns each needs."""
    from .columns import BY_KEY
    from .templates import load_catalogue

    for layout in load_catalogue(templates_dir):
        needs = ["Supervisee", "Supervisor", "Start date", *(BY_KEY[k].header for k in layout.needs)]
        click.echo(f"{layout.key}\t{layout.name} ({layout.organisation})")
        click.echo(f"\tneeds: {', '.join(needs)}")
        if layout.defaults:
            click.echo("\tdefaults: " + "; ".join(f"{k} = {v}" for k, v in layout.defaults.items()))
        click.echo(f"\tpolicy: {layout.policy.name}; file: {layout.docx}")


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
            "in Word and check again.", bold=True)  # fmt: skip
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
def new_roster_command(path: Path, templates_dir: Path | None) -> None:
    """Write a starter roster to fill in Excel: columns, notes, dropdowns, an example row."""
    from .workbooks import new_roster

    new_roster(path, templates_dir)
    say(f"Wrote {path}. Fill it in Excel (row 2 is an example, skipped), then run "
        f"`docgen validate {path.name}`.", fg="green")  # fmt: skip
