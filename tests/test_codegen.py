"""The fast converter's generated functions against cattrs' own ones.

The fast converter (``make_converter(detailed=False)``, what `from_dict`/`to_dict` try first)
loads and dumps attrs classes with functions generated in `recoverykit._codegen`; the detailed
converter uses cattrs' generated functions. Both must agree: the same dicts out, the same
objects in (checked for every public type by `round_trips` in test_serialization.py, and here
for an app's own class), and a payload one rejects the other rejects too.
"""

import enum
import json
import linecache
from datetime import UTC, datetime
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


def damage(data, payload):
    """Replace, drop or add one key somewhere in ``payload`` (a dict), in place."""
    target = payload
    while True:
        nested = [k for k, v in target.items() if isinstance(v, dict)]
        if not nested or data.draw(st.booleans()):
            break
        target = target[data.draw(st.sampled_from(sorted(nested)))]
    action = data.draw(st.sampled_from(["replace", "drop", "add"]))
    key = data.draw(st.sampled_from(sorted(target)))
    if action == "replace":
        target[key] = data.draw(JSON)
    elif action == "drop":
        del target[key]
    else:
        target[data.draw(st.text(min_size=1, max_size=6))] = data.draw(JSON)


@given(st.sampled_from([*full_history(), full_history()[0].complaint]), st.data())
def test_a_damaged_payload_fails_on_both_or_loads_the_same(value, data):
    cls = ev.Event if isinstance(value, ev.Event) else type(value)
    payload = DETAILED.unstructure(value)
    damage(data, payload)
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
    damage(data, payload)
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
        s._DEFAULTS.pair[0].structure(
            {"id": 7, "team": None}, Owner
        )  # the library's own stays strict


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
