"""Regulatory regimes and SLA policies: named bundles of clocks, each citing its rule.

A regime does not pick a calendar: business days depend on where the firm operates (the
FCA's business days differ between England and Wales, Scotland and Northern Ireland), so the
app passes the calendar to `Regime.evaluate`. Regimes whose rule adds non-business days of
its own (the FCA's Christmas Day and Good Friday) add them to whatever calendar is given.

Where a rule needs an event the default lifecycle has no better name for, it uses:
`ReplySent` for an update to the customer, `HoldingReplySent` for a reply saying more time
is needed (the FCA payment-services holding reply, the CFPB's "in progress" response), and
`Reopened` for a customer's escalation after a response (Housing Ombudsman stage 2).

A regime's clocks name states and events of the default lifecycle (the helpdesk clocks pause
in ``awaiting_customer``). An app that derives its own lifecycle checks a regime against it
once, at start-up, with `Regime.check`; `Regime.evaluate` checks against the case's lifecycle
and refuses a clock that names a state or event it does not have.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from datetime import datetime, timedelta

import attrs

from recoverykit import _validation as v
from recoverykit import events as ev
from recoverykit.calendars import BusinessCalendar, EasterOffset, FixedDate, HolidayRules
from recoverykit.case import Case
from recoverykit.clocks import (
    BusinessDays,
    BusinessHours,
    CalendarDays,
    Clock,
    ClockStatus,
    CloseOfBusinessAfter,
    DeadlineKind,
    Extension,
    Months,
    Weeks,
    _check_calendar,
    _evaluate_all,
)
from recoverykit.clocks import _check as _clock_check
from recoverykit.clocks._kinds import _check_kind
from recoverykit.errors import InvalidType, UnknownName, ValidationError
from recoverykit.lifecycle import Lifecycle

__all__ = [
    "ASIC_RG271",
    "ASIC_RG271_HARDSHIP",
    "ASIC_RG271_SUPERANNUATION",
    "CBI_CPC",
    "CFPB",
    "FCA_CLOSED_DAYS",
    "FCA_DISP",
    "FCA_PAYMENTS",
    "HELPDESK",
    "HOUSING_OMBUDSMAN",
    "Regime",
    "asic_rg271",
    "fca_disp",
    "helpdesk_sla",
]


def _clocks(value: Iterable[Clock]) -> tuple[Clock, ...]:
    if isinstance(value, str | bytes | Clock) or not isinstance(value, Iterable):
        raise InvalidType(
            "Regime.clocks", f"expected an iterable of Clock, got {v.type_name(value)}"
        )
    clocks = tuple(value)
    for i, clock in enumerate(clocks):
        if not isinstance(clock, Clock):
            raise InvalidType(f"Regime.clocks[{i}]", f"expected a Clock, got {v.type_name(clock)}")
    return clocks


def _closed_days(
    instance: object, attribute: attrs.Attribute[HolidayRules | None], value: object
) -> None:
    # The same holiday sources a calendar accepts; a string is a container, not of dates.
    if value is not None and (
        isinstance(value, str | bytes) or not isinstance(value, HolidayRules | Container)
    ):
        v.fail_type(
            instance,
            attribute,
            f"expected HolidayRules, a Container of dates or None, got {v.type_name(value)}",
        )


@attrs.frozen(kw_only=True)
class Regime:
    """A named set of clocks and the rule they encode.

    ``closed_days`` are non-business days the rule itself adds to any calendar (FCA:
    Christmas Day and Good Friday, in every part of the UK).
    """

    name: str = attrs.field(validator=v.text())
    clocks: tuple[Clock, ...] = attrs.field(converter=_clocks)
    reference: str = attrs.field(validator=v.text())
    closed_days: HolidayRules | None = attrs.field(default=None, validator=_closed_days)

    def __attrs_post_init__(self) -> None:
        names = [c.name for c in self.clocks]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValidationError("Regime.clocks", f"duplicate clock names: {', '.join(dupes)}")

    def clock(self, name: str) -> Clock:
        """The clock called ``name``.

        Raises:
            InvalidType: ``name`` is not a string.
            UnknownName: the regime has no such clock (the message lists the known ones).
        """
        if not isinstance(name, str):
            raise InvalidType("name", f"expected a clock name (str), got {v.type_name(name)}")
        for c in self.clocks:
            if c.name == name:
                return c
        known = ", ".join(c.name for c in self.clocks)
        raise UnknownName("name", f"no clock {name!r} in {self.name}; known: {known}")

    def calendar_for(self, calendar: BusinessCalendar) -> BusinessCalendar:
        """``calendar`` with the regime's own non-business days added."""
        _check_calendar(calendar)
        return calendar if self.closed_days is None else calendar.union(self.closed_days)

    def evaluate(
        self, case: Case, *, calendar: BusinessCalendar, now: datetime
    ) -> tuple[ClockStatus, ...]:
        """Evaluate every clock of the regime on ``case`` at ``now``.

        Raises:
            InvalidType: an argument of the wrong type.
            UnknownName: a clock names a state or event type that ``case.lifecycle`` does not
                have (every one is listed, as by `check`).
            ValidationError: ``now`` is naive.
        """
        return _evaluate_all(case, self.clocks, self.calendar_for(calendar), now, "Regime.clocks")

    def check(self, lifecycle: Lifecycle) -> None:
        """Check that every state and event type the regime's clocks name is in ``lifecycle``.

        Every clock of the regime is checked (see `recoverykit.clocks.Clock.check` for what
        is known). Call it where the app pairs the regime with its own (derived) lifecycle.

        Raises:
            InvalidType: ``lifecycle`` is not a `Lifecycle`.
            UnknownName: one or more unknown names. With one, its path is where it is
                (``Regime.clocks[3].pause_in``); with several, the path is ``Regime.clocks``
                and the message lists each with its path.
        """
        lifecycle = _clock_check.lifecycle_arg(lifecycle)
        _clock_check.check(self.clocks, lifecycle, "Regime.clocks", indexed=True)


