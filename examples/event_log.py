"""A real event log in: Volvo IT's problem management (BPI Challenge 2013), nothing lost.

Run with ``python examples/event_log.py``. Reads the CSV in examples/data/bpic2013_problems
with the standard library, maps each activity (status-substatus) onto the default lifecycle
with `recoverykit.interop.eventlog.read_events`, shows that every row is accounted for, and
prints how well the log fits the lifecycle and a resolution clock (`conformance`).

Data: BPI Challenge 2013, closed problems (Ward Steeman, Volvo IT Belgium), 4TU.ResearchData,
doi:10.4121/uuid:c2c3b154-ab26-4b31-a0e8-8f2350ddac11.
"""

import csv
from datetime import datetime
from pathlib import Path

from recoverykit import Case, Clock, Outcome
from recoverykit import events as ev
from recoverykit.calendars import BusinessCalendar
from recoverykit.clocks import CalendarDays
from recoverykit.interop.eventlog import LogRow, conformance, read_events

DATA = Path(__file__).parent / "data" / "bpic2013_problems" / "bpic2013_closed_problems.csv"


def closed(case: Case, row: LogRow) -> ev.Event | list[ev.Event]:
    """Completed-Closed: a final response and closing; closing again only closes again.

    The log does not say whether the problem was the firm's fault, so the outcome is
    "not upheld" (no decision on fault is claimed).
    """
    if case.state in ("responded", "closed"):
        return ev.Closed(at=row.at, actor=row.resource)
    return [
        ev.FinalResponseSent(at=row.at, actor=row.resource, outcome=Outcome.NOT_UPHELD),
        ev.Closed(at=row.at, actor=row.resource),
    ]


# A plain mapping: one event (class) per status, and one callable for closing.
ACTIVITIES = {
    "Queued-Awaiting Assignment": ev.ActivityRecorded,
    "Accepted-Assigned": ev.Acknowledged,
    "Accepted-In Progress": ev.InvestigationStarted,
    "Accepted-Wait": ev.InformationRequested,
    "Completed-Closed": closed,
    "Completed-Cancelled": ev.Withdrawn,
    "Unmatched-Unmatched": ev.ActivityRecorded,
}

# 30 calendar days from the first row to closing, in Brussels (the log has no SLA of its
# own: a target to show clock breaches beside the process fit).
RESOLUTION = Clock(name="resolution_30_days", target=CalendarDays(30), stop_on=[ev.Closed])
CALENDAR = BusinessCalendar("Europe/Brussels")
NOW = datetime.fromisoformat("2012-06-30T00:00:00+02:00")  # after the last row of the log


def main() -> None:
    with DATA.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    log = read_events(rows, activities=ACTIVITIES)

    print(f"rows in: {log.rows:,}")
    print(
        f"  = rows in histories {log.rows_in_histories:,} + deviations {len(log.deviations):,}"
        f" + unattributed {len(log.errors):,}"
    )
    print(f"cases: {len(log.cases):,}; events in histories: {log.events_in_histories:,}")
    print(f"hand-offs (a change of owner or team): {sum(c.handoffs for c in log.cases):,}")
    states: dict[str, int] = {}
    for case in log.cases:
        states[case.state] = states.get(case.state, 0) + 1
    print("final states:", dict(sorted(states.items())))

    report = conformance(log, clocks=[RESOLUTION], calendar=CALENDAR, now=NOW)
    print("\nconformance with the default lifecycle")
    print(f"  rows accepted: {report.events_accepted:,} of {report.events:,} ({report.fitness}%)")
    print(
        f"  cases that replay cleanly: {report.cases_clean:,} of {report.cases:,}"
        f" ({report.case_fitness}%)"
    )
    print("  deviations by kind:", dict(report.by_kind))
    print("  refused (state, event):")
    for state, event, count in report.by_transition:
        print(f"    {state:<10} {event:<22} {count:>4}")
    for rate in report.clocks:
        print(
            f"  clock {rate.clock}: met {rate.met:,}, breached {rate.breached:,},"
            f" undecided {rate.undecided:,} (met rate {rate.rate}%)"
        )
    first = log.deviations[0]
    print(f"  first deviation: row {first.row_number}: {first.message.split(';')[0]}")

    # --- per-team figures: portfolio(log.cases, by="team", ...) (issue 12, item 5) ---
    # --- themes over time: analytics.theme_series(...) (issue 12, item 5) ---
    # --- records round trip: from_records(to_records(log.cases)) == log.cases (item 4) ---


if __name__ == "__main__":
    main()
