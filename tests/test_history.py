"""A case's shared history (`recoverykit._history.History`): `Case.apply` in O(1), never a
case seeing another case's events.

The oracle is a plain tuple built alongside, and `replay` of the same events.
"""

from __future__ import annotations

import pickle
import threading
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoverykit import Case, Channel, Complaint, CustomerRef, open_case, replay
from recoverykit import events as ev
from recoverykit._history import History
from recoverykit.errors import InvalidEvent, InvalidType
from recoverykit.strategies import histories

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def note(i: int) -> ev.ActivityRecorded:
    return ev.ActivityRecorded(at=T0 + timedelta(minutes=i), name=f"note {i}")


def started() -> Case:
    complaint = Complaint(
        id="C-1", customer=CustomerRef("c-1"), channel=Channel.EMAIL, received_at=T0
    )
    return open_case(complaint)


class TestHistory:
    def test_worked_example_of_sharing_and_branching(self):
        a = History.of([note(0)])
        assert a.as_tuple() is a._events  # built whole: a tuple, no second copy
        b = a.plus(note(1))  # the first append copies the tuple into a list
        c = b.plus(note(2))
        assert b._events is c._events  # a line of appends shares one list
        d = b.plus(note(3))  # b is not at the end any more: a branch copies
        assert d._events is not b._events
        assert list(a) == [note(0)]
        assert list(b) == [note(0), note(1)]
        assert c.as_tuple() == (note(0), note(1), note(2))
        assert d.as_tuple() == (note(0), note(1), note(3))
        assert c != d
        assert hash(c) == hash(History.of(c.as_tuple()))

    def test_sequence_protocol(self):
        h = History.of([note(0), note(1), note(2)]).plus(note(3))
        assert len(h) == 4
        assert (h[0], h[-1], h[-4]) == (note(0), note(3), note(0))
        assert h[1:3] == (note(1), note(2))
        assert note(2) in h
        assert h.index(note(2)) == 2
        assert list(reversed(h)) == [note(3), note(2), note(1), note(0)]
        with pytest.raises(IndexError):
            h[4]
        assert repr(History.of([])) == "History([])"
        assert History.of(h) is h
        assert (h == (note(0),)) is False  # compares with histories only

    def test_pickles(self):
        h = History.of([note(0)]).plus(note(1))
        assert pickle.loads(pickle.dumps(h)) == h

    @given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 1000)), max_size=60))
    def test_any_tree_of_appends_matches_tuples(self, steps):
        """Append to any earlier history, in any order: each sees only its own prefix."""
        nodes: list[tuple[History, tuple[ev.Event, ...]]] = [(History.of([]), ())]
        for parent, label in steps:
            history, expected = nodes[parent % len(nodes)]
            event = note(label)
            nodes.append((history.plus(event), (*expected, event)))
        for history, expected in nodes:
            assert history.as_tuple() == expected
            assert tuple(history) == expected
            assert len(history) == len(expected)

    def test_concurrent_applies_to_one_case_do_not_mix(self):
        base = started()
        results: dict[int, Case] = {}

        def work(k: int) -> None:
            case = base
            for i in range(200):
                case = case.apply(note(k * 1000 + i))
            results[k] = case

        threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for k, case in results.items():
            assert case.history[1:] == tuple(note(k * 1000 + i) for i in range(200))


class TestCaseHistory:
    def test_history_is_a_tuple_and_equal_cases_hash_alike(self):
        case = started().apply(note(1))
        assert type(case.history) is tuple
        again = replay(case.history)
        assert again == case
        assert hash(again) == hash(case)
        assert Case(case.complaint, case.lifecycle, case.state, list(case.history)) == Case(
            case.complaint, case.lifecycle, case.state, case.history
        )

    def test_an_older_case_applied_again_branches(self):
        base = started().apply(note(1))
        left = base.apply(note(2))
        right = base.apply(note(3))  # base's history was extended by left: right copies
        assert (left.history[-1], right.history[-1]) == (note(2), note(3))
        assert base.history == (base.history[0], note(1))
        assert len(left.history) == len(right.history) == 3

    def test_a_refused_event_leaves_the_shared_history_alone(self):
        base = started().apply(note(5))
        with pytest.raises(InvalidEvent):
            base.apply(note(1))  # earlier than the last event: refused
        assert base.apply(note(6)).history[-1] == note(6)
        assert len(base.history) == 2

    @settings(max_examples=40)
    @given(histories(min_size=2, max_size=12), st.integers(1, 6))
    def test_long_histories_apply_equals_replay(self, history, rounds):
        """Apply a long history event by event (repeating a valid history's tail of
        activities): every intermediate case equals the replay of its prefix."""
        case = replay(history[:1])
        events = list(history[1:])
        last = history[-1].at
        if ev.ActivityRecorded in replay(history).allowed_events():
            more = range(rounds * 40)
            events += [ev.ActivityRecorded(at=last + timedelta(minutes=i), name="n") for i in more]
        for i, event in enumerate(events, 2):
            case = case.apply(event)
            if i % 37 == 0 or i == len(events) + 1:
                assert case == replay(history[:1] + tuple(events[: i - 1]))
        assert case.history == (history[0], *events)


def test_a_based_draft_reads_views_from_its_case_and_nothing_else():
    """Case.apply's draft holds what the projection assigned and reads other views from
    the case; a name that is no view is an AttributeError, as on any object."""
    from recoverykit.case import _draft_of

    case = started().apply(note(1))
    draft = _draft_of(case)
    assert draft.reopen_count == 0  # read from the case
    draft.reopen_count = 3
    assert draft.reopen_count == 3  # the draft's own
    assert case.reopen_count == 0
    with pytest.raises(AttributeError, match="history"):
        draft.history  # noqa: B018 - a case property, not a draft view


def test_a_case_built_on_something_not_a_history_says_so():
    case = started()
    for bad in (5, "events", None):
        with pytest.raises(InvalidType, match=r"^Case.history: expected an iterable of events"):
            Case(case.complaint, case.lifecycle, case.state, bad)  # type: ignore[arg-type]