# -- UK Financial Conduct Authority ---------------------------------------------------------

#: FCA Glossary, "business day": not a Saturday or Sunday, Christmas Day, Good Friday or a
#: bank holiday (in the part of the UK concerned).
FCA_CLOSED_DAYS = HolidayRules(
    [FixedDate("Christmas Day", 12, 25), EasterOffset("Good Friday", -2)]
)

_OMBUDSMAN_REFERRAL = Clock(
    name="ombudsman_referral",
    target=Months(6),
    start_on=ev.FinalResponseSent,
    stop_on=ev.ReferredToOmbudsman,
    description=(
        "DISP 2.8.2R: the customer may refer the complaint to the Financial Ombudsman "
        "Service within six months of the final response. This is the customer's window: "
        "'breached' means it has closed, not that the firm failed."
    ),
)


def fca_disp(*, receipt_next_business_day: bool = False) -> Regime:
    """FCA DISP complaint handling (DISP 1.5, 1.6, 2.8).

    Args:
        receipt_next_business_day: Apply the DISP 1.5 guidance that a complaint received on
            a day that is not a business day, or after close of business, may be treated as
            received on the next business day. Off by default: the stricter reading.
    """
    if not isinstance(receipt_next_business_day, bool):
        raise InvalidType(
            "receipt_next_business_day",
            f"expected bool, got {v.type_name(receipt_next_business_day)}",
        )
    return Regime(
        name="FCA DISP",
        reference=(
            "FCA Handbook DISP 1.5.2R (summary resolution by close of business on the third "
            "business day following the day of receipt), DISP 1.6.2R (final response by the "
            "end of eight weeks after receipt), DISP 2.8.2R (six months to refer to the "
            "Financial Ombudsman Service)"
        ),
        closed_days=FCA_CLOSED_DAYS,
        clocks=[
            Clock(
                name="summary_resolution",
                target=CloseOfBusinessAfter(3),
                stop_on=(ev.FinalResponseSent, ev.ResolutionAccepted),
                receipt_next_business_day=receipt_next_business_day,
                description=(
                    "DISP 1.5: resolved by close of business on the third business day after "
                    "the day of receipt, the complaint may be closed with a summary resolution "
                    "communication. 'breached' means the full DISP 1.6 process applies."
                ),
            ),
            Clock(
                name="final_response",
                target=Weeks(8),
                stop_on=ev.FinalResponseSent,
                receipt_next_business_day=receipt_next_business_day,
                description="DISP 1.6.2R: a final response by the end of 8 weeks after receipt.",
            ),
            _OMBUDSMAN_REFERRAL,
        ],
    )


