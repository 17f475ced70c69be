"""Regulatory regimes and SLA policies: named bundles of clocks, each citing its rule.

Each regime's ``reference`` names its instrument, the provisions and the date it applies
from; each clock's ``description`` cites the provision it encodes. docs/regimes.md gives, for
every regime, the source followed, what is modelled and what is not, and a worked example.

A regime does not pick a calendar: business days depend on where the firm operates (the
FCA's business days differ between England and Wales, Scotland and Northern Ireland), so the
app passes the calendar to `Regime.evaluate`. Regimes whose rule adds non-business days of
its own (the FCA's Christmas Day and Good Friday) add them to whatever calendar is given.

Where a rule needs an event the default lifecycle has no better name for, it uses:
`ReplySent` for an update to the customer (and a stage 2 acknowledgement, or a trader's reply
to an ADR entity); `HoldingReplySent` for a message that buys more time (the FCA
payment-services holding response, the CFPB's "in progress" response, a complaint code's
extension notice, a Regulation E provisional credit, a Regulation X extension notice, a PSR
"stop the clock"); `Reopened` for a customer's escalation after a response (stage 2 of the
Housing Ombudsman and LGSCO codes); `ReferredToOmbudsman` for a referral to an ombudsman or
ADR body (for the EU ADR Directive, the ADR entity's request reaching the trader).

A regime's clocks name states and events of the default lifecycle (the helpdesk clocks pause
in ``awaiting_customer``). An app that derives its own lifecycle checks a regime against it
once, at start-up, with `Regime.check`; `Regime.evaluate` checks against the case's lifecycle
and refuses a clock that names a state or event it does not have.

A `Regime` does not check dates: one that applies from a date (``OFCOM_6_WEEKS``,
``CBI_CPC_2025``, ``DUAA_COMPLAINTS``) evaluates any case it is given. A rule that changed by
date is a `DatedRegime` of `RegimeVersion` values (``OFCOM``, ``CBI_CPC_DATED``), which picks
the version in force for each case by its receipt day (or by ``now``) and says what happens
to open cases when a version takes effect.
"""

from recoverykit.regimes._eu import EU_ADR, eu_adr
from recoverykit.regimes._helpdesk import HELPDESK, helpdesk_sla
from recoverykit.regimes._motor_finance import (
    COMMISSION_TAG,
    DCA_TAG,
    DISP_APP5_SUSPENSIONS,
    FCA_MOTOR_FINANCE,
    LEASING_TAG,
)
from recoverykit.regimes._regime import Regime
from recoverykit.regimes._uk_finance import (
    FCA_CLOSED_DAYS,
    FCA_DISP,
    FCA_PAYMENTS,
    PSR_APP_SCAMS,
    fca_disp,
)
from recoverykit.regimes._uk_services import (
    DUAA_COMPLAINTS,
    HOUSING_OMBUDSMAN,
    LGSCO,
    OFCOM,
    OFCOM_6_WEEKS,
    OFCOM_8_WEEKS,
    OFGEM,
    OFWAT_GSS,
)
from recoverykit.regimes._us import CFPB, REG_E, REG_X, REG_Z, reg_e, reg_x
from recoverykit.regimes._versions import ChosenBy, DatedRegime, RegimeVersion
from recoverykit.regimes._world import (
    ASIC_RG271,
    ASIC_RG271_HARDSHIP,
    ASIC_RG271_SUPERANNUATION,
    CBI_CPC,
    CBI_CPC_2012,
    CBI_CPC_2025,
    CBI_CPC_DATED,
    asic_rg271,
)

__all__ = [
    "ASIC_RG271",
    "ASIC_RG271_HARDSHIP",
    "ASIC_RG271_SUPERANNUATION",
    "CBI_CPC",
    "CBI_CPC_2012",
    "CBI_CPC_2025",
    "CBI_CPC_DATED",
    "CFPB",
    "COMMISSION_TAG",
    "DCA_TAG",
    "DISP_APP5_SUSPENSIONS",
    "DUAA_COMPLAINTS",
    "EU_ADR",
    "FCA_CLOSED_DAYS",
    "FCA_DISP",
    "FCA_MOTOR_FINANCE",
    "FCA_PAYMENTS",
    "HELPDESK",
    "HOUSING_OMBUDSMAN",
    "LEASING_TAG",
    "LGSCO",
    "OFCOM",
    "OFCOM_6_WEEKS",
    "OFCOM_8_WEEKS",
    "OFGEM",
    "OFWAT_GSS",
    "PSR_APP_SCAMS",
    "REG_E",
    "REG_X",
    "REG_Z",
    "ChosenBy",
    "DatedRegime",
    "Regime",
    "RegimeVersion",
    "asic_rg271",
    "eu_adr",
    "fca_disp",
    "helpdesk_sla",
    "reg_e",
    "reg_x",
]
