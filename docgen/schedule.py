"""A pair's supervision meetings for the agreement's 12 months. Pure: dates in, dates out.

How the dates are chosen (the README's "The meeting schedule" says the same for users):

* The agreement runs from its start to the day before its review (12 months on). Meetings
  follow the policy's minimum frequency for the person on each date (for newly qualified
  staff it changes as they pass each phase), or the roster's more frequent `Frequency`.
* Weekly-type frequencies step by whole weeks from the first meeting, so the weekday stays
  the same; with no meeting day and a start on a weekend, the first working weekday after it.
* Monthly from the start: one meeting in each of 12 calendar months, beginning with the
  start's month (or the next month, when no day of the start's month can hold one), on the
  meeting day's weekday of the month ("1st Thursday", "last Friday") or, with no meeting
  day, the start's day of the month. Where that day falls before the start, the meeting is
  due on the first such weekday from the start in that month, else on the start itself;
  where it falls on or after the review, on the last such weekday before it, else the day
  before the review.
* No meeting is on a weekend, a bank holiday of the pair's nation, a closure day or the
  supervisor's leave. A meeting that cannot be held when due moves to the next working day
  up to `TOLERANCE_DAYS` later (a monthly one staying in its month, and never so late that
  the gap since the meeting before passes `gap_limit_days`), else the working day up to
  `TOLERANCE_DAYS` before. Failing both, it goes to the working day between the meeting
  before and the next one due that keeps both gaps nearest the frequency's interval (the
  later day when two are as near); a monthly meeting may then leave its month, and the
  schedule names the month.
* Every gap longer than `gap_limit_days` (the interval plus `TOLERANCE_DAYS` for weekly
  types; 6 weeks for monthly), and every meeting that cannot be held, is a sentence in
  `notes`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from importlib.metadata import version

import holidays
from dateutil.relativedelta import relativedelta

from .policy import Frequency, Policy
from .values import DayPattern

TOLERANCE_DAYS = 3
_SUBDIVISIONS = {"England": "ENG", "Wales": "WLS", "Scotland": "SCT", "Northern Ireland": "NIR"}
_DAY = timedelta(days=1)


@functools.cache  # asked for each agreement; the installed package does not change
def holidays_version() -> str:
    """The installed `holidays` package's version: which bank holiday data a run used."""
    return version("holidays")


@dataclass(frozen=True)
class Leave:
    """A supervisor's leave, from `start` to `end` inclusive."""

    start: date
    end: date

    def covers(self, day: date) -> bool:
        """Whether `day` falls within the leave."""
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Meeting:
    """One meeting.

    `due` is the day the plan put it on; `place` names that place in the plan ("2026-03" for
    a monthly meeting's month, "2026-03-03" for a weekly-type meeting's week), so it stays
    the same when leave moves the meeting.
    """

    day: date
    frequency: Frequency
    moved_from: date | None = None
    moved_because: str = ""
    due: date | None = None
    place: str = ""


@dataclass(frozen=True)
class Schedule:
    """The meetings planned, and `monthly_day`.

    `monthly_day` is the weekday and its place in the month that monthly meetings keep (a
    plain weekday takes its place from the first of them), or None when they keep a day of
    the month or none are monthly.
    """

    meetings: tuple[Meeting, ...]
    start: date
    review: date
    notes: tuple[str, ...] = ()
    monthly_day: DayPattern | None = None


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


