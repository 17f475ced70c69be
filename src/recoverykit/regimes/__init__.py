"""Regulatory regimes and SLA policies: named bundles of clocks, each citing its rule.

A regime does not pick a calendar: business days depend on where the firm operates (the
FCA's business days differ between England and Wales, Scotland and Northern Ireland), so the
app passes the calendar to `Regime.evaluate`. Regimes whose rule adds non-business days of
its own (the FCA's Christmas Day and Good Friday) add them to whatever calendar is given.

Where a rule needs an event the default lifecycle has no better name for, it uses:
`ReplySent` for an update to the customer, `HoldingReplySent` for a reply saying more time
is needed (the FCA payment-services holding reply, the CFPB's "in progress" response), and
`Reopened` for a customer's escalation after a response (Housing Ombudsman stage 2).

A regime's clocks name states and events of the default lifecycle (the helpdesk clocks pause
in ``awaiting_customer``). An app that derives its own lifecycle checks a regime against it
once, at start-up, with `Regime.check`; `Regime.evaluate` checks against the case's lifecycle
and refuses a clock that names a state or event it does not have.
"""

from recoverykit.regimes._helpdesk import HELPDESK, helpdesk_sla
from recoverykit.regimes._motor_finance import (
    COMMISSION_TAG,
    DCA_TAG,
    DISP_APP5_SUSPENSIONS,
    FCA_MOTOR_FINANCE,
    LEASING_TAG,
)
from recoverykit.regimes._regime import Regime
from recoverykit.regimes._uk import (
    FCA_CLOSED_DAYS,
    FCA_DISP,
    FCA_PAYMENTS,
    HOUSING_OMBUDSMAN,
    fca_disp,
)
from recoverykit.regimes._versions import ChosenBy, DatedRegime, RegimeVersion
from recoverykit.regimes._world import (
    ASIC_RG271,
    ASIC_RG271_HARDSHIP,
    ASIC_RG271_SUPERANNUATION,
    CBI_CPC,
    CFPB,
    asic_rg271,
)

__all__ = [
    "ASIC_RG271",
    "ASIC_RG271_HARDSHIP",
    "ASIC_RG271_SUPERANNUATION",
    "CBI_CPC",
    "CFPB",
    "COMMISSION_TAG",
    "DCA_TAG",
    "DISP_APP5_SUSPENSIONS",
    "FCA_CLOSED_DAYS",
    "FCA_DISP",
    "FCA_MOTOR_FINANCE",
    "FCA_PAYMENTS",
    "HELPDESK",
    "HOUSING_OMBUDSMAN",
    "LEASING_TAG",
    "ChosenBy",
    "DatedRegime",
    "Regime",
    "RegimeVersion",
    "asic_rg271",
    "fca_disp",
    "helpdesk_sla",
]
