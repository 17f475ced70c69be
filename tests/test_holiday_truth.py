"""Holiday truth: the built-in calendars against the `holidays` package, 1995-2045.

For every built-in calendar and every year from 1995 to 2045 the test compares two sets of
dates:

- ours: the weekdays (Monday to Friday, the built-ins' working days) that are not business
  days, so the holidays that cost a working day (`BusinessCalendar.is_business_day`);
- the package's: the dates ``holidays.country_holidays(...)`` lists for that year that fall
  on a weekday.

Only weekdays are compared, on both sides. The package lists a holiday on the Saturday or
Sunday it falls on *and* on its observed (substitute) weekday; a calendar only needs the
day that is not worked. Dropping weekend dates drops nothing that matters: a disagreement
about which weekday is the observed one still shows up as a weekday difference.

Every difference must be in `ACCEPTED`, with the side that lists the day, the reason and the
source that decides it; an `ACCEPTED` entry that no longer occurs fails too, so the table
cannot go stale. docs/holidays.md shows the same table and the UK one-offs; both are checked
here against this table and the built-ins.

US federal is compared with the package's ``GOVERNMENT`` category (federal holidays of the
federal government, with executive-order closures); its ``PUBLIC`` category is the
holidays of the country at large and has no closures. The US built-in deliberately has no
executive-order closures (see docs/holidays.md), so every closure is an accepted difference.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

import attrs
import pytest

from recoverykit import calendars
from recoverykit.calendars import BusinessCalendar, HolidayRules, OneOff

YEARS = range(1995, 2046)
WEEKDAYS = frozenset(range(5))
# The accepted differences below are those of this release of the package's data.
HOLIDAYS_MINVERSION = "0.109"
DOCS = Path(__file__).resolve().parents[1] / "docs" / "holidays.md"

Side = Literal["built-in", "holidays"]


@attrs.frozen
class Accepted:
    """A known difference: ``side`` lists ``day`` as a weekday holiday, the other does not."""

    calendar: str
    day: date
    side: Side
    reason: str
    source: str


_US_EO = "closure of executive departments by executive order, not a legal public holiday"
_US_HALF = "half-day closure by executive order: a working day, not a holiday"

# Keep in step with the table in docs/holidays.md (test_docs_table_is_the_accepted_table).
ACCEPTED: tuple[Accepted, ...] = (
    Accepted(
        "scotland",
        date(1995, 5, 1),
        "built-in",
        "Scotland kept the early May bank holiday on 1 May 1995 and had 8 May as well; "
        "the package moves it to 8 May as in the rest of the UK",
        "Royal Proclamation under the Banking and Financial Dealings Act 1971 for 1995, "
        "as stated in HC Deb 2 March 1995 vol 255 c709W",
    ),
    Accepted(
        "scotland",
        date(2006, 11, 30),
        "holidays",
        "St Andrew's Day is a bank holiday from 2007: the Act had Royal Assent on 15 January 2007",
        "Banking and Financial Dealings Act 1971 Sch. 1 para 2, as amended by the "
        "St Andrew's Day Bank Holiday (Scotland) Act 2007",
    ),
    Accepted("us_federal", date(2001, 12, 24), "holidays", _US_EO, "E.O. 13238; 5 U.S.C. 6103(a)"),
    Accepted(
        "us_federal", date(2002, 12, 24), "holidays", _US_HALF, "E.O. 13281; 5 U.S.C. 6103(a)"
    ),
    Accepted("us_federal", date(2003, 12, 26), "holidays", _US_EO, "E.O. 13320; 5 U.S.C. 6103(a)"),
    Accepted(
        "us_federal",
        date(2004, 6, 11),
        "holidays",
        f"{_US_EO} (national day of mourning, President Reagan)",
        "E.O. 13343; 5 U.S.C. 6103(a)",
    ),
    Accepted(
        "us_federal",
        date(2007, 1, 2),
        "holidays",
        f"{_US_EO} (national day of mourning, President Ford)",
        "E.O. 13421; 5 U.S.C. 6103(a)",
    ),
    Accepted("us_federal", date(2007, 12, 24), "holidays", _US_EO, "E.O. 13453; 5 U.S.C. 6103(a)"),
    Accepted("us_federal", date(2008, 12, 26), "holidays", _US_EO, "E.O. 13482; 5 U.S.C. 6103(a)"),
    Accepted(
        "us_federal", date(2009, 12, 24), "holidays", _US_HALF, "E.O. 13523; 5 U.S.C. 6103(a)"
    ),
    Accepted("us_federal", date(2012, 12, 24), "holidays", _US_EO, "E.O. 13633; 5 U.S.C. 6103(a)"),
    Accepted("us_federal", date(2014, 12, 26), "holidays", _US_EO, "E.O. 13682; 5 U.S.C. 6103(a)"),
    Accepted(
        "us_federal", date(2015, 12, 24), "holidays", _US_HALF, "E.O. 13713; 5 U.S.C. 6103(a)"
    ),
    Accepted(
        "us_federal",
        date(2018, 12, 5),
        "holidays",
        f"{_US_EO} (national day of mourning, President George H. W. Bush)",
        "E.O. 13852; 5 U.S.C. 6103(a)",
    ),
    Accepted("us_federal", date(2018, 12, 24), "holidays", _US_EO, "E.O. 13854; 5 U.S.C. 6103(a)"),
    Accepted("us_federal", date(2019, 12, 24), "holidays", _US_EO, "E.O. 13900; 5 U.S.C. 6103(a)"),
    Accepted("us_federal", date(2020, 12, 24), "holidays", _US_EO, "E.O. 13965; 5 U.S.C. 6103(a)"),
    Accepted("us_federal", date(2024, 12, 24), "holidays", _US_EO, "E.O. 14129; 5 U.S.C. 6103(a)"),
    Accepted(
        "us_federal",
        date(2025, 1, 9),
        "holidays",
        f"{_US_EO} (national day of mourning, President Carter)",
        "E.O. 14133; 5 U.S.C. 6103(a)",
    ),
    Accepted("us_federal", date(2025, 12, 24), "holidays", _US_EO, "E.O. 14371; 5 U.S.C. 6103(a)"),
    Accepted("us_federal", date(2025, 12, 26), "holidays", _US_EO, "E.O. 14371; 5 U.S.C. 6103(a)"),
)

BUILTINS: dict[str, Callable[[], BusinessCalendar]] = {
    "england_and_wales": calendars.england_and_wales,
    "scotland": calendars.scotland,
    "northern_ireland": calendars.northern_ireland,
    "us_federal": calendars.us_federal,
}


def package_holidays(pkg: Any, calendar: str) -> Any:
    """The package's holidays that correspond to a built-in, for all `YEARS`."""
    years = list(YEARS)
    if calendar == "us_federal":
        return pkg.country_holidays("US", years=years, categories=(pkg.GOVERNMENT,))
    subdiv = {"england_and_wales": "ENG", "scotland": "SCT", "northern_ireland": "NIR"}
    return pkg.country_holidays("GB", subdiv=subdiv[calendar], years=years)


