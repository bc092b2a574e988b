"""Read a roster file (.xlsx, or .csv as Excel saves it) into rows of cells.

The cells remember where they came from (``Roster!E7``), so every later problem can point
at the cell.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import functools
import gc
import io
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import DefusedXmlException
from lxml.etree import LxmlError
from openpyxl.cell.text import Text
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from .columns import BY_KEY, COLUMNS, column_for_header, normalise_header
from .errors import Problem, RosterFileError
from .files import MAX_UNPACKED, file_problem, zip_problem
from .values import as_text

HEADER_SEARCH_ROWS = 30  # a header may sit below a few title rows
BLANK_ROWS_BEFORE_END = 1000  # rows formatted but empty down to row 1,048,576 end the table
LEAVE_SHEET = "leave"


@dataclass(frozen=True)
class Cell:
    """A cell's value and where it came from."""

    value: object  # as the file holds it: text, a number, a datetime, or None
    ref: str  # "Roster!E7"


@dataclass(frozen=True)
class RosterRow:
    """One data row of the roster, its cells by column key."""

    number: int  # the spreadsheet's row number
    ref: str  # "Roster!7": the whole row
    cells: Mapping[str, Cell]  # keyed by column key ("start_date")

    def value(self, key: str) -> object:
        """The value of the cell in column `key`, or None."""
        cell = self.cells.get(key)
        return cell.value if cell else None

    def text(self, key: str) -> str:
        """The cell in column `key` as clean text (see `as_text`)."""
        return as_text(self.value(key))


@dataclass(frozen=True)
class Roster:
    """A roster as read: its sheet, header row, columns and data rows."""

    path: Path
    sheet: str
    header_row: int
    columns: Mapping[str, str]  # column key -> column letter
    # Read in full by `read_roster`; by `open_roster`, read once as they are iterated, with
    # `problems` growing as each row is read.
    rows: Iterable[RosterRow]
    problems: Sequence[Problem] = ()
    leave_rows: tuple[RosterRow, ...] = ()  # the optional Leave sheet, as raw rows
    ignored_headers: tuple[str, ...] = field(default=())

    @property
    def file_name(self) -> str:
        """The roster file's name, as messages give it."""
        return self.path.name


def sheet_ref(sheet: str, cell: str) -> str:
    """`Roster!E7`, quoting a sheet name with spaces the way Excel does (`'My roster'!E7`)."""
    return _sheet_prefix(sheet) + cell


@functools.lru_cache(maxsize=64)  # asked for every cell of a roster, with one or two sheets
def _sheet_prefix(sheet: str) -> str:
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", sheet):
        return f"{sheet}!"
    return "'" + sheet.replace("'", "''") + "'!"


def read_roster(path: Path, sheet: str | None = None) -> Roster:
    """Read the roster at `path`: its chosen `sheet`, header row and data rows.

    The sheet is by default the one named Roster, else the first. Raise `RosterFileError` if
    the file cannot be read.
    """
    with open_roster(path, sheet) as roster:
        rows = tuple(roster.rows)
        return dataclasses.replace(roster, rows=rows, problems=tuple(roster.problems))


@contextlib.contextmanager
def open_roster(path: Path, sheet: str | None = None) -> Iterator[Roster]:
    """The roster at `path` as `read_roster` reads it, its data rows read as they are iterated.

    The rows can be iterated once, inside the block (the file stays open until it ends);
    the problems a row has on reading are in the roster's `problems` by the time the row is
    given. Memory then stays flat however long the roster is: a 10,000-row sheet read whole
    costs ten times what the records made from it keep.
    """
    path = Path(path)
    with contextlib.ExitStack() as stack:
        grid, sheet_name, leave_grid, facts = _read_grid(path, sheet, stack.callback)
        roster = _table_from_grid(path, sheet_name, grid, facts)
        if leave_grid is not None:
            leave_sheet, leave_cells = leave_grid
            leave = _raw_rows(leave_sheet, leave_cells, ("supervisor", "from", "to"))
            roster = dataclasses.replace(roster, leave_rows=leave)
        yield roster
    # openpyxl's XML parser keeps each row it has read, emptied, until the reference cycle
    # around its parser is collected: tens of thousands of objects for a long roster.
    gc.collect()


