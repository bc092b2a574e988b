"""Workbooks for people who live in Excel.

A starter roster to fill in, and a copy of a roster with its problems highlighted.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from pathlib import Path

from dateutil.relativedelta import relativedelta
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .columns import BY_KEY, COLUMNS, EXAMPLE_PREFIX, FREQUENCIES, MEETING_DAYS, NATIONS
from .errors import OutputError, PolicyError, Problem, RosterFileError
from .files import read_toml
from .output import write_atomically
from .policy import DEFAULT_POLICY, Policy, load_policy, parse_frequency
from .records import at_least_as_often
from .roster import read_roster
from .templates import load_catalogue
from .values import uk_date

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
WARNING_FILL = PatternFill("solid", fgColor="FFEB9C")
DATE_KEYS = {"start_date", "started_in_post"}
ROWS_PREPARED = 500  # rows given date formats and dropdowns, beyond which Excel copies them on
# Text starting with one of these is a formula to Excel (and to openpyxl, for "="), or is
# turned into one when someone presses F2 and Enter on the cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_TEXT_LIMIT = 32_767  # characters a cell holds; Excel calls a longer one corrupt

EXAMPLE = {
    "layout": "sefton", "organisation": "Sefton Council",
    "supervisee": f"{EXAMPLE_PREFIX} Amira Khan", "staff_id": "E10234",
    "supervisee_job_title": "Social Worker",
    "supervisee_email": "amira.khan@example.gov.uk", "supervisor": "Joe Bloggs",
    "supervisor_job_title": "Team Manager", "supervisor_email": "joe.bloggs@example.gov.uk",
    "role": "Social worker", "newly_qualified": "No", "started_in_post": None,
    "start_date": datetime(2026, 3, 2),  # noqa: DTZ001 - Excel's dates have no time zone
    "frequency": None, "meeting_day": "Tuesday",
    "meeting_time": time(10, 0), "duration": 90, "location": "Bootle Town Hall, room 2",
    "nation": "England", "key_tasks": "Child protection caseload\nCourt work",
}  # fmt: skip


def put_value(cell: Cell | MergedCell, value: object) -> Cell:
    """Store `value` in `cell` as data, never as a formula.

    Every workbook docgen writes puts roster text through here: text from a roster (or a
    layout's file name) such as ``=HYPERLINK("http://evil","x")`` stays text that shows as
    typed, and Excel keeps it text even when the cell is edited. Numbers, dates and times
    stay what they are; characters a workbook cannot hold are dropped and text longer than
    a cell holds is cut, so no value stops a workbook being written.
    """
    assert isinstance(cell, Cell)  # docgen writes into cells it added, never under a merge
    if value is None or isinstance(value, bool | int | float | datetime | date | time):
        cell.value = value
        return cell
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    if len(text) > EXCEL_TEXT_LIMIT:
        text = text[: EXCEL_TEXT_LIMIT - 1] + "\u2026"
    cell.value = text
    cell.data_type = "s"  # openpyxl makes any text starting "=" a formula
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True  # Excel's own "this is text" mark (a typed leading ')
    return cell


def safe_append(sheet: Worksheet, values: Iterable[object]) -> int:
    """Add `values` as the next row of `sheet`, each through `put_value`; the row's number."""
    # Cells made first and appended whole: asking the sheet for its last row (max_row)
    # looks at every cell, which made a long problems report take minutes.
    cells = [put_value(Cell(sheet, row=1, column=1), value) for value in values]  # placed by append
    sheet.append(cells)
    return cells[0].row if cells else sheet.max_row


def new_roster(path: Path, templates_dir: Path | None = None) -> Path:  # noqa: C901
    """Write a starter roster workbook at `path` (never over an existing file)."""
    path = Path(path)
    if path.suffix.casefold() != ".xlsx":
        raise OutputError(f"{path}: the starter roster is an Excel workbook; name it .xlsx")
    if path.exists():
        raise OutputError(f"{path} already exists; choose a new name so nothing is overwritten")
    layouts = sorted(layout.key for layout in load_catalogue(templates_dir))
    policy = load_policy(DEFAULT_POLICY)
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)  # a new workbook's one sheet
    sheet.title = "Roster"
    lists = workbook.create_sheet("Lists")
    choices = {"layout": layouts, "role": role_titles(policy), "nation": list(NATIONS),
               "newly_qualified": ["Yes", "No"], "frequency": frequencies_allowed(policy),
               "meeting_day": list(MEETING_DAYS)}  # fmt: skip
    list_ranges = {}
    for index, (key, values) in enumerate(choices.items(), start=1):
        letter = get_column_letter(index)
        put_value(lists.cell(1, index), key)
        for offset, value in enumerate(values, start=2):
            put_value(lists.cell(offset, index), value)  # layout names come from file names
        list_ranges[key] = f"Lists!${letter}$2:${letter}${len(values) + 1}"
    lists.sheet_state = "hidden"

    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        cell = put_value(sheet.cell(1, index), column.header)
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        required = "Required. " if column.required else ""
        cell.comment = Comment(f"{required}{column.note}\nFormat: {column.format}\n"
                               f"Example: {column.example}", "docgen",
                               width=300, height=120)  # fmt: skip
        sheet.column_dimensions[letter].width = max(14, min(34, len(column.example) + 6))
        cells = f"{letter}2:{letter}{ROWS_PREPARED + 1}"
        if column.key in list_ranges:
            # Suggestions, not a cage: "3rd Thursday" or a council's own role still goes in.
            validation = DataValidation(type="list", formula1=f"={list_ranges[column.key]}",
                                        allow_blank=True, errorStyle="information")  # fmt: skip
            validation.error = (
                f"Not one of the usual values for {column.header}; docgen will check it."
            )
            validation.errorTitle = column.header
            validation.showErrorMessage = True
            sheet.add_data_validation(validation)
            validation.add(cells)
        if column.key in DATE_KEYS:
            for row in range(2, ROWS_PREPARED + 2):
                sheet.cell(row, index).number_format = "dd/mm/yyyy"
        if column.key == "meeting_time":
            for row in range(2, ROWS_PREPARED + 2):
                sheet.cell(row, index).number_format = "hh:mm"
        value = EXAMPLE[column.key]
        example = put_value(sheet.cell(2, index), value)
        example.font = Font(italic=True, color="808080")
        if column.key == "key_tasks":
            example.alignment = Alignment(wrap_text=True)
    sheet.freeze_panes = "A2"
    sheet.row_dimensions[1].height = 32

    guide = workbook.create_sheet("How to fill this in", 1)
    guide.column_dimensions["A"].width = 24
    guide.column_dimensions["B"].width = 100
    lines = [
        ("How to fill in this roster", ""),
        ("", "One row per supervisor–supervisee pair, on the Roster sheet."),
        ("", f"Row 2 is an example: docgen skips any row whose Supervisee starts with "
             f'"{EXAMPLE_PREFIX}". Type over it or leave it.'),
        ("", "Orange headers must be filled in; hover over a header to see what it takes."),
        ("", "Dates: type them as dd/mm/yyyy (03/03/2026 is 3 March)."),
        ("", "Then: docgen validate roster.xlsx, and docgen generate roster.xlsx."),
        ("", ""),
        ("Column", "What to write"),
    ]  # fmt: skip
    lines += [(c.header, f"{'Required. ' if c.required else ''}{c.note} Format: {c.format}. "
               f"Example: {c.example}") for c in COLUMNS]  # fmt: skip
    for line in lines:
        safe_append(guide, line)
    guide["A1"].font = Font(bold=True, size=14)
    guide["A8"].font = guide["B8"].font = Font(bold=True)
    for row in guide.iter_rows(min_row=9):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    workbook.active = 0
    buffer = io.BytesIO()
    workbook.save(buffer)
    write_atomically(path, buffer.getvalue())
    return path


