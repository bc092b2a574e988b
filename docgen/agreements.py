"""The render stage: each pair's agreement as bytes, with the keys and fingerprints it carries.

`prepare` is pure (records and schedules in, agreements out) and cheap, so a re-run can tell
what is up to date without rendering anything; `render` turns one agreement into the bytes
of its .docx, stamped with what docgen needs to recognise it later.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import itertools
import json
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from . import output
from .context import build_context
from .fingerprint import Stamp, stamp_parts, write_parts
from .output import NameRequest, assign_file_stems
from .policy import Policy
from .reconcile import Wanted, pair_key, short_key
from .records import Record, fold_name
from .render import CompiledLayout, render_parts
from .schedule import Schedule, holidays_version
from .templates import Layout


@dataclass(frozen=True, slots=True)
class Agreement:
    """One pair's agreement, ready to render."""

    record: Record
    schedule: Schedule
    layout: Layout
    policy: Policy
    wanted: Wanted  # its keys, input fingerprint and file name

    @property
    def pair(self) -> str:
        """The key of the agreement's supervisee and supervisor pair."""
        return pair_key(self.wanted.person, self.wanted.supervisor)

    def context(self) -> dict[str, Any]:
        """The template variables, worked out when needed.

        A run holds thousands of agreements, most of them up to date and never rendered.
        """
        return build_context(self.record, self.layout, self.policy, self.schedule)


@dataclass(frozen=True, slots=True)
class Rendered:
    """An agreement filled in: the .docx bytes and the stamp written into them."""

    data: bytes
    stamp: Stamp
    spooled: Path | None = None  # already written to this temporary file (`data` is empty)


def prepare(
    items: Sequence[tuple[Record, Schedule]],
    layouts: Mapping[str, Layout],
    policies: Mapping[str, Policy],
    sources: Mapping[str, str],
) -> list[Agreement]:
    """Every agreement's values, keys, input fingerprint and file name.

    `sources` maps each layout's key to a fingerprint of the files it is made from (the
    template, its metadata and its policy), so a changed layout remakes its agreements.
    """
    stems = assign_file_stems([
        NameRequest(record.row, record.supervisee, record.supervisor, record.layout)
        for record, _ in items
    ])  # fmt: skip
    agreements = []
    dates: dict[int, str] = {}  # by schedule: a team's rows share one
    for record, schedule in items:
        if id(schedule) not in dates:
            dates[id(schedule)] = _dates_digest(schedule)
        wanted = dataclasses.replace(
            keys_of(record),
            input=input_fingerprint(
                record, schedule, sources[record.layout], dates[id(schedule)]
            ),  # fmt: skip
            file_name=f"{stems[record.row]}.docx",
        )
        layout, policy = layouts[record.layout], policies[record.layout]
        agreements.append(Agreement(record, schedule, layout, policy, wanted))
    return agreements


def keys_of(record: Record) -> Wanted:
    """Who a record's agreement is for: enough to find its agreement in force.

    Nothing is planned for it yet, so its input and file name are empty.
    """
    return Wanted(short_key(record.person), _supervisor_key(record.supervisor),
                  record.start_date, input="", file_name="")  # fmt: skip


@functools.lru_cache(maxsize=4096)
def _supervisor_key(supervisor: str) -> str:
    # Cached: a manager supervises many, and each agreement holds the key.
    return short_key(fold_name(supervisor))


def input_fingerprint(
    record: Record, schedule: Schedule, source: str, dates: str | None = None
) -> str:
    """A fingerprint of all an agreement is made from, in three parts.

    ``roster:… layout:… dates:…`` (SHA-256s, shortened), so a re-run can say which changed.

    The roster row's number is left out, so sorting the roster remakes nothing; the meeting
    dates are in, so a bank holiday added by a newer holidays package remakes the agreements
    it moves. `dates` is the schedule's part, when already worked out.
    """
    values = {k: v for k, v in _plain(record).items() if k not in ("row", "ref")}
    dates = dates or _dates_digest(schedule)
    return f"roster:{_digest(values)} layout:{_digest(source)} dates:{dates}"


def _dates_digest(schedule: Schedule) -> str:
    meetings = [(m.day, m.moved_from, m.moved_because) for m in schedule.meetings]
    return _digest([meetings, schedule.review, schedule.notes])


def _plain(value: Any) -> Any:
    """`value` as `dataclasses.asdict` gives it, for JSON.

    Without asdict's deep copy of every value, which took a third of the time to plan an
    agreement.
    """
    if value is None or type(value) in _AS_THEY_ARE:  # most values: checked first
        return value
    names = _field_names(type(value))
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {_plain(key): _plain(item) for key, item in value.items()}
    return value


