"""What `metrics.portfolio` and `analytics.themes` group cases by: one set of names, or the
caller's own function.

A key function returns every key a case counts under, without repeats: none (no owner, no
tags), one (its channel), or several (each of its tags). The caller decides what a case with
no key means: the portfolio counts it under ``"(none)"``, themes leave it out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from recoverykit import _validation as v
from recoverykit.case import Case
from recoverykit.errors import InvalidType, UnknownName

#: The caller's own grouping: a function from a case to one key or several.
KeyFunction = Callable[[Case], str | Iterable[str]]

#: A key function as called here: with the case and its index in the input, for errors.
Keys = Callable[[Case, int], tuple[str, ...]]


def _owner(case: Case, _index: int = 0) -> tuple[str, ...]:
    owner = case.owner
    return () if owner is None else (owner.id,)


def _team(case: Case, _index: int = 0) -> tuple[str, ...]:
    owner = case.owner
    return () if owner is None or owner.team is None else (owner.team,)


def _channel(case: Case, _index: int = 0) -> tuple[str, ...]:
    return (case.complaint.channel.value,)


def _severity(case: Case, _index: int = 0) -> tuple[str, ...]:
    return (case.complaint.severity.value,)


def _category(case: Case, _index: int = 0) -> tuple[str, ...]:
    value = case.complaint.category
    return () if value is None else (value,)


def _product(case: Case, _index: int = 0) -> tuple[str, ...]:
    value = case.complaint.product
    return () if value is None else (value,)


def _desired_remedy(case: Case, _index: int = 0) -> tuple[str, ...]:
    value = case.complaint.desired_remedy
    return () if value is None else (value.value,)


def _tags(case: Case, _index: int = 0) -> tuple[str, ...]:
    tags = case.complaint.tags
    # A tag given twice still counts the case once.
    return tags if len(tags) < 2 else tuple(dict.fromkeys(tags))


def _root_cause(case: Case, _index: int = 0) -> tuple[str, ...]:
    return tuple(sorted({rc.id for rc in case.root_causes}))


# Sorted, so that error messages list the names in a stable order.
NAMED: dict[str, Keys] = {
    "category": _category,
    "channel": _channel,
    "desired_remedy": _desired_remedy,
    "owner": _owner,
    "product": _product,
    "root_cause": _root_cause,
    "severity": _severity,
    "tags": _tags,
    "team": _team,
}
"""Every name ``by=`` accepts: ``owner`` and ``team`` are the current owner's; ``tags``
and ``root_cause`` give a key per distinct tag or linked root cause."""


def keys_for(by: object, path: str = "by") -> Keys:
    """The key function named or given by ``by``, called as ``keys(case, index)``.

    The index names the case in the error raised when the caller's function returns
    something other than a str or an iterable of str.

    Raises:
        InvalidType: ``by`` is neither a str nor a callable.
        UnknownName: ``by`` is a str that is not one of `NAMED`.
    """
    if isinstance(by, str):
        if by not in NAMED:
            allowed = ", ".join(NAMED)
            raise UnknownName(path, f"{by!r} is not a key to group by ({allowed}, or a callable)")
        return NAMED[by]
    if callable(by):
        return _own(by, path)
    allowed = ", ".join(NAMED)
    raise InvalidType(
        path,
        f"expected a str ({allowed}) or a callable from a case to keys, got {v.type_name(by)}",
    )


def _own(function: KeyFunction, path: str) -> Keys:
    def keys(case: Case, i: int) -> tuple[str, ...]:
        found: object = function(case)
        if isinstance(found, str):
            return (found,)
        if isinstance(found, Iterable) and not isinstance(found, bytes):
            items = tuple(found)
            for key in items:
                if not isinstance(key, str):
                    raise InvalidType(
                        f"{path}(cases[{i}])",
                        f"expected a str or an iterable of str, got an item {v.type_name(key)}",
                    )
            # A key given twice still counts the case once.
            return items if len(items) < 2 else tuple(dict.fromkeys(items))
        raise InvalidType(
            f"{path}(cases[{i}])",
            f"expected a str or an iterable of str, got {v.type_name(found)}",
        )

    return keys
