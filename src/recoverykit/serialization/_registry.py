"""What a converter knows: event tags, lifecycles by name, tagged classes; and upcasting.

A `Registry` belongs to converters, never to the module: two converters never interfere,
and a dropped converter takes its registry (and its hook cache) with it. cattrs converters
have no room for attributes, so the registry is kept as one of the converter's own hooks
(the unstructure hook of a private key class) and found again with `state_of`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from recoverykit import events as ev
from recoverykit.errors import InvalidType, UnknownName, ValidationError
from recoverykit.lifecycle import Lifecycle
from recoverykit.serialization._scalars import PayloadError, describe

#: Keys an event payload has besides its fields.
TYPE_KEY = "type"
VERSION_KEY = "event_version"


class Registry:
    """Event classes by tag, lifecycles by name, and tagged classes (holiday rules, deadline
    kinds, scoring rules) by tag. Shared by a fast converter and its detailed twin."""

    def __init__(self, *, builtin_tagged: bool = False) -> None:
        self.events: dict[str, type[ev.Event]] = {}
        self.lifecycles: dict[str, Lifecycle] = {}
        self._tagged: dict[str, type] = {}
        # The built-in tagged classes live in calendars, clocks and scoring: added on first
        # need, so that a converter that never meets one never imports those modules.
        self._builtins_pending = builtin_tagged

    @property
    def tagged(self) -> dict[str, type]:
        """Tagged classes (holiday rules, deadline kinds, scoring rules) by tag."""
        if self._builtins_pending:
            from recoverykit.serialization._builtins import builtin_tagged

            self._builtins_pending = False
            for cls in builtin_tagged():
                self.add_tagged(cls)
        return self._tagged

    def add_event(self, cls: type[ev.Event]) -> None:
        check_event_class(cls)
        tag = cls.event_type
        known = self.events.get(tag)
        if known is not None and known is not cls and not _same_name(known, cls):
            raise ValidationError(
                "event_type", f"tag {tag!r} is already used by {known.__module__}.{known.__name__}"
            )
        self.events[tag] = cls

    def add_lifecycle(self, lifecycle: Lifecycle) -> None:
        if not isinstance(lifecycle, Lifecycle):
            raise InvalidType(
                "register_lifecycle", f"expected a Lifecycle, got {type(lifecycle).__name__}"
            )
        known = self.lifecycles.get(lifecycle.name)
        if known is not None and not _same_lifecycle(known, lifecycle):
            raise ValidationError(
                "Lifecycle.name",
                f"another lifecycle is already registered as {lifecycle.name!r}; give this one "
                "a name of its own (lifecycle.derive(name=...))",
            )
        self.lifecycles[lifecycle.name] = lifecycle

    def add_tagged(self, cls: type) -> None:
        tag = getattr(cls, "tag", None) if isinstance(cls, type) else None
        if not isinstance(tag, str) or not tag.strip():
            raise InvalidType(
                "register_tagged", f"expected a class with a 'tag' class attribute, got {cls!r}"
            )
        import attrs

        if not attrs.has(cls):
            raise InvalidType("register_tagged", f"{cls.__name__} must be an attrs class")
        known = self.tagged.get(tag)
        if known is not None and known is not cls and not _same_name(known, cls):
            raise ValidationError(
                "tag", f"tag {tag!r} is already used by {known.__module__}.{known.__name__}"
            )
        self._tagged[tag] = cls

    def lifecycle(self, name: object) -> Lifecycle:
        found = self.lifecycles.get(name) if isinstance(name, str) else None
        if found is None:
            raise PayloadError(f"unknown lifecycle {name!r}; register it with register_lifecycle()")
        return found

    def lifecycle_name(self, lifecycle: Lifecycle) -> str:
        """The name a case on ``lifecycle`` is saved under; it must be the registered one."""
        known = self.lifecycles.get(lifecycle.name)
        if known is None:
            raise UnknownName(
                "Case.lifecycle",
                f"lifecycle {lifecycle.name!r} is not registered, so the case could not be "
                "loaded again; call register_lifecycle() first",
            )
        if not _same_lifecycle(known, lifecycle):
            raise ValidationError(
                "Case.lifecycle",
                f"the case's lifecycle is not the one registered as {lifecycle.name!r} (a "
                "lifecycle derived without a new name?); loading would change its rules. "
                "Derive it with a name of its own and register that",
            )
        return lifecycle.name


def check_event_class(cls: object) -> None:
    """Check what registration promises: an attrs Event subclass, its own tag, a version and
    an upcaster chain without gaps."""
    import attrs

    if not (isinstance(cls, type) and issubclass(cls, ev.Event) and attrs.has(cls)):
        raise InvalidType("register_event", f"expected an attrs Event subclass, got {cls!r}")
    _check_versions(cls)  # type: ignore[arg-type]  # narrowed by the check above


def _check_versions(cls: type[ev.Event]) -> None:
    tag = cls.__dict__.get("event_type")
    if not isinstance(tag, str) or not tag.strip() or tag == ev.Event.event_type:
        raise ValidationError("event_type", f"{cls.__name__} needs its own event_type tag")
    version = cls.schema_version
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValidationError(
            f"{cls.__name__}.schema_version", f"expected an int >= 1, got {version!r}"
        )
    steps = sorted(cls.upcasters)
    where = f"{cls.__name__}.upcasters"
    if any(isinstance(s, bool) or not isinstance(s, int) for s in steps):
        raise ValidationError(where, f"keys must be the int versions they upcast from: {steps}")
    if steps and steps != list(range(steps[0], version)):
        raise ValidationError(
            where,
            f"steps {steps} must run without gaps from the oldest version to "
            f"schema_version - 1 = {version - 1}",
        )
    for step in steps:
        if not callable(cls.upcasters[step]):
            raise InvalidType(f"{where}[{step}]", "expected a function dict -> dict")


def _same_lifecycle(a: Lifecycle, b: Lifecycle) -> bool:
    """Equal, or equal but for classes and guards defined again under the same names (a
    module reloaded, a notebook cell run twice)."""
    return a is b or a == b or _shape(a) == _shape(b)


def _shape(lc: Lifecycle) -> tuple[object, ...]:
    def named(obj: object) -> tuple[str, str]:
        return (getattr(obj, "__module__", ""), getattr(obj, "__qualname__", repr(obj)))

    rows = sorted(
        (named(t.event), sorted(t.sources), t.target or "", [named(g) for g in t.guards])
        for t in lc.transitions
    )
    return (lc.name, lc.states, lc.initial, lc.end_states, lc.final_states, repr(rows))


def _same_name(a: type, b: type) -> bool:
    # A module reloaded, or a test redefining a class, registers it again.
    return (a.__module__, a.__qualname__) == (b.__module__, b.__qualname__)


def upcast(cls: type[ev.Event], payload: dict[str, Any]) -> dict[str, Any]:
    """``payload`` (of any version ``cls`` can read) in today's shape, tag and version kept."""
    version = payload.get(VERSION_KEY, 1)
    current = cls.schema_version
    if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= current:
        raise _version_error(f"expected a version 1..{current}, got {describe(version)}")
    if version == current:
        return payload
    body = {k: v for k, v in payload.items() if k not in (TYPE_KEY, VERSION_KEY)}
    for step in range(version, current):
        upcaster = cls.upcasters.get(step)
        if upcaster is None:
            raise _version_error(
                f"version {version} of {cls.event_type!r} is older than the oldest "
                f"{cls.__name__} can upcast ({min(cls.upcasters, default=current)})"
            )
        try:
            body = upcaster(body)
        except Exception as exc:  # noqa: BLE001 - an app's upcaster failing is a bad payload
            raise _version_error(
                f"the upcaster from version {step} failed: {type(exc).__name__}: {exc}"
            ) from None
        if not isinstance(body, dict):
            raise _version_error(
                f"the upcaster from version {step} returned {type(body).__name__}, not a dict"
            )
    return {TYPE_KEY: cls.event_type, VERSION_KEY: current, **body}


