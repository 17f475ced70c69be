"""Hypothesis strategies for recoverykit values, for your own test suites.

Requires the ``hypothesis`` extra (``pip install recoverykit[hypothesis]``); recoverykit itself
never imports this module. Every strategy builds valid values directly (nothing is filtered
away), with timezone-aware datetimes in many zones::

    from hypothesis import given
    from recoverykit import strategies as rks

    @given(rks.histories(min_size=3))
    def test_my_projection(events): ...

The strategies are also registered for ``st.from_type`` through hypothesis' entry point.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import attrs

try:
    from hypothesis import strategies as st
except ModuleNotFoundError as exc:  # pragma: no cover - tested in a subprocess
    if exc.name != "hypothesis":
        raise
    raise ModuleNotFoundError(
        "recoverykit.strategies needs hypothesis, an optional dependency: install it with "
        "pip install 'recoverykit[hypothesis]'",
        name="hypothesis",
    ) from exc

from recoverykit import events as ev
from recoverykit._value_strategies import (
    _ids,
    _names,
    aware_datetimes,
    calendars,
    clocks,
    complaints,
    money,
    owners,
    remedies,
    surveys,
)
from recoverykit.case import Case, open_case
from recoverykit.complaint_lifecycle import COMPLAINT_LIFECYCLE
from recoverykit.errors import InvalidEvent, InvalidTransition, InvalidType, ValidationError
from recoverykit.lifecycle import Lifecycle
from recoverykit.model import (
    FollowUp,
    FollowUpOutcome,
    FollowUpPurpose,
    Outcome,
    RemedyStatus,
    RootCause,
)

__all__ = [
    "aware_datetimes",
    "calendars",
    "cases",
    "clocks",
    "complaints",
    "events",
    "histories",
    "money",
    "owners",
    "register_event_strategy",
    "remedies",
    "surveys",
]

# -- histories ------------------------------------------------------------------------------

# Built once: creating (and validating) strategies inside a draw loop dominates the cost.
_NAMES = _names()
_COMPLAINTS = complaints()
_OWNERS = owners()
_REMEDIES = remedies()
_SURVEYS = st.one_of(st.none(), surveys())
_PURPOSES = st.sampled_from(list(FollowUpPurpose))
_FOLLOW_UP_OUTCOMES = st.sampled_from(list(FollowUpOutcome))
_OUTCOMES = st.sampled_from(list(Outcome))
_CASE_IDS = _ids("C")
_ZONES = st.timezones()
_DAYS = st.integers(0, 30)
_BIG = st.integers(0, 2**32)
_FLAGS = st.tuples(st.booleans(), st.booleans(), st.booleans())
_ATTRIBUTES = st.dictionaries(
    st.sampled_from(["org:resource", "org:group", "lifecycle:transition", "note"]),
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**40), 2**40),
        st.floats(allow_nan=False, allow_infinity=False),
        _NAMES,
    ),
    max_size=3,
)

_Builder = Callable[[st.DrawFn, Case, datetime], "ev.Event | None"]
E = TypeVar("E", bound=ev.Event)


def _pick(items: Iterable[str], draw: st.DrawFn) -> str | None:
    options = sorted(items)
    return draw(st.sampled_from(options)) if options else None


def _with_status(case: Case, *statuses: RemedyStatus) -> list[str]:
    return [r.remedy.id for r in case.remedies if r.status in statuses]


def _owner(draw: st.DrawFn, case: Case, at: datetime) -> ev.Event | None:
    owner = draw(_OWNERS)
    return None if owner == case.owner else ev.OwnerAssigned(at=at, owner=owner)


def _remedy_step(cls: type[Any], *statuses: RemedyStatus) -> _Builder:
    def build(draw: st.DrawFn, case: Case, at: datetime) -> ev.Event | None:
        rid = _pick(_with_status(case, *statuses), draw)
        return None if rid is None else cls(at=at, remedy_id=rid)

    return build


def _offer(draw: st.DrawFn, case: Case, at: datetime) -> ev.Event | None:
    remedy = attrs.evolve(draw(_REMEDIES), id=f"R-{len(case.remedies) + 1}")
    return ev.RemedyOffered(at=at, remedy=remedy)


def _schedule(draw: st.DrawFn, case: Case, at: datetime) -> ev.Event | None:
    purpose = draw(_PURPOSES)
    due = at + timedelta(days=draw(_DAYS))
    fu = FollowUp(f"F-{len(case.follow_ups) + 1}", purpose, due)
    return ev.FollowUpScheduled(at=at, follow_up=fu)


def _complete(draw: st.DrawFn, case: Case, at: datetime) -> ev.Event | None:
    fid = _pick((f.follow_up.id for f in case.follow_ups if not f.is_done), draw)
    if fid is None:
        return None
    survey = draw(_SURVEYS)
    outcome = draw(_FOLLOW_UP_OUTCOMES)
    return ev.FollowUpCompleted(at=at, follow_up_id=fid, outcome=outcome, survey=survey)


def _link_cause(draw: st.DrawFn, case: Case, at: datetime) -> ev.Event | None:
    cause = RootCause(f"RC-{len(case.root_causes) + 1}", draw(_NAMES))
    return ev.RootCauseLinked(at=at, root_cause=cause)


def _link_case(draw: st.DrawFn, case: Case, at: datetime) -> ev.Event | None:
    other = draw(_CASE_IDS)
    if other == case.id or other in case.linked_cases:
        return None
    return ev.CaseLinked(at=at, other_case_id=other)


def _final(draw: st.DrawFn, case: Case, at: datetime) -> ev.Event | None:
    del case
    flags = draw(_FLAGS)
    return ev.FinalResponseSent(
        at=at,
        outcome=draw(_OUTCOMES),
        apology=flags[0],
        explanation=flags[1],
        referral_rights_given=flags[2],
    )


def _simple(cls: type[Any], **fields: st.SearchStrategy[Any]) -> _Builder:
    def build(draw: st.DrawFn, case: Case, at: datetime) -> ev.Event | None:
        del case
        return cls(at=at, **{k: draw(s) for k, s in fields.items()})  # type: ignore[no-any-return]

    return build


_BUILDERS: dict[type[ev.Event], _Builder] = {
    ev.Acknowledged: _simple(ev.Acknowledged),
    ev.OwnerAssigned: _owner,
    ev.Escalated: _simple(ev.Escalated, reason=_names()),
    ev.InvestigationStarted: _simple(ev.InvestigationStarted),
    ev.InformationRequested: _simple(
        ev.InformationRequested, details=st.one_of(st.none(), _names())
    ),
    ev.InformationReceived: _simple(ev.InformationReceived),
    ev.RemedyOffered: _offer,
    ev.RemedyAccepted: _remedy_step(ev.RemedyAccepted, RemedyStatus.OFFERED),
    ev.RemedyDeclined: _remedy_step(ev.RemedyDeclined, RemedyStatus.OFFERED, RemedyStatus.ACCEPTED),
    ev.RemedyDelivered: _remedy_step(
        ev.RemedyDelivered, RemedyStatus.OFFERED, RemedyStatus.ACCEPTED
    ),
    ev.FinalResponseSent: _final,
    ev.ResolutionAccepted: _simple(ev.ResolutionAccepted),
    ev.FollowUpScheduled: _schedule,
    ev.FollowUpCompleted: _complete,
    ev.RootCauseLinked: _link_cause,
    ev.CaseLinked: _link_case,
    ev.Reopened: _simple(ev.Reopened, reason=st.one_of(st.none(), _names())),
    ev.Closed: _simple(ev.Closed),
    ev.ReferredToOmbudsman: _simple(
        ev.ReferredToOmbudsman, body=st.just("Financial Ombudsman Service")
    ),
    ev.Withdrawn: _simple(ev.Withdrawn, reason=st.one_of(st.none(), _names())),
    ev.ReplySent: _simple(ev.ReplySent),
    ev.HoldingReplySent: _simple(ev.HoldingReplySent),
    ev.ActivityRecorded: _simple(ev.ActivityRecorded, name=_NAMES, attributes=_ATTRIBUTES),
}


_STRATEGY_ATTR = "__recoverykit_strategy__"


def register_event_strategy(
    event_type: type[E], build: Callable[[Case, datetime], st.SearchStrategy[E]]
) -> None:
    """Tell `histories` how to draw an app's event: ``build(case, at)`` returns a strategy
    for an event of ``event_type`` at ``at`` that fits ``case`` (the case so far).

    Without a registration, an app's event is drawn with ``st.builds``; register one when
    its fields must agree with the case (ids it refers to, amounts, ...). Stored on the
    event class, like its projection; events the lifecycle then refuses are skipped.

    Raises:
        InvalidType: ``event_type`` is not an Event subclass or ``build`` is not callable.
    """
    if not (isinstance(event_type, type) and issubclass(event_type, ev.Event)):
        raise InvalidType(
            "register_event_strategy.event_type",
            f"expected an Event subclass, got {event_type!r}",
        )
    if not callable(build):
        raise InvalidType(
            "register_event_strategy.build", f"expected a function, got {type(build).__name__}"
        )

    def draw_event(draw: st.DrawFn, case: Case, at: datetime) -> ev.Event | None:
        return draw(build(case, at))

    type.__setattr__(event_type, _STRATEGY_ATTR, draw_event)


def _builder(event_type: type[ev.Event]) -> _Builder:
    known = _BUILDERS.get(event_type) or event_type.__dict__.get(_STRATEGY_ATTR)
    if known is not None:
        return known

    def build(draw: st.DrawFn, case: Case, at: datetime) -> ev.Event | None:
        del case  # an app's own event: hypothesis fills its fields from their types
        return draw(st.builds(event_type, at=st.just(at)))

    return build


def _try(case: Case, event: ev.Event | None) -> Case | None:
    if event is None:
        return None
    try:
        return case.apply(event)
    except (InvalidEvent, InvalidTransition):  # a guard of the app's lifecycle said no
        return None


@st.composite
def _histories(  # noqa: PLR0917 - st.composite passes the arguments positionally
    draw: st.DrawFn,
    lifecycle: Lifecycle,
    min_size: int,
    max_size: int,
    end_states: frozenset[str] | None,
    max_gap: timedelta,
) -> tuple[ev.Event, ...]:
    start = draw(_COMPLAINTS)
    case = open_case(start, lifecycle=lifecycle)
    # With end_states, never step into a state from which they cannot be reached.
    allowed_states = (
        set(lifecycle.states) if end_states is None else _reaching(lifecycle, end_states)
    )
    size = draw(st.integers(min_size, max_size))
    t = start.received_at
    while len(case.history) < size:
        zone = draw(_ZONES)
        gap = timedelta(seconds=draw(_BIG) % (int(max_gap.total_seconds()) + 1))
        # Add in UTC: aware arithmetic is wall-clock, and would step back in a repeated hour.
        t = (t.astimezone(UTC) + gap).astimezone(zone)
        state = case.state
        options = [
            e
            for e in lifecycle.allowed_events(state)
            if _target(lifecycle, state, e) in allowed_states
        ]
        # Try the options from a drawn starting point: every one gets its chance, cheaply.
        first = draw(_BIG) % max(len(options), 1)
        order = options[first:] + options[:first]
        for event_type in order:
            nxt = _try(case, _builder(event_type)(draw, case, t))
            if nxt is not None:
                case = nxt
                break
        else:
            break  # nothing can happen in this state (a final state with no stays)
    if end_states is not None:
        case = _reach(draw, case, end_states, t)
    return case.history


def _target(lifecycle: Lifecycle, state: str, event_type: type[ev.Event]) -> str:
    transition = lifecycle.transition_for(state, event_type)
    return state if transition is None else transition.target_from(state)


def _reaching(lifecycle: Lifecycle, goals: frozenset[str]) -> set[str]:
    """The states from which one of ``goals`` can be reached."""
    found = set(goals)
    grew = True
    while grew:
        grew = False
        for t in lifecycle.transitions:
            for source in t.sources - found:
                if t.target_from(source) in found:
                    found.add(source)
                    grew = True
    return found


def _reach(draw: st.DrawFn, case: Case, end_states: frozenset[str], t: datetime) -> Case:
    """Walk the shortest way into one of ``end_states``, settling remedies a close needs."""
    lifecycle = case.lifecycle
    for _ in range(4 * len(lifecycle.states) + 8):
        if case.state in end_states:
            return case
        path = _shortest(lifecycle, case.state, end_states)
        if path is None:
            break
        t = (t.astimezone(UTC) + timedelta(minutes=1)).astimezone(t.tzinfo)
        for event_type in (path, ev.RemedyDelivered, ev.RemedyDeclined):
            nxt = _try(case, _builder(event_type)(draw, case, t))
            if nxt is not None:
                case = nxt
                break
        else:
            break
    names = ", ".join(sorted(end_states))
    raise ValidationError("end_states", f"could not reach {names} from {case.state!r}")


def _shortest(lifecycle: Lifecycle, state: str, goals: frozenset[str]) -> type[ev.Event] | None:
    """The first event type on a shortest path from ``state`` to one of ``goals``."""
    frontier: list[tuple[str, type[ev.Event] | None]] = [(state, None)]
    seen = {state}
    while frontier:
        nxt: list[tuple[str, type[ev.Event] | None]] = []
        for current, first in frontier:
            for t in lifecycle.transitions:
                if current not in t.sources or t.target in (None, current) or t.target in seen:
                    continue
                step = first or t.event
                if t.target in goals:
                    return step
                seen.add(t.target)
                nxt.append((t.target, step))
        frontier = nxt
    return None


def _check_arguments(
    lifecycle: object, min_size: object, max_size: object, max_gap: object, end_states: object
) -> None:
    if not isinstance(lifecycle, Lifecycle):
        raise InvalidType("lifecycle", f"expected a Lifecycle, got {type(lifecycle).__name__}")
    for value, path in ((min_size, "min_size"), (max_size, "max_size")):
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidType(path, f"expected an int, got {type(value).__name__}")
    if not isinstance(max_gap, timedelta):
        raise InvalidType("max_gap", f"expected a timedelta, got {type(max_gap).__name__}")
    if end_states is not None and (
        isinstance(end_states, str) or not isinstance(end_states, Iterable)
    ):
        raise InvalidType("end_states", f"expected state names, got {type(end_states).__name__}")


def histories(
    lifecycle: Lifecycle = COMPLAINT_LIFECYCLE,
    *,
    min_size: int = 1,
    max_size: int = 12,
    end_states: Iterable[str] | None = None,
    max_gap: timedelta = timedelta(days=3),
) -> st.SearchStrategy[tuple[ev.Event, ...]]:
    """Event histories that replay without error on ``lifecycle``.

    Each history starts with `ComplaintReceived`; later events are drawn among those the
    lifecycle allows in the current state and built so that the case's rules hold (remedies
    accepted only once offered, and so on), at non-decreasing times in random zones. With
    ``end_states`` the history is extended until it reaches one of them. Events of an app's
    own types are built with ``st.builds``. ``max_size`` may be exceeded only to reach
    ``end_states``.
    """
    _check_arguments(lifecycle, min_size, max_size, max_gap, end_states)
    if min_size < 1 or max_size < min_size:
        raise ValidationError(
            "histories", f"need 1 <= min_size <= max_size, got {min_size}, {max_size}"
        )
    goals = None
    if end_states is not None:
        names = list(end_states)
        for name in names:
            if not isinstance(name, str):
                raise InvalidType("end_states", f"expected state names (str), got {name!r}")
        goals = frozenset(names)
    if goals is not None:
        unknown = sorted(goals - set(lifecycle.states))
        if not goals or unknown:
            raise ValidationError("end_states", f"unknown or no end states: {unknown or '[]'}")
    return _histories(lifecycle, min_size, max_size, goals, max_gap)


def cases(
    lifecycle: Lifecycle = COMPLAINT_LIFECYCLE, *, min_size: int = 1, max_size: int = 12
) -> st.SearchStrategy[Case]:
    """Cases built by replaying `histories`."""
    from recoverykit.case import replay

    return histories(lifecycle, min_size=min_size, max_size=max_size).map(
        lambda h: replay(h, lifecycle=lifecycle)
    )


def events() -> st.SearchStrategy[ev.Event]:
    """Single events of every default type (from valid histories)."""
    return histories(min_size=2, max_size=10).flatmap(st.sampled_from)
