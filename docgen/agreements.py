"""The render stage: each pair's agreement as bytes, with the keys and fingerprints it carries.

`prepare` is pure (records and schedules in, agreements out) and cheap, so a re-run can tell
what is up to date without rendering anything; `render` turns one agreement into the bytes
of its .docx, stamped with what docgen needs to recognise it later.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .context import build_context
from .fingerprint import Stamp, stamp_document
from .output import NameRequest, assign_file_stems
from .policy import Policy
from .reconcile import Wanted, pair_key, short_key
from .records import Record, fold_name
from .render import CompiledLayout, render_document
from .schedule import Schedule
from .templates import Layout


@dataclass(frozen=True)
class Agreement:
    """One pair's agreement, ready to render."""

    record: Record
    schedule: Schedule
    layout: Layout
    context: Mapping[str, Any]
    wanted: Wanted  # its keys, input fingerprint and file name

    @property
    def pair(self) -> str:
        return pair_key(self.wanted.person, self.wanted.supervisor)


@dataclass(frozen=True)
class Rendered:
    agreement: Agreement
    data: bytes
    stamp: Stamp


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
    for record, schedule in items:
        layout = layouts[record.layout]
        context = build_context(record, layout, policies[record.layout], schedule)
        wanted = Wanted(
            person=short_key(record.person),
            supervisor=short_key(fold_name(record.supervisor)),
            supervisee_name=record.supervisee,
            supervisor_name=record.supervisor,
            start=record.start_date,
            input=input_fingerprint(record, schedule, sources[record.layout]),
            file_name=f"{stems[record.row]}.docx",
        )
        agreements.append(Agreement(record, schedule, layout, context, wanted))
    return agreements


def input_fingerprint(record: Record, schedule: Schedule, source: str) -> str:
    """SHA-256 of all an agreement is made from. The roster row's number is left out, so
    sorting the roster remakes nothing; the meeting dates are in, so a bank holiday added
    by a newer holidays package remakes the agreements it moves."""
    values = {k: v for k, v in dataclasses.asdict(record).items() if k not in ("row", "ref")}
    meetings = [(m.day, m.moved_from, m.moved_because) for m in schedule.meetings]
    text = json.dumps([values, meetings, schedule.review, schedule.notes, source],
                      sort_keys=True, default=str)  # fmt: skip
    return hashlib.sha256(text.encode()).hexdigest()


def render(agreement: Agreement, compiled: CompiledLayout, now: datetime) -> Rendered:
    """The agreement's .docx bytes, stamped with its keys and fingerprints."""
    record, schedule = agreement.record, agreement.schedule
    stamp = Stamp(
        content="", input=agreement.wanted.input, pair=agreement.pair,
        person=agreement.wanted.person, supervisee=record.supervisee,
        supervisor=record.supervisor, staff_id=record.staff_id, layout=record.layout,
        start=record.start_date, review=schedule.review, meetings=len(schedule.meetings),
        made=now.replace(microsecond=0), notes=" ".join(schedule.notes),
    )  # fmt: skip
    data, content = stamp_document(render_document(compiled, agreement.context), stamp)
    return Rendered(agreement, data, dataclasses.replace(stamp, content=content))
