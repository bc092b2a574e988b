"""Answers carried forward: next year's agreement starts from what the pair wrote this year.

When ``refresh`` replaces a pair's agreement (the same supervisee with the same supervisor),
the fields they completed in the old one are typed into the new one's fields, so that they
review their answers rather than write them again. Signatures and dates never carry
forward; a new supervisor starts from blank fields. The new agreement is stamped as docgen
made it, answers and all, so it counts as untouched until someone edits it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from .agreements import Agreement, Rendered
from .fields import fill_controls, is_signature_field, read_fields
from .fingerprint import read_parts, stamp_parts, write_parts
from .reconcile import Decision

_MAIN = "word/document.xml"


def answers_to_carry(data: bytes) -> dict[str, str]:
    """The fields completed in the agreement `data`, less signatures and dates, by name."""
    return {name: text for name, text in read_fields(data).items()
            if text and not is_signature_field(name)}  # fmt: skip


def carry_into(rendered: Rendered, answers: dict[str, str]) -> tuple[Rendered, list[str]]:
    """`rendered` with `answers` typed into its blank fields of the same names, stamped again.

    Also the names of the fields that took an answer (none: `rendered` as it was).
    """
    parts = read_parts(rendered.data)
    if _MAIN not in parts:
        return rendered, []
    xml, filled = fill_controls(parts[_MAIN], answers)
    if not filled:
        return rendered, []
    parts[_MAIN] = xml
    content = stamp_parts(parts, rendered.stamp)
    stamp = dataclasses.replace(rendered.stamp, content=content)
    return Rendered(write_parts(parts), stamp), filled


@dataclass(frozen=True)
class Carried:
    """Answers carried from one agreement into its successor."""

    previous: str  # the old agreement's file, relative to the folder
    agreement: str  # the new agreement's file, relative to the folder
    fields: tuple[str, ...]


@dataclass
class AnswerCarrier:
    """Carries each pair's answers into the agreement that replaces theirs in `folder`.

    Called with each agreement as it is rendered, before the old one moves to
    ``superseded/``; `carried` lists what it did.
    """

    folder: Path
    carried: list[Carried] = field(default_factory=list)

    def __call__(self, decision: Decision, agreement: Agreement, rendered: Rendered) -> Rendered:
        """The agreement to write for `decision`: `rendered`, with the pair's answers if any."""
        old = decision.existing
        if decision.action != "replaced" or old is None or old.stamp is None:
            return rendered
        same_person = old.stamp.person == agreement.wanted.person
        same_supervisor = old.stamp.pair.rsplit("-", 1)[-1] == agreement.wanted.supervisor
        if not (same_person and same_supervisor):
            return rendered  # a new supervisor starts from blank fields
        try:
            answers = answers_to_carry((self.folder / old.name).read_bytes())
        except Exception:  # noqa: BLE001 - an old agreement that will not read gives no answers
            return rendered
        if not answers:
            return rendered
        carried, filled = carry_into(rendered, answers)
        if filled:
            self.carried.append(Carried(old.name, decision.target, tuple(filled)))
        return carried
