"""The manifest and the refresh report: workbooks that are a record for people.

docgen does not depend on them (each agreement carries its own fingerprint), so they can be
opened, sorted and annotated in Excel. Columns and sheets people add to the manifest are
kept from run to run, each value staying with its agreement; where one cannot be placed, the
run keeps a dated copy of their manifest and says so.
"""

from __future__ import annotations

import contextlib
import functools
import io
import itertools
import pickle
import posixpath
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any, BinaryIO, cast
from urllib.parse import quote

from lxml import etree
from openpyxl import Workbook, load_workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell._writer import etree_write_cell
from openpyxl.compat import safe_string
from openpyxl.packaging.relationship import Relationship
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml import LXML
from openpyxl.xml.constants import PKG_REL_NS, XML_NS
from openpyxl.xml.functions import xmlfile

from .errors import FileInUse, NoRoomForManifestRows, OutputError
from .fingerprint import Stamp
from .output import write_atomically, write_atomically_with
from .workbooks import EXCEL_TEXT_LIMIT, FORMULA_STARTS, put_value

MANIFEST_NAME = "manifest.xlsx"
SHEET = "Agreements"
DATE_FORMAT = "dd/mm/yyyy"
DATE_TIME_FORMAT = "dd/mm/yyyy hh:mm"

# (header, width). The README documents these columns; keep them stable.
COLUMNS = (
    ("Supervisee", 26), ("Staff ID", 12), ("Supervisor", 26), ("Layout", 14),
    ("Status", 24), ("Why", 36), ("File", 60), ("Start date", 12), ("Review date", 12),
    ("Meetings", 10), ("Made", 17), ("Roster row", 11), ("Schedule notes", 50),
    ("Pair key", 27), ("Input fingerprint", 20), ("Content fingerprint", 20),
    ("Bank holiday data", 17),
)  # fmt: skip
HEADERS = tuple(name for name, _ in COLUMNS)


@dataclass(frozen=True, slots=True)
class Entry:
    """One agreement's row: `file` is relative to the output folder, with ``/``."""

    file: str
    stamp: Stamp
    status: str
    why: str = ""
    roster_row: int | None = None


@dataclass
class ManifestResult:
    """What writing the manifest came to, for the run's report."""

    path: Path | None
    kept_copy: Path | None = None  # the people's own manifest, kept because of `reason`
    reason: str = ""
    not_updated: str = ""  # why the manifest could not be written this time
    notes: list[str] = field(default_factory=list)


