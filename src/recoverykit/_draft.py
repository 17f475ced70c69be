"""What projections work on: the case draft, the view records, and `projection` itself.

A projection is how one event type changes a case. The library's own events use the same
public mechanism as an app's (`recoverykit.projection`), so adding an event, built-in or
not, is one class plus one projection. Projections are owned by their event class (stored
on it), so subclasses of an event follow their parent unless they register their own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from recoverykit import events as ev
from recoverykit.errors import InvalidType, UnknownName, ValidationError
from recoverykit.model import (
    Complaint,
    FollowUp,
    FollowUpOutcome,
    Owner,
    Remedy,
    RemedyStatus,
    RootCause,
    Survey,
)

if TYPE_CHECKING:
    from recoverykit.lifecycle import Lifecycle

__all__ = [
    "Assignment",
    "BasedDraft",
    "CaseDraft",
    "FollowUpRecord",
    "Projection",
    "RemedyRecord",
    "Views",
    "projection",
]

T = TypeVar("T")
#: A projection function, returned unchanged by the `projection` decorator.
P = TypeVar("P", bound=Callable[..., None])


@attrs.frozen
class Assignment:
    """One entry of a case's ownership history."""

    owner: Owner
    at: datetime
    reason: str | None = None


@attrs.frozen
class RemedyRecord:
    """An offered remedy and where it stands."""

    remedy: Remedy
    status: RemedyStatus
    offered_at: datetime
    decided_at: datetime | None = None
    """When it was accepted or declined."""
    delivered_at: datetime | None = None


@attrs.frozen
class FollowUpRecord:
    """A scheduled follow-up and, once done, its result."""

    follow_up: FollowUp
    scheduled_at: datetime
    completed_at: datetime | None = None
    outcome: FollowUpOutcome | None = None
    survey: Survey | None = None

    @property
    def is_done(self) -> bool:
        return self.completed_at is not None


class Views(Mapping[str, Any]):
    """The views an app's projections keep on a case (``case.views["legal_review"]``).

    Read-only. Looking up a view no projection has set raises `UnknownName` (a
    `LookupError`) naming the views the case has; ``views.get(name)`` returns None instead.
    Keep view values immutable (tuples, frozen attrs classes), as the case itself is.
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        self._data: dict[str, Any] = dict(data) if data else {}

    def __getitem__(self, name: str) -> Any:
        try:
            return self._data[name]
        except (KeyError, TypeError):
            known = ", ".join(map(repr, self._data)) or "none"
            raise UnknownName(
                "Case.views",
                f"no view {name!r} on this case (views: {known}); a view appears once a "
                "projection sets it",
            ) from None

    def get(self, name: str, default: Any = None) -> Any:
        return self._data.get(name, default) if isinstance(name, str) else default

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self._data

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Views):
            return self._data == other._data
        if isinstance(other, Mapping):
            return self._data == dict(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._data.items(), key=lambda kv: kv[0])))

    def __repr__(self) -> str:
        return f"Views({self._data!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Views, (self._data,))


NO_VIEWS = Views()


class CaseDraft:
    """A case being built: the mutable twin of `Case` that projections update.

    A projection reads anything here and assigns the views its event changes: the
    built-in ones (``draft.remedies``, ``draft.handoffs``, ...) or the app's own in
    ``draft.views``. It checks its rules first and raises `InvalidEvent` before assigning
    anything, so that a refused event changes nothing. ``draft.state`` is the state
    *before* the event; the lifecycle moves it after the projection ran. ``draft.events``
    are the events so far (read-only; the one being applied is not among them yet).
    """

    # No __slots__: a plain instance dict lets a draft be filled in one update() call. A
    # draft made by Case.apply is a `BasedDraft`.

    complaint: Complaint
    lifecycle: Lifecycle
    state: str
    events: Sequence[ev.Event]
    ownership_history: tuple[Assignment, ...]
    handoffs: int
    escalation_level: int
    escalation_triggers: frozenset[str]
    remedies: tuple[RemedyRecord, ...]
    follow_ups: tuple[FollowUpRecord, ...]
    root_causes: tuple[RootCause, ...]
    linked_cases: tuple[str, ...]
    acknowledged_at: datetime | None
    investigation_started_at: datetime | None
    responded_at: datetime | None
    final_response: ev.FinalResponseSent | None
    first_responded_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    withdrawn_at: datetime | None
    reopen_count: int
    information_requests: int
    views: dict[str, Any]
    """The app's own views, by name."""

    @property
    def owner(self) -> Owner | None:
        return self.ownership_history[-1].owner if self.ownership_history else None

    def remedy(self, remedy_id: str) -> RemedyRecord | None:
        return find(self.remedies, remedy_id, lambda r: r.remedy.id)

    def follow_up(self, follow_up_id: str) -> FollowUpRecord | None:
        return find(self.follow_ups, follow_up_id, lambda f: f.follow_up.id)


