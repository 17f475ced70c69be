"""The fast converter's generated functions against cattrs' own ones.

The fast converter (``make_converter(detailed=False)``, what `from_dict`/`to_dict` try first)
loads and dumps attrs classes with functions generated in `recoverykit._codegen`; the detailed
converter uses cattrs' generated functions. Both must agree: the same dicts out, the same
objects in (checked for every public type by `round_trips` in test_serialization.py, and here
for an app's own class and for hypothesis-generated attrs classes, as cattrs tests its own
generator), and a payload one rejects the other rejects too.
"""

import enum
import itertools
import json
import linecache
from copy import deepcopy
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import attrs
import cattrs
import pytest
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError
from hypothesis import given
from hypothesis import strategies as st

from recoverykit import Case, Owner, replay
from recoverykit import events as ev
from recoverykit import serialization as s
from recoverykit import strategies as rks

from factories import full_history

FAST, DETAILED = s.make_converter(detailed=False), s.make_converter()


def agree_on(value, cls):
    data = FAST.unstructure(value)
    assert json.dumps(data) == json.dumps(DETAILED.unstructure(value))  # keys in one order
    assert FAST.structure(data, cls) == DETAILED.structure(data, cls) == value


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=6)
    | st.sampled_from(["2026-03-02T09:30:00+00:00", "2026-03-02T09:30:00", "12.5", "GBP", ""]),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=8,
)


def outcome(conv, payload, cls):
    try:
        return ("ok", conv.structure(payload, cls))
    except Exception:  # only whether it failed is compared
        return ("failed", None)


LEAVES = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=6)
    | st.sampled_from(["2026-03-02T09:30:00+00:00", "2026-03-02T09:30:00", "12.5", "light", ""])
)
NOT_AN_OBJECT = LEAVES | st.lists(LEAVES, max_size=2)


def damage(data, payload):
    """``payload`` (a dict) with one thing wrong anywhere in it: a value (of an object or a
    list) replaced, often by one of another type; a key dropped; a key added; or the payload
    not an object at all."""
    slots, objects = [], []  # (container, key) of every value; every object

    def walk(node):
        if isinstance(node, dict):
            objects.append(node)
            items = list(node.items())
        elif isinstance(node, list):
            items = list(enumerate(node))
        else:
            return
        for key, value in items:
            slots.append((node, key))
            walk(value)

    walk(payload)
    keyed = [(node, key) for node, key in slots if isinstance(node, dict)]
    actions = ["add", "not an object"] + (["replace", "replace", "drop"] if slots else [])
    action = data.draw(st.sampled_from(actions))
    if action == "not an object":
        return data.draw(NOT_AN_OBJECT)
    if action == "add":
        target = data.draw(st.sampled_from(objects))
        target[data.draw(st.text(min_size=1, max_size=6))] = data.draw(JSON)
        return payload
    if action == "drop" and keyed:
        node, key = data.draw(st.sampled_from(keyed))
        del node[key]
        return payload
    node, key = data.draw(st.sampled_from(slots))
    node[key] = data.draw(LEAVES | JSON)
    return payload


@given(st.sampled_from([*full_history(), full_history()[0].complaint]), st.data())
def test_a_damaged_payload_fails_on_both_or_loads_the_same(value, data):
    cls = ev.Event if isinstance(value, ev.Event) else type(value)
    payload = DETAILED.unstructure(value)
    payload = damage(data, payload)
    fast, detailed = outcome(FAST, payload, cls), outcome(DETAILED, payload, cls)
    assert fast == detailed


def test_a_damaged_case_fails_on_both():
    payload = s.to_dict(replay(full_history()))
    payload["events"][3]["at"] = "2026-03-02T09:30:00"
    assert outcome(FAST, payload, Case)[0] == outcome(DETAILED, payload, Case)[0] == "failed"


# -- an app's own classes: every shape of field the generator handles -----------------------


class Colour(enum.StrEnum):
    RED = "red"
    BLUE = "blue"


class Size(enum.IntEnum):
    SMALL = 1
    LARGE = 2


@attrs.frozen
class Part:
    name: str
    count: int
    fragile: bool
    made_at: datetime
    colour: Colour
    size: Size
    price: Decimal
    note: str | None = None
    weight: int | None = None
    spare: bool | None = None
    checked_at: datetime | None = None
    finish: Colour | None = None
    owner: Owner | None = None
    labels: tuple[str, ...] = attrs.Factory(tuple)
    code: str = attrs.field(default="P", kw_only=True)


@attrs.frozen
class SelfDefault:
    name: str
    label: str = attrs.Factory(lambda self: self.name.upper(), takes_self=True)


@attrs.frozen
class Derived:
    name: str
    shout: str = attrs.field(init=False)

    def __attrs_post_init__(self):
        object.__setattr__(self, "shout", self.name.upper())


