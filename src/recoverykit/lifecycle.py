"""The lifecycle engine: a complaint's states and the events that move it between them.

A `Lifecycle` is data: states, an initial state, end states (where the work is done),
final states (no way out), and `Transition` rows keyed by event type. It is validated when
built, so a broken lifecycle fails at import time of the app that defines it, not in
production when a case reaches the broken state.

This module is the engine only: it knows nothing of complaints. The default complaint
lifecycle and its guards live in `recoverykit.complaint_lifecycle`; apps derive their own
from it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from recoverykit import events as ev
from recoverykit.errors import InvalidType, LifecycleDefinitionError, UnknownName

if TYPE_CHECKING:
    from recoverykit.case import Case

__all__ = [
    "Guard",
    "Lifecycle",
    "Transition",
]

# Names that lived here before the default lifecycle got a module of its own.
_MOVED = frozenset({"ACTIVE", "COMPLAINT_LIFECYCLE", "no_undelivered_remedies"})


def __getattr__(name: str) -> object:
    if name in _MOVED:
        import warnings

        from recoverykit import complaint_lifecycle

        warnings.warn(
            f"recoverykit.lifecycle.{name} is deprecated; import it from "
            "recoverykit.complaint_lifecycle (or recoverykit)",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(complaint_lifecycle, name)
    raise AttributeError(f"module 'recoverykit.lifecycle' has no attribute {name!r}")


#: A guard looks at the case and the incoming event and returns None to allow the
#: transition, or a sentence saying why it is refused (raised as `InvalidEvent`).
Guard = Callable[["Case", ev.Event], "str | None"]


def _items(value: object, path: str) -> list[object]:
    """The items of an iterable argument, or `InvalidType` naming ``path``."""
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidType(path, f"expected an iterable, got {type(value).__name__}")
    return list(value)


def _names(value: object, path: str) -> list[str]:
    # A bare string is a common slip: {"investigating"} was meant, not its letters.
    items = [value] if isinstance(value, str) else _items(value, path)
    for i, item in enumerate(items):
        if not isinstance(item, str):
            raise InvalidType(f"{path}[{i}]", f"expected a state name (str), got {item!r}")
    return items  # type: ignore[return-value]  # checked above


def _converter(path: str, build: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        return build(_names(value, path))

    return convert


def _frozenset_of_str(value: Iterable[str]) -> frozenset[str]:
    return frozenset(_names(value, "states"))


def _guards(value: Iterable[Guard]) -> tuple[Guard, ...]:
    items = _items(value, "Transition.guards")
    for i, guard in enumerate(items):
        if not callable(guard):
            raise InvalidType(f"Transition.guards[{i}]", f"expected a function, got {guard!r}")
    return tuple(items)  # type: ignore[arg-type]  # checked above


def _transitions(value: Iterable[Transition]) -> tuple[Transition, ...]:
    items = _items(value, "Lifecycle.transitions")
    for i, item in enumerate(items):
        if not isinstance(item, Transition):
            raise InvalidType(f"Lifecycle.transitions[{i}]", f"expected a Transition, got {item!r}")
    return tuple(items)  # type: ignore[arg-type]  # checked above


def _event_class(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not (isinstance(value, type) and issubclass(value, ev.Event)):
        raise InvalidType(
            f"{type(instance).__name__}.{attribute.name}",
            f"expected an Event subclass, got {value!r}",
        )


def _optional_name(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, str):
        raise InvalidType(
            f"{type(instance).__name__}.{attribute.name}",
            f"expected a state name or None, got {value!r}",
        )


def _name(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        raise InvalidType(
            f"{type(instance).__name__}.{attribute.name}", f"expected str, got {value!r}"
        )


@attrs.frozen
class Transition:
    """One row of a lifecycle: ``event`` moves a case from any of ``sources`` to ``target``.

    ``target=None`` means the case stays in its state (bookkeeping events such as
    `OwnerAssigned`). Every guard must allow the event, in order.
    """

    event: type[ev.Event] = attrs.field(validator=_event_class)
    sources: frozenset[str] = attrs.field(
        converter=_converter("Transition.sources", frozenset)  # type: ignore[misc]
    )
    target: str | None = attrs.field(default=None, validator=_optional_name)
    guards: tuple[Guard, ...] = attrs.field(default=(), converter=_guards)

    def target_from(self, source: str) -> str:
        """The state a case in ``source`` ends up in."""
        return source if self.target is None else self.target


def _state_names(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(_names(value, "Lifecycle.states"))


@attrs.frozen(repr=False)
class Lifecycle:
    """A validated state machine for cases.

    Raises:
        LifecycleDefinitionError: listing every problem found, if the definition is
            inconsistent (unknown names, unreachable states, states from which no end state
            can be reached, transitions out of a final state, ambiguous transitions).
    """

    name: str = attrs.field(validator=_name)
    states: tuple[str, ...] = attrs.field(converter=_state_names)
    initial: str = attrs.field(validator=_name)
    end_states: frozenset[str] = attrs.field(
        converter=_converter("Lifecycle.end_states", frozenset)  # type: ignore[misc]
    )
    transitions: tuple[Transition, ...] = attrs.field(converter=_transitions)
    final_states: frozenset[str] = attrs.field(
        default=frozenset(),
        converter=_converter("Lifecycle.final_states", frozenset),  # type: ignore[misc]
    )
    _table: Mapping[tuple[str, type[ev.Event]], Transition] = attrs.field(
        init=False, eq=False, hash=False
    )
    _state_set: frozenset[str] = attrs.field(init=False, eq=False, hash=False, repr=False)
    _event_types: frozenset[type[ev.Event]] = attrs.field(
        init=False, eq=False, hash=False, repr=False
    )
    # Clocks found to name only this lifecycle's states and events, by id (the dict keeps
    # them alive, so an id is not reused): evaluating clocks checks them on every call.
    _fitting: dict[int, object] = attrs.field(
        init=False, eq=False, hash=False, repr=False, factory=dict
    )

    def __attrs_post_init__(self) -> None:
        problems = _problems(self)
        if problems:
            raise LifecycleDefinitionError(problems)
        table: dict[tuple[str, type[ev.Event]], Transition] = {}
        for t in self.transitions:
            for source in t.sources:
                table[(source, t.event)] = t
        object.__setattr__(self, "_table", table)
        object.__setattr__(self, "_state_set", frozenset(self.states))
        object.__setattr__(self, "_event_types", frozenset(t.event for t in self.transitions))

    def __repr__(self) -> str:
        return (
            f"<Lifecycle {self.name!r}: {len(self.states)} states, "
            f"{len(self.transitions)} transitions>"
        )

    # -- inspection -------------------------------------------------------------------------

    def transition_for(self, state: str, event_type: type[ev.Event]) -> Transition | None:
        """The transition ``event_type`` takes from ``state``, or None if it is not allowed.

        Subclasses of a listed event type follow their parent's transition.
        """
        table = self._table
        found = table.get((state, event_type))
        if found is None:
            for cls in event_type.__mro__[1:]:
                found = table.get((state, cls))
                if found is not None:
                    break
        return found

    @property
    def state_set(self) -> frozenset[str]:
        """The states, as a set: for membership tests on hot paths (computed once)."""
        return self._state_set

    @property
    def event_types(self) -> frozenset[type[ev.Event]]:
        """The event types the transitions name (subclasses of them follow them too)."""
        return self._event_types

    def allowed_events(self, state: str) -> tuple[type[ev.Event], ...]:
        """The event types allowed in ``state``, in definition order."""
        self._check_state(state)
        seen: dict[type[ev.Event], None] = {}
        for t in self.transitions:
            if state in t.sources:
                seen.setdefault(t.event)
        return tuple(seen)

    def sources_of(self, event_type: type[ev.Event]) -> frozenset[str]:
        """The states in which ``event_type`` is allowed."""
        out: set[str] = set()
        for t in self.transitions:
            if issubclass(event_type, t.event):
                out |= t.sources
        return frozenset(out)

    def is_end(self, state: str) -> bool:
        """Whether the work is done in ``state`` (it may still allow reopening)."""
        return state in self.end_states

    def is_final(self, state: str) -> bool:
        """Whether no event can move a case out of ``state``."""
        return state in self.final_states

    def _check_state(self, state: str) -> None:
        if state not in self.states:
            raise UnknownName(
                f"{self.name}.states", f"unknown state {state!r}; known: {', '.join(self.states)}"
            )

    # -- derivation -------------------------------------------------------------------------

    def derive(
        self,
        *,
        name: str | None = None,
        add_states: Iterable[str] = (),
        remove_states: Iterable[str] = (),
        add_transitions: Iterable[Transition] = (),
        remove_transitions: Iterable[type[ev.Event] | tuple[type[ev.Event], Iterable[str]]] = (),
        end_states: Iterable[str] | None = None,
        final_states: Iterable[str] | None = None,
    ) -> Lifecycle:
        """Return a new, validated lifecycle with several changes made at once.

        Only the result is validated, so a transition can be replaced in one step
        (``remove_transitions=[(Acknowledged, {"received"})]`` plus the new one in
        ``add_transitions``). ``remove_transitions`` takes event types (removed everywhere)
        or ``(event type, sources)`` pairs. Removing a state also removes it from every
        transition's sources and drops the transitions that lead to it. Added transitions
        come after the existing ones.
        """
        removed = _frozenset_of_str(remove_states)
        if self.initial in removed:
            raise LifecycleDefinitionError([f"cannot remove the initial state {self.initial!r}"])
        states = [s for s in self.states if s not in removed]
        states += [s for s in _state_names(add_states) if s not in states]
        drops = [
            _drop(r, i) for i, r in enumerate(_items(remove_transitions, "remove_transitions"))
        ]
        transitions: list[Transition] = []
        for t in self.transitions:
            if t.target in removed:
                continue
            sources = t.sources - removed
            for event, dropped in drops:
                if t.event is event:
                    sources = frozenset() if dropped is None else sources - dropped
            if sources:
                transitions.append(t if sources == t.sources else attrs.evolve(t, sources=sources))
        transitions.extend(_transitions(add_transitions))
        ends = self.end_states if end_states is None else _frozenset_of_str(end_states)
        finals = self.final_states if final_states is None else _frozenset_of_str(final_states)
        return Lifecycle(
            name=self.name if name is None else name,
            states=states,
            initial=self.initial,
            end_states=ends - removed,
            final_states=finals - removed,
            transitions=transitions,
        )

    def with_state(
        self,
        state: str,
        *,
        transitions: Iterable[Transition] = (),
        stays_like: str | None = None,
        end: bool = False,
        final: bool = False,
        name: str | None = None,
    ) -> Lifecycle:
        """Add ``state`` with the transitions into and out of it.

        ``stays_like="investigating"`` lets the new state accept the same bookkeeping events
        (owner changes, remedies, follow-ups, ...) as an existing one.
        """
        added = list(transitions)
        if stays_like is not None:
            self._check_state(stays_like)
            added += [
                Transition(t.event, {state}, None, t.guards)
                for t in self.transitions
                if stays_like in t.sources and t.target is None
            ]
        return self.derive(
            name=name,
            add_states=[state],
            add_transitions=added,
            end_states=self.end_states | {state} if end else None,
            final_states=self.final_states | {state} if final else None,
        )

    def without_state(self, state: str, *, name: str | None = None) -> Lifecycle:
        """Remove ``state`` and every transition into it."""
        self._check_state(state)
        return self.derive(name=name, remove_states=[state])

    def with_transition(
        self,
        event: type[ev.Event],
        sources: Iterable[str],
        target: str | None = None,
        *,
        guards: Iterable[Guard] = (),
        replace: bool = False,
        name: str | None = None,
    ) -> Lifecycle:
        """Allow ``event`` in ``sources``, moving to ``target`` (None: stay).

        With ``replace=True`` the existing transitions of ``event`` from those sources are
        removed first, e.g. to add a guard to a default transition.
        """
        new = Transition(event, sources, target, guards)
        return self.derive(
            name=name,
            add_transitions=[new],
            remove_transitions=[(event, new.sources)] if replace else (),
        )

    def without_transition(
        self,
        event: type[ev.Event],
        sources: Iterable[str] | None = None,
        *,
        name: str | None = None,
    ) -> Lifecycle:
        """Stop allowing ``event`` in ``sources`` (default: everywhere)."""
        drop = event if sources is None else (event, sources)
        return self.derive(name=name, remove_transitions=[drop])

    # -- export -----------------------------------------------------------------------------

    def to_mermaid(self, *, include_stays: bool = False) -> str:
        """A Mermaid ``stateDiagram-v2`` of the lifecycle.

        Events that keep the case in its state are left out unless ``include_stays``.
        """
        edges: dict[tuple[str, str], list[str]] = {}
        for t in self.transitions:
            for source in sorted(t.sources, key=self.states.index):
                target = t.target_from(source)
                if target == source and not include_stays:
                    continue
                # One row per (state, event) is guaranteed by validation: no duplicate labels.
                edges.setdefault((source, target), []).append(t.event.__name__)
        lines = ["stateDiagram-v2", f"    [*] --> {self.initial}"]
        lines += [f"    {a} --> {b} : {', '.join(names)}" for (a, b), names in edges.items()]
        lines += [f"    {s} --> [*]" for s in self.states if s in self.end_states]
        return "\n".join(lines) + "\n"


def _drop(item: object, index: int) -> tuple[type[ev.Event], frozenset[str] | None]:
    """One entry of ``remove_transitions``: an event type, or (event type, sources)."""
    if isinstance(item, type) and issubclass(item, ev.Event):
        return item, None
    if (
        isinstance(item, tuple)
        and len(item) == 2
        and isinstance(item[0], type)
        and issubclass(item[0], ev.Event)
    ):
        return item[0], frozenset(_names(item[1], f"remove_transitions[{index}][1]"))
    raise InvalidType(
        f"remove_transitions[{index}]",
        f"expected an Event subclass or (Event subclass, states), got {item!r}",
    )


def _problems(lc: Lifecycle) -> list[str]:
    """Every inconsistency of a lifecycle definition, in a stable order."""
    problems = _state_problems(lc) + _transition_problems(lc)
    if not problems:
        problems = _graph_problems(lc)
    return problems


def _state_problems(lc: Lifecycle) -> list[str]:
    problems: list[str] = []
    states = set(lc.states)
    if not lc.states:
        problems.append("a lifecycle needs at least one state")
    if len(states) != len(lc.states):
        dupes = sorted({s for s in lc.states if lc.states.count(s) > 1})
        problems.append(f"duplicate states: {', '.join(dupes)}")
    problems += [f"state {s!r} is not a non-blank string" for s in lc.states if not _is_name(s)]
    if lc.initial not in states:
        problems.append(f"initial state {lc.initial!r} is not one of the states")
    if not lc.end_states:
        problems.append("no end state: a case could never be done")
    for label, group in (("end", lc.end_states), ("final", lc.final_states)):
        problems += [
            f"{label} state {s!r} is not one of the states" for s in sorted(group - states)
        ]
    problems += [
        f"final state {s!r} must also be an end state"
        for s in sorted((lc.final_states - lc.end_states) & states)
    ]
    return problems


def _transition_problems(lc: Lifecycle) -> list[str]:
    problems: list[str] = []
    states = set(lc.states)
    seen: dict[tuple[str, type[ev.Event]], int] = {}
    for i, t in enumerate(lc.transitions):
        event: object = t.event
        if not (isinstance(event, type) and issubclass(event, ev.Event)):
            problems.append(f"transition {i}: event must be an Event subclass, got {event!r}")
            continue
        where = f"transition {i} ({event.__name__})"
        if not t.sources:
            problems.append(f"{where}: has no source states")
        problems += [f"{where}: unknown source state {s!r}" for s in sorted(t.sources - states)]
        if t.target is not None and t.target not in states:
            problems.append(f"{where}: unknown target state {t.target!r}")
        for s in sorted(t.sources):
            first = seen.setdefault((s, event), i)
            if first != i:
                problems.append(
                    f"{where}: {event.__name__} in state {s!r} is already handled by "
                    f"transition {first}"
                )
            if s in lc.final_states and t.target not in (None, s):
                problems.append(f"{where}: leaves final state {s!r} for {t.target!r}")
    return problems


def _is_name(s: object) -> bool:
    return isinstance(s, str) and bool(s.strip())


def _graph_problems(lc: Lifecycle) -> list[str]:
    forward: dict[str, set[str]] = {s: set() for s in lc.states}
    backward: dict[str, set[str]] = {s: set() for s in lc.states}
    for t in lc.transitions:
        for s in t.sources:
            target = t.target_from(s)
            forward[s].add(target)
            backward[target].add(s)
    reachable = _closure([lc.initial], forward)
    finishing = _closure(lc.end_states, backward)
    problems = [
        f"state {s!r} cannot be reached from {lc.initial!r}"
        for s in lc.states
        if s not in reachable
    ]
    problems += [
        f"no end state can be reached from state {s!r}" for s in lc.states if s not in finishing
    ]
    return problems


def _closure(start: Iterable[str], graph: Mapping[str, set[str]]) -> set[str]:
    seen = set(start)
    queue = deque(seen)
    while queue:
        for nxt in graph[queue.popleft()]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen
