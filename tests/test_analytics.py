"""recoverykit.analytics: themes, repeat complainants, related cases."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from recoverykit import (
    Channel,
    Complaint,
    CustomerRef,
    InvalidEvent,
    Outcome,
    Owner,
    RootCause,
    Severity,
    ValidationError,
    analytics,
    replay,
)
from recoverykit import events as ev
from recoverykit.analytics import (
    RepeatComplainant,
    Theme,
    ThemeSeries,
    related_cases,
    repeat_complainants,
    theme_series,
    themes,
)
from recoverykit.errors import InvalidType, UnknownName
from recoverykit.model import ANONYMOUS_CUSTOMER

from wrong_types import call_with_wrong_types, public_callables

T0 = datetime(2026, 6, 1, 8, tzinfo=UTC)
BUG = RootCause("RC-1", "Duplicate payment batch")


def at(hours):
    return T0 + timedelta(hours=hours)


def case_with(*events, cid="C-1", customer="cust-1", **kw):
    c = Complaint(
        id=cid,
        customer=CustomerRef(customer),
        channel=kw.pop("channel", Channel.EMAIL),
        received_at=kw.pop("received_at", T0),
        category=kw.pop("category", "billing"),
        **kw,
    )
    return replay([ev.ComplaintReceived(at=c.received_at, complaint=c), *events])


def final(t):
    return ev.FinalResponseSent(at=t, outcome=Outcome.UPHELD, apology=True)


def dated(cid, category, days_ago, now, customer="x"):
    return case_with(
        cid=cid, customer=customer, category=category, received_at=now - timedelta(days=days_ago)
    )


NOW = datetime(2026, 9, 1, tzinfo=UTC)


class TestThemes:
    def test_doubling_is_flagged(self):
        cases = [dated(f"B{i}", "billing", 1 + i % 29, NOW) for i in range(10)]
        cases += [dated(f"P{i}", "billing", 31 + i * 3, NOW) for i in range(12)]
        cases += [dated(f"D{i}", "delivery", 2 + i, NOW) for i in range(6)]
        cases += [dated(f"E{i}", "delivery", 32 + i, NOW) for i in range(15)]
        cases += [dated("old", "billing", 200, NOW), dated("future", "billing", -1, NOW)]
        billing, delivery = themes(cases, by="category", window=timedelta(days=30), now=NOW)
        assert (billing.key, billing.latest, billing.baseline_total, billing.flagged) == (
            "billing",
            10,
            12,
            True,
        )
        assert billing.baseline == 4
        assert (delivery.key, delivery.latest, delivery.flagged) == ("delivery", 6, False)

    def test_by_channel_product_and_root_cause(self):
        case = case_with(ev.RootCauseLinked(at=at(1), root_cause=BUG), product="card")
        now = T0 + timedelta(days=1)
        assert themes([case], by="channel", now=now, min_count=1)[0].key == "email"
        assert themes([case], by="product", now=now, min_count=1)[0].key == "card"
        assert themes([case], by="root_cause", now=now, min_count=1)[0].key == "RC-1"
        assert themes([case_with()], by="product", now=now) == ()

    def test_bad_arguments(self):
        with pytest.raises(ValidationError, match="'colour' is not a key to group by"):
            themes([], by="colour", now=NOW)  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match="window: must be positive"):
            themes([], window=timedelta(0), now=NOW)
        with pytest.raises(ValidationError, match="min_count: 0 is out of range, allowed >= 1"):
            themes([], min_count=0, now=NOW)


@given(
    st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(0, 130)), max_size=60),
    st.integers(1, 6),
    st.randoms(),
)
def test_themes_respect_the_minimum_and_ignore_order(rows, min_count, rnd):
    cases = [dated(f"C{i}", cat, days, NOW) for i, (cat, days) in enumerate(rows)]
    found = themes(cases, now=NOW, min_count=min_count)
    for theme in found:
        if theme.flagged:
            assert theme.latest >= min_count
            assert theme.latest * theme.baseline_windows >= 2 * theme.baseline_total
    shuffled = list(cases)
    rnd.shuffle(shuffled)
    assert themes(shuffled, now=NOW, min_count=min_count) == found


class TestCustomers:
    def test_repeat_complainants(self):
        cases = [
            dated("C1", "x", 50, NOW, customer="ann"),
            dated("C2", "x", 40, NOW, customer="ann"),
            dated("C3", "x", 35, NOW, customer="ann"),
            dated("C4", "x", 1, NOW, customer="ann"),
            dated("C5", "x", 10, NOW, customer="bob"),
        ]
        (ann,) = repeat_complainants(cases, window=timedelta(days=14))
        assert (ann.customer_id, ann.case_ids) == ("ann", ("C1", "C2", "C3"))
        assert repeat_complainants(cases, window=timedelta(days=1)) == ()
        with pytest.raises(ValidationError):
            repeat_complainants(cases, window=timedelta(days=1), min_cases=1)

    def test_related_cases_across_channels(self):
        phone = case_with(cid="P", customer="ann", channel=Channel.PHONE)
        chat = case_with(cid="Q", customer="ann", channel=Channel.LIVE_CHAT, received_at=at(30))
        old = case_with(cid="R", customer="ann", received_at=T0 - timedelta(days=90))
        closed = case_with(final(at(1)), ev.Closed(at=at(2)), cid="S", customer="ann")
        other = case_with(cid="T", customer="bob")
        found = related_cases(phone, [phone, chat, old, closed, other], window=timedelta(days=7))
        assert [c.id for c in found] == ["Q"]
        linked_phone = phone.apply(ev.CaseLinked(at=at(31), other_case_id="Q"))
        assert linked_phone.linked_cases == ("Q",)
        with pytest.raises(InvalidEvent, match="cannot be linked to itself"):
            phone.apply(ev.CaseLinked(at=at(31), other_case_id="P"))


# -- wrong types ----------------------------------------------------------------------------

ANALYTICS_CALLS = {
    "Theme": (
        Theme,
        {
            "key": "billing",
            "latest": 3,
            "baseline_total": 2,
            "baseline_windows": 3,
            "flagged": True,
        },
    ),
    "themes": (
        themes,
        {
            "cases": [case_with(), dated("D", "delivery", 40, NOW)],
            "by": "category",
            "window": timedelta(days=30),
            "now": NOW,
            "baseline_windows": 3,
            "min_count": 1,
            "ratio": 2,
        },
    ),
    "ThemeSeries": (ThemeSeries, {"key": "billing", "starts": (T0, NOW), "counts": (1, 0)}),
    "theme_series": (
        theme_series,
        {
            "cases": [case_with(), dated("D", "delivery", 40, NOW)],
            "by": "category",
            "window": timedelta(days=30),
            "start": NOW - timedelta(days=120),
            "now": NOW,
        },
    ),
    "themes(callable)": (
        themes,
        {
            "cases": [case_with(tags=("a", "b"))],
            "by": lambda c: c.complaint.tags,
            "now": NOW,
        },
    ),
    "RepeatComplainant": (RepeatComplainant, {"customer_id": "ann", "case_ids": ("C1", "C2")}),
    "repeat_complainants": (
        repeat_complainants,
        {"cases": [case_with(), case_with(cid="C-2")], "window": timedelta(days=7), "min_cases": 2},
    ),
    "related_cases": (
        related_cases,
        {"case": case_with(), "cases": [case_with(cid="C-2")], "window": timedelta(days=7)},
    ),
}


def test_every_public_analytics_callable_is_fed_wrong_types():
    assert public_callables(analytics) <= set(ANALYTICS_CALLS)
    assert analytics.MAX_WINDOWS == 100_000


@pytest.mark.parametrize("name", sorted(ANALYTICS_CALLS))
@given(data=st.data())
def test_wrong_types_raise_only_library_errors(name, data):
    target, valid = ANALYTICS_CALLS[name]
    call_with_wrong_types(data, target, valid)


class TestWrongTypes:
    def test_themes(self):
        with pytest.raises(InvalidType, match=r"by: expected a str \(category, channel"):
            themes([], by=["category"], now=NOW)  # type: ignore[arg-type]
        with pytest.raises(UnknownName, match="by: 'colour' is not a key to group by"):
            themes([], by="colour", now=NOW)  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match="window: expected a timedelta, got int 30"):
            themes([], window=30, now=NOW)  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match="ratio: expected an int >= 1, got float 1.5"):
            themes([], ratio=1.5, now=NOW)  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match="cases: expected an iterable of Case, got int 5"):
            themes(5, now=NOW)  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"cases\[1\]: expected Case, got NoneType"):
            themes([case_with(), None], now=NOW)  # type: ignore[list-item]

    def test_customers(self):
        with pytest.raises(ValidationError, match="min_cases: 1 is out of range, allowed >= 2"):
            repeat_complainants([], window=timedelta(days=1), min_cases=1)
        with pytest.raises(ValidationError, match="window: must be >= 0"):
            repeat_complainants([], window=timedelta(days=-1))
        with pytest.raises(InvalidType, match="case: expected Case, got str 'C-1'"):
            related_cases("C-1", [], window=timedelta(days=1))  # type: ignore[arg-type]

    def test_result_classes_check_their_fields(self):
        with pytest.raises(ValidationError, match="Theme.baseline_windows: 0 is out of range"):
            Theme("x", 1, 0, 0, flagged=False)
        with pytest.raises(InvalidType, match=r"RepeatComplainant.case_ids\[0\]: expected str"):
            RepeatComplainant("ann", (1,))  # type: ignore[arg-type]


# -- themes by owner, team, tags, severity or a callable ------------------------------------


def owned(cid, *owners, days_ago=1, tags=(), severity=Severity.MEDIUM):
    received = NOW - timedelta(days=days_ago)
    events = [
        ev.OwnerAssigned(at=received + timedelta(hours=i + 1), owner=o)
        for i, o in enumerate(owners)
    ]
    return case_with(*events, cid=cid, received_at=received, tags=tags, severity=severity)


class TestThemesByNewKeys:
    cases = (
        owned("A", Owner("ann", "billing"), tags=("app", "login")),
        owned("B", Owner("ann", "billing"), Owner("bob", "cards"), tags=("app",)),
        owned("C", Owner("cat"), tags=("app", "app"), severity=Severity.HIGH),
        owned("D", days_ago=40),
    )

    def counts(self, by):
        return [(t.key, t.latest, t.baseline_total) for t in themes(self.cases, by=by, now=NOW)]

    def test_owner_team_tags_severity(self):
        assert self.counts("owner") == [("ann", 1, 0), ("bob", 1, 0), ("cat", 1, 0)]
        assert self.counts("team") == [("billing", 1, 0), ("cards", 1, 0)]  # cat has no team
        assert self.counts("tags") == [("app", 3, 0), ("login", 1, 0)]
        assert self.counts("severity") == [("medium", 2, 1), ("high", 1, 0)]

    def test_callable(self):
        found = themes(self.cases, by=lambda c: [a.owner.id for a in c.ownership_history], now=NOW)
        assert [(t.key, t.latest) for t in found] == [("ann", 2), ("bob", 1), ("cat", 1)]
        with pytest.raises(InvalidType, match=r"by\(cases\[0\]\): expected a str or an iterable"):
            themes(self.cases, by=lambda c: None, now=NOW)


# -- themes as a time series ------------------------------------------------------------------


class TestThemeSeries:
    def test_worked_example(self):
        start = datetime(2026, 6, 1, tzinfo=UTC)
        now = datetime(2026, 6, 22, 12, tzinfo=UTC)  # three weeks and half a day: 4 windows

        def on(cid, category, when):
            return case_with(cid=cid, category=category, received_at=when)

        cases = [
            on("a1", "billing", start),  # the first instant of window 0
            on("a2", "billing", datetime(2026, 6, 7, 23, 59, tzinfo=UTC)),  # window 0
            on("a3", "billing", datetime(2026, 6, 8, tzinfo=UTC)),  # window 1 starts here
            on("a4", "billing", datetime(2026, 6, 22, 11, tzinfo=UTC)),  # window 3, partial
            on("b1", "delivery", datetime(2026, 6, 16, tzinfo=UTC)),  # window 2
            on("x1", "billing", datetime(2026, 5, 31, 23, tzinfo=UTC)),  # before start
            on("x2", "billing", now),  # at now: not yet
        ]
        billing, delivery = theme_series(cases, window=timedelta(days=7), start=start, now=now)
        weeks = tuple(start + timedelta(days=7 * k) for k in range(4))
        assert billing == ThemeSeries("billing", weeks, (2, 1, 0, 1))
        assert delivery == ThemeSeries("delivery", weeks, (0, 0, 1, 0))
        assert (billing.total, delivery.total) == (4, 1)

    def test_windows_are_instants_across_a_clock_change(self):
        london = ZoneInfo("Europe/London")
        start = datetime(2026, 3, 28, tzinfo=london)  # BST starts on Sunday 29 March
        now = datetime(2026, 3, 31, tzinfo=london)
        # 23:30 UTC on the 29th is 00:30 BST on the 30th: the wall clock says day 2, but only
        # 47.5 hours have passed since start (00:00 GMT on the 28th), so it is window 1.
        late = case_with(cid="L", received_at=datetime(2026, 3, 29, 23, 30, tzinfo=UTC))
        (series,) = theme_series([late], window=timedelta(days=1), start=start, now=now)
        assert series.counts == (0, 1, 0)
        assert series.starts == (
            start,
            datetime(2026, 3, 29, tzinfo=london),  # midnight GMT
            datetime(2026, 3, 30, 1, tzinfo=london),  # 00:00 UTC is 01:00 BST
        )
        assert [s.utcoffset() for s in series.starts] == [
            timedelta(0),
            timedelta(0),
            timedelta(hours=1),
        ]

    def test_by_tags_and_order(self):
        start = NOW - timedelta(days=2)
        cases = [
            case_with(cid="1", tags=("app",), received_at=NOW - timedelta(hours=1)),
            case_with(cid="2", tags=("web", "app"), received_at=NOW - timedelta(hours=30)),
            case_with(cid="3", tags=(), received_at=NOW - timedelta(hours=2)),
        ]
        found = theme_series(cases, by="tags", window=timedelta(days=1), start=start, now=NOW)
        assert [(s.key, s.counts) for s in found] == [("app", (1, 1)), ("web", (1, 0))]

    def test_errors(self):
        with pytest.raises(ValidationError, match=r"now: must be after start"):
            theme_series([], start=NOW, now=NOW)
        with pytest.raises(ValidationError, match="window: 0:00:01 makes 2592000 windows"):
            theme_series([], window=timedelta(seconds=1), start=NOW - timedelta(days=30), now=NOW)
        with pytest.raises(ValidationError, match="start: naive"):
            theme_series([], start=datetime(2026, 1, 1), now=NOW)
        with pytest.raises(UnknownName, match="by: 'colour' is not a key"):
            theme_series([], by="colour", start=T0, now=NOW)  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match="ThemeSeries.counts: 1 counts for 2 window"):
            ThemeSeries("x", (T0, NOW), (1,))
        with pytest.raises(ValidationError, match=r"ThemeSeries.counts\[0\]: -1 is not a count"):
            ThemeSeries("x", (T0,), (-1,))
        with pytest.raises(ValidationError, match=r"ThemeSeries.counts\[0\]: True is not a count"):
            ThemeSeries("x", (T0,), (True,))


@given(
    st.lists(st.tuples(st.sampled_from(["a", "b"]), st.integers(-5 * 24, 40 * 24)), max_size=40),
    st.integers(1, 10 * 24),
    st.randoms(),
)
def test_theme_series_matches_a_brute_force_count(rows, window_hours, rnd):
    start = NOW - timedelta(days=30)
    cases = [dated(f"C{i}", cat, 0, start + timedelta(hours=h)) for i, (cat, h) in enumerate(rows)]
    window = timedelta(hours=window_hours)
    found = theme_series(cases, window=window, start=start, now=NOW)
    # Oracle: walk the windows one by one.
    edges = []
    k = 0
    while start + k * window < NOW:
        edges.append((start + k * window, min(start + (k + 1) * window, NOW)))
        k += 1
    expected = {}
    for cat in {c for c, _ in rows}:
        counts = tuple(
            sum(
                1
                for c in cases
                if c.complaint.category == cat and lo <= c.complaint.received_at < hi
            )
            for lo, hi in edges
        )
        if any(counts):
            expected[cat] = counts
    assert {s.key: s.counts for s in found} == expected
    assert all(s.starts == tuple(lo for lo, _ in edges) for s in found)
    shuffled = list(cases)
    rnd.shuffle(shuffled)
    assert theme_series(shuffled, window=window, start=start, now=NOW) == found


# -- anonymous customers --------------------------------------------------------------------


class TestAnonymousCustomers:
    def test_never_repeat_complainants(self):
        anonymous = CustomerRef("unknown", anonymous=True)
        cases = [case_with(cid=f"A{i}", received_at=T0 + timedelta(days=i)) for i in range(3)]
        cases = [
            replay(
                [
                    ev.ComplaintReceived(
                        at=c.received_at, complaint=attrs.evolve(c.complaint, customer=anonymous)
                    )
                ]
            )
            for c in cases
        ]
        known = [
            case_with(cid=f"K{i}", customer="unknown", received_at=T0 + timedelta(days=i))
            for i in range(2)
        ]
        (found,) = repeat_complainants([*cases, *known], window=timedelta(days=7))
        # Only the two cases of the known customer whose id is also "unknown".
        assert (found.customer_id, found.case_ids) == ("unknown", ("K0", "K1"))
        assert repeat_complainants(cases, window=timedelta(days=7)) == ()

    def test_no_related_cases(self):
        def anon(cid, customer):
            c = Complaint(
                id=cid,
                customer=customer,
                channel=Channel.PHONE,
                received_at=T0,
            )
            return replay([ev.ComplaintReceived(at=T0, complaint=c)])

        first, second = anon("P", ANONYMOUS_CUSTOMER), anon("Q", ANONYMOUS_CUSTOMER)
        assert related_cases(first, [first, second], window=timedelta(days=7)) == ()
        named = anon("R", CustomerRef("anonymous"))  # a real customer with that id
        assert related_cases(named, [first, second, named], window=timedelta(days=7)) == ()
