"""Comparing one rate between two cohorts of an `OutcomeReport`: the two-proportion z-test.

The public names are re-exported by `recoverykit.metrics`, where they are documented.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from recoverykit import _arguments as args
from recoverykit import _validation as v
from recoverykit._outcomes import OutcomeReport, cohort_of, rounded
from recoverykit._portfolio import pct
from recoverykit.errors import InvalidType, ValidationError

#: The rates `outcome_gap` compares: each is a count of a `Cohort` over another.
RATES: dict[str, tuple[str, str]] = {
    "breach_rate": ("breached", "timed"),
    "referral_rate": ("referred", "cases"),
    "reopen_rate": ("reopened", "cases"),
    "repeat_contact_rate": ("repeat_contacts", "cases"),
    "uphold_rate": ("upheld", "responded"),
}

Z_TEST = "two-sided two-proportion z-test (pooled)"


class GapStatus(args.StrValues):
    """What `outcome_gap` concluded."""

    TOO_FEW = "too few"
    """A cohort's denominator is below ``min_size``: no test is made, and no gap reported."""
    GAP = "gap"
    """The p-value is below ``alpha``: the rates differ by more than chance would explain."""
    NO_EVIDENCE = "no evidence of a gap"
    """The p-value is ``alpha`` or more. Not evidence that the rates are equal."""


