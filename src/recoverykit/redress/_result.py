"""A redress result: an amount of money and the lines that explain it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import attrs

from recoverykit import _validation as v
from recoverykit.errors import InvalidType, ValidationError
from recoverykit.model import Money

PENNY = Decimal("0.01")


def to_penny(amount: Decimal) -> Decimal:
    """``amount`` rounded to the penny, halves away from zero (as a cashier would)."""
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


def optional_decimal(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator: a finite `Decimal`, or None."""
    if value is not None and (not isinstance(value, Decimal) or not value.is_finite()):
        message = f"expected a finite Decimal or None, got {v.type_name(value)}"
        v.fail_type(instance, attribute, message)


@attrs.frozen
class Line:
    """One line of a redress calculation.

    ``amount`` is what the line adds to the total (negative for a deduction), or None for a
    line that only explains (a rate segment, a rule that did not apply). ``rule`` names the
    published rule the line applies.
    """

    label: str = attrs.field(validator=v.text())
    amount: Decimal | None = attrs.field(validator=optional_decimal)
    rule: str = attrs.field(validator=v.text())


@attrs.frozen
class Redress:
    """An amount and its explanation: the ``amount`` lines add up to ``total`` exactly."""

    total: Money = attrs.field(validator=v.instance_of(Money))
    lines: tuple[Line, ...] = attrs.field(validator=v.tuple_of(Line))

    def __attrs_post_init__(self) -> None:
        added = sum((line.amount for line in self.lines if line.amount is not None), Decimal(0))
        if added != self.total.amount:
            raise ValidationError(
                "Redress.lines", f"the amount lines add up to {added}, not {self.total.amount}"
            )

    def __str__(self) -> str:
        width = max((len(line.label) for line in self.lines), default=0)
        out = []
        for line in self.lines:
            amount = "" if line.amount is None else f"{line.amount:>12,.2f}"
            out.append(f"{line.label:<{width}} {amount:>12}  [{line.rule}]")
        out.append(f"{'total':<{width}} {self.total.amount:>12,.2f} {self.total.currency}")
        return "\n".join(out)


def rate_of(value: object, path: str) -> Decimal:
    """A percentage a year as a `Decimal` (from a Decimal, int or decimal string)."""
    if isinstance(value, bool | float) or not isinstance(value, Decimal | int | str):
        hint = " (use a string, '8', for an exact rate)" if isinstance(value, float) else ""
        raise InvalidType(
            path, f"expected a Decimal, int or str percentage, got {v.type_name(value)}{hint}"
        )
    try:
        rate = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise ValidationError(path, f"{value!r} is not a decimal number") from None
    if not rate.is_finite():
        raise ValidationError(path, f"{value!r} is not a finite number")
    return rate


def day_of(value: object, path: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidType(path, f"expected a date, got {v.type_name(value)}")
    return value


def money_of(value: object, path: str) -> Money:
    if not isinstance(value, Money):
        raise InvalidType(path, f"expected Money, got {v.type_name(value)}")
    return value


def lines_of(items: Iterable[Line]) -> tuple[Line, ...]:
    return tuple(items)