@functools.lru_cache(maxsize=4096)  # a run writes the same few hundred dates thousands of times
def long_date(day: date) -> str:
    """`Tuesday 3 March 2026`, the way dates are written in schedule tables."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def gap_limit_days(frequency: Frequency) -> int:
    """The longest gap before a meeting that needs no note.

    A weekly-type interval plus `TOLERANCE_DAYS`; 6 weeks for monthly (10 for every 2 months,
    14 for quarterly).
    """
    if frequency.unit == "week":
        return frequency.count * 7 + TOLERANCE_DAYS
    return (4 * frequency.count + 2) * 7


@functools.lru_cache(maxsize=64)
def bank_holidays(nation: str, year: int) -> dict[date, str]:
    """The bank holidays of `nation` in `year` as the `holidays` package lists them."""
    found = holidays.country_holidays("GB", subdiv=_SUBDIVISIONS[nation], years=year)
    return {day: str(name) for day, name in found.items()}


def why_not_working(
    day: date, nation: str, policy: Policy, leave: Sequence[Leave] = ()
) -> str | None:
    """Why no meeting can be held on `day`, or None when it is a working day."""
    if day.weekday() >= 5:
        return f"a {day:%A}"
    holiday = policy.holiday_added(day, nation)
    if holiday is None and not policy.holiday_removed(day, nation):
        holiday = bank_holidays(nation, day.year).get(day)
    if holiday:
        return f"{holiday}, a bank holiday in {nation}"
    closure = policy.is_closed(day)
    if closure:
        return closure
    if any(period.covers(day) for period in leave):
        return "the supervisor's leave"
    return None


@dataclass(frozen=True)
class _Slot:
    """A meeting as planned, due on `due`.

    `month` for a monthly one, and `edge` when it must stay in its month because the
    agreement starts or ends inside that month.
    """

    due: date
    frequency: Frequency
    place: str
    month: bool
    edge: bool = False
    day_pattern: DayPattern | None = None  # for a monthly one, the weekday of the month kept


def plan_meetings(request: ScheduleRequest) -> Schedule:
    """The meetings from `request.start` to the day before the review date."""
    review = request.start + relativedelta(months=request.policy.review_after_months)
    last = review - _DAY

    @functools.cache
    def blocked(day: date) -> str | None:
        return why_not_working(day, request.nation, request.policy, request.leave)

    slots = list(_slots(request, last, blocked))
    meetings: list[Meeting] = []
    notes: list[str] = []
    for index, slot in enumerate(slots):
        previous = meetings[-1].day if meetings else None
        following = slots[index + 1].due if index + 1 < len(slots) else None
        day = _place(slot, previous, following, blocked, request.start, last)
        reason = blocked(slot.due)
        if day is None:
            notes.append(_not_held(slot, reason, last))
            continue
        if slot.month and (day.year, day.month) != (slot.due.year, slot.due.month):
            notes.append(_out_of_month(slot, day, reason, blocked, request.start, last))
        since = previous or request.start
        limit = gap_limit_days(slot.frequency)
        if (day - since).days > limit:
            notes.append(_gap_note(since, previous is None, day, slot, limit, reason))
        moved = day != slot.due and not slot.edge
        meetings.append(Meeting(day, slot.frequency, slot.due if moved else None,
                                (reason or "") if moved else "", slot.due, slot.place))  # fmt: skip
    monthly_day = next((slot.day_pattern for slot in slots if slot.day_pattern), None)
    return Schedule(tuple(meetings), request.start, review, tuple(notes), monthly_day)


def _out_of_month(
    slot: _Slot,
    day: date,
    reason: str | None,
    blocked: Callable[[date], str | None],
    start: date,
    last: date,
) -> str:
    month = f"{slot.due:%B %Y}"
    days = _days(max(slot.due.replace(day=1), start), min(slot.due + relativedelta(day=31), last))
    because = f" ({reason})" if reason else ""
    if all(blocked(d) is not None for d in days):
        return (f"No working day could be found in {month} for its meeting{because}, so it "
                f"is held on {long_date(day)}.")  # fmt: skip
    return (f"The {month} meeting, due on {long_date(slot.due)}{because}, is held on "
            f"{long_date(day)}: the free days left in {month} would have put more than "
            f"{gap_limit_days(slot.frequency)} days between meetings.")  # fmt: skip


def _not_held(slot: _Slot, reason: str | None, last: date) -> str:
    if slot.month:
        why = f" ({reason})" if reason else ""
        if slot.due > last:
            why = f": the agreement is reviewed on {long_date(last + _DAY)}"
        return (f"{slot.due:%B %Y} has no meeting{why}, and no other working day was free "
                "between the meetings either side; arrange it with another manager.")  # fmt: skip
    return (f"No working day could be found for the meeting due on {long_date(slot.due)}"
            f"{f' ({reason})' if reason else ''}, so it is not in the table; arrange it with "
            "another manager.")  # fmt: skip


def _gap_note(
    since: date, from_start: bool, day: date, slot: _Slot, limit: int, reason: str | None
) -> str:
    what = "the agreement's start" if from_start else "the meeting on"
    text = (f"There are {(day - since).days} days between {what} {long_date(since)} and the "
            f"meeting on {long_date(day)}, more than the {limit} days allowed between "
            f"{slot.frequency.words} meetings")  # fmt: skip
    if day != slot.due and reason:
        text += f": the meeting was due on {long_date(slot.due)} ({reason})"
    return text + "."


def _place(
    slot: _Slot,
    previous: date | None,
    following: date | None,
    blocked: Callable[[date], str | None],
    start: date,
    last: date,
) -> date | None:
    """The day a meeting planned as `slot` is held, or None when no day can be found.

    It is never on or before the `previous` meeting, before the `start` nor after `last`
    (the day before the review), and never on or after the next meeting `following`.
    """
    low = max(previous + _DAY, start) if previous else start
    high = min(following - _DAY, last) if following else last
    if slot.month:
        month_low = max(low, slot.due.replace(day=1))
        month_high = min(high, slot.due + relativedelta(day=31))
    else:
        month_low, month_high = low, high

    def free(day: date, lowest: date, highest: date) -> bool:
        return lowest <= day <= highest and blocked(day) is None

    if free(slot.due, month_low, month_high):
        return slot.due
    limit = gap_limit_days(slot.frequency)
    # Later first, but not so much later that the gap since the meeting before is too long.
    latest = min(month_high, previous + timedelta(days=limit)) if previous else month_high
    for offset in (*range(1, TOLERANCE_DAYS + 1), *range(-1, -TOLERANCE_DAYS - 1, -1)):
        day = slot.due + timedelta(days=offset)
        if free(day, month_low, latest if offset > 0 else month_high):
            return day
    if slot.edge:
        low, high = month_low, month_high
    interval = round(slot.frequency.approx_days)

    def cost(day: date) -> tuple[int, int, int]:
        before = abs((day - previous).days - interval) if previous else 0
        after = abs((following - day).days - interval) if following else 0
        # Ties go to the day nearer the one it was due, then to the later day.
        return max(before, after), abs((day - slot.due).days), -day.toordinal()

    candidates = [day for day in _days(low, high) if blocked(day) is None]
    if slot.month:
        # A monthly meeting stays in its month while that keeps both gaps within the limit.
        in_month = [day for day in candidates if month_low <= day <= month_high
                    and (previous is None or (day - previous).days <= limit)
                    and (following is None or (following - day).days <= limit)]  # fmt: skip
        candidates = in_month or candidates
    return min(candidates, key=cost, default=None)


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += _DAY


def _frequency_on(request: ScheduleRequest, day: date) -> Frequency:
    if request.override is not None:
        return request.override
    return request.policy.frequency_on(day, request.role_frequency, request.started_in_post)


def _slots(
    request: ScheduleRequest, last: date, blocked: Callable[[date], str | None]
) -> Iterator[_Slot]:
    """The meetings as planned, before any is moved off a day that cannot be used."""
    pattern = request.day_pattern
    day = request.start
    if pattern is None and day.weekday() >= 5:
        # Weekly-type meetings keep the weekday they start on: start on a working weekday,
        # not on a weekend every meeting would have to be moved from.
        # Leave does not count here: it moves single meetings, not the weekday they keep.
        day = next((d for d in _days(day, day + timedelta(days=30))
                    if why_not_working(d, request.nation, request.policy) is None),
                   day)  # fmt: skip
        if _frequency_on(request, request.start).unit == "month":
            day = request.start  # monthly meetings keep the start's day of the month
    previous: date | None = None
    while day <= last:
        frequency = _frequency_on(request, day)
        if frequency.unit == "week":
            if pattern is not None:
                day += timedelta(days=(pattern.weekday - day.weekday()) % 7)
            if day > last:
                return
            yield _Slot(day, frequency, day.isoformat(), month=False)
            previous = day
            day += timedelta(weeks=frequency.count)
            continue
        if previous is None:
            yield from _monthly_from_start(request, frequency, last, blocked)
            return
        # After weekly-type meetings: the first meeting day of the pattern from the next
        # step (from a week after the last meeting, for "2nd Tuesday"-type days, so the
        # gap stays about a month).
        begin = previous + timedelta(weeks=1) if pattern and pattern.ordinal else day
        rule = _MonthlyRule.starting(begin, pattern)
        due = rule.first
        while due <= last:
            yield _Slot(due, frequency, f"{due:%Y-%m}", month=True, day_pattern=rule.pattern)
            due = rule.on(due + relativedelta(day=1, months=frequency.count))
            if due <= last and _frequency_on(request, due).unit == "week":
                day, previous = due, due - timedelta(weeks=1)
                break
        else:
            return


def _monthly_from_start(
    request: ScheduleRequest,
    frequency: Frequency,
    last: date,
    blocked: Callable[[date], str | None],
) -> Iterator[_Slot]:
    """One meeting in each calendar month of the agreement (12, for a 12-month review).

    From the start's month; see the module's docstring for the first and last months.
    """
    start, pattern = request.start, request.day_pattern
    first_month = start.replace(day=1)
    month_end = start + relativedelta(day=31)
    if all(blocked(day) is not None for day in _days(start, month_end)):
        first_month += relativedelta(months=1)  # nothing left in the start's month
    rule = _MonthlyRule.for_agreement(start, pattern)
    for number in range(0, request.policy.review_after_months, frequency.count):
        month = first_month + relativedelta(months=number)
        due = rule.on(month)
        edge = False
        if due < start:
            due = _first_weekday_from(start, pattern) if pattern else start
            edge = True
        elif due > last:
            due = _last_weekday_to(last, pattern) if pattern else last
            edge = True
        if due < month:  # the review falls so early in the month that no day is left
            due, edge = month, True
        yield _Slot(
            due, frequency, f"{month:%Y-%m}", month=True, edge=edge, day_pattern=rule.pattern
        )


def _first_weekday_from(day: date, pattern: DayPattern) -> date:
    """The pattern's weekday on or after `day` in its month, else `day` itself."""
    found = day + timedelta(days=(pattern.weekday - day.weekday()) % 7)
    return found if found.month == day.month else day


