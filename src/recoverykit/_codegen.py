"""Generated structure and unstructure functions for the fast converter.

cattrs' generated functions call one hook per field. For the handful of scalar kinds that make
up most of an event (strings, booleans, integers, datetimes, string enums, and their optional
forms) the functions generated here check the common exact case inline and call the
converter's hook for anything else, so a value is accepted only when the hook would accept it
and unusual values get the hook's own error. A payload that is not a dict or has unknown
keys goes to ``slow``, which raises the usual error (or loads a subclass of dict).

Unstructure functions likewise read plain values (strings, numbers, booleans, string enums)
directly and call the hook for the rest; an event's ``type`` tag is written in the same dict.

The module knows nothing of recoverykit's hooks: `serialization` decides which fields may be
inlined (only where the converter's hook is the library's own) and passes that plan in.
"""

from __future__ import annotations

import linecache
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

Hook = Callable[[Any, Any], Any]


@attrs.frozen
class Field:
    """How to load one ``__init__`` argument of the class."""

    key: str
    kind: str
    hook: Hook
    type: Any
    optional: bool = False
    members: dict[str, Any] | None = None  # enum values -> members, for kind "enum"
    has_default: bool = False
    default: Any = None
    factory: bool = False  # the default is a factory to call
    keyword: str | None = None  # passed by this keyword (kw_only), else positionally


_SNIPPETS = {
    "str": ["x{i} = v if v.__class__ is str else h{i}(v, t{i})"],
    "bool": ["x{i} = v if v.__class__ is bool else h{i}(v, t{i})"],
    "int": ["x{i} = v if v.__class__ is int else h{i}(v, t{i})"],
    "enum": [
        "x{i} = m{i}.get(v) if v.__class__ is str else None",
        "if x{i} is None:",
        "    x{i} = h{i}(v, t{i})",
    ],
    "datetime": [
        "if v.__class__ is str and not v.endswith(']'):",
        "    try:",
        "        x{i} = fromisoformat(v)",
        "    except ValueError:",
        "        x{i} = h{i}(v, t{i})",
        "    if x{i}.tzinfo is None:",
        "        x{i} = h{i}(v, t{i})",
        "else:",
        "    x{i} = h{i}(v, t{i})",
    ],
    "decimal": [
        "if v.__class__ is str:",
        "    try:",
        "        x{i} = Decimal(v)",
        "    except InvalidOperation:",
        "        x{i} = h{i}(v, t{i})",
        "    if not x{i}.is_finite():",
        "        x{i} = h{i}(v, t{i})",
        "else:",
        "    x{i} = h{i}(v, t{i})",
    ],
    "hook": ["x{i} = h{i}(v, t{i})"],
}

_COUNT = [0]


def _compile(cls: type, what: str, params: str, lines: list[str], names: dict[str, Any]) -> Any:
    _COUNT[0] += 1
    name = f"{what}_{cls.__name__}_{_COUNT[0]}"
    source = "\n".join([f"def {name}({params}):", *("    " + line for line in lines)]) + "\n"
    # Unique: two converters may generate different functions for one class.
    filename = f"<recoverykit generated {what} {cls.__module__}.{cls.__qualname__} {_COUNT[0]}>"
    # Registered with linecache so that tracebacks through the function show its source.
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    exec(compile(source, filename, "exec"), names)  # noqa: S102 - source built here, no input
    return names[name]


def make_loader(
    cls: type, fields: Sequence[Field], slow: Hook, *, extra_keys: Sequence[str] = ()
) -> Hook:
    """A function ``(payload, type) -> cls`` that loads ``fields`` and calls ``cls``.

    ``extra_keys`` are keys allowed in the payload but not loaded (an event's ``type`` tag).
    """
    names: dict[str, Any] = {
        "cls": cls,
        "slow": slow,
        "keys": frozenset([*(f.key for f in fields), *extra_keys]),
        "fromisoformat": datetime.fromisoformat,
        "Decimal": Decimal,
        "InvalidOperation": InvalidOperation,
    }
    body: list[str] = []
    for i, field in enumerate(fields):
        names[f"h{i}"], names[f"t{i}"], names[f"m{i}"] = field.hook, field.type, field.members
        names[f"d{i}"] = field.default
        snippet = [line.format(i=i) for line in _SNIPPETS[field.kind]]
        if field.optional:
            snippet = ["if v is None:", f"    x{i} = None", "else:", *("    " + s for s in snippet)]
        if field.has_default:
            default = f"d{i}()" if field.factory else f"d{i}"
            body += [f"if {field.key!r} in o:", f"    v = o[{field.key!r}]"]
            body += ["    " + s for s in snippet]
            body += ["else:", f"    x{i} = {default}"]
        else:
            body += [f"v = o[{field.key!r}]", *snippet]
    # Positional arguments first, in order; kw_only ones after them by keyword.
    arguments = ", ".join(
        [f"x{i}" for i, f in enumerate(fields) if not f.keyword]
        + [f"{f.keyword}=x{i}" for i, f in enumerate(fields) if f.keyword]
    )
    lines = [
        "if o.__class__ is not dict or not keys.issuperset(o):",
        "    return slow(o, t)",
        *body,
        f"return cls({arguments})",
    ]
    loader: Hook = _compile(cls, "load", "o, t", lines, names)
    return loader


@attrs.frozen
class Item:
    """How to write one attribute: ``kind`` is "plain" (the value as is), "optional_plain"
    (None or an exact str/int/bool as is, else the hook), "enum" (a string enum's value),
    "datetime" (ISO 8601, the hook where the zone has a name) or "hook"."""

    key: str
    kind: str
    hook: Callable[[Any], Any]
    plain: type | None = None  # the exact class passed through, for "optional_plain"
    omit_none: bool = False  # left out of the dict when the value is None


_WRITE = {
    "plain": "{value}",
    "enum": "{value}._value_",
    # The hook's own fast path: a fixed offset (UTC included) has no zone name to add.
    "datetime": "v.isoformat() if (v := {value}).tzinfo.__class__ is fixed else h{i}(v)",
    "optional_plain": "v if (v := {value}) is None or v.__class__ is p{i} else h{i}(v)",
    "hook": "h{i}({value})",
}


def make_dumper(
    cls: type, items: Sequence[Item], *, constants: Sequence[tuple[str, str | int]] = ()
) -> Callable[[Any], dict[str, Any]]:
    """A function ``instance -> dict`` writing ``constants`` (keys and values: an event's
    ``type`` tag and version), then ``items``.

    As in cattrs' functions, the items that are always written come first, in order, then
    those with ``omit_none``, each left out when its value is None.
    """
    names: dict[str, Any] = {"fixed": timezone}
    display = [f"{key!r}: {value!r}" for key, value in constants]
    statements: list[str] = []
    for i, item in enumerate(items):
        names[f"h{i}"], names[f"p{i}"] = item.hook, item.plain
        if item.omit_none:
            value = _WRITE[item.kind].format(i=i, value="v")
            statements += [f"if (v := o.{item.key}) is not None:", f"    d[{item.key!r}] = {value}"]
        else:
            value = _WRITE[item.kind].format(i=i, value=f"o.{item.key}")
            display.append(f"{item.key!r}: {value}")
    lines = ["d = {", *(f"    {entry}," for entry in display), "}", *statements, "return d"]
    dumper: Callable[[Any], dict[str, Any]] = _compile(cls, "dump", "o", lines, names)
    return dumper
