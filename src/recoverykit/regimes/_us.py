"""US regimes: the CFPB complaint portal."""

from __future__ import annotations

from recoverykit import events as ev
from recoverykit.clocks import (
    CalendarDays,
    Clock,
)
from recoverykit.regimes._regime import Regime

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
