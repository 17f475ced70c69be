"""The exceptions recoverykit raises.

Every exception derives from `RecoveryKitError`, so one ``except`` catches them all; each
also derives from the builtin that fits, so code written against the builtin keeps working:
a value of the wrong type raises `InvalidType` (a `TypeError`), a name that is not known
(a state, an event tag, a lifecycle, a view) raises `UnknownName` (a `LookupError`), any
other bad value a `ValidationError` (a `ValueError`). Exceptions carry the facts as
attributes, not only in the message.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

__all__ = [
    "DeserializationError",
    "InvalidEvent",
    "InvalidTransition",
    "InvalidType",
    "LifecycleDefinitionError",
    "Problem",
    "RecoveryKitError",
    "UnknownName",
    "ValidationError",
]


class RecoveryKitError(Exception):
    """Base class of every exception raised by recoverykit."""


class ValidationError(RecoveryKitError, ValueError):
    """A value was rejected when a domain object was built.

    Attributes:
        path: Where the bad value was, e.g. ``"Complaint.received_at"``.
        message: What was wrong with it and what is allowed instead.
    """

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.message))


class InvalidType(ValidationError, TypeError):  # noqa: N818 - reads like its siblings
    """A value of the wrong type was given (``open_case(5)``, ``Survey(ratings=5)``).

    Also a `TypeError`, so ``except TypeError`` written against the builtin still works.
    """


class UnknownName(ValidationError, LookupError):  # noqa: N818 - reads like its siblings
    """A name was looked up and not found: a state, an event tag, a lifecycle, a view.

    Also a `LookupError` (the base of `KeyError`). The message lists the known names.
    """


def _where(index: int | None, event: object) -> str:
    name = type(event).__name__
    return name if index is None else f"event {index} ({name})"


class InvalidTransition(RecoveryKitError, ValueError):  # noqa: N818 - named in the public design
    """The lifecycle does not allow this event in the case's current state.

    Attributes:
        state: The state the case was in.
        event: The rejected event.
        allowed: Names of the event types the lifecycle allows in ``state``.
        sources: States in which the rejected event type *is* allowed.
        index: Position of the event in the history being replayed, if any.
    """

    def __init__(
        self,
        state: str,
        event: object,
        allowed: Iterable[str],
        sources: Iterable[str] = (),
        index: int | None = None,
    ) -> None:
        self.state = state
        self.event = event
        self.allowed = tuple(allowed)
        self.sources = tuple(sources)
        self.index = index
        super().__init__(self._message())

    def _message(self) -> str:
        where = _where(self.index, self.event)
        allowed = ", ".join(self.allowed) or "none"
        msg = f"{where} is not allowed in state {self.state!r}"
        if self.sources:
            msg += f" (it is allowed in: {', '.join(self.sources)})"
        return f"{msg}; events allowed in {self.state!r}: {allowed}"

    def at_index(self, index: int) -> InvalidTransition:
        """Return a copy that names the position of the event in a replayed history."""
        return InvalidTransition(self.state, self.event, self.allowed, self.sources, index)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.state, self.event, self.allowed, self.sources, self.index))


class InvalidEvent(RecoveryKitError, ValueError):  # noqa: N818 - named in the public design
    """The event breaks a rule of the case (time order, unknown remedy id, ...).

    Attributes:
        event: The rejected event.
        reason: What rule it broke and what is allowed instead.
        index: Position of the event in the history being replayed, if any.
    """

    def __init__(self, event: object, reason: str, index: int | None = None) -> None:
        self.event = event
        self.reason = reason
        self.index = index
        super().__init__(f"{_where(index, event)}: {reason}")

    def at_index(self, index: int) -> InvalidEvent:
        """Return a copy that names the position of the event in a replayed history."""
        return InvalidEvent(self.event, self.reason, index)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.event, self.reason, self.index))


class LifecycleDefinitionError(RecoveryKitError, ValueError):
    """A lifecycle definition is inconsistent.

    Attributes:
        problems: Every problem found, one sentence each; all are reported at once.
    """

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = tuple(problems)
        listed = "\n".join(f"- {p}" for p in self.problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"invalid lifecycle ({count} {noun}):\n{listed}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.problems,))


@attrs.frozen
class Problem:
    """One problem with one value of a payload: where it is and what is wrong.

    ``str(problem)`` is ``"path: message"``, e.g. ``"events[3].at: naive datetime, an offset
    is required"``.
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class DeserializationError(RecoveryKitError, ValueError):
    """A payload could not be loaded.

    Attributes:
        errors: Every problem found, as `Problem` values (``str()`` of each is
            ``"path: message"``). Nothing was built.
    """

    def __init__(self, errors: Iterable[Problem]) -> None:
        self.errors: tuple[Problem, ...] = tuple(errors)
        count = len(self.errors)
        listed = "\n".join(f"- {e}" for e in self.errors)
        super().__init__(
            f"invalid payload ({count} {'problem' if count == 1 else 'problems'}):\n{listed}"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.errors,))
