"""The built-in scoring rules, in their default order. Each is one frozen attrs class that
holds its own weights and source; ``tag`` names the class in saved rulesets.

The defaults follow the research summarised in docs/scoring.md; a weight that is a library
judgement rather than a published figure says so.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import ClassVar

import attrs

from recoverykit import _validation as v
from recoverykit._instants import elapsed
from recoverykit.case import Case
from recoverykit.errors import ValidationError
from recoverykit.model import (
    FollowUpOutcome,
    FollowUpPurpose,
    Outcome,
    RemedyScope,
    RemedyStatus,
    Severity,
)
from recoverykit.scoring._core import (
    COMPENSATION,
    DOUBLE,
    EFFORT,
    JUSTICE,
    LIBRARY,
    PARADOX,
    RAGE,
    TARP,
    WIRTZ,
    Contribution,
    ScoringRule,
    ScoringState,
    pct,
    points,
)

_text = v.text()


def _name(default: str) -> str:
    return attrs.field(default=default, validator=_text)


def _source(default: str) -> str:
    return attrs.field(default=default, validator=_text)


def _points(default: int) -> int:
    return attrs.field(default=default, validator=points)


def _div(a: int, b: int) -> int:
    """a / b rounded half to even, in integers."""
    return int((Decimal(a) / Decimal(b)).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def _given(name: str, points: int, reason: str, source: str) -> Contribution | None:
    """A contribution, or None for 0 points: a rule that did not move the score is silent."""
    return Contribution(name, points, reason, source) if points else None


# -- what happened: outcome and remedy -------------------------------------------------------


@attrs.frozen(kw_only=True)
class BaseRetention:
    """Base retention, percent, by outcome and loss size (TARP 1986: small loss under $5,
    large over $100), interpolated by severity from the small- to the large-loss column.
    Always contributes: it is where the score starts."""

    tag: ClassVar[str] = "base_retention"
    name: str = _name("base_retention")
    source: str = _source(TARP)
    unresolved_small_loss: int = attrs.field(default=46, validator=pct)
    """TARP: complained, not satisfied, small loss: 46% would buy again."""
    unresolved_large_loss: int = attrs.field(default=19, validator=pct)
    resolved_small_loss: int = attrs.field(default=70, validator=pct)
    """TARP: complained, satisfied (resolved, but not quickly), small loss: 70%."""
    resolved_large_loss: int = attrs.field(default=54, validator=pct)
    quick_small_loss: int = attrs.field(default=95, validator=pct)
    """TARP: complained, satisfied quickly, small loss: 95%."""
    quick_large_loss: int = attrs.field(default=82, validator=pct)
    on_time_days: int = attrs.field(default=14, validator=v.int_between(0, 3650))
    """Library default: without clock statuses, a first final response within this many
    calendar days of receipt counts as quick."""

    def contribute(self, state: ScoringState) -> Contribution:
        case = state.case
        resolved = _resolved(case)
        if resolved and self._quick(state):
            lo, hi, outcome = self.quick_small_loss, self.quick_large_loss, "resolved quickly"
        elif resolved:
            lo, hi, outcome = self.resolved_small_loss, self.resolved_large_loss, "resolved"
        else:
            lo, hi, outcome = self.unresolved_small_loss, self.unresolved_large_loss, "not resolved"
        severity = case.complaint.severity
        base = lo + _div((hi - lo) * severity.rank, len(Severity) - 1)
        reason = f"{outcome}, {severity.value} severity: TARP retention {base}%"
        return Contribution(self.name, base, reason, self.source)

    def _quick(self, state: ScoringState) -> bool:
        if state.timed:
            return state.breached == 0
        first = state.case.first_responded_at
        limit = timedelta(days=self.on_time_days)
        return first is not None and elapsed(state.case.received_at, first) <= limit


def _resolved(case: Case) -> bool:
    # Upheld in whole or part, or resolved without a decision on fault: the customer's
    # problem was dealt with. Only "not upheld" leaves it unresolved.
    if case.resolved_at is not None:
        return True
    final = case.final_response
    return final is not None and final.outcome is not Outcome.NOT_UPHELD


#: The outcomes that find the firm at fault, where a missing apology counts against it.
_UPHELD = frozenset({Outcome.UPHELD, Outcome.PARTIALLY_UPHELD})


@attrs.frozen(kw_only=True)
class RemedyAdequacy:
    """Delivered compensation against the claimed loss, capped when the process was all
    good or all bad (Wirtz & Mattila 2004: it adds little then)."""

    tag: ClassVar[str] = "remedy_adequacy"
    name: str = _name("remedy_adequacy")
    source: str = _source(COMPENSATION)
    low: int = _points(2)
    """Library default: something delivered, under ``adequate_from`` percent of the loss."""
    adequate: int = _points(6)
    """Gelbrich et al. 2015: 60-120% of the loss restores satisfaction best."""
    generous: int = _points(7)
    """Haesevoets et al. 2017: above 120% adds little; past 150% nothing more."""
    adequate_from: int = attrs.field(default=60, validator=v.int_between(0, 1000))
    generous_from: int = attrs.field(default=120, validator=v.int_between(0, 1000))
    mismatch_divisor: int = attrs.field(default=2, validator=v.int_between(1, 10))
    """Library default: a remedy of another kind than asked for counts 1/divisor."""
    attenuated_max: int = _points(3)
    """Remedy points are capped at this when the process was all good or all bad."""
    attenuation_source: str = _source(WIRTZ)

    def __attrs_post_init__(self) -> None:
        if self.adequate_from > self.generous_from:
            path = "RemedyAdequacy.adequate_from"
            msg = f"{self.adequate_from} is above generous_from ({self.generous_from})"
            raise ValidationError(path, msg)

    def contribute(self, state: ScoringState) -> Contribution | None:
        case = state.case
        pts, reason = self._remedy(case)
        final = case.final_response
        good = state.timed and not state.breached and not case.handoffs
        good = good and not case.reopen_count
        bad = state.breached > 0 and not (final is not None and final.apology)
        source = self.source
        if (good or bad) and pts > self.attenuated_max:
            reason += "; capped: the process was already " + ("good" if good else "bad")
            pts = self.attenuated_max
            source = f"{self.source}; {self.attenuation_source}"
        return _given(self.name, pts, reason, source)

    def _remedy(self, case: Case) -> tuple[int, str]:
        delivered = [r.remedy for r in case.remedies if r.status is RemedyStatus.DELIVERED]
        if not delivered:
            return 0, "no remedy delivered"
        loss = case.complaint.claimed_loss
        paid = Decimal(0)
        if loss is not None:
            paid = sum(
                (
                    r.value.amount
                    for r in delivered
                    if r.value and r.value.currency == loss.currency
                ),
                Decimal(0),
            )
        if loss is not None and loss.amount > 0 and paid > 0:
            percent = int((paid * 100 / loss.amount).to_integral_value(rounding=ROUND_HALF_EVEN))
            if percent >= self.generous_from:
                pts, why = self.generous, f"compensation {percent}% of the loss"
            elif percent >= self.adequate_from:
                pts, why = self.adequate, f"compensation {percent}% of the loss"
            else:
                pts, why = self.low, f"compensation only {percent}% of the loss"
        else:
            pts, why = self.adequate, "a remedy was delivered"
        desired = case.complaint.desired_remedy
        if desired is not None and all(r.kind is not desired for r in delivered):
            pts //= self.mismatch_divisor
            why += f", but not the {desired.value} asked for"
        return pts, why


# -- how the customer was treated ------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Apology:
    """The final response apologised: among the strongest drivers of recovery satisfaction."""

    tag: ClassVar[str] = "apology"
    name: str = _name("apology")
    source: str = _source(JUSTICE)
    points: int = _points(4)

    def contribute(self, state: ScoringState) -> Contribution | None:
        final = state.case.final_response
        if final is None or not final.apology:
            return None
        return _given(self.name, self.points, "the final response apologised", self.source)


@attrs.frozen(kw_only=True)
class MissingApology:
    """The complaint was upheld (fully or partly) and the final response did not apologise.

    Only a finding of fault calls for an apology: ``not_upheld`` and
    ``resolved_without_decision`` (a ticket resolved with no decision on fault) never lose
    these points."""

    tag: ClassVar[str] = "missing_apology"
    name: str = _name("missing_apology")
    source: str = _source(JUSTICE)
    points: int = _points(-4)

    def contribute(self, state: ScoringState) -> Contribution | None:
        final = state.case.final_response
        if final is None or final.apology or final.outcome not in _UPHELD:
            return None
        return _given(self.name, self.points, "upheld, but no apology", self.source)


@attrs.frozen(kw_only=True)
class Explanation:
    """The final response explained what happened."""

    tag: ClassVar[str] = "explanation"
    name: str = _name("explanation")
    source: str = _source(JUSTICE)
    points: int = _points(3)

    def contribute(self, state: ScoringState) -> Contribution | None:
        final = state.case.final_response
        if final is None or not final.explanation:
            return None
        reason = "the response explained what happened"
        return _given(self.name, self.points, reason, self.source)


@attrs.frozen(kw_only=True)
class NamedOwner:
    """One named owner throughout: assigned, and never handed off."""

    tag: ClassVar[str] = "named_owner"
    name: str = _name("named_owner")
    source: str = _source(JUSTICE)
    points: int = _points(3)

    def contribute(self, state: ScoringState) -> Contribution | None:
        case = state.case
        if case.owner is None or case.handoffs:
            return None
        reason = f"one named owner throughout ({case.owner.id})"
        return _given(self.name, self.points, reason, self.source)


# -- process and effort ----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ClocksMet:
    """``each`` point(s) per regulatory or SLA clock met (from the statuses given)."""

    tag: ClassVar[str] = "clocks_met"
    name: str = _name("clocks_met")
    source: str = _source(JUSTICE)
    each: int = _points(2)

    def contribute(self, state: ScoringState) -> Contribution | None:
        reason = f"{state.met} deadline(s) met"
        return _given(self.name, self.each * state.met, reason, self.source)


@attrs.frozen(kw_only=True)
class ClocksBreached:
    """``each`` point(s) per clock breached (from the statuses given)."""

    tag: ClassVar[str] = "clocks_breached"
    name: str = _name("clocks_breached")
    source: str = _source(EFFORT)
    each: int = _points(-5)

    def contribute(self, state: ScoringState) -> Contribution | None:
        reason = f"{state.breached} deadline(s) missed"
        return _given(self.name, self.each * state.breached, reason, self.source)


@attrs.frozen(kw_only=True)
class Handoffs:
    """``each`` point(s) per hand-off between owners, no lower than ``limit`` in all."""

    tag: ClassVar[str] = "handoffs"
    name: str = _name("handoffs")
    source: str = _source(EFFORT)
    each: int = _points(-2)
    limit: int = _points(-6)

    def contribute(self, state: ScoringState) -> Contribution | None:
        n = state.case.handoffs
        reason = f"handed on {n} time(s)"
        return _given(self.name, max(self.each * n, self.limit), reason, self.source)


@attrs.frozen(kw_only=True)
class RepeatContact:
    """``each`` point(s) per request for information (each makes the customer come back),
    no lower than ``limit`` in all."""

    tag: ClassVar[str] = "repeat_contact"
    name: str = _name("repeat_contact")
    source: str = _source(EFFORT)
    each: int = _points(-1)
    limit: int = _points(-3)

    def contribute(self, state: ScoringState) -> Contribution | None:
        n = state.case.information_requests
        reason = f"asked for information {n} time(s)"
        return _given(self.name, max(self.each * n, self.limit), reason, self.source)


@attrs.frozen(kw_only=True)
class Reopenings:
    """``each`` point(s) per reopening."""

    tag: ClassVar[str] = "reopenings"
    name: str = _name("reopenings")
    source: str = _source(EFFORT)
    each: int = _points(-4)

    def contribute(self, state: ScoringState) -> Contribution | None:
        n = state.case.reopen_count
        return _given(self.name, self.each * n, f"reopened {n} time(s)", self.source)


# -- going forward ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class FollowedUp:
    """A completed follow-up other than a change notification."""

    tag: ClassVar[str] = "follow_up"
    name: str = _name("follow_up")
    source: str = _source(RAGE)
    points: int = _points(2)

    def contribute(self, state: ScoringState) -> Contribution | None:
        change = FollowUpPurpose.CHANGE_NOTIFICATION
        if not any(f.is_done and f.follow_up.purpose is not change for f in state.case.follow_ups):
            return None
        return _given(self.name, self.points, "the firm followed up afterwards", self.source)


@attrs.frozen(kw_only=True)
class ToldOfFix:
    """A completed change notification: "your complaint changed this" (Customer Rage Study
    2020: customers want reassurance it will not happen again)."""

    tag: ClassVar[str] = "told_of_fix"
    name: str = _name("told_of_fix")
    source: str = _source(RAGE)
    points: int = _points(3)

    def contribute(self, state: ScoringState) -> Contribution | None:
        change = FollowUpPurpose.CHANGE_NOTIFICATION
        if not any(f.is_done and f.follow_up.purpose is change for f in state.case.follow_ups):
            return None
        return _given(self.name, self.points, "told that the cause was fixed", self.source)


@attrs.frozen(kw_only=True)
class SystemicRemedy:
    """A delivered remedy that fixes the cause for everyone, not only for this customer."""

    tag: ClassVar[str] = "systemic_remedy"
    name: str = _name("systemic_remedy")
    source: str = _source(RAGE)
    points: int = _points(2)

    def contribute(self, state: ScoringState) -> Contribution | None:
        if not any(
            r.remedy.scope is RemedyScope.SYSTEMIC and r.status is RemedyStatus.DELIVERED
            for r in state.case.remedies
        ):
            return None
        return _given(self.name, self.points, "fixed for everyone, too", self.source)


# -- history and caps ------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class PriorComplaints:
    """``each`` point(s) per earlier complaint (from the `CustomerContext`), no lower than
    ``limit`` in all."""

    tag: ClassVar[str] = "prior_complaints"
    name: str = _name("prior_complaints")
    source: str = _source(LIBRARY)
    each: int = _points(-2)
    limit: int = _points(-6)

    def contribute(self, state: ScoringState) -> Contribution | None:
        n = state.context.prior_complaints
        reason = f"{n} earlier complaint(s)"
        return _given(self.name, max(self.each * n, self.limit), reason, self.source)


@attrs.frozen(kw_only=True)
class DoubleDeviation:
    """A second failure (a prior failed recovery, or a follow-up that found the problem not
    resolved) takes the score so far down into ``defecting``: the recovery failed."""

    tag: ClassVar[str] = "double_deviation"
    name: str = _name("double_deviation")
    source: str = _source(DOUBLE)

    def contribute(self, state: ScoringState) -> Contribution | None:
        double = state.context.prior_failed_recovery or any(
            f.outcome is FollowUpOutcome.NOT_RESOLVED for f in state.case.follow_ups
        )
        ceiling = state.bands.at_risk_from - 1
        if not double or state.total <= ceiling:
            return None
        reason = "a second failure: the recovery failed"
        return _given(self.name, ceiling - state.total, reason, self.source)


@attrs.frozen(kw_only=True)
class BaselineCap:
    """No score above the pre-failure baseline. With ``recovery_paradox``, up to
    ``paradox_cap`` points above it, and only when the severity is low, there was no prior
    complaint or failure, no root cause is linked (the cause was one-off), the rule named
    ``remedy_rule`` gave at least ``paradox_min_remedy`` points so far, the final response
    apologised and explained, clocks were given and none breached, and the case was never
    reopened (de Matos et al. 2007: the effect is rare and small)."""

    tag: ClassVar[str] = "baseline_cap"
    name: str = _name("baseline_cap")
    source: str = _source(PARADOX)
    recovery_paradox: bool = attrs.field(default=False, validator=v.instance_of(bool))
    paradox_cap: int = attrs.field(default=3, validator=v.int_between(0, 20))
    paradox_min_remedy: int = _points(3)
    """Half the default ``adequate`` remedy points: an adequate remedy, even if capped."""
    remedy_rule: str = attrs.field(default="remedy_adequacy", validator=_text)

    def contribute(self, state: ScoringState) -> Contribution | None:
        baseline = ceiling = state.baseline
        if self.recovery_paradox and self._paradox_allowed(state):
            ceiling = min(baseline + self.paradox_cap, 100)
        if state.total <= ceiling:
            return None
        reason = "no higher than the pre-failure baseline"
        if ceiling > baseline:
            reason += f" plus the recovery-paradox allowance ({ceiling - baseline})"
        return _given(self.name, ceiling - state.total, reason, self.source)

    def _paradox_allowed(self, state: ScoringState) -> bool:
        case, ctx = state.case, state.context
        final = case.final_response
        return (
            case.complaint.severity is Severity.LOW
            and ctx.prior_complaints == 0
            and not ctx.prior_failed_recovery
            and not case.root_causes  # a linked root cause is not a one-off
            and state.points(self.remedy_rule) >= self.paradox_min_remedy
            and final is not None
            and final.apology
            and final.explanation
            and state.timed
            and not state.breached
            and not case.reopen_count
        )


BUILTIN_RULES: tuple[type[ScoringRule], ...] = (
    BaseRetention,
    RemedyAdequacy,
    Apology,
    MissingApology,
    Explanation,
    NamedOwner,
    ClocksMet,
    ClocksBreached,
    Handoffs,
    RepeatContact,
    Reopenings,
    FollowedUp,
    ToldOfFix,
    SystemicRemedy,
    PriorComplaints,
    DoubleDeviation,
    BaselineCap,
)
"""Every built-in rule class, in the default order (the serialization side maps their tags)."""
