"""The mistakes a newcomer makes first, and the exact message each gets: what was wrong,
where, and what to write instead (issue 16). A change of wording is a change of API."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from recoverykit import Channel, Complaint, CustomerRef, Money, loads
from recoverykit import events as ev
from recoverykit.errors import DeserializationError, ValidationError

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_an_enum_value_given_as_its_string():
    with pytest.raises(ValidationError) as caught:
        Complaint(id="C", customer=CustomerRef("c"), channel="email", received_at=T0)  # type: ignore[arg-type]
    assert str(caught.value) == (
        "Complaint.channel: expected a Channel, got the string 'email': use Channel.EMAIL "
        "(or Channel('email'))"
    )


def test_an_unknown_enum_value_lists_the_known_ones():
    with pytest.raises(ValidationError) as caught:
        Complaint(id="C", customer=CustomerRef("c"), channel="pigeon", received_at=T0)  # type: ignore[arg-type]
    assert str(caught.value).startswith("Complaint.channel: expected a Channel ('phone', 'email', ")
    assert str(caught.value).endswith("got 'pigeon'")


def test_money_as_a_json_number():
    with pytest.raises(DeserializationError) as caught:
        loads('{"amount": 9.99, "currency": "GBP"}', Money)
    assert str(caught.value) == (
        "invalid payload (1 problem):\n- amount: expected a decimal string such as '12.50', "
        'got the number 9.99: write amounts as strings ("9.99") so that no reader '
        "rounds them through a float"
    )


def test_an_event_tagged_with_its_class_name():
    payload = '{"schema_version":3,"type":"Acknowledged","at":"2026-01-01T00:00:00+00:00"}'
    with pytest.raises(DeserializationError) as caught:
        loads(payload, ev.Event)
    assert str(caught.value) == (
        "invalid payload (1 problem):\n- type: unknown event type 'Acknowledged' (the tag of "
        "Acknowledged is 'complaint.acknowledged')"
    )


def test_tags_as_a_list_are_taken_and_one_string_is_not():
    complaint = Complaint(
        id="C", customer=CustomerRef("c"), channel=Channel.EMAIL, received_at=T0, tags=["vip"]
    )
    assert complaint.tags == ("vip",)
    with pytest.raises(ValidationError) as caught:
        Complaint(
            id="C", customer=CustomerRef("c"), channel=Channel.EMAIL, received_at=T0, tags="vip"
        )
    assert str(caught.value) == (
        "Complaint.tags: expected a tuple of str, got one str 'vip' (give a list or tuple of them)"
    )
