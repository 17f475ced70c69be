"""What the fast converter's generated functions buy over cattrs' own generator (issue 11).

The same work runs through fast converters (``detailed_validation=False``) that differ only
in how attrs classes are loaded and dumped:

- **generated**: ``make_converter(detailed=False)`` as the library ships it;
- **cattrs**: the same converter with every generated function replaced by what the detailed
  converter uses (cattrs' ``make_dict_structure_fn``/``make_dict_unstructure_fn``), here
  generated with ``detailed_validation=False``;
- **events only** and **values only**: generated functions for event classes only, or for
  plain attrs values (complaints, owners, remedies, money, ...) only, so each path's share of
  the gain is seen on its own.

The variants are built in this script: the functions `serialization._converters` calls to
plan generated ones (``attrs_hook``, ``generated``, ``dumper``) are swapped for their cattrs
counterparts while a converter is configured and warmed up (its hooks are made on first use
and kept); a profile of one round trip then checks which generated functions each variant
really calls, and every variant must write the same JSON text and load the same case.
"first use" is making a fresh fast converter and round-tripping the case once (every hook
made: what the first ``dumps``/``loads`` of a process pays).

Work: JSON text through an encoder and decoder set up as ``dumps``/``loads`` set theirs, for
the closed case of `the_case` (10-event history, loaded with a replay), its
history alone (``tuple[Event, ...]``, no replay) and its complaint alone (a plain value with
nested values). CPU time (``time.process_time``); the variants run interleaved in one
process, in a rotating order, and each round gives one ratio per variant: its time over the
generated converter's time in the same round. Reported: the median ratio and its min-max
over the rounds (a ratio of 1.15 means the generated functions save 13% of that time).

Run: ``python benchmarks/bench_codegen.py [--rounds 15] [--sample 0.02]``.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from unittest import mock

import attrs
import cattrs

from _lifecycle import full_lifecycle
from recoverykit import Case, Channel, Complaint, CustomerRef, Money, RemedyKind, replay
from recoverykit import events as ev
from recoverykit.serialization import _converters, _generated, make_converter
from recoverykit.serialization._tagged import EVENT_TUPLE

GENERATED, CATTRS, EVENTS_ONLY, VALUES_ONLY = "generated", "cattrs", "events only", "values only"
VARIANTS = (GENERATED, CATTRS, EVENTS_ONLY, VALUES_ONLY)
_MARK = "<recoverykit generated "
# As `serialization.dumps` and `loads` set them up.
ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, check_circular=False)
DECODER = json.JSONDecoder(parse_float=Decimal)


def the_case() -> Case:
    """A closed case with a 10-event history (also the case bench_serialization.py times)."""
    complaint = Complaint(
        id="C-1001",
        customer=CustomerRef("cust-42"),
        channel=Channel.LIVE_CHAT,
        received_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
        category="billing",
        claimed_loss=Money("49.99", "GBP"),
        desired_remedy=RemedyKind.REFUND,
    )
    return replay(full_lifecycle(complaint, Money("49.99", "GBP")))


def cattrs_dumper(
    conv: cattrs.Converter, cls: type, constants: tuple[tuple[str, Any], ...] = ()
) -> Callable[[Any], dict[str, Any]]:
    """What the detailed converter writes with: cattrs' function, constants merged in front."""
    fn = _generated.unstructurer(conv, cls)
    if not constants:
        return fn
    head = dict(constants)
    return lambda value: {**head, **fn(value)}


def _slow(_conv: cattrs.Converter, _cls: type, slow: Any, *_extra_keys: str) -> Any:
    return slow  # the function cattrs generated, as on the detailed converter


@contextmanager
def variant(name: str) -> Iterator[None]:
    """While active, converters configured (and hooks made) get ``name``'s functions."""
    events, values = name in (GENERATED, EVENTS_ONLY), name in (GENERATED, VALUES_ONLY)
    original = _generated.dumper

    def dumper(
        conv: cattrs.Converter, cls: type, constants: tuple[tuple[str, Any], ...] = ()
    ) -> Callable[[Any], dict[str, Any]]:
        # Event classes are dumped with their tag as constants; plain values without.
        keep = events if constants else values
        return (original if keep else cattrs_dumper)(conv, cls, constants)

    patches = [mock.patch.object(_converters, "dumper", dumper)]
    if not events:  # the event loaders (`_converters._configure_events`)
        patches.append(mock.patch.object(_converters, "generated", _slow))
    if not values:  # plain attrs values: cattrs' function, as on the detailed converter
        patches.append(mock.patch.object(_converters, "attrs_hook", _generated.cattrs_loader))
    for patch in patches:
        patch.start()
    try:
        yield
    finally:
        for patch in reversed(patches):
            patch.stop()


def workloads(conv: cattrs.Converter) -> dict[str, dict[str, Callable[[], object]]]:
    """Per path, the dump, load and round trip of one value through ``conv`` and JSON text."""
    encode, decode = ENCODER.encode, DECODER.decode
    case = the_case()
    values: dict[str, tuple[object, Any]] = {
        "case (10 events, replayed)": (case, Case),
        "history (10 events)": (case.history, EVENT_TUPLE),
        "complaint (plain values)": (case.complaint, Complaint),
    }
    out = {}
    for label, (value, cls) in values.items():
        text = encode(conv.unstructure(value, cls))

        def dump(value: object = value, cls: Any = cls) -> object:
            return encode(conv.unstructure(value, cls))

        def load(text: str = text, cls: Any = cls) -> object:
            return conv.structure(decode(text), cls)

        def round_trip(value: object = value, cls: Any = cls) -> object:
            return conv.structure(decode(encode(conv.unstructure(value, cls))), cls)

        out[label] = {"dump": dump, "load": load, "round trip": round_trip}
    return out


