"""Scale out: the CFPB mapping, scoring and portfolio KPIs as a Dask bag pipeline.

Run with ``python examples/portfolio_dask.py`` (needs ``pip install "dask[bag]"``).
recoverykit never ships a parallel runner: its values are pure and picklable, so an existing
engine maps them. Rows are partitioned by complaint id, each partition is mapped and reduced
to a small summary, and the summaries are combined; the same code runs on a laptop (Dask's
local scheduler, here) or on a cluster. The test suite checks that the numbers equal the
single-process ones from ``summarise``.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from recoverykit import Case, score
from recoverykit.interop.cfpb import cases_from_cfpb

DATA = Path(__file__).parent / "data" / "cfpb"
NOW = datetime(2016, 1, 1, tzinfo=UTC)


def read_rows() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in sorted(DATA.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as fh:
            rows += csv.DictReader(fh)
    return rows


def summarise(rows: Iterable[Mapping[str, str | None]]) -> Counter[str]:
    """Map rows to cases and count what the report needs: one partition's partial result."""
    batch = cases_from_cfpb(rows)
    totals: Counter[str] = Counter(cases=len(batch.cases), row_errors=len(batch.errors))
    for case in batch.cases:
        totals[f"state:{case.state}"] += 1
        totals[f"channel:{case.complaint.channel.value}"] += 1
        totals[f"band:{score(case, now=NOW).band.value}"] += 1
        totals.update(t for t in case.complaint.tags if t.startswith(("timely:", "disputed:")))
    return totals


def complaint_id(row: Mapping[str, str]) -> str:
    return row.get("Complaint ID") or row.get("complaint_id") or ""


def to_cases(rows: Iterable[Mapping[str, str | None]]) -> list[Case]:
    return list(cases_from_cfpb(rows).cases)


def run_on_dask(rows: list[dict[str, str]], partitions: int = 8) -> Counter[str]:
    import dask
    import dask.bag as db

    bag = db.from_sequence(rows, npartitions=partitions)
    by_id = bag.groupby(lambda r: int(complaint_id(r) or 0) % partitions, npartitions=partitions)
    partials = by_id.map(lambda group: summarise(group[1]))
    with dask.config.set(scheduler="processes", num_workers=2):
        return partials.fold(lambda a, b: a + b, initial=Counter()).compute()


def cases_through_workers(rows: list[dict[str, str]]) -> list[Case]:
    """Build cases in worker processes and bring them back: every case crosses a process
    boundary by pickling, exactly as on a cluster."""
    import dask
    import dask.bag as db

    bag = db.from_sequence(rows, npartitions=4).map_partitions(to_cases)
    with dask.config.set(scheduler="processes", num_workers=2):
        return list(bag.compute())


def main() -> None:
    rows = read_rows()
    totals = run_on_dask(rows)
    for key in sorted(totals):
        print(f"{key:<32} {totals[key]:>7,}")
    sample = rows[:500]
    same = cases_through_workers(sample) == to_cases(sample)
    print(f"cases built in worker processes equal local ones: {same}")


if __name__ == "__main__":
    main()
