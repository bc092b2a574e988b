"""Opening the files people give docgen without trusting them: a name that turns out to be a
folder, a device (/dev/zero), a pipe that never ends, a huge file, or a zip (every .xlsx and
.docx is one) that unpacks to gigabytes is refused with a sentence before it is read."""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

from .errors import DocgenError

SMALL_FILE_LIMIT = 1024 * 1024  # bytes: policies and layout metadata are a few kilobytes
# A workbook or Word document may unpack to at most this much, and no part of it larger than
# RATIO_FROM may unpack to more than MAX_RATIO times its packed size. Real files pack 5 to 20
# times (a sheet formatted down to row 1,048,576 with 19 styled columns is about 490 MB, 13
# times); a zip bomb packs a thousand times.
MAX_UNPACKED = 512 * 1024 * 1024
MAX_RATIO = 100
RATIO_FROM = 1024 * 1024


def file_problem(path: Path, limit: int | None = None) -> str | None:
    """Why `path` cannot be read as an ordinary file of at most `limit` bytes, or None.

    Looks at the file without opening it, so a pipe or device never blocks."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return "does not exist"
    except PermissionError:
        return "cannot be opened: permission denied"
    except OSError as error:
        return f"cannot be opened: {error.strerror or error}"
    if stat.S_ISDIR(info.st_mode):
        return "is a folder, not a file"
    if not stat.S_ISREG(info.st_mode):
        return "is not an ordinary file (it is a device, a pipe or a socket)"
    if limit is not None and info.st_size > limit:
        return f"is too big ({_size(info.st_size)}; docgen reads at most {_size(limit)})"
    return None


def read_small_text(
    path: Path, what: str, error: type[DocgenError], limit: int = SMALL_FILE_LIMIT
) -> str:
    """The UTF-8 text of the small file `path` (a `what`, such as "supervision policy file");
    anything that stops it being read is `error` with a sentence naming the file."""
    path = Path(path)
    problem = file_problem(path, limit)
    if problem is None:
        try:
            data = _read_at_most(path, limit)
        except PermissionError:
            problem = "cannot be opened: permission denied"
        except OSError as failure:
            problem = f"cannot be opened: {failure.strerror or failure}"
        else:
            if len(data) > limit:
                problem = f"is too big (docgen reads at most {_size(limit)})"
            else:
                try:
                    return data.decode("utf-8-sig")
                except UnicodeDecodeError:
                    problem = "cannot be read: it is not UTF-8 text (save it as UTF-8)"
    raise error(f"the {what} {path} {problem}")


def _read_at_most(path: Path, limit: int) -> bytes:
    # Non-blocking, so a pipe swapped in after the check above cannot stall the open.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags)
    with os.fdopen(descriptor, "rb") as stream:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            raise OSError(0, "it is not an ordinary file")
        return stream.read(limit + 1)


def zip_problem(path: Path, max_unpacked: int = MAX_UNPACKED) -> str | None:
    """Why the zip file `path` (an .xlsx or .docx) must not be unpacked, or None.

    Python's zipfile never unpacks more than a part's declared size, so the declared sizes
    are a true bound on what reading the file can cost."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        return "is damaged: it is not a complete zip package"
    total = sum(part.file_size for part in parts)
    if total > max_unpacked:
        return (f"unpacks to {_size(total)}, more than the {_size(max_unpacked)} docgen "
                "accepts")  # fmt: skip
    for part in parts:
        if part.file_size > RATIO_FROM and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            return (f"has a part ({part.filename}) that unpacks to {_size(part.file_size)} from "
                    f"{_size(part.compress_size)}, more than {MAX_RATIO} times its size; "
                    "real files never pack that tightly")  # fmt: skip
    return None


def _size(count: int) -> str:
    if count >= 1024 * 1024 * 1024:
        return f"{count / 1024**3:.1f} GB"
    if count >= 1024 * 1024:
        return f"{count / 1024**2:.0f} MB"
    if count >= 1000:
        return f"{count / 1024:.0f} KB"
    return f"{count} bytes"
