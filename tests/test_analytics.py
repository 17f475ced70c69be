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
    replay,
)
from recoverykit import events as ev
from recoverykit.analytics import related_cases, repeat_complainants, themes

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
