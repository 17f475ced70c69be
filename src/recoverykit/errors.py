"""The exceptions recoverykit raises.

Every exception derives from `RecoveryKitError`, so one ``except`` catches them all; each
also derives from the builtin that fits (`ValueError`), so code written against the builtin
keeps working. Exceptions carry the facts as attributes, not only in the message.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = [
    "DeserializationError",
    "InvalidEvent",
    "InvalidTransition",
    "LifecycleDefinitionError",
    "RecoveryKitError",
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


class DeserializationError(RecoveryKitError, ValueError):
    """A payload could not be loaded.

    Attributes:
        errors: Every problem found, each as ``"path: message"`` (``"events[3].at: naive
            datetime, an offset is required"``). Nothing was built.
    """

    def __init__(self, errors: Iterable[str]) -> None:
        self.errors = tuple(errors)
        count = len(self.errors)
        listed = "\n".join(f"- {e}" for e in self.errors)
        super().__init__(
            f"invalid payload ({count} {'problem' if count == 1 else 'problems'}):\n{listed}"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.errors,))
