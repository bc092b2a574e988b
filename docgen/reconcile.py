"""What a run does with each agreement, given what the output folder already holds.

Pure: it takes the agreements a roster asks for and what each document in the folder says
about itself (`Existing`), and returns decisions; the writer carries them out. The rules:

- A pair with no agreement in the folder gets one (*made*).
- An agreement made from exactly the same inputs is left alone (*up to date*), whether or
  not someone has edited it since.
- An agreement whose inputs changed is replaced: the old one goes to ``superseded/`` under a
  dated name, never deleted. If someone edited the old one in Word, it is left where it is
  and reported, unless the run was asked to replace edited agreements (``refresh`` always
  replaces: a new year's agreement supersedes last year's signed one).
- Agreements whose supervisee is no longer on the roster are reported and kept.
- A file docgen did not make is never overwritten: the new agreement takes another name.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from .fingerprint import Stamp

SUPERSEDED_DIR = "superseded"

Action = Literal["made", "replaced", "up to date", "edited", "edited, not replaced", "left"]


def short_key(text: str) -> str:
    """A short stable key for a folded name or Staff ID.

    Names can be longer than a document property holds.
    """
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def pair_key(person_key: str, supervisor_key: str) -> str:
    """The key of a supervisee and supervisor pair."""
    return f"{person_key}-{supervisor_key}"


@dataclass(frozen=True, slots=True)
class Existing:
    """A .docx found in the output folder (`name` is relative to it, with ``/``)."""

    name: str
    stamp: Stamp | None  # None: not made by docgen (or unreadable)
    untouched: bool  # exactly as docgen wrote it
    damaged: bool = False  # not a readable Word file (a write cut short by a power cut)

    @property
    def superseded(self) -> bool:
        """Whether the agreement was moved to ``superseded/``."""
        return self.name.startswith(SUPERSEDED_DIR + "/")


@dataclass(frozen=True, slots=True)
class Wanted:
    """What the reconciler needs to know of one agreement the roster asks for."""

    person: str  # short_key of the supervisee's Staff ID or folded name
    supervisor: str  # short_key of the supervisor's folded name
    start: date
    input: str  # the input fingerprint
    file_name: str  # where it goes if it is made


@dataclass(frozen=True, slots=True)
class Match:
    """The current agreement a wanted one is paired with, if any."""

    existing: Existing | None
    same_supervisor: bool = True


@dataclass(frozen=True, slots=True)
class Decision:
    """What to do about one wanted agreement, or about an agreement nobody wants."""

    action: Action
    index: int | None  # which wanted agreement (None for one that left the roster)
    existing: Existing | None
    reason: str
    target: str = ""  # the file name to write, for "made" and "replaced"
    displaces: Existing | None = None  # a damaged file in the way, moved aside first


def match_existing(
    wanted: Sequence[Wanted], existing: Sequence[Existing]
) -> tuple[list[Match], list[Existing]]:
    """Pair each wanted agreement with the current agreement (not superseded) for its person.

    First the same supervisor and start, then the same supervisor, then anyone's. Returns a
    match per wanted agreement and the current agreements nobody wanted.
    """
    free = [e for e in existing if e.stamp is not None and not e.superseded]
    # The newest first: if one person has two agreements in force, the latest is theirs.
    # Stamps hold the local time the agreement was made, without a zone, as the floor does.
    floor = datetime.min  # noqa: DTZ901
    free.sort(key=lambda e: (e.stamp.made if e.stamp and e.stamp.made else floor, e.name),
              reverse=True)  # fmt: skip
    matches: list[Match | None] = [None] * len(wanted)
    tiers: tuple[Callable[[Wanted, _Keys], bool], ...] = (
        lambda w, s: s.person == w.person and s.supervisor_key == w.supervisor
        and s.start == w.start,
        lambda w, s: s.person == w.person and s.supervisor_key == w.supervisor,
        lambda w, s: s.person == w.person,
    )  # fmt: skip
    for tier, fits in enumerate(tiers):
        for index, item in enumerate(wanted):
            if matches[index] is not None:
                continue
            for candidate in free:
                stamp = candidate.stamp  # never None in `free`
                if stamp is not None and fits(item, _Keys(stamp)):
                    matches[index] = Match(candidate, same_supervisor=tier < 2)
                    free.remove(candidate)
                    break
    unmatched = Match(None)  # one for all: a roster of new pairs holds thousands
    return [m or unmatched for m in matches], free


@dataclass(frozen=True)
class _Keys:
    stamp: Stamp

    @property
    def person(self) -> str:
        return self.stamp.person

    @property
    def supervisor_key(self) -> str:
        return self.stamp.pair.rsplit("-", 1)[-1]

    @property
    def start(self) -> date | None:
        return self.stamp.start


def refresh_start(
    match: Match, roster_start: date, today: date, within_days: int
) -> tuple[date, str]:
    """When the new agreement for a pair starts under ``refresh``, and why a new one is due.

    The reason is "" when none is due. A review due within `within_days` (or passed) starts
    the next 12 months at the review date, or today if that has passed; a new supervisor
    starts today, unless the roster gives a later start.
    """
    existing = match.existing
    if existing is None or existing.stamp is None:
        return roster_start, "new on the roster"
    stamp = existing.stamp
    if stamp.start is not None and roster_start > stamp.start:
        return roster_start, f"the roster gives a new start date, {roster_start:%d/%m/%Y}"
    if not match.same_supervisor:
        return today, f"the supervisor changed from {stamp.supervisor}"
    if stamp.review is not None and stamp.review <= today + timedelta(days=within_days):
        if stamp.review < today:
            return today, f"the review was due on {stamp.review:%d/%m/%Y}"
        return stamp.review, f"the review is due on {stamp.review:%d/%m/%Y}"
    # Nothing due: the agreement in force keeps its start (an earlier refresh may have moved
    # it past the roster's), so only a real change in the roster makes a new one.
    return stamp.start or roster_start, ""


def decide(
    wanted: Sequence[Wanted],
    matches: Sequence[Match],
    leftovers: Sequence[Existing],
    existing: Sequence[Existing],
    *,
    replace_edited: bool = False,
    reasons: Sequence[str] = (),
) -> list[Decision]:
    """One decision per wanted agreement, then one per agreement that left the roster.

    `reasons` (from ``refresh``) says why a new agreement is due for each wanted one; an
    agreement with a reason is replaced even if it was edited, and one without a reason and
    with unchanged inputs is left as it is.
    """
    decisions: list[Decision] = []
    for index, (item, match) in enumerate(zip(wanted, matches, strict=True)):
        reason = reasons[index] if reasons else ""
        due = bool(reason)  # refresh found a new agreement due, whatever was edited
        old = match.existing
        if old is None or old.stamp is None:
            decisions.append(Decision("made", index, None, reason or "new on the roster"))
            continue
        if not reason and old.stamp.input == item.input:
            action: Action = "up to date" if old.untouched else "edited"
            decisions.append(Decision(action, index, old, ""))
            continue
        if not reason:
            reason = (
                what_changed(old.stamp.input, item.input)
                if match.same_supervisor
                else f"the supervisor changed from {old.stamp.supervisor}"
            )
        if old.untouched or replace_edited or due:
            decisions.append(Decision("replaced", index, old, reason))
        else:
            decisions.append(Decision("edited, not replaced", index, old, reason))
    decisions.extend(Decision("left", None, old, "no longer on the roster") for old in leftovers)
    return _with_targets(decisions, wanted, existing)


_CHANGES = {
    "roster": "the roster row changed",
    "layout": "the layout or its policy changed",
    "dates": "the meeting dates changed (bank holidays)",
}


def what_changed(before: str, after: str) -> str:
    """Which of an agreement's inputs differ, in words, from two input fingerprints."""
    old = dict(part.split(":", 1) for part in before.split() if ":" in part)
    new = dict(part.split(":", 1) for part in after.split() if ":" in part)
    changed = [words for name, words in _CHANGES.items() if old.get(name) != new.get(name)]
    if not old or not changed:  # made by a docgen that did not keep the parts apart
        return _CHANGES["roster"]
    if changed[-1] == _CHANGES["dates"] and len(changed) > 1:
        changed.pop()  # dates follow from the roster or the policy; that is the reason
    return " and ".join(changed)


def _with_targets(
    decisions: list[Decision], wanted: Sequence[Wanted], existing: Sequence[Existing]
) -> list[Decision]:
    """Give each agreement to be written a file name no other file keeps.

    A name held by a file that stays (not docgen's, edited, or another pair's) gets
    `` (2)``, `` (3)``...
    """
    moving = {d.existing.name for d in decisions if d.action == "replaced" and d.existing}
    damaged = {e.name.casefold(): e for e in existing if e.damaged and not e.superseded}
    taken = {e.name.casefold() for e in existing
             if not e.superseded and e.name not in moving and not e.damaged}  # fmt: skip
    result = []
    for decision in decisions:
        if decision.action in ("made", "replaced") and decision.index is not None:
            name = wanted[decision.index].file_name
            stem, dot, suffix = name.rpartition(".")
            counter = 2
            while name.casefold() in taken:
                name = f"{stem} ({counter}){dot}{suffix}"
                counter += 1
            taken.add(name.casefold())
            decision = Decision(decision.action, decision.index, decision.existing,
                                decision.reason, name,
                                damaged.pop(name.casefold(), None))  # fmt: skip
        result.append(decision)
    return result