def _version_error(message: str) -> Exception:
    from recoverykit.serialization._errors import at

    return at(VERSION_KEY, message)


class State:
    """A converter's registry and its looked-up hooks. Kept as a hook (see module doc)."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.hooks: dict[Any, Callable[[Any, Any], Any]] = {}

    def __call__(self, _: object) -> Any:  # pragma: no cover - never called as a hook
        raise TypeError("not a value")


class _StateKey:
    """Never instantiated: its unstructure hook on a converter is the converter's `State`."""


def attach(conv: Any, state: State) -> None:
    conv.register_unstructure_hook(_StateKey, state)


def state_of(conv: Any, where: str = "converter") -> State:
    hook = conv.get_unstructure_hook(_StateKey) if hasattr(conv, "get_unstructure_hook") else None
    if not isinstance(hook, State):
        raise InvalidType(
            where,
            f"expected a converter made by make_converter() or configure_converter(), got "
            f"{type(conv).__name__}",
        )
    return hook


def hook_for(conv: Any, state: State, cls: Any) -> Callable[[Any, Any], Any]:
    """The converter's structure hook for ``cls``, looked up once per converter."""
    found = state.hooks.get(cls)
    if found is None:
        found = state.hooks[cls] = conv.get_structure_hook(cls)
    return found


def builtin_registry(extra: Iterable[type] = ()) -> Registry:
    """A registry knowing every built-in event, the default lifecycle and the built-in
    holiday rules, deadline kinds and scoring rules."""
    from recoverykit.complaint_lifecycle import COMPLAINT_LIFECYCLE

    registry = Registry(builtin_tagged=True)
    for name in ev.__all__:
        cls = getattr(ev, name)
        if isinstance(cls, type) and cls is not ev.Event:
            registry.add_event(cls)
    registry.add_lifecycle(COMPLAINT_LIFECYCLE)
    for cls in extra:
        registry.add_tagged(cls)
    return registry
