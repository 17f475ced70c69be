"""The docs' static parts and the examples, checked against the code."""

import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

from recoverykit import COMPLAINT_LIFECYCLE

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))


def test_lifecycle_diagram_in_docs_is_what_the_code_draws():
    text = (ROOT / "docs" / "lifecycle.md").read_text()
    (block,) = re.findall(r"```mermaid\n(.*?)```", text, flags=re.DOTALL)
    assert block == COMPLAINT_LIFECYCLE.to_mermaid()


def test_readme_starts_with_the_two_setup_commands():
    lines = (ROOT / "README.md").read_text().splitlines()
    block = lines[lines.index("```sh") + 1 : lines.index("```sh") + 3]
    assert block == [
        "python -m pip install . && python examples/quickstart.py",
        'python -m pip install -e ".[test]" && python -m pytest',
    ]


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_runs(path, capsys):
    runpy.run_path(str(path), run_name="__main__")
    assert capsys.readouterr().out.strip()


def test_app_extensions_output():
    out = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "app_extensions.py")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert out.splitlines() == [
        "Midsummer Eve 2026: Midsummer Eve",
        "legal review view: ingrid",
        # 10 working days after Monday 15 June 2026, Midsummer Eve (19 June) not counted.
        "answer due: 2026-06-30T17:00:00+02:00 -> met",
        "score: 83 ['base_retention', 'missing_apology', 'slow_legal_review']",
        "upcast from version 1: Owner(id='ingrid', team='legal')",
        "case round trip equal: True | same lifecycle: True",
        "view after the round trip: ingrid",
        "calendar, clock and ruleset round trip equal: [True, True, True]",
    ]


def test_quickstart_output():
    out = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "quickstart.py")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "ComplaintReceived    -> received" in out
    assert "Closed               -> closed" in out
    assert "remedies: [('R-1', 'delivered')]" in out
    assert "replays to the same case: True" in out
    assert "Sam Patel" not in out


# The scoring defaults table is checked by tests/test_scoring.py::test_docs_list_every_default.


def test_cfpb_example_counts_equal_the_csv(capsys):
    import csv
    from collections import Counter

    runpy.run_path(str(ROOT / "examples" / "cfpb_portfolio.py"), run_name="__main__")
    out = capsys.readouterr().out
    printed = dict(
        re.findall(
            r"^  (Closed[\w -]*?|In progress|Untimely response)\s+([\d,]+)$",
            out,
            flags=re.MULTILINE,
        )
    )
    expected: Counter[str] = Counter()
    for path in (ROOT / "examples" / "data" / "cfpb").glob("*.csv"):
        with path.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                expected[row.get("Company response") or row["company_response_to_consumer"]] += 1
    assert {k: int(v.replace(",", "")) for k, v in printed.items()} == dict(expected)
    assert "row errors: 0" in out


def test_dask_pipeline_equals_the_single_process_numbers():
    example = runpy.run_path(str(ROOT / "examples" / "portfolio_dask.py"))
    rows = example["read_rows"]()
    single = example["summarise"](rows)
    assert example["run_on_dask"](rows, partitions=4) == single
    assert single["cases"] == len(rows)
    sample = rows[:300]
    assert example["cases_through_workers"](sample) == example["to_cases"](sample)


def test_cases_docs_name_every_view():
    import attrs

    from recoverykit import Case

    text = (ROOT / "docs" / "cases.md").read_text()
    views = [f.name for f in attrs.fields(Case)][4:]
    assert [v for v in views if f"`{v}`" not in text] == []


def test_event_log_output():
    out = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "event_log.py")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert out.splitlines() == [
        "rows in: 6,660",
        "  = rows in histories 6,445 + deviations 215 + unattributed 0",
        "cases: 1,487; events in histories: 12,590",
        "hand-offs (a change of owner or team): 1,687",
        "final states: {'closed': 1484, 'withdrawn': 3}",
        "",
        "conformance with the default lifecycle",
        "  rows accepted: 6,445 of 6,660 (96.8%)",
        "  cases that replay cleanly: 1,426 of 1,487 (95.9%)",
        "  deviations by kind: {'invalid_transition': 215}",
        "  refused (state, event):",
        "    closed     OwnerAssigned           121",
        "    closed     InvestigationStarted     77",
        "    withdrawn  OwnerAssigned             7",
        "    closed     InformationRequested      6",
        "    closed     Acknowledged              1",
        "    withdrawn  Acknowledged              1",
        "    withdrawn  FinalResponseSent         1",
        "    withdrawn  InvestigationStarted      1",
        "  clock resolution_30_days: met 447, breached 1,040, undecided 0 (met rate 30.1%)",
        "  first deviation: row 644: InvestigationStarted is not allowed in state 'closed' "
        "(it is allowed in: received, acknowledged, investigating, awaiting_customer, "
        "responded, resolved)",
        "",
        "busiest teams (by the team that owns the case now)",
        "  team                  cases  hand-offs  ping-pong  reopened  breached",
        "  Org line C              573        657         10      0.0%     60.2%",
        "  Org line A2             402        253         10      0.0%     78.4%",
        "  Org line G3             224        596         25      0.0%     71.4%",
        "  Org line G4             183         73          4      0.0%     80.3%",
        "  Org line B               35         77          6      0.0%     74.3%",
        "  Org line V2              32          9          0      0.0%     75.0%",
        "",
        "new cases per 91 days of 2012, by team",
        "  Org line C            252   93",
        "  Org line A2           115   30",
        "  Org line G3            27   36",
        "  Org line G4            54    9",
        "",
        "records: 12,590; columns of the first: 18",
        "from_records(to_records(cases)) == cases: True",
    ]


def test_regulated_bank_says_why_each_clock_is_due():
    out = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "regulated_bank.py")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    why = out[out.index("-- why") :]
    # Edinburgh: Christmas Day and the substitute Boxing Day are skipped; the third business
    # day after Wednesday 23 December 2026 is Wednesday 30 December.
    assert (
        "CloseOfBusinessAfter(n=3) from Wed 23 Dec 2026 16:40: due Wed 30 Dec 2026 17:00; "
        "counted Thu 24 Dec, Tue 29 Dec, Wed 30 Dec; skipped Fri 25 Dec (Christmas Day), "
        "Mon 28 Dec (Boxing Day (substitute day))"
    ) in why
    assert "Weeks(n=8) from Wed 23 Dec 2026 16:40: due the end of Wed 17 Feb 2027" in why
    assert "Months(n=6) from Tue 09 Feb 2027 20:40: due the end of Mon 09 Aug 2027" in why
    assert "2nd January (substitute day)" in why  # Scotland's own holiday, 4 January 2027
    assert [line.split(":")[0] for line in why.splitlines() if not line.startswith(" ")] == [
        "-- why",
        "summary_resolution",
        "final_response",
        "ombudsman_referral",
    ]


def test_consumer_duty_example_output():
    out = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "consumer_duty.py")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    # The CFPB "Tags" column, counted in the CSV files themselves: 94 rows tagged Older
    # American (82 alone, 12 with Servicemember), 46 Servicemember alone.
    assert "older american       94        94      19       20.2%" in out
    assert "servicemember        46        46       9       19.6%" in out
    # 19/94 against 3746/18025: pooled p = 3765/18119, z = -0.14 (worked in the docs).
    assert "-0.6 points, z = -0.14, p = 0.892" in out
    assert "no evidence of a gap" in out
    assert "change -43.4%" in out
    assert "on 10,000.00 for 181 days, average 5.8108% a year, /365                288.15" in out
