"""Tagged unions: events by their ``event_type``, and protocol values by their ``tag``.

Each value is written as one object with a ``type`` field holding a stable tag (never the
class name, so renaming a class never breaks stored data). Events also carry
``event_version`` when their class is past version 1, and older versions are upcast on the
way in. The classes behind the tags are the converter's registry, so an app's own event,
holiday rule, deadline kind or scoring rule is loaded exactly like a built-in one.

cattrs' ``configure_tagged_union`` wants the union's members when the converter is
configured; here members are registered later, one by one, and events need their version
handled, so the dispatch is written here (it is also the hottest path of loading).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import attrs
import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError

from recoverykit import events as ev
from recoverykit.errors import UnknownName
from recoverykit.serialization._errors import at
from recoverykit.serialization._registry import (
    TYPE_KEY,
    VERSION_KEY,
    State,
    upcast,
)
from recoverykit.serialization._scalars import PayloadError, describe, expect

EVENT_TUPLE = tuple[ev.Event, ...]

Loader = Callable[[Any, Any], Any]
Dumper = Callable[[Any], dict[str, Any]]


def event_dumpers(
    state: State,
    plain: Callable[[type, tuple[tuple[str, Any], ...]], Dumper],
) -> tuple[Dumper, Callable[[Iterable[ev.Event]], list[dict[str, Any]]]]:
    """Unstructure one event, or a history, by the event's class (one function per class).

    ``plain(cls, constants)`` makes the function writing ``constants`` then the fields.
    """
    dumpers: dict[type, Dumper] = {}
    events = state.registry.events

    def unstructure(event: ev.Event) -> dict[str, Any]:
        cls = type(event)
        fn = dumpers.get(cls)
        if fn is None:
            if events.get(cls.event_type) is not cls:
                raise UnknownName(
                    f"{cls.__name__}.event_type",
                    f"{cls.__name__} ({cls.event_type!r}) is not registered with this "
                    "converter, so it could not be loaded again; call register_event() first",
                )
            constants: tuple[tuple[str, Any], ...] = ((TYPE_KEY, cls.event_type),)
            if cls.schema_version > 1:
                constants += ((VERSION_KEY, cls.schema_version),)
            fn = dumpers[cls] = plain(cls, constants)
        return fn(event)

    def unstructure_many(history: Iterable[ev.Event]) -> list[dict[str, Any]]:
        get = dumpers.get
        return [(get(e.__class__) or unstructure)(e) for e in history]

    return unstructure, unstructure_many


def event_loaders(
    state: State, loader_for: Callable[[type], Loader], sequence: Loader
) -> tuple[Loader, Loader]:
    """Structure one event, or a history, by its ``type`` tag (one function per class).

    ``loader_for(cls)`` makes the function loading a current-version payload of ``cls``
    (``type`` and ``event_version`` allowed as extra keys).
    """
    loaders: dict[type, Loader] = {}
    events = state.registry.events
    any_event = ev.Event

    def structure(value: object, wanted: object) -> ev.Event:
        if isinstance(value, dict):  # the common case first, in as few steps as possible
            tag = value.get(TYPE_KEY)
            cls = events.get(tag) if isinstance(tag, str) else None
            if cls is not None and (wanted is any_event or wanted is cls):
                fn = loaders.get(cls)
                if fn is None:
                    fn = loaders[cls] = _versioned(cls, loader_for(cls))
                event: ev.Event = fn(value, cls)
                return event
        raise _not_an_event(state, value, wanted)

    def structure_many(value: object, _: object) -> tuple[ev.Event, ...]:
        # A history is the longest list in a payload: the dispatch runs inline, and anything
        # unusual goes through ``structure``.
        if value.__class__ is not list:
            return sequence(value, EVENT_TUPLE)  # type: ignore[no-any-return]
        out = []
        for item in value:
            tag = item.get(TYPE_KEY) if item.__class__ is dict else None
            fn = loaders.get(events.get(tag)) if tag.__class__ is str else None  # type: ignore[arg-type]
            out.append(structure(item, any_event) if fn is None else fn(item, any_event))
        return tuple(out)

    return structure, structure_many


def _versioned(cls: type[ev.Event], load: Loader) -> Loader:
    """``load`` for payloads of today's version; older ones are upcast first."""
    current = cls.schema_version

    def versioned(value: dict[str, Any], _: object) -> Any:
        if value.get(VERSION_KEY, 1) != current:
            value = upcast(cls, value)
        return load(value, cls)

    return versioned