FCA_DISP = fca_disp()

FCA_PAYMENTS = Regime(
    name="FCA payment services and e-money (PSD2/EMD)",
    reference=(
        "FCA Handbook DISP 1.6.2AR: final response within 15 business days of receipt; in "
        "exceptional circumstances a holding reply and a final response within 35 business days"
    ),
    closed_days=FCA_CLOSED_DAYS,
    clocks=[
        Clock(
            name="final_response",
            target=BusinessDays(15),
            stop_on=ev.FinalResponseSent,
            extension=Extension(event=ev.HoldingReplySent, target=BusinessDays(35)),
            description=(
                "DISP 1.6.2AR: 15 business days; a holding reply sent within them (giving the "
                "reasons for the delay) extends the deadline to 35 business days."
            ),
        ),
        _OMBUDSMAN_REFERRAL,
    ],
)

# -- US Consumer Financial Protection Bureau ------------------------------------------------

CFPB = Regime(
    name="CFPB company response",
    reference=(
        "CFPB complaint process: companies respond within 15 calendar days; a company that "
        "cannot close the complaint in 15 days responds 'in progress' and gives a final "
        "response within 60 calendar days"
    ),
    clocks=[
        Clock(
            name="company_response",
            target=CalendarDays(15),
            stop_on=(ev.FinalResponseSent, ev.HoldingReplySent),
            description="15 calendar days for a response (a final one, or 'in progress').",
        ),
        Clock(
            name="final_response",
            target=CalendarDays(60),
            stop_on=ev.FinalResponseSent,
            description="60 calendar days for the final response.",
        ),
    ],
)

# -- Australia: ASIC Regulatory Guide 271 ---------------------------------------------------


def asic_rg271(days: int = 30, *, variant: str = "standard") -> Regime:
    """ASIC RG 271 internal dispute resolution timeframes.

    Args:
        days: The final-response period in calendar days: 30 (standard complaints), 21
            (default notices and hardship, RG 271.66) or 45 (superannuation, RG 271.63).
        variant: A label for the name.
    """
    if isinstance(days, bool) or not isinstance(days, int):
        raise InvalidType("days", f"expected int >= 0, got {v.type_name(days)}")
    if days < 0:
        raise ValidationError("days", f"{days} is negative, must be >= 0")
    if not isinstance(variant, str) or not variant.strip():
        raise InvalidType("variant", f"expected a non-empty str, got {v.type_name(variant)}")
    return Regime(
        name=f"ASIC RG 271 ({variant})",
        reference=(
            "ASIC Regulatory Guide 271: acknowledge within 24 hours or one business day "
            "(RG 271.54); IDR response within 30 calendar days, 21 for default notices and "
            "hardship, 45 for superannuation trustees (RG 271.58-271.66)"
        ),
        clocks=[
            Clock(
                name="acknowledgement",
                target=BusinessDays(1),
                stop_on=(ev.Acknowledged, ev.FinalResponseSent),
                description="Acknowledge within one business day (RG 271.54).",
            ),
            Clock(
                name="final_response",
                target=CalendarDays(days),
                stop_on=ev.FinalResponseSent,
                description=f"IDR response within {days} calendar days.",
            ),
        ],
    )


ASIC_RG271 = asic_rg271(30)
ASIC_RG271_HARDSHIP = asic_rg271(21, variant="default notice and hardship")
ASIC_RG271_SUPERANNUATION = asic_rg271(45, variant="superannuation")

# -- Ireland: Central Bank Consumer Protection Code -----------------------------------------

CBI_CPC = Regime(
    name="Central Bank of Ireland Consumer Protection Code",
    reference=(
        "Consumer Protection Code 2012, provision 10.9: acknowledge within 5 business days, "
        "update at intervals of no more than 20 business days, resolve within 40 business days"
    ),
    clocks=[
        Clock(
            name="acknowledgement",
            target=BusinessDays(5),
            stop_on=(ev.Acknowledged, ev.FinalResponseSent),
            description="CPC 10.9(b): written acknowledgement within 5 business days.",
        ),
        Clock(
            name="periodic_update",
            target=BusinessDays(20),
            stop_on=(ev.ReplySent, ev.FinalResponseSent),
            restart_on=ev.ReplySent,
            description="CPC 10.9(d): a regular update at least every 20 business days.",
        ),
        Clock(
            name="final_response",
            target=BusinessDays(40),
            stop_on=ev.FinalResponseSent,
            description="CPC 10.9(e): resolve within 40 business days.",
        ),
    ],
)

