"""What has become of the agreements in an output folder: who has signed, what is filled in.

`collect` reads every agreement in a folder and its ``superseded/`` (each knows from its own
properties whose it is, and whether it was edited since docgen made it) and the fields people
completed in it; it never changes a document. `tracker.write_tracker` lays the result out
as a workbook, and `Collection.summary` says it in one sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path

from .errors import OutputError
from .fields import is_signature_field, read_fields
from .fingerprint import Stamp
from .output import scan_documents
from .values import BadValue, parse_uk_date

PARTIES = ("supervisee", "supervisor")


@dataclass(frozen=True)
class Signature:
    """One party's signature and date fields, as completed in an agreement.

    `signed` is None when the agreement has no signature field for the party (an agreement
    made before docgen's layouts had fields, or a council's layout without one); `dated` is
    None when it has no date field for them.
    """

    signed: bool | None
    dated: bool | None
    date_text: str = ""  # the date as typed
    on: date | None = None  # the date typed, when it reads as one

    @property
    def complete(self) -> bool:
        """Signed, and dated where the agreement asks for a date."""
        return bool(self.signed) and self.dated is not False


@dataclass(frozen=True)
class Tracked:
    """One agreement in the folder, with what people completed in it."""

    file: str  # relative to the folder, with /
    stamp: Stamp
    superseded: bool
    edited: bool  # changed (in Word or elsewhere) since docgen made it
    fields: Mapping[str, str]  # every field it has, by name: what was typed ("" if nothing)

    def signature(self, party: str) -> Signature:
        """The signature and date fields of `party` ("supervisee" or "supervisor")."""
        signed = self.fields.get(f"signed_{party}")
        dated = self.fields.get(f"signed_{party}_date")
        return Signature(
            None if signed is None else bool(signed),
            None if dated is None else bool(dated),
            dated or "",
            _typed_date(dated or ""),
        )

    @property
    def has_signature_fields(self) -> bool:
        """Whether the agreement has any field for a party's signature."""
        return any(f"signed_{party}" in self.fields for party in PARTIES)

    @property
    def signed_by_both(self) -> bool:
        """Both parties' signature (and date) fields completed."""
        return all(self.signature(party).complete for party in PARTIES)

    @property
    def answers(self) -> dict[str, str]:
        """The fields that are neither signatures nor dates, by name."""
        return {name: text for name, text in self.fields.items() if not is_signature_field(name)}

    def review_due(self, today: date, within_days: int) -> bool:
        """Whether its review falls from `today` to `within_days` days on."""
        review = self.stamp.review
        return review is not None and today <= review <= today + timedelta(days=within_days)

    def current(self, today: date) -> bool:
        """In force (not superseded) and not past its review date."""
        review = self.stamp.review
        return not self.superseded and (review is None or review >= today)


@dataclass(frozen=True)
class Collection:
    """Every agreement found in a folder, read on `today`."""

    folder: Path
    today: date
    within_days: int
    agreements: tuple[Tracked, ...]
    not_agreements: tuple[str, ...] = field(default=())  # .docx files docgen did not make
    tracker: Path | None = None  # where the tracker workbook was written

    @property
    def in_force(self) -> list[Tracked]:
        """The agreements not moved to ``superseded/``, by supervisee and supervisor."""
        return _ordered(a for a in self.agreements if not a.superseded)

    @property
    def superseded(self) -> list[Tracked]:
        """The agreements a newer one replaced."""
        return _ordered(a for a in self.agreements if a.superseded)

    @property
    def reviews_due(self) -> list[Tracked]:
        """Agreements in force whose review is due within `within_days` days."""
        return [a for a in self.in_force if a.review_due(self.today, self.within_days)]

    @property
    def without_current(self) -> list[str]:
        """The supervisees with no current agreement, by name as their latest agreement has it.

        Every agreement of theirs has passed its review, or was superseded with nothing in
        force after it.
        """
        latest: dict[str, Tracked] = {}
        current: set[str] = set()
        for agreement in self.agreements:
            person = agreement.stamp.person or agreement.stamp.supervisee
            if agreement.current(self.today):
                current.add(person)
            made = agreement.stamp.made
            known = latest.get(person)
            if known is None or (made and known.stamp.made and made > known.stamp.made):
                latest[person] = agreement
        names = [a.stamp.supervisee for person, a in latest.items() if person not in current]
        return sorted(names, key=str.casefold)

    def summary(self) -> str:
        """One sentence: how many are signed, how many reviews are due, who has nothing."""
        in_force = self.in_force
        signed = sum(a.signed_by_both for a in in_force)
        due = len(self.reviews_due)
        nobody = len(self.without_current)
        return (
            f"{signed} of {len(in_force)} signed by both; "
            f"{due} review{'s' * (due != 1)} due within {self.within_days} "
            f"day{'s' * (self.within_days != 1)}; "
            f"{nobody} {'person has' if nobody == 1 else 'people have'} no current agreement"
        )


def collect(
    folder: Path,
    tracker: Path | None = None,
    *,
    today: date | None = None,
    within_days: int = 30,
) -> Collection:
    """Read every agreement in `folder` and write the tracker workbook; change no agreement.

    The tracker goes to `tracker`, by default ``tracker.xlsx`` in `folder`. `today`
    (default: the computer's date) is when reviews are judged due, within `within_days`
    days, or passed.
    """
    from .tracker import TRACKER_NAME, write_tracker

    folder = Path(folder)
    if not folder.is_dir():
        raise OutputError(f"the folder {folder} does not exist")
    today = today or datetime.now().date()  # noqa: DTZ005 - the date where staff are
    collection = read_folder(folder, today, within_days)
    if not collection.agreements:
        raise OutputError(
            f"{folder} holds no agreements made by docgen (nor does its superseded folder); "
            "give the folder that docgen generate or refresh wrote into"
        )
    path = write_tracker(collection, Path(tracker) if tracker else folder / TRACKER_NAME)
    return replace(collection, tracker=path)


def read_folder(folder: Path, today: date, within_days: int = 30) -> Collection:
    """Every agreement in `folder` and its ``superseded/``, read but never changed.

    `today` is when reviews are judged due (within `within_days` days) or passed.
    """
    agreements: list[Tracked] = []
    others: list[str] = []
    for existing in scan_documents(folder):
        if existing.stamp is None:
            others.append(existing.name)
            continue
        try:
            fields = read_fields((folder / existing.name).read_bytes())
        except Exception:  # noqa: BLE001 - a file that will not read has no fields to show
            fields = {}
        agreements.append(Tracked(existing.name, existing.stamp, existing.superseded,
                                  not existing.untouched, fields))  # fmt: skip
    return Collection(folder, today, within_days, tuple(agreements), tuple(others))


def _ordered(agreements: Iterable[Tracked]) -> list[Tracked]:
    return sorted(agreements, key=lambda a: (a.stamp.supervisee.casefold(),
                                        a.stamp.supervisor.casefold(),
                                        a.stamp.start or date.min, a.file))  # fmt: skip


_SHORT_YEAR = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2})")


def _typed_date(text: str) -> date | None:
    """The date someone typed in a date field (dd/mm/yyyy, 3/3/26, 3 March 2026), if it is one."""
    text = text.strip()
    if not text:
        return None
    if match := _SHORT_YEAR.fullmatch(text):
        text = f"{match.group(1)}/{match.group(2)}/20{match.group(3)}"
    try:
        return parse_uk_date(text)
    except BadValue:
        return None
