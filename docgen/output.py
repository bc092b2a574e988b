"""Writing results: safe file names, whole-or-nothing writes, the manifest, and never
overwriting a document someone has edited without keeping their version."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .errors import OutputError

MANIFEST_NAME = "manifest.xlsx"
MANIFEST_HEADERS = (
    "Roster row", "Supervisee", "Supervisor", "Layout", "File", "SHA-256",
    "Start date", "Review date", "Meetings", "Made", "Schedule notes",
)  # fmt: skip
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                     *(f"LPT{i}" for i in range(1, 10))}  # fmt: skip
_NAME_PART_LIMIT = 60  # keeps a whole path well inside Windows' 260-character limit


def safe_name_part(text: str) -> str:
    """`text` made safe for a file name on Windows, macOS and Linux, still readable."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r'[<>:"/\\|?*\x00-\x1f\x7f]', " ", text)
    text = re.sub(r"\s+", " ", text).strip(" .")
    if len(text) > _NAME_PART_LIMIT:
        text = text[:_NAME_PART_LIMIT].rstrip(" .")
    if text.split(".")[0].upper() in _WINDOWS_RESERVED:
        text = f"_{text}"
    return text or "unnamed"


@dataclass(frozen=True)
class NameRequest:
    row: int
    supervisee: str
    supervisor: str
    layout: str


def assign_file_stems(requests: Sequence[NameRequest]) -> dict[int, str]:
    """A readable, unique file name stem per roster row: ``Amira Khan - supervised by Joe
    Bloggs - sefton``. Rows whose names would clash (ignoring case, as Windows does) all get
    their roster row added, so a name never depends on the order rows happen to be in."""
    stems = {
        r.row: " - ".join((safe_name_part(r.supervisee),
                           "supervised by " + safe_name_part(r.supervisor),
                           safe_name_part(r.layout)))
        for r in requests
    }  # fmt: skip
    counts: dict[str, int] = {}
    for stem in stems.values():
        counts[stem.casefold()] = counts.get(stem.casefold(), 0) + 1
    return {
        row: f"{stem} (row {row})" if counts[stem.casefold()] > 1 else stem
        for row, stem in stems.items()
    }


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str:
    return sha256_of(path.read_bytes())


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all: a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".docgen-", suffix=".part")
    try:
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes files only their owner can read
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except PermissionError:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise OutputError(
            f"{path} cannot be written: it is open in another program (Word or Excel?). "
            "Close it and run docgen again"
        ) from None
    except OSError as error:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise OutputError(f"{path} cannot be written: {error.strerror or error}") from None


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


@dataclass(frozen=True)
class ManifestRow:
    row: int
    supervisee: str
    supervisor: str
    layout: str
    file: str
    sha256: str
    start_date: str
    review_date: str
    meetings: int
    made: str
    notes: str = ""


def read_manifest(folder: Path) -> dict[str, str]:
    """File name -> the SHA-256 docgen recorded when it wrote it (empty if no manifest)."""
    path = folder / MANIFEST_NAME
    if not path.exists():
        return {}
    try:
        workbook = load_workbook(path, read_only=True)
        rows = list(workbook.active.iter_rows(values_only=True))  # type: ignore[union-attr]
        workbook.close()
    except Exception:  # noqa: BLE001 - a damaged manifest only loses edit detection
        return {}
    if not rows:
        return {}
    header = [str(value) for value in rows[0]]
    if "File" not in header or "SHA-256" not in header:
        return {}
    file_index, hash_index = header.index("File"), header.index("SHA-256")
    return {
        str(row[file_index]): str(row[hash_index])
        for row in rows[1:]
        if row and row[file_index] and row[hash_index]
    }


def write_manifest(folder: Path, rows: Iterable[ManifestRow], keep: Mapping[str, str]) -> Path:
    """Write the manifest: one row per document made now, and rows from an earlier run
    (`keep`, by file name) for documents still in the folder that this run did not remake."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Documents"  # type: ignore[union-attr]
    sheet.append(MANIFEST_HEADERS)  # type: ignore[union-attr]
    made = list(rows)
    for item in made:
        sheet.append([item.row, item.supervisee, item.supervisor, item.layout, item.file,  # type: ignore[union-attr]
                      item.sha256, item.start_date, item.review_date, item.meetings, item.made,
                      item.notes])  # fmt: skip
    made_files = {item.file for item in made}
    for name, digest in keep.items():
        if name not in made_files and (folder / name).exists():
            sheet.append(["", "", "", "", name, digest, "", "", "", "earlier run"])  # type: ignore[union-attr]
    for cell in sheet[1]:  # type: ignore[index]
        cell.font = Font(bold=True)
    widths = (11, 28, 28, 14, 70, 66, 18, 18, 10, 20, 80)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width  # type: ignore[union-attr]
    sheet.freeze_panes = "A2"  # type: ignore[union-attr]
    sheet.auto_filter.ref = sheet.dimensions  # type: ignore[union-attr]
    buffer = io.BytesIO()
    workbook.save(buffer)
    path = folder / MANIFEST_NAME
    write_atomically(path, buffer.getvalue())
    return path


def keep_edited(path: Path, recorded: Mapping[str, str], now: datetime) -> Path | None:
    """If `path` exists and is not what docgen last wrote there (someone edited it, or docgen
    never made it), move it aside under a dated name and return that; else None."""
    if not path.exists():
        return None
    if recorded.get(path.name) == file_sha256(path):
        return None
    kept = path.with_name(f"{path.stem} (edited, kept {now:%Y-%m-%d %H.%M.%S}){path.suffix}")
    counter = 2
    while kept.exists():
        kept = path.with_name(
            f"{path.stem} (edited, kept {now:%Y-%m-%d %H.%M.%S} {counter}){path.suffix}"
        )
        counter += 1
    try:
        path.rename(kept)
    except PermissionError:
        raise OutputError(
            f"{path} has been edited since docgen made it, and cannot be moved aside because it "
            "is open in another program. Close it and run docgen again"
        ) from None
    return kept