PARTS = st.builds(
    Part,
    name=st.text(max_size=5),
    count=st.integers(),
    fragile=st.booleans(),
    made_at=rks.aware_datetimes(),
    colour=st.sampled_from(Colour),
    size=st.sampled_from(Size),
    price=st.decimals(allow_nan=False, allow_infinity=False, places=2),
    note=st.none() | st.text(max_size=5),
    weight=st.none() | st.integers(),
    spare=st.none() | st.booleans(),
    checked_at=st.none() | rks.aware_datetimes(),
    finish=st.none() | st.sampled_from(Colour),
    owner=st.none() | rks.owners(),
    labels=st.lists(st.text(max_size=3), max_size=3).map(tuple),
    code=st.text(min_size=1, max_size=3),
)


@given(PARTS)
def test_every_field_shape_round_trips_and_agrees(part):
    agree_on(part, Part)


@given(PARTS, st.data())
def test_every_field_shape_fails_the_same_when_damaged(part, data):
    payload = DETAILED.unstructure(part)
    payload = damage(data, payload)
    assert outcome(FAST, payload, Part) == outcome(DETAILED, payload, Part)


def test_defaults_fill_missing_keys():
    payload = {
        "name": "bolt",
        "count": 2,
        "fragile": False,
        "made_at": "2026-03-02T09:30:00+00:00",
        "colour": "red",
        "size": 1,
        "price": "1.50",
    }
    part = FAST.structure(payload, Part)
    assert part == DETAILED.structure(payload, Part)
    assert (part.labels, part.code, part.note) == ((), "P", None)


def test_classes_the_generator_cannot_build_still_load():
    # A default computed from the instance and a field outside __init__ go through cattrs.
    for value in (SelfDefault("a"), Derived("b")):
        data = FAST.unstructure(value)
        assert data == DETAILED.unstructure(value)
    assert FAST.structure({"name": "a"}, SelfDefault) == SelfDefault("a", "A")
    assert FAST.structure({"name": "b"}, Derived) == Derived("b")


def test_unknown_keys_and_non_objects_are_errors_on_a_fast_converter_too():
    with pytest.raises(ForbiddenExtraKeysError):
        FAST.structure({"id": "o", "team": None, "boss": "x"}, Owner)
    with pytest.raises(ClassValidationError) as info:
        FAST.structure({**FAST.unstructure(full_history()[1]), "extra": 1}, ev.Event)
    assert isinstance(info.value.exceptions[0], ForbiddenExtraKeysError)
    with pytest.raises(ValueError, match=r"expected an object \(Owner\), got list \['o'\]"):
        FAST.structure(["o"], Owner)


def test_a_hook_the_user_registers_is_used_not_inlined():
    conv = s.make_converter(detailed=False)
    conv.register_structure_hook(str, lambda value, _: cattrs.Converter().structure(value, str))
    owner = conv.structure({"id": 7, "team": 8}, Owner)  # the user's hook accepts ints
    assert owner == Owner("7", "8")
    with pytest.raises(ValueError, match="expected a string, got int 7"):
        s._DEFAULTS.fast.structure({"id": 7, "team": None}, Owner)  # the library's own stays strict


def test_generated_source_shows_in_tracebacks():
    loader = FAST.get_structure_hook(Part)
    dumper = FAST.get_unstructure_hook(Part)
    for fn in (loader, dumper):
        source = "".join(linecache.getlines(fn.__code__.co_filename))
        assert source.startswith(f"def {fn.__name__}(")


def test_dumping_keeps_zone_names_and_plain_values():
    london = datetime(2026, 3, 29, 1, 30, tzinfo=UTC).astimezone(ZoneInfo("Europe/London"))
    event = ev.Acknowledged(at=london, actor="a")
    assert FAST.unstructure(event) == DETAILED.unstructure(event)
    assert FAST.unstructure(event)["at"].endswith("[Europe/London]")


def test_an_unhashable_hook_of_the_users_own_is_called_not_inlined():
    class Upper:  # noqa: PLW1641 - defines __eq__ without __hash__ on purpose: unhashable
        def __eq__(self, other):
            return isinstance(other, Upper)

        def __call__(self, value, _):
            return None if value is None else str(value).upper()

    conv = s.make_converter(detailed=False)
    conv.register_structure_hook_func(lambda t: t == (str | None), Upper())
    assert conv.structure({"id": "o", "team": "billing"}, Owner) == Owner("o", "BILLING")


# -- hypothesis-generated attrs classes (as cattrs tests its own generator) -----------------


class Shade(enum.StrEnum):
    LIGHT = "light"
    DARK = "dark"


@attrs.frozen
class Kind:
    """A field type and a strategy for its values."""

    type: object
    values: st.SearchStrategy
    optional: bool = False


# Fixed offsets (written as is) and IANA zones (written with the zone name) both.
DATETIMES = rks.aware_datetimes() | st.datetimes(
    timezones=st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: timezone(timedelta(minutes=m)))
)
SCALARS = [
    Kind(str, st.text(max_size=4)),
    Kind(int, st.integers()),
    Kind(bool, st.booleans()),
    Kind(Decimal, st.decimals(allow_nan=False, allow_infinity=False)),
    Kind(datetime, DATETIMES),
    Kind(Shade, st.sampled_from(Shade)),
]
_NAMES = itertools.count()


