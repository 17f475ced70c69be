from datetime import timedelta

import attrs
import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from recoverykit import (
    COMPLAINT_LIFECYCLE,
    BusinessCalendar,
    Case,
    Clock,
    Complaint,
    Money,
    Owner,
    Transition,
    ValidationError,
    replay,
)
from recoverykit import events as ev
from recoverykit import strategies as rks


@given(rks.histories(min_size=1, max_size=20))
def test_histories_replay_and_every_prefix_replays(history):
    assert isinstance(history[0], ev.ComplaintReceived)
    assert 1 <= len(history) <= 20
    case = replay(history)
    assert case.history == history
    for end in range(1, len(history)):
        assert replay(history[:end]).history == history[:end]
    times = [e.at for e in history]
    assert times == sorted(times)
    assert all(t.tzinfo is not None for t in times)


@given(rks.histories(min_size=3, max_size=8, end_states={"closed", "withdrawn"}))
def test_histories_can_end_in_chosen_states(history):
    assert replay(history).state in {"closed", "withdrawn"}


@attrs.frozen(kw_only=True)
class LegalReviewStarted(ev.Event):
    event_type = "test.strategies.legal_review"
    lawyer: str
    urgent: bool = False


LEGAL = COMPLAINT_LIFECYCLE.with_state(
    "legal_review",
    transitions=[
        Transition(LegalReviewStarted, {"investigating"}, "legal_review"),
        Transition(ev.FinalResponseSent, {"legal_review"}, "responded"),
    ],
    stays_like="investigating",
)


@settings(max_examples=60)
@given(rks.histories(LEGAL, min_size=4, max_size=25, end_states={"closed"}))
def test_histories_work_with_an_apps_own_lifecycle_and_events(history):
    case = replay(history, lifecycle=LEGAL)
    assert case.state == "closed"
    for event in history:
        if isinstance(event, LegalReviewStarted):
            assert isinstance(event.lawyer, str)


def test_an_unreachable_end_state_is_a_clear_error():
    def never(case, event):
        return "closing is disabled"

    stuck = COMPLAINT_LIFECYCLE.with_transition(
        ev.Closed, {"responded", "resolved", "withdrawn"}, "closed", guards=[never], replace=True
    ).without_state("referred")

    # Generation only: shrinking an error raised while drawing would take minutes.
    @settings(max_examples=3, database=None, phases=[Phase.generate])
    @given(rks.histories(stuck, max_size=3, end_states={"closed"}))
    def check(history):
        pass

    with pytest.raises(ValidationError, match="end_states: could not reach closed from"):
        check()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: rks.histories(min_size=0), "need 1 <= min_size <= max_size"),
        (lambda: rks.histories(min_size=5, max_size=2), "need 1 <= min_size <= max_size"),
        (lambda: rks.histories(end_states={"limbo"}), "unknown or no end states: \\['limbo'\\]"),
        (lambda: rks.histories(end_states=()), "unknown or no end states"),
        (lambda: rks.money(currencies=[]), "give at least one ISO 4217 code"),
        (lambda: rks.money(currencies=["GBP", "EURO"]), "'EURO' is not an ISO 4217 code"),
    ],
)
def test_arguments_are_checked_eagerly(call, message):
    with pytest.raises(ValidationError, match=message):
        call()


@given(rks.money(currencies=["JPY"], max_amount=5))
def test_money_respects_its_arguments(m):
    assert m.currency == "JPY"
    assert 0 <= m.amount <= 5


@given(rks.events())
def test_events_are_valid_events(event):
    assert isinstance(event, ev.Event)


@given(
    st.from_type(Complaint),
    st.from_type(Owner),
    st.from_type(Money),
    st.from_type(Case),
    st.from_type(BusinessCalendar),
    st.from_type(Clock),
)
def test_strategies_are_registered_for_from_type(complaint, owner, money, case, calendar, clock):
    # Registered by the hypothesis entry point in pyproject.toml.
    assert complaint.received_at.tzinfo is not None
    assert isinstance(owner, Owner)
    assert isinstance(money, Money)
    assert replay(case.history) == case
    assert isinstance(calendar, BusinessCalendar)
    assert calendar.add_business_days(case.received_at.date(), 1) > case.received_at.date()
    assert isinstance(clock, Clock)


@given(rks.calendars(), rks.aware_datetimes(), st.integers(0, 400))
def test_generated_calendars_do_arithmetic(calendar, start, n):
    day = calendar.add_business_days(start.date(), n)
    assert calendar.business_days_between(start.date(), day) == n
    due = calendar.add_business_hours(start, timedelta(hours=n))
    assert calendar.business_time_between(start, due) == timedelta(hours=n)


def test_importing_strategies_first_in_a_fresh_interpreter_works():
    # hypothesis' entry point runs while hypothesis is imported: it must not import
    # recoverykit.strategies back in the middle of that import.
    import subprocess
    import sys

    code = (
        "from recoverykit import strategies as rks, Complaint\n"
        "from hypothesis import strategies as st, given, settings\n"
        "@settings(max_examples=5, database=None)\n"
        "@given(st.from_type(Complaint), rks.histories(max_size=3))\n"
        "def t(c, h): assert isinstance(c, Complaint)\n"
        "t()\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.stdout.strip() == "ok", out.stderr
