"""Strategies for single values (complaints, money, calendars, clocks, ...); re-exported
by `recoverykit.strategies`, which adds event histories and cases."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from recoverykit import events as ev
from recoverykit._currencies import ISO_4217
from recoverykit.calendars import (
    BusinessCalendar,
    EasterOffset,
    FixedDate,
    HolidayRules,
    NthWeekday,
    Observance,
    OneOff,
)
from recoverykit.clocks import (
    BusinessDays,
    BusinessHours,
    CalendarDays,
    Clock,
    CloseOfBusinessAfter,
    LaterOf,
    Months,
    Suspension,
    Weeks,
)
from recoverykit.complaint_lifecycle import COMPLAINT_LIFECYCLE
from recoverykit.errors import InvalidType, ValidationError
from recoverykit.model import (
    Channel,
    Complaint,
    CustomerRef,
    Money,
    Owner,
    Remedy,
    RemedyKind,
    RemedyScope,
    Severity,
    Survey,
    Vulnerability,
    VulnerabilityDriver,
)

__all__ = [
    "aware_datetimes",
    "calendars",
    "clocks",
    "complaints",
    "money",
    "owners",
    "remedies",
    "surveys",
]

# Naive bounds on purpose: st.datetimes takes naive bounds and attaches the zones itself.
_EPOCH_MIN = datetime(2000, 1, 1)  # noqa: DTZ001
_EPOCH_MAX = datetime(2049, 12, 31)  # noqa: DTZ001


def _names() -> st.SearchStrategy[str]:
    return st.from_regex(r"[A-Za-z][A-Za-z0-9 _.'-]{0,15}", fullmatch=True).map(str.strip)


def _ids(prefix: str) -> st.SearchStrategy[str]:
    return st.integers(1, 10**6).map(lambda n: f"{prefix}-{n}")


def _require(value: object, kind: type | tuple[type, ...], path: str, what: str) -> None:
    """Arguments are checked eagerly, as hypothesis' own strategies do."""
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise InvalidType(path, f"expected {what}, got {type(value).__name__}")


def _codes(currencies: object) -> list[str]:
    if currencies is None:
        return sorted(ISO_4217)
    if isinstance(currencies, str) or not isinstance(currencies, Iterable):
        raise InvalidType("currencies", f"expected ISO 4217 codes, got {type(currencies).__name__}")
    codes: list[str] = []
    for code in currencies:
        _require(code, str, "currencies", "ISO 4217 codes (str)")
        codes.append(code)
    return codes


def aware_datetimes(
    *, min_value: datetime = _EPOCH_MIN, max_value: datetime = _EPOCH_MAX
) -> st.SearchStrategy[datetime]:
    """Timezone-aware datetimes in IANA zones (DST gaps and folds included)."""
    for value, path in ((min_value, "min_value"), (max_value, "max_value")):
        _require(value, datetime, path, "a naive datetime bound")
    return st.datetimes(min_value=min_value, max_value=max_value, timezones=st.timezones())


def money(
    *, currencies: Sequence[str] | None = None, max_amount: Decimal = Decimal(10**7)
) -> st.SearchStrategy[Money]:
    """Exact amounts with two decimal places in the given ISO 4217 currencies."""
    codes = _codes(currencies)
    _require(max_amount, (Decimal, int), "max_amount", "a Decimal")
    if not codes:
        raise ValidationError("currencies", "give at least one ISO 4217 code")
    unknown = [c for c in codes if c not in ISO_4217]
    if unknown:
        raise ValidationError("currencies", f"{unknown[0]!r} is not an ISO 4217 code")
    if (isinstance(max_amount, Decimal) and not max_amount.is_finite()) or max_amount < 0:
        raise ValidationError("max_amount", f"expected a finite amount >= 0, got {max_amount}")
    cents = st.integers(0, int(max_amount * 100))
    return st.builds(lambda c, code: Money(Decimal(c) / 100, code), cents, st.sampled_from(codes))


def owners() -> st.SearchStrategy[Owner]:
    return st.builds(Owner, _ids("staff"), st.one_of(st.none(), _names()))


def surveys() -> st.SearchStrategy[Survey]:
    maybe = st.one_of
    return st.builds(
        Survey,
        nps=maybe(st.none(), st.integers(0, 10)),
        csat=maybe(st.none(), st.integers(1, 5)),
        ces=maybe(st.none(), st.integers(1, 7)),
        comment=maybe(st.none(), _names()),
        ratings=st.dictionaries(_names(), st.integers(1, 5), max_size=3),
    )


def remedies(*, currencies: Sequence[str] | None = None) -> st.SearchStrategy[Remedy]:
    money(currencies=currencies)  # checks the argument now, not when drawing
    """Remedies of every kind; financial ones may carry a value."""

    def build(kind: RemedyKind, value: Money | None, **kw: Any) -> Remedy:
        return Remedy(value=value if kind.is_financial else None, kind=kind, **kw)

    return st.builds(
        build,
        id=_ids("R"),
        kind=st.sampled_from(list(RemedyKind)),
        scope=st.sampled_from(list(RemedyScope)),
        value=st.one_of(st.none(), money(currencies=currencies)),
        description=st.one_of(st.none(), _names()),
    )