def _not_an_event(state: State, value: object, wanted: object) -> Exception:
    if not isinstance(value, dict):
        return PayloadError(f"expected an event object, got {describe(value)}")
    tag = value.get(TYPE_KEY)
    cls = state.registry.events.get(tag) if isinstance(tag, str) else None
    if cls is None:
        text = f"unknown event type {tag!r}" if tag is not None else "missing event type"
        hint = _tag_hint(state, tag)
        text += hint
    else:
        text = f"expected a {wanted.event_type!r} event, got {tag!r}"  # type: ignore[attr-defined]
    return at(TYPE_KEY, text)


def _tag_hint(state: State, tag: object) -> str:
    if not isinstance(tag, str):
        return ""
    by_name = {cls.__name__: t for t, cls in state.registry.events.items()}
    if tag in by_name:
        return f" (the tag of {tag} is {by_name[tag]!r})"
    return " (register the event class with register_event())"


def checked_event_loader(conv: cattrs.Converter, cls: type[ev.Event]) -> Loader:
    """cattrs' function for ``cls``, with the extra keys checked here (``type`` and
    ``event_version`` are allowed), so the body is never copied."""
    made: Loader = cattrs.gen.make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=False)
    allowed = frozenset({TYPE_KEY, VERSION_KEY, *(a.name for a in attrs.fields(cls) if a.init)})

    def checked(value: dict[str, Any], _: object) -> Any:
        if not allowed.issuperset(value):
            extra = value.keys() - allowed
            raise ClassValidationError(
                "While structuring an event", [ForbiddenExtraKeysError("", cls, extra)], cls
            )
        return made(value, cls)

    return checked


# -- protocol values by tag -----------------------------------------------------------------


def tagged_hooks(
    conv: cattrs.Converter, state: State, plain: Callable[[type], Dumper], what: str
) -> tuple[Callable[[Any], dict[str, Any]], Loader]:
    """Unstructure and structure hooks for a protocol whose classes carry a ``tag``."""
    registry = state.registry
    dumpers: dict[type, Dumper] = {}

    def unstructure(value: Any) -> dict[str, Any]:
        cls = type(value)
        fn = dumpers.get(cls)
        if fn is None:
            tag = getattr(cls, "tag", None)
            if registry.tagged.get(tag) is not cls:  # type: ignore[arg-type]
                raise UnknownName(
                    f"{cls.__name__}.tag",
                    f"{cls.__name__} (tag {tag!r}) is not registered with this converter, so "
                    "it could not be loaded again; call register_tagged() first",
                )
            body = plain(cls)

            def fn(value: Any, tag: str = tag, body: Dumper = body) -> dict[str, Any]:  # type: ignore[assignment]
                return {TYPE_KEY: tag, **body(value)}

            dumpers[cls] = fn
        return fn(value)

    def structure(value: object, _: object) -> Any:
        expect(value, dict, f"an object with a 'type' ({what})")
        body = dict(value)  # type: ignore[call-overload]
        tag = body.pop(TYPE_KEY, None)
        cls = registry.tagged.get(tag) if isinstance(tag, str) else None
        if cls is None:
            raise at(
                TYPE_KEY,
                f"unknown {what} type {tag!r}; register its class with register_tagged()"
                if tag is not None
                else f"missing the {what} type",
            )
        return conv.structure(body, cls)

    return unstructure, structure
