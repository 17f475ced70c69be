from datetime import UTC, datetime
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from recoverykit import (
    Channel,
    Complaint,
    CustomerRef,
    FollowUp,
    Money,
    Owner,
    Remedy,
    RemedyKind,
    Severity,
    Survey,
    ValidationError,
    model,
    redact,
    replay,
)
from recoverykit import events as ev
from recoverykit.errors import InvalidType, UnknownName
from recoverykit.model import FollowUpPurpose, RemedyScope

from factories import T0, at, complaint, full_history
from wrong_types import call_with_wrong_types, public_callables


class TestValidation:
    def test_naive_datetime_rejected(self):
        with pytest.raises(ValidationError) as info:
            complaint(received_at=datetime(2026, 3, 2, 9, 30))
        assert info.value.path == "Complaint.received_at"
        assert info.value.message == (
            "naive datetime 2026-03-02T09:30:00, an offset or time zone is required"
        )

    def test_naive_event_time_rejected(self):
        with pytest.raises(ValidationError, match=r"^Acknowledged.at: naive datetime"):
            ev.Acknowledged(at=datetime(2026, 3, 2))

    def test_date_string_is_not_a_datetime(self):
        with pytest.raises(ValidationError, match="expected an aware datetime, got str"):
            ev.Closed(at="2026-03-02T09:30:00Z")  # type: ignore[arg-type]

    def test_naive_follow_up_due(self):
        with pytest.raises(ValidationError, match=r"^FollowUp.due_at: naive"):
            FollowUp("F", FollowUpPurpose.RESOLUTION_CHECK, datetime(2026, 1, 1))

    @pytest.mark.parametrize(
        ("amount", "message"),
        [
            (0.1, "expected Decimal, got float (use Decimal('12.50') or a string)"),
            ("ten", "'ten' is not a decimal number"),
            ("-1", "-1 is negative, amounts must be >= 0"),
            (Decimal("NaN"), "NaN is not a finite amount"),
            (Decimal("Infinity"), "Infinity is not a finite amount"),
            (True, "expected Decimal, got bool (use Decimal('12.50') or a string)"),
        ],
    )
    def test_bad_money_amounts(self, amount, message):
        with pytest.raises(ValidationError) as info:
            Money(amount, "GBP")
        assert info.value.path == "Money.amount"
        assert info.value.message == message

    @pytest.mark.parametrize("currency", ["EURO", "gbp", "UKP", ""])
    def test_bad_currency(self, currency):
        with pytest.raises(ValidationError) as info:
            Money("1", currency)
        assert info.value.message == f"{currency!r} is not an ISO 4217 code (e.g. 'GBP', 'EUR')"

    def test_currency_must_be_str(self):
        with pytest.raises(ValidationError, match="Money.currency: expected str, got int"):
            Money("1", 826)  # type: ignore[arg-type]

    def test_money_accepts_int_and_str_exactly(self):
        assert Money(5, "JPY").amount == Decimal(5)
        assert Money(" 12.50 ", "GBP").amount == Decimal("12.50")

    def test_money_addition(self):
        assert Money("1.10", "GBP") + Money("2.20", "GBP") == Money("3.30", "GBP")
        with pytest.raises(ValidationError, match="cannot add EUR to GBP"):
            Money("1", "GBP") + Money("1", "EUR")
        with pytest.raises(TypeError):
            Money("1", "GBP") + 1  # type: ignore[operator]
        assert str(Money("3.30", "GBP")) == "3.30 GBP"

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"nps": 11}, "Survey.nps: 11 is out of range, allowed 0..10"),
            ({"nps": -1}, "Survey.nps: -1 is out of range, allowed 0..10"),
            ({"csat": 0}, "Survey.csat: 0 is out of range, allowed 1..5"),
            ({"csat": 6}, "Survey.csat: 6 is out of range, allowed 1..5"),
            ({"ces": 8}, "Survey.ces: 8 is out of range, allowed 1..7"),
            ({"ces": 3.5}, "Survey.ces: expected int 1..7, got float"),
            ({"nps": True}, "Survey.nps: expected int 0..10, got bool"),
        ],
    )
    def test_survey_ranges(self, kwargs, message):
        with pytest.raises(ValidationError) as info:
            Survey(**kwargs)
        assert str(info.value) == message

    @given(nps=st.integers(0, 10), csat=st.integers(1, 5), ces=st.integers(1, 7))
    def test_survey_accepts_whole_ranges(self, nps, csat, ces):
        s = Survey(nps=nps, csat=csat, ces=ces)
        assert (s.nps, s.csat, s.ces) == (nps, csat, ces)

    def test_blank_ids_rejected(self):
        with pytest.raises(ValidationError, match=r"^Complaint.id: must not be empty or blank"):
            complaint(id="  ")
        with pytest.raises(ValidationError, match=r"^Owner.id: expected str, got int"):
            Owner(7)  # type: ignore[arg-type]

    def test_enum_fields_name_the_allowed_values(self):
        with pytest.raises(ValidationError) as info:
            complaint(channel="carrier pigeon")
        assert info.value.message.startswith("expected a Channel ('phone', 'email', 'web_form', ")
        assert info.value.message.endswith("got 'carrier pigeon'")

    def test_non_financial_remedy_has_no_value(self):
        with pytest.raises(ValidationError) as info:
            Remedy("R", RemedyKind.APOLOGY, value=Money("5", "GBP"))
        assert str(info.value) == (
            "Remedy.value: a 'apology' remedy has no money value; only compensation, credit, "
            "goodwill_gesture, refund do"
        )

    def test_optional_nested_value_type_checked(self):
        with pytest.raises(ValidationError, match="expected Money or None, got str"):
            complaint(claimed_loss="40 GBP")

    def test_flags_must_be_bool(self):
        with pytest.raises(ValidationError, match="CustomerRef.vulnerable: expected bool"):
            CustomerRef("c", vulnerable="yes")  # type: ignore[arg-type]

    def test_tags_are_a_tuple_of_str_from_any_iterable(self):
        with pytest.raises(ValidationError, match=r"^Complaint.tags\[1\]: expected str, got int"):
            complaint(tags=("a", 2))
        assert complaint(tags=["a", "b"]).tags == ("a", "b")
        assert complaint(tags=(t for t in "ab")).tags == ("a", "b")
        assert complaint(tags={"b", "a"}).tags == ("a", "b")  # a set: sorted, so equal sets agree
        with pytest.raises(ValidationError, match=r"^Complaint.tags: expected a tuple of str, got"):
            complaint(tags="vip")
        with pytest.raises(ValidationError, match=r"^Complaint.tags: expected a tuple, got dict"):
            complaint(tags={"vip": 1})  # type: ignore[arg-type]

    def test_values_are_frozen_and_slotted(self):
        c = complaint()
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            c.id = "x"  # type: ignore[misc]
        assert not hasattr(c, "__dict__")

    def test_defaults(self):
        c = Complaint(id="C", customer=CustomerRef("c"), channel=Channel.PHONE, received_at=T0)
        assert c.severity is Severity.MEDIUM
        assert (c.summary, c.claimed_loss, c.tags) == (None, None, ())
        assert Remedy("R", RemedyKind.REPAIR).scope is RemedyScope.INDIVIDUAL

    def test_enums_helpers(self):
        assert [s.rank for s in Severity] == [0, 1, 2, 3]
        assert RemedyKind.REFUND.is_financial
        assert not RemedyKind.REPAIR.is_financial