def _metric(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    args.one_of(value, RATES, v.path_of(instance, attribute), what="a rate to compare")


def _alpha(value: object, path: str) -> float:
    if value.__class__ is not float:
        raise InvalidType(path, f"expected a float between 0 and 1, got {v.type_name(value)}")
    if not 0 < value < 1:
        raise ValidationError(path, f"{value!r} is out of range, allowed between 0 and 1")
    return value


def _check_alpha(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    _alpha(value, v.path_of(instance, attribute))


@attrs.frozen(kw_only=True)
class OutcomeGap:
    """One rate of two cohorts, compared by the two-proportion z-test (`outcome_gap`).

    The counts are kept; ``difference``, ``z``, ``p_value`` and ``status`` are worked out
    from them, so a gap is never reported for a cohort below ``min_size``.
    """

    metric: str = attrs.field(validator=_metric)
    a: str = attrs.field(validator=v.instance_of(str))
    b: str = attrs.field(validator=v.instance_of(str))
    a_count: int = attrs.field(validator=args.count())
    """The numerator of ``metric`` in cohort ``a`` (``upheld`` for ``uphold_rate``, ...)."""
    a_size: int = attrs.field(validator=args.count())
    """The denominator of ``metric`` in cohort ``a`` (``responded`` for ``uphold_rate``)."""
    b_count: int = attrs.field(validator=args.count())
    b_size: int = attrs.field(validator=args.count())
    min_size: int = attrs.field(default=30, validator=args.count(1))
    alpha: float = attrs.field(default=0.05, validator=_check_alpha)

    def __attrs_post_init__(self) -> None:
        pairs = (("a", self.a_count, self.a_size), ("b", self.b_count, self.b_size))
        for name, count, size in pairs:
            if count > size:
                raise ValidationError(
                    f"OutcomeGap.{name}_count", f"{count} is more than {name}_size ({size})"
                )

    @property
    def test(self) -> str:
        """The test's name: ``"two-sided two-proportion z-test (pooled)"``."""
        return Z_TEST

    @property
    def a_rate(self) -> Decimal | None:
        return pct(self.a_count, self.a_size)

    @property
    def b_rate(self) -> Decimal | None:
        return pct(self.b_count, self.b_size)

    @property
    def difference(self) -> Decimal | None:
        """``a``'s rate minus ``b``'s, in percentage points to one decimal place (from the
        exact proportions); None when a cohort has no denominator."""
        if not (self.a_size and self.b_size):
            return None
        gap = Fraction(self.a_count, self.a_size) - Fraction(self.b_count, self.b_size)
        return rounded(gap * 100, 1)

    @property
    def too_few(self) -> bool:
        return min(self.a_size, self.b_size) < self.min_size

    @property
    def z(self) -> float | None:
        """The test statistic (positive when ``a``'s rate is higher); None when too few."""
        return None if self.too_few else _z_test(self)[0]

    @property
    def p_value(self) -> float | None:
        """The two-sided p-value; None when too few."""
        return None if self.too_few else _z_test(self)[1]

    def __str__(self) -> str:
        def side(key: str, count: int, size: int) -> str:
            rate = pct(count, size)
            return f"{key} {'-' if rate is None else f'{rate}%'} ({count}/{size})"

        text = (
            f"{self.metric}: {side(self.a, self.a_count, self.a_size)} vs "
            f"{side(self.b, self.b_count, self.b_size)}"
        )
        if self.too_few:
            return f"{text}: {GapStatus.TOO_FEW.value} (fewer than {self.min_size} in a cohort)"
        z, p = _z_test(self)
        return (
            f"{text}: {self.difference:+} points, z = {z:.2f}, p = {p:.3f} ({self.test}): "
            f"{self.status.value}"
        )

    @property
    def status(self) -> GapStatus:
        if self.too_few:
            return GapStatus.TOO_FEW
        return GapStatus.GAP if _z_test(self)[1] < self.alpha else GapStatus.NO_EVIDENCE


def _z_test(gap: OutcomeGap) -> tuple[float, float]:
    x1, n1, x2, n2 = gap.a_count, gap.a_size, gap.b_count, gap.b_size
    pooled = (x1 + x2) / (n1 + n2)
    error = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if error == 0:  # both rates 0% or both 100%: no difference at all
        return 0.0, 1.0
    z = (x1 / n1 - x2 / n2) / error
    return z, math.erfc(abs(z) / math.sqrt(2))


def outcome_gap(
    report: OutcomeReport,
    metric: str,
    a: str,
    b: str,
    *,
    min_size: int = 30,
    alpha: float = 0.05,
) -> OutcomeGap:
    """Compare ``metric`` between cohorts ``a`` and ``b`` of ``report``: is the difference
    more than chance would explain?

    ``metric`` is one of ``"uphold_rate"`` (upheld of the responded cases),
    ``"reopen_rate"``, ``"repeat_contact_rate"``, ``"referral_rate"`` (each of the cases)
    and ``"breach_rate"`` (of the timed cases); see `Cohort`.

    **The test** is the two-sided two-proportion z-test with a pooled proportion. With
    ``x1`` of ``n1`` cases in ``a`` and ``x2`` of ``n2`` in ``b``, ``p = (x1 + x2) / (n1 +
    n2)``, ``z = (x1/n1 - x2/n2) / sqrt(p (1 - p) (1/n1 + 1/n2))`` and the p-value is
    ``erfc(|z| / sqrt(2))``, the chance of a difference at least this large if both
    cohorts had the same underlying rate. When both rates are 0% or both 100%, z is 0 and
    the p-value 1. ``status`` is `GapStatus.GAP` when the p-value is below ``alpha``,
    else `GapStatus.NO_EVIDENCE` (which does not show that the rates are equal).

    **Assumptions.** Each case is an independent trial: one customer's several cases, or
    one failure behind many complaints, make the test too ready to find a gap. A case
    counted in both cohorts (a ``by`` with several keys per case) breaks the test too:
    compare cohorts that do not overlap. The normal approximation needs enough cases:
    below ``min_size`` in either cohort's denominator (30 by default, a common rule of
    thumb; with rates near 0% or 100% even that is few) the status is `GapStatus.TOO_FEW`
    and no z or p-value is given, so that a gap is never claimed from a handful of cases.
    Testing many metrics and cohorts at ``alpha = 0.05`` finds one "gap" in twenty by
    chance alone.

    Raises:
        InvalidType: an argument has the wrong type.
        UnknownName: ``metric`` is not one of the rates above, or ``a`` or ``b`` is not a
            cohort of ``report``; the message lists the known ones.
        ValidationError: ``a`` and ``b`` are the same cohort, ``min_size`` is below 1, or
            ``alpha`` is not between 0 and 1.

    .. versionadded:: Unreleased
    """
    args.require(report, OutcomeReport, "report")
    args.one_of(metric, RATES, "metric", what="a rate to compare")
    first, second = cohort_of(report, a, "a"), cohort_of(report, b, "b")
    if a == b:
        raise ValidationError("b", f"compare two different cohorts, got {a!r} twice")
    args.integer(min_size, "min_size", minimum=1)
    _alpha(alpha, "alpha")
    count, size = RATES[metric]
    return OutcomeGap(
        metric=metric,
        a=a,
        b=b,
        a_count=getattr(first, count),
        a_size=getattr(first, size),
        b_count=getattr(second, count),
        b_size=getattr(second, size),
        min_size=min_size,
        alpha=alpha,
    )
