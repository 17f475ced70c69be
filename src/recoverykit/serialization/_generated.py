"""The fast converter's generated functions (see `recoverykit._codegen`), planned here.

Only this module knows which of the converter's hooks are the library's own: a field whose
hook is one of ours is checked inline by the generated function; any other hook (one a user
registered on their converter) is always called. The detailed converter uses cattrs' own
functions, which is what every fast function must agree with (tested on generated classes).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from types import UnionType
from typing import Any, Union, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import ForbiddenExtraKeysError
from cattrs.fns import identity
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from recoverykit._codegen import Field as LoaderField
from recoverykit._codegen import Item as DumpItem
from recoverykit._codegen import make_dumper, make_loader
from recoverykit.serialization._scalars import (
    PayloadError,
    describe,
    dump_datetime,
    dump_enum,
    load_bool,
    load_datetime,
    load_decimal,
    load_enum,
    load_int,
    load_str,
)


def attrs_hook(conv: cattrs.Converter, cls: type) -> Callable[[object, object], Any]:
    """The structure hook for an attrs class: cattrs' function on the detailed converter
    (and for a class no loader can be generated for), a generated one on the fast converter.
    """
    if conv.detailed_validation or not _generable(cls):
        return cattrs_loader(conv, cls)
    allowed = frozenset(a.name for a in attrs.fields(cls) if a.init)

    def slow(value: object, _: object) -> Any:
        # The generated loader's way out, for what is not a plain dict with known keys:
        # the same errors as cattrs' function, which is never built here. (It would not
        # even compile for a keyword-only field before a positional one: cattrs 26.2 makes
        # invalid code for that class on a converter without detailed validation.)
        if not isinstance(value, dict):
            raise PayloadError(f"expected an object ({cls.__name__}), got {describe(value)}")
        extra = value.keys() - allowed
        if extra:
            raise ForbiddenExtraKeysError("", cls, set(extra))
        return loader(dict(value), cls)  # a subclass of dict, loaded as a dict

    loader = generated(conv, cls, slow)
    return loader


def cattrs_loader(conv: cattrs.Converter, cls: type) -> Callable[[object, object], Any]:
    structure: Callable[[Any, Any], Any] = make_dict_structure_fn(cls, conv)

    def checked(value: object, _: object) -> Any:
        if not isinstance(value, dict):
            raise PayloadError(f"expected an object ({cls.__name__}), got {describe(value)}")
        return structure(value, cls)

    return checked


def _generable(cls: type) -> bool:
    """Whether a loader can be generated: no default is computed from the instance."""
    return not any(
        isinstance(a.default, attrs.Factory) and a.default.takes_self  # type: ignore[arg-type]
        for a in attrs.fields(cls)
        if a.init
    )


def generated(
    conv: cattrs.Converter, cls: type, slow: Callable[[Any, Any], Any], *extra_keys: str
) -> Callable[[Any, Any], Any]:
    """A generated loader for ``cls`` (see `_codegen`), or ``slow`` where there is none.

    ``slow`` is called for a payload that is not a dict or has keys other than the fields'
    and ``extra_keys``.
    """
    if not _generable(cls):
        return slow
    attrs.resolve_types(cls)
    fields = []
    for a in attrs.fields(cls):
        if not a.init:
            continue
        default = a.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            default = default.factory
        fields.append(
            _loader_field(
                conv,
                a.name,
                a.type,
                default=default,
                factory=default is not a.default,
                keyword=a.alias if a.kw_only else None,
            )
        )
    return make_loader(cls, fields, slow, extra_keys=extra_keys)


def dumper(
    conv: cattrs.Converter, cls: type, constants: tuple[tuple[str, Any], ...] = ()
) -> Callable[[Any], dict[str, Any]]:
    """A generated unstructure function for ``cls`` writing the same dict as cattrs' one."""
    attrs.resolve_types(cls)
    items = []
    for a in attrs.fields(cls):
        if not a.init:  # as cattrs: a field outside __init__ is derived, not data
            continue
        hook = conv.get_unstructure_hook(a.type)
        kind, plain = "hook", None
        if hook is identity:
            kind = "plain"
        elif hook is dump_datetime:
            kind = "datetime"
        elif hook is dump_enum and isinstance(a.type, type) and issubclass(a.type, StrEnum):
            kind = "enum"
        elif is_optional(a.type):
            inner = next(t for t in get_args(a.type) if t is not type(None))
            if inner in (str, int, bool) and conv.get_unstructure_hook(inner) is identity:
                kind, plain = "optional_plain", inner
        items.append(DumpItem(a.name, kind, hook, plain, omit_none=a.default is None))
    return make_dumper(cls, items, constants=constants)


def unstructurer(conv: cattrs.Converter, cls: type) -> Callable[[Any], dict[str, Any]]:
    """cattrs' unstructure function for ``cls``, leaving out None where None is the default."""
    omitted = {
        a.name: override(omit_if_default=True) for a in attrs.fields(cls) if a.default is None
    }
    fn: Callable[[Any], dict[str, Any]] = make_dict_unstructure_fn(
        cls,
        conv,
        **omitted,  # type: ignore[arg-type]  # per-attribute overrides, typed loosely
    )
    return fn


def _loader_field(
    conv: cattrs.Converter,
    key: str,
    type_: Any,
    *,
    default: Any,
    factory: bool,
    keyword: str | None,
) -> LoaderField:
    hook = conv.get_structure_hook(type_)
    inner, optional = type_, False
    if getattr(hook, OPTIONAL_MARK, False):
        inner, optional = next(a for a in get_args(type_) if a is not type(None)), True
        hook = conv.get_structure_hook(inner)
    # Inlined only where the converter's hook is the library's own, so that a hook the user
    # registered on their converter is always the one that runs.
    kind = next((k for known, k in _INLINE if hook is known), "hook")
    members = None
    if hook is load_enum and isinstance(inner, type) and issubclass(inner, StrEnum):
        kind, members = "enum", {m.value: m for m in inner}
    return LoaderField(
        key,
        kind,
        hook,
        inner,
        optional=optional,
        members=members,
        has_default=default is not attrs.NOTHING,
        default=None if default is attrs.NOTHING else default,
        factory=factory,
        keyword=keyword,
    )


def is_optional(t: Any) -> bool:
    args = get_args(t)
    return len(args) == 2 and type(None) in args and get_origin(t) in (Union, UnionType)


# Marks the library's own optional hooks (None, or the inner type's hook), which generated
# loaders may inline; a function attribute, so no registry of hooks is kept anywhere.
OPTIONAL_MARK = "_recoverykit_optional"


def optional_hook(conv: cattrs.Converter, t: Any) -> Callable[[Any, Any], Any]:
    inner = next(a for a in get_args(t) if a is not type(None))
    hook = conv.get_structure_hook(inner)  # resolved once, not on every value

    def structure(value: Any, _: Any) -> Any:
        return None if value is None else hook(value, inner)

    setattr(structure, OPTIONAL_MARK, True)
    return structure


# The library's scalar hooks and the kind a generated loader checks inline instead.
_INLINE: tuple[tuple[Callable[[Any, Any], Any], str], ...] = (
    (load_str, "str"),
    (load_bool, "bool"),
    (load_int, "int"),
    (load_datetime, "datetime"),
    (load_decimal, "decimal"),
)
