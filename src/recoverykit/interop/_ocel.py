"""Cases as an object-centric event log: `to_ocel`, an OCEL 2.0 JSON-ready dict.

Follows the OCEL 2.0 specification (version 2.0, 16 October 2023: Berti et al., "OCEL
(Object-Centric Event Log) 2.0 Specification", ocel-standard.org, arXiv:2403.01975) and its
JSON format: four top-level lists, ``objectTypes`` and ``eventTypes`` (each ``{"name",
"attributes": [{"name", "type"}]}`` with types ``string``, ``time``, ``integer``, ``float``,
``boolean``), ``objects`` (``{"id", "type", "attributes": [{"name", "time", "value"}],
"relationships": [{"objectId", "qualifier"}]}``; an attribute can change over time) and
``events`` (``{"id", "type", "time", "attributes": [{"name", "value"}], "relationships"}``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

import attrs

from recoverykit._validation import PERSONAL
from recoverykit.case import Case
from recoverykit.interop._records import (
    activity,
    detail_fields,
    dumper,
    flatten,
    steps,
    unique_cases,
)
from recoverykit.model import Owner, Remedy, RootCause

__all__ = ["to_ocel"]

#: The object types, declared in this order (every one, even when no object has it).
CASE = "case"
CUSTOMER = "customer"
OWNER = "owner"
TEAM = "team"
REMEDY = "remedy"
ROOT_CAUSE = "root cause"
OBJECT_TYPES = (CASE, CUSTOMER, OWNER, TEAM, REMEDY, ROOT_CAUSE)

#: Event fields whose values are objects of the log (written as relationships).
_OBJECTS = (Owner, Remedy, RootCause)
_RELATED = frozenset({"remedy_id", "other_case_id"})

_TYPES = {bool: "boolean", int: "integer", float: "float", str: "string"}


def iso(at: datetime) -> str:
    """An instant as ISO 8601 in UTC (``2026-03-02T09:30:00Z``), the form the OCEL examples
    use and every reader parses; local zones are not part of OCEL."""
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _typed(value: object) -> tuple[object, str]:
    """A JSON value and its OCEL attribute type."""
    if isinstance(value, datetime):
        return iso(value), "time"
    if isinstance(value, float) and not math.isfinite(value):
        return str(value), "string"  # JSON has no infinity
    return value, _TYPES[type(value)]


class _Log:
    """The log under construction: objects by id (in order of first mention) with their
    attribute values over time and relationships, and the events."""

    def __init__(self) -> None:
        self.objects: dict[str, dict[str, Any]] = {}
        self.ids: dict[tuple[str, tuple[str, ...]], str] = {}
        self.values: dict[str, dict[str, list[tuple[datetime, object, str]]]] = {}
        self.events: list[dict[str, Any]] = []
        self.event_attrs: dict[str, dict[str, set[str]]] = {}
        self.object_attrs: dict[str, dict[str, set[str]]] = {t: {} for t in OBJECT_TYPES}

    def node(self, kind: str, *key: str) -> str:
        """The id of the object of ``kind`` named ``key``, created on first mention.

        ``"<kind>:<key parts joined by ':'>"``; should two keys give the same text (a
        remedy ``b:c`` of case ``a`` and a remedy ``c`` of case ``a:b``), the later one
        gets ``#2``, so that two objects never merge.
        """
        oid = self.ids.get((kind, key))
        if oid is not None:
            return oid
        oid = base = f"{kind}:{':'.join(key)}"
        n = 1
        while oid in self.objects:
            n += 1
            oid = f"{base}#{n}"
        self.ids[kind, key] = oid
        self.objects[oid] = {"id": oid, "type": kind, "attributes": [], "relationships": []}
        self.values[oid] = {}
        return oid

    def set(self, oid: str, name: str, value: object, at: datetime) -> None:
        """``name`` of object ``oid`` is ``value`` from ``at`` on (None: nothing is said)."""
        if value is None:
            return
        data, kind = _typed(value)
        self.values[oid].setdefault(name, []).append((at, data, kind))
        self.object_attrs[self.objects[oid]["type"]].setdefault(name, set()).add(kind)

    def set_all(
        self, oid: str, value: attrs.AttrsInstance, at: datetime, *, skip: frozenset[str]
    ) -> None:
        """Every non-personal field of the attrs ``value``, flattened, as attributes."""
        dump = dumper(None)
        for field in attrs.fields(type(value)):
            if field.name in skip or field.metadata.get(PERSONAL):
                continue
            for name, item in flatten(getattr(value, field.name), field.name, dump):
                self.set(oid, name, item, at)

    def relate(self, source: str, target: str, qualifier: str) -> None:
        relation = {"objectId": target, "qualifier": qualifier}
        relations = self.objects[source]["relationships"]
        if relation not in relations:
            relations.append(relation)


def to_ocel(cases: Iterable[Case]) -> dict[str, Any]:
    """``cases`` as an OCEL 2.0 object-centric event log, a dict of JSON types only
    (``json.dumps`` writes it as a ``.jsonocel`` file; recoverykit does no file I/O).

    Objects (ids are ``"<type>:<id>"``):

    - ``case``: the complaint's attributes (channel, severity, category, product,
      ``claimed_loss.amount``, ...) from its receipt, and ``state`` and ``lifecycle``, with a
      value for each change of state; related to its ``customer`` ("complainant"), each
      ``owner`` it had ("handled by"), its ``remedy`` objects, ``root cause`` objects and
      linked cases (qualified by the link's relation);
    - ``customer`` (``vulnerable``, ``contact_allowed``); ``owner`` (related to its ``team``
      objects, "member of"); ``team``;
    - ``remedy`` (one per case and remedy id: ``kind``, ``scope``, ``value.amount``,
      ``value.currency``, and ``status`` over time);
    - ``root cause`` (``title``, ``category``), shared by every case linked to it.

    Events: one per event of each case, in case order then history order, with id
    ``"<case id>:<position>"``, type the activity (the ``event_type`` tag, or an
    `ActivityRecorded`'s name), time in UTC, attributes ``actor``, ``state`` (after the event)
    and the event's own details flattened (``outcome``, ``attributes.<name>``, ...), and
    relationships to the ``case``, the ``customer`` (on receipt), the ``owner`` and ``team``
    after the event (``previous owner``/``previous team`` on a hand-off), and the remedies,
    root causes and linked cases the event changed. Personal data is never written.

    An attribute whose values have different types across events (or objects) of one type
    is declared ``string`` and its values written as text (``integer`` and ``float`` mixed
    give ``float``).

    Raises:
        InvalidType: ``cases`` is not an iterable of `Case`.
        ValidationError: two cases have the same id.

    .. versionadded:: 0.1
    """
    log = _Log()
    for _, case in unique_cases(cases, "cases"):
        _add_case(log, case)
    return _finish(log)


def _add_case(log: _Log, case: Case) -> None:
    complaint = case.complaint
    received = complaint.received_at
    case_oid = log.node(CASE, case.id)
    log.set_all(case_oid, complaint, received, skip=frozenset({"id", "customer"}))
    log.set(case_oid, "lifecycle", case.lifecycle.name, received)
    customer = complaint.customer
    # An anonymous customer is one object per case: two of them are never the same person.
    key = (customer.id,) if customer.known_id is not None else (customer.id, "case", case.id)
    customer_oid = log.node(CUSTOMER, *key)
    log.set_all(customer_oid, complaint.customer, received, skip=frozenset({"id"}))
    log.relate(case_oid, customer_oid, "complainant")
    dump = dumper(None)
    before: Case | None = None
    for seq, event, after in steps(case):
        relations = [(case_oid, "case")]
        if before is None:
            relations.append((customer_oid, "customer"))
        relations += _ownership(log, case_oid, before, after)
        relations += _changes(log, case_oid, before, after, event.at)
        log.set(case_oid, "state", after.state, event.at)
        attributes: list[tuple[str, object]] = [("actor", event.actor), ("state", after.state)]
        for name, value in detail_fields(event):
            # What became an object is a relationship, not an attribute.
            if name not in _RELATED and not isinstance(value, _OBJECTS):
                attributes.extend(flatten(value, name, dump))
        _add_event(
            log,
            eid=f"{case.id}:{seq}",
            kind=activity(event),
            at=event.at,
            attributes=attributes,
            relations=relations,
        )
        before = after


def _ownership(
    log: _Log, case_oid: str, before: Case | None, after: Case
) -> Iterator[tuple[str, str]]:
    owner = after.owner
    if owner is None:
        return
    previous = before.owner if before is not None else None
    owner_oid, team_oid = _owner(log, case_oid, owner)
    yield owner_oid, "owner"
    if team_oid is not None:
        yield team_oid, "team"
    if previous is None:
        return
    old_owner, old_team = _owner(log, case_oid, previous)
    if old_owner != owner_oid:
        yield old_owner, "previous owner"
    if old_team is not None and old_team != team_oid:
        yield old_team, "previous team"


def _owner(log: _Log, case_oid: str, owner: Owner) -> tuple[str, str | None]:
    owner_oid = log.node(OWNER, owner.id)
    log.relate(case_oid, owner_oid, "handled by")
    if owner.team is None:
        return owner_oid, None
    team_oid = log.node(TEAM, owner.team)
    log.relate(owner_oid, team_oid, "member of")
    return owner_oid, team_oid


def _changes(
    log: _Log, case_oid: str, before: Case | None, after: Case, at: datetime
) -> Iterator[tuple[str, str]]:
    """Remedies, root causes and linked cases that the event added or changed."""
    old_remedies = {r.remedy.id: r for r in before.remedies} if before else {}
    for record in after.remedies:
        if old_remedies.get(record.remedy.id) == record:
            continue
        oid = log.node(REMEDY, after.id, record.remedy.id)
        log.set_all(oid, record.remedy, record.offered_at, skip=frozenset({"id"}))
        log.set(oid, "status", record.status.value, at)
        log.relate(case_oid, oid, "remedy")
        yield oid, "remedy"
    old_causes = set(before.root_causes) if before else set()
    for cause in after.root_causes:
        if cause not in old_causes:
            oid = log.node(ROOT_CAUSE, cause.id)
            log.set_all(oid, cause, at, skip=frozenset({"id"}))
            log.relate(case_oid, oid, "root cause")
            yield oid, "root cause"
    old_links = set(before.linked_cases) if before else set()
    for other in after.linked_cases:
        if other not in old_links:
            oid = log.node(CASE, other)
            log.relate(case_oid, oid, "linked case")
            yield oid, "linked case"


def _add_event(
    log: _Log,
    *,
    eid: str,
    kind: str,
    at: datetime,
    attributes: Iterable[tuple[str, object]],
    relations: Iterable[tuple[str, str]],
) -> None:
    declared = log.event_attrs.setdefault(kind, {})
    values = []
    for name, value in attributes:
        if value is None:
            continue
        data, type_ = _typed(value)
        declared.setdefault(name, set()).add(type_)
        values.append({"name": name, "value": data})
    related: list[dict[str, str]] = []
    for oid, qualifier in relations:
        relation = {"objectId": oid, "qualifier": qualifier}
        if relation not in related:
            related.append(relation)
    log.events.append(
        {"id": eid, "type": kind, "time": iso(at), "attributes": values, "relationships": related}
    )


def _type_of(kinds: set[str]) -> str:
    if len(kinds) == 1:
        return next(iter(kinds))
    return "float" if kinds == {"integer", "float"} else "string"


def _conform(value: object, type_: str) -> object:
    """``value`` as a value of the declared ``type_`` (only needed for mixed types)."""
    if type_ == "string" and not isinstance(value, str):
        return str(value).lower() if isinstance(value, bool) else str(value)
    if type_ == "float" and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _declared(attributes: dict[str, set[str]]) -> dict[str, str]:
    return {name: _type_of(kinds) for name, kinds in attributes.items()}


def _finish(log: _Log) -> dict[str, Any]:
    event_types = {kind: _declared(attrs_) for kind, attrs_ in log.event_attrs.items()}
    object_types = {kind: _declared(attrs_) for kind, attrs_ in log.object_attrs.items()}
    for event in log.events:
        types = event_types[event["type"]]
        for item in event["attributes"]:
            item["value"] = _conform(item["value"], types[item["name"]])
    for oid, obj in log.objects.items():
        types = object_types[obj["type"]]
        obj["attributes"] = [
            {"name": name, "time": iso(at), "value": _conform(value, types[name])}
            for name, history in log.values[oid].items()
            for at, value in _changes_only(history)
        ]
    return {
        "objectTypes": [_declaration(k, t) for k, t in object_types.items()],
        "eventTypes": [_declaration(k, t) for k, t in event_types.items()],
        "objects": list(log.objects.values()),
        "events": log.events,
    }


def _changes_only(history: list[tuple[datetime, object, str]]) -> Iterator[tuple[datetime, object]]:
    """The values in time order (cases are added one by one, a customer's or root cause's
    values come from several), each only where it differs from the one before."""
    last: tuple[object, str] | None = None
    for at, value, kind in sorted(history, key=lambda item: item[0]):
        if last != (value, kind):
            last = (value, kind)
            yield at, value


def _declaration(name: str, types: dict[str, str]) -> dict[str, Any]:
    return {"name": name, "attributes": [{"name": n, "type": t} for n, t in types.items()]}
