"""Survey metrics and portfolio KPIs over many cases.

Survey metrics use the standard definitions: NPS is the percentage of promoters (9-10) minus
the percentage of detractors (0-6) of a 0-10 answer; CSAT is the percentage answering 4 or 5
on a 1-5 scale; CES 2.0 is the mean of a 1-7 agreement scale. Missing answers (None) are
never silently dropped: every result says how many there were, and rates are over the answers
given. Percentages are `Decimal` values rounded to one decimal place.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import attrs

from recoverykit import _arguments as a
from recoverykit import _validation as v
from recoverykit.calendars import BusinessCalendar
from recoverykit.case import Case
from recoverykit.clocks import Clock, ClockState, ClockStatus, evaluate_clocks
from recoverykit.errors import InvalidType, ValidationError
from recoverykit.model import FollowUpPurpose, RemedyStatus, Survey
from recoverykit.scoring import DEFAULT_RULESET, Band, LoyaltyAssessment, RuleSet, score

__all__ = [
    "CalibrationRow",
    "CesResult",
    "ClockRate",
    "CsatResult",
    "DimensionSummary",
    "NpsResult",
    "PortfolioReport",
    "calibrate",
    "ces",
    "csat",
    "dimensions",
    "nps",
    "portfolio",
]

_TENTH = Decimal("0.1")


def _pct(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(_TENTH, rounding=ROUND_HALF_EVEN)


def _answers(scores: Iterable[int | None], low: int, high: int, name: str) -> tuple[list[int], int]:
    given: list[int] = []
    missing = 0
    for i, answer in enumerate(a.iterate(scores, name, f"answers {low}..{high} or None")):
        if answer is None:
            missing += 1
        elif isinstance(answer, bool) or not isinstance(answer, int):
            raise InvalidType(
                f"{name}[{i}]", f"expected an int {low}..{high} or None, got {v.type_name(answer)}"
            )
        elif not low <= answer <= high:
            raise ValidationError(
                f"{name}[{i}]", f"{answer} is out of range, allowed {low}..{high}"
            )
        else:
            given.append(answer)
    return given, missing


def _percent(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    a.optional(value, Decimal, v.path_of(instance, attribute))


@attrs.frozen
class NpsResult:
    """An NPS with the counts it comes from."""

    score: Decimal | None = attrs.field(validator=_percent)
    """-100..100; None when nobody answered."""
    promoters: int = attrs.field(validator=a.count())
    passives: int = attrs.field(validator=a.count())
    detractors: int = attrs.field(validator=a.count())
    answered: int = attrs.field(validator=a.count())
    missing: int = attrs.field(validator=a.count())


def nps(scores: Iterable[int | None]) -> NpsResult:
    """Net Promoter Score of 0-10 answers: % promoters (9-10) minus % detractors (0-6)."""
    given, missing = _answers(scores, 0, 10, "scores")
    promoters = sum(a >= 9 for a in given)
    detractors = sum(a <= 6 for a in given)
    value = None
    if given:
        value = (Decimal(promoters - detractors) * 100 / len(given)).quantize(
            _TENTH, rounding=ROUND_HALF_EVEN
        )
    return NpsResult(
        value, promoters, len(given) - promoters - detractors, detractors, len(given), missing
    )


@attrs.frozen
class CsatResult:
    """A CSAT with the counts it comes from."""

    percent: Decimal | None = attrs.field(validator=_percent)
    """% of answers that were 4 or 5; None when nobody answered."""
    satisfied: int = attrs.field(validator=a.count())
    answered: int = attrs.field(validator=a.count())
    missing: int = attrs.field(validator=a.count())


def csat(scores: Iterable[int | None]) -> CsatResult:
    """Customer satisfaction: the share of 1-5 answers that are 4 or 5."""
    given, missing = _answers(scores, 1, 5, "scores")
    satisfied = sum(a >= 4 for a in given)
    return CsatResult(_pct(satisfied, len(given)), satisfied, len(given), missing)


@attrs.frozen
class CesResult:
    """A CES 2.0 with the counts it comes from."""

    mean: Decimal | None = attrs.field(validator=_percent)
    """Mean of the 1-7 answers, to one decimal; None when nobody answered."""
    easy: int = attrs.field(validator=a.count())
    """Answers of 5-7 ("agree" that the company made it easy)."""
    answered: int = attrs.field(validator=a.count())
    missing: int = attrs.field(validator=a.count())


def ces(scores: Iterable[int | None]) -> CesResult:
    """Customer Effort Score 2.0 (1-7 agreement with "the company made it easy")."""
    given, missing = _answers(scores, 1, 7, "scores")
    mean = None
    if given:
        mean = (Decimal(sum(given)) / len(given)).quantize(_TENTH, rounding=ROUND_HALF_EVEN)
    return CesResult(mean, sum(a >= 5 for a in given), len(given), missing)


@attrs.frozen
class DimensionSummary:
    """The ratings given on one survey dimension."""

    dimension: str = attrs.field(validator=v.text())
    mean: Decimal = attrs.field(validator=v.instance_of(Decimal))
    answered: int = attrs.field(validator=a.count())
    low: int = attrs.field(validator=a.count())
    """Ratings of 1 or 2."""


def dimensions(surveys: Iterable[Survey]) -> tuple[DimensionSummary, ...]:
    """Ratings per named dimension, weakest mean first: where to improve.

    Raises:
        InvalidType: ``surveys`` is not an iterable of `Survey`.
    """
    ratings: dict[str, list[int]] = defaultdict(list)
    for survey in a.each(surveys, Survey, "surveys"):
        for name, rating in survey.ratings:
            ratings[name].append(rating)
    found = [
        DimensionSummary(
            name,
            (Decimal(sum(r)) / len(r)).quantize(_TENTH, rounding=ROUND_HALF_EVEN),
            len(r),
            sum(x <= 2 for x in r),
        )
        for name, r in ratings.items()
    ]
    return tuple(sorted(found, key=lambda d: (d.mean, d.dimension)))


# -- portfolio ------------------------------------------------------------------------------


@attrs.frozen
class ClockRate:
    """How often one clock was met, among the cases where it has been decided."""

    clock: str = attrs.field(validator=v.text())
    met: int = attrs.field(validator=a.count())
    breached: int = attrs.field(validator=a.count())
    undecided: int = attrs.field(validator=a.count())
    """Still running, paused or not started."""

    @property
    def rate(self) -> Decimal | None:
        return _pct(self.met, self.met + self.breached)


def _duration(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    a.optional(value, timedelta, v.path_of(instance, attribute))


@attrs.frozen
class PortfolioReport:
    """KPIs over a set of cases. Rates are percentages with their counts beside them.

    Times to final response use the first final response and the nearest-rank percentile;
    ``business_*`` figures are present only when a calendar was given.
    """

    cases: int = attrs.field(validator=a.count())
    by_state: tuple[tuple[str, int], ...] = attrs.field(validator=v.tuple_of(tuple))
    by_channel: tuple[tuple[str, int], ...] = attrs.field(validator=v.tuple_of(tuple))
    by_category: tuple[tuple[str, int], ...] = attrs.field(validator=v.tuple_of(tuple))
    clocks: tuple[ClockRate, ...] = attrs.field(validator=v.tuple_of(ClockRate))
    responded: int = attrs.field(validator=a.count())
    first_contact_resolutions: int = attrs.field(validator=a.count())
    reopened: int = attrs.field(validator=a.count())
    median_time_to_response: timedelta | None = attrs.field(validator=_duration)
    p90_time_to_response: timedelta | None = attrs.field(validator=_duration)
    median_business_time_to_response: timedelta | None = attrs.field(validator=_duration)
    p90_business_time_to_response: timedelta | None = attrs.field(validator=_duration)
    remedy_value: tuple[tuple[str, Decimal], ...] = attrs.field(validator=v.tuple_of(tuple))
    """Delivered remedy value per currency, never summed across currencies."""
    follow_ups_scheduled: int = attrs.field(validator=a.count())
    follow_ups_done: int = attrs.field(validator=a.count())
    linked_to_root_cause: int = attrs.field(validator=a.count())
    loop_closed: int = attrs.field(validator=a.count())
    """Cases linked to a root cause whose customer completed a change notification."""
    bands: tuple[tuple[str, int], ...] = attrs.field(validator=v.tuple_of(tuple))
    groups: tuple[tuple[str, PortfolioReport], ...] = attrs.field(
        default=(), validator=v.tuple_of(tuple)
    )

    @property
    def first_contact_resolution_rate(self) -> Decimal | None:
        return _pct(self.first_contact_resolutions, self.responded)

    @property
    def reopen_rate(self) -> Decimal | None:
        return _pct(self.reopened, self.cases)

    @property
    def follow_up_completion_rate(self) -> Decimal | None:
        return _pct(self.follow_ups_done, self.follow_ups_scheduled)

    @property
    def loop_closed_rate(self) -> Decimal | None:
        return _pct(self.loop_closed, self.linked_to_root_cause)


def _nearest_rank(values: Sequence[timedelta], p: int) -> timedelta | None:
    if not values:
        return None
    return values[max(math.ceil(p * len(values) / 100) - 1, 0)]


class _Tally:
    """Everything the report needs, gathered case by case in one pass."""

    def __init__(self) -> None:
        self.cases = 0
        self.states: Counter[str] = Counter()
        self.channels: Counter[str] = Counter()
        self.categories: Counter[str] = Counter()
        self.clock_counts: dict[str, Counter[ClockState]] = defaultdict(Counter)
        self.responded = self.fcr = self.reopened = 0
        self.times: list[timedelta] = []
        self.business: list[timedelta] = []
        self.money: dict[str, Decimal] = defaultdict(Decimal)
        self.scheduled = self.done = self.linked = self.closed_loop = 0
        self.bands: Counter[str] = Counter()

    def add(
        self,
        case: Case,
        statuses: Sequence[ClockStatus],
        band: Band,
        calendar: BusinessCalendar | None,
        now: datetime,
    ) -> None:
        self.cases += 1
        c = case.complaint
        self.states[case.state] += 1
        self.channels[c.channel.value] += 1
        self.categories[c.category or "(none)"] += 1
        for s in statuses:
            self.clock_counts[s.name][s.status] += 1
        first = case.first_responded_at
        if first is not None and first <= now:
            self.responded += 1
            self.fcr += case.investigation_started_at is None and case.handoffs == 0
            self.times.append(first - c.received_at)
            if calendar is not None:
                self.business.append(calendar.business_time_between(c.received_at, first))
        self.reopened += case.reopen_count > 0
        for r in case.remedies:
            if r.status is RemedyStatus.DELIVERED and r.remedy.value is not None:
                self.money[r.remedy.value.currency] += r.remedy.value.amount
        self.scheduled += len(case.follow_ups)
        self.done += sum(f.is_done for f in case.follow_ups)
        if case.root_causes:
            self.linked += 1
            self.closed_loop += any(
                f.is_done and f.follow_up.purpose is FollowUpPurpose.CHANGE_NOTIFICATION
                for f in case.follow_ups
            )
        self.bands[band.value] += 1

    def report(self, groups: tuple[tuple[str, PortfolioReport], ...] = ()) -> PortfolioReport:
        times, business = sorted(self.times), sorted(self.business)
        has_business = bool(business)
        clocks = tuple(
            ClockRate(
                name,
                counts[ClockState.MET],
                counts[ClockState.BREACHED],
                self.clock_counts[name].total()
                - counts[ClockState.MET]
                - counts[ClockState.BREACHED],
            )
            for name, counts in sorted(self.clock_counts.items())
        )
        return PortfolioReport(
            cases=self.cases,
            by_state=tuple(sorted(self.states.items())),
            by_channel=tuple(sorted(self.channels.items())),
            by_category=tuple(sorted(self.categories.items())),
            clocks=clocks,
            responded=self.responded,
            first_contact_resolutions=self.fcr,
            reopened=self.reopened,
            median_time_to_response=_nearest_rank(times, 50),
            p90_time_to_response=_nearest_rank(times, 90),
            median_business_time_to_response=_nearest_rank(business, 50) if has_business else None,
            p90_business_time_to_response=_nearest_rank(business, 90) if has_business else None,
            remedy_value=tuple(sorted(self.money.items())),
            follow_ups_scheduled=self.scheduled,
            follow_ups_done=self.done,
            linked_to_root_cause=self.linked,
            loop_closed=self.closed_loop,
            bands=tuple((b.value, self.bands[b.value]) for b in Band),
            groups=groups,
        )


def portfolio(
    cases: Iterable[Case],
    *,
    clocks: Iterable[Clock] | None = None,
    calendar: BusinessCalendar | None = None,
    now: datetime,
    by: str | None = None,
    ruleset: RuleSet = DEFAULT_RULESET,
) -> PortfolioReport:
    """KPIs over ``cases`` as of ``now``, in one pass.

    ``clocks`` (with a ``calendar``) give the timely-response rate per clock and feed the
    scores; ``by`` names a `Complaint` attribute (``"channel"``, ``"category"``,
    ``"product"``, ``"severity"``) to add one sub-report per value in ``groups``.

    Raises:
        InvalidType: an argument (or one of ``cases`` or ``clocks``) has the wrong type.
        UnknownName: ``by`` is not a complaint attribute to group by.
        ValidationError: ``now`` is naive, or ``clocks`` came without a calendar.
    """
    v.require_aware(now, "now")
    clock_list = () if clocks is None else tuple(a.each(clocks, Clock, "clocks"))
    a.optional(calendar, BusinessCalendar, "calendar")
    a.require(ruleset, RuleSet, "ruleset")
    if clock_list and calendar is None:
        raise ValidationError("calendar", "clocks need a calendar to be evaluated")
    key: Callable[[Case], str] | None = None
    if by is not None:
        key = _group_key(a.one_of(by, _GROUPABLE, "by", what="a complaint attribute to group by"))
    total = _Tally()
    parts: dict[str, _Tally] = defaultdict(_Tally)
    for case in a.each(cases, Case, "cases"):
        statuses = evaluate_clocks(case, clock_list, calendar=calendar, now=now) if calendar else ()
        band = score(case, ruleset=ruleset, statuses=statuses, now=now).band
        total.add(case, statuses, band, calendar, now)
        if key is not None:
            parts[key(case)].add(case, statuses, band, calendar, now)
    groups = tuple((name, parts[name].report()) for name in sorted(parts))
    return total.report(groups)


# A tuple, so that error messages list the names in a stable order.
_GROUPABLE = ("category", "channel", "desired_remedy", "product", "severity")


def _group_key(by: str) -> Callable[[Case], str]:
    def key(case: Case) -> str:
        value = getattr(case.complaint, by)
        return "(none)" if value is None else str(value)

    return key


# -- calibration ----------------------------------------------------------------------------


@attrs.frozen
class CalibrationRow:
    """Observed outcomes for the cases predicted in one band."""

    band: Band = attrs.field(validator=v.member_of(Band))
    cases: int = attrs.field(validator=a.count())
    observed: int = attrs.field(validator=a.count())
    """Cases with an observation (the rest are counted in ``cases`` only)."""
    positive: int = attrs.field(validator=a.count())
    mean_predicted: Decimal | None = attrs.field(validator=_percent)

    @property
    def observed_rate(self) -> Decimal | None:
        return _pct(self.positive, self.observed)


def calibrate(
    assessments: Iterable[LoyaltyAssessment],
    observed: Iterable[bool | int | None],
) -> tuple[CalibrationRow, ...]:
    """Compare predicted bands with what happened, band by band.

    ``observed`` is aligned with ``assessments``: True/False for retained or not, or a
    0-10 NPS answer collected at follow-up (9-10 counts as positive, 0-8 as not), or None
    when unknown. A well-tuned `RuleSet` shows observed rates falling from ``advocate`` to
    ``defecting``, close to the mean predicted scores.

    Raises:
        InvalidType: an argument is not iterable, an assessment is not a
            `LoyaltyAssessment`, or an answer is not a bool, an int or None.
        ValidationError: the two sequences differ in length, or an int answer is not
            0..10.
    """
    rows: dict[Band, list[int]] = {b: [0, 0, 0, 0] for b in Band}  # cases, observed, pos, sum
    a_list = list(a.each(assessments, LoyaltyAssessment, "assessments"))
    o_list = list(a.iterate(observed, "observed", "bool, int 0..10 or None"))
    if len(a_list) != len(o_list):
        raise ValidationError(
            "observed", f"{len(o_list)} observations for {len(a_list)} assessments"
        )
    for i, (assessment, seen) in enumerate(zip(a_list, o_list, strict=True)):
        row = rows[assessment.band]
        row[0] += 1
        row[3] += assessment.score
        if seen is None:
            continue
        if isinstance(seen, bool):
            positive = seen
        elif not isinstance(seen, int):
            raise InvalidType(
                f"observed[{i}]",
                f"expected True/False, an NPS answer 0..10 or None, got {v.type_name(seen)}",
            )
        elif 0 <= seen <= 10:
            positive = seen >= 9
        else:
            raise ValidationError(
                f"observed[{i}]", f"expected True/False, an NPS answer 0..10 or None, got {seen!r}"
            )
        row[1] += 1
        row[2] += positive
    return tuple(
        CalibrationRow(
            band,
            n,
            seen,
            pos,
            (Decimal(total) / n).quantize(_TENTH, rounding=ROUND_HALF_EVEN) if n else None,
        )
        for band, (n, seen, pos, total) in rows.items()
    )
