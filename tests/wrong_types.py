"""Feed wrong-typed values to public callables: only `RecoveryKitError` subclasses may escape.

Each test module lists its public callables with one valid set of keyword arguments; the
check replaces some of those arguments with random values of the wrong type (ints, floats,
strings, None, bytes, naive datetimes, bare objects, other domain values, and lists, tuples
and dicts of them, including lists that mix valid items with wrong ones) and calls. The call
may succeed (a value can be of an acceptable type by chance) or raise a `RecoveryKitError`;
anything else (a bare TypeError, AttributeError, KeyError, OverflowError, ...) fails the test.
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from recoverykit import (
    Channel,
    ClockStatus,
    Complaint,
    CustomerRef,
    Money,
    Owner,
    RecoveryKitError,
    Survey,
    open_case,
)
from recoverykit import events as ev
from recoverykit.clocks import ClockState

_T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
_COMPLAINT = Complaint(id="W-1", customer=CustomerRef("w"), channel=Channel.EMAIL, received_at=_T0)

#: Domain values of the wrong kind for most arguments (a case where a complaint is wanted...).
OTHER_VALUES: tuple[object, ...] = (
    _COMPLAINT,
    open_case(_COMPLAINT),
    Owner("o"),
    Money("1.00", "GBP"),
    Survey(nps=5),
    ClockStatus(name="x", status=ClockState.RUNNING),
    ev.Acknowledged(at=_T0),
    Channel.EMAIL,
    ClockState.BREACHED,
)


class _Opaque:
    """An object of a type nobody expects."""

    def __repr__(self) -> str:
        return "<opaque>"


_scalars = st.one_of(
    st.integers(),
    st.integers(-3, 12),  # in and around the ranges of ratings and counts
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=6),
    st.sampled_from(["", " ", "email", "category", "x", "UTC", "GBP", "1.5"]),
    st.none(),
    st.booleans(),
    st.binary(max_size=4),
    st.decimals(allow_nan=True),
    st.datetimes(),  # naive
    st.datetimes(timezones=st.just(UTC)),
    st.dates(),
    st.timedeltas(),
    st.builds(object),
    st.builds(_Opaque),
    st.sampled_from(OTHER_VALUES),
)


def wrong_values() -> st.SearchStrategy[object]:
    """Random values, mostly of the wrong type for any given argument."""
    return st.recursive(
        _scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.tuples(inner, inner),
            st.dictionaries(st.text(max_size=3), inner, max_size=3),
        ),
        max_leaves=6,
    )


def _replacement(data: st.DataObject, valid: object, label: str) -> object:
    if isinstance(valid, list | tuple) and valid and data.draw(st.booleans(), label=label):
        # A collection that is right except for one item.
        items = list(valid)
        items.insert(data.draw(st.integers(0, len(items))), data.draw(wrong_values()))
        return items
    return data.draw(wrong_values(), label=label)


def call_with_wrong_types(
    data: st.DataObject, target: Callable[..., object], valid: Mapping[str, Any]
) -> None:
    """Call ``target`` with some of its ``valid`` keyword arguments replaced by wrong values.

    Only `RecoveryKitError` may escape; the result, if any, is thrown away.
    """
    names = sorted(valid)
    if names:
        chosen = data.draw(st.sets(st.sampled_from(names), min_size=1), label="replaced")
    else:
        chosen = set()
    kwargs = {
        name: _replacement(data, value, name) if name in chosen else value
        for name, value in valid.items()
    }
    with contextlib.suppress(RecoveryKitError):
        target(**kwargs)


def public_callables(module: object) -> set[str]:
    """The names in ``module.__all__`` that are classes or functions (not type aliases)."""
    names: list[str] = getattr(module, "__all__", [])
    return {
        n
        for n in names
        if inspect.isclass(getattr(module, n)) or inspect.isroutine(getattr(module, n))
    }


#: Reused by the tables: a week, an aware instant.
WEEK = timedelta(days=7)
NOW = _T0 + timedelta(days=40)
PRICE = Decimal("1.00")
