"""Run every benchmark (with sizes that keep the whole run under five minutes on 2 cores)
and print one table of the headline ratios, each against its target.

Run: ``python -m pip install -e ".[bench]" && python benchmarks/run_all.py``.
"""

from __future__ import annotations

import platform
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import bench_apply
import bench_calendars
import bench_clocks
import bench_eventlog
import bench_import
import bench_json
import bench_loops
import bench_portfolio
import bench_replay

RUNS = [
    (bench_import.main, []),
    (bench_replay.main, ["--cases", "3000", "--rounds", "7"]),
    (bench_apply.main, ["--rounds", "9"]),
    (bench_calendars.main, ["--calls", "2000", "--rounds", "9"]),
    (bench_clocks.main, ["--rounds", "9"]),
    (bench_loops.main, ["--rounds", "5"]),
    (bench_portfolio.main, []),
    (bench_json.main, ["--rounds", "9"]),
    (bench_eventlog.main, ["--rounds", "7"]),
]


def main() -> None:
    start = time.perf_counter()
    results: dict[str, float] = {}
    for run, args in RUNS:
        print(f"\n=== {run.__module__} {' '.join(args)}")
        results.update(run(args))
    elapsed = time.perf_counter() - start
    print(
        f"\n=== summary ({elapsed:.0f}s; Python {platform.python_version()}, {platform.machine()})"
    )
    print(f"{'measure':<72} {'value':>8}  verdict")
    for label, value in results.items():
        print(f"{label:<72} {value:>8.2f}  {verdict(label, value)}")


def verdict(label: str, value: float) -> str:
    """pass or FAIL against the "(target <= x)" or "(target >= x)" in the label."""
    found = re.search(r"target ([<>]=?) ([0-9.]+)", label)
    if found is None:
        return "(information)"
    sign, target = found.group(1), float(found.group(2))
    ok = {"<=": value <= target, "<": value < target, ">=": value >= target, ">": value > target}[
        sign
    ]
    return "pass" if ok else "FAIL"


if __name__ == "__main__":
    main()