def complaints(
    *, received_at: st.SearchStrategy[datetime] | None = None
) -> st.SearchStrategy[Complaint]:
    """Complaints from every channel, with and without personal data."""
    vulnerability = st.builds(
        Vulnerability,
        st.frozensets(st.sampled_from(list(VulnerabilityDriver)), min_size=1),
        caused_by_failure=st.booleans(),
        notes=st.one_of(st.none(), _names()),
    )
    flags = st.one_of(
        st.fixed_dictionaries({"vulnerable": st.booleans()}),
        st.fixed_dictionaries({"vulnerable": st.just(value=True), "vulnerability": vulnerability}),
    )
    customer = flags.flatmap(
        lambda flag: st.builds(
            CustomerRef,
            _ids("cust"),
            name=st.one_of(st.none(), _names()),
            email=st.one_of(
                st.none(), _names().map(lambda n: n.replace(" ", ".") + "@example.com")
            ),
            phone=st.none(),
            contact_allowed=st.booleans(),
            anonymous=st.booleans(),
            **{k: st.just(v) for k, v in flag.items()},
        )
    )
    return st.builds(
        Complaint,
        id=_ids("C"),
        customer=customer,
        channel=st.sampled_from(list(Channel)),
        received_at=received_at or aware_datetimes(),
        summary=st.one_of(st.none(), _names()),
        category=st.one_of(st.none(), st.sampled_from(["billing", "delivery", "service"])),
        product=st.one_of(st.none(), _names()),
        severity=st.sampled_from(list(Severity)),
        claimed_loss=st.one_of(st.none(), money(currencies=["GBP", "EUR", "USD"])),
        desired_remedy=st.one_of(st.none(), st.sampled_from(list(RemedyKind))),
        tags=st.lists(_names(), max_size=3).map(tuple),
        external_id=st.one_of(st.none(), _names()),
    )


# -- calendars and clocks -------------------------------------------------------------------


def _holiday_rules() -> st.SearchStrategy[HolidayRules]:
    obs = st.sampled_from(list(Observance))
    rule = st.one_of(
        st.builds(FixedDate, _names(), st.integers(1, 12), st.integers(1, 28), obs),
        st.builds(
            NthWeekday,
            _names(),
            st.integers(1, 12),
            st.integers(0, 6),
            st.sampled_from([1, 2, 3, 4, -1]),
            obs,
        ),
        st.builds(EasterOffset, _names(), st.integers(-50, 60), obs),
        st.builds(OneOff, _names(), st.dates(date(2000, 1, 1), date(2049, 12, 31)), obs),
    )
    cancelled = st.frozensets(st.dates(date(2000, 1, 1), date(2049, 12, 31)), max_size=3)
    return st.builds(HolidayRules, st.lists(rule, max_size=6), cancelled)


def calendars() -> st.SearchStrategy[BusinessCalendar]:
    """Calendars in IANA zones with random working weeks, hours and holidays."""
    interval = st.sampled_from(
        [(time(9), time(17)), (time(8), time(12)), (time(0), time(0)), (time(13, 30), time(22))]
    )
    hours = st.dictionaries(st.integers(0, 6), interval.map(lambda i: [i]), min_size=1)
    dates = st.frozensets(st.dates(date(2000, 1, 1), date(2049, 12, 31)), max_size=10)
    sources = st.lists(st.one_of(_holiday_rules(), dates), max_size=2)
    return st.builds(
        BusinessCalendar, st.timezones(), hours=hours, holidays_from=sources, name=_names()
    )


# Every built-in event type but the opening one, by tag.
_EVENT_TYPES = sorted(
    (
        cls
        for cls in (getattr(ev, name) for name in ev.__all__)
        if isinstance(cls, type)
        and issubclass(cls, ev.Event)
        and cls not in (ev.Event, ev.ComplaintReceived)
    ),
    key=lambda c: c.event_type,
)


def clocks() -> st.SearchStrategy[Clock]:
    """Clocks with every kind of target, on the default lifecycle's events and states."""
    n = st.integers(0, 60)
    target = st.one_of(
        st.builds(BusinessDays, n),
        st.builds(CloseOfBusinessAfter, n),
        st.builds(CalendarDays, n),
        st.builds(Weeks, st.integers(0, 12)),
        st.builds(Months, st.integers(0, 12)),
        st.builds(BusinessHours, st.integers(0, 100), st.integers(0, 59)),
    )
    target = st.one_of(
        target, st.builds(LaterOf, target, st.dates(date(2000, 1, 1), date(2040, 1, 1)))
    )
    suspension = st.builds(
        Suspension,
        name=_names(),
        first_day=st.dates(date(2000, 1, 1), date(2040, 1, 1)),
        last_day=st.dates(date(2040, 1, 2), date(2041, 1, 1)),
        received_from=st.none() | st.dates(date(2000, 1, 1), date(2020, 1, 1)),
        tags=st.frozensets(_names(), max_size=2),
        reference=_names(),
    )
    types = st.lists(st.sampled_from(_EVENT_TYPES), min_size=1, max_size=3)
    return st.builds(
        Clock,
        name=_names(),
        target=target,
        stop_on=types,
        start_on=types,
        pause_in=st.frozensets(st.sampled_from(COMPLAINT_LIFECYCLE.states), max_size=2),
        restart_on=st.lists(st.sampled_from([ev.Reopened, ev.ReplySent]), max_size=1),
        warning=st.one_of(st.none(), st.integers(0, 48).map(lambda h: timedelta(hours=h))),
        warning_in_working_time=st.booleans(),
        receipt_next_business_day=st.booleans(),
        suspensions=st.lists(suspension, max_size=2),
    )