class Manifest:
    """The manifest of one output folder.

    What people added to it is read once, when the run starts; each `write` then lays out
    every agreement's row again, as fast as a workbook can be written (Excel's streaming
    form, unless people added sheets of their own, which are kept by rewriting the workbook
    around them).
    """

    def __init__(self, folder: Path, now: datetime) -> None:
        self.path = folder / MANIFEST_NAME
        self.now = now
        self.result = ManifestResult(self.path)
        self.theirs: _Theirs | None = None
        self.original: bytes | None = None  # their workbook, when it has sheets of theirs
        if self.path.exists():
            self._read_theirs()

    def _read_theirs(self) -> None:
        try:
            data = self.path.read_bytes()
            workbook = load_workbook(io.BytesIO(data), read_only=True)
        except Exception:  # noqa: BLE001 - any unreadable manifest is kept and replaced
            self._keep("it could not be read as a workbook")
            return
        try:
            if any(name != SHEET for name in workbook.sheetnames):
                self.original = data
            if SHEET in workbook.sheetnames:
                self.theirs = _read_sheet(workbook[SHEET])
        finally:
            workbook.close()

    def _keep(self, reason: str) -> None:
        if self.result.kept_copy is None:
            self.result.kept_copy = _keep_copy(self.path, self.now)
            self.result.reason = reason

    def write(self, entries: Collection[Entry], renamed: Mapping[str, str]) -> ManifestResult:
        """Write one row per agreement in `entries`, with the columns and sheets people added.

        `renamed` maps a file's old name to its new one (agreements moved to
        ``superseded/``), so what people wrote beside an agreement stays with it. Each row is
        laid out as it is written, straight into the file. `entries` are put in the
        manifest's order, unless they are `Entries`, which keep it themselves.
        """
        extra_headers = self.theirs.headers if self.theirs else []
        moved_from = {new: old for old, new in renamed.items()}

        def theirs_key(entry: Entry) -> tuple[str, str]:
            # What they wrote beside a file that moved to superseded/ this run goes with
            # it; the new agreement in its old place starts with nothing.
            original = moved_from.get(entry.file, "" if entry.file in renamed else entry.file)
            return entry.stamp.pair, original

        def row_of(entry: Entry) -> list[Any]:
            values = _values(entry)
            if self.theirs:
                extra = self.theirs.values.get(theirs_key(entry), {})
                values += [extra.get(header) for header in extra_headers]
            return values

        ordered = entries if isinstance(entries, Entries) else sorted(entries, key=_order)
        if self.theirs and self.theirs.unheaded:
            self._keep(f"{self.theirs.unheaded} value(s) were typed in a column with no heading")
        if self.theirs:
            added = {key for key, extra in self.theirs.values.items() if extra}
            placed = {key for entry in ordered if (key := theirs_key(entry)) in added}
            lost = added - placed
            if lost:
                self._keep(f"{len(lost)} row(s) of what was added to it could not be matched "
                           "to an agreement")  # fmt: skip
        rows = map(row_of, ordered)
        if self.original:
            workbook = self._around_their_sheets(rows, extra_headers, len(ordered))
            fill: Callable[[BinaryIO], object] = functools.partial(_save, workbook)
        else:
            fill = functools.partial(_streamed, rows=rows, extra_headers=extra_headers,
                                     count=len(ordered))  # fmt: skip
        self.result.path, self.result.not_updated = self.path, ""
        try:
            write_atomically_with(self.path, fill)
        except FileInUse:
            self.result.not_updated = f"{self.path.name} is open in another program (Excel?)"
            self.result.path = None
        return self.result

    def _around_their_sheets(
        self, rows: Iterable[list[Any]], extra_headers: list[str], count: int
    ) -> Workbook:
        assert self.original is not None
        workbook = load_workbook(io.BytesIO(self.original))
        sheet = _fresh_sheet(workbook)
        sheet.append([*HEADERS, *extra_headers])
        for number, values in enumerate(rows, start=2):
            for column, value in enumerate(values, start=1):
                _format(put_value(sheet.cell(number, column), value), value, column)
        _style(sheet, len(extra_headers), count)
        for cell in sheet[1]:
            cell.font = BOLD
        return workbook


BOLD = Font(bold=True)
_FILE_COLUMN = HEADERS.index("File") + 1
_FILE_LETTER = get_column_letter(_FILE_COLUMN)


def _values(entry: Entry) -> list[Any]:
    stamp = entry.stamp
    return [
        stamp.supervisee, stamp.staff_id, stamp.supervisor, stamp.layout, entry.status,
        entry.why, entry.file, stamp.start, stamp.review, stamp.meetings,
        stamp.made.replace(tzinfo=None) if stamp.made else None, entry.roster_row,
        stamp.notes, stamp.pair, stamp.input, stamp.content[:16], stamp.holidays,
    ]  # fmt: skip


def _format(cell: Any, value: Any, column: int) -> Any:
    if isinstance(value, datetime):
        cell.number_format = DATE_TIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    elif column == _FILE_COLUMN and value:
        cell.hyperlink = quote(str(value))
        cell.style = "Hyperlink"
    return cell


def _streamed(
    stream: BinaryIO,
    *,
    rows: Iterable[list[Any]],
    extra_headers: list[str],
    count: int,
    quick_rows: bool = True,
) -> None:
    """The manifest as a new workbook, written into `stream` row by row (memory stays flat).

    openpyxl holds every hyperlink of a sheet, and the relationship each one needs, until
    the workbook is saved (25 MB for 10,000 agreements); the File column's links wait in a
    temporary file instead, and are written from it after the rows. Rows go in as whole
    elements (`write_quick_row`) unless not `quick_rows` (how the tests compare them with
    openpyxl's own writer's) or openpyxl is not using lxml.
    """
    quick = quick_rows and LXML
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET)
    _style(sheet, len(extra_headers), count)
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n") as links:
        sheet._writer = _LinkingWriter(sheet, links)  # in place of the one it would make
        if quick:  # rows written as lxml elements, as openpyxl itself does with lxml
            sheet._values_to_row = _as_row  # its own turns each value into a cell first
            sheet._writer.write_row = sheet._writer.write_quick_row
        sheet._writer.write_top()
        header = []
        for name in [*HEADERS, *extra_headers]:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = BOLD
            header.append(cell)
        sheet.append(header)
        cell_of = _QuickCells(sheet).of if quick else functools.partial(_streamed_cell, sheet)
        for number, values in enumerate(rows, start=2):
            sheet.append([cell_of(value, column) for column, value in enumerate(values, start=1)])
            if values[_FILE_COLUMN - 1]:
                links.write(f"{_FILE_LETTER}{number}\t{quote(str(values[_FILE_COLUMN - 1]))}\n")
        _save(workbook, stream)  # the sheet's <hyperlinks> are written from `links` on the way
        _add_link_relationships(stream, sheet.path[1:], links)


