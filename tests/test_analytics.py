"""recoverykit.analytics: themes, repeat complainants, related cases."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recoverykit import (
    Channel,
    Complaint,
    CustomerRef,
    InvalidEvent,
    Outcome,
    RootCause,
    ValidationError,
    analytics,
    replay,
)
from recoverykit import events as ev
from recoverykit.analytics import (
    RepeatComplainant,
    Theme,
    related_cases,
    repeat_complainants,
    themes,
)
from recoverykit.errors import InvalidType, UnknownName

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
        with pytest.raises(ValidationError, match="'colour' is not one of category"):
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


@pytest.mark.parametrize("name", sorted(ANALYTICS_CALLS))
@given(data=st.data())
def test_wrong_types_raise_only_library_errors(name, data):
    target, valid = ANALYTICS_CALLS[name]
    call_with_wrong_types(data, target, valid)


class TestWrongTypes:
    def test_themes(self):
        with pytest.raises(InvalidType, match=r"by: expected a str \(category, product"):
            themes([], by=["category"], now=NOW)  # type: ignore[arg-type]
        with pytest.raises(UnknownName, match="by: 'colour' is not one of category"):
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
