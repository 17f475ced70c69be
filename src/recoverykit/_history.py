"""A case's history, shared between the cases `Case.apply` makes: appending is O(1).

`Case.apply` returns a new case one event longer. Copying the history each time made an
apply cost grow with the case (8,000 events one by one took seconds). Instead every case
holds a `History`: a prefix, of its own length, of an append-only list that the cases of one
line of applies share, as Go's slices do. The list only ever grows, so the first ``n``
entries a case sees never change under it. The case that ends where the list ends appends in
place; any other (an older case applied again: a branch) copies its prefix first.

A history built whole (by `replay`, or from a tuple) keeps a tuple, as a case always did:
``case.history`` is then that tuple, with no second copy; the first apply to it copies it
into a list once.

Two threads applying to the same case at once both append; the one whose event landed at the
case's length keeps the shared list, the other sees someone else's event there and copies.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any, overload

from recoverykit.errors import InvalidType

if TYPE_CHECKING:  # model imports this module, and events import model
    from recoverykit import events as ev

__all__ = ["History", "history_of"]


class History(Sequence["ev.Event"]):
    """The first ``n`` events of a shared append-only list (read-only)."""

    __slots__ = ("_events", "_hash", "_n", "_tuple")

    def __init__(self, events: list[ev.Event] | tuple[ev.Event, ...], n: int) -> None:
        self._events = events
        self._n = n
        self._tuple: tuple[ev.Event, ...] | None = None
        self._hash: int | None = None

    @classmethod
    def of(cls, events: Iterable[ev.Event]) -> History:
        """A history holding ``events`` (a History is returned as it is)."""
        if type(events) is History:
            return events
        owned = tuple(events)
        return cls(owned, len(owned))

    def plus(self, event: ev.Event) -> History:
        """This history and then ``event``; ``self`` is unchanged."""
        events, n = self._events, self._n
        if type(events) is list and len(events) == n:
            events.append(event)
            if events[n] is event:  # ours landed at n (not a concurrent apply's)
                return History(events, n + 1)
        copy = list(events[:n])
        copy.append(event)
        return History(copy, n + 1)

    def as_tuple(self) -> tuple[ev.Event, ...]:
        """The events as a tuple (built once per history)."""
        cached = self._tuple
        if cached is None:
            events = self._events
            if type(events) is tuple and len(events) == self._n:
                return events
            cached = self._tuple = tuple(islice(events, self._n))
        return cached

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, index: int) -> ev.Event: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[ev.Event, ...]: ...
    def __getitem__(self, index: int | slice) -> ev.Event | tuple[ev.Event, ...]:
        n = self._n
        if type(index) is int and -n <= index < n:
            return self._events[index if index >= 0 else n + index]
        return self.as_tuple()[index]  # a slice, or out of range: as a tuple would

    def __iter__(self) -> Iterator[ev.Event]:
        return islice(self._events, self._n)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, History):
            if self._n != other._n:
                return False
            return self._events is other._events or self.as_tuple() == other.as_tuple()
        return NotImplemented

    def __hash__(self) -> int:
        cached = self._hash
        if cached is None:
            cached = self._hash = hash(self.as_tuple())
        return cached

    def __repr__(self) -> str:
        return f"History({list(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (History.of, (self.as_tuple(),))


def history_of(events: Iterable[ev.Event]) -> History:
    """`History.of`, as a plain function (what attrs' converters and mypy expect)."""
    if type(events) is History:  # every Case the library builds: no second call
        return events
    given: object = events
    if isinstance(given, str | bytes) or not isinstance(given, Iterable):
        raise InvalidType(
            "Case.history", f"expected an iterable of events, got {type(given).__name__}"
        )
    return History.of(events)