_AS_THEY_ARE = frozenset({str, int, float, bool, date, datetime, time})


_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


def _field_names(kind: type) -> tuple[str, ...] | None:
    """A dataclass's field names, in order; None for anything else."""
    if kind not in _FIELD_NAMES:
        _FIELD_NAMES[kind] = (tuple(f.name for f in dataclasses.fields(kind))
                              if dataclasses.is_dataclass(kind) else None)  # fmt: skip
    return _FIELD_NAMES[kind]


def _digest(value: object) -> str:
    text = json.dumps(value, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def render(agreement: Agreement, compiled: CompiledLayout, now: datetime) -> Rendered:
    """The agreement's .docx bytes, stamped with its keys and fingerprints."""
    stamp = stamp_of(agreement, now)
    parts = render_parts(compiled, agreement.context())
    content = stamp_parts(parts, stamp)
    return Rendered(write_parts(parts), dataclasses.replace(stamp, content=content))


def stamp_of(agreement: Agreement, now: datetime, content: str = "") -> Stamp:
    """What the agreement's document says about itself (its `content` fingerprint once known).

    Made from the agreement's own values, not copies of them: a run keeps every stamp.
    """
    record, schedule = agreement.record, agreement.schedule
    return Stamp(
        content=content, input=agreement.wanted.input, pair=agreement.pair,
        person=agreement.wanted.person, supervisee=record.supervisee,
        supervisor=record.supervisor, staff_id=record.staff_id, layout=record.layout,
        start=record.start_date, review=schedule.review, meetings=len(schedule.meetings),
        made=now.replace(microsecond=0), notes=" ".join(schedule.notes),
        holidays=_holidays_label(),
    )  # fmt: skip


@functools.cache
def _holidays_label() -> str:
    return f"holidays {holidays_version()}"


PARALLEL_FROM = 300  # fewer agreements than this are quicker to render than to hand out
_CHUNK = 16
_worker: dict[str, Any] = {}  # in each worker process: the time, and the layouts it was sent


class Workers:
    """Processes to render on, one per core, started before they are needed.

    A fresh interpreter takes half a second to start and load docgen; started while the
    roster is read (`start`), the workers are ready when the first agreement is. Until then,
    or when there is one core, `render_all` renders in this process or starts them itself.

    Started before the output folder is locked, from a program running nothing else at the
    time (the command line), workers are forked where the system allows it: a copy of this
    process, with docgen already loaded, starts at once. Otherwise, and always on Windows and
    macOS, they are fresh interpreters ("spawn"): forking a program with threads of its own
    (the web page) is unsafe, and a worker forked while the folder is locked would hold the
    lock on. Either way a worker ends when this process does, even when it is killed.
    """

    def __init__(self, count: int | None = None) -> None:
        self.count = count or os.cpu_count() or 1
        self.pool: ProcessPoolExecutor | None = None

    def start(
        self, *, before_lock: bool = False, method: str | None = None
    ) -> ProcessPoolExecutor | None:
        """The pool, its processes starting now (None where there is one core).

        `method` forces a start method ("fork" or "spawn"), for the tests of both.
        """
        method = method or ("fork" if before_lock and _can_fork() else "spawn")
        if self.pool is None and self.count > 1 and (method == "fork" or _can_start_workers()):
            self.pool = ProcessPoolExecutor(
                max_workers=self.count, mp_context=multiprocessing.get_context(method),
                initializer=_start_worker,
            )  # fmt: skip
            for _ in range(self.count):  # a process starts for each task while none is idle
                self.pool.submit(_ready)
        return self.pool

    def close(self) -> None:
        """Stop the workers, dropping what is queued (after Ctrl+C or a full disk, say)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def render_all(
    agreements: Iterable[Agreement],
    compiled: Mapping[str, CompiledLayout],
    now: datetime,
    *,
    workers: Workers | int | None = None,
    spool: Path | None = None,
    count: int | None = None,
) -> Generator[Rendered, None, None]:
    """Render `agreements` in order, on worker processes when there are enough of them.

    `agreements` are taken one at a time, a little ahead of the one rendered, so a caller
    can let go of each once it is done (`count` says how many there are, when they come from
    an iterator). `workers` are processes already started, or how many to start (one per
    core unless given); processes started here are stopped when the rendering ends. Given a
    `spool` folder, workers write each agreement there as a temporary file (see
    `output.spool`), sharing the work of creating files, rather than sending its bytes back.
    """
    if count is None:
        agreements = list(agreements)
        count = len(agreements)
    own = not isinstance(workers, Workers)
    team = Workers(workers) if not isinstance(workers, Workers) else workers
    flight = _InFlight(iter(agreements), compiled, now, spool)
    finished = False
    try:
        pool = team.start() if count >= PARALLEL_FROM else None
        if pool is not None:
            try:
                yield from flight.render(pool, team.count * 2)
            except BrokenProcessPool:  # a worker could not start or died
                team.close()  # the rest are rendered here
        for agreement in flight.unfinished():
            yield render(agreement, compiled[agreement.layout.key], now)
        finished = True
    finally:
        if own or not finished:
            team.close()  # stopped early (Ctrl+C, a full disk): nothing left waiting


_Made = tuple[str, bytes, Path | None]  # a worker's content fingerprint, bytes or their file


class _InFlight:
    """Agreements sent to the workers in chunks, a few chunks at a time, and given back in order.

    Only those chunks are held, not the whole roster: memory stays flat however long it is.
    """

    def __init__(
        self,
        source: Iterator[Agreement],
        compiled: Mapping[str, CompiledLayout],
        now: datetime,
        spool: Path | None,
    ) -> None:
        self.source, self.compiled, self.now, self.spool = source, compiled, now, spool
        self.waiting: deque[tuple[list[Agreement], Future[list[_Made]]]] = deque()

    def render(self, pool: ProcessPoolExecutor, ahead: int) -> Iterator[Rendered]:
        """Each agreement rendered, keeping `ahead` chunks in flight."""
        for _ in range(ahead):
            self._send(pool)
        while self.waiting:
            chunk, future = self.waiting[0]
            results = future.result()
            self._send(pool)
            self.waiting.popleft()  # only now: it is given back whole
            for agreement, (content, data, spooled) in zip(chunk, results, strict=True):
                yield Rendered(data, stamp_of(agreement, self.now, content), spooled)

    def unfinished(self) -> Iterator[Agreement]:
        """The agreements not yet given back, in order: those sent, then the rest."""
        for chunk, _ in self.waiting:
            yield from chunk
        yield from self.source

    def _send(self, pool: ProcessPoolExecutor) -> None:
        chunk = list(itertools.islice(self.source, _CHUNK))
        if chunk:
            layouts = {a.layout.key: self.compiled[a.layout.key] for a in chunk}
            self.waiting.append((chunk, Future()))  # kept even if the pool cannot take it
            future = pool.submit(_render_in_worker, chunk, layouts, self.now, self.spool)
            self.waiting[-1] = (chunk, future)


def _can_fork() -> bool:
    """Whether this process may be copied as it is: a system with fork, and no other thread."""
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and sys.platform != "darwin"  # macOS's own libraries are not safe to fork
        and threading.active_count() == 1
    )


def _can_start_workers() -> bool:
    """Whether a fresh worker can load what this program is.

    Not when it was typed in (an interactive session, or a script piped in), which a new
    interpreter cannot read again.
    """
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    return getattr(main, "__spec__", None) is not None or (
        path is not None and Path(path).is_file()
    )


def _start_worker() -> None:
    # Ctrl+C is for the main process, which stops the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None:  # a worker never outlives a run that was killed
        threading.Thread(target=_end_with, args=(parent.sentinel,), daemon=True).start()


def _ready() -> None:
    """Nothing: sent to start a worker process (loading docgen) before there is work."""


def _end_with(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(1)


def _render_in_worker(
    chunk: Sequence[Agreement],
    layouts: Mapping[str, CompiledLayout],
    now: datetime,
    spool: Path | None = None,
) -> list[_Made]:
    """Each agreement's content fingerprint and bytes, or the temporary file holding them.

    Only what the run cannot work out itself goes back: it makes each stamp from its own
    values.
    """
    known = _worker.setdefault("layouts", {})
    # Each chunk brings its layouts; the first copy of each is kept, so the layout is
    # prepared once in this process, not once for each chunk.
    ready = {key: known.setdefault((key, layout.template_bytes), layout)
             for key, layout in layouts.items()}  # fmt: skip
    made = []
    for agreement in chunk:
        rendered = render(agreement, ready[agreement.layout.key], now)
        made.append(_spooled(rendered.stamp.content, rendered.data, spool))
    return made


def _spooled(content: str, data: bytes, folder: Path | None) -> _Made:
    if folder is not None:
        try:
            return content, b"", output.spool(folder, data)
        except OSError:  # a full disk, say: the run writes it, and says what went wrong
            pass
    return content, data, None
