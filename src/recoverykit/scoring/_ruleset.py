"""`RuleSet`: the ordered rules and the global settings; `score`: running them on a case."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

import attrs

from recoverykit import _validation as v
from recoverykit.case import Case
from recoverykit.clocks import ClockStatus
from recoverykit.errors import InvalidType, UnknownName, ValidationError
from recoverykit.scoring._core import (
    LIBRARY,
    Band,
    Bands,
    Contribution,
    CustomerContext,
    LoyaltyAssessment,
    ScoringRule,
    ScoringState,
    as_tuple,
    first_state,
    next_state,
    pct,
)
from recoverykit.scoring._rules import (
    Apology,
    BaselineCap,
    BaseRetention,
    ClocksBreached,
    ClocksMet,
    DoubleDeviation,
    Explanation,
    FollowedUp,
    Handoffs,
    MissingApology,
    NamedOwner,
    PriorComplaints,
    RemedyAdequacy,
    Reopenings,
    RepeatContact,
    SystemicRemedy,
    ToldOfFix,
)

DEFAULT_VERSION = "2026.11"
DEFAULT_BASELINE = 90
DEFAULT_BANDS = Bands()
DEFAULT_RULES: tuple[ScoringRule, ...] = (
    BaseRetention(),
    RemedyAdequacy(),
    Apology(),
    MissingApology(),
    Explanation(),
    NamedOwner(),
    ClocksMet(),
    ClocksBreached(),
    Handoffs(),
    RepeatContact(),
    Reopenings(),
    FollowedUp(),
    ToldOfFix(),
    SystemicRemedy(),
    PriorComplaints(),
    DoubleDeviation(),
    BaselineCap(),
)


def check_rule(value: object, path: str) -> ScoringRule:
    """``value`` if it is a usable scoring rule, else `InvalidType` at ``path``."""
    if isinstance(value, type):
        msg = f"expected a scoring rule, got the class {value.__name__} (an instance is needed)"
        raise InvalidType(path, msg)
    if not isinstance(value, ScoringRule):
        msg = "expected a scoring rule (tag, name, source and contribute())"
        raise InvalidType(path, f"{msg}, got {v.type_name(value)}")
    for attribute in ("tag", "name", "source"):
        text = getattr(value, attribute)
        if not isinstance(text, str) or not text.strip():
            msg = f"expected a non-blank str, got {v.type_name(text)}"
            raise InvalidType(f"{path}.{attribute}", msg)
    if not callable(value.contribute):
        raise InvalidType(f"{path}.contribute", "expected a method")
    return value


def _rules(instance: RuleSet, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple):
        v.fail_type(
            instance, attribute, f"expected a tuple of scoring rules, got {v.type_name(value)}"
        )
    seen: dict[str, int] = {}
    for i, rule in enumerate(value):
        check_rule(rule, f"RuleSet.rules[{i}]")
        if rule.name in seen:
            msg = f"{rule.name!r} is also the name of rules[{seen[rule.name]}]; names are unique"
            raise ValidationError(f"RuleSet.rules[{i}].name", msg)
        seen[rule.name] = i


@attrs.frozen(kw_only=True, init=False)
class RuleSet:
    """The rules of a score, in the order they run, and the settings every rule shares.

    Frozen and versioned: every `LoyaltyAssessment` records the ``version`` of the ruleset
    that made it, so give a changed ruleset its own. Change it with `with_rule`,
    `without_rule`, `replace` and `move` (each returns a new ruleset), or `attrs.evolve`.

    The old weight keywords (``RuleSet(apology=5)``, ``attrs.evolve(rs, clock_met=3)``) still
    work with a `DeprecationWarning`: each sets the field of the rule that now holds it.
    """

    version: str = attrs.field(default=DEFAULT_VERSION, validator=v.text())
    rules: tuple[ScoringRule, ...] = attrs.field(
        default=DEFAULT_RULES, converter=as_tuple, validator=_rules
    )
    baseline: int = attrs.field(default=DEFAULT_BASELINE, validator=pct)
    """Library default: pre-failure retention expectation when the context gives none."""
    bands: Bands = attrs.field(default=DEFAULT_BANDS, validator=v.instance_of(Bands))

    def __init__(
        self,
        *,
        version: str = DEFAULT_VERSION,
        rules: Iterable[ScoringRule] = DEFAULT_RULES,
        baseline: int = DEFAULT_BASELINE,
        bands: Bands = DEFAULT_BANDS,
        **weights: object,
    ) -> None:
        if weights:
            rules, bands = _legacy_weights(as_tuple(rules), bands, weights)
        self.__attrs_init__(version=version, rules=rules, baseline=baseline, bands=bands)

    @property
    def names(self) -> tuple[str, ...]:
        """The rule names, in order."""
        return tuple(r.name for r in self.rules)

    def rule(self, name: str) -> ScoringRule:
        """The rule called ``name``; `UnknownName` if there is none."""
        return self.rules[_index(self.rules, name, "name")]

    def with_rule(
        self, rule: ScoringRule, *, before: str | None = None, after: str | None = None
    ) -> RuleSet:
        """A ruleset with ``rule`` added before or after the rule so named, or last."""
        check_rule(rule, "rule")
        if rule.name in self.names:
            msg = f"there is already a rule named {rule.name!r}; use replace() to swap it"
            raise ValidationError("rule.name", msg)
        rules = list(self.rules)
        rules.insert(_position(self.rules, before, after), rule)
        return attrs.evolve(self, rules=tuple(rules))

    def without_rule(self, name: str) -> RuleSet:
        """A ruleset without the rule called ``name``."""
        i = _index(self.rules, name, "name")
        return attrs.evolve(self, rules=self.rules[:i] + self.rules[i + 1 :])

    def replace(self, rule: ScoringRule, *, name: str | None = None) -> RuleSet:
        """A ruleset with ``rule`` in the place of the rule called ``name`` (by default the
        one with ``rule``'s own name): the way to change a rule's weights."""
        check_rule(rule, "rule")
        i = _index(self.rules, rule.name if name is None else name, "name")
        return attrs.evolve(self, rules=(*self.rules[:i], rule, *self.rules[i + 1 :]))

    def move(self, name: str, *, before: str | None = None, after: str | None = None) -> RuleSet:
        """A ruleset with the rule called ``name`` moved before or after another, or last."""
        rule = self.rule(name)
        if name in (before, after):
            raise ValidationError(
                "before" if before == name else "after", "a rule cannot move next to itself"
            )
        rules = [r for r in self.rules if r is not rule]
        rules.insert(_position(tuple(rules), before, after), rule)
        return attrs.evolve(self, rules=tuple(rules))

    def band(self, score: int) -> Band:
        """The band ``score`` falls in (see ``bands``)."""
        return self.bands.band(score)

    if not TYPE_CHECKING:  # hidden from type checkers: a typo must stay a type error

        def __getattr__(self, name: str) -> Any:
            # Reading an old weight (``ruleset.paradox_cap``) still works, with a warning.
            if name in _LEGACY_BANDS:
                _warn_legacy([name], stacklevel=3)
                return getattr(self.bands, name)
            if name in _LEGACY:
                rule_name, field = _LEGACY[name]
                _warn_legacy([name], stacklevel=3)
                for rule in self.rules:
                    if rule.name == rule_name:
                        return getattr(rule, field)
            msg = f"{type(self).__name__!r} object has no attribute {name!r}"
            raise AttributeError(msg)


def _index(rules: tuple[ScoringRule, ...], name: object, path: str) -> int:
    if not isinstance(name, str):
        raise InvalidType(path, f"expected a rule name (str), got {v.type_name(name)}")
    for i, rule in enumerate(rules):
        if rule.name == name:
            return i
    known = ", ".join(r.name for r in rules) or "none"
    raise UnknownName(path, f"no rule named {name!r}; the rules are: {known}")


def _position(rules: tuple[ScoringRule, ...], before: str | None, after: str | None) -> int:
    if before is not None and after is not None:
        raise ValidationError("before", "give before or after, not both")
    if before is not None:
        return _index(rules, before, "before")
    if after is not None:
        return _index(rules, after, "after") + 1
    return len(rules)


# -- the old weight keywords ------------------------------------------------------------------

_LEGACY: Mapping[str, tuple[str, str]] = {
    "unresolved_small_loss": ("base_retention", "unresolved_small_loss"),
    "unresolved_large_loss": ("base_retention", "unresolved_large_loss"),
    "resolved_small_loss": ("base_retention", "resolved_small_loss"),
    "resolved_large_loss": ("base_retention", "resolved_large_loss"),
    "quick_small_loss": ("base_retention", "quick_small_loss"),
    "quick_large_loss": ("base_retention", "quick_large_loss"),
    "on_time_days": ("base_retention", "on_time_days"),
    "remedy_low": ("remedy_adequacy", "low"),
    "remedy_adequate": ("remedy_adequacy", "adequate"),
    "remedy_generous": ("remedy_adequacy", "generous"),
    "remedy_mismatch_divisor": ("remedy_adequacy", "mismatch_divisor"),
    "remedy_attenuated_max": ("remedy_adequacy", "attenuated_max"),
    "apology": ("apology", "points"),
    "missing_apology": ("missing_apology", "points"),
    "explanation": ("explanation", "points"),
    "named_owner": ("named_owner", "points"),
    "clock_met": ("clocks_met", "each"),
    "clock_breached": ("clocks_breached", "each"),
    "handoff": ("handoffs", "each"),
    "handoff_floor": ("handoffs", "limit"),
    "repeat_contact": ("repeat_contact", "each"),
    "repeat_contact_floor": ("repeat_contact", "limit"),
    "reopening": ("reopenings", "each"),
    "follow_up_done": ("follow_up", "points"),
    "told_of_fix": ("told_of_fix", "points"),
    "systemic_remedy": ("systemic_remedy", "points"),
    "prior_complaint": ("prior_complaints", "each"),
    "prior_complaint_floor": ("prior_complaints", "limit"),
    "recovery_paradox": ("baseline_cap", "recovery_paradox"),
    "paradox_cap": ("baseline_cap", "paradox_cap"),
}
"""Old `RuleSet` weight -> (the rule that holds it now, its field)."""
_LEGACY_BANDS = frozenset({"advocate_from", "loyal_from", "at_risk_from"})


def _warn_legacy(names: Iterable[str], stacklevel: int) -> None:
    hints = []
    for name in names:
        if name in _LEGACY_BANDS:
            hints.append(f"{name} is now RuleSet.bands.{name}")
        else:
            rule, field = _LEGACY[name]
            hints.append(f"{name} is now the {field!r} of the rule {rule!r}")
    msg = (
        "RuleSet weights moved onto the rule objects (use ruleset.replace(rule) or "
        f"bands=Bands(...)): {'; '.join(hints)}"
    )
    warnings.warn(msg, DeprecationWarning, stacklevel=stacklevel)


def _legacy_weights(rules: Any, bands: Bands, weights: Mapping[str, object]) -> tuple[Any, Bands]:
    """Apply old `RuleSet` weight keywords to the rules (and bands) that hold them now."""
    unknown = [k for k in weights if k not in _LEGACY and k not in _LEGACY_BANDS]
    if unknown:
        known = sorted(["version", "rules", "baseline", "bands", *_LEGACY, *_LEGACY_BANDS])
        msg = f"no such setting; RuleSet takes {', '.join(known)}"
        raise UnknownName(f"RuleSet.{unknown[0]}", msg)
    _warn_legacy(weights, stacklevel=4)
    if not isinstance(rules, tuple):
        return rules, bands  # the validator names the wrong type
    new = list(rules)
    names = [getattr(r, "name", None) for r in new]
    for target, fields in _by_target(weights).items():
        if target == "bands":
            bands = _evolved(bands, fields)
        elif target in names:
            i = names.index(target)
            new[i] = _evolved(new[i], fields)
        elif explicit := [keyword for keyword, _ in fields.values() if keyword]:
            msg = f"the rule {target!r} that now holds this weight is not in rules"
            raise UnknownName(f"RuleSet.{explicit[0]}", msg)
    return tuple(new), bands


_Changes = dict[str, tuple[str | None, object]]
"""field -> (the old keyword that set it, or None when implied by another; the value)"""


def _by_target(weights: Mapping[str, object]) -> dict[str, _Changes]:
    out: dict[str, _Changes] = {}
    for keyword, value in weights.items():
        target, field = ("bands", keyword) if keyword in _LEGACY_BANDS else _LEGACY[keyword]
        out.setdefault(target, {})[field] = (keyword, value)
        if keyword == "remedy_adequate" and type(value) is int:
            # The recovery-paradox condition was "at least half the adequate remedy points".
            out.setdefault("baseline_cap", {}).setdefault("paradox_min_remedy", (None, value // 2))
    return out


def _evolved(obj: Any, fields: _Changes) -> Any:
    try:
        return attrs.evolve(obj, **{name: value for name, (_, value) in fields.items()})
    except ValidationError as e:  # named by the keyword the caller wrote
        keyword = fields.get(e.path.rpartition(".")[2], (None, None))[0]
        raise type(e)(f"RuleSet.{keyword}" if keyword else "RuleSet", e.message) from None


# -- scoring ----------------------------------------------------------------------------------

DEFAULT_RULESET = RuleSet()


def score(
    case: Case,
    *,
    ruleset: RuleSet = DEFAULT_RULESET,
    statuses: Iterable[ClockStatus] | None = None,
    context: CustomerContext | None = None,
    now: datetime,
) -> LoyaltyAssessment:
    """Assess the case as of ``now``: run the ruleset's rules in order, then keep the score
    within 0..100 (a ``floor`` or ``ceiling`` contribution says so when it had to).

    ``statuses`` are the case's clock statuses (from `evaluate_clocks` or a regime); without
    them, "quick" means a first final response within the base-retention rule's
    ``on_time_days``. See docs/scoring.md.
    """
    state = _first_state(case, ruleset, statuses, context, now)
    parts: list[Contribution] = []
    total = 0
    for i, rule in enumerate(ruleset.rules):
        out = rule.contribute(state)
        if out is None:
            continue
        if out.__class__ is Contribution:  # the common case, without the checks of _many
            parts.append(out)
            total += out.points
        else:
            for c in _many(out, i, rule):
                parts.append(c)
                total += c.points
        state = next_state(state, parts, total)
    if total < 0:
        parts.append(Contribution("floor", -total, "scores stop at 0", LIBRARY))
        total = 0
    elif total > 100:
        parts.append(Contribution("ceiling", 100 - total, "scores stop at 100", LIBRARY))
        total = 100
    band = ruleset.bands.band(total)
    return LoyaltyAssessment(total, band, state.baseline, tuple(parts), ruleset.version)


def _first_state(
    case: object, ruleset: object, statuses: object, context: object, now: object
) -> ScoringState:
    """The state the first rule sees, once every argument of `score` is checked."""
    v.require_aware(now, "now")
    if not isinstance(case, Case):
        raise InvalidType("case", f"expected a Case, got {v.type_name(case)}")
    if not isinstance(ruleset, RuleSet):
        raise InvalidType("ruleset", f"expected a RuleSet, got {v.type_name(ruleset)}")
    if context is None:
        context = CustomerContext()
    elif not isinstance(context, CustomerContext):
        msg = f"expected a CustomerContext or None, got {v.type_name(context)}"
        raise InvalidType("context", msg)
    baseline = ruleset.baseline if context.baseline is None else context.baseline
    given = _statuses(statuses)
    return first_state(
        case,
        now=now,  # type: ignore[arg-type]  # checked by require_aware
        context=context,
        statuses=given,
        baseline=baseline,
        bands=ruleset.bands,
    )


def _statuses(statuses: object) -> tuple[ClockStatus, ...]:
    if statuses is None:
        return ()
    if not isinstance(statuses, Iterable) or isinstance(statuses, str | bytes | Mapping):
        msg = f"expected clock statuses (an iterable of ClockStatus), got {v.type_name(statuses)}"
        raise InvalidType("statuses", msg)
    out = tuple(statuses)
    for i, s in enumerate(out):
        if not isinstance(s, ClockStatus):
            raise InvalidType(f"statuses[{i}]", f"expected a ClockStatus, got {v.type_name(s)}")
    return out


def _many(out: object, index: int, rule: ScoringRule) -> tuple[Contribution, ...]:
    """What a rule returned other than one contribution or None: contributions, or an error
    that names the rule (an app's rule returning the wrong thing is the app's to fix)."""
    if isinstance(out, Contribution):
        return (out,)
    path = f"ruleset.rules[{index}]"
    wanted = "contribute() returns a Contribution, an iterable of them, or None"
    if not isinstance(out, Iterable) or isinstance(out, str | bytes | Mapping):
        raise InvalidType(path, f"rule {rule.name!r} returned {v.type_name(out)}; {wanted}")
    items = tuple(out)
    for item in items:
        if not isinstance(item, Contribution):
            msg = (
                f"rule {rule.name!r} returned {v.type_name(item)} among its contributions; {wanted}"
            )
            raise InvalidType(path, msg)
    return items
