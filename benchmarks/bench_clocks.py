"""`evaluate_clocks` and `Regime.evaluate` under FCA DISP against a hand-written evaluation.

The hand-written version does the same work for this regime's three clocks (summary
resolution, final response, ombudsman referral) with the same calendar arithmetic (each
clock's own `DeadlineKind.due` on the same calendar): one pass over the history up to
``now``, each clock started, stopped and checked for a breach at its events by instant, and a
`ClockStatus` per clock with the same fields. What it leaves out is what the regime does not
use: pauses, restarts, extensions, suspensions, warnings, argument and lifecycle checks. The
script first checks that both give equal statuses on every case.

Cases: the bench_replay 10-event lifecycle (received, acknowledged, ..., final response,
closed) for 300 complaints received a few hours apart, evaluated at a ``now`` when some are
still open (so every clock state appears). Timing: ``_paired.py`` (CPU time, interleaved,
median of per-round ratios with their min-max).

Target (issue 15): `evaluate_clocks` and `Regime.evaluate` at most 1.5x the hand-written
version. Run: ``python benchmarks/bench_clocks.py [--rounds 15]``.
"""

from __future__ import annotations

import argparse
import platform
from datetime import UTC, datetime, timedelta

import attrs

from _lifecycle import full_lifecycle
from _paired import compare, table
from recoverykit import Case, Channel, Complaint, CustomerRef, Money, calendars, regimes, replay
from recoverykit._instants import before, elapsed
from recoverykit.clocks import ClockState, ClockStatus, evaluate_clocks

REGIME = regimes.FCA_DISP
BASE = calendars.england_and_wales()
CALENDAR = REGIME.calendar_for(BASE)  # the bank holidays and the FCA's closed days
CLOCKS = REGIME.clocks
for clock in CLOCKS:  # what the hand-written version leaves out must be unused
    assert not clock.pause_in
    assert not clock.restart_on
    assert clock.extension is None
    assert not clock.suspensions
    assert clock.warning is None
    assert not clock.receipt_next_business_day


def hand(case: Case, now: datetime) -> tuple[ClockStatus, ...]:
    calendar = CALENDAR
    runs = [[clock, None, None, None, None] for clock in CLOCKS]  # start, due, met, breach
    for event in case.history:
        at = event.at
        if before(now, at):
            break
        for run in runs:
            clock, start, due, met, breach = run
            if start is not None and met is None:
                if breach is None and before(due, at):
                    run[4] = due
                if isinstance(event, clock.stop_on):
                    run[3] = at
            elif start is None and isinstance(event, clock.start_on):
                run[1] = at
                run[2] = clock.target.due(at, calendar)
    out = []
    for clock, start, due, met, breached in runs:
        if start is None:
            out.append(ClockStatus(clock.name, ClockState.PENDING))
            continue
        breach = due if met is None and breached is None and before(due, now) else breached
        state = (
            ClockState.BREACHED
            if breach is not None
            else ClockState.MET
            if met is not None
            else ClockState.RUNNING
        )
        remaining = elapsed(now, due) if met is None else None
        out.append(
            ClockStatus(
                clock.name,
                state,
                start,
                due.astimezone(calendar.tz),
                met,
                timedelta(0),
                remaining,
                breach,
                1,
            )
        )
    return tuple(out)


def cases(n: int) -> list[Case]:
    t0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    out = []
    for i in range(n):
        complaint = Complaint(
            id=f"C-{i}",
            customer=CustomerRef(f"c-{i}"),
            channel=Channel.EMAIL,
            received_at=t0 + timedelta(hours=7 * i),
        )
        history = full_lifecycle(complaint, Money("10", "GBP"))
        # Spread the events so that deadlines are met, breached and still running.
        spaced = [history[0]] + [
            attrs.evolve(event, at=history[0].at + timedelta(days=(i % 9) * k))
            for k, event in enumerate(history[1:], 1)
        ]
        out.append(replay(spaced))
    return out


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args(argv)
    data = cases(300)
    now = data[-1].received_at + timedelta(days=20)
    seen = set()
    for case in data:
        ours = evaluate_clocks(case, CLOCKS, calendar=CALENDAR, now=now)
        assert ours == hand(case, now), (case.id, ours, hand(case, now))
        assert ours == REGIME.evaluate(case, calendar=BASE, now=now)
        seen.update(s.status for s in ours)
    assert {ClockState.PENDING, ClockState.RUNNING, ClockState.MET, ClockState.BREACHED} <= seen

    results = compare(
        {
            "hand-written": lambda: [hand(c, now) for c in data],
            "evaluate_clocks": lambda: [
                evaluate_clocks(c, CLOCKS, calendar=CALENDAR, now=now) for c in data
            ],
            "Regime.evaluate": lambda: [REGIME.evaluate(c, calendar=BASE, now=now) for c in data],
        },
        baseline="hand-written",
        rounds=args.rounds,
    )
    print(f"FCA DISP, 300 cases, Python {platform.python_version()}, {args.rounds} rounds")
    table(results, unit="ms")
    return {
        "clocks: evaluate_clocks / hand-written (target <= 1.5)": results["evaluate_clocks"].ratio,
        "clocks: Regime.evaluate / hand-written (target <= 1.5)": results["Regime.evaluate"].ratio,
    }


if __name__ == "__main__":
    for label, value in main().items():
        print(f"{label}: {value:.2f}")
