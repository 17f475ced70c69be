"""The default complaint lifecycle, `COMPLAINT_LIFECYCLE`, and its guard.

States: ``received``, ``acknowledged``, ``investigating``, ``awaiting_customer``,
``responded`` (final response sent, outstanding actions may remain), ``resolved`` (customer
accepted), and the end states ``closed``, ``referred`` (final) and ``withdrawn``. Apps derive
their own lifecycle from this one (`Lifecycle.derive`, `with_state`, ...); the engine in
`recoverykit.lifecycle` knows nothing of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from recoverykit import events as ev
from recoverykit.lifecycle import Lifecycle, Transition
from recoverykit.model import RemedyStatus

if TYPE_CHECKING:
    from recoverykit.case import Case

__all__ = ["ACTIVE", "COMPLAINT_LIFECYCLE", "no_undelivered_remedies"]


def no_undelivered_remedies(case: Case, event: ev.Event) -> str | None:
    """Guard: refuse to close while an accepted remedy has not been delivered.

    The fix must really happen before the case is closed, not only be promised.
    """
    del event
    pending = [r.remedy.id for r in case.remedies if r.status is RemedyStatus.ACCEPTED]
    if pending:
        ids = ", ".join(repr(i) for i in pending)
        return (
            f"accepted remedy {ids} has not been delivered; record RemedyDelivered "
            "(or RemedyDeclined) before closing"
        )
    return None


#: The default lifecycle's states in which the complaint is still being handled.
ACTIVE = ("received", "acknowledged", "investigating", "awaiting_customer", "responded", "resolved")
_OPEN = ("received", "acknowledged", "investigating", "awaiting_customer")
_ALL = (*ACTIVE, "closed", "referred", "withdrawn")

_NOT_FINAL = (*ACTIVE, "closed", "withdrawn")

#: The default complaint lifecycle. Closed cases may be reopened or referred; a referred
#: case is final, but remedies the ombudsman requires can still be offered and delivered.
#:
#: Real work repeats steps, so a step repeated where it changes nothing is accepted and
#: kept in the history (the views count it once): acknowledging or starting the
#: investigation again, asking for information while already waiting, assigning the
#: current owner, a second final response, closing or withdrawing again. Work resumes
#: after waiting with `InvestigationStarted` as well as `InformationReceived`, and
#: `InvestigationStarted` after a final response restarts the work (counted as a reopen).
#: `ActivityRecorded` is accepted in every state that is not final.
COMPLAINT_LIFECYCLE = Lifecycle(
    name="complaint",
    states=_ALL,
    initial="received",
    end_states={"closed", "referred", "withdrawn"},
    final_states={"referred"},
    transitions=[
        Transition(ev.Acknowledged, {"received"}, "acknowledged"),
        Transition(ev.Acknowledged, set(ACTIVE) - {"received"}),
        Transition(
            ev.InvestigationStarted,
            {"received", "acknowledged", "awaiting_customer", "responded", "resolved"},
            "investigating",
        ),
        Transition(ev.InvestigationStarted, {"investigating"}),
        Transition(
            ev.InformationRequested,
            {"received", "acknowledged", "investigating"},
            "awaiting_customer",
        ),
        Transition(ev.InformationRequested, {"awaiting_customer"}),
        Transition(ev.InformationReceived, {"awaiting_customer"}, "investigating"),
        Transition(ev.InformationReceived, {"investigating"}),
        Transition(ev.FinalResponseSent, _OPEN, "responded"),
        Transition(ev.FinalResponseSent, {"responded"}),
        Transition(ev.ResolutionAccepted, {"responded"}, "resolved"),
        Transition(ev.ResolutionAccepted, {"resolved"}),
        Transition(ev.Reopened, {"responded", "resolved", "closed", "withdrawn"}, "investigating"),
        Transition(
            ev.Closed, {"responded", "resolved", "withdrawn"}, "closed", [no_undelivered_remedies]
        ),
        Transition(ev.Closed, {"closed"}),
        Transition(ev.ReferredToOmbudsman, (*ACTIVE, "closed"), "referred"),
        Transition(ev.Withdrawn, ACTIVE, "withdrawn"),
        Transition(ev.Withdrawn, {"withdrawn"}),
        # Bookkeeping: the case stays where it is.
        Transition(ev.OwnerAssigned, (*ACTIVE, "referred")),
        Transition(ev.Escalated, (*ACTIVE, "referred")),
        Transition(ev.ReplySent, (*ACTIVE, "referred")),
        Transition(ev.RemedyOffered, (*ACTIVE, "referred")),
        Transition(ev.RemedyAccepted, (*ACTIVE, "referred")),
        Transition(ev.RemedyDeclined, (*ACTIVE, "referred", "withdrawn")),
        Transition(ev.RemedyDelivered, (*ACTIVE, "referred", "withdrawn")),
        Transition(ev.FollowUpScheduled, (*ACTIVE, "closed", "referred")),
        Transition(ev.FollowUpCompleted, (*ACTIVE, "closed", "referred", "withdrawn")),
        Transition(ev.RootCauseLinked, _ALL),
        Transition(ev.CaseLinked, _ALL),
        Transition(ev.ActivityRecorded, _NOT_FINAL),
    ],
)
