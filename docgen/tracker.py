"""The tracker workbook: who has a current agreement, who has signed, what is filled in.

Written by `docgen collect` from what the agreements themselves hold, for HR and for
inspectors. Every value is stored as text, a number or a real Excel date, never a formula.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .collect import PARTIES, Collection, Signature, Tracked
from .output import write_atomically
from .workbooks import put_value

TRACKER_NAME = "tracker.xlsx"
DATE_FORMAT = "dd/mm/yyyy"
NO_FIELD = "no field"  # the agreement has no such field (its layout asks for none)

# (header, width). The README documents these columns; keep them stable.
COLUMNS = (
    ("Supervisee", 26), ("Staff ID", 12), ("Supervisor", 26), ("Layout", 14),
    ("Start date", 12), ("Review date", 12), ("Review", 22), ("Signed by both", 10),
    ("Supervisee signed", 11), ("Supervisee's date", 12), ("Supervisor signed", 11),
    ("Supervisor's date", 12), ("Fields completed", 11), ("Completed", 44),
    ("Not completed", 44), ("Edited since made", 10), ("Made", 12), ("File", 60),
)  # fmt: skip
IN_FORCE_COLUMNS = (*COLUMNS, ("Superseded agreements", 12))
_FILE = [name for name, _ in COLUMNS].index("File") + 1


def write_tracker(collection: Collection, path: Path) -> Path:
    """Write the tracker for `collection` to `path`, whole or not at all."""
    workbook = Workbook()
    summary = workbook.active
    assert summary is not None
    summary.title = "Summary"
    _summary_sheet(summary, collection)
    superseded_count: dict[str, int] = {}
    for agreement in collection.superseded:
        person = agreement.stamp.person
        superseded_count[person] = superseded_count.get(person, 0) + 1
    links = _Links(collection.folder, path.parent)
    in_force = workbook.create_sheet("In force")
    _table(in_force, IN_FORCE_COLUMNS,
           [[*_values(a, collection), superseded_count.get(a.stamp.person, 0)]
            for a in collection.in_force], links)  # fmt: skip
    superseded = workbook.create_sheet("Superseded")
    _table(superseded, COLUMNS, [_values(a, collection) for a in collection.superseded], links)
    if collection.not_agreements:
        others = workbook.create_sheet("Other files")
        _table(others, (("File", 60), ("Why it is not listed", 60)),
               [[name, "not an agreement docgen made, or it cannot be read"]
                for name in collection.not_agreements], None)  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    write_atomically(path, buffer.getvalue())
    return path


def _summary_sheet(sheet: Worksheet, collection: Collection) -> None:
    sheet["A1"] = "Supervision agreements tracker"
    sheet["A1"].font = Font(bold=True, size=13)
    rows: list[tuple[str, Any]] = [
        ("Folder", str(collection.folder.resolve())),
        ("Read on", collection.today),
        ("Summary", collection.summary()),
        ("Agreements in force", len(collection.in_force)),
        ("Signed by both", sum(a.signed_by_both for a in collection.in_force)),
        (f"Reviews due within {collection.within_days} days", len(collection.reviews_due)),
        ("Superseded agreements", len(collection.superseded)),
        ("People with no current agreement", ", ".join(collection.without_current)),
    ]
    for number, (label, value) in enumerate(rows, start=3):
        sheet.cell(number, 1, label).font = Font(bold=True)
        cell = put_value(sheet.cell(number, 2), value)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if isinstance(value, date):
            cell.number_format = DATE_FORMAT
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 90


def _values(agreement: Tracked, collection: Collection) -> list[Any]:
    stamp = agreement.stamp
    answers = agreement.answers
    completed = [name for name, text in answers.items() if text]
    blank = [name for name, text in answers.items() if not text]
    signatures: list[Any] = []
    for party in PARTIES:
        signatures += _signature(agreement.signature(party))
    return [
        stamp.supervisee, stamp.staff_id, stamp.supervisor, stamp.layout, stamp.start,
        stamp.review, _review(agreement, collection),
        _yes_no(agreement.signed_by_both) if agreement.has_signature_fields else NO_FIELD,
        *signatures,
        f"{len(completed)} of {len(answers)}" if answers else NO_FIELD,
        ", ".join(completed), ", ".join(blank), _yes_no(agreement.edited),
        stamp.made.date() if stamp.made else None, agreement.file,
    ]  # fmt: skip


def _signature(signature: Signature) -> list[Any]:
    signed = NO_FIELD if signature.signed is None else _yes_no(signature.signed)
    if signature.dated is None:
        return [signed, NO_FIELD]
    return [signed, signature.on or signature.date_text]


def _review(agreement: Tracked, collection: Collection) -> str:
    review = agreement.stamp.review
    if agreement.superseded or review is None:
        return ""
    if review < collection.today:
        return "passed"
    if agreement.review_due(collection.today, collection.within_days):
        return f"due within {collection.within_days} days"
    return ""


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


class _Links:
    """Links from the tracker to the agreements, which open them wherever the tracker is."""

    def __init__(self, folder: Path, tracker_folder: Path) -> None:
        self.folder = folder
        self.tracker_folder = tracker_folder

    def to(self, file: str) -> str:
        """The link to `file` (relative to the agreements' folder, with /)."""
        target = self.folder / file
        try:
            return quote(Path(os.path.relpath(target, self.tracker_folder)).as_posix())
        except ValueError:  # another drive, on Windows: only the whole path reaches it
            return target.resolve().as_uri()


def _table(
    sheet: Worksheet,
    columns: Sequence[tuple[str, int]],
    rows: list[list[Any]],
    links: _Links | None,
) -> None:
    for number, (name, width) in enumerate(columns, start=1):
        sheet.cell(1, number, name).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(number)].width = width
    for row_number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            cell = put_value(sheet.cell(row_number, column), value)
            if isinstance(value, date):
                cell.number_format = DATE_FORMAT
            elif column == _FILE and value and links is not None:
                cell.hyperlink = links.to(str(value))
                cell.style = "Hyperlink"
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
