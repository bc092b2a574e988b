"""The writer: the output folder, its lock, safe file names and whole-or-nothing writes.

Only this module (with the manifest's) changes the output folder. It never deletes an
agreement: one that is replaced moves to ``superseded/`` under a dated name.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import json
import os
import re
import signal
import socket
import sys
import tempfile
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from .errors import FileInUse, FolderBusy, OutputError
from .fingerprint import Inspection, inspect_document
from .reconcile import SUPERSEDED_DIR, Existing

TEMP_PREFIX, TEMP_SUFFIX = ".docgen-", ".part"
LOCK_NAME = ".docgen-lock"
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                     *(f"LPT{i}" for i in range(1, 10))}  # fmt: skip
# A file name may be 255 bytes on Linux and macOS and 255 UTF-16 units on Windows; three
# name parts, the joining words and a " (superseded 2026-11-23 10.15.02)" suffix stay inside.
_NAME_PART_LIMIT = 60  # characters, which keeps a whole path inside Windows' 260
_NAME_PART_BYTES = 60  # UTF-8 bytes, for names in scripts that take 3 or 4 bytes a character


def safe_name_part(text: str) -> str:
    """`text` made safe for a file name on Windows, macOS and Linux, still readable."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r'[<>:"/\\|?*\x00-\x1f\x7f]', " ", text)
    text = re.sub(r"\s+", " ", text).strip(" .")
    if len(text) > _NAME_PART_LIMIT or len(text.encode()) > _NAME_PART_BYTES:
        text = _cut_to_bytes(text[:_NAME_PART_LIMIT], _NAME_PART_BYTES).rstrip(" .")
    if text.split(".")[0].upper() in _WINDOWS_RESERVED:
        text = f"_{text}"
    return text or "unnamed"