def days_of(year: int) -> Iterator[date]:
    day = date(year, 1, 1)
    while day.year == year:
        yield day
        day += timedelta(days=1)


def differences(cal: BusinessCalendar, theirs: Any) -> dict[tuple[date, Side], str]:
    """Every weekday holiday that only one side has, with the name that side gives it."""
    assert cal.working_weekdays == WEEKDAYS  # what "weekday" means below
    found: dict[tuple[date, Side], str] = {}
    for year in YEARS:
        ours = {d for d in days_of(year) if d.weekday() in WEEKDAYS and not cal.is_business_day(d)}
        other = {d for d in theirs if d.year == year and d.weekday() in WEEKDAYS}
        names = dict(cal.holidays(year))
        for day in ours - other:
            found[day, "built-in"] = names.get(day, "?")
        for day in other - ours:
            found[day, "holidays"] = str(theirs.get(day))
    return found


@pytest.fixture(scope="module")
def holidays_package() -> Any:
    return pytest.importorskip(
        "holidays",
        minversion=HOLIDAYS_MINVERSION,
        reason=f"holidays>={HOLIDAYS_MINVERSION} is needed to check the built-in calendars",
    )


@pytest.mark.parametrize("calendar", list(BUILTINS))
def test_builtin_calendar_agrees_with_holidays_package(holidays_package, calendar):
    found = differences(BUILTINS[calendar](), package_holidays(holidays_package, calendar))
    accepted = {(a.day, a.side): a for a in ACCEPTED if a.calendar == calendar}
    who = {"built-in": "the built-in", "holidays": "the holidays package"}
    problems = [
        f"{calendar} {day} ({day:%a}): only {who[side]} has it ({name!r}); "
        "fix the built-in or add an ACCEPTED entry with its source"
        for (day, side), name in sorted(found.items())
        if (day, side) not in accepted
    ]
    problems += [
        f"{calendar} {a.day}: ACCEPTED ({a.side} only) no longer differs; remove the entry "
        "(and its row in docs/holidays.md)"
        for key, a in sorted(accepted.items())
        if key not in found
    ]
    assert not problems, "\n".join(problems)


