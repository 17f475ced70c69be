"""Consumer Duty outcome measures: outcomes per cohort of customers, and whether two cohorts'
rates differ by more than chance.

The public names are re-exported by `recoverykit.metrics`, where they are documented.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal
from fractions import Fraction
from typing import Any

import attrs

from recoverykit import _arguments as args
from recoverykit import _validation as v
from recoverykit import events as ev
from recoverykit._grouping import NAMED, KeyFunction, Keys, keys_for
from recoverykit._instants import elapsed, not_after, utc
from recoverykit._portfolio import (
    StatusSource,
    checked_statuses,
    pct,
    status_source,
)
from recoverykit._rank import MICROSECOND, nearest_rank
from recoverykit.calendars import BusinessCalendar
from recoverykit.case import Case
from recoverykit.clocks import Clock, ClockState, ClockStatus
from recoverykit.errors import InvalidType, UnknownName, ValidationError
from recoverykit.model import Money, Outcome, RemedyStatus

# Exact: a quotient rounded to the penny is shifted back without a second rounding.
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


def rounded(value: Fraction, places: int) -> Decimal:
    """``value`` rounded half to even to ``places`` decimal places, exactly (no float, and
    no intermediate rounding of a quotient)."""
    return Decimal(round(value * 10**places)).scaleb(-places, _EXACT)


# -- cohorts --------------------------------------------------------------------------------

VULNERABLE, NOT_VULNERABLE = "vulnerable", "not vulnerable"
_NO_KEY = ("(none)",)
_BY_NAMES = ", ".join(sorted([*NAMED, "vulnerable"]))


def _vulnerability(case: Case, _index: int = 0) -> tuple[str, ...]:
    return (VULNERABLE,) if case.complaint.customer.vulnerable else (NOT_VULNERABLE,)


def name_of(function: object) -> str:
    """How a caller's function is named in a report: its qualified name, else its type's."""
    name = getattr(function, "__qualname__", None)
    return name if isinstance(name, str) and name.strip() else type(function).__name__


def _cohorts_by(by: object) -> tuple[Keys, str]:
    if isinstance(by, str):
        if by == VULNERABLE:
            return _vulnerability, by
        if by not in NAMED:
            raise UnknownName("by", f"{by!r} is not a key to group by ({_BY_NAMES}, or a callable)")
        return keys_for(by), by
    if callable(by):
        return keys_for(by), name_of(by)
    raise InvalidType(
        "by",
        f"expected a str ({_BY_NAMES}) or a callable from a case to keys, got {v.type_name(by)}",
    )


def _duration(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    args.optional(value, timedelta, v.path_of(instance, attribute))


@attrs.frozen(kw_only=True)
class Cohort:
    """The outcomes of one group of cases, with the counts every rate comes from.

    Rates are percentages to one decimal place (None when their denominator is 0):

    - ``uphold_rate``: ``upheld`` of the ``responded`` cases, those with a final response
      sent at or before the report's ``now``; a case is upheld when the latest final
      response sent by then decided `Outcome.UPHELD` or `Outcome.PARTIALLY_UPHELD`;
    - ``reopen_rate``: ``reopened`` (at least once) of the ``cases``;
    - ``repeat_contact_rate``: ``repeat_contacts`` of the ``cases``: cases whose known
      customer has another case received within the report's repeat window of this one;
    - ``referral_rate``: ``referred`` (a `ReferredToOmbudsman` event) of the ``cases``;
    - ``breach_rate``: ``breached`` (at least one breached clock) of the ``timed`` cases
      (those with a clock status).
    """

    key: str = attrs.field(validator=v.instance_of(str))
    cases: int = attrs.field(validator=args.count())
    responded: int = attrs.field(validator=args.count())
    upheld: int = attrs.field(validator=args.count())
    median_time_to_response: timedelta | None = attrs.field(validator=_duration)
    """From receipt to the first final response, over the ``responded`` cases (the
    nearest-rank median, measured between instants)."""
    redress: tuple[Money, ...] = attrs.field(validator=v.tuple_of(Money))
    """Delivered financial redress, one total per currency (never added across
    currencies), sorted by currency."""
    reopened: int = attrs.field(validator=args.count())
    repeat_contacts: int = attrs.field(validator=args.count())
    referred: int = attrs.field(validator=args.count())
    timed: int = attrs.field(validator=args.count())
    breached: int = attrs.field(validator=args.count())

    def __attrs_post_init__(self) -> None:
        parts = (
            ("responded", self.responded, "cases", self.cases),
            ("upheld", self.upheld, "responded", self.responded),
            ("reopened", self.reopened, "cases", self.cases),
            ("repeat_contacts", self.repeat_contacts, "cases", self.cases),
            ("referred", self.referred, "cases", self.cases),
            ("timed", self.timed, "cases", self.cases),
            ("breached", self.breached, "timed", self.timed),
        )
        for name, part, whole_name, whole in parts:
            if part > whole:
                raise ValidationError(
                    f"Cohort.{name}", f"{part} is more than {whole_name} ({whole})"
                )
        if (self.median_time_to_response is None) != (self.responded == 0):
            raise ValidationError(
                "Cohort.median_time_to_response", "give one exactly when a case was responded"
            )
        currencies = [m.currency for m in self.redress]
        if len(set(currencies)) != len(currencies):
            raise ValidationError("Cohort.redress", "give one total per currency")

    @property
    def uphold_rate(self) -> Decimal | None:
        return pct(self.upheld, self.responded)

    @property
    def reopen_rate(self) -> Decimal | None:
        return pct(self.reopened, self.cases)

    @property
    def repeat_contact_rate(self) -> Decimal | None:
        return pct(self.repeat_contacts, self.cases)

    @property
    def referral_rate(self) -> Decimal | None:
        return pct(self.referred, self.cases)

    @property
    def breach_rate(self) -> Decimal | None:
        return pct(self.breached, self.timed)

    @property
    def redress_per_case(self) -> tuple[Money, ...]:
        """Each currency's delivered redress divided by all the cohort's ``cases`` (a case
        without redress in that currency counts as 0), rounded half to even to two decimal
        places; one `Money` per currency of ``redress``."""
        if not self.cases:
            return ()
        return tuple(
            Money(rounded(Fraction(m.amount) / self.cases, 2), m.currency) for m in self.redress
        )


@attrs.frozen
class OutcomeReport:
    """`outcomes` of each cohort, sorted by key, as of ``now``; ``by`` names the grouping
    (the name given, or the function's qualified name)."""

    cohorts: tuple[Cohort, ...] = attrs.field(validator=v.tuple_of(Cohort))
    by: str = attrs.field(validator=v.text())
    now: datetime = attrs.field(validator=v.aware)

    def __attrs_post_init__(self) -> None:
        keys = self.keys
        if len(set(keys)) != len(keys):
            raise ValidationError("OutcomeReport.cohorts", "give each cohort key once")

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.cohorts)

    def cohort(self, key: str) -> Cohort:
        """The cohort ``key``.

        Raises:
            InvalidType: ``key`` is not a str.
            UnknownName: no cohort has that key; the message lists the keys.
        """
        return cohort_of(self, key, "key")