Grid = Iterable[tuple[int, Sequence[object]]]  # (row number, the row's values from column A)


def _read_grid(  # noqa: C901
    path: Path, sheet: str | None, on_close: Callable[[Callable[[], object]], object]
) -> tuple[Grid, str, tuple[str, Grid] | None, SheetFacts]:
    """The sheet's rows, its name, the Leave sheet's and what openpyxl does not tell.

    The rows are read as they are iterated; `on_close` is given what closes the file.
    """
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
        return _read_csv(path, head), path.stem, None, SheetFacts()
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
        grid, chosen, leave_grid, facts = _read_workbook(path, sheet, on_close)
    except UNREADABLE as error:
        raise RosterFileError(str(path), *_unreadable(error)) from None
    return _readable(path, grid), chosen, leave_grid, facts


def _readable(path: Path, grid: Grid) -> Grid:
    """`grid`, turning what a damaged sheet raises as its rows are read into a clear error."""
    try:
        yield from grid
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
    return ("cannot be read as an Excel workbook: part of it is not as Excel writes it",
            "Open it in Excel and save it again as .xlsx")  # fmt: skip


def _read_workbook(
    path: Path, sheet: str | None, on_close: Callable[[Callable[[], object]], object]
) -> tuple[Grid, str, tuple[str, Grid] | None, SheetFacts]:
    with zipfile.ZipFile(path) as archive:
        if "mimetype" in archive.namelist() and b"opendocument" in archive.read("mimetype"):
            raise RosterFileError(
                str(path), "is an OpenDocument spreadsheet (.ods)",
                "Save it as an Excel workbook (.xlsx) from LibreOffice Calc or Excel",
            )  # fmt: skip
    # openpyxl's own reader (what load_workbook runs), kept at hand for the parts the
    # workbook object does not show: each sheet's file, and the shared strings as stored.
    reader = ExcelReader(path, read_only=True, data_only=True)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about workbook features it drops (extensions, odd styles);
            # none of them is a roster value, and a person cannot act on the warning.
            warnings.simplefilter("ignore")
            reader.read()
        _keep_escapes(reader)
        workbook = reader.wb
    except BaseException:
        reader.archive.close()
        raise
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
        parts = {found.name: link.target for found, link in reader.parser.find_sheets()}
        facts = _scan_sheet_xml(path, parts[chosen])
        facts.hidden_sheet = workbook[chosen].sheet_state != "visible"
        leave_grid = (leave, list(_sheet_grid(workbook[leave]))) if leave else None
    except BaseException:
        workbook.close()
        raise
    on_close(workbook.close)  # read-only workbooks keep the file open until closed
    return _apply_merges(_sheet_grid(workbook[chosen]), facts.merges), chosen, leave_grid, facts


# OOXML stores a character XML cannot hold as _xHHHH_ (a vertical tab pasted into Excel or
# LibreOffice is saved as _x000B_), and an underscore that would start such a pattern as
# _x005F_. One pass from the left reads both: _x005F_x000B_ is the typed text "_x000B_".
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def decode_escapes(text: str) -> str:
    """`text` as the spreadsheet showed it, with its ``_xHHHH_`` escapes read."""
    if "_x" not in text:
        return text
    decoded = _ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), text)
    if any("\ud800" <= char <= "\udfff" for char in decoded):
        # A character beyond U+FFFF is escaped as its two UTF-16 halves; join them, and
        # make a half without its partner the replacement character.
        decoded = decoded.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return decoded


def _keep_escapes(reader: ExcelReader) -> None:
    """Put back the shared strings as the file stores them.

    openpyxl deletes every "x005F_" from them (half-reading the escaped underscore), so
    "_x005F_x000B_", typed text, would be read as the escape "_x000B_"; `_sheet_grid` reads
    the escapes of every cell alike.
    """
    part = next(reader.package.findall(SHARED_STRINGS), None)
    if part is None:
        return
    data = reader.archive.read(part.PartName[1:])
    if b"x005F_" not in data:
        return  # openpyxl's strings are the stored ones
    stored = []
    for _, node in iterparse(io.BytesIO(data)):
        if node.tag == _SHARED_STRING:
            text = Text.from_tree(node)
            stored.append(text.content if text is not None else "")
            node.clear()
    if len(stored) == len(reader.shared_strings):
        reader.shared_strings[:] = stored  # the list each read-only sheet reads from