def generated_calls(run: Callable[[], object]) -> dict[str, int]:
    """How many calls ``run`` makes into generated functions, for events and other values."""
    counts = {"events": 0, "values": 0}

    def profile(frame: Any, event: str, _: object) -> None:
        filename = frame.f_code.co_filename
        if event == "call" and filename.startswith(_MARK):
            qualname = filename.split()[3]  # "<recoverykit generated load mod.Cls n>"
            counts["events" if qualname.startswith(ev.__name__ + ".") else "values"] += 1

    sys.setprofile(profile)
    try:
        run()
    finally:
        sys.setprofile(None)
    return counts


def build() -> dict[str, dict[str, dict[str, Callable[[], object]]]]:
    """One converter per variant, each with its hooks made (under its patches) and checked."""
    case = the_case()
    built = {}
    texts = set()
    for name in VARIANTS:
        with variant(name):
            conv = make_converter(detailed=False)
            work = workloads(conv)
            for ops in work.values():
                ops["round trip"]()  # every hook made now, and kept by the converter
        assert conv.structure(DECODER.decode(work_text(conv, case)), Case) == case
        texts.add(work_text(conv, case))
        calls = generated_calls(lambda work=work: [ops["round trip"]() for ops in work.values()])
        expected = {
            "events": name in (GENERATED, EVENTS_ONLY),
            "values": name in (GENERATED, VALUES_ONLY),
        }
        got = {path: n > 0 for path, n in calls.items()}
        assert got == expected, (name, calls)
        built[name] = work
    assert len(texts) == 1, "every variant writes the same JSON text"
    return built


def work_text(conv: cattrs.Converter, case: Case) -> str:
    return ENCODER.encode(conv.unstructure(case))


def calibrate(fn: Callable[[], object], sample: float) -> int:
    """Calls of ``fn`` that take about ``sample`` seconds of CPU."""
    n = 1
    while True:
        t0 = time.process_time()
        for _ in range(n):
            fn()
        spent = time.process_time() - t0
        if spent >= sample / 4:
            return max(1, round(n * sample / spent))
        n *= 4


def timed(fn: Callable[[], object], n: int) -> float:
    t0 = time.process_time()
    for _ in range(n):
        fn()
    return (time.process_time() - t0) / n


@attrs.frozen
class Row:
    path: str
    op: str
    generated_us: float  # median time per call of the generated converter
    ratios: dict[str, tuple[float, float, float]]  # variant -> median, min, max


def paired(
    run: Callable[[str], float], rounds: int
) -> tuple[float, dict[str, tuple[float, float, float]]]:
    """``run(variant)`` timed in ``rounds`` interleaved rounds (one warm-up round first):
    the generated converter's median time, and each other variant's ratios to it."""
    times: dict[str, list[float]] = {name: [] for name in VARIANTS}
    for r in range(-1, rounds):
        order = VARIANTS[r % len(VARIANTS) :] + VARIANTS[: r % len(VARIANTS)]
        for name in order:  # interleaved, in a rotating order
            spent = run(name)
            if r >= 0:
                times[name].append(spent)
    base = times[GENERATED]
    ratios = {}
    for name in VARIANTS[1:]:
        pairs = [t / b for t, b in zip(times[name], base, strict=True)]
        ratios[name] = (statistics.median(pairs), min(pairs), max(pairs))
    return statistics.median(base), ratios


def first_use(name: str) -> float:
    """CPU time to make a fast converter and round-trip the case once (every hook made)."""
    case = the_case()
    with variant(name):
        t0 = time.process_time()
        conv = make_converter(detailed=False)
        conv.structure(DECODER.decode(ENCODER.encode(conv.unstructure(case))), Case)
        return time.process_time() - t0


def measure(rounds: int, sample: float) -> list[Row]:
    built = build()
    rows = []
    for path in built[GENERATED]:
        for op in built[GENERATED][path]:
            fns = {name: built[name][path][op] for name in VARIANTS}
            n = calibrate(fns[GENERATED], sample)
            base, ratios = paired(lambda name, fns=fns, n=n: timed(fns[name], n), rounds)
            rows.append(Row(path, op, base * 1e6, ratios))
    base, ratios = paired(first_use, rounds)
    rows.append(Row("first use (new converter)", "round trip", base * 1e6, ratios))
    return rows


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--sample", type=float, default=0.02, help="CPU seconds per timing")
    args = parser.parse_args(argv)
    rows = measure(args.rounds, args.sample)
    print(
        f"Fast converter, generated functions vs cattrs' own: time ratio (other / generated), "
        f"median [min-max] of {args.rounds} interleaved rounds, CPU time; "
        f"Python {platform.python_version()}, {platform.machine()}"
    )
    head = f"{'path':<28} {'op':<11} {'generated':>10}"
    print(head + "".join(f" {name:>20}" for name in VARIANTS[1:]))
    for row in rows:
        cells = "".join(f" {m:>6.3f} [{lo:.2f}-{hi:.2f}]" for m, lo, hi in row.ratios.values())
        print(f"{row.path:<28} {row.op:<11} {row.generated_us:>8.1f}us{cells}")
    return {
        f"codegen: {row.path} {row.op}, cattrs / generated": row.ratios[CATTRS][0]
        for row in rows[:-1]
        if row.op == "round trip"
    }


if __name__ == "__main__":
    main()
