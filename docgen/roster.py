"""Read a roster file (.xlsx, or .csv as Excel saves it) into rows of cells that remember
where they came from (``Roster!E7``), so every later problem can point at the cell."""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import DefusedXmlException
from lxml.etree import LxmlError
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.exceptions import InvalidFileException

from .columns import BY_KEY, COLUMNS, column_for_header, normalise_header
from .errors import Problem, RosterFileError
from .files import MAX_UNPACKED, file_problem, zip_problem
from .values import as_text

HEADER_SEARCH_ROWS = 30  # a header may sit below a few title rows
BLANK_ROWS_BEFORE_END = 1000  # rows formatted but empty down to row 1,048,576 end the table
LEAVE_SHEET = "leave"


@dataclass(frozen=True)
class Cell:
    value: object  # as the file holds it: text, a number, a datetime, or None
    ref: str  # "Roster!E7"


@dataclass(frozen=True)
class RosterRow:
    number: int  # the spreadsheet's row number
    ref: str  # "Roster!7": the whole row
    cells: Mapping[str, Cell]  # keyed by column key ("start_date")

    def value(self, key: str) -> object:
        cell = self.cells.get(key)
        return cell.value if cell else None

    def text(self, key: str) -> str:
        return as_text(self.value(key))


@dataclass(frozen=True)
class Roster:
    path: Path
    sheet: str
    header_row: int
    columns: Mapping[str, str]  # column key -> column letter
    rows: tuple[RosterRow, ...]
    problems: tuple[Problem, ...] = ()
    leave_rows: tuple[RosterRow, ...] = ()  # the optional Leave sheet, as raw rows
    ignored_headers: tuple[str, ...] = field(default=())

    @property
    def file_name(self) -> str:
        return self.path.name