_SHARED_STRING = f"{{{SHEET_MAIN_NS}}}si"


@dataclass
class SheetFacts:
    """What openpyxl's fast read-only mode does not tell.

    Hidden rows, merged cells, and formulas saved without their result (files written by
    programs that do not calculate).
    """

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


def _apply_merges(grid: Grid, merges: Sequence[tuple[int, int, int, int]]) -> Grid:
    """Give every cell of a merged range the value Excel shows across it (its first cell's).

    Row by row, as the rows are read: a range's value is taken from its first row when that
    row comes, and given to the rows below it that come while the range lasts.
    """
    if not merges:
        yield from grid
        return
    starting: dict[int, list[int]] = {}  # first row -> the ranges starting there, by index
    for index, (_, min_row, _, _) in enumerate(merges):
        starting.setdefault(min_row, []).append(index)
    open_ranges: dict[int, object] = {}  # index -> the range's value, while it lasts
    for number, values in grid:
        for index in starting.get(number, ()):
            open_ranges[index] = None
        if not open_ranges:
            yield number, values
            continue
        cells = list(values)
        for index in sorted(open_ranges):  # in the file's order, as Excel applies them
            min_col, min_row, max_col, max_row = merges[index]
            if number == min_row:
                open_ranges[index] = cells[min_col - 1] if min_col - 1 < len(cells) else None
            _spread(cells, min_col, max_col, open_ranges[index])
            if number >= max_row:
                del open_ranges[index]
        yield number, cells


def _spread(cells: list[object], min_col: int, max_col: int, value: object) -> None:
    if value is not None:
        cells.extend([None] * (max_col - len(cells)))
        for col in range(min_col, max_col + 1):
            cells[col - 1] = value


def _sheet_grid(worksheet: object) -> Grid:
    """The sheet's rows that hold anything, with the escapes in each text read, as read."""
    rows = worksheet.iter_rows(values_only=True)  # type: ignore[attr-defined]
    blank_run, number = 0, 0
    while True:
        # Around each row only, not while the row is being used: a generator suspended
        # inside catch_warnings would leave warnings ignored in the code that reads it.
        with warnings.catch_warnings():
            # A date cell whose day number no calendar has is read as "#VALUE!" (reported
            # as not a date) after a warning from openpyxl that would only confuse.
            warnings.simplefilter("ignore")
            row = next(rows, None)
        if row is None:
            return
        number += 1
        if all(value is None or (isinstance(value, str) and not value.strip())
               for value in row):  # fmt: skip
            blank_run += 1
            if blank_run >= BLANK_ROWS_BEFORE_END:
                rows.close()
                return
            continue
        blank_run = 0
        yield number, [decode_escapes(v) if isinstance(v, str) else v for v in row]


def _read_csv(path: Path, head: bytes) -> Grid:
    if path.stat().st_size > MAX_UNPACKED:
        raise RosterFileError(
            str(path), f"is bigger than the {MAX_UNPACKED // 2**20} MB docgen reads",
            "A roster is a few megabytes at most; check it is the right file",
        )  # fmt: skip
    if head.startswith(b"PK\x03\x04"):
        raise RosterFileError(
            str(path), f"is an Excel workbook, though its name ends {path.suffix}",
            "Rename it to end .xlsx",
        )  # fmt: skip
    return _csv_grid(path)


