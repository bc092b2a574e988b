"""Opening the files people give docgen without trusting them.

A name that turns out to be a folder, a device (/dev/zero), a pipe that never ends, a huge
file, or a zip (every .xlsx and .docx is one) that unpacks to gigabytes is refused with a
sentence before it is read.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
import zipfile
from pathlib import Path
from typing import Any

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

    Looks at the file without opening it, so a pipe or device never blocks.
    """
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
    """The text of the small file `path` (a `what`, such as "supervision policy file").

    Read as Notepad may have saved it (see `decode_text`); anything that stops it being read
    is `error` with a sentence naming the file.
    """
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
            elif (text := decode_text(data)) is not None:
                return text
            else:
                problem = ("is not saved as text docgen can read: open it in Notepad, choose "
                           "File, Save As, set Encoding to UTF-8 and save it")  # fmt: skip
    raise error(f"the {what} {path} {problem}")


def decode_text(data: bytes) -> str | None:
    """`data` as text, however Notepad saved it; None if it is none of the ways Notepad saves.

    UTF-8 with or without a byte order mark, "Unicode" (UTF-16), or "ANSI" (Windows-1252,
    where a curly apostrophe is byte 0x92).
    """
    for mark, encoding in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"),
                           (b"\xfe\xff", "utf-16")):  # fmt: skip
        if data.startswith(mark):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def read_toml(
    path: Path, what: str, error: type[DocgenError], literal_keys: frozenset[str] = frozenset()
) -> dict[str, Any]:
    r"""The settings in the small TOML file `path`, edited by hand in Notepad.

    A value of one of `literal_keys` (a file's path), or any value that starts like a Windows
    path, is read as typed, backslashes and all: in TOML's own rules ``"C:\new\x.toml"``
    would hold a line break. Curly quotation marks copied from Word are read as straight
    ones. A mistake is `error` with one sentence naming the line and what to change.
    """
    text = _as_typed(read_small_text(path, what, error), literal_keys)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as failure:
        raise error(f"{path}: {toml_problem(text, str(failure))}") from None


_VALUE_LINE = re.compile(r'^(\s*([\w.-]+)\s*=\s*)[“”"](.*)[“”"](\s*(?:#.*)?)$')
_WINDOWS_PATH = re.compile(r"^(?:[A-Za-z]:\\|\\\\)")


def _as_typed(text: str, literal_keys: frozenset[str]) -> str:
    lines = []
    for line in text.splitlines():
        found = _VALUE_LINE.match(line)
        if found is not None and '"' not in found.group(3):
            start, key, value, end = found.group(1), found.group(2), found.group(3), found.group(4)
            if (
                "\\" in value
                and "'" not in value
                and (key in literal_keys or _WINDOWS_PATH.match(value))
            ):
                line = f"{start}'{value}'{end}"
            else:
                line = f'{start}"{value}"{end}'
        lines.append(line)
    return "\n".join(lines)


def toml_problem(text: str, message: str) -> str:
    """What is wrong in the TOML `text`, from tomllib's `message`, as a sentence.

    The sentence names the line and what to change in it.
    """
    kind = re.sub(r"\s*\(at .*\)$", "", message)
    lines = text.splitlines() or [""]
    at = re.search(r"at line (\d+)", message)
    number = int(at.group(1)) if at else _first_failing_line(lines, kind)
    line = lines[number - 1].strip() if 0 < number <= len(lines) else ""
    key = line.split("=", 1)[0].strip()
    value = line.split("=", 1)[1].strip() if "=" in line else ""
    if kind == "Invalid value" and value and value[0] not in "\"'[":
        reason = f'has a value without quotation marks: write {key} = "{value}"'
    elif kind.startswith("Expected '=' after a key"):
        reason = ('is not of the form name = "value" (a name is one word, or words joined '
                  "with _)")  # fmt: skip
    elif kind == "Unterminated string" or kind == "Illegal character '\\n'":
        reason = 'opens a quotation mark it does not close: end the value with "'
    elif kind == "Cannot overwrite a value":
        reason = f'gives "{key}" a second time: keep one of the two lines'
    elif kind.startswith("Unescaped '\\'") or "escape" in kind:
        reason = ("has a backslash (\\) in a value between double quotation marks: put the "
                  "value between single quotation marks ('...') instead")  # fmt: skip
    elif kind == "Unclosed array":
        reason = "starts a list with [ and does not close it: end the list with ]"
    elif "table declaration" in kind:
        reason = "starts a section name with [ and does not close it: write it as [defaults]"
    elif kind.startswith("Expected newline or end of document"):
        reason = ('has more after its value: put the whole value between one pair of double '
                  'quotation marks, such as name = "Children\'s Services"')  # fmt: skip
    else:
        reason = 'is not written as docgen reads it: each setting is name = "value"'
    shown = f' ("{line if len(line) <= 60 else line[:59] + "…"}")' if line else ""
    return f"line {number}{shown} {reason}. Open the file in Notepad, change that line and save it"


def _first_failing_line(lines: list[str], kind: str) -> int:
    """The first line after which the text fails as it does as a whole.

    tomllib names no line for a mistake it only finds at the end, such as a quotation mark
    never closed.
    """
    for number in range(1, len(lines) + 1):
        try:
            tomllib.loads("\n".join(lines[:number]))
        except tomllib.TOMLDecodeError as failure:
            if re.sub(r"\s*\(at .*\)$", "", str(failure)) == kind:
                return number
    return len(lines)


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
    are a true bound on what reading the file can cost.
    """
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