class BasedDraft(CaseDraft):
    """The draft `Case.apply` makes: it holds only what the projection assigned and reads
    the other views from its case (``_base``), so that an apply does not copy twenty views.

    A class of its own because defining ``__getattr__`` slows every attribute access of
    its instances, and replay's drafts (plain `CaseDraft`) are the hot path.
    """

    def __getattr__(self, name: str) -> Any:
        # Called only for a name the draft does not hold: a view left on its case.
        if name not in _BASE_VIEWS:
            raise AttributeError(f"'CaseDraft' object has no attribute {name!r}")
        return getattr(self.__dict__["_base"], name)


# The views a draft made by Case.apply reads from its case until a projection assigns them.
_BASE_VIEWS = frozenset(CaseDraft.__annotations__) - {
    "complaint",
    "lifecycle",
    "state",
    "events",
    "views",
}


def find(items: tuple[T, ...], key: str, id_of: Callable[[T], str]) -> T | None:
    for item in items:
        if id_of(item) == key:
            return item
    return None


#: How an event changes a case: ``projection(draft, event)``; None is returned.
Projection = Callable[[CaseDraft, Any], None]

# The attribute of an event class that holds its projection (inherited by subclasses).
PROJECTION_ATTR = "__recoverykit_projection__"


def projection(event_type: type[ev.Event]) -> Callable[[P], P]:
    """Register how ``event_type`` changes a case (a decorator).

    ::

        @recoverykit.projection(LegalReviewRequested)
        def _legal_review(draft: CaseDraft, event: LegalReviewRequested) -> None:
            draft.views["legal_review"] = event.reviewer

    The projection runs for every event of that type (and of its subclasses that have
    none of their own), in `Case.apply` and in `replay`, after the lifecycle allowed the
    event; so app views are kept up to date event by event and come back the same after
    a replay or a serialization round trip. The decorated function is returned unchanged.

    Raises:
        InvalidType: ``event_type`` is not an `Event` subclass, or what is decorated is
            not callable.
        ValidationError: the class already has a different projection of its own.
    """
    if not (isinstance(event_type, type) and issubclass(event_type, ev.Event)):
        raise InvalidType(
            "projection.event_type", f"expected an Event subclass, got {event_type!r}"
        )

    def register(fn: P) -> P:
        if not callable(fn):
            raise InvalidType("projection", f"expected a function, got {type(fn).__name__}")
        known = event_type.__dict__.get(PROJECTION_ATTR)
        if known is not None and known is not fn and not _same_function(known, fn):
            raise ValidationError(
                "projection",
                f"{event_type.__name__} already has the projection "
                f"{known.__module__}.{known.__qualname__}",
            )
        type.__setattr__(event_type, PROJECTION_ATTR, fn)
        return fn

    return register


def _same_function(a: Any, b: Any) -> bool:
    # A module reloaded (or a test redefining it) registers the same function again.
    return (getattr(a, "__module__", None), getattr(a, "__qualname__", None)) == (
        getattr(b, "__module__", None),
        getattr(b, "__qualname__", None),
    )


def _nothing(draft: CaseDraft, event: ev.Event) -> None:
    """An event with no projection changes no view (it is still kept in the history)."""
    del draft, event


type.__setattr__(ev.Event, PROJECTION_ATTR, _nothing)
