"""CPU cost of ``import recoverykit`` against ``import attrs, cattrs, dateutil``.

Every measurement runs in a fresh interpreter (``sys.executable``), so nothing is cached in
memory; the child reads ``time.process_time()`` (CPU time of the whole process, all threads)
just before and just after the measured code and prints the difference, so interpreter
start-up is left out and only the import (or first use) is counted. The contenders are
interleaved (baseline, recoverykit, first use, baseline, recoverykit, ...) so a noisy moment
on a shared machine hits all of them alike, and each round gives paired ratios against the
baseline of the same round. One unmeasured warm-up round first writes the bytecode caches.

- **baseline**: ``import attrs, cattrs, dateutil``: the dependencies alone.
- **import recoverykit**: ``import recoverykit``.
- **first use**: ``from recoverykit import Case, Complaint, open_case``, then open a case for
  one complaint and ``recoverykit.dumps`` it: what an app pays before its first saved case.

Target (issue 11): ``import recoverykit`` at most 1.5x the baseline (median of the paired
ratios). The first-use figure is shown for information.
Run: ``python benchmarks/bench_import.py [--rounds 30]``.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import textwrap

TARGET = 1.5

_START = "import time\n_t0 = time.process_time()\n"
_STOP = "\nprint(repr(time.process_time() - _t0))\n"

BASELINE = "import attrs, cattrs, dateutil"
IMPORT = "import recoverykit"
FIRST_USE = textwrap.dedent(
    """
    from datetime import datetime, timezone
    import recoverykit
    from recoverykit import Case, Complaint, open_case
    case = open_case(
        Complaint(
            id="C-1",
            customer=recoverykit.CustomerRef("cust-1"),
            channel=recoverykit.Channel.EMAIL,
            received_at=datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc),
        )
    )
    assert isinstance(case, Case)
    assert recoverykit.dumps(case).startswith("{")
    """
)

CONTENDERS = {
    "baseline: import attrs, cattrs, dateutil": BASELINE,
    "import recoverykit": IMPORT,
    "first use: open_case + dumps": FIRST_USE,
}


def cpu_seconds(code: str) -> float:
    """CPU seconds that ``code`` takes in a fresh interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", _START + code + _STOP], check=True, capture_output=True, text=True
    ).stdout
    return float(out.strip().splitlines()[-1])


def describe() -> str:
    """Which recoverykit (its path) and which dependency versions the children import."""
    code = (
        "import importlib.metadata as m, recoverykit\n"
        "print(recoverykit.__file__, *(f'{d} {m.version(d)}' for d in "
        "('attrs', 'cattrs', 'python-dateutil')), sep='; ')"
    )
    return subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout.strip()


def measure(rounds: int) -> dict[str, list[float]]:
    """``rounds`` interleaved measurements of every contender, after one warm-up round."""
    for code in CONTENDERS.values():
        cpu_seconds(code)
    times: dict[str, list[float]] = {label: [] for label in CONTENDERS}
    for _ in range(rounds):
        for label, code in CONTENDERS.items():
            times[label].append(cpu_seconds(code))
    return times


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30, help="interleaved rounds (default 30)")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")

    times = measure(args.rounds)
    base_label, import_label, first_label = CONTENDERS
    base = times[base_label]
    print(
        f"Python {platform.python_version()} on {platform.machine()}; "
        f"{args.rounds} interleaved rounds, each in a fresh interpreter; CPU time (process_time)"
    )
    print(f"recoverykit from {describe()}")
    print(f"{'contender':<44} {'median ms':>10} {'ratio (median)':>15} {'ratio min-max':>14}")
    ratios: dict[str, float] = {}
    for label, values in times.items():
        paired = [value / b for value, b in zip(values, base, strict=True)]
        ratios[label] = statistics.median(paired)
        spread = f"{min(paired):.2f}-{max(paired):.2f}"
        print(
            f"{label:<44} {statistics.median(values) * 1000:>10.1f} "
            f"{ratios[label]:>14.2f}x {spread:>14}"
        )

    ratio = ratios[import_label]
    verdict = "meets" if ratio <= TARGET else "MISSES"
    print(
        f"\nimport recoverykit costs {ratio:.2f}x import attrs, cattrs, dateutil "
        f"(median of {args.rounds} paired ratios): {verdict} the {TARGET}x target (issue 11)."
    )
    print(f"First use (open_case + dumps) costs {ratios[first_label]:.2f}x the same baseline.")
    return {
        "import: recoverykit / attrs+cattrs+dateutil (target <= 1.5)": ratio,
        "import: first use (open_case + dumps) / attrs+cattrs+dateutil": ratios[first_label],
    }


if __name__ == "__main__":
    main()
