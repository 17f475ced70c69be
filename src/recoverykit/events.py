"""Domain events: the facts a case is built from.

One frozen class per event. Every event has ``at`` (a timezone-aware datetime) and an
optional ``actor`` (who recorded it: a staff id, a system name). Events are keyword-only.

Each class has a stable ``event_type`` tag used by serialization; renaming a class must
never change it. Apps define their own events by subclassing `Event` the same way.

An event class is the unit of extension: it declares its tag, its ``schema_version`` and
the ``upcasters`` that turn its older stored payloads into today's shape; its effect on the
case is one function registered with `recoverykit.projection` (see `recoverykit.case`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any, ClassVar, TypeAlias

import attrs

from recoverykit import _validation as v
from recoverykit._frozenmap import FrozenMap
from recoverykit.errors import InvalidType, ValidationError
from recoverykit.model import (
    Complaint,
    FollowUp,
    FollowUpOutcome,
    Outcome,
    Owner,
    Remedy,
    RootCause,
    Survey,
)

__all__ = [
    "Acknowledged",
    "ActivityRecorded",
    "AttributeValue",
    "CaseLinked",
    "Closed",
    "ComplaintReceived",
    "Escalated",
    "Event",
    "FinalResponseSent",
    "FollowUpCompleted",
    "FollowUpScheduled",
    "HoldingReplySent",
    "InformationReceived",
    "InformationRequested",
    "InvestigationStarted",
    "OwnerAssigned",
    "ReferredToOmbudsman",
    "RemedyAccepted",
    "RemedyDeclined",
    "RemedyDelivered",
    "RemedyOffered",
    "Reopened",
    "ReplySent",
    "ResolutionAccepted",
    "RootCauseLinked",
    "Upcaster",
    "Withdrawn",
]


def _personal_note() -> str | None:
    return attrs.field(  # type: ignore[no-any-return]
        default=None,
        repr=False,
        metadata={v.PERSONAL: True},
        validator=v.text(optional=True),
    )


def _id() -> str:
    return attrs.field(validator=v.text())  # type: ignore[no-any-return]


#: Turns the stored payload of one schema version of an event into the next version's
#: payload (a new dict; the ``type`` tag and version are not part of it).
Upcaster: TypeAlias = Callable[[dict[str, Any]], dict[str, Any]]


@attrs.frozen(kw_only=True)
class Event:
    """Base class of every event. Subclass it (as a frozen, keyword-only attrs class) for
    events of your own lifecycle, and give the subclass its own ``event_type`` tag.

    Attributes:
        event_type: The stable tag written in stored payloads.
        schema_version: The version of the payload shape written today (1 until a field
            changes shape).
        upcasters: ``{n: step}``, where ``step`` turns a version-``n`` payload into a
            version-``n + 1`` one. The steps must run without gaps up to
            ``schema_version - 1``; a payload older than the first step cannot be loaded.
            Checked when the class is registered for serialization.
    """

    event_type: ClassVar[str] = "event"
    schema_version: ClassVar[int] = 1
    upcasters: ClassVar[Mapping[int, Upcaster]] = MappingProxyType({})

    at: datetime = attrs.field(validator=v.aware)
    actor: str | None = attrs.field(default=None, validator=v.text(optional=True))


@attrs.frozen(kw_only=True)
class ComplaintReceived(Event):
    """The complaint arrived. Always the first event of a case."""

    event_type: ClassVar[str] = "complaint.received"
    complaint: Complaint = attrs.field(validator=v.instance_of(Complaint))


@attrs.frozen(kw_only=True)
class Acknowledged(Event):
    """The customer was told the complaint was received and who is handling it."""

    event_type: ClassVar[str] = "complaint.acknowledged"


def _owner_from_id(payload: dict[str, Any]) -> dict[str, Any]:
    """Version 1 stored the owner as a bare id string; version 2 stores an `Owner` object.

    Payloads written by recoverykit 0.1 in its format 2 carry no event version but already
    hold an object, so only a string is changed.
    """
    owner = payload.get("owner")
    if isinstance(owner, str):
        return {**payload, "owner": {"id": owner}}
    return payload


@attrs.frozen(kw_only=True)
class OwnerAssigned(Event):
    """A named owner became accountable for the case (the first owner, or a hand-off)."""

    event_type: ClassVar[str] = "owner.assigned"
    schema_version: ClassVar[int] = 2
    upcasters: ClassVar[Mapping[int, Upcaster]] = MappingProxyType({1: _owner_from_id})
    owner: Owner = attrs.field(validator=v.instance_of(Owner))
    reason: str | None = attrs.field(default=None, validator=v.text(optional=True))


@attrs.frozen(kw_only=True)
class Escalated(Event):
    """The case moved one level up (team lead, complaints manager, ...)."""

    event_type: ClassVar[str] = "complaint.escalated"
    reason: str = attrs.field(validator=v.text())
    trigger: str | None = attrs.field(default=None, validator=v.text(optional=True))
    """What caused an automatic escalation (``"final_response:warning:1"``), so that an
    escalation policy never escalates twice for the same cause."""


@attrs.frozen(kw_only=True)
class InvestigationStarted(Event):
    event_type: ClassVar[str] = "investigation.started"


@attrs.frozen(kw_only=True)
class InformationRequested(Event):
    """The firm asked the customer for something; the case waits on them."""

    event_type: ClassVar[str] = "information.requested"
    details: str | None = _personal_note()


@attrs.frozen(kw_only=True)
class InformationReceived(Event):
    event_type: ClassVar[str] = "information.received"


@attrs.frozen(kw_only=True)
class CaseLinked(Event):
    """Another case is about the same problem (the same customer on another channel, or a
    duplicate). Linking is recorded on each case; nothing is merged or mutated."""

    event_type: ClassVar[str] = "case.linked"
    other_case_id: str = _id()
    relation: str = attrs.field(default="related", validator=v.text())


@attrs.frozen(kw_only=True)
class ReplySent(Event):
    """The firm replied to or updated the customer without giving its final response.

    Helpdesk "first reply" and "next reply" clocks stop on it; "periodic update" clocks
    restart on it.
    """

    event_type: ClassVar[str] = "reply.sent"


@attrs.frozen(kw_only=True)
class HoldingReplySent(ReplySent):
    """A reply saying the firm needs more time, with the reasons: the FCA's payment-services
    holding reply (DISP 1.6.2AR), the CFPB's "in progress" response."""

    event_type: ClassVar[str] = "reply.holding_sent"


