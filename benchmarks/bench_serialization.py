"""JSON round trip (dump + load) of a case with a 10-event history.

Contenders, measured in one run on data of the same shape (a case with 15 top-level fields:
id, state, the complaint, the owner, remedies, timestamps, ... and a 10-event history as a
tagged union):

- recoverykit: ``dumps(case)`` then ``loads(text, Case)``; loading validates every value and
  replays the history, so the loaded case is checked against every lifecycle rule;
- pydantic v2: ``model_dump_json`` then ``model_validate_json`` of equivalent models with a
  discriminated union of events;
- msgspec: ``msgspec.json.encode``/``decode`` of equivalent Structs (the ceiling);
- plain ``json.dumps``/``json.loads`` of a hand-built dict (the limit: no types at all).

Target (issue 6): at least half of pydantic v2's round-trip speed. **Superseded** by
bench_json.py (issue 15): here the pydantic and msgspec models describe a different, larger
document (the case with its views) in lax mode, which flatters recoverykit; bench_json.py
parses the same document with the same strictness. This script stays for the msgspec and
plain-json figures.
Run: ``python -m pip install -e ".[bench]" && python benchmarks/bench_serialization.py``.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

import msgspec
import pydantic

from bench_codegen import the_case
from recoverykit import Case, Channel, Outcome, RemedyKind, dumps, loads, to_dict

# -- pydantic v2 models of the same shape ---------------------------------------------------


class PCustomer(pydantic.BaseModel):
    id: str
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    vulnerable: bool = False
    contact_allowed: bool = True


class PMoney(pydantic.BaseModel):
    amount: Decimal
    currency: str


class PComplaint(pydantic.BaseModel):
    id: str
    customer: PCustomer
    channel: Channel
    received_at: datetime
    summary: str | None = None
    category: str | None = None
    product: str | None = None
    severity: str = "medium"
    claimed_loss: PMoney | None = None
    desired_remedy: RemedyKind | None = None
    tags: list[str] = []
    external_id: str | None = None


class POwner(pydantic.BaseModel):
    id: str
    team: str | None = None


class PRemedy(pydantic.BaseModel):
    id: str
    kind: RemedyKind
    scope: str = "individual"
    value: PMoney | None = None
    description: str | None = None


class PEvent(pydantic.BaseModel):
    at: datetime
    actor: str | None = None


class PReceived(PEvent):
    type: Literal["complaint.received"]
    complaint: PComplaint


class PSimple(PEvent):
    type: Literal[
        "complaint.acknowledged",
        "investigation.started",
        "resolution.accepted",
        "complaint.closed",
    ]


class POwnerAssigned(PEvent):
    type: Literal["owner.assigned"]
    owner: POwner
    reason: str | None = None


class PRemedyOffered(PEvent):
    type: Literal["remedy.offered"]
    remedy: PRemedy


class PRemedyStep(PEvent):
    type: Literal["remedy.accepted", "remedy.delivered"]
    remedy_id: str


class PFinal(PEvent):
    type: Literal["final_response.sent"]
    outcome: Outcome
    apology: bool = False
    explanation: bool = False
    referral_rights_given: bool = False


PAnyEvent = Annotated[
    PReceived | PSimple | POwnerAssigned | PRemedyOffered | PRemedyStep | PFinal,
    pydantic.Field(discriminator="type"),
]


class PRemedyRecord(pydantic.BaseModel):
    remedy: PRemedy
    status: str
    offered_at: datetime
    decided_at: datetime | None = None
    delivered_at: datetime | None = None


class PCase(pydantic.BaseModel):
    id: str
    state: str
    complaint: PComplaint
    owner: POwner | None
    handoffs: int
    escalation_level: int
    remedies: list[PRemedyRecord]
    follow_ups: list[dict[str, str]]
    root_causes: list[dict[str, str]]
    acknowledged_at: datetime | None
    responded_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    reopen_count: int
    history: list[PAnyEvent]


# -- msgspec structs of the same shape ------------------------------------------------------


class MCustomer(msgspec.Struct):
    id: str
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    vulnerable: bool = False
    contact_allowed: bool = True


class MMoney(msgspec.Struct):
    amount: Decimal
    currency: str


class MComplaint(msgspec.Struct):
    id: str
    customer: MCustomer
    channel: str
    received_at: datetime
    summary: str | None = None
    category: str | None = None
    product: str | None = None
    severity: str = "medium"
    claimed_loss: MMoney | None = None
    desired_remedy: str | None = None
    tags: list[str] = []
    external_id: str | None = None


class MOwner(msgspec.Struct):
    id: str
    team: str | None = None


class MRemedy(msgspec.Struct):
    id: str
    kind: str
    scope: str = "individual"
    value: MMoney | None = None
    description: str | None = None


class MReceived(msgspec.Struct, tag="complaint.received", tag_field="type"):
    at: datetime
    complaint: MComplaint
    actor: str | None = None


def _simple(tag: str) -> type:
    return msgspec.defstruct(
        f"M_{tag}", [("at", datetime), ("actor", str | None, None)], tag=tag, tag_field="type"
    )


class MOwnerAssigned(msgspec.Struct, tag="owner.assigned", tag_field="type"):
    at: datetime
    owner: MOwner
    actor: str | None = None
    reason: str | None = None


class MRemedyOffered(msgspec.Struct, tag="remedy.offered", tag_field="type"):
    at: datetime
    remedy: MRemedy
    actor: str | None = None


class MRemedyAccepted(msgspec.Struct, tag="remedy.accepted", tag_field="type"):
    at: datetime
    remedy_id: str
    actor: str | None = None


class MRemedyDelivered(msgspec.Struct, tag="remedy.delivered", tag_field="type"):
    at: datetime
    remedy_id: str
    actor: str | None = None


class MFinal(msgspec.Struct, tag="final_response.sent", tag_field="type"):
    at: datetime
    outcome: str
    actor: str | None = None
    apology: bool = False
    explanation: bool = False
    referral_rights_given: bool = False


_SIMPLE = [
    _simple(t)
    for t in (
        "complaint.acknowledged",
        "investigation.started",
        "resolution.accepted",
        "complaint.closed",
    )
]
MAnyEvent = (
    MReceived
    | MOwnerAssigned
    | MRemedyOffered
    | MRemedyAccepted
    | MRemedyDelivered
    | MFinal
    | _SIMPLE[0]  # type: ignore[valid-type]
    | _SIMPLE[1]  # type: ignore[valid-type]
    | _SIMPLE[2]  # type: ignore[valid-type]
    | _SIMPLE[3]  # type: ignore[valid-type]
)


class MRemedyRecord(msgspec.Struct):
    remedy: MRemedy
    status: str
    offered_at: datetime
    decided_at: datetime | None = None
    delivered_at: datetime | None = None


class MCase(msgspec.Struct):
    id: str
    state: str
    complaint: MComplaint
    owner: MOwner | None
    handoffs: int
    escalation_level: int
    remedies: list[MRemedyRecord]
    follow_ups: list[dict[str, str]]
    root_causes: list[dict[str, str]]
    acknowledged_at: datetime | None
    responded_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    reopen_count: int
    history: list[MAnyEvent]  # type: ignore[valid-type]


def flat_payload(case: Case) -> dict[str, object]:
    """The case as a 15-field dict with its history, the shape the models above describe."""
    data = to_dict(case)
    events = data["events"]
    complaint = events[0]["complaint"]
    return {
        "id": case.id,
        "state": case.state,
        "complaint": complaint,
        "owner": {"id": case.owner.id, "team": case.owner.team} if case.owner else None,
        "handoffs": case.handoffs,
        "escalation_level": case.escalation_level,
        "remedies": [
            {
                "remedy": next(e["remedy"] for e in events if e["type"] == "remedy.offered"),
                "status": r.status.value,
                "offered_at": r.offered_at.isoformat(),
                "decided_at": r.decided_at.isoformat() if r.decided_at else None,
                "delivered_at": r.delivered_at.isoformat() if r.delivered_at else None,
            }
            for r in case.remedies
        ],
        "follow_ups": [],
        "root_causes": [],
        "acknowledged_at": case.acknowledged_at.isoformat() if case.acknowledged_at else None,
        "responded_at": case.responded_at.isoformat() if case.responded_at else None,
        "resolved_at": case.resolved_at.isoformat() if case.resolved_at else None,
        "closed_at": case.closed_at.isoformat() if case.closed_at else None,
        "reopen_count": case.reopen_count,
        "history": data["events"],
    }


def ops(fn: Callable[[], object], n: int, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, time.perf_counter() - t0)
    return n / best


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    case = the_case()
    flat = flat_payload(case)
    p_case = PCase.model_validate(flat)
    m_case = msgspec.convert(flat, MCase, strict=False)
    assert loads(dumps(case), Case) == case
    assert PCase.model_validate_json(p_case.model_dump_json()) == p_case
    assert msgspec.json.decode(msgspec.json.encode(m_case), type=MCase) == m_case
    encoder, decoder = msgspec.json.Encoder(), msgspec.json.Decoder(MCase)

    contenders = {
        "recoverykit dumps + loads (validates, replays)": lambda: loads(dumps(case), Case),
        "pydantic v2 model_dump_json + model_validate_json": lambda: PCase.model_validate_json(
            p_case.model_dump_json()
        ),
        "msgspec encode + decode (ceiling)": lambda: decoder.decode(encoder.encode(m_case)),
        "json.dumps + json.loads of a dict (limit)": lambda: json.loads(json.dumps(flat)),
    }
    rates = {label: ops(fn, args.n, args.repeat) for label, fn in contenders.items()}
    ours = rates["recoverykit dumps + loads (validates, replays)"]
    pyd = rates["pydantic v2 model_dump_json + model_validate_json"]
    print(
        f"JSON round trip of a case with a 10-event history, best of {args.repeat} x {args.n}; "
        f"Python {platform.python_version()}, pydantic {pydantic.VERSION}, "
        f"msgspec {msgspec.__version__}"
    )
    print(f"{'contender':<52} {'round trips/s':>14} {'vs recoverykit':>15}")
    for label, rate in rates.items():
        print(f"{label:<52} {rate:>14,.0f} {rate / ours:>14.2f}x")
    print(f"\nrecoverykit runs at {ours / pyd:.2f}x pydantic v2's speed (target >= 0.5x)")
    return {"JSON round trip: speed vs pydantic v2 (target >= 0.5)": ours / pyd}


if __name__ == "__main__":
    main()
