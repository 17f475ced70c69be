"""The values scoring is made of, and the `ScoringRule` protocol every rule implements."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, ClassVar, Protocol, runtime_checkable

import attrs

from recoverykit import _validation as v
from recoverykit.case import Case
from recoverykit.clocks import ClockState, ClockStatus
from recoverykit.errors import InvalidType, ValidationError

# The sources the built-in rules cite (docs/scoring.md gives the full references).
TARP = "TARP (1986), Consumer complaint handling in America: an update study"
JUSTICE = "Tax, Brown & Chandrashekaran (1998); Orsingher, Valentini & de Angelis (2010)"
COMPENSATION = "Gelbrich, Gäthke & Grégoire (2015); Haesevoets et al. (2017)"
WIRTZ = "Wirtz & Mattila (2004)"
EFFORT = "Davidow (2003); customer effort research (Dixon, Freeman & Toman 2010)"
DOUBLE = "Maxham & Netemeyer (2002)"
PARADOX = "de Matos, Henrique & Rossi (2007) meta-analysis; Michel & Meuter (2008)"
RAGE = "Customer Rage Study (2020)"
LIBRARY = "recoverykit default (a judgement, not a published figure)"


class Band(enum.StrEnum):
    ADVOCATE = "advocate"
    LOYAL = "loyal"
    AT_RISK = "at_risk"
    DEFECTING = "defecting"


def pct(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    v.int_between(0, 100)(instance, attribute, value)


def points(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    v.int_between(-100, 100)(instance, attribute, value)


def _int(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        v.fail_type(instance, attribute, f"expected int, got {v.type_name(value)}")


def as_tuple(value: Any) -> Any:
    """Any iterable but a string or a mapping, as a tuple; anything else is left for the
    validator to name."""
    if isinstance(value, Iterable) and not isinstance(value, str | bytes | Mapping):
        return tuple(value)
    return value


@attrs.frozen(kw_only=True)
class Bands:
    """Where each `Band` starts: the lowest score of ``advocate``, ``loyal`` and ``at_risk``;
    below ``at_risk_from`` is ``defecting``. Library defaults, to be tuned on an app's data."""

    advocate_from: int = attrs.field(default=85, validator=pct)
    loyal_from: int = attrs.field(default=65, validator=pct)
    at_risk_from: int = attrs.field(default=40, validator=pct)

    def __attrs_post_init__(self) -> None:
        if not self.advocate_from > self.loyal_from > self.at_risk_from:
            msg = "band bounds must satisfy advocate_from > loyal_from > at_risk_from"
            raise ValidationError("Bands", msg)

    def band(self, score: int) -> Band:
        """The band ``score`` falls in."""
        if isinstance(score, bool) or not isinstance(score, int):
            raise InvalidType("score", f"expected int, got {v.type_name(score)}")
        if score >= self.advocate_from:
            return Band.ADVOCATE
        if score >= self.loyal_from:
            return Band.LOYAL
        if score >= self.at_risk_from:
            return Band.AT_RISK
        return Band.DEFECTING


@attrs.frozen
class Contribution:
    """One rule's part of the score: ``points`` (may be negative), why, and on what it rests."""

    rule: str
    points: int
    reason: str
    source: str

    def __attrs_post_init__(self) -> None:
        # One check for the common case (a score makes a dozen of these); the field-by-field
        # validators only to say what was wrong.
        if not (
            self.points.__class__ is int
            and self.rule.__class__ is str
            and self.reason.__class__ is str
            and self.source.__class__ is str
            and self.rule.strip()
            and self.reason.strip()
            and self.source.strip()
        ):
            for a in attrs.fields(Contribution):
                (_int if a.name == "points" else _TEXT)(self, a, getattr(self, a.name))


_TEXT = v.text()


@attrs.frozen
class LoyaltyAssessment:
    """A score, its band, and the contributions that add up to it (always exactly)."""

    score: int = attrs.field(validator=pct)
    band: Band = attrs.field(validator=v.member_of(Band))
    baseline: int = attrs.field(validator=pct)
    """The pre-failure expectation the score is compared with (and capped at by default)."""
    contributions: tuple[Contribution, ...] = attrs.field(
        converter=as_tuple, validator=v.tuple_of(Contribution)
    )
    ruleset_version: str = attrs.field(validator=v.text())

    def __attrs_post_init__(self) -> None:
        total = sum(c.points for c in self.contributions)
        if total != self.score:
            msg = f"contributions add up to {total}, not to the score {self.score}"
            raise ValidationError("LoyaltyAssessment.contributions", msg)


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


