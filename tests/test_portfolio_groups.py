"""portfolio() for real data: owner/team/tags/callable groups, hand-offs, ping-pong, breaches,
precomputed clock statuses, clocks chosen per case, and the first-contact rule."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from recoverykit import (
    Channel,
    Complaint,
    CustomerRef,
    Outcome,
    Owner,
    Severity,
    calendars,
    evaluate_clocks,
    metrics,
    replay,
)
from recoverykit import events as ev
from recoverykit.clocks import BusinessDays, Clock, ClockState, ClockStatus
from recoverykit.errors import InvalidType, UnknownName, ValidationError
from recoverykit.metrics import (
    PortfolioReport,
    ping_ponged,
    portfolio,
    resolved_at_first_contact,
)

from wrong_types import call_with_wrong_types

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)  # a Monday
NOW = datetime(2026, 6, 1, tzinfo=UTC)
EW = calendars.england_and_wales()


def at(hours):
    return T0 + timedelta(hours=hours)


def make(cid, *owners, tags=(), severity=Severity.MEDIUM, respond=None, investigate=False):
    """A case with one OwnerAssigned per owner (hours 1, 2, ...), optionally investigated
    and answered ``respond`` hours after receipt."""
    complaint = Complaint(
        id=cid,
        customer=CustomerRef(f"cust-{cid}"),
        channel=Channel.EMAIL,
        received_at=T0,
        severity=severity,
        tags=tags,
    )
    events = [ev.ComplaintReceived(at=T0, complaint=complaint)]
    events += [ev.OwnerAssigned(at=at(1 + i), owner=o) for i, o in enumerate(owners)]
    if investigate:
        events.append(ev.InvestigationStarted(at=at(len(owners) + 1)))
    if respond is not None:
        events.append(ev.FinalResponseSent(at=at(respond), outcome=Outcome.UPHELD, apology=True))
    return replay(events)


ANN, BOB, CAT = Owner("ann", "billing"), Owner("bob", "cards"), Owner("cat", "billing")
DAN = Owner("dan")  # no team

# The worked portfolio: five cases, three teams' worth of hand-offs.
#   P1: ann(billing)                              0 hand-offs, answered at 10h, no investigation
#   P2: ann(billing) -> bob(cards) -> cat(billing) 2 hand-offs, ping-pong (billing again)
#   P3: bob(cards) -> ann(billing)                 1 hand-off
#   P4: nobody                                     answered at 30h: first contact
#   P5: ann(billing) -> dan(no team) -> cat(billing) 2 hand-offs, not ping-pong (no team between)
P1 = make("P1", ANN, tags=("vip", "card"), respond=10)
P2 = make("P2", ANN, BOB, CAT, tags=("card", "card"), respond=40, investigate=True)
P3 = make("P3", BOB, ANN, respond=20)
P4 = make("P4", respond=30)
P5 = make("P5", ANN, DAN, CAT)
CASES = [P1, P2, P3, P4, P5]


class TestWorkedPortfolio:
    def test_totals(self):
        r = portfolio(CASES, now=NOW)
        assert (r.cases, r.handoffs, r.ping_pong, r.timed, r.breached) == (5, 5, 1, 0, 0)
        assert r.ping_pong_rate == Decimal("20.0")
        assert r.breach_rate is None  # no clock, no rate
        # P1 and P4 were answered with no investigation and no hand-off; P2 was investigated,
        # P3 handed off, P5 never answered.
        assert (r.responded, r.first_contact_resolutions) == (4, 2)
        assert r.first_contact_resolution_rate == Decimal("50.0")

    def test_by_team(self):
        r = portfolio(CASES, now=NOW, by="team")
        # Current teams: P1 billing, P2 billing, P3 billing, P4 none, P5 billing.
        assert [(k, g.cases, g.handoffs, g.ping_pong) for k, g in r.groups] == [
            ("(none)", 1, 0, 0),
            ("billing", 4, 5, 1),
        ]

    def test_by_owner(self):
        r = portfolio(CASES, now=NOW, by="owner")
        assert [(k, g.cases, g.handoffs, g.responded) for k, g in r.groups] == [
            ("(none)", 1, 0, 1),
            ("ann", 2, 1, 2),  # P1, P3
            ("cat", 2, 4, 1),  # P2, P5
        ]

    def test_by_tags_counts_each_distinct_tag_once(self):
        r = portfolio(CASES, now=NOW, by="tags")
        assert [(k, g.cases) for k, g in r.groups] == [("(none)", 3), ("card", 2), ("vip", 1)]
        # The whole report still counts each case once.
        assert r.cases == 5

    def test_by_callable_with_several_keys(self):
        def teams_ever(case):
            return [a.owner.team for a in case.ownership_history if a.owner.team]

        r = portfolio(CASES, now=NOW, by=teams_ever)
        # P2 and P3 had both teams; P1, P5 billing only; P4 none at all.
        assert [(k, g.cases) for k, g in r.groups] == [
            ("(none)", 1),
            ("billing", 4),
            ("cards", 2),
        ]
        one_key = portfolio(CASES, now=NOW, by=lambda c: "all")
        assert [(k, g.cases) for k, g in one_key.groups] == [("all", 5)]

    def test_existing_attributes_still_group(self):
        for by in ("category", "product", "desired_remedy", "channel", "severity"):
            r = portfolio(CASES, now=NOW, by=by)
            assert sum(g.cases for _, g in r.groups) == 5, by
        r = portfolio([*CASES, make("R", respond=1)], now=NOW, by="root_cause")
        assert [k for k, _ in r.groups] == ["(none)"]

    def test_positional_construction_still_works(self):
        r = portfolio(CASES, now=NOW)
        fields = [getattr(r, name) for name in [f.name for f in attrs.fields(PortfolioReport)][:19]]
        again = PortfolioReport(*fields)
        assert (again.handoffs, again.ping_pong, again.timed, again.breached) == (0, 0, 0, 0)
        assert again.groups == ()


class TestPingPong:
    @pytest.mark.parametrize(
        ("owners", "expected"),
        [
            ((), False),
            ((ANN,), False),
            ((ANN, BOB), False),
            ((ANN, CAT, BOB), False),  # billing, billing, cards: handed on, never back
            ((ANN, BOB, CAT), True),  # billing, cards, billing
            ((ANN, DAN, CAT), False),  # the teamless owner says nothing
            ((ANN, BOB, Owner("eve", "legal"), Owner("fay", "cards")), True),
            ((BOB, ANN, Owner("eve", "legal")), False),
        ],
    )
    def test_examples(self, owners, expected):
        assert ping_ponged(make("X", *owners)) is expected

    @given(st.lists(st.sampled_from(["a", "b", "c", None]), max_size=7))
    def test_matches_its_definition(self, teams):
        owners = [Owner(f"o{i}", team) for i, team in enumerate(teams)]
        # Oracle: the known teams with runs collapsed; a repeat is a ping-pong.
        runs = []
        for team in teams:
            if team is not None and (not runs or runs[-1] != team):
                runs.append(team)
        assert ping_ponged(make("X", *owners)) is (len(runs) != len(set(runs)))


class TestFirstContact:
    def test_default_rule(self):
        assert resolved_at_first_contact(P1) is True
        assert resolved_at_first_contact(P4) is True
        assert resolved_at_first_contact(P2) is False  # investigated
        assert resolved_at_first_contact(P3) is False  # handed off
        assert resolved_at_first_contact(P5) is False  # never answered

    def test_replaced(self):
        def same_day(case):
            return case.first_responded_at - case.received_at <= timedelta(hours=24)

        r = portfolio(CASES, now=NOW, first_contact=same_day)
        # Answered at 10h, 40h, 20h, 30h: P1 and P3 within a day; P5 not answered.
        assert (r.responded, r.first_contact_resolutions) == (4, 2)
        assert (
            portfolio(CASES, now=NOW, first_contact=lambda c: True).first_contact_resolutions == 4
        )

    def test_counted_only_among_the_responded_by_now(self):
        r = portfolio(CASES, now=at(25), first_contact=lambda c: True)
        assert (r.responded, r.first_contact_resolutions) == (2, 2)  # P1 at 10h, P3 at 20h

    def test_wrong_results(self):
        with pytest.raises(InvalidType, match=r"first_contact\(cases\[0\]\): expected a bool"):
            portfolio(CASES, now=NOW, first_contact=lambda c: 1)
        with pytest.raises(InvalidType, match="first_contact: expected a callable"):
            portfolio(CASES, now=NOW, first_contact=True)  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match="case: expected Case"):
            resolved_at_first_contact("P1")  # type: ignore[arg-type]


# -- clocks: given, chosen per case ---------------------------------------------------------

FIRST = Clock(name="first_reply", target=BusinessDays(1), stop_on=(ev.FinalResponseSent,))
FAST = Clock(name="resolve_fast", target=BusinessDays(1), stop_on=(ev.FinalResponseSent,))
SLOW = Clock(name="resolve_slow", target=BusinessDays(5), stop_on=(ev.FinalResponseSent,))


def by_severity(case):
    return (FAST,) if case.complaint.severity is Severity.HIGH else (SLOW,)


class TestClocks:
    cases = (
        make("H1", ANN, severity=Severity.HIGH, respond=5),  # Mon 14:00: met (due Tue 17:00)
        make("H2", ANN, severity=Severity.HIGH, respond=60),  # Wed 21:00: breached
        make("L1", BOB, respond=60),  # slow clock, 5 business days: met
        make("L2", BOB),  # never answered: breached by NOW
    )

    def test_clocks_chosen_per_case(self):
        r = portfolio(self.cases, clocks=by_severity, calendar=EW, now=NOW, by="owner")
        assert [(c.clock, c.met, c.breached, c.undecided) for c in r.clocks] == [
            ("resolve_fast", 1, 1, 0),
            ("resolve_slow", 1, 1, 0),
        ]
        assert (r.timed, r.breached, r.breach_rate) == (4, 2, Decimal("50.0"))
        assert [(k, g.breached, g.breach_rate) for k, g in r.groups] == [
            ("ann", 1, Decimal("50.0")),
            ("bob", 1, Decimal("50.0")),
        ]

    def test_no_clock_for_some_cases(self):
        def only_high(case):
            return by_severity(case) if case.complaint.severity is Severity.HIGH else ()

        r = portfolio(self.cases, clocks=only_high, calendar=EW, now=NOW)
        assert (r.cases, r.timed, r.breached, r.breach_rate) == (4, 2, 1, Decimal("50.0"))

    def test_statuses_given_are_used_as_they_are(self):
        given = {c.id: evaluate_clocks(c, by_severity(c), calendar=EW, now=NOW) for c in self.cases}
        evaluated = portfolio(self.cases, clocks=by_severity, calendar=EW, now=NOW, by="team")
        reused = portfolio(self.cases, statuses=given, calendar=EW, now=NOW, by="team")
        assert reused == evaluated
        # Nothing is re-evaluated: made-up statuses come out as they went in.
        made_up = {c.id: (ClockStatus(name="x", status=ClockState.MET),) for c in self.cases}
        r = portfolio(self.cases, statuses=made_up, now=NOW)
        assert [(c.clock, c.met) for c in r.clocks] == [("x", 4)]
        assert (r.timed, r.breached) == (4, 0)
        empty = portfolio(self.cases, statuses=dict.fromkeys(given, ()), now=NOW)
        assert (empty.clocks, empty.timed, empty.breach_rate) == ((), 0, None)

    def test_statuses_errors(self):
        with pytest.raises(
            UnknownName, match=r"statuses: no clock statuses for case 'H2' \(cases\[1\]\)"
        ):
            portfolio(self.cases, statuses={"H1": ()}, now=NOW)
        with pytest.raises(ValidationError, match="give clocks .* or statuses .*, not both"):
            portfolio(self.cases, clocks=[FIRST], statuses={}, calendar=EW, now=NOW)
        with pytest.raises(InvalidType, match="statuses: expected a mapping of case id"):
            portfolio(self.cases, statuses=[()], now=NOW)  # type: ignore[arg-type]
        bad = {c.id: () for c in self.cases} | {"L1": ("met",)}
        with pytest.raises(InvalidType, match=r"statuses\['L1'\]\[0\]: expected ClockStatus"):
            portfolio(self.cases, statuses=bad, now=NOW)  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"statuses\['H1'\]: expected a sequence"):
            portfolio(self.cases, statuses={"H1": 5}, now=NOW)  # type: ignore[dict-item]

    def test_clock_callable_errors(self):
        with pytest.raises(ValidationError, match="clocks need a calendar"):
            portfolio(self.cases, clocks=by_severity, now=NOW)
        with pytest.raises(InvalidType, match=r"clocks\(cases\[0\]\)\[0\]: expected Clock"):
            portfolio(self.cases, clocks=lambda c: ["fast"], calendar=EW, now=NOW)
        with pytest.raises(InvalidType, match=r"clocks\(cases\[0\]\): expected an iterable"):
            portfolio(self.cases, clocks=lambda c: None, calendar=EW, now=NOW)


class TestGroupingErrors:
    def test_unknown_and_wrong_types(self):
        with pytest.raises(UnknownName, match="by: 'colour' is not a key to group by .*team"):
            portfolio(CASES, now=NOW, by="colour")
        with pytest.raises(InvalidType, match=r"by: expected a str \(category, .*\) or a callable"):
            portfolio(CASES, now=NOW, by=5)  # type: ignore[arg-type]
        with pytest.raises(InvalidType, match=r"by\(cases\[0\]\): expected a str or an iterable"):
            portfolio(CASES, now=NOW, by=lambda c: 5)
        with pytest.raises(InvalidType, match=r"by\(cases\[0\]\): .*got an item int 1"):
            portfolio(CASES, now=NOW, by=lambda c: ["a", 1])


# -- properties -------------------------------------------------------------------------------

owners = st.sampled_from([ANN, BOB, CAT, DAN, Owner("eve", "legal")])
case_specs = st.lists(
    st.tuples(
        st.lists(owners, max_size=4),
        st.lists(st.sampled_from(["a", "b", "c"]), max_size=3),
        st.one_of(st.none(), st.integers(5, 400)),
    ),
    max_size=12,
)


def build(specs):
    out = []
    for i, (who, tags, respond) in enumerate(specs):
        # Consecutive equal owners are not a hand-off: the default lifecycle refuses them.
        chain = [o for j, o in enumerate(who) if j == 0 or who[j - 1] != o]
        out.append(make(f"G{i}", *chain, tags=tuple(tags), respond=respond))
    return out


@given(case_specs, st.sampled_from(["owner", "team", "tags", "channel", "severity"]))
def test_groups_match_a_brute_force_split(specs, by):
    cases = build(specs)
    report = portfolio(cases, now=NOW, by=by)

    def keys(case):  # the definition, written out again
        owner = case.owner
        found = {
            "owner": [owner.id] if owner else [],
            "team": [owner.team] if owner and owner.team else [],
            "tags": sorted(set(case.complaint.tags)),
            "channel": [case.complaint.channel.value],
            "severity": [case.complaint.severity.value],
        }[by]
        return found or ["(none)"]

    expected = {}
    for case in cases:
        for key in keys(case):
            expected.setdefault(key, []).append(case)
    assert [k for k, _ in report.groups] == sorted(expected)
    for key, group in report.groups:
        members = expected[key]
        assert group == portfolio(members, now=NOW)
        assert group.handoffs == sum(c.handoffs for c in members)
        assert group.ping_pong == sum(ping_ponged(c) for c in members)
    assert report.handoffs == sum(c.handoffs for c in cases)


# -- wrong types ------------------------------------------------------------------------------

FEW = CASES[:3]
CALLS = {
    "portfolio": (
        portfolio,
        {
            "cases": FEW,
            "clocks": by_severity,
            "calendar": EW,
            "now": NOW,
            "by": "team",
            "first_contact": resolved_at_first_contact,
        },
    ),
    "portfolio(statuses)": (
        portfolio,
        {
            "cases": FEW,
            "statuses": {c.id: (ClockStatus(name="x", status=ClockState.MET),) for c in FEW},
            "now": NOW,
            "by": lambda c: c.complaint.tags,
        },
    ),
    "ping_ponged": (ping_ponged, {"case": P2}),
    "resolved_at_first_contact": (resolved_at_first_contact, {"case": P1}),
}


@pytest.mark.parametrize("name", sorted(CALLS))
@given(data=st.data())
def test_wrong_types_raise_only_library_errors(name, data):
    target, valid = CALLS[name]
    call_with_wrong_types(data, target, valid)


def test_new_names_are_public():
    for name in ("ping_ponged", "resolved_at_first_contact", "KeyFunction"):
        assert name in metrics.__all__


def test_time_to_response_is_measured_in_instants():
    from zoneinfo import ZoneInfo

    london = ZoneInfo("Europe/London")
    received = datetime(2026, 3, 28, 12, tzinfo=london)  # GMT; BST starts on the 29th
    answered = datetime(2026, 3, 29, 12, tzinfo=london)  # BST: 23 hours later, not 24
    c = Complaint(id="Z", customer=CustomerRef("z"), channel=Channel.OTHER, received_at=received)
    case = replay(
        [
            ev.ComplaintReceived(at=received, complaint=c),
            ev.FinalResponseSent(at=answered, outcome=Outcome.RESOLVED_WITHOUT_DECISION),
        ]
    )
    report = portfolio([case], now=NOW)
    assert report.median_time_to_response == timedelta(hours=23)