def optional(kind):
    return Kind(kind.type | None, st.none() | kind.values, optional=True)


@st.composite
def field_kinds(draw, depth):
    shapes = ["scalar", "optional", "tuple"] + (["nested", "optional nested"] if depth else [])
    shape = draw(st.sampled_from(shapes))
    if shape.endswith("nested"):
        kind = draw(attrs_classes(depth - 1))
        return optional(kind) if shape == "optional nested" else kind
    kind = draw(st.sampled_from(SCALARS))
    if shape == "tuple":
        return Kind(tuple[kind.type, ...], st.lists(kind.values, max_size=3).map(tuple))
    return optional(kind) if shape == "optional" else kind


@st.composite
def attrs_classes(draw, depth=2):
    """A Kind for a new frozen attrs class: fields of every shape the generator plans
    (scalars, optional ones, tuples, nested classes), required or with a default value, a
    default factory or None; positional or keyword-only; some private (``_f1``, alias ``f1``).
    """
    specs = []
    for i in range(draw(st.integers(0, 6))):
        kind = draw(field_kinds(depth))
        defaults = ["required", "value", "factory"] + (["None"] * 2 if kind.optional else [])
        default = draw(st.sampled_from(defaults))
        value = draw(kind.values) if default in ("value", "factory") else None
        specs.append(
            {
                "name": f"{draw(st.sampled_from(['f', '_f']))}{i}",
                "kind": kind,
                "default": {
                    "required": attrs.NOTHING,
                    "value": value,
                    "factory": attrs.Factory(lambda value=value: value),
                    "None": None,
                }[default],
                "kw_only": draw(st.booleans()),
            }
        )
    # attrs wants positional fields without a default before those with one.
    slots = [i for i, spec in enumerate(specs) if not spec["kw_only"]]
    ordered = sorted((specs[i] for i in slots), key=lambda s: s["default"] is not attrs.NOTHING)
    for i, spec in zip(slots, ordered, strict=True):
        specs[i] = spec
    cls = attrs.make_class(
        f"Generated{next(_NAMES)}",
        {
            s["name"]: attrs.field(type=s["kind"].type, default=s["default"], kw_only=s["kw_only"])
            for s in specs
        },
        frozen=True,
    )
    required = {a.alias: s["kind"].values for a, s in zip(attrs.fields(cls), specs, strict=True)}
    has_default = {
        a.alias: required.pop(a.alias) for a in attrs.fields(cls) if a.default is not attrs.NOTHING
    }
    instances = st.fixed_dictionaries(required, optional=has_default).map(lambda kw: cls(**kw))
    return Kind(cls, instances)


def converters():
    """A fresh pair, so nothing a previous example made is reused."""
    return s.make_converter(detailed=False), s.make_converter()


@given(st.data())
def test_generated_classes_dump_and_load_the_same_on_both_converters(data):
    kind = data.draw(attrs_classes())
    value = data.draw(kind.values)
    fast, detailed = converters()
    payload = fast.unstructure(value)
    assert json.dumps(payload) == json.dumps(detailed.unstructure(value))  # keys in one order
    assert fast.structure(payload, kind.type) == value
    assert detailed.structure(payload, kind.type) == value
    # The generated functions really ran (not cattrs' ones), for the class and its fields.
    assert fast.get_structure_hook(kind.type).__code__.co_filename.startswith("<recoverykit")
    assert fast.get_unstructure_hook(kind.type).__code__.co_filename.startswith("<recoverykit")


PROBES = [None, True, False, 0, 7, "", "x", "2026-03-02T09:30:00", "2026-03-02T09:30:00+00:00"]
PROBES += ["12.5", "NaN", "light", [], ["x"], {}, {"x": 1}]


def one_edit_away(payload):
    """Every payload one edit away from ``payload``: each value (of an object or a list)
    replaced by each probe (mostly of another type), each key dropped, an unknown key added
    to each object, and each probe instead of the whole payload."""

    def paths(node, path=()):
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            yield (*path, key), value
            if isinstance(value, dict | list):
                yield from paths(value, (*path, key))

    def edited(path, edit):
        copy = deepcopy(payload)
        node = copy
        for key in path:
            node = node[key]
        edit(node)
        return copy

    def put(key, value):
        return lambda node: node.__setitem__(key, value)

    yield from PROBES
    yield edited((), put("unknown", 1))
    for path, value in paths(payload):
        *where, key = path
        for probe in PROBES:
            yield edited(where, put(key, probe))
        if isinstance(value, dict):
            yield edited(path, put("unknown", 1))
        if isinstance(key, str):
            yield edited(where, lambda node, key=key: node.pop(key))


@given(st.data())
def test_generated_classes_fail_on_both_converters_or_load_the_same(data):
    kind = data.draw(attrs_classes())
    fast, detailed = converters()
    for payload in one_edit_away(detailed.unstructure(data.draw(kind.values))):
        assert outcome(fast, payload, kind.type) == outcome(detailed, payload, kind.type)
