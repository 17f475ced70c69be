"""Survey metrics, portfolio KPIs over many cases, and Consumer Duty outcome measures per
cohort of customers (`outcomes`, `outcome_gap`).

Survey metrics use the standard definitions: NPS is the percentage of promoters (9-10) minus
the percentage of detractors (0-6) of a 0-10 answer; CSAT is the percentage answering 4 or 5
on a 1-5 scale; CES 2.0 is the mean of a 1-7 agreement scale. Missing answers (None) are
never silently dropped: every result says how many there were, and rates are over the answers
given. Percentages are `Decimal` values rounded to one decimal place.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import attrs

from recoverykit import _arguments as a
from recoverykit import _portfolio
from recoverykit import _validation as v
from recoverykit._gap import GapStatus, OutcomeGap, outcome_gap
from recoverykit._grouping import KeyFunction
from recoverykit._outcomes import Cohort, OutcomeReport, outcomes
from recoverykit._portfolio import TENTH as _TENTH
from recoverykit._portfolio import (
    ClockRate,
    PortfolioReport,
    ping_ponged,
    resolved_at_first_contact,
)
from recoverykit._portfolio import pct as _pct
from recoverykit.calendars import BusinessCalendar
from recoverykit.case import Case
from recoverykit.clocks import Clock, ClockStatus
from recoverykit.errors import InvalidType, ValidationError
from recoverykit.model import Survey
from recoverykit.scoring import DEFAULT_RULESET, Band, LoyaltyAssessment, RuleSet

__all__ = [
    "CalibrationRow",
    "CesResult",
    "ClockRate",
    "Cohort",
    "CsatResult",
    "DimensionSummary",
    "GapStatus",
    "KeyFunction",
    "NpsResult",
    "OutcomeGap",
    "OutcomeReport",
    "PortfolioReport",
    "calibrate",
    "ces",
    "csat",
    "dimensions",
    "nps",
    "outcome_gap",
    "outcomes",
    "ping_ponged",
    "portfolio",
    "resolved_at_first_contact",
]


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


def portfolio(
    cases: Iterable[Case],
    *,
    clocks: Iterable[Clock] | Callable[[Case], Iterable[Clock]] | None = None,
    calendar: BusinessCalendar | None = None,
    now: datetime,
    by: str | KeyFunction | None = None,
    ruleset: RuleSet = DEFAULT_RULESET,
    statuses: Mapping[str, Sequence[ClockStatus]] | None = None,
    first_contact: Callable[[Case], bool] = resolved_at_first_contact,
) -> PortfolioReport:
    """KPIs over ``cases`` as of ``now``, in one pass.

    Clock statuses give the timely-response rate per clock and the breach rate, and feed
    the scores. They come from one of:

    - ``clocks`` with a ``calendar``: evaluated here, the same clocks for every case, or a
      callable choosing each case's clocks (``lambda case: SLA[case.complaint.severity]``;
      an empty result means the case has no clock);
    - ``statuses``: the statuses you already evaluated, a mapping of case id to that case's
      `ClockStatus` sequence, so that nothing is evaluated twice. Every case needs an entry
      (an empty tuple for a case without clocks). ``calendar`` still gives the business
      times to response.

    ``by`` adds one sub-report per key in ``groups``: ``"owner"`` and ``"team"`` (the
    current owner's id and team), ``"channel"``, ``"severity"``, ``"category"``,
    ``"product"``, ``"desired_remedy"``, ``"tags"`` and ``"root_cause"`` (a case counts once
    under each of its tags or root causes), or a callable from a case to a key or an
    iterable of keys (counted under each). A case with no key (no owner, no team, no tags,
    an empty result) is counted under ``"(none)"``.

    ``first_contact`` decides, for each case responded by ``now``, whether it was resolved
    at first contact; the default is `resolved_at_first_contact`. An error raised by one of
    your callables (``by``, ``clocks``, ``first_contact``) reaches you unchanged.

    Times to response are measured between instants, whatever the time zones.

    Raises:
        InvalidType: an argument (or one of ``cases``, ``clocks`` or ``statuses``, or a
            result of ``by``, ``clocks`` or ``first_contact``) has the wrong type.
        UnknownName: ``by`` is not a key to group by, or ``statuses`` has no entry for a
            case.
        ValidationError: ``now`` is naive, ``clocks`` came without a calendar, or both
            ``clocks`` and ``statuses`` were given.

    .. versionchanged:: Unreleased
       ``by`` takes owner, team, tags, root_cause or a callable; ``clocks`` takes a
       callable; ``statuses`` and ``first_contact``.
    """
    return _portfolio.run(
        cases,
        clocks=clocks,
        calendar=calendar,
        now=now,
        by=by,
        ruleset=ruleset,
        statuses=statuses,
        first_contact=first_contact,
    )


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
