"""From cattrs' grouped exceptions to `Problem` values, each with a path and a message.

cattrs reports structuring failures as exception groups annotated with notes saying which
attribute or index failed. `problems()` walks them into flat `Problem(path, message)`
values. (`cattrs.transform_error` does the same walk but returns formatted strings; the
library keeps path and message apart, so that callers never re-split text.)
"""

from __future__ import annotations

from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationNote,
)

from recoverykit.errors import DeserializationError, Problem, RecoveryKitError, ValidationError
from recoverykit.serialization._scalars import PayloadError


def at(name: str, message: str) -> ClassValidationError:
    """An error for the field ``name`` of the payload being structured."""
    return noted(PayloadError(message), name)


def noted(exc: Exception, name: str) -> ClassValidationError:
    """Wrap ``exc`` so that its path gains ``name``."""
    exc.__notes__ = [*getattr(exc, "__notes__", []), AttributeValidationNote(name, name, object)]
    return ClassValidationError(f"While structuring {name}", [exc], object)


def join(path: str, part: str) -> str:
    if not part:
        return path
    if part.startswith("["):
        return f"{path}{part}"
    return f"{path}.{part}" if path else part


def problems(exc: BaseException, path: str = "") -> list[Problem]:
    """Every problem in ``exc`` (an exception or a cattrs group), with its path."""
    if not isinstance(exc, BaseExceptionGroup):
        return _leaf(exc, path)
    out: list[Problem] = []
    for sub in exc.exceptions:
        sub_path = path
        for note in getattr(sub, "__notes__", ()):
            if isinstance(note, AttributeValidationNote):
                sub_path = join(path, note.name)
            elif isinstance(note, IterableValidationNote):
                sub_path = join(path, f"[{note.index}]")
        out.extend(problems(sub, sub_path))
    return out


def _leaf(exc: BaseException, path: str) -> list[Problem]:
    where = path or "payload"
    if isinstance(exc, ForbiddenExtraKeysError):
        return [Problem(join(path, key), "unknown key") for key in sorted(exc.extra_fields)]
    if isinstance(exc, ValidationError):
        # Raised by a class's own validators: "Money.currency" names the field inside it.
        field = exc.path.split(".", 1)[1] if "." in exc.path else ""
        return [Problem(join(path, field) or "payload", exc.message)]
    if isinstance(exc, KeyError):
        return [Problem(where, "required field missing")]
    if isinstance(exc, DeserializationError):
        return [Problem(join(path, p.path), p.message) for p in exc.errors]
    prefix = (
        ""
        if isinstance(exc, RecoveryKitError | ValueError | TypeError)
        else f"{type(exc).__name__}: "
    )
    return [Problem(where, f"{prefix}{exc}")]