def _csv_grid(path: Path) -> Grid:
    """A CSV file's rows, as Excel and other programs save them.

    UTF-8 (with or without a BOM), "Unicode Text" (UTF-16, tab-separated), Windows-1252, or
    Excel for Mac's Mac Roman with CR line ends; comma, semicolon or tab between cells;
    Excel's quoting throughout.
    """
    text = _csv_text(path, path.read_bytes())
    delimiter = _csv_delimiter(text)
    rows = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter)
    number = 0
    try:
        for number, values in enumerate(rows, start=1):
            if any(value.strip() for value in values):
                yield number, values
    except csv.Error as error:
        limit = "field larger than field limit" in str(error)
        raise RosterFileError(
            str(path),
            f"cannot be read as a CSV file: row {number + 1} "
            + ("has a cell longer than any Excel cell (32,767 characters)" if limit
               else "is damaged: it cannot be split into cells"),
            "Open it in Excel, check that row, and save it again as CSV UTF-8",
        ) from None  # fmt: skip


def _csv_text(path: Path, raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"  # Excel's "Unicode Text", whatever the file is called
    elif (nuls := _utf16_without_bom(raw)) is not None:
        encoding = nuls
    else:
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
        # Excel for Mac's plain "CSV" is Mac Roman and ends its lines with CR alone; Excel
        # for Windows writes Windows-1252 with CR LF.
        if b"\r" in raw and b"\n" not in raw:
            return raw.decode("mac_roman")
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:  # cp1252 leaves five bytes undefined; latin-1 reads any
            return raw.decode("latin-1")
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        raise RosterFileError(
            str(path), "is Unicode (UTF-16) text, but part of it is damaged",
            "Open it in Excel and save it again as CSV UTF-8",
        ) from None  # fmt: skip


def _utf16_without_bom(raw: bytes) -> str | None:
    """UTF-16 saved without its byte-order mark: every other byte of plain text is zero."""
    head = raw[:200]
    if len(head) < 4 or head.count(0) < len(head) // 3:
        return None
    odd, even = head[1::2].count(0), head[0::2].count(0)
    if odd > len(head) // 4 and even == 0:
        return "utf-16-le"
    if even > len(head) // 4 and odd == 0:
        return "utf-16-be"
    return None


def _csv_delimiter(text: str) -> str:
    """The separator under which the roster's header row is read best.

    A comma, or the semicolon Excel uses where the decimal point is a comma, or the tab of
    Unicode Text.
    """
    sample = text[:65_536]
    best, best_score = ",", 0
    for delimiter in (",", ";", "\t"):
        rows = csv.reader(io.StringIO(sample, newline=""), csv.excel, delimiter=delimiter)
        score = 0
        try:
            for _, values in zip(range(HEADER_SEARCH_ROWS), rows, strict=False):
                found = {c.key for c in (column_for_header(v) for v in values) if c}
                score = max(score, len(found))
        except csv.Error:
            continue
        if score > best_score:
            best, best_score = delimiter, score
    if best_score == 0:  # no header anywhere: the separator the first line has most of
        first = sample.split("\n", 1)[0]
        best = max((",", ";", "\t"), key=first.count)
    return best


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
    problems.extend(
        Problem(
            path.name, sheet_ref(sheet, str(header_number)), column.header, "",
            f"the roster has no {column.header} column",
            f'add a column headed "{column.header}"', row=header_number,
        )
        for column in COLUMNS
        if column.required and column.key not in columns
    )  # fmt: skip
    return Roster(
        path=path,
        sheet=sheet,
        header_row=header_number,
        columns={key: get_column_letter(index + 1) for key, index in columns.items()},
        rows=_data_rows(path, sheet, rows, columns, facts, problems),
        problems=problems,
        ignored_headers=tuple(ignored),
    )


def _data_rows(
    path: Path,
    sheet: str,
    rows: Iterator[tuple[int, Sequence[object]]],
    columns: Mapping[str, int],
    facts: SheetFacts,
    problems: list[Problem],
) -> Iterator[RosterRow]:
    """The rows below the header that hold anything, each one's problems in `problems`."""
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
        yield RosterRow(number, sheet_ref(sheet, str(number)), cells)


def _find_header(rows: Iterator[tuple[int, Sequence[object]]]) -> tuple[int, Sequence[object]]:
    """The first row naming at least two roster columns, one of them a person.

    Rows above it (titles) are passed over, and the iterator is left at the first data row.
    """
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