def cohort_of(report: OutcomeReport, key: object, path: str) -> Cohort:
    args.require(key, str, path)
    for cohort in report.cohorts:
        if cohort.key == key:
            return cohort
    known = ", ".join(repr(k) for k in report.keys) or "none"
    raise UnknownName(path, f"{key!r} is not a cohort of the report (cohorts: {known})")


# -- one pass -------------------------------------------------------------------------------

_UPHELD = frozenset({Outcome.UPHELD, Outcome.PARTIALLY_UPHELD})


def _decision(case: Case, now: datetime) -> Outcome | None:
    """The outcome of the latest final response sent at or before ``now``."""
    current = case.final_response
    if current is not None and not_after(current.at, now):
        return current.outcome
    for event in reversed(case.history):
        if isinstance(event, ev.FinalResponseSent) and not_after(event.at, now):
            return event.outcome
    return None


class _Facts:
    """What one case adds to every cohort it is counted in, worked out once."""

    __slots__ = ("breached", "redress", "referred", "reopened", "repeated", "time", "upheld")

    def __init__(
        self, case: Case, statuses: Sequence[ClockStatus], now: datetime, *, repeated: bool
    ) -> None:
        self.time: timedelta | None = None
        self.upheld = False
        first = case.first_responded_at
        if first is not None and not_after(first, now):
            self.time = elapsed(case.complaint.received_at, first)
            self.upheld = _decision(case, now) in _UPHELD
        self.redress = [
            r.remedy.value
            for r in case.remedies
            if r.status is RemedyStatus.DELIVERED and r.remedy.value is not None
        ]
        self.reopened = case.reopen_count > 0
        self.repeated = repeated
        self.referred = any(isinstance(e, ev.ReferredToOmbudsman) for e in case.history)
        self.breached: bool | None = None  # no clock status
        if statuses:
            self.breached = any(s.status is ClockState.BREACHED for s in statuses)


