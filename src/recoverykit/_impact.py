"""Did the fix work? The complaint rate of a theme before and after a root-cause fix.

The public names are re-exported by `recoverykit.loops`, where they are documented.
`RootCauseFixed` is defined there and imported here on first use, so that `loops` can import
this module at its top.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from recoverykit import _arguments as args
from recoverykit import _validation as v
from recoverykit._instants import utc
from recoverykit._outcomes import name_of, rounded
from recoverykit.case import Case
from recoverykit.errors import InvalidType, ValidationError

if TYPE_CHECKING:
    from recoverykit.loops import RootCauseFixed

#: Rates are given as cases per this length of time.
RATE_PERIOD = timedelta(days=30)


def _fix_type() -> type[RootCauseFixed]:
    from recoverykit.loops import RootCauseFixed

    return RootCauseFixed


def _check_fix(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    args.require(value, _fix_type(), v.path_of(instance, attribute))


def _positive(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    args.duration(value, v.path_of(instance, attribute), positive=True)


def _rate(count: int, observed: timedelta) -> Fraction:
    """``count`` cases in ``observed`` (positive) as cases per `RATE_PERIOD`, exactly."""
    micro = timedelta.resolution
    return Fraction(count) * (RATE_PERIOD // micro) / (observed // micro)


@attrs.frozen(kw_only=True)
class FixImpact:
    """The complaint rate of a theme in a window before a fix and in the same length of time
    after it (`fix_impact`).

    ``before`` counts the cases received in ``[fix.at - window, fix.at)``, ``after`` those
    received in ``[fix.at, fix.at + after_observed)``: the after-window as far as it had
    gone by ``now``. Rates are cases per 30 days over the time observed.
    """

    fix: RootCauseFixed = attrs.field(validator=_check_fix)
    theme: str = attrs.field(validator=v.text())
    """The category given, or the name of the function given."""
    window: timedelta = attrs.field(validator=_positive)
    before: int = attrs.field(validator=args.count())
    after: int = attrs.field(validator=args.count())
    after_observed: timedelta = attrs.field(validator=v.instance_of(timedelta))
    """How much of the after-window had passed by ``now``: ``window`` once it is complete."""

    def __attrs_post_init__(self) -> None:
        if not timedelta(0) <= self.after_observed <= self.window:
            raise ValidationError(
                "FixImpact.after_observed",
                f"{self.after_observed} is out of range, allowed 0..window ({self.window})",
            )

    @property
    def complete(self) -> bool:
        """Whether the whole after-window had passed by ``now``."""
        return self.after_observed == self.window

    @property
    def before_rate(self) -> Decimal:
        """Cases per 30 days before the fix, to one decimal place."""
        return rounded(_rate(self.before, self.window), 1)

    @property
    def after_rate(self) -> Decimal | None:
        """Cases per 30 days after the fix, over the time observed (scaled when the window
        is partial), to one decimal place; None when nothing of it was observed yet."""
        if not self.after_observed:
            return None
        return rounded(_rate(self.after, self.after_observed), 1)

    @property
    def change(self) -> Decimal | None:
        """The change of the rate, in percent of the rate before (-100.0 when the theme
        stopped), from the exact rates; None without a case before or without an observed
        after-window."""
        if not (self.before and self.after_observed):
            return None
        before, after = _rate(self.before, self.window), _rate(self.after, self.after_observed)
        return rounded((after / before - 1) * 100, 1)

    def __str__(self) -> str:
        days = self.window / timedelta(days=1)
        text = (
            f"{self.theme}: {self.before} in the {days:g} days before the fix "
            f"({self.before_rate} per 30 days)"
        )
        if not self.after_observed:
            return text + "; nothing observed after it yet"
        change = "" if self.change is None else f"; change {self.change:+}%"
        if self.complete:
            after = f"{self.after} in the {days:g} days after it ({self.after_rate} per 30 days)"
        else:
            seen = self.after_observed / timedelta(days=1)
            after = (
                f"{self.after} in the first {seen:g} of the {days:g} days after it "
                f"({self.after_rate} per 30 days; partial window, rate scaled)"
            )
        return f"{text}, {after}{change}"


def _theme(theme: object) -> tuple[Callable[[Case, int], bool], str]:
    if isinstance(theme, str):
        if not theme.strip():
            raise ValidationError("theme", "a category must not be empty or blank")
        return (lambda case, _i: case.complaint.category == theme), theme
    if not callable(theme):
        raise InvalidType(
            "theme",
            f"expected a category (str) or a callable from a case to bool, "
            f"got {v.type_name(theme)}",
        )

    def matches(case: Case, i: int) -> bool:
        found: object = theme(case)
        if found.__class__ is not bool:
            raise InvalidType(f"theme(cases[{i}])", f"expected a bool, got {v.type_name(found)}")
        return found is True

    return matches, name_of(theme)


def fix_impact(
    cases: Iterable[Case],
    fix: RootCauseFixed,
    *,
    theme: str | Callable[[Case], bool],
    now: datetime,
    window: timedelta = timedelta(days=90),
) -> FixImpact:
    """Action -> measured impact: how often the fixed problem's theme was complained about
    in the ``window`` before ``fix.at`` and in the ``window`` after it.

    ``theme`` is a category (the cases whose ``complaint.category`` equals it) or a
    callable from a case to True or False. It is asked only about the cases received in
    the windows. Every case about the theme counts, linked to the fixed root cause or not:
    complaints received after a fix are not linked to it yet. Cases count by
    ``complaint.received_at``, compared as instants; the windows are half-open:
    ``[fix.at - window, fix.at)`` and ``[fix.at, fix.at + window)``.

    When ``now`` comes before the end of the after-window, only ``[fix.at, now)`` is
    observed: the result says so (``complete`` is False, ``after_observed`` is how long)
    and the rate after is scaled to that length. Rates are cases per 30 days, so windows of
    different lengths compare.

    A lower rate after a fix is evidence, not proof: complaint volumes move with the
    seasons, with sales and with everything else. Compare with the rate of all complaints
    (``theme=lambda case: True``) over the same windows, and wait for the window to
    complete before concluding.

    Raises:
        InvalidType: an argument (or one of ``cases``, or a result of ``theme``) has the
            wrong type.
        ValidationError: ``now`` is naive or earlier than ``fix.at``, ``window`` is not
            positive or reaches past the dates Python can represent, or ``theme`` is a
            blank category.

    .. versionadded:: Unreleased
    """
    args.require(fix, _fix_type(), "fix")
    v.require_aware(now, "now")
    args.duration(window, "window", positive=True)
    matches, described = _theme(theme)
    try:
        at, until = utc(fix.at), utc(now)
        start, end = at - window, at + window
    except OverflowError:
        raise ValidationError(
            "window",
            f"{window} before or after the fix ({fix.at.isoformat()}) is outside the dates "
            "Python can represent",
        ) from None
    if until < at:
        raise ValidationError(
            "now", f"{now.isoformat()} is before the fix ({fix.at.isoformat()}): nothing to measure"
        )
    stop = min(end, until)
    before = after = 0
    for i, case in enumerate(args.each(cases, Case, "cases")):
        received = utc(case.complaint.received_at)
        if start <= received < stop and matches(case, i):
            if received < at:
                before += 1
            else:
                after += 1
    return FixImpact(
        fix=fix,
        theme=described,
        window=window,
        before=before,
        after=after,
        after_observed=stop - at,
    )
