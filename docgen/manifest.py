"""The manifest and the refresh report: workbooks that are a record for people.

docgen does not depend on them (each agreement carries its own fingerprint), so they can be
opened, sorted and annotated in Excel. Columns and sheets people add to the manifest are
kept from run to run, each value staying with its agreement; where one cannot be placed, the
run keeps a dated copy of their manifest and says so.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .errors import FileInUse, OutputError
from .fingerprint import Stamp
from .output import write_atomically
from .workbooks import put_value

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
)  # fmt: skip
HEADERS = tuple(name for name, _ in COLUMNS)


@dataclass(frozen=True)
class Entry:
    """One agreement's row: `file` is relative to the output folder, with ``/``."""

    file: str
    stamp: Stamp
    status: str
    why: str = ""
    roster_row: int | None = None


@dataclass
class ManifestResult:
    path: Path | None
    kept_copy: Path | None = None  # the people's own manifest, kept because of `reason`
    reason: str = ""
    not_updated: str = ""  # why the manifest could not be written this time
    notes: list[str] = field(default_factory=list)


def write_manifest(
    folder: Path, entries: Sequence[Entry], renamed: Mapping[str, str], now: datetime
) -> ManifestResult:
    """Write ``manifest.xlsx`` in `folder`: one row per agreement in `entries`, with the
    columns and sheets people added kept. `renamed` maps a file's old name to its new one
    (agreements moved to ``superseded/`` this run), so what people wrote beside an
    agreement stays beside it."""
    path = folder / MANIFEST_NAME
    result = ManifestResult(path)
    workbook, theirs = _open_existing(path, now, result)
    sheet = _fresh_sheet(workbook)
    extra_headers = theirs.headers if theirs else []
    sheet.append([*HEADERS, *extra_headers])
    placed: set[tuple[str, str]] = set()
    moved_from = {new: old for old, new in renamed.items()}
    for entry in sorted(entries, key=_order):
        stamp = entry.stamp
        values: list[Any] = [
            stamp.supervisee, stamp.staff_id, stamp.supervisor, stamp.layout, entry.status,
            entry.why, entry.file, stamp.start, stamp.review, stamp.meetings,
            stamp.made.replace(tzinfo=None) if stamp.made else None, entry.roster_row,
            stamp.notes, stamp.pair, stamp.input[:16], stamp.content[:16],
        ]  # fmt: skip
        if theirs:
            # What they wrote beside a file that moved to superseded/ this run goes with it;
            # the new agreement in its old place starts with nothing.
            original = moved_from.get(entry.file, "" if entry.file in renamed else entry.file)
            key = (stamp.pair, original)
            extra = theirs.values.get(key, {})
            if extra:
                placed.add(key)
            values += [extra.get(header) for header in extra_headers]
        _append(sheet, values)
    _style(sheet, len(extra_headers))
    if theirs:
        lost = [key for key, extra in theirs.values.items() if key not in placed and extra]
        if lost and result.kept_copy is None:
            result.kept_copy = _keep_copy(path, now)
            result.reason = (f"{len(lost)} row(s) of what was added to it could not be matched "
                             "to an agreement")  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    try:
        write_atomically(path, buffer.getvalue())
    except FileInUse:
        result.not_updated = f"{path.name} is open in another program (Excel?)"
        result.path = None
    return result


@dataclass
class _Theirs:
    headers: list[str]
    values: dict[tuple[str, str], dict[str, Any]]  # (pair key, file) -> column -> value


def _open_existing(path: Path, now: datetime, result: ManifestResult) -> tuple[Workbook, _Theirs | None]:
    if not path.exists():
        return Workbook(), None
    try:
        workbook = load_workbook(path)
    except Exception:  # noqa: BLE001 - any unreadable manifest is kept and replaced
        result.kept_copy = _keep_copy(path, now)
        result.reason = "it could not be read as a workbook"
        return Workbook(), None
    if SHEET not in workbook.sheetnames:
        return workbook, None
    rows = workbook[SHEET].iter_rows(values_only=True)
    header = [str(v).strip() if v is not None else "" for v in next(rows, ())]
    extra = [h for h in header if h and h not in HEADERS]
    where = {name: index for index, name in enumerate(header) if name}
    values: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        def cell(name: str, row: tuple[Any, ...] = row) -> Any:
            index = where.get(name)
            return row[index] if index is not None and index < len(row) else None

        added = {h: cell(h) for h in extra if cell(h) not in (None, "")}
        key = (str(cell("Pair key") or ""), str(cell("File") or ""))
        if added or key != ("", ""):
            values.setdefault(key, {}).update(added)
    return workbook, _Theirs(extra, values)


def _keep_copy(path: Path, now: datetime) -> Path:
    copy = path.with_name(f"{path.stem} (kept {now:%Y-%m-%d %H.%M.%S}){path.suffix}")
    try:
        copy.write_bytes(path.read_bytes())
    except OSError as error:
        raise OutputError(f"{path} could not be kept as {copy.name}: {error.strerror}") from None
    return copy


def _fresh_sheet(workbook: Workbook) -> Worksheet:
    """docgen's sheet, emptied, first in the workbook; every other sheet left as it was."""
    if SHEET in workbook.sheetnames:
        index = workbook.sheetnames.index(SHEET)
        workbook.remove(workbook[SHEET])
    else:
        index = 0
        only = workbook.worksheets[0] if len(workbook.worksheets) == 1 else None
        if only is not None and only.max_row == 1 and only.max_column == 1 and only["A1"].value is None:
            workbook.remove(only)  # the blank sheet a new workbook starts with
    sheet = workbook.create_sheet(SHEET, index)
    workbook.active = index
    return sheet


def _order(entry: Entry) -> tuple[Any, ...]:
    superseded = entry.status == "superseded"
    return (superseded, entry.stamp.supervisee.casefold(), entry.stamp.supervisor.casefold(),
            entry.stamp.start or date.min, entry.file)  # fmt: skip


def _append(sheet: Worksheet, values: Sequence[Any]) -> None:
    row = sheet.max_row + 1
    for column, value in enumerate(values, start=1):
        cell = put_value(sheet.cell(row, column), value)
        if isinstance(value, datetime):
            cell.number_format = DATE_TIME_FORMAT
        elif isinstance(value, date):
            cell.number_format = DATE_FORMAT
    file_cell = sheet.cell(row, HEADERS.index("File") + 1)
    if file_cell.value:
        file_cell.hyperlink = quote(str(file_cell.value))
        file_cell.style = "Hyperlink"


def _style(sheet: Worksheet, extra: int) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, (_, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for index in range(len(COLUMNS) + 1, len(COLUMNS) + extra + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 18
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions


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
    for line in lines:
        row = sheet.max_row + 1
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

