"""JSON round trip of the same document, the same strictness, against pydantic v2 (issue 15).

The document is what ``recoverykit.dumps`` writes for a closed case with a 10-event history
(an envelope with ``schema_version``, ``kind`` and ``lifecycle``, and the events as a union
tagged by ``type``), in two versions: every datetime in UTC, and every datetime in
Europe/London (written as ``2026-03-02T09:30:00+00:00[Europe/London]``).

- **recoverykit**: ``dumps(loads(text, Case))``: the load checks every value once and replays
  the history against the lifecycle (so the case obeys every rule), then the case is
  written back.
- **pydantic v2, strict**: ``model_dump_json(model_validate_json(text))`` of models that
  describe exactly this document (``strict=True``, unknown keys refused for values, as
  recoverykit refuses them; literals for the envelope; a discriminated union of events).
  For the zoned document its datetimes go through a validator and a serializer for the
  ``[zone]`` suffix (pydantic has no IANA-zoned datetime of its own); for the UTC one they
  are pydantic's own `AwareDatetime`. pydantic does not replay: it checks shapes and types,
  not the lifecycle.

The script checks that each side reads the other's output back to the same case. Timing:
``_paired.py`` (CPU time, interleaved, median of per-round ratios with min-max).

Target: at least 0.8x pydantic's speed (pydantic's time over ours), for both documents.
Run: ``python -m pip install -e ".[bench]" && python benchmarks/bench_json.py``.
"""

from __future__ import annotations

import argparse
import platform
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

import attrs
import pydantic

from _paired import compare, table
from bench_codegen import the_case
from recoverykit import Case, Channel, Outcome, RemedyKind, dumps, loads, replay
from recoverykit.model import RemedyScope, Severity

LONDON = ZoneInfo("Europe/London")
STRICT = pydantic.ConfigDict(strict=True, extra="forbid")


def parse_zoned(value: Any) -> Any:
    if isinstance(value, str) and value.endswith("]"):
        text, _, zone = value[:-1].partition("[")
        return datetime.fromisoformat(text).astimezone(ZoneInfo(zone))
    return value


def write_zoned(value: datetime) -> str:
    zone = value.tzinfo
    suffix = f"[{zone.key}]" if isinstance(zone, ZoneInfo) else ""
    return value.isoformat() + suffix


Zoned = Annotated[
    pydantic.AwareDatetime,
    pydantic.BeforeValidator(parse_zoned),
    pydantic.PlainSerializer(write_zoned, when_used="json"),
]


def models(when: Any) -> type[pydantic.BaseModel]:
    """Models of the case document, with ``when`` as the datetime type."""

    class Customer(pydantic.BaseModel):
        model_config = STRICT
        id: str
        name: str | None = None
        email: str | None = None
        phone: str | None = None
        vulnerable: bool = False
        contact_allowed: bool = True
        anonymous: bool = False

    class Money(pydantic.BaseModel):
        model_config = STRICT
        amount: Decimal  # strict pydantic also takes a JSON number here; recoverykit refuses it
        currency: Annotated[str, pydantic.StringConstraints(pattern=r"^[A-Z]{3}$")]

    class Complaint(pydantic.BaseModel):
        model_config = STRICT
        id: str
        customer: Customer
        channel: Channel
        received_at: when
        summary: str | None = None
        category: str | None = None
        product: str | None = None
        severity: Severity = Severity.MEDIUM
        claimed_loss: Money | None = None
        desired_remedy: RemedyKind | None = None
        tags: list[str] = []
        external_id: str | None = None

    class Owner(pydantic.BaseModel):
        model_config = STRICT
        id: str
        team: str | None = None

    class Remedy(pydantic.BaseModel):
        model_config = STRICT
        id: str
        kind: RemedyKind
        scope: RemedyScope = RemedyScope.INDIVIDUAL
        value: Money | None = None
        description: str | None = None

    class Event(pydantic.BaseModel):
        model_config = pydantic.ConfigDict(strict=True)  # events allow extra keys
        at: when
        actor: str | None = None

    class Received(Event):
        type: Literal["complaint.received"]
        complaint: Complaint

    class Simple(Event):
        type: Literal[
            "complaint.acknowledged",
            "investigation.started",
            "resolution.accepted",
            "complaint.closed",
        ]

    class OwnerAssigned(Event):
        type: Literal["owner.assigned"]
        event_version: Literal[2]
        owner: Owner
        reason: str | None = None

    class RemedyOffered(Event):
        type: Literal["remedy.offered"]
        remedy: Remedy

    class RemedyStep(Event):
        type: Literal["remedy.accepted", "remedy.delivered"]
        remedy_id: str

    class Final(Event):
        type: Literal["final_response.sent"]
        outcome: Outcome
        apology: bool = False
        explanation: bool = False
        referral_rights_given: bool = False

    class Document(pydantic.BaseModel):
        model_config = STRICT
        schema_version: Literal[3]
        kind: Literal["case"]
        lifecycle: Literal["complaint"]
        events: list[
            Annotated[
                Received | Simple | OwnerAssigned | RemedyOffered | RemedyStep | Final,
                pydantic.Field(discriminator="type"),
            ]
        ]

    return Document


def in_london(case: Case) -> Case:
    """The same case with every datetime in Europe/London."""

    def move(value: Any) -> Any:
        if isinstance(value, datetime):
            return value.astimezone(LONDON)
        if attrs.has(type(value)):
            changes = {
                a.alias: move(getattr(value, a.name)) for a in attrs.fields(type(value)) if a.init
            }
            return attrs.evolve(value, **changes)
        return value

    return replay([move(event) for event in case.history])


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--number", type=int, default=300)
    args = parser.parse_args(argv)
    utc_case = the_case()
    zoned_case = in_london(utc_case)
    assert utc_case.received_at.tzinfo is UTC
    results = {}
    for label, case, when in (
        ("UTC", utc_case, pydantic.AwareDatetime),
        ("Europe/London", zoned_case, Zoned),
    ):
        text = dumps(case)
        document = models(when)
        # Each side reads the other's output back to the same case.
        theirs = document.model_dump_json(document.model_validate_json(text), exclude_none=True)
        assert loads(theirs, Case) == case, label
        assert document.model_validate_json(dumps(loads(text, Case))) == (
            document.model_validate_json(text)
        )

        def ours(text: str = text) -> str:
            return dumps(loads(text, Case))

        def pyd(text: str = text, document: Any = document) -> str:
            return document.model_dump_json(document.model_validate_json(text), exclude_none=True)

        results[label] = compare(
            {"pydantic v2 strict": pyd, "recoverykit (replays)": ours},
            baseline="pydantic v2 strict",
            rounds=args.rounds,
            number=args.number,
        )
        table(results[label], unit="us", title=f"\n{label}: {len(text):,} bytes of JSON")
    print(f"\nPython {platform.python_version()}, pydantic {pydantic.VERSION}")
    return {
        f"JSON round trip ({label}): speed vs strict pydantic v2 (target >= 0.8)": 1
        / results[label]["recoverykit (replays)"].ratio
        for label in results
    }


if __name__ == "__main__":
    for key, value in main().items():
        print(f"{key}: {value:.2f}")
