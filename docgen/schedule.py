"""A pair's supervision meetings for the agreement's 12 months. Pure: dates in, dates out.

How the dates are chosen (the README says the same for users):

* Meetings follow the policy's minimum frequency for the person on each date (for newly
  qualified staff it changes as they pass 6 weeks and 12 months in post), or the roster's
  more frequent `Frequency`.
* Weekly-type frequencies (weekly, fortnightly, every 4 weeks...) step from the first meeting
  by whole weeks, so the weekday stays the same. Monthly-type ones give one meeting in each
  calendar month, on the same weekday of the month ("1st Tuesday", "last Friday") or, with no
  meeting day, on the same date as the start.
* No meeting falls on a weekend, a bank holiday of the pair's nation, an organisation closure
  day or a day of the supervisor's leave. A monthly meeting moves to the next working day in
  its month, else the one before. A weekly-type meeting moves forward up to `TOLERANCE_DAYS`
  days, else back; so no gap is longer than the interval plus `TOLERANCE_DAYS`. Where no day
  keeps to that, the schedule says so in `notes`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import holidays
from dateutil.relativedelta import relativedelta

from .policy import Frequency, Policy
from .values import DayPattern

TOLERANCE_DAYS = 3
_SUBDIVISIONS = {"England": "ENG", "Wales": "WLS", "Scotland": "SCT", "Northern Ireland": "NIR"}


@dataclass(frozen=True)
class Leave:
    start: date
    end: date

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Meeting:
    day: date
    frequency: Frequency
    moved_from: date | None = None
    moved_because: str = ""


@dataclass(frozen=True)
class Schedule:
    meetings: tuple[Meeting, ...]
    start: date
    review: date
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScheduleRequest:
    """What the schedule depends on. `started_in_post` is set only for newly qualified staff."""

    start: date
    policy: Policy
    role_frequency: Frequency
    nation: str = "England"
    day_pattern: DayPattern | None = None
    override: Frequency | None = None
    started_in_post: date | None = None
    leave: tuple[Leave, ...] = ()


def long_date(day: date) -> str:
    """`Tuesday 3 March 2026`, the way dates are written in schedule tables."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def prose_date(day: date) -> str:
    """`3 March 2026`, the way dates are written in running text."""
    return f"{day.day} {day:%B %Y}"


@functools.lru_cache(maxsize=64)
def bank_holidays(nation: str, year: int) -> dict[date, str]:
    """The bank holidays of `nation` in `year` (England and Wales differ only in name)."""
    found = holidays.country_holidays("GB", subdiv=_SUBDIVISIONS[nation], years=year)
    return {day: str(name) for day, name in found.items()}


def why_not_working(
    day: date, nation: str, policy: Policy, leave: Sequence[Leave] = ()
) -> str | None:
    """Why no meeting can be held on `day`, or None when it is a working day."""
    if day.weekday() >= 5:
        return f"a {day:%A}"
    holiday = bank_holidays(nation, day.year).get(day)
    if holiday:
        return f"{holiday}, a bank holiday in {nation}"
    closure = policy.is_closed(day)
    if closure:
        return closure
    if any(period.covers(day) for period in leave):
        return "the supervisor's leave"
    return None


def plan_meetings(request: ScheduleRequest) -> Schedule:
    """The meetings for the 12 months (the policy's review period) from `request.start`."""
    review = request.start + relativedelta(months=request.policy.review_after_months)

    def blocked(day: date) -> str | None:
        return why_not_working(day, request.nation, request.policy, request.leave)

    def place(slot: date, frequency: Frequency, previous: date | None) -> date | None:
        return _place(slot, frequency, previous, blocked, request.start, review)

    meetings: list[Meeting] = []
    notes: list[str] = []
    for slot, frequency in _nominal_slots(request, review, place):
        previous = meetings[-1].day if meetings else None
        day = place(slot, frequency, previous)
        if day is None:
            notes.append(
                f"No working day could be found for the meeting due on {long_date(slot)} "
                f"({blocked(slot)}); arrange it with another manager."
            )
            continue
        if previous is not None and frequency.unit == "week":
            if (day - previous).days > frequency.count * 7 + TOLERANCE_DAYS:
                notes.append(
                    f"The meeting due on {long_date(slot)} ({blocked(slot)}) could only be held "
                    f"on {long_date(day)}, {(day - previous).days} days after the one before."
                )
        reason = blocked(slot) if day != slot else ""
        meetings.append(Meeting(day, frequency, slot if day != slot else None, reason or ""))
    return Schedule(tuple(meetings), request.start, review, tuple(notes))


