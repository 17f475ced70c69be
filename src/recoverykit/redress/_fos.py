"""Financial Ombudsman Service figures: award limits and distress-and-inconvenience bands.

Both are published data, kept as dated tables with their sources, never computed: the
award limit is uprated each 1 April by CPI (FCA PS19/8) but the published figure is what
counts, and a distress award depends on the individual impact, which no formula knows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs

from recoverykit import _arguments as a
from recoverykit import _validation as v
from recoverykit.errors import InvalidType, UnknownName
from recoverykit.model import Money
from recoverykit.redress._result import (
    Line,
    Redress,
    day_of,
    money_of,
    optional_decimal,
    to_penny,
)

#: Acts or omissions on or after this day fall under the higher limit (DISP 3.7.4R).
LIMIT_SPLIT = date(2019, 4, 1)


def _date(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, datetime) or not isinstance(value, date):
        v.fail_type(instance, attribute, f"expected a date, got {v.type_name(value)}")


def _bound(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and (not isinstance(value, Decimal) or not value.is_finite()):
        v.fail_type(
            instance, attribute, f"expected a finite Decimal or None, got {v.type_name(value)}"
        )


@attrs.frozen
class AwardLimit:
    """The limit for complaints referred from ``referred_from`` (until the next row), about
    acts on or after 1 April 2019 (``later_acts``) and before it (``earlier_acts``; None
    where the published figure could not be checked)."""

    referred_from: date = attrs.field(validator=_date)
    later_acts: Money | None = attrs.field(validator=v.instance_of(Money, optional=True))
    earlier_acts: Money | None = attrs.field(validator=v.instance_of(Money, optional=True))
    source: str = attrs.field(validator=v.text())


def _gbp(amount: int) -> Money:
    return Money(Decimal(amount), "GBP")


_FOS = "financial-ombudsman.org.uk"
#: The Financial Ombudsman's award limits (DISP 3.7.4R), by the date the complaint was
#: referred to it. Interest and costs are outside the limit (DISP 3.7).
FOS_AWARD_LIMITS: tuple[AwardLimit, ...] = (
    AwardLimit(date(2012, 1, 1), None, _gbp(150_000), f"{_FOS}: before 1 April 2019"),
    AwardLimit(date(2019, 4, 1), _gbp(350_000), _gbp(160_000), f"{_FOS} (2019)"),
    AwardLimit(date(2020, 4, 1), _gbp(355_000), _gbp(160_000), f"{_FOS} (2020; none in 2021)"),
    AwardLimit(date(2022, 4, 1), _gbp(375_000), _gbp(170_000), f"{_FOS} (2022)"),
    AwardLimit(date(2023, 4, 1), _gbp(415_000), _gbp(190_000), f"{_FOS} (2023)"),
    AwardLimit(date(2024, 4, 1), _gbp(430_000), _gbp(195_000), f"{_FOS} (2024)"),
    AwardLimit(date(2025, 4, 1), _gbp(445_000), None, f"{_FOS}: compensation page (2025)"),
)
#: The first referral day the table does not cover: the 2026/27 limits were not found in
#: the Ombudsman's published text when this table was last checked (December 2026).
FOS_LIMITS_KNOWN_UNTIL = date(2026, 4, 1)


def award_limit(
    *, referred_on: date, act_on: date, limits: Iterable[AwardLimit] | None = None
) -> AwardLimit:
    """The row of ``limits`` (default `FOS_AWARD_LIMITS`) for a complaint referred on
    ``referred_on`` about an act or omission on ``act_on``.

    Raises:
        InvalidType: an argument of the wrong type.
        UnknownName: the table has no checked figure for these dates (before 1 January 2012,
            from 1 April 2026, or an act before 1 April 2019 referred from 1 April 2025): pass
            ``limits=`` with the figure you have checked.
    """
    referred = day_of(referred_on, "referred_on")
    act = day_of(act_on, "act_on")
    rows = FOS_AWARD_LIMITS if limits is None else tuple(a.iterate(limits, "limits", "AwardLimit"))
    for i, row in enumerate(rows):
        if not isinstance(row, AwardLimit):
            raise InvalidType(f"limits[{i}]", f"expected an AwardLimit, got {v.type_name(row)}")
    if limits is None and referred >= FOS_LIMITS_KNOWN_UNTIL:
        raise UnknownName(
            "referred_on",
            f"no checked award limit for complaints referred from {FOS_LIMITS_KNOWN_UNTIL}; "
            "pass limits= with the published figure",
        )
    found = None
    for row in sorted(rows, key=lambda r: r.referred_from):
        if row.referred_from <= referred:
            found = row
    if found is None:
        raise UnknownName("referred_on", f"no award limit for complaints referred on {referred}")
    if (found.later_acts if act >= LIMIT_SPLIT else found.earlier_acts) is None:
        which = "on or after" if act >= LIMIT_SPLIT else "before"
        raise UnknownName(
            "act_on",
            f"no checked limit for acts {which} {LIMIT_SPLIT} referred from "
            f"{found.referred_from}; pass limits= with the published figure",
        )
    return found


def within_award_limit(
    award: Money, *, referred_on: date, act_on: date, limits: Iterable[AwardLimit] | None = None
) -> Redress:
    """``award`` (compensation, before interest and costs) capped at the award limit.

    The Ombudsman can recommend, not require, payment above the limit; interest and costs
    are added after the cap (DISP 3.7).
    """
    money = money_of(award, "award")
    row = award_limit(referred_on=referred_on, act_on=act_on, limits=limits)
    limit = row.later_acts if act_on >= LIMIT_SPLIT else row.earlier_acts
    assert limit is not None  # noqa: S101 - award_limit checked it
    rule = f"DISP 3.7.4R: award limit {limit} ({row.source})"
    amount, cap = to_penny(money.amount), to_penny(limit.amount)
    lines = [Line("award", amount, "the compensation decided")]
    if amount > cap:
        lines.append(Line("above the award limit", cap - amount, rule))
        return Redress(Money(cap, money.currency), tuple(lines))
    lines.append(Line(f"within the limit of {cap:,.0f}", None, rule))
    return Redress(Money(amount, money.currency), tuple(lines))


@attrs.frozen
class DistressBand:
    """A band of the Ombudsman's guidance on awards for distress and inconvenience: what
    kind of impact tends to fall in it. ``low``/``high`` in GBP (None: open-ended)."""

    low: Decimal | None = attrs.field(validator=optional_decimal)
    high: Decimal | None = attrs.field(validator=optional_decimal)
    description: str = attrs.field(validator=v.text())
    source: str = attrs.field(validator=v.text())

    def holds(self, amount: Decimal) -> bool:
        return (self.low is None or amount >= self.low) and (
            self.high is None or amount <= self.high
        )


_DI = (
    "Financial Ombudsman Service guidance on distress and inconvenience (October 2021), as "
    "reported by Cover Magazine, 15 October 2021"
)
#: The bands of the Ombudsman's guidance whose wording could be checked (December 2026).
#: The guidance has bands in between; their text could not be checked, so they are not
#: shipped: build your own `DistressBand` values from the Ombudsman's page if you need them.
FOS_DISTRESS_BANDS: tuple[DistressBand, ...] = (
    DistressBand(
        None,
        Decimal(100),
        "an apology or a small award for a one-off incident, such as a small administrative "
        "error or a short delay",
        _DI,
    ),
    DistressBand(
        Decimal(1500),
        Decimal(5000),
        "mistakes causing sustained distress, potentially affecting someone's health",
        _DI,
    ),
    DistressBand(Decimal(5000), None, "the most serious, long-lasting impact", _DI),
)


def distress_band(award: Money, bands: Iterable[DistressBand] | None = None) -> DistressBand | None:
    """The band (of ``bands``, default `FOS_DISTRESS_BANDS`) a proposed distress award
    falls in, to compare it with the guidance; None if it falls between the shipped bands.
    It never says what the award should be."""
    money = money_of(award, "award")
    given = FOS_DISTRESS_BANDS if bands is None else a.iterate(bands, "bands", "DistressBand")
    for i, band in enumerate(given):
        if not isinstance(band, DistressBand):
            raise InvalidType(f"bands[{i}]", f"expected a DistressBand, got {v.type_name(band)}")
        if band.holds(money.amount):
            return band
    return None