@attrs.frozen(kw_only=True)
class RemedyOffered(Event):
    event_type: ClassVar[str] = "remedy.offered"
    remedy: Remedy = attrs.field(validator=v.instance_of(Remedy))


@attrs.frozen(kw_only=True)
class RemedyAccepted(Event):
    event_type: ClassVar[str] = "remedy.accepted"
    remedy_id: str = _id()


@attrs.frozen(kw_only=True)
class RemedyDeclined(Event):
    event_type: ClassVar[str] = "remedy.declined"
    remedy_id: str = _id()
    reason: str | None = _personal_note()


@attrs.frozen(kw_only=True)
class RemedyDelivered(Event):
    """The remedy really happened (refund paid, repair done): the fix, not the promise."""

    event_type: ClassVar[str] = "remedy.delivered"
    remedy_id: str = _id()


@attrs.frozen(kw_only=True)
class FinalResponseSent(Event):
    """The firm's final response: its decision and how it was communicated.

    ``referral_rights_given`` records that the customer was told of their right to refer the
    complaint to an ombudsman (required by FCA DISP 1.6.2R).
    """

    event_type: ClassVar[str] = "final_response.sent"
    outcome: Outcome = attrs.field(validator=v.member_of(Outcome))
    apology: bool = attrs.field(default=False, validator=v.instance_of(bool))
    explanation: bool = attrs.field(default=False, validator=v.instance_of(bool))
    referral_rights_given: bool = attrs.field(default=False, validator=v.instance_of(bool))