class TestPersonalData:
    def test_repr_hides_personal_fields(self):
        c = complaint()
        text = repr(c)
        assert "Charged twice" not in text
        assert "Sam Patel" not in text
        assert "sam@example.com" not in text
        assert "C-1" in text

    def test_redact_complaint(self):
        c = redact(complaint())
        assert c.summary is None
        assert c.customer.name is None
        assert c.customer.email is None
        assert c.customer.id == "cust-1"
        assert c.category == "billing"

    def test_redact_case_reaches_nested_events_and_views(self):
        case = replay(full_history())
        clean = redact(case)
        assert clean.complaint.summary is None
        assert clean.history[0].complaint.customer.email is None  # type: ignore[attr-defined]
        reopened = next(e for e in clean.history if isinstance(e, ev.Reopened))
        assert reopened.reason is None
        assert clean.state == case.state
        assert len(clean.history) == len(case.history)
        # what is not personal survives
        assert clean.remedies[0].remedy.value == Money("40.00", "GBP")

    def test_redact_returns_same_object_when_nothing_personal(self):
        owner = Owner("alex")
        assert redact(owner) is owner
        events = (ev.Closed(at=at(1)),)
        assert redact(events) is events
        assert redact("plain") == "plain"

    def test_redacted_survey_keeps_answers(self):
        s = redact(Survey(nps=3, comment="awful, call me on 0123"))
        assert s == Survey(nps=3)


def test_utc_and_offset_datetimes_both_accepted():
    c = complaint(received_at=datetime(2026, 1, 1, tzinfo=UTC))
    assert c.received_at.tzinfo is UTC


# -- wrong types ----------------------------------------------------------------------------

MONEY = Money("1.00", "GBP")

