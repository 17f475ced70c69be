"""Explainable loyalty scoring: how the handling of a complaint is likely to affect the
customer's loyalty, and why.

`score` returns a `LoyaltyAssessment`: a score from 0 to 100 read as a predicted retention
percentage, its `Band`, and the `Contribution` of every rule, which sum exactly to the score.
All weights live in a frozen, versioned `RuleSet`; override any with `attrs.evolve`. The
arithmetic is integer-only and the rules run in a fixed order, so the same case always gets
the same score.

The defaults follow the research summarised in docs/scoring.md: base retention by outcome
and loss size from TARP (1986); outcome and interactional fairness (Tax, Brown &
Chandrashekaran 1998; Orsingher et al. 2010; Gelbrich & Roschk 2011); compensation best
between 60% and 120% of the loss and no further help past 150% (Gelbrich, Gäthke & Grégoire
2015; Haesevoets et al. 2017), mattering less when the process was all good or all bad (Wirtz
& Mattila 2004); double deviation (Maxham & Netemeyer 2002); and no "recovery paradox" by
default (de Matos et al. 2007; Michel & Meuter 2008).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

import attrs

from recoverykit import _validation as v
from recoverykit.case import Case
from recoverykit.clocks import ClockState, ClockStatus
from recoverykit.errors import ValidationError
from recoverykit.model import (
    FollowUpOutcome,
    FollowUpPurpose,
    Outcome,
    RemedyScope,
    RemedyStatus,
    Severity,
)

__all__ = [
    "DEFAULT_RULESET",
    "Band",
    "Contribution",
    "CustomerContext",
    "LoyaltyAssessment",
    "RuleSet",
    "score",
]


class Band(enum.StrEnum):
    ADVOCATE = "advocate"
    LOYAL = "loyal"
    AT_RISK = "at_risk"
    DEFECTING = "defecting"


@attrs.frozen
class Contribution:
    """One rule's part of the score: ``points`` (may be negative), why, and on what it rests."""

    rule: str
    points: int
    reason: str
    source: str


@attrs.frozen
class LoyaltyAssessment:
    score: int
    band: Band
    baseline: int
    """The pre-failure expectation the score is compared with (and capped at by default)."""
    contributions: tuple[Contribution, ...]
    ruleset_version: str


@attrs.frozen(kw_only=True)
class CustomerContext:
    """What the app knows about the customer beyond this case."""

    prior_complaints: int = attrs.field(default=0, validator=v.int_between(0, 10_000))
    tenure_years: int | None = attrs.field(
        default=None, validator=v.int_between(0, 200, optional=True)
    )
    prior_failed_recovery: bool = attrs.field(default=False, validator=v.instance_of(bool))
    """An earlier complaint whose recovery failed: a second failure is a double deviation."""
    baseline: int | None = attrs.field(default=None, validator=v.int_between(0, 100, optional=True))
    """This customer's retention expectation before the failure, if the app knows it."""


TARP = "TARP (1986), Consumer complaint handling in America: an update study"
JUSTICE = "Tax, Brown & Chandrashekaran (1998); Orsingher, Valentini & de Angelis (2010)"
COMPENSATION = "Gelbrich, Gäthke & Grégoire (2015); Haesevoets et al. (2017)"
WIRTZ = "Wirtz & Mattila (2004)"
EFFORT = "Davidow (2003); customer effort research (Dixon, Freeman & Toman 2010)"
DOUBLE = "Maxham & Netemeyer (2002)"
PARADOX = "de Matos, Henrique & Rossi (2007) meta-analysis; Michel & Meuter (2008)"
RAGE = "Customer Rage Study (2020)"
LIBRARY = "recoverykit default (a judgement, not a published figure)"