@attrs.frozen(kw_only=True)
class ResolutionAccepted(Event):
    """The customer accepted the response: the complaint is resolved."""

    event_type: ClassVar[str] = "resolution.accepted"


@attrs.frozen(kw_only=True)
class FollowUpScheduled(Event):
    event_type: ClassVar[str] = "follow_up.scheduled"
    follow_up: FollowUp = attrs.field(validator=v.instance_of(FollowUp))


@attrs.frozen(kw_only=True)
class FollowUpCompleted(Event):
    event_type: ClassVar[str] = "follow_up.completed"
    follow_up_id: str = _id()
    outcome: FollowUpOutcome = attrs.field(validator=v.member_of(FollowUpOutcome))
    survey: Survey | None = attrs.field(
        default=None, validator=v.instance_of(Survey, optional=True)
    )


@attrs.frozen(kw_only=True)
class RootCauseLinked(Event):
    event_type: ClassVar[str] = "root_cause.linked"
    root_cause: RootCause = attrs.field(validator=v.instance_of(RootCause))


@attrs.frozen(kw_only=True)
class Reopened(Event):
    """The customer came back after the response or the closure; work starts again."""

    event_type: ClassVar[str] = "complaint.reopened"
    reason: str | None = _personal_note()


@attrs.frozen(kw_only=True)
class Closed(Event):
    event_type: ClassVar[str] = "complaint.closed"


@attrs.frozen(kw_only=True)
class ReferredToOmbudsman(Event):
    """The customer took the complaint to an ombudsman or regulator."""

    event_type: ClassVar[str] = "complaint.referred"
    body: str = attrs.field(validator=v.text())
    reference: str | None = attrs.field(default=None, validator=v.text(optional=True))


@attrs.frozen(kw_only=True)
class Withdrawn(Event):
    """The customer withdrew the complaint."""

    event_type: ClassVar[str] = "complaint.withdrawn"
    reason: str | None = _personal_note()


#: A value an `ActivityRecorded` event can carry: a JSON scalar, so that it serializes
#: without a schema and compares exactly after a round trip.
AttributeValue: TypeAlias = str | int | float | bool | None

_SCALARS = (str, int, float, bool, type(None))


def _attributes(value: object) -> FrozenMap[AttributeValue]:
    path = "ActivityRecorded.attributes"
    if isinstance(value, FrozenMap):
        return value
    if not isinstance(value, Mapping):
        raise InvalidType(path, f"expected a mapping of names to values, got {v.type_name(value)}")
    for key, item in value.items():
        if not isinstance(key, str):
            raise InvalidType(path, f"keys must be str, got {v.type_name(key)}")
        if not isinstance(item, _SCALARS):
            raise InvalidType(
                f"{path}[{key!r}]",
                f"expected str, int, float, bool or None, got {v.type_name(item)}; "
                "convert richer values (dates, decimals) to strings first",
            )
        if isinstance(item, float) and not math.isfinite(item):
            raise ValidationError(
                f"{path}[{key!r}]",
                f"{item!r} is not allowed: JSON has no such number (and NaN is not even "
                "equal to itself)",
            )
    return FrozenMap(value)


@attrs.frozen(kw_only=True)
class ActivityRecorded(Event):
    """An activity from a real process log that the lifecycle has no event of its own for.

    It keeps the work in the history (``Queued``, ``Unmatched``, a CRM's "note added") and
    changes nothing else on the case; the default lifecycle accepts it in every state that is
    not final, so importing a real log never has to drop an activity. ``attributes`` holds the
    row's other columns as JSON scalars (read-only; equal to a dict with the same items).
    """

    event_type: ClassVar[str] = "activity.recorded"
    name: str = attrs.field(validator=v.text())
    attributes: Mapping[str, AttributeValue] = attrs.field(factory=FrozenMap, converter=_attributes)