@attrs.frozen(kw_only=True)
class ScoringState:
    """What a rule sees when its turn comes: the inputs of `score` and the contributions of
    the rules before it.

    Rules read nothing else, so a rule can be tested on its own by building a state by hand.
    The running part is only ``so_far``: the caps need the total so far, and the
    recovery-paradox condition the points one earlier rule gave.
    """

    case: Case = attrs.field(validator=v.instance_of(Case))
    now: datetime = attrs.field(validator=v.aware)
    context: CustomerContext = attrs.field(
        factory=CustomerContext, validator=v.instance_of(CustomerContext)
    )
    statuses: tuple[ClockStatus, ...] = attrs.field(
        default=(), converter=as_tuple, validator=v.tuple_of(ClockStatus)
    )
    """The clock statuses given to `score`, as given (pending ones included)."""
    baseline: int = attrs.field(default=90, validator=pct)
    """The pre-failure expectation: the context's if it has one, else the ruleset's."""
    bands: Bands = attrs.field(factory=Bands, validator=v.instance_of(Bands))
    so_far: tuple[Contribution, ...] = attrs.field(
        default=(), converter=as_tuple, validator=v.tuple_of(Contribution)
    )
    """The contributions of the rules that ran before this one, in order."""
    total: int = attrs.field(init=False, eq=False, repr=False)
    """The sum of ``so_far``: the score so far, before the final clamp to 0..100."""
    met: int = attrs.field(init=False, eq=False, repr=False)
    """How many of the given clocks were met."""
    breached: int = attrs.field(init=False, eq=False, repr=False)
    """How many of the given clocks were breached."""
    timed: bool = attrs.field(init=False, eq=False, repr=False)
    """Whether any clock status was given that is not ``pending``: only then do clocks speak
    for the handling (without them, "quick" falls back to the days to a first response)."""

    def __attrs_post_init__(self) -> None:
        states = [s.status for s in self.statuses if s.status is not ClockState.PENDING]
        set_ = object.__setattr__
        set_(self, "total", sum(c.points for c in self.so_far))
        set_(self, "met", states.count(ClockState.MET))
        set_(self, "breached", states.count(ClockState.BREACHED))
        set_(self, "timed", bool(states))

    def points(self, rule: str) -> int:
        """The points the rules so far gave under the name ``rule`` (0 when none did)."""
        if not isinstance(rule, str):
            raise InvalidType("rule", f"expected a rule name (str), got {v.type_name(rule)}")
        return sum(c.points for c in self.so_far if c.rule == rule)


def first_state(
    case: Case,
    *,
    now: datetime,
    context: CustomerContext,
    statuses: tuple[ClockStatus, ...],
    baseline: int,
    bands: Bands,
) -> ScoringState:
    """The engine's first state, from inputs `score` has checked already (no validators)."""
    states = [s.status for s in statuses if s.status is not ClockState.PENDING]
    new = object.__new__(ScoringState)
    set_ = object.__setattr__
    set_(new, "case", case)
    set_(new, "now", now)
    set_(new, "context", context)
    set_(new, "statuses", statuses)
    set_(new, "baseline", baseline)
    set_(new, "bands", bands)
    set_(new, "so_far", ())
    set_(new, "total", 0)
    set_(new, "met", states.count(ClockState.MET))
    set_(new, "breached", states.count(ClockState.BREACHED))
    set_(new, "timed", bool(states))
    return new


def next_state(state: ScoringState, so_far: list[Contribution], total: int) -> ScoringState:
    """The state the next rule sees: ``state`` with the contributions so far (no validators:
    the inputs were checked once, and a score runs 17 rules)."""
    new = object.__new__(ScoringState)
    set_ = object.__setattr__
    for name in _INPUTS:
        set_(new, name, getattr(state, name))
    set_(new, "so_far", tuple(so_far))
    set_(new, "total", total)
    return new


_INPUTS = tuple(a.name for a in attrs.fields(ScoringState) if a.name not in ("so_far", "total"))


@runtime_checkable
class ScoringRule(Protocol):
    """One rule of a `RuleSet`: it looks at a `ScoringState` and says what it adds.

    Implement it with one frozen attrs class whose fields are the rule's weights (plain
    types: int, Decimal, str, bool, enums), so that a ruleset holding it can be saved:

    - ``tag``: a class-level, stable name for the class in saved rulesets (never the class
      name, so renaming the class keeps stored rulesets loading);
    - ``name``: the rule's name in its ruleset and, by convention, in its contributions;
      `RuleSet.with_rule`, `RuleSet.without_rule` and `RuleSet.move` find rules by it;
    - ``source``: what the rule rests on (a citation, or "our own data, 2025");
    - ``contribute(state)``: a `Contribution`, several, or None when the rule has nothing
      to say. Points move the score; a contribution of 0 points is kept as given.
    """

    tag: ClassVar[str]

    @property
    def name(self) -> str: ...

    @property
    def source(self) -> str: ...

    def contribute(self, state: ScoringState) -> Contribution | Iterable[Contribution] | None: ...
