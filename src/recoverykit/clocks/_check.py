"""Clocks against a lifecycle: every state and event type a clock names must exist in it.

A clock names states (``pause_in``) and event types (``start_on``, ``stop_on``,
``restart_on``, ``extension.event``). It is defined apart from any lifecycle (a regime's
clocks serve every app, and apps derive their own lifecycles), so it cannot check those
names when it is built. Against a lifecycle, a name it does not have is a silent bug: a
clock that pauses in a state no case can be in never pauses; one that stops on an event no
case can hold never stops. This module finds every such name, so that one error lists them
all.

An event type is known to a lifecycle when a case on it can hold an event of that type: it
is the opening `ComplaintReceived` (every case starts with one; it has no transition), a
subclass of an event type of a transition (`HoldingReplySent` follows `ReplySent`), or a
parent of one (a clock that stops on any `Event`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from recoverykit import _validation as v
from recoverykit import events as ev
from recoverykit.errors import InvalidType, Problem, UnknownName
from recoverykit.lifecycle import Lifecycle

if TYPE_CHECKING:
    from recoverykit.clocks import Clock

#: Fields of a clock that name event types, with how the message reads.
_EVENT_FIELDS = (("start_on", "starts on"), ("stop_on", "stops on"), ("restart_on", "restarts on"))


class _Names:
    """What one lifecycle knows: its states, and which event types a case on it can hold.

    Built per check and cheap: the lifecycle keeps its states and event types as sets, so
    the common case is a few set-membership tests (`evaluate_clocks` runs once per case on
    hot paths). Nothing is remembered between calls.
    """

    __slots__ = ("_lifecycle", "lifecycle", "states")

    def __init__(self, lifecycle: Lifecycle) -> None:
        self._lifecycle = lifecycle
        self.lifecycle = lifecycle.name
        self.states = lifecycle.state_set

    def knows(self, event: type[ev.Event]) -> bool:
        types = self._lifecycle.event_types
        if event in types or event is ev.ComplaintReceived:
            return True
        return any(issubclass(event, e) or issubclass(e, event) for e in types)

    def fits(self, clock: Clock) -> bool:
        """Whether ``clock`` names only states and events of the lifecycle (the fast path)."""
        if not clock.pause_in <= self.states:
            return False
        knows = self.knows
        for events in (clock.start_on, clock.stop_on, clock.restart_on):
            for event in events:
                if not knows(event):
                    return False
        return clock.extension is None or knows(clock.extension.event)

    def state_names(self) -> str:
        return ", ".join(self._lifecycle.states)

    def event_names(self) -> str:
        events: dict[type[ev.Event], None] = {ev.ComplaintReceived: None}
        for t in self._lifecycle.transitions:
            events.setdefault(t.event)
        return ", ".join(e.__name__ for e in events)


def names_of(lifecycle: Lifecycle) -> _Names:
    return _Names(lifecycle)


class _Finding(NamedTuple):
    """One unknown name: where, what (without the list of what is known), and its kind."""

    path: str
    text: str
    is_state: bool


def _findings(clock: Clock, names: _Names, path: str) -> list[_Finding]:
    """Every state and event type ``clock`` names that the lifecycle does not have."""
    lifecycle = names.lifecycle
    found = [
        _Finding(
            f"{path}.pause_in",
            f"clock {clock.name!r} pauses in {state!r}, which is not a state of lifecycle "
            f"{lifecycle!r}",
            is_state=True,
        )
        for state in sorted(clock.pause_in - names.states)
    ]
    named: list[tuple[str, str, type[ev.Event]]] = [
        (f"{path}.{field}[{i}]", verb, event)
        for field, verb in _EVENT_FIELDS
        for i, event in enumerate(getattr(clock, field))
    ]
    if clock.extension is not None:
        named.append((f"{path}.extension.event", "is extended by", clock.extension.event))
    found += [
        _Finding(
            where,
            f"clock {clock.name!r} {verb} {event.__name__}, an event lifecycle {lifecycle!r} "
            "never accepts",
            is_state=False,
        )
        for where, verb, event in named
        if not names.knows(event)
    ]
    return found


def _known(names: _Names, *, states: bool) -> str:
    """What the lifecycle has, for a message."""
    if states:
        return f"its states: {names.state_names()}"
    return f"it accepts (with subclasses): {names.event_names()}"


def _all_findings(
    clocks: tuple[Clock, ...], names: _Names, root: str, *, indexed: bool
) -> list[_Finding]:
    return [
        finding
        for i, clock in enumerate(clocks)
        for finding in _findings(clock, names, f"{root}[{i}]" if indexed else root)
    ]


def problems(
    clocks: tuple[Clock, ...], names: _Names, root: str, *, indexed: bool
) -> list[Problem]:
    """Every unknown name of ``clocks``, at ``root[i]`` (or ``root`` itself if not indexed),
    each message saying what the lifecycle has instead."""
    return [
        Problem(f.path, f"{f.text}; {_known(names, states=f.is_state)}")
        for f in _all_findings(clocks, names, root, indexed=indexed)
    ]


def _error(found: list[_Finding], names: _Names, root: str) -> UnknownName:
    """One error for every finding: the finding itself if there is one, else a list at
    ``root`` followed by what the lifecycle has, once."""
    if len(found) == 1:
        (f,) = found
        return UnknownName(f.path, f"{f.text}; {_known(names, states=f.is_state)}")
    listed = [f"- {f.path}: {f.text}" for f in found]
    if any(f.is_state for f in found):
        listed.append(f"states of {names.lifecycle!r}: {names.state_names()}")
    if not all(f.is_state for f in found):
        listed.append(f"events {names.lifecycle!r} accepts, with subclasses: {names.event_names()}")
    return UnknownName(
        root,
        f"{len(found)} states or events are not in lifecycle {names.lifecycle!r}:\n"
        + "\n".join(listed),
    )


def lifecycle_arg(value: object, path: str = "lifecycle") -> Lifecycle:
    if not isinstance(value, Lifecycle):
        raise InvalidType(path, f"expected a Lifecycle, got {v.type_name(value)}")
    return value


def check(clocks: tuple[Clock, ...], lifecycle: Lifecycle, root: str, *, indexed: bool) -> None:
    """Raise one `UnknownName` listing every unknown name of ``clocks``, if there is any."""
    fitting = lifecycle._fitting  # noqa: SLF001
    names = None
    for clock in clocks:
        if fitting.get(id(clock)) is clock:
            continue
        if names is None:
            names = _Names(lifecycle)
        if not names.fits(clock):
            found = _all_findings(clocks, names, root, indexed=indexed)
            raise _error(found, names, root)
        if len(fitting) >= _REMEMBERED:  # an app making clocks on the fly: start again
            fitting.clear()
        fitting[id(clock)] = clock


_REMEMBERED = 256