def sheet_ref(sheet: str, cell: str) -> str:
    """`Roster!E7`, quoting a sheet name with spaces the way Excel does (`'My roster'!E7`)."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", sheet):
        return f"{sheet}!{cell}"
    return "'" + sheet.replace("'", "''") + f"'!{cell}"


def read_roster(path: Path, sheet: str | None = None) -> Roster:
    """Read the roster at `path`: its chosen `sheet` (default: the one named Roster, else the
    first), header row and data rows. Raise `RosterFileError` if the file cannot be read."""
    path = Path(path)
    grid, sheet_name, leave_grid, facts = _read_grid(path, sheet)
    roster = _table_from_grid(path, sheet_name, grid, facts)
    if leave_grid is not None:
        leave_sheet, leave_cells = leave_grid
        leave = _raw_rows(leave_sheet, leave_cells, ("supervisor", "from", "to"))
        roster = Roster(**{**roster.__dict__, "leave_rows": leave})
    return roster


Grid = Iterable[tuple[int, Sequence[object]]]  # (row number, the row's values from column A)


def _read_grid(
    path: Path, sheet: str | None
) -> tuple[Grid, str, tuple[str, Grid] | None, SheetFacts]:
    if not path.exists():
        raise RosterFileError(str(path), "there is no such file", "Check the name and folder")
    if path.is_dir():
        raise RosterFileError(str(path), "is a folder, not a roster file")
    problem = file_problem(path)
    if problem is not None:
        raise RosterFileError(str(path), problem)
    if path.stat().st_size == 0:
        raise RosterFileError(str(path), "the file is empty", "Save the roster from Excel again")
    try:
        with path.open("rb") as stream:
            head = stream.read(8)
    except PermissionError:
        raise RosterFileError(
            str(path), "cannot be opened: another program has it locked, or you may not read it",
            "If it is open in Excel, close it (or save a copy and use that) and run docgen again",
        ) from None  # fmt: skip
    except OSError as error:
        raise RosterFileError(str(path), f"cannot be opened: {error.strerror or error}") from None
    suffix = path.suffix.casefold()
    if suffix in {".csv", ".txt"}:
        if path.stat().st_size > MAX_UNPACKED:
            raise RosterFileError(
                str(path), f"is bigger than the {MAX_UNPACKED // 2**20} MB docgen reads",
                "A roster is a few megabytes at most; check it is the right file",
            )  # fmt: skip
        return list(_csv_grid(path)), path.stem, None, SheetFacts()
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        if suffix == ".xls":
            raise RosterFileError(
                str(path), "is an old Excel 97-2003 workbook (.xls)",
                "Open it in Excel and use File > Save As > Excel Workbook (.xlsx)",
            )  # fmt: skip
        raise RosterFileError(
            str(path), "is password-protected (encrypted), so docgen cannot read it",
            "Open it in Excel, remove the password (File > Info > Protect Workbook), and save",
        )  # fmt: skip
    if not zipfile.is_zipfile(path):
        raise RosterFileError(
            str(path), "is not an Excel workbook",
            "Save the roster from Excel as .xlsx (or as CSV UTF-8)",
        )  # fmt: skip
    # Refused before openpyxl unpacks anything: a small file can unpack to gigabytes.
    problem = zip_problem(path)
    if problem is not None:
        raise RosterFileError(
            str(path), problem,
            "If it is a real roster, open it in Excel, delete the rows and columns below and "
            "beside the table, and save it again",
        )  # fmt: skip
    try:
        return _read_workbook(path, sheet)
    except UNREADABLE as error:
        raise RosterFileError(str(path), *_unreadable(error)) from None


# What a damaged or hostile workbook can raise from zipfile, zlib, openpyxl's XML parsers
# (defusedxml, which refuses entity declarations, expat and lxml) and openpyxl itself.
UNREADABLE = (InvalidFileException, zipfile.BadZipFile, zlib.error, KeyError, OSError,
              ValueError, TypeError, EOFError, NotImplementedError, SyntaxError,
              LxmlError)  # fmt: skip


def _unreadable(error: BaseException) -> tuple[str, str]:
    """The reason and fix for a workbook openpyxl could not read."""
    causes = [error]
    while causes[-1].__cause__ is not None and len(causes) < 10:  # openpyxl wraps some
        causes.append(causes[-1].__cause__)
    if any(isinstance(cause, DefusedXmlException) for cause in causes):
        return ("contains XML that Excel never writes (entity declarations), so docgen does "
                "not read it", "Open it in Excel and save it again as .xlsx, or copy the "
                "table into a new workbook")  # fmt: skip
    if isinstance(error, zipfile.BadZipFile | zlib.error | EOFError):
        return ("is damaged: part of it cannot be unpacked", "Save it from Excel again, or use "
                "an earlier copy")  # fmt: skip
    detail = (str(error).splitlines() or [""])[0]
    return (f"cannot be read as an Excel workbook ({type(error).__name__}: {detail})",
            "Open it in Excel and save it again as .xlsx")  # fmt: skip


def _read_workbook(
    path: Path, sheet: str | None
) -> tuple[Grid, str, tuple[str, Grid] | None, SheetFacts]:
    with zipfile.ZipFile(path) as archive:
        if "mimetype" in archive.namelist() and b"opendocument" in archive.read("mimetype"):
            raise RosterFileError(
                str(path), "is an OpenDocument spreadsheet (.ods)",
                "Save it as an Excel workbook (.xlsx) from LibreOffice Calc or Excel",
            )  # fmt: skip
    workbook = load_workbook(path, read_only=True, data_only=True)
    names = workbook.sheetnames
    if sheet is not None:
        matches = [name for name in names if name.casefold() == sheet.casefold()]
        if not matches:
            workbook.close()
            raise RosterFileError(
                str(path), f'has no sheet called "{sheet}"',
                "The sheets are: " + ", ".join(names),
            )  # fmt: skip
        chosen = matches[0]
    else:
        visible = [n for n in names if workbook[n].sheet_state == "visible"] or names
        chosen = next((n for n in names if n.casefold() == "roster"), visible[0])
    leave = next((n for n in names if n.casefold() == LEAVE_SHEET and n != chosen), None)
    try:
        facts = _scan_sheet_xml(path, workbook[chosen]._worksheet_path)  # type: ignore[union-attr]
        facts.hidden_sheet = workbook[chosen].sheet_state != "visible"
        leave_grid = (leave, list(_sheet_grid(workbook[leave]))) if leave else None
        grid = _apply_merges(list(_sheet_grid(workbook[chosen])), facts.merges)
        return grid, chosen, leave_grid, facts
    finally:
        workbook.close()  # read-only workbooks keep the file open until closed


@dataclass
class SheetFacts:
    """What openpyxl's fast read-only mode does not tell: hidden rows, merged cells, and
    formulas saved without their result (files written by programs that do not calculate)."""

    hidden_rows: set[int] = field(default_factory=set)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # col, row, col, row
    formulas_without_value: set[str] = field(default_factory=set)  # "D5"
    hidden_sheet: bool = False


_HIDDEN_ROW = re.compile(rb'<row\b[^>]*?\br="(\d+)"[^>]*?\bhidden="(?:1|true)"')
_MERGE = re.compile(rb'<mergeCell\b[^>]*?\bref="([A-Z]+\d+):([A-Z]+\d+)"')
_FORMULA_NO_VALUE = re.compile(
    rb'<c\b[^>]*?\br="([A-Z]+\d+)"[^>]*>\s*<f\b[^>]*?(?:/>|>[^<]*</f>)\s*(?:</c>|<v\s*/>|<v></v>)'
)


def _scan_sheet_xml(path: Path, member: str) -> SheetFacts:
    with zipfile.ZipFile(path) as archive:
        xml = archive.read(member)
    facts = SheetFacts()
    # Each pattern runs only when its marker is there: a sheet formatted down to row 1,048,576
    # is a hundred megabytes of XML, and a plain search for the marker takes a tenth the time.
    if b'hidden="' in xml:
        facts.hidden_rows = {int(match) for match in _HIDDEN_ROW.findall(xml)}
    for first, last in _MERGE.findall(xml) if b"<mergeCell " in xml else ():
        min_col, min_row = coordinate_to_tuple(first.decode())[::-1]
        max_col, max_row = coordinate_to_tuple(last.decode())[::-1]
        facts.merges.append((min_col, min_row, max_col, max_row))
    if b"<f" in xml:
        facts.formulas_without_value = {ref.decode() for ref in _FORMULA_NO_VALUE.findall(xml)}
    return facts


def _apply_merges(
    grid: list[tuple[int, Sequence[object]]], merges: Sequence[tuple[int, int, int, int]]
) -> list[tuple[int, Sequence[object]]]:
    """Give every cell of a merged range the value Excel shows across it (its first cell's)."""
    if not merges:
        return grid
    rows = {number: list(values) for number, values in grid}
    for min_col, min_row, max_col, max_row in merges:
        top = rows.get(min_row)
        value = top[min_col - 1] if top is not None and min_col - 1 < len(top) else None
        if value is None:
            continue
        for number in range(min_row, max_row + 1):
            if number in rows:
                cells = rows[number]
                cells.extend([None] * (max_col - len(cells)))
                for col in range(min_col, max_col + 1):
                    cells[col - 1] = value
    return [(number, rows[number]) for number, _ in grid]


def _sheet_grid(worksheet: object) -> Grid:
    blank_run = 0
    for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1):  # type: ignore[attr-defined]
        if all(value is None or (isinstance(value, str) and not value.strip()) for value in row):
            blank_run += 1
            if blank_run >= BLANK_ROWS_BEFORE_END:
                return
            continue
        blank_run = 0
        yield number, row


def _csv_grid(path: Path) -> Grid:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # cp1252 leaves five bytes undefined; latin-1 reads anything
        text = raw.decode("latin-1")
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, ",;\t")
    except csv.Error:
        dialect = csv.excel
    for number, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
        if any(value.strip() for value in row):
            yield number, row


def _table_from_grid(path: Path, sheet: str, grid: Grid, facts: SheetFacts) -> Roster:
    rows = iter(grid)
    header_number, header = _find_header(rows)
    if header_number == 0:
        raise RosterFileError(
            f"{path.name} (sheet {sheet})",
            "has no header row: docgen looks in the first "
            f"{HEADER_SEARCH_ROWS} rows for column names such as Supervisee, Supervisor, "
            "Start date",
            "Add a header row, or start from `docgen new-roster`",
        )
    columns: dict[str, int] = {}
    problems: list[Problem] = []
    if facts.hidden_sheet:
        problems.append(Problem(
            path.name, sheet, "", "", "is a hidden sheet; docgen reads it because it is the one "
            "named Roster or the one asked for", "unhide it in Excel to check what it holds",
            severity="warning",
        ))  # fmt: skip
    ignored: list[str] = []
    for index, title in enumerate(header):
        text = as_text(title)
        if not text:
            continue
        column = column_for_header(text)
        letter = get_column_letter(index + 1)
        if column is None:
            ignored.append(text)
        elif column.key in columns:
            first = get_column_letter(columns[column.key] + 1)
            problems.append(Problem(
                path.name, sheet_ref(sheet, f"{letter}{header_number}"), column.header, text,
                f"is a second {column.header} column (the first is column {first})",
                "delete or rename one of them", row=header_number,
            ))  # fmt: skip
        else:
            columns[column.key] = index
    for column in COLUMNS:
        if column.required and column.key not in columns:
            problems.append(Problem(
                path.name, sheet_ref(sheet, str(header_number)), column.header, "",
                f"the roster has no {column.header} column",
                f'add a column headed "{column.header}"', row=header_number,
            ))  # fmt: skip
    data_rows: list[RosterRow] = []
    for number, values in rows:
        cells = {
            key: Cell(values[index] if index < len(values) else None,
                      sheet_ref(sheet, f"{get_column_letter(index + 1)}{number}"))
            for key, index in columns.items()
        }  # fmt: skip
        for key, cell in cells.items():
            if cell.ref.rsplit("!", 1)[1] in facts.formulas_without_value:
                problems.append(Problem(
                    path.name, cell.ref, BY_KEY[key].header, "",
                    "has a formula whose result was not saved with the file (it was written by "
                    "a program that does not calculate)",
                    "open the file in Excel and save it, or type the value in", row=number,
                ))  # fmt: skip
        if all(as_text(cell.value) == "" for cell in cells.values()):
            continue
        if number in facts.hidden_rows:
            problems.append(Problem(
                path.name, sheet_ref(sheet, str(number)), "", "",
                "is hidden in Excel; docgen makes agreements for hidden rows too",
                "delete the row if it should not have one", row=number, severity="warning",
            ))  # fmt: skip
        data_rows.append(RosterRow(number, sheet_ref(sheet, str(number)), cells))
    return Roster(
        path=path,
        sheet=sheet,
        header_row=header_number,
        columns={key: get_column_letter(index + 1) for key, index in columns.items()},
        rows=tuple(data_rows),
        problems=tuple(problems),
        ignored_headers=tuple(ignored),
    )


