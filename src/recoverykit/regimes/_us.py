"""US regimes: the CFPB complaint portal, and the error-resolution rules of Regulations E, Z
and X."""

from __future__ import annotations

from recoverykit import _validation as v
from recoverykit import events as ev
from recoverykit.clocks import (
    BusinessDays,
    CalendarDays,
    Clock,
    Extension,
)
from recoverykit.errors import InvalidType
from recoverykit.regimes._regime import Regime


def _flag(value: object, path: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidType(path, f"expected bool, got {v.type_name(value)}")
    return value


# -- CFPB complaint portal ------------------------------------------------------------------

CFPB = Regime(
    name="CFPB company response",
    reference=(
        "CFPB Company Portal Manual section 8.1: the CFPB's expectations of companies, not a "
        "statute or regulation (published by the CFPB since at least 2016): respond within 15 "
        "calendar days of the CFPB sending the complaint to the company; a company that cannot "
        "close it responds 'in progress' and gives a final response within 60 calendar days. "
        "The clocks start at the complaint's receipt: record received_at as the date the CFPB "
        "sent it to the portal"
    ),
    clocks=[
        Clock(
            name="company_response",
            target=CalendarDays(15),
            stop_on=(ev.FinalResponseSent, ev.HoldingReplySent),
            description=(
                "CFPB portal: 15 calendar days from the complaint being sent to the company for "
                "a response (a final one, or 'in progress' as HoldingReplySent)."
            ),
        ),
        Clock(
            name="final_response",
            target=CalendarDays(60),
            stop_on=ev.FinalResponseSent,
            description="CFPB portal: 60 calendar days for the final response.",
        ),
    ],
)


# -- Regulation E: electronic fund transfers ------------------------------------------------


def reg_e(*, new_account: bool = False, pos_or_foreign: bool = False) -> Regime:
    """Regulation E error resolution (12 CFR 1005.11(c)).

    Args:
        new_account: The transfer was made within 30 days after the first deposit to the
            account: 20 business days instead of 10, and up to 90 days (1005.11(c)(3)).
        pos_or_foreign: A point-of-sale debit card or foreign-initiated transfer: up to 90
            days instead of 45 (1005.11(c)(3)(ii)).
    """
    new = _flag(new_account, "new_account")
    longer = _flag(pos_or_foreign, "pos_or_foreign") or new
    first = 20 if new else 10
    outer = 90 if longer else 45
    variant = "new account" if new else ("point of sale or foreign" if longer else "")
    return Regime(
        name="Regulation E error resolution" + (f" ({variant})" if variant else ""),
        reference=(
            "12 CFR 1005.11(c) (Regulation E, the CFPB's republication in December 2011 of the "
            "Federal Reserve's 12 CFR 205.11): determine whether an error occurred within 10 "
            "business days of the notice of error (20 for new accounts), or provisionally "
            "credit the account within that time and take up to 45 days (90 for new accounts, "
            "point-of-sale and foreign-initiated transfers)"
        ),
        clocks=[
            Clock(
                name="investigation",
                target=BusinessDays(first),
                stop_on=ev.FinalResponseSent,
                extension=Extension(event=ev.HoldingReplySent, target=CalendarDays(outer)),
                description=(
                    f"12 CFR 1005.11(c): determine within {first} business days of the notice "
                    "of error; provisional credit within them (recorded as HoldingReplySent, "
                    f"with its notice to the consumer) allows up to {outer} days from the "
                    "notice. The clock stops on the report of results (FinalResponseSent), "
                    "which may lawfully follow the determination by up to 3 business days."
                ),
            ),
        ],
    )


REG_E = reg_e()


# -- Regulation Z: billing errors on open-end credit ----------------------------------------

REG_Z = Regime(
    name="Regulation Z billing error resolution",
    reference=(
        "12 CFR 1026.13(c) (Regulation Z, the CFPB's republication in December 2011 of the "
        "Federal Reserve's 12 CFR 226.13; 15 U.S.C. 1666): acknowledge a billing error notice "
        "in writing within 30 days unless resolved by then; resolve within two complete "
        "billing cycles and in no event later than 90 days"
    ),
    clocks=[
        Clock(
            name="acknowledgement",
            target=CalendarDays(30),
            stop_on=(ev.Acknowledged, ev.FinalResponseSent),
            description=(
                "12 CFR 1026.13(c)(1): written acknowledgement within 30 days of receiving the "
                "billing error notice, unless it is resolved within them."
            ),
        ),
        Clock(
            name="resolution",
            target=CalendarDays(90),
            stop_on=ev.FinalResponseSent,
            description=(
                "12 CFR 1026.13(c)(2): resolve within two complete billing cycles, and in no "
                "event later than 90 days. The clock shows the 90-day limit; two billing "
                "cycles depend on the account and often end sooner."
            ),
        ),
    ],
)


# -- Regulation X: mortgage servicing errors ------------------------------------------------


def reg_x(*, payoff_balance: bool = False) -> Regime:
    """Regulation X notice-of-error resolution (12 CFR 1024.35(d), (e)).

    Its "days" exclude legal public holidays, Saturdays and Sundays: pass a calendar of US
    federal holidays (`recoverykit.calendars.us_federal`).

    Args:
        payoff_balance: An asserted error about a payoff balance: 7 days to respond, with
            no extension, instead of 30 days extendable by 15.
    """
    payoff = _flag(payoff_balance, "payoff_balance")
    if payoff:
        response = Clock(
            name="response",
            target=BusinessDays(7),
            stop_on=ev.FinalResponseSent,
            description=(
                "12 CFR 1024.35(e)(3): respond to a payoff-balance error within 7 days "
                "(excluding legal public holidays, Saturdays and Sundays); no extension."
            ),
        )
    else:
        response = Clock(
            name="response",
            target=BusinessDays(30),
            stop_on=ev.FinalResponseSent,
            extension=Extension(event=ev.HoldingReplySent, target=BusinessDays(45)),
            description=(
                "12 CFR 1024.35(e)(3): respond within 30 days (excluding legal public "
                "holidays, Saturdays and Sundays); notice of a 15-day extension with its "
                "reasons before then (HoldingReplySent) allows 45."
            ),
        )
    return Regime(
        name="Regulation X notice of error" + (" (payoff balance)" if payoff else ""),
        reference=(
            "12 CFR 1024.35 (Regulation X, mortgage servicing rules in force from 10 January "
            "2014): acknowledge a notice of error within 5 days and respond within 30 (7 for "
            "payoff balances), extendable once by 15; days exclude legal public holidays, "
            "Saturdays and Sundays (figures from secondary sources)"
        ),
        clocks=[
            Clock(
                name="acknowledgement",
                target=BusinessDays(5),
                stop_on=(ev.Acknowledged, ev.FinalResponseSent),
                description=(
                    "12 CFR 1024.35(d): written acknowledgement within 5 days (excluding legal "
                    "public holidays, Saturdays and Sundays)."
                ),
            ),
            response,
        ],
    )


REG_X = reg_x()
