"""PSR APP scam reimbursement: the cap, the optional excess, the split between firms."""

from __future__ import annotations

from decimal import Decimal

import attrs

from recoverykit import _validation as v
from recoverykit.errors import InvalidType, ValidationError
from recoverykit.model import Money
from recoverykit.redress._result import Line, Redress, money_of, to_penny

#: The maximum reimbursement per claim: PSR PS24/7 (3 October 2024), in force with the
#: reimbursement requirement from 7 October 2024.
APP_CAP = Money("85000", "GBP")
#: The maximum claim excess a sending firm may choose to apply: PSR Maximum Excess, Notice
#: of Value; never to a vulnerable consumer (Specific Requirement 1, paragraph 5.17).
APP_MAX_EXCESS = Money("100", "GBP")

_CAP_RULE = "PSR PS24/7: maximum reimbursement of 85,000 GBP per claim (from 7 October 2024)"
_EXCESS_RULE = (
    "PSR SR1 5.13 and the Maximum Excess Notice of Value: an optional excess up to 100 GBP"
)
_DEDUCTION_RULE = (
    "PSR SR1 5.13: the receiving firm may deduct 50% of the maximum excess from its "
    "contribution when the sending firm levies less than the maximum"
)
_VULNERABLE_RULE = "PSR SR1 5.17: no excess for a vulnerable consumer"
_SPLIT_RULE = (
    "PSR SD20 / Pay.UK: the cost is shared equally between the sending and receiving firms "
    "(the sending firm pays any odd penny: our choice, the rules do not say)"
)


@attrs.frozen
class AppReimbursement:
    """What a victim of an APP scam is reimbursed, with its lines, and who pays it."""

    redress: Redress = attrs.field(validator=v.instance_of(Redress))
    sending_firm: Money = attrs.field(validator=v.instance_of(Money))
    receiving_firm: Money = attrs.field(validator=v.instance_of(Money))

    @property
    def total(self) -> Money:
        return self.redress.total

    def __str__(self) -> str:
        return (
            f"{self.redress}\n"
            f"sending firm pays {self.sending_firm}; receiving firm pays {self.receiving_firm}"
        )


def app_reimbursement(
    claim: Money,
    *,
    vulnerable: bool,
    excess: Money | None = None,
    cap: Money = APP_CAP,
    receiving_deducts: bool = False,
) -> AppReimbursement:
    """The reimbursement of an APP scam ``claim`` under the PSR's rules (from 7 October 2024).

    Args:
        claim: The loss claimed (in GBP).
        vulnerable: The consumer is vulnerable (`CustomerRef.vulnerable`): no excess then,
            whatever ``excess`` says.
        excess: The excess the sending firm chooses to apply, at most `APP_MAX_EXCESS`;
            None for none.
        cap: The maximum reimbursement (`APP_CAP`; give another for a claim the cap of its
            own day governs).
        receiving_deducts: The receiving firm takes up the choice SR1 5.13 gives it when
            the sending firm levies less than the maximum excess: it deducts half the
            maximum excess (50 GBP) from its contribution. Never for a vulnerable consumer.

    The excess is deducted from the claim, then the cap applies to what is left (the PSR's
    texts we could check do not give the order; this one never gives the consumer less).
    The two firms share the reimbursement equally (the sending firm pays any odd penny).

    Raises:
        InvalidType: an argument of the wrong type.
        ValidationError: a currency other than GBP, or an excess above the maximum.
    """
    amount = money_of(claim, "claim")
    for name, flag in (("vulnerable", vulnerable), ("receiving_deducts", receiving_deducts)):
        if not isinstance(flag, bool):
            raise InvalidType(name, f"expected a bool, got {v.type_name(flag)}")
    limit = money_of(cap, "cap")
    chosen = None if excess is None else money_of(excess, "excess")
    for path, money in (("claim", amount), ("cap", limit), ("excess", chosen)):
        if money is not None and money.currency != "GBP":
            raise ValidationError(path, f"expected GBP, got {money.currency}")
    if chosen is not None and chosen.amount > APP_MAX_EXCESS.amount:
        raise ValidationError("excess", f"{chosen} is above the maximum excess of {APP_MAX_EXCESS}")
    lines = [Line("claim", to_penny(amount.amount), "the loss claimed")]
    left = to_penny(amount.amount)
    if chosen is not None and chosen.amount:
        if vulnerable:
            lines.append(
                Line(f"excess of {chosen.amount:,.2f} not applied", None, _VULNERABLE_RULE)
            )
        else:
            cut = min(to_penny(chosen.amount), left)
            lines.append(Line("excess", -cut, _EXCESS_RULE))
            left -= cut
    if left > limit.amount:
        lines.append(
            Line("above the maximum reimbursement", to_penny(limit.amount) - left, _CAP_RULE)
        )
        left = to_penny(limit.amount)
    total = Money(left, "GBP")
    receiving = (left / 2).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    levied = Decimal(0) if chosen is None or vulnerable else chosen.amount
    if receiving_deducts and not vulnerable and levied < APP_MAX_EXCESS.amount:
        cut = min(APP_MAX_EXCESS.amount / 2, receiving)
        receiving -= cut
        lines.append(Line(f"receiving firm deducts {cut:,.2f}", None, _DEDUCTION_RULE))
    sending = left - receiving
    lines.append(
        Line(f"sending firm {sending:,.2f}, receiving firm {receiving:,.2f}", None, _SPLIT_RULE)
    )
    return AppReimbursement(
        Redress(total, tuple(lines)), Money(sending, "GBP"), Money(receiving, "GBP")
    )