def _find_header(rows: Iterator[tuple[int, Sequence[object]]]) -> tuple[int, Sequence[object]]:
    """The first row naming at least two roster columns, one of them a person; rows above it
    (titles) are passed over, and the iterator is left at the first data row."""
    for number, values in rows:
        keys = {c.key for c in (column_for_header(as_text(v)) for v in values) if c}
        if len(keys) >= 2 and keys & {"supervisee", "supervisor"}:
            return number, values
        if number >= HEADER_SEARCH_ROWS:
            break
    return 0, ()


def _raw_rows(sheet: str, grid: Grid, wanted: Sequence[str]) -> tuple[RosterRow, ...]:
    """Rows of a small side sheet (such as Leave) keyed by its own normalised headers."""
    rows = iter(grid)
    header = next(rows, None)
    if header is None:
        return ()
    _, titles = header
    index = {normalise_header(as_text(t)): i for i, t in enumerate(titles) if as_text(t)}
    aliases = {"from": ("from", "start", "startdate", "fromdate", "leavefrom"),
               "to": ("to", "end", "enddate", "todate", "until", "leaveto"),
               "supervisor": ("supervisor", "name", "manager", "supervisorname")}  # fmt: skip
    found = {
        key: next((index[a] for a in aliases.get(key, (key,)) if a in index), None)
        for key in wanted
    }
    result = []
    for number, values in rows:
        cells = {
            key: Cell(values[i] if i < len(values) else None,
                      sheet_ref(sheet, f"{get_column_letter(i + 1)}{number}"))
            for key, i in found.items() if i is not None
        }  # fmt: skip
        result.append(RosterRow(number, sheet_ref(sheet, str(number)), cells))
    return tuple(result)