def example_roster_path() -> Path:
    """The example roster: inside the installed package, or in a source checkout.

    In a checkout it is the repository's ``data/example_roster.xlsx``, which the package's
    copy is made from.
    """
    packaged = Path(__file__).parent / "example_roster.xlsx"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parent.parent / "data" / "example_roster.xlsx"


_TEXT_DATE = re.compile(r"(\d{2})/(\d{2})/(\d{4})")


def write_example(path: Path, today: date | None = None) -> Path:
    """Write the example roster at `path` (never over an existing file), to try docgen on.

    Its dates move on by whole years when it is older than `today`'s year (default: the
    computer's date), so its agreements start within about a year of today, as a real
    roster's do, and it never draws the warning for start dates far from today.
    """
    path = Path(path)
    if path.suffix.casefold() != ".xlsx":
        raise OutputError(f"{path}: the example roster is an Excel workbook; name it .xlsx")
    if path.exists():
        raise OutputError(f"{path} already exists; choose a new name so nothing is overwritten")
    today = today or date.today()  # noqa: DTZ011 - the local date is the one staff mean
    workbook = load_workbook(example_roster_path())
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    starts = [c.value for c in cells if isinstance(c.value, datetime)]
    years = max(0, today.year - max(starts).year) if starts else 0
    for cell in cells if years else ():
        if isinstance(cell.value, datetime):
            cell.value = cell.value + relativedelta(years=years)
        elif isinstance(cell.value, str) and (match := _TEXT_DATE.fullmatch(cell.value)):
            day, month, year = (int(part) for part in match.groups())
            moved = date(year, month, day) + relativedelta(years=years)
            cell.value = uk_date(moved)
    buffer = io.BytesIO()
    workbook.save(buffer)
    write_atomically(path, buffer.getvalue())
    return path