def _place(
    slot: date,
    frequency: Frequency,
    previous: date | None,
    blocked: Callable[[date], str | None],
    not_before: date,
    review: date,
) -> date | None:
    """The day a meeting due on `slot` is held: `slot` if it can be, else a nearby working day
    (never before the agreement starts, `not_before`, nor on or before the `previous` one;
    weekly-type meetings also stay before the `review`)."""
    if blocked(slot) is None:
        return slot
    earliest = max(previous + timedelta(days=1), not_before) if previous else not_before
    if frequency.unit == "month":
        after = _days_between(slot, slot.replace(day=_month_end(slot)), step=1)
        before = _days_between(slot, max(slot.replace(day=1), earliest), step=-1)
        candidates = [*after, *before]
    else:
        last_day = review - timedelta(days=1)
        latest = min(slot + timedelta(days=TOLERANCE_DAYS), last_day)
        if previous is not None:
            latest = min(latest, previous + timedelta(days=frequency.count * 7 + TOLERANCE_DAYS))
        window_back = max(earliest, slot - timedelta(days=frequency.count * 7 - 1))
        further = min(slot + timedelta(days=frequency.count * 7 - 1), last_day)
        candidates = [
            *_days_between(slot, latest, step=1),
            *_days_between(slot, window_back, step=-1),
            *_days_between(latest, further, step=1),
        ]
    return next((day for day in candidates if blocked(day) is None), None)


def _days_between(slot: date, limit: date, step: int) -> Iterator[date]:
    """Days after (step 1) or before (step -1) `slot`, up to and including `limit`."""
    day = slot + timedelta(days=step)
    while (day <= limit) if step > 0 else (day >= limit):
        yield day
        day += timedelta(days=step)


def _month_end(day: date) -> int:
    return ((day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)).day


def _frequency_on(request: ScheduleRequest, day: date) -> Frequency:
    if request.override is not None:
        return request.override
    return request.policy.frequency_on(day, request.role_frequency, request.started_in_post)


def _nominal_slots(
    request: ScheduleRequest,
    review: date,
    place: Callable[[date, Frequency, date | None], date | None],
) -> Iterator[tuple[date, Frequency]]:
    """The regular cycle of meeting dates, before moving any off non-working days.

    Weekly-type cycles end at the review date. A schedule that is monthly from the start has
    one meeting in each of 12 calendar months from its first, which is the first date on or
    after the start that fits the pattern and can be held in its month.
    """
    pattern = request.day_pattern
    candidate = request.start
    monthly: _MonthlyRule | None = None
    last_month: tuple[int, int] | None = None
    started_weekly = _frequency_on(request, request.start).unit == "week"
    while True:
        frequency = _frequency_on(request, candidate)
        if frequency.unit == "week":
            monthly = None
            if pattern is not None and candidate.weekday() != pattern.weekday:
                candidate += timedelta(days=(pattern.weekday - candidate.weekday()) % 7)
            if candidate >= review:
                return
            yield candidate, frequency
            candidate += timedelta(weeks=frequency.count)
            continue
        if monthly is None:
            monthly = _MonthlyRule.starting(candidate, pattern)
            if last_month is None:  # the very first meeting: it must be holdable in its month
                while place(monthly.first, frequency, None) is None:
                    candidate = monthly.first + relativedelta(day=1, months=1)
                    monthly = _MonthlyRule.starting(candidate, pattern)
                last = monthly.first + relativedelta(months=12 - 1)
                last_month = (last.year, last.month)
            candidate = monthly.first
        if (candidate.year, candidate.month) > last_month or (
            started_weekly and candidate >= review
        ):
            return
        yield candidate, frequency
        candidate = monthly.on(candidate + relativedelta(day=1, months=frequency.count))
        if _frequency_on(request, candidate).unit == "week":
            monthly = None


@dataclass(frozen=True)
class _MonthlyRule:
    """Where a monthly meeting falls in any month: an nth (or last) weekday, or a day number."""

    first: date
    weekday: int | None
    ordinal: int | None  # 1-4, or -1 for the last
    day_of_month: int

    @classmethod
    def starting(cls, candidate: date, pattern: DayPattern | None) -> _MonthlyRule:
        if pattern is None:
            return cls(candidate, None, None, candidate.day)
        if pattern.ordinal is not None:
            first = _nth_weekday(candidate.year, candidate.month, pattern.weekday, pattern.ordinal)
            if first < candidate:
                next_month = candidate + relativedelta(day=1, months=1)
                first = _nth_weekday(next_month.year, next_month.month, pattern.weekday,
                                     pattern.ordinal)  # fmt: skip
            return cls(first, pattern.weekday, pattern.ordinal, first.day)
        first = candidate + timedelta(days=(pattern.weekday - candidate.weekday()) % 7)
        ordinal = (first.day - 1) // 7 + 1
        return cls(first, pattern.weekday, -1 if ordinal == 5 else ordinal, first.day)

    def on(self, month: date) -> date:
        """This rule's date in the month of `month`."""
        if self.weekday is None or self.ordinal is None:
            return month.replace(day=min(self.day_of_month, _month_end(month)))
        return _nth_weekday(month.year, month.month, self.weekday, self.ordinal)


def _nth_weekday(year: int, month: int, weekday: int, ordinal: int) -> date:
    if ordinal == -1:
        last = date(year, month, 1) + relativedelta(day=31)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (ordinal - 1))