def _save(workbook: Workbook, stream: BinaryIO) -> None:
    """`workbook.save(stream)`, closing its zip whatever happens.

    openpyxl leaves it open when writing fails (a full disk), to fail again, with a
    traceback, when it is collected.
    """
    workbook.properties.modified = datetime.now(tz=UTC).replace(tzinfo=None)
    archive = zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    try:
        ExcelWriter(workbook, archive).save()
    finally:
        with contextlib.suppress(Exception):
            archive.close()  # forgets the stream even when this fails


def _add_link_relationships(stream: BinaryIO, sheet_part: str, links: IO[str]) -> None:
    """Add to the workbook in `stream` the sheet's relationships: one for each link."""
    folder, name = posixpath.split(sheet_part)
    with (
        zipfile.ZipFile(stream, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open(f"{folder}/_rels/{name}.rels", "w") as part,
        xmlfile(part) as xml,
        xml.element("Relationships", xmlns=PKG_REL_NS),
    ):
        for index, (_, target) in enumerate(_links(links), start=1):
            link = Relationship(type="hyperlink", TargetMode="External", Target=target,
                                Id=f"rId{index}")  # fmt: skip
            xml.write(link.to_tree())


def _links(links: IO[str]) -> Iterator[tuple[str, str]]:
    """(cell, target) of each link noted in `links`, from the start."""
    links.seek(0)
    for line in links:
        cell, target = line.rstrip("\n").split("\t", 1)
        yield cell, target


class _LinkingWriter(WorksheetWriter):
    """openpyxl's sheet writer, taking the sheet's hyperlinks from a file of them."""

    def __init__(self, sheet: Any, links: IO[str]) -> None:
        self.links = links
        super().__init__(sheet)

    def write_quick_row(self, xf: Any, row: list[tuple[int, Any]], row_index: int) -> None:
        """A row as `write_row` writes it, plain text and numbers without a cell object each.

        Making a cell for each value was most of the time openpyxl took to write a manifest.
        """
        element = etree.Element("row", r=f"{row_index}")
        epoch = getattr(self.ws.parent, "epoch", None)
        into = _Into(element)
        for column, value in row:
            if isinstance(value, Cell):
                if value.value is not None or value.has_style:
                    etree_write_cell(into, self.ws, value, value.has_style)
            else:
                _quick_cell(element, f"{get_column_letter(column)}{row_index}", value, epoch)
        xf.write(element)  # the whole row at once

    def write_hyperlinks(self) -> None:
        """Write the sheet's <hyperlinks>, one at a time; their relationships come after."""
        found = _links(self.links)
        first = next(found, None)
        if first is None:
            return
        xml: Any = self.xf.send(True)
        with xml.element("hyperlinks"):
            for index, (cell, _) in enumerate(itertools.chain([first], found), start=1):
                xml.write(Hyperlink(ref=cell, id=f"rId{index}").to_tree())
        self.xf.send(None)


def _as_row(values: Iterable[Any], row_index: int) -> list[tuple[int, Any]]:
    """A row's values as `write_quick_row` takes them: (column, value or cell)."""
    row = []
    for column, value in enumerate(values, start=1):
        if value is None:
            continue
        if isinstance(value, Cell):
            value.column, value.row = column, row_index
        row.append((column, value))
    return row


def _quick_cell(row: Any, reference: str, value: str | float | _Styled, epoch: Any) -> None:
    """A plain or `_Styled` cell added to `row`, as openpyxl's own writer writes it."""
    attributes = {"r": reference}
    plain: date | str | float = value.value if isinstance(value, _Styled) else value
    if isinstance(value, _Styled):
        attributes["s"] = str(value.style)
    if isinstance(plain, str):
        attributes["t"] = "inlineStr"
        cell = etree.SubElement(row, "c", attributes)
        if plain:
            text = etree.SubElement(etree.SubElement(cell, "is"), "t")
            if plain != plain.strip():
                text.set(f"{{{XML_NS}}}space", "preserve")
            text.text = plain
        return
    attributes["t"] = "n"
    number = to_excel(plain, epoch) if isinstance(plain, date) else plain  # type: ignore[no-untyped-call]
    etree.SubElement(etree.SubElement(row, "c", attributes), "v").text = safe_string(number)


@dataclass(frozen=True, slots=True)
class _Styled:
    """A date, or a file's name shown as a link: the value and the style it is shown in."""

    style: int
    value: date | str


class _QuickCells:
    """Each value of a row as `write_quick_row` writes it: dates and links as `_Styled`.

    The first value of each kind goes as a cell, which gives the style's number.
    """

    def __init__(self, sheet: Any) -> None:
        self.sheet = sheet
        self.styles: dict[tuple[type, bool], int] = {}

    def of(self, value: Any, column: int) -> Any:
        link = column == _FILE_COLUMN
        quick = bool(value) and _plain_text(value) if link else isinstance(value, date)
        if not quick:
            return _streamed_cell(self.sheet, value, column)
        kind = (type(value), link)
        style = self.styles.get(kind)
        if style is None:
            cell = _streamed_cell(self.sheet, value, column)
            self.styles[kind] = cell.style_id  # numbered in the order openpyxl numbers them
            return cell
        return _Styled(style, value)


class _Into:
    """Where openpyxl's cell writer writes a cell, in place of a file: the row's element."""

    def __init__(self, row: Any) -> None:
        self.write = row.append


def _streamed_cell(sheet: Any, value: Any, column: int) -> Any:
    """A value as it goes into a streamed sheet.

    Plain text and numbers go as they are (most cells, and the quickest); anything needing a
    format, link or text mark goes as a cell. The File column's link is written apart.
    """
    plain = (
        value is None or isinstance(value, int | float) and not isinstance(value, bool)
    ) or _plain_text(value)
    if plain and column != _FILE_COLUMN:
        return value
    cell = put_value(WriteOnlyCell(sheet), value)
    if column == _FILE_COLUMN:
        if value:
            cell.style = "Hyperlink"
        return cell
    return _format(cell, value, column)


def _plain_text(value: Any) -> bool:
    """Whether `value` is text that goes into a cell as it is.

    Printable, not too long for a cell, and nothing Excel would take for a formula; other
    text goes through `put_value`.
    """
    return (
        isinstance(value, str)
        and value.isprintable()
        and len(value) <= EXCEL_TEXT_LIMIT
        and not value.startswith(FORMULA_STARTS)
    )


@dataclass
class _Theirs:
    headers: list[str]
    values: dict[tuple[str, str], dict[str, Any]]  # (pair key, file) -> column -> value
    unheaded: int = 0  # values typed in a column with no heading, which cannot be kept


def _read_sheet(sheet: Any) -> _Theirs:
    rows = sheet.iter_rows(values_only=True)
    header = [str(v).strip() if v is not None else "" for v in next(rows, ())]
    extra = [h for h in header if h and h not in HEADERS]
    where = {name: index for index, name in enumerate(header) if name}
    values: dict[tuple[str, str], dict[str, Any]] = {}
    unheaded = 0
    for row in rows:
        unheaded += sum(
            1
            for index, value in enumerate(row)
            if value not in (None, "") and (index >= len(header) or not header[index])
        )

        def cell(name: str, row: tuple[Any, ...] = row) -> Any:
            index = where.get(name)
            return row[index] if index is not None and index < len(row) else None

        added = {h: cell(h) for h in extra if cell(h) not in (None, "")}
        key = (str(cell("Pair key") or ""), str(cell("File") or ""))
        if added or key != ("", ""):
            values.setdefault(key, {}).update(added)
    return _Theirs(extra, values, unheaded)


def _keep_copy(path: Path, now: datetime) -> Path:
    copy = path.with_name(f"{path.stem} (kept {now:%Y-%m-%d %H.%M.%S}){path.suffix}")
    try:
        copy.write_bytes(path.read_bytes())
    except OSError as error:
        raise OutputError(f"{path} could not be kept as {copy.name}: {error.strerror}") from None
    return copy


def _fresh_sheet(workbook: Workbook) -> Worksheet:
    """Docgen's sheet, emptied, in its place in the workbook; every other sheet as it was."""
    index = workbook.sheetnames.index(SHEET) if SHEET in workbook.sheetnames else 0
    if SHEET in workbook.sheetnames:
        workbook.remove(workbook[SHEET])
    sheet: Worksheet = workbook.create_sheet(SHEET, index)
    workbook.active = index
    return sheet


def _order(entry: Entry) -> tuple[Any, ...]:
    """Where `entry` goes among the manifest's rows: superseded last, then by name and start.

    Plain text and numbers, which a database sorts as Python does (`Entries`).
    """
    superseded = entry.status == "superseded"
    return (int(superseded), entry.stamp.supervisee.casefold(),
            entry.stamp.supervisor.casefold(), (entry.stamp.start or date.min).isoformat(),
            entry.file)  # fmt: skip


class Entries(Collection[Entry]):
    """The manifest's rows as a run changes them, one per file, in the manifest's order.

    Kept in a temporary database on disk rather than in memory, so that a run's memory stays
    flat however many agreements the folder holds. Deleted when closed.
    """

    def __init__(self) -> None:
        self.db = sqlite3.connect("")  # "": a private database in a temporary file
        self._run(
            "CREATE TABLE entry (file TEXT PRIMARY KEY, entry BLOB,"
            " o1 INTEGER, o2 TEXT, o3 TEXT, o4 TEXT, o5 TEXT)"
        )
        self._run("CREATE INDEX in_order ON entry (o1, o2, o3, o4, o5)")

    def set(self, entry: Entry) -> None:
        """Add `entry`, in place of any for the same file."""
        self._run("INSERT OR REPLACE INTO entry VALUES (?, ?, ?, ?, ?, ?, ?)",
                  entry.file, pickle.dumps(entry), *_order(entry))  # fmt: skip

    def pop(self, file: str) -> Entry:
        """The entry for `file`, taken out (KeyError if there is none)."""
        found = self._get(file)
        if found is None:
            raise KeyError(file)
        self._run("DELETE FROM entry WHERE file = ?", file)
        return found

    def _get(self, file: str) -> Entry | None:
        found = self._run("SELECT entry FROM entry WHERE file = ?", file).fetchone()
        return cast(Entry, pickle.loads(found[0])) if found else None  # noqa: S301 - ours

    def _run(self, sql: str, *values: object) -> sqlite3.Cursor:
        # The database stays in memory until it outgrows SQLite's cache (a few thousand
        # rows), then spills into a file in the system's temporary folder.
        try:
            return self.db.execute(sql, values)
        except sqlite3.OperationalError as error:  # a full disk, say
            raise NoRoomForManifestRows(error) from None

    def close(self) -> None:
        """Delete the database."""
        self.db.close()

    def __iter__(self) -> Iterator[Entry]:
        rows = self._run("SELECT entry FROM entry ORDER BY o1, o2, o3, o4, o5")
        return (cast(Entry, pickle.loads(blob)) for (blob,) in rows)  # noqa: S301

    def __len__(self) -> int:
        return cast(int, self._run("SELECT COUNT(*) FROM entry").fetchone()[0])

    def __contains__(self, entry: object) -> bool:
        return isinstance(entry, Entry) and self._get(entry.file) == entry


def _style(sheet: Any, extra: int, rows: int) -> None:
    for index, (_, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for index in range(len(COLUMNS) + 1, len(COLUMNS) + extra + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 18
    sheet.freeze_panes = "B2"
    last = get_column_letter(len(COLUMNS) + extra)
    sheet.auto_filter.ref = f"A1:{last}{rows + 1}"


@dataclass(frozen=True)
class ReportLine:
    """One line of the refresh report: what was done for a person, why, and which file."""

    supervisee: str
    staff_id: str
    supervisor: str
    done: str
    why: str
    file: str
    old_file: str = ""
    review: date | None = None


REPORT_COLUMNS = (
    ("Supervisee", 26), ("Staff ID", 12), ("Supervisor", 26), ("What was done", 30),
    ("Why", 44), ("File", 60), ("Previous agreement", 60), ("Review date", 12),
)  # fmt: skip


def write_refresh_report(path: Path, lines: Sequence[ReportLine], today: date) -> Path:
    """The refresh report workbook: one row per person, what was done and why."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Refresh"
    sheet.append([f"Refresh of supervision agreements, {today:%d/%m/%Y}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([name for name, _ in REPORT_COLUMNS])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row, line in enumerate(lines, start=3):
        values = (line.supervisee, line.staff_id, line.supervisor, line.done, line.why,
                  line.file, line.old_file, line.review)  # fmt: skip
        for column, value in enumerate(values, start=1):
            cell = put_value(sheet.cell(row, column), value)
            if isinstance(value, date):
                cell.number_format = DATE_FORMAT
    for index, (_, width) in enumerate(REPORT_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    write_atomically(path, buffer.getvalue())
    return path