def _last_weekday_to(day: date, pattern: DayPattern) -> date:
    """The pattern's weekday on or before `day` in its month, else `day` itself."""
    found = day - timedelta(days=(day.weekday() - pattern.weekday) % 7)
    return found if found.month == day.month else day


@dataclass(frozen=True)
class _MonthlyRule:
    """Where a monthly meeting falls in any month: an nth (or last) weekday, or a day number."""

    first: date
    weekday: int | None
    ordinal: int | None  # 1-4, or -1 for the last
    day_of_month: int

    @classmethod
    def starting(cls, candidate: date, pattern: DayPattern | None) -> _MonthlyRule:
        """The rule, and its first date on or after `candidate`."""
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
        return cls(first, pattern.weekday, _ordinal_of(first), first.day)

    @classmethod
    def for_agreement(cls, start: date, pattern: DayPattern | None) -> _MonthlyRule:
        """The rule for an agreement that is monthly from `start`.

        A plain weekday keeps the place in the month of its first date in the start's month
        (or of the start, when that weekday does not come again in the start's month).
        """
        if pattern is not None and pattern.ordinal is None:
            first = start + timedelta(days=(pattern.weekday - start.weekday()) % 7)
            ordinal = _ordinal_of(first if first.month == start.month else start)
            return cls(first, pattern.weekday, ordinal, first.day)
        return cls.starting(start, pattern)

    @property
    def pattern(self) -> DayPattern | None:
        """The weekday of the month this rule keeps, or None for a day of the month."""
        if self.weekday is None or self.ordinal is None:
            return None
        return DayPattern(self.weekday, self.ordinal)

    def on(self, month: date) -> date:
        """This rule's date in the month of `month`."""
        if self.weekday is None or self.ordinal is None:
            return month.replace(day=min(self.day_of_month, _month_end(month)))
        return _nth_weekday(month.year, month.month, self.weekday, self.ordinal)


def _ordinal_of(day: date) -> int:
    ordinal = (day.day - 1) // 7 + 1
    return -1 if ordinal == 5 else ordinal


def _month_end(day: date) -> int:
    return (day + relativedelta(day=31)).day


def _nth_weekday(year: int, month: int, weekday: int, ordinal: int) -> date:
    if ordinal == -1:
        last = date(year, month, 1) + relativedelta(day=31)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (ordinal - 1))