# -- UK Housing Ombudsman Complaint Handling Code ------------------------------------------

HOUSING_OMBUDSMAN = Regime(
    name="Housing Ombudsman Complaint Handling Code",
    reference=(
        "Housing Ombudsman Complaint Handling Code (2024), sections 5 and 6: acknowledge "
        "within 5 working days; stage 1 response within 10 working days of acknowledgement; "
        "stage 2 acknowledged within 5 and answered within 20 working days"
    ),
    clocks=[
        Clock(
            name="acknowledgement",
            target=BusinessDays(5),
            stop_on=(ev.Acknowledged, ev.FinalResponseSent),
            description="Code 5.1: acknowledge stage 1 within 5 working days of receipt.",
        ),
        Clock(
            name="stage_1_response",
            target=BusinessDays(10),
            start_on=ev.Acknowledged,
            stop_on=ev.FinalResponseSent,
            description="Code 5.8: stage 1 response within 10 working days of acknowledgement.",
        ),
        Clock(
            name="stage_2_acknowledgement",
            target=BusinessDays(5),
            start_on=ev.Reopened,
            stop_on=(ev.ReplySent, ev.FinalResponseSent),
            description=(
                "Code 6.1: acknowledge a stage 2 escalation (recorded as Reopened) within 5 "
                "working days (recorded as ReplySent)."
            ),
        ),
        Clock(
            name="stage_2_response",
            target=BusinessDays(20),
            start_on=ev.Reopened,
            stop_on=ev.FinalResponseSent,
            description="Code 6.13: stage 2 response within 20 working days of the escalation.",
        ),
    ],
)

# -- Helpdesk-style SLA policy --------------------------------------------------------------

_REPLIES = (ev.ReplySent, ev.InformationRequested, ev.FinalResponseSent)


def helpdesk_sla(
    *,
    first_reply: DeadlineKind = BusinessHours(1),
    next_reply: DeadlineKind = BusinessHours(4),
    periodic_update: DeadlineKind = BusinessDays(2),
    resolution: DeadlineKind = BusinessDays(5),
    warning: timedelta | None = timedelta(hours=1),
) -> Regime:
    """An example helpdesk SLA policy built from the same clocks.

    First reply to the complaint; next reply to each customer message once the previous one
    was answered; a periodic update while the case is open; and resolution. The update and
    resolution clocks pause while the case waits for the customer; resolution restarts on
    reopening. Each target is any `DeadlineKind`.
    """
    for path, kind in (
        ("first_reply", first_reply),
        ("next_reply", next_reply),
        ("periodic_update", periodic_update),
        ("resolution", resolution),
    ):
        _check_kind(kind, path)
    if warning is not None and not isinstance(warning, timedelta):
        raise InvalidType("warning", f"expected a timedelta or None, got {v.type_name(warning)}")
    if warning is not None and warning < timedelta(0):
        raise ValidationError("warning", f"expected a non-negative timedelta, got {warning!r}")
    waiting = frozenset({"awaiting_customer"})
    return Regime(
        name="Helpdesk SLA",
        reference="Example policy: targets chosen by the support team, not by a regulator",
        clocks=[
            Clock(name="first_reply", target=first_reply, stop_on=_REPLIES, warning=warning),
            Clock(
                name="next_reply",
                target=next_reply,
                start_on=ev.InformationReceived,
                restart_on=ev.InformationReceived,
                stop_on=_REPLIES,
                warning=warning,
            ),
            Clock(
                name="periodic_update",
                target=periodic_update,
                stop_on=_REPLIES,
                restart_on=(ev.ReplySent, ev.InformationReceived),
                pause_in=waiting,
                warning=warning,
            ),
            Clock(
                name="resolution",
                target=resolution,
                stop_on=ev.FinalResponseSent,
                restart_on=ev.Reopened,
                pause_in=waiting,
                warning=warning,
            ),
        ],
    )


HELPDESK = helpdesk_sla()
