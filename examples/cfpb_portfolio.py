"""A real portfolio: the US CFPB complaint database extracts, mapped and reported on.

Run with ``python examples/cfpb_portfolio.py``. Reads the CSV files in examples/data/cfpb
with the standard library, maps every row with `recoverykit.interop.cfpb`, and prints the
response categories, the portfolio report and any rows that could not be mapped.
"""

import csv
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from recoverykit import Case
from recoverykit import events as ev
from recoverykit.interop.cfpb import cases_from_cfpb
from recoverykit.metrics import portfolio

DATA = Path(__file__).parent / "data" / "cfpb"


def response_category(case: Case) -> str:
    """Read the CFPB response category back from the case's events."""
    if any(isinstance(e, ev.HoldingReplySent) for e in case.history):
        return "In progress"
    if case.final_response is None:
        return "Untimely response"
    if case.remedies:
        kind = case.remedies[0].remedy.kind.value
        return {
            "compensation": "Closed with monetary relief",
            "repair": "Closed with non-monetary relief",
        }.get(kind, "Closed with relief")
    return "Closed with explanation" if case.final_response.explanation else "Closed"


def main() -> None:
    cases, errors = [], []
    for path in sorted(DATA.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as fh:
            batch = cases_from_cfpb(csv.DictReader(fh))
        cases += batch.cases
        errors += [(path.name, e) for e in batch.errors]
        print(f"{path.name}: {len(batch.cases):,} cases, {len(batch.errors)} row errors")

    print("\nresponse categories:")
    for category, count in sorted(Counter(response_category(c) for c in cases).items()):
        print(f"  {category:<34} {count:>6,}")

    timely = Counter(t for c in cases for t in c.complaint.tags if t.startswith("timely:"))
    print(f"\ntimely responses: {timely['timely:yes']:,} of {sum(timely.values()):,}")

    report = portfolio(cases, now=datetime(2016, 1, 1, tzinfo=UTC), by="channel")
    print(f"\nportfolio of {report.cases:,} cases")
    print("  by state:  ", dict(report.by_state))
    print("  by channel:", dict(report.by_channel))
    print("  score bands:", dict(report.bands))
    for channel, group in report.groups:
        print(f"  {channel:<20} {group.cases:>6,} cases, reopen rate {group.reopen_rate}%")

    print(f"\nrow errors: {len(errors)}")
    for name, error in errors[:10]:
        print(f"  {name} row {error.row_number}: {'; '.join(error.errors)}")


if __name__ == "__main__":
    main()