def role_titles(policy: Policy) -> list[str]:
    """The Role dropdown: each of the policy's roles followed by the other titles it gives them.

    The titles (``also``) are as the policy file spells them; only titles the policy
    recognises.
    """
    data = read_toml(policy.path, "supervision policy file", PolicyError)
    titles: dict[str, str] = {}
    for entry in data.get("role", []):
        also = entry.get("also", [])
        for title in [entry.get("name", ""), *([also] if isinstance(also, str) else also)]:
            title = str(title).strip()
            # Being newly qualified is its own column; a title saying so would not set it.
            if "newly qualified" in title.casefold() or title.casefold() == "nqsw":
                continue
            if title and policy.role_frequency(title) is not None:
                titles.setdefault(title.casefold(), title)
    return list(titles.values())


def frequencies_allowed(policy: Policy) -> list[str]:
    """The Frequency dropdown: the usual frequencies at least as often as some role asks.

    A Frequency may only ask for more supervision, never less.
    """
    slowest = max((policy.role_frequency(name) for name in policy.role_names),
                  key=lambda f: f.approx_days if f else 0.0, default=None)  # fmt: skip
    if slowest is None:
        return list(FREQUENCIES)
    return [word for word in FREQUENCIES
            if at_least_as_often(parse_frequency(word), slowest)]  # fmt: skip


def write_problem_report(roster_path: Path, problems: Sequence[Problem], report: Path) -> Path:
    """A copy of the roster with each problem cell highlighted and commented.

    And a Problems sheet linking to them. The roster itself is never changed.
    """
    roster_path, report = Path(roster_path), Path(report)
    if report.resolve() == roster_path.resolve():
        raise OutputError("the report must be a new file, not the roster itself")
    if report.suffix.casefold() != ".xlsx":
        raise OutputError(f"{report}: the report is an Excel workbook; name it .xlsx")
    if roster_path.suffix.casefold() == ".xlsx":
        workbook = _copy_of(roster_path, report)
    else:
        workbook = _workbook_from(roster_path)
    listing = workbook.create_sheet("Problems", 0)
    safe_append(listing, ["Cell", "Column", "Value", "What is wrong", "How to fix it", "Severity"])
    for cell in listing[1]:
        cell.font = Font(bold=True)
    for problem in problems:
        sheet_name, _, coordinate = problem.cell.rpartition("!")
        sheet_name = sheet_name.strip("'").replace("''", "'")
        target = None
        if sheet_name in workbook.sheetnames and coordinate:
            if coordinate.isdigit():
                coordinate = f"A{coordinate}"
            target = workbook[sheet_name][coordinate]
            target.fill = ERROR_FILL if problem.severity == "error" else WARNING_FILL
            text = f"{problem.message}" + (f"; {problem.fix}" if problem.fix else "")
            previous = target.comment.text + "\n" if target.comment else ""
            target.comment = Comment(previous + text, "docgen", width=320, height=110)
        number = safe_append(listing, [problem.cell, problem.column, problem.value,
                                       problem.message, problem.fix, problem.severity])  # fmt: skip
        if target is not None:
            link = listing.cell(number, 1)
            quoted = "'" + sheet_name.replace("'", "''") + "'"
            link.hyperlink = f"#{quoted}!{target.coordinate}"
            link.style = "Hyperlink"
    for letter, width in zip("ABCDEF", (16, 20, 24, 60, 60, 10), strict=True):
        listing.column_dimensions[letter].width = width
    listing.freeze_panes = "A2"
    workbook.active = 0
    buffer = io.BytesIO()
    workbook.save(buffer)
    write_atomically(report, buffer.getvalue())
    return report


def _copy_of(roster_path: Path, report: Path) -> Workbook:
    """The roster as a full (editable) workbook, read from a copy.

    So the roster itself is never opened for writing. Its parts were already checked when
    the roster was read.
    """
    staging = report.with_name(f".{report.stem}.copying.xlsx")
    try:
        report.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(roster_path, staging)
    except OSError as error:
        raise OutputError(f"{report} cannot be written: {error.strerror or error}") from None
    try:
        return load_workbook(staging)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise RosterFileError(
            str(roster_path), "cannot be copied into a report: the workbook is damaged",
            "Open it in Excel and save it again as .xlsx",
        ) from None  # fmt: skip
    finally:
        staging.unlink(missing_ok=True)


def _workbook_from(roster_path: Path) -> Workbook:
    """A CSV roster as a workbook, so its cells can be highlighted the same way."""
    roster = read_roster(roster_path)
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)  # a new workbook's one sheet
    sheet.title = roster.sheet
    letters = dict(roster.columns)
    for key, letter in letters.items():
        put_value(sheet[f"{letter}{roster.header_row}"], BY_KEY[key].header)
    for row in roster.rows:
        for key, cell in row.cells.items():
            put_value(sheet[f"{letters[key]}{row.number}"], cell.value)
    return workbook