def _cut_to_bytes(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-8 bytes, never inside a character.

    Nor with a dangling joiner or accent where it was cut.
    """
    cut = text.encode()[:limit].decode(errors="ignore")
    while cut and (unicodedata.combining(cut[-1]) or cut[-1] in "\u200d\ufe0f"):
        cut = cut[:-1]
    return cut


@dataclass(frozen=True)
class NameRequest:
    """What an agreement's file name is made from."""

    row: int
    supervisee: str
    supervisor: str
    layout: str


def assign_file_stems(requests: Sequence[NameRequest]) -> dict[int, str]:
    """A readable, unique file name stem per roster row.

    ``Amira Khan - supervised by Joe Bloggs - sefton``. Rows whose names would clash
    (ignoring case, as Windows does) all get their roster row added, so a name never depends
    on the order rows happen to be in.
    """
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


def write_atomically(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write `data` to `path` whole or not at all.

    A crash never leaves half a file, and an interrupted write leaves no temporary file
    behind (a killed one leaves a ``.part`` file that the next run into the folder clears
    away). With `durable`, the data is on disk before `path` names it; a run writing many
    files leaves that to `make_durable`, once.
    """
    write_atomically_with(path, lambda stream: stream.write(data), durable=durable)


def write_atomically_with(
    path: Path, fill: Callable[[BinaryIO], object], *, durable: bool = True
) -> None:
    """Write to `path` whole or not at all, as `write_atomically` does, what `fill` writes.

    `fill` is given the temporary file (open to read and write, as a zip needs) to stream
    into, so a big file is never held in memory whole.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = ""
    try:
        handle, temporary = _new_temporary(path.parent)
        with os.fdopen(handle, "w+b") as stream:
            fill(stream)
            stream.flush()
            if durable:
                os.fsync(stream.fileno())
        Path(temporary).replace(path)
    except BaseException as error:
        _failed(path, temporary, error)
        raise


def spool(folder: Path, data: bytes) -> Path:
    """`data` in a new temporary file in `folder`, for `place` to name.

    A worker process writes each agreement it renders this way; the run then only names it.
    """
    temporary = ""
    try:
        handle, temporary = _new_temporary(folder)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
    except BaseException:
        if temporary:
            with contextlib.suppress(OSError):
                Path(temporary).unlink()
        raise
    return Path(temporary)


def place(temporary: Path, path: Path) -> None:
    """Name a spooled file `path`, as `write_atomically` would have written it."""
    try:
        temporary.replace(path)
    except BaseException as error:
        _failed(path, str(temporary), error)
        raise


@contextlib.contextmanager
def one_step() -> Iterator[None]:
    """Hold Ctrl+C until the block has finished, then let it stop the run.

    Moving a file and noting it in the manifest's rows are one step: stopped between the
    two, the manifest written on the way out would miss an agreement that is there (or
    list one that has moved). Only the main thread is sent Ctrl+C, so runs in other
    threads (the web page's) have nothing to hold; nor has a program whose Ctrl+C is not
    Python's to handle. A Ctrl+C held while the block fails stops the run all the same,
    with the failure as its context.
    """
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is None
    ):
        yield
        return
    pressed = False

    def hold(_number: int, _frame: object) -> None:
        nonlocal pressed
        pressed = True

    previous = signal.signal(signal.SIGINT, hold)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if pressed:
            signal.raise_signal(signal.SIGINT)  # handled as it would have been


def _new_temporary(folder: Path) -> tuple[int, str]:
    # A name no other writer uses (this process's own number and count), created only if
    # it is not there, with the permissions any new file gets (mkstemp's are private).
    while True:
        name = f"{TEMP_PREFIX}{os.getpid()}-{next(_numbers)}{TEMP_SUFFIX}"
        with contextlib.suppress(FileExistsError):  # left by a killed run of the same number
            flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | _BINARY
            return os.open(folder / name, flags, 0o666), str(folder / name)


def _failed(path: Path, temporary: str, error: BaseException) -> None:
    """Clear the temporary file of a write that failed, and say why in a sentence."""
    if temporary:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
    if isinstance(error, PermissionError):
        raise FileInUse(path) from None
    if isinstance(error, OSError):
        raise OutputError(f"{path} cannot be written: {error.strerror or error}") from None


def make_durable(paths: Iterable[Path]) -> None:
    """Make sure what `paths` name is on disk, as one step for a whole run.

    Waiting for the disk file by file costs up to 15 ms each. Until then a power cut may
    leave some of them empty or cut short; the next run finds those damaged and makes them
    again.
    """
    if hasattr(os, "sync"):
        os.sync()
        return
    for path in paths:  # pragma: no cover - Windows, which has no whole-system sync
        with contextlib.suppress(OSError), path.open("r+b") as stream:
            os.fsync(stream.fileno())


_numbers = itertools.count()
_BINARY = getattr(os, "O_BINARY", 0)  # Windows would otherwise translate line ends


@dataclass(frozen=True)
class LockHolder:
    """The run holding a folder's lock, as it wrote itself into the lock file."""

    pid: int
    started: str  # dd/mm/yyyy hh:mm, as the holder wrote it
    host: str


class FolderLock:
    """An operating-system lock on a file in the output folder.

    Two runs never write into one folder at once. The system releases it when the process
    ends however it ends, so a lock left by a run that was killed is simply taken over. The
    file holds the process id and start time, to say who has the folder.
    """

    def __init__(self, folder: Path) -> None:
        self.path = folder / LOCK_NAME
        self.handle: int | None = None

    def acquire(self, now: datetime) -> None:
        """Take the folder's lock, or raise `FolderBusy` naming the run that holds it."""
        while True:
            handle = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
            try:
                _lock(handle)
            except OSError:
                os.close(handle)
                raise FolderBusy(self.path.parent, self.holder()) from None
            # Another run may have removed the file between our open and lock: then ours is
            # a lock on nothing, so start again on the file that is there now.
            with contextlib.suppress(OSError):
                if os.fstat(handle).st_ino == self.path.stat().st_ino or os.name == "nt":
                    break
            os.close(handle)
        os.ftruncate(handle, 0)
        os.write(handle, json.dumps({"pid": os.getpid(), "started": f"{now:%d/%m/%Y %H:%M}",
                                     "host": socket.gethostname()}).encode())  # fmt: skip
        self.handle = handle

    def holder(self) -> LockHolder | None:
        """The run named in the lock file, or None if it names none."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return LockHolder(int(data["pid"]), str(data["started"]), str(data["host"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def release(self) -> None:
        """Give the lock up and remove its file; nothing if it was never taken."""
        if self.handle is None:
            return
        with contextlib.suppress(OSError):
            self.path.unlink()  # while still held, so no other run locks a file being removed
        with contextlib.suppress(OSError):
            _unlock(self.handle)
        os.close(self.handle)
        self.handle = None


if sys.platform == "win32":  # pragma: no cover - exercised on Windows
    import msvcrt

    _REGION = 1 << 30  # lock a byte far past the text, so other runs can still read who holds it

    def _lock(handle: int) -> None:
        os.lseek(handle, _REGION, os.SEEK_SET)
        msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        os.lseek(handle, 0, os.SEEK_SET)

    def _unlock(handle: int) -> None:
        os.lseek(handle, _REGION, os.SEEK_SET)
        msvcrt.locking(handle, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(handle: int) -> None:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(handle: int) -> None:
        fcntl.flock(handle, fcntl.LOCK_UN)


def clear_temporary_files(folder: Path) -> int:
    """Remove what killed runs left half-written; only call while holding the folder's lock."""
    removed = 0
    for pattern_folder in (folder, folder / SUPERSEDED_DIR):
        for leftover in pattern_folder.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
            with contextlib.suppress(OSError):
                leftover.unlink()
                removed += 1
    return removed


def check_writable(folder: Path, *files: Path) -> None:
    """Stop before the first document if anything the run must write cannot be written.

    That is the folder, or a file docgen must replace in it.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(dir=folder, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
        os.close(handle)
        Path(probe).unlink()
    except OSError as error:
        if isinstance(error, PermissionError) or error.errno == errno.EROFS:
            raise OutputError(
                f"the folder {folder} cannot be written to (it is read-only, or you do not "
                "have permission); choose another output folder"
            ) from None
        raise OutputError(
            f"the folder {folder} cannot be used: {error.strerror or error}"
        ) from None
    for path in files:
        if path.exists():
            try:
                with path.open("r+b"):
                    pass
            except PermissionError:
                raise FileInUse(path) from None


def scan_documents(folder: Path) -> list[Existing]:
    """Every agreement in `folder` and its ``superseded/``, with what each says about itself."""
    found = []
    for where, prefix in ((folder, ""), (folder / SUPERSEDED_DIR, SUPERSEDED_DIR + "/")):
        if not where.is_dir():
            continue
        for path in sorted(where.glob("*.docx")):
            if path.name.startswith("~$") or not path.is_file():
                continue  # Word's own lock file while a document is open
            try:
                inspection = inspect_document(path.read_bytes())
            except OSError:
                inspection = Inspection(None, False)
            found.append(Existing(prefix + path.name, inspection.stamp, inspection.untouched,
                                  inspection.damaged))  # fmt: skip
    return found


def supersede(folder: Path, name: str, now: datetime) -> str:
    """Move the agreement `name` into ``superseded/`` under a dated name.

    Its calendar file goes with it. Returns its new name, relative to `folder`.
    """
    source = folder / name
    target_dir = folder / SUPERSEDED_DIR
    target_dir.mkdir(exist_ok=True)
    dated = f"{source.stem} (superseded {now:%Y-%m-%d}"
    timed = f"{source.stem} (superseded {now:%Y-%m-%d %H.%M.%S}"
    stems = itertools.chain(
        [dated + ")", timed + ")"], (f"{timed} {n})" for n in itertools.count(2))
    )
    target = next(p for p in (target_dir / f"{s}.docx" for s in stems) if not p.exists())
    try:
        source.rename(target)
    except PermissionError:
        raise FileInUse(source) from None
    except OSError as error:
        raise OutputError(f"{source} cannot be moved to {target_dir}: "
                          f"{error.strerror or error}") from None  # fmt: skip
    for suffix in (".ics", ".pdf"):  # its calendar file and PDF go with it
        companion = source.with_suffix(suffix)
        if companion.exists():
            with contextlib.suppress(OSError):
                companion.rename(target.with_suffix(suffix))
    return f"{SUPERSEDED_DIR}/{target.name}"