def _pct(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    v.int_between(0, 100)(instance, attribute, value)


def _points(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    v.int_between(-100, 100)(instance, attribute, value)


@attrs.frozen(kw_only=True)
class RuleSet:
    """Every weight and threshold of the default rules. Published figures say where from;
    the others are library defaults, to be tuned with `recoverykit.metrics.calibrate`."""

    version: str = "2026.11"

    # Base retention, percent (TARP 1986: small loss under $5 / large loss over $100).
    unresolved_small_loss: int = attrs.field(default=46, validator=_pct)
    """TARP: complained, not satisfied, small loss: 46% would buy again."""
    unresolved_large_loss: int = attrs.field(default=19, validator=_pct)
    """TARP: complained, not satisfied, large loss: 19%."""
    resolved_small_loss: int = attrs.field(default=70, validator=_pct)
    """TARP: complained, satisfied (resolved, but not quickly), small loss: 70%."""
    resolved_large_loss: int = attrs.field(default=54, validator=_pct)
    """TARP: complained, satisfied, large loss: 54%."""
    quick_small_loss: int = attrs.field(default=95, validator=_pct)
    """TARP: complained, satisfied quickly, small loss: 95%."""
    quick_large_loss: int = attrs.field(default=82, validator=_pct)
    """TARP: complained, satisfied quickly, large loss: 82%."""
    on_time_days: int = attrs.field(default=14, validator=v.int_between(0, 3650))
    """Library default: without clock statuses, a first final response within this many
    calendar days of receipt counts as quick."""

    baseline: int = attrs.field(default=90, validator=_pct)
    """Library default: pre-failure retention expectation when the context gives none."""

    # Remedy adequacy (compensation relative to the claimed loss).
    remedy_low: int = attrs.field(default=2, validator=_points)
    """Library default: something delivered, under 60% of the loss."""
    remedy_adequate: int = attrs.field(default=6, validator=_points)
    """Gelbrich et al. 2015: 60-120% of the loss restores satisfaction best."""
    remedy_generous: int = attrs.field(default=7, validator=_points)
    """Haesevoets et al. 2017: above 120% adds little; past 150% nothing more."""
    remedy_mismatch_divisor: int = attrs.field(default=2, validator=v.int_between(1, 10))
    """Library default: a remedy of another kind than asked for counts 1/divisor."""
    remedy_attenuated_max: int = attrs.field(default=3, validator=_points)
    """Wirtz & Mattila 2004: compensation adds little when the process was all good or all
    bad; remedy points are capped at this then."""

    # Interactional fairness.
    apology: int = attrs.field(default=4, validator=_points)
    """Justice research: an apology is among the strongest drivers of recovery satisfaction."""
    missing_apology: int = attrs.field(default=-4, validator=_points)
    """When the complaint was upheld (fully or partly) and no apology was given."""
    explanation: int = attrs.field(default=3, validator=_points)
    named_owner: int = attrs.field(default=3, validator=_points)
    """One named owner throughout (assigned, never handed off)."""

    # Procedural fairness and effort.
    clock_met: int = attrs.field(default=2, validator=_points)
    """Per regulatory or SLA clock met (from `ClockStatus` values)."""
    clock_breached: int = attrs.field(default=-5, validator=_points)
    handoff: int = attrs.field(default=-2, validator=_points)
    handoff_floor: int = attrs.field(default=-6, validator=_points)
    repeat_contact: int = attrs.field(default=-1, validator=_points)
    """Per request for information (each makes the customer come back)."""
    repeat_contact_floor: int = attrs.field(default=-3, validator=_points)
    reopening: int = attrs.field(default=-4, validator=_points)

    # Going forward.
    follow_up_done: int = attrs.field(default=2, validator=_points)
    told_of_fix: int = attrs.field(default=3, validator=_points)
    """Customer Rage Study 2020: customers want reassurance it will not happen again."""
    systemic_remedy: int = attrs.field(default=2, validator=_points)

    # History.
    prior_complaint: int = attrs.field(default=-2, validator=_points)
    prior_complaint_floor: int = attrs.field(default=-6, validator=_points)

    # Bands: lower bounds, percent.
    advocate_from: int = attrs.field(default=85, validator=_pct)
    loyal_from: int = attrs.field(default=65, validator=_pct)
    at_risk_from: int = attrs.field(default=40, validator=_pct)

    # Recovery paradox (off by default).
    recovery_paradox: bool = False
    """Allow a score above the baseline, only when the severity is low, there was no prior
    complaint or failure, the cause was one-off, the remedy adequate, apology and explanation
    given, and every clock met. de Matos et al. 2007: the effect is rare and small."""
    paradox_cap: int = attrs.field(default=3, validator=v.int_between(0, 20))

    def __attrs_post_init__(self) -> None:
        if not self.advocate_from > self.loyal_from > self.at_risk_from:
            msg = "band bounds must satisfy advocate_from > loyal_from > at_risk_from"
            raise ValidationError("RuleSet", msg)

    def band(self, score: int) -> Band:
        if score >= self.advocate_from:
            return Band.ADVOCATE
        if score >= self.loyal_from:
            return Band.LOYAL
        if score >= self.at_risk_from:
            return Band.AT_RISK
        return Band.DEFECTING


DEFAULT_RULESET = RuleSet()


def score(
    case: Case,
    *,
    ruleset: RuleSet = DEFAULT_RULESET,
    statuses: Iterable[ClockStatus] | None = None,
    context: CustomerContext | None = None,
    now: datetime,
) -> LoyaltyAssessment:
    """Assess the case as of ``now``; see the module docstring and docs/scoring.md.

    ``statuses`` are the case's clock statuses (from `evaluate_clocks` or a regime); without
    them, "quick" means a first final response within ``ruleset.on_time_days``.
    """
    v.require_aware(now, "now")
    run = _Scoring(case, ruleset, statuses, context or CustomerContext())
    run.base_retention()
    run.remedy_adequacy()
    run.interactional_fairness()
    run.procedural_fairness()
    run.going_forward()
    run.history()
    return run.capped()


class _Scoring:
    """One assessment: the rules in their fixed order, each adding its contributions."""

    def __init__(
        self,
        case: Case,
        rs: RuleSet,
        statuses: Iterable[ClockStatus] | None,
        ctx: CustomerContext,
    ) -> None:
        self.case, self.rs, self.ctx = case, rs, ctx
        self.given = [s for s in (statuses or ()) if s.status is not ClockState.PENDING]
        self.met = sum(s.status is ClockState.MET for s in self.given)
        self.breached = sum(s.status is ClockState.BREACHED for s in self.given)
        self.parts: list[Contribution] = []
        self.remedy_points = 0

    def add(self, rule: str, points: int, reason: str, source: str) -> None:
        if points:
            self.parts.append(Contribution(rule, points, reason, source))

    def base_retention(self) -> None:
        case, rs = self.case, self.rs
        resolved = _resolved(case)
        quick = resolved and _quick(case, rs, self.given, self.breached)
        if quick:
            lo, hi, outcome = rs.quick_small_loss, rs.quick_large_loss, "resolved quickly"
        elif resolved:
            lo, hi, outcome = rs.resolved_small_loss, rs.resolved_large_loss, "resolved"
        else:
            lo, hi, outcome = rs.unresolved_small_loss, rs.unresolved_large_loss, "not resolved"
        severity = case.complaint.severity
        base = lo + _div((hi - lo) * severity.rank, len(Severity) - 1)
        reason = f"{outcome}, {severity.value} severity: TARP retention {base}%"
        self.parts.append(Contribution("base_retention", base, reason, TARP))

    def remedy_adequacy(self) -> None:
        case, rs = self.case, self.rs
        points, reason = _remedy(case, rs)
        final = case.final_response
        good = bool(self.given) and not self.breached and not case.handoffs
        good = good and not case.reopen_count
        bad = self.breached > 0 and not (final is not None and final.apology)
        if (good or bad) and points > rs.remedy_attenuated_max:
            reason += "; capped: the process was already " + ("good" if good else "bad")
            points = rs.remedy_attenuated_max
            source = f"{COMPENSATION}; {WIRTZ}"
        else:
            source = COMPENSATION
        self.remedy_points = points
        self.add("remedy_adequacy", points, reason, source)

    def interactional_fairness(self) -> None:
        case, rs = self.case, self.rs
        final = case.final_response
        if final is not None and final.apology:
            self.add("apology", rs.apology, "the final response apologised", JUSTICE)
        elif final is not None and final.outcome is not Outcome.NOT_UPHELD:
            self.add("missing_apology", rs.missing_apology, "upheld, but no apology", JUSTICE)
        if final is not None and final.explanation:
            self.add("explanation", rs.explanation, "the response explained what happened", JUSTICE)
        if case.owner is not None and not case.handoffs:
            reason = f"one named owner throughout ({case.owner.id})"
            self.add("named_owner", rs.named_owner, reason, JUSTICE)

    def procedural_fairness(self) -> None:
        case, rs = self.case, self.rs
        self.add("clocks_met", rs.clock_met * self.met, f"{self.met} deadline(s) met", JUSTICE)
        missed = f"{self.breached} deadline(s) missed"
        self.add("clocks_breached", rs.clock_breached * self.breached, missed, EFFORT)
        handoffs = max(rs.handoff * case.handoffs, rs.handoff_floor)
        self.add("handoffs", handoffs, f"handed on {case.handoffs} time(s)", EFFORT)
        asks = case.information_requests
        contact = max(rs.repeat_contact * asks, rs.repeat_contact_floor)
        self.add("repeat_contact", contact, f"asked for information {asks} time(s)", EFFORT)
        reopened = f"reopened {case.reopen_count} time(s)"
        self.add("reopenings", rs.reopening * case.reopen_count, reopened, EFFORT)

    def going_forward(self) -> None:
        case, rs = self.case, self.rs
        done = [f.follow_up.purpose for f in case.follow_ups if f.is_done]
        change = FollowUpPurpose.CHANGE_NOTIFICATION
        if any(p is not change for p in done):
            self.add("follow_up", rs.follow_up_done, "the firm followed up afterwards", RAGE)
        if change in done:
            self.add("told_of_fix", rs.told_of_fix, "told that the cause was fixed", RAGE)
        if any(
            r.remedy.scope is RemedyScope.SYSTEMIC and r.status is RemedyStatus.DELIVERED
            for r in case.remedies
        ):
            self.add("systemic_remedy", rs.systemic_remedy, "fixed for everyone, too", RAGE)

    def history(self) -> None:
        rs, prior = self.rs, self.ctx.prior_complaints
        points = max(rs.prior_complaint * prior, rs.prior_complaint_floor)
        self.add("prior_complaints", points, f"{prior} earlier complaint(s)", LIBRARY)

    def capped(self) -> LoyaltyAssessment:
        """Apply the caps in a fixed order: double deviation, baseline (or paradox), 0..100."""
        case, rs, ctx = self.case, self.rs, self.ctx
        baseline = rs.baseline if ctx.baseline is None else ctx.baseline
        total = sum(p.points for p in self.parts)
        double = ctx.prior_failed_recovery or any(
            f.outcome is FollowUpOutcome.NOT_RESOLVED for f in case.follow_ups
        )
        if double and total >= rs.at_risk_from:
            cut = rs.at_risk_from - 1 - total
            self.add("double_deviation", cut, "a second failure: the recovery failed", DOUBLE)
            total += cut
        ceiling = baseline
        if rs.recovery_paradox and self.paradox_allowed():
            ceiling = min(baseline + rs.paradox_cap, 100)
        if total > ceiling:
            reason = "no higher than the pre-failure baseline"
            if ceiling > baseline:
                reason += f" plus the recovery-paradox allowance ({ceiling - baseline})"
            self.add("baseline_cap", ceiling - total, reason, PARADOX)
            total = ceiling
        if total < 0:
            self.add("floor", -total, "scores stop at 0", LIBRARY)
            total = 0
        return LoyaltyAssessment(total, rs.band(total), baseline, tuple(self.parts), rs.version)

    def paradox_allowed(self) -> bool:
        case, ctx = self.case, self.ctx
        final = case.final_response
        return (
            case.complaint.severity is Severity.LOW
            and ctx.prior_complaints == 0
            and not ctx.prior_failed_recovery
            and not case.root_causes  # a linked root cause is not a one-off
            and self.remedy_points >= self.rs.remedy_adequate // 2
            and final is not None
            and final.apology
            and final.explanation
            and bool(self.given)
            and not self.breached
            and not case.reopen_count
        )


def _div(a: int, b: int) -> int:
    """a / b rounded half to even, in integers."""
    return int((Decimal(a) / Decimal(b)).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def _resolved(case: Case) -> bool:
    if case.resolved_at is not None:
        return True
    final = case.final_response
    return final is not None and final.outcome is not Outcome.NOT_UPHELD


def _quick(case: Case, rs: RuleSet, given: list[ClockStatus], breached: int) -> bool:
    if given:
        return breached == 0
    first = case.first_responded_at
    return first is not None and first - case.received_at <= timedelta(days=rs.on_time_days)


def _remedy(case: Case, rs: RuleSet) -> tuple[int, str]:
    delivered = [r.remedy for r in case.remedies if r.status is RemedyStatus.DELIVERED]
    if not delivered:
        return 0, "no remedy delivered"
    loss = case.complaint.claimed_loss
    paid = Decimal(0)
    if loss is not None:
        same = [r.value.amount for r in delivered if r.value and r.value.currency == loss.currency]
        paid = sum(same, Decimal(0))
    if loss is not None and loss.amount > 0 and paid > 0:
        percent = int((paid * 100 / loss.amount).to_integral_value(rounding=ROUND_HALF_EVEN))
        if percent >= 120:  # and no further help past 150%
            points, why = rs.remedy_generous, f"compensation {percent}% of the loss"
        elif percent >= 60:
            points, why = rs.remedy_adequate, f"compensation {percent}% of the loss"
        else:
            points, why = rs.remedy_low, f"compensation only {percent}% of the loss"
    else:
        points, why = rs.remedy_adequate, "a remedy was delivered"
    desired = case.complaint.desired_remedy
    if desired is not None and all(r.kind is not desired for r in delivered):
        points //= rs.remedy_mismatch_divisor
        why += f", but not the {desired.value} asked for"
    return points, why
