"""Import and replay of a real event log against the floor of reading it at all (issue 12).

The log is the Volvo IT problem-management log in examples/data/bpic2013_problems (6,660
rows, 1,487 cases), held in memory as CSV text so that no contender pays for the disk:

- **floor**: ``csv.DictReader`` over the text, and ``datetime.fromisoformat`` on every
  timestamp: what any import of this file must do at least;
- **read_events**: the same ``csv.DictReader`` rows through
  `recoverykit.interop.eventlog.read_events` with the example's mapping
  (examples/event_log.py): every row checked, grouped by case, sorted by instant, mapped
  to events, and each case folded on the default lifecycle (the replay: time order,
  transitions, guards, views), every row accounted for;
- **read_events + conformance**: the import and then `conformance` of it (no clocks).

CPU time (``time.process_time``); the contenders run interleaved in one process, in a
rotating order, and each round gives one ratio per contender: its time over the floor's in
the same round. Reported: the median ratio and its min-max over the rounds.

Run: ``python benchmarks/bench_eventlog.py [--rounds 15]``.
"""

from __future__ import annotations

import argparse
import csv
import io
import platform
import runpy
import statistics
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from recoverykit.interop.eventlog import conformance, read_events

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "examples" / "data" / "bpic2013_problems" / "bpic2013_closed_problems.csv"
ACTIVITIES = runpy.run_path(str(ROOT / "examples" / "event_log.py"))["ACTIVITIES"]
TEXT = DATA.read_text(encoding="utf-8")


def rows() -> csv.DictReader[str]:
    return csv.DictReader(io.StringIO(TEXT, newline=""))


def floor() -> object:
    parse = datetime.fromisoformat
    return [parse(row["time:timestamp"]) for row in rows()]


def import_only() -> object:
    return read_events(rows(), activities=ACTIVITIES)


def import_and_check() -> object:
    return conformance(read_events(rows(), activities=ACTIVITIES))


CONTENDERS: dict[str, Callable[[], object]] = {
    "floor: csv.DictReader + fromisoformat": floor,
    "read_events (import + replay)": import_only,
    "read_events + conformance": import_and_check,
}


def timed(fn: Callable[[], object]) -> float:
    t0 = time.process_time()
    fn()
    return time.process_time() - t0


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args(argv)
    log = import_only()
    assert log.rows == 6660 == log.rows_in_histories + len(log.deviations) + len(log.errors)
    names = list(CONTENDERS)
    times: dict[str, list[float]] = {name: [] for name in names}
    for r in range(-1, args.rounds):  # one warm-up round first
        order = names[r % len(names) :] + names[: r % len(names)]
        for name in order:  # interleaved, in a rotating order
            spent = timed(CONTENDERS[name])
            if r >= 0:
                times[name].append(spent)
    base = times[names[0]]
    print(
        f"Volvo IT log, 6,660 rows: CPU time, median [min-max] of {args.rounds} interleaved "
        f"rounds; Python {platform.python_version()}, {platform.machine()}"
    )
    print(f"{'contender':<40} {'ms':>8} {'rows/s':>10} {'vs floor':>20}")
    results = {}
    for name in names:
        ratios = [t / b for t, b in zip(times[name], base, strict=True)]
        median = statistics.median(times[name])
        ratio = statistics.median(ratios)
        print(
            f"{name:<40} {median * 1000:>8.1f} {6660 / median:>10,.0f} "
            f"{ratio:>7.2f}x [{min(ratios):.2f}-{max(ratios):.2f}]"
        )
        results[name] = ratio
    return {"eventlog: read_events / floor (target <= 4)": results[names[1]]}


if __name__ == "__main__":
    main()
