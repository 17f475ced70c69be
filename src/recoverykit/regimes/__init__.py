"""Regulatory regimes and SLA policies: named bundles of clocks, each citing its rule.

Each regime's ``reference`` names its instrument, the provisions and the date it applies
from; each clock's ``description`` cites the provision it encodes.

A regime does not pick a calendar: business days depend on where the firm operates (the
FCA's business days differ between England and Wales, Scotland and Northern Ireland), so the
app passes the calendar to `Regime.evaluate`. Regimes whose rule adds non-business days of
its own (the FCA's Christmas Day and Good Friday) add them to whatever calendar is given.

Where a rule needs an event the default lifecycle has no better name for, it uses:
`ReplySent` for an update to the customer (and a stage 2 acknowledgement); `HoldingReplySent`
for a message that buys more time (the FCA payment-services holding response, the CFPB's "in
progress" response, a complaint code's extension notice); `Reopened` for a customer's
escalation after a response (Housing Ombudsman stage 2); `ReferredToOmbudsman` for a referral
to an ombudsman.

A regime's clocks name states and events of the default lifecycle (the helpdesk clocks pause
in ``awaiting_customer``). An app that derives its own lifecycle checks a regime against it
once, at start-up, with `Regime.check`; `Regime.evaluate` checks against the case's lifecycle
and refuses a clock that names a state or event it does not have.

A regime does not check dates: a regime that applies from a date (``CBI_CPC_2025``)
evaluates any case it is given. Choosing the version in
force for a complaint is the app's (or a dated-versions feature's) job.
"""

from recoverykit.regimes._helpdesk import HELPDESK, helpdesk_sla
from recoverykit.regimes._regime import Regime
from recoverykit.regimes._uk_finance import (
    FCA_CLOSED_DAYS,
    FCA_DISP,
    FCA_PAYMENTS,
    fca_disp,
)
from recoverykit.regimes._uk_services import HOUSING_OMBUDSMAN
from recoverykit.regimes._us import CFPB
from recoverykit.regimes._world import (
    ASIC_RG271,
    ASIC_RG271_HARDSHIP,
    ASIC_RG271_SUPERANNUATION,
    CBI_CPC,
    CBI_CPC_2012,
    CBI_CPC_2025,
    asic_rg271,
)

__all__ = [
    "ASIC_RG271",
    "ASIC_RG271_HARDSHIP",
    "ASIC_RG271_SUPERANNUATION",
    "CBI_CPC",
    "CBI_CPC_2012",
    "CBI_CPC_2025",
    "CFPB",
    "FCA_CLOSED_DAYS",
    "FCA_DISP",
    "FCA_PAYMENTS",
    "HELPDESK",
    "HOUSING_OMBUDSMAN",
    "Regime",
    "asic_rg271",
    "fca_disp",
    "helpdesk_sla",
]