MODEL_CALLS = {
    **{
        enum_cls.__name__: (enum_cls, {"value": next(iter(enum_cls)).value})
        for enum_cls in (
            model.Channel,
            model.Severity,
            model.RemedyKind,
            model.RemedyScope,
            model.RemedyStatus,
            model.FollowUpPurpose,
            model.FollowUpOutcome,
            model.Outcome,
        )
    },
    "Money": (Money, {"amount": "1.00", "currency": "GBP"}),
    "Money.__add__": (MONEY.__add__, {"other": MONEY}),
    "CustomerRef": (
        CustomerRef,
        {
            "id": "c",
            "name": "n",
            "email": "e",
            "phone": "p",
            "vulnerable": True,
            "contact_allowed": True,
            "anonymous": True,
            "vulnerability": model.Vulnerability({"health"}),
        },
    ),
    "Vulnerability": (
        model.Vulnerability,
        {"drivers": ["health"], "caused_by_failure": True, "notes": "n"},
    ),
    "VulnerabilityDriver": (model.VulnerabilityDriver, {"value": "health"}),
    "Owner": (Owner, {"id": "o", "team": "t"}),
    "Remedy": (
        Remedy,
        {
            "id": "r",
            "kind": RemedyKind.REFUND,
            "scope": RemedyScope.INDIVIDUAL,
            "value": MONEY,
            "description": "d",
        },
    ),
    "FollowUp": (
        FollowUp,
        {
            "id": "f",
            "purpose": FollowUpPurpose.RESOLUTION_CHECK,
            "due_at": T0,
            "root_cause_id": "rc",
        },
    ),
    "Survey": (Survey, {"nps": 9, "csat": 4, "ces": 5, "comment": "c", "ratings": [("a", 3)]}),
    "Survey.rating": (Survey(ratings={"a": 3}).rating, {"dimension": "a"}),
    "RootCause": (model.RootCause, {"id": "rc", "title": "t", "category": "c"}),
    "Complaint": (
        Complaint,
        {
            "id": "C-1",
            "customer": CustomerRef("c"),
            "channel": Channel.EMAIL,
            "received_at": T0,
            "summary": "s",
            "category": "c",
            "product": "p",
            "severity": Severity.LOW,
            "claimed_loss": MONEY,
            "desired_remedy": RemedyKind.REFUND,
            "tags": ("t",),
            "external_id": "x",
        },
    ),
    "redact": (redact, {"obj": replay(full_history())}),
}


def test_every_public_model_callable_is_fed_wrong_types():
    assert public_callables(model) <= {name.split(".")[0] for name in MODEL_CALLS}


@pytest.mark.parametrize("name", sorted(MODEL_CALLS))
@given(data=st.data())
def test_wrong_types_raise_only_library_errors(name, data):
    target, valid = MODEL_CALLS[name]
    call_with_wrong_types(data, target, valid)


class TestWrongTypes:
    def test_survey_ratings_of_the_wrong_type(self):
        with pytest.raises(InvalidType, match="Survey.ratings: expected a mapping of dimension"):
            Survey(ratings=5)  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match="Survey.ratings: .*got str 'a3'"):
            Survey(ratings="a3")  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"Survey.ratings\[0\]: expected a dimension name"):
            Survey(ratings={5: 3})  # type: ignore[dict-item]
        with pytest.raises(InvalidType, match=r"Survey.ratings\['a'\]: expected an int 1..5"):
            Survey(ratings={"a": "3"})  # type: ignore[dict-item]
        with pytest.raises(InvalidType, match="dimension: expected str, got list"):
            Survey().rating([])  # type: ignore[arg-type]
        assert Survey(ratings=iter([("b", 2), ("a", 1)])).ratings == (("a", 1), ("b", 2))

    def test_currency_of_the_wrong_type(self):
        with pytest.raises(InvalidType, match="Money.currency: expected str, got int"):
            Money("1", 826)  # type: ignore[arg-type]

    def test_enum_lookups(self):
        with pytest.raises(UnknownName, match="Channel: 'pigeon' is not one of 'phone', 'email'"):
            Channel("pigeon")
        with pytest.raises(InvalidType, match="Severity: expected one of 'low'.*got int 3"):
            Severity(3)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="is not one of"):  # still the enum protocol
            RemedyKind("cash")
        assert Channel("fax") is Channel.FAX

    def test_adding_money_past_the_decimal_limits(self):
        huge = Money("9e999999", "GBP")
        with pytest.raises(ValidationError, match="Money.amount: .* is too large to add"):
            huge + huge
        assert MONEY.__add__(5) is NotImplemented  # type: ignore[operator]


# -- intake and outcome gaps (issue 12) -----------------------------------------------------