class _Tally:
    def __init__(self) -> None:
        self.cases = self.responded = self.upheld = self.reopened = 0
        self.repeats = self.referred = self.timed = self.breached = 0
        self.times = array("q")  # microseconds: 8 bytes a case
        self.redress: dict[str, Money] = {}

    def add(self, facts: _Facts) -> None:
        self.cases += 1
        if facts.time is not None:
            self.responded += 1
            self.upheld += facts.upheld
            self.times.append(facts.time // MICROSECOND)
        for money in facts.redress:
            held = self.redress.get(money.currency)
            self.redress[money.currency] = money if held is None else held + money
        self.reopened += facts.reopened
        self.repeats += facts.repeated
        self.referred += facts.referred
        if facts.breached is not None:
            self.timed += 1
            self.breached += facts.breached

    def cohort(self, key: str) -> Cohort:
        return Cohort(
            key=key,
            cases=self.cases,
            responded=self.responded,
            upheld=self.upheld,
            median_time_to_response=nearest_rank(self.times, 50),
            redress=tuple(self.redress[c] for c in sorted(self.redress)),
            reopened=self.reopened,
            repeat_contacts=self.repeats,
            referred=self.referred,
            timed=self.timed,
            breached=self.breached,
        )


def repeat_contacts(cases: Sequence[Case], window: timedelta) -> list[bool]:
    """For each case, whether its known customer has another case (another id) received
    within ``window`` of it, before or after, compared as instants."""
    by_customer: dict[str, list[tuple[datetime, str, int]]] = defaultdict(list)
    for i, case in enumerate(cases):
        known = case.complaint.customer.known_id
        if known is not None:
            by_customer[known].append((utc(case.complaint.received_at), case.id, i))
    found = [False] * len(cases)
    for entries in by_customer.values():
        entries.sort()
        n = len(entries)
        # The nearest entry of another case on each side: the same case given twice is not
        # a repeat of itself.
        before, after = [-1] * n, [-1] * n
        for k in range(1, n):
            before[k] = k - 1 if entries[k - 1][1] != entries[k][1] else before[k - 1]
        for k in range(n - 2, -1, -1):
            after[k] = k + 1 if entries[k + 1][1] != entries[k][1] else after[k + 1]
        for k, (at, _, i) in enumerate(entries):
            found[i] = (before[k] >= 0 and at - entries[before[k]][0] <= window) or (
                after[k] >= 0 and entries[after[k]][0] - at <= window
            )
    return found


def _status_source(
    clocks: object, statuses: object, calendar: BusinessCalendar | None, now: datetime
) -> StatusSource | None:
    if statuses is None or isinstance(statuses, Mapping):
        return status_source(clocks, statuses, calendar, now)
    if not callable(statuses):
        raise InvalidType(
            "statuses",
            "expected a mapping of case id to clock statuses, a callable from a case to its "
            f"clock statuses, or None, got {v.type_name(statuses)}",
        )
    if clocks is not None:
        raise ValidationError(
            "statuses", "give clocks (to evaluate) or statuses (already evaluated), not both"
        )
    given: Callable[[Case], object] = statuses

    def source(case: Case, i: int) -> Sequence[ClockStatus]:
        return checked_statuses(given(case), f"statuses(cases[{i}])")

    return source


def outcomes(
    cases: Iterable[Case],
    *,
    by: str | KeyFunction = "vulnerable",
    now: datetime,
    statuses: Mapping[str, Sequence[ClockStatus]]
    | Callable[[Case], Sequence[ClockStatus]]
    | None = None,
    clocks: Iterable[Clock] | Callable[[Case], Iterable[Clock]] | None = None,
    calendar: BusinessCalendar | None = None,
    repeat_window: timedelta = timedelta(days=90),
) -> OutcomeReport:
    """Consumer Duty outcome measures per cohort of ``cases``, as of ``now``.

    ``by`` splits the cases into cohorts: ``"vulnerable"`` (cohorts ``"vulnerable"`` and
    ``"not vulnerable"``, from `CustomerRef.vulnerable`), every key `portfolio` groups by
    (``"owner"``, ``"team"``, ``"channel"``, ``"severity"``, ``"category"``,
    ``"product"``, ``"desired_remedy"``, ``"tags"``, ``"root_cause"``), or a callable
    from a case to a key or an iterable of keys. A case counts once under each of its keys;
    a case with no key counts under ``"(none)"``. Each `Cohort` has:

    - ``cases``, and ``responded``: those with a final response sent at or before ``now``;
    - the **uphold rate**: the responded cases whose latest final response sent by ``now``
      decided `Outcome.UPHELD` or `Outcome.PARTIALLY_UPHELD`, among the responded cases
      (`Outcome.RESOLVED_WITHOUT_DECISION` counts as not upheld);
    - the **median time to final response**, from receipt to the first final response,
      between instants;
    - **redress per case**: delivered financial remedies summed per currency, divided by
      the cohort's cases, to two decimal places (`Cohort.redress_per_case`); amounts in
      different currencies are never added together;
    - the **reopen rate**: cases reopened at least once;
    - the **repeat-contact rate**: cases whose customer has another case received within
      ``repeat_window`` before or after this one, anywhere in ``cases`` (not only in the
      cohort). Customers are matched by `CustomerRef.known_id`: anonymous customers never
      match, not even each other;
    - the **ombudsman referral rate**: cases with a `ReferredToOmbudsman` event;
    - the **breach rate**: cases with at least one breached clock, among those with a clock
      status. Statuses come from ``clocks`` with a ``calendar`` (evaluated here, as in
      `portfolio`), or from ``statuses``: a mapping of case id to the statuses already
      evaluated, or a callable from a case to them. Without either the rate is None.

    ``now`` decides which final responses count (and is the clocks' ``now``); everything
    else is read from the cases as given, so give them as they stood at ``now`` for a
    report on an earlier date. ``cases`` is read into a list (a repeat contact may be
    anywhere in it). Compare two cohorts with `outcome_gap`.

    Raises:
        InvalidType: an argument (or one of ``cases``, or a result of ``by`` or
            ``statuses``) has the wrong type.
        UnknownName: ``by`` is not a key to group by, or a ``statuses`` mapping has no
            entry for a case.
        ValidationError: ``now`` is naive, ``repeat_window`` is negative, ``clocks`` came
            without a calendar, both ``clocks`` and ``statuses`` were given, or delivered
            redress in one currency is too large to add up.

    .. versionadded:: Unreleased
    """
    v.require_aware(now, "now")
    args.optional(calendar, BusinessCalendar, "calendar")
    args.duration(repeat_window, "repeat_window")
    keys, described = _cohorts_by(by)
    source = _status_source(clocks, statuses, calendar, now)
    listed = list(args.each(cases, Case, "cases"))
    repeated = repeat_contacts(listed, repeat_window)
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    for i, case in enumerate(listed):
        found = source(case, i) if source is not None else ()
        facts = _Facts(case, found, now, repeated=repeated[i])
        for key in keys(case, i) or _NO_KEY:
            tallies[key].add(facts)
    cohorts = tuple(tallies[key].cohort(key) for key in sorted(tallies))
    return OutcomeReport(cohorts, described, now)
