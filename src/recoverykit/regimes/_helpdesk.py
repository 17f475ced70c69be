"""A helpdesk-style SLA policy built from the same clocks (no regulator)."""

from __future__ import annotations

from datetime import timedelta

from recoverykit import _validation as v
from recoverykit import events as ev
from recoverykit.clocks import (
    BusinessDays,
    BusinessHours,
    Clock,
    DeadlineKind,
)
from recoverykit.clocks._kinds import _check_kind
from recoverykit.errors import InvalidType, ValidationError
from recoverykit.regimes._regime import Regime

# -- Helpdesk-style SLA policy --------------------------------------------------------------

_REPLIES = (ev.ReplySent, ev.InformationRequested, ev.FinalResponseSent)


def helpdesk_sla(
    *,
    first_reply: DeadlineKind = BusinessHours(1),
    next_reply: DeadlineKind = BusinessHours(4),
    periodic_update: DeadlineKind = BusinessDays(2),
    resolution: DeadlineKind = BusinessDays(5),
    warning: timedelta | None = timedelta(hours=1),
) -> Regime:
    """An example helpdesk SLA policy built from the same clocks.

    First reply to the complaint; next reply to each customer message once the previous one
    was answered; a periodic update while the case is open; and resolution. The update and
    resolution clocks pause while the case waits for the customer; resolution restarts on
    reopening. Each target is any `DeadlineKind`.
    """
    for path, kind in (
        ("first_reply", first_reply),
        ("next_reply", next_reply),
        ("periodic_update", periodic_update),
        ("resolution", resolution),
    ):
        _check_kind(kind, path)
    if warning is not None and not isinstance(warning, timedelta):
        raise InvalidType("warning", f"expected a timedelta or None, got {v.type_name(warning)}")
    if warning is not None and warning < timedelta(0):
        raise ValidationError("warning", f"expected a non-negative timedelta, got {warning!r}")
    waiting = frozenset({"awaiting_customer"})
    return Regime(
        name="Helpdesk SLA",
        reference="Example policy: targets chosen by the support team, not by a regulator",
        clocks=[
            Clock(
                name="first_reply",
                target=first_reply,
                stop_on=_REPLIES,
                warning=warning,
                description="Policy: the first reply to the complaint.",
            ),
            Clock(
                name="next_reply",
                target=next_reply,
                start_on=ev.InformationReceived,
                restart_on=ev.InformationReceived,
                stop_on=_REPLIES,
                warning=warning,
                description="Policy: the next reply after each customer message.",
            ),
            Clock(
                name="periodic_update",
                target=periodic_update,
                stop_on=_REPLIES,
                restart_on=(ev.ReplySent, ev.InformationReceived),
                pause_in=waiting,
                warning=warning,
                description=(
                    "Policy: an update while the case is open, again after each reply; paused "
                    "while waiting for the customer."
                ),
            ),
            Clock(
                name="resolution",
                target=resolution,
                stop_on=ev.FinalResponseSent,
                restart_on=ev.Reopened,
                pause_in=waiting,
                warning=warning,
                description=(
                    "Policy: the resolution (final response), again after a reopening; paused "
                    "while waiting for the customer."
                ),
            ),
        ],
    )


HELPDESK = helpdesk_sla()