class TestIntakeGaps:
    def test_channel_other(self):
        assert Channel.OTHER.value == "other"
        assert Channel("other") is Channel.OTHER
        assert complaint(channel=Channel.OTHER).channel is Channel.OTHER

    def test_outcome_resolved_without_decision(self):
        assert model.Outcome("resolved_without_decision") is model.Outcome.RESOLVED_WITHOUT_DECISION
        assert [o.value for o in model.Outcome] == [
            "upheld",
            "partially_upheld",
            "not_upheld",
            "resolved_without_decision",
        ]

    def test_anonymous_customer(self):
        assert CustomerRef("anonymous", anonymous=True) == model.ANONYMOUS_CUSTOMER
        assert model.ANONYMOUS_CUSTOMER.known_id is None
        assert CustomerRef("c-1").known_id == "c-1"
        assert CustomerRef("c-1").anonymous is False
        walk_in = CustomerRef("walk-in", anonymous=True)
        assert (walk_in.id, walk_in.known_id) == ("walk-in", None)
        # Not personal data: kept by redact; left out of repr so reprs read as before.
        assert redact(walk_in).anonymous is True
        assert repr(walk_in) == "CustomerRef(id='walk-in', vulnerable=False, contact_allowed=True)"
        with pytest.raises(InvalidType, match="CustomerRef.anonymous: expected bool, got str"):
            CustomerRef("x", anonymous="yes")  # type: ignore[arg-type]

    @pytest.mark.parametrize("customer", [model.ANONYMOUS_CUSTOMER, CustomerRef("c-1")])
    def test_round_trips_through_serialization(self, customer):
        from recoverykit import serialization

        assert serialization.from_dict(serialization.to_dict(customer), CustomerRef) == customer
        data = serialization.to_dict(complaint(customer=customer, channel=Channel.OTHER))
        assert data["customer"]["anonymous"] is customer.anonymous
        assert data["channel"] == "other"
        back = serialization.loads(serialization.dumps(complaint(customer=customer)), Complaint)
        assert back.customer == customer
        assert back.customer.anonymous is customer.anonymous

    def test_payloads_without_the_flag_load_as_known_customers(self):
        from recoverykit import serialization

        loaded = serialization.from_dict({"id": "c-9"}, CustomerRef)
        assert (loaded.anonymous, loaded.known_id) == (False, "c-9")

    def test_resolved_without_decision_round_trips(self):
        from recoverykit import serialization

        sent = ev.FinalResponseSent(at=T0, outcome=model.Outcome.RESOLVED_WITHOUT_DECISION)
        data = serialization.to_dict(sent)
        assert data["outcome"] == "resolved_without_decision"
        assert serialization.from_dict(data, ev.Event) == sent


class TestVulnerability:
    """FCA FG21/1's four drivers, as sensitive personal data on the customer."""

    def customer(self) -> CustomerRef:
        return CustomerRef(
            "c-1",
            name="Ada",
            vulnerable=True,
            vulnerability=model.Vulnerability(
                ["health", model.VulnerabilityDriver.LIFE_EVENT],
                caused_by_failure=True,
                notes="recently bereaved; prefers letters",
            ),
        )

    def test_drivers_are_the_four_of_fg21_1(self) -> None:
        assert [d.value for d in model.VulnerabilityDriver] == [
            "health",
            "life_event",
            "resilience",
            "capability",
        ]
        assert self.customer().vulnerability.drivers == {  # type: ignore[union-attr]
            model.VulnerabilityDriver.HEALTH,
            model.VulnerabilityDriver.LIFE_EVENT,
        }

    def test_out_of_repr_and_removed_by_redact_which_keeps_the_flag(self) -> None:
        customer = self.customer()
        assert "bereaved" not in repr(customer)
        assert "health" not in repr(customer)
        assert "bereaved" not in repr(customer.vulnerability)
        redacted = redact(customer)
        assert redacted.vulnerability is None
        assert redacted.vulnerable is True

    def test_details_need_the_flag(self) -> None:
        with pytest.raises(ValidationError, match="CustomerRef.vulnerability: .*vulnerable=True"):
            CustomerRef("c", vulnerability=model.Vulnerability(["capability"]))

    def test_bad_drivers(self) -> None:
        with pytest.raises(ValidationError, match="at least one driver"):
            model.Vulnerability([])
        with pytest.raises(InvalidType, match="Vulnerability.drivers: expected an iterable"):
            model.Vulnerability("health")  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"Vulnerability.drivers\[0\]"):
            model.Vulnerability([3])  # type: ignore[list-item]
        with pytest.raises(UnknownName, match="'poverty'"):
            model.Vulnerability(["poverty"])

    def test_round_trips(self) -> None:
        from recoverykit import dumps, loads

        customer = self.customer()
        assert loads(dumps(customer), CustomerRef) == customer