def test_accepted_table_is_well_formed():
    keys = [(a.calendar, a.day) for a in ACCEPTED]
    assert len(keys) == len(set(keys)), "an ACCEPTED difference is listed twice"
    assert keys == sorted(keys, key=lambda k: (list(BUILTINS).index(k[0]), k[1]))
    for a in ACCEPTED:
        assert a.calendar in BUILTINS, a
        assert a.side in {"built-in", "holidays"}, a
        assert a.day.year in YEARS, a
        assert a.day.weekday() in WEEKDAYS, a  # weekend dates are never compared
        assert a.reason.strip(), a
        assert a.source.strip(), a


# -- the docs page ------------------------------------------------------------------------


def markdown_table(heading: str) -> list[list[str]]:
    """The rows (without header and rule) of the first table after ``heading``."""
    lines = DOCS.read_text(encoding="utf-8").splitlines()
    start = lines.index(heading)
    rows: list[list[str]] = []
    for line in lines[start + 1 :]:
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        elif rows:
            break
    assert len(rows) > 2, f"no table under {heading!r} in {DOCS}"
    assert set("".join(rows[1])) <= set("-: "), "the second row of a table is its rule"
    return rows[2:]


def plain(cell: str) -> str:
    return cell.replace("`", "")


def test_docs_table_is_the_accepted_table():
    rows = markdown_table("## Accepted differences")
    sides = {"built-in only": "built-in", "holidays only": "holidays"}
    documented = [
        Accepted(plain(cal), date.fromisoformat(day), sides[side], reason, source)
        for cal, day, side, reason, source in rows
    ]
    assert documented == list(ACCEPTED)


def _uk_rules(calendar: str) -> HolidayRules:
    (rules,) = BUILTINS[calendar]().holidays_from
    assert isinstance(rules, HolidayRules)
    return rules


def test_docs_uk_one_offs_are_the_builtins():
    uk = ("england_and_wales", "scotland", "northern_ireland")
    built: dict[tuple[date, str], set[str]] = {}
    cancelled = {(cal, day) for cal in uk for day in _uk_rules(cal).cancelled}
    for cal in uk:
        for rule in _uk_rules(cal).rules:
            if isinstance(rule, OneOff):
                built.setdefault((rule.day, rule.name), set()).add(cal)
    documented: dict[tuple[date, str], set[str]] = {}
    replaced: set[tuple[str, date]] = set()
    for day, cals, name, instead_of in markdown_table("## UK one-offs in the built-ins"):
        in_cals = {plain(c).strip() for c in cals.split(",")}
        documented[date.fromisoformat(day), name] = in_cals
        if instead_of != "-":
            replaced |= {(cal, date.fromisoformat(instead_of)) for cal in in_cals}
    assert documented == built
    assert replaced == cancelled


def test_docs_say_which_package_version_was_compared():
    text = DOCS.read_text(encoding="utf-8")
    assert re.search(rf"holidays[` ]*\s*{re.escape(HOLIDAYS_MINVERSION)}\b", text)
