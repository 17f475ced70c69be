"""The values of the complaint domain: who complained, through which channel, about what,
and what was done about it.

Every class is a frozen, slotted attrs class validated at construction, so an invalid value
never exists. Free text and contact details are personal data: they are left out of
``repr`` and removed by `redact`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

import attrs

from recoverykit import _validation as v
from recoverykit._arguments import StrValues
from recoverykit._currencies import ISO_4217
from recoverykit._history import History
from recoverykit._validation import PERSONAL
from recoverykit._vulnerability import Vulnerability, VulnerabilityDriver
from recoverykit.errors import InvalidType, ValidationError

__all__ = [
    "ANONYMOUS_CUSTOMER",
    "Channel",
    "Complaint",
    "CustomerRef",
    "FollowUp",
    "FollowUpOutcome",
    "FollowUpPurpose",
    "Money",
    "Outcome",
    "Owner",
    "Remedy",
    "RemedyKind",
    "RemedyScope",
    "RemedyStatus",
    "RootCause",
    "Severity",
    "Survey",
    "Vulnerability",
    "VulnerabilityDriver",
    "redact",
]

T = TypeVar("T")


def _personal_text() -> Any:
    # Optional so that redaction can always replace the value by None.
    return attrs.field(
        default=None,
        repr=False,
        metadata={PERSONAL: True},
        validator=v.text(optional=True),
    )


class Channel(StrValues):
    """Where the complaint came in. One complaint type serves every channel."""

    PHONE = "phone"
    EMAIL = "email"
    WEB_FORM = "web_form"
    LIVE_CHAT = "live_chat"
    SOCIAL_MEDIA = "social_media"
    REVIEW_SITE = "review_site"
    IN_PERSON = "in_person"
    LETTER = "letter"
    FAX = "fax"
    REGULATOR_REFERRAL = "regulator_referral"
    OTHER = "other"
    """Any other way in (a source system's channel that maps to none of the above), so that
    an import never has to guess one.

    .. versionadded:: Unreleased
    """


class Severity(StrValues):
    """How badly the failure hurt the customer; ordered from `LOW` to `CRITICAL`."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """0 for `LOW` up to 3 for `CRITICAL`, for comparisons and interpolation."""
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {s: i for i, s in enumerate(Severity)}


class RemedyKind(StrValues):
    """What a remedy gives the customer."""

    APOLOGY = "apology"
    EXPLANATION = "explanation"
    REFUND = "refund"
    CREDIT = "credit"
    REPLACEMENT = "replacement"
    REPAIR = "repair"
    COMPENSATION = "compensation"
    GOODWILL_GESTURE = "goodwill_gesture"
    PROCESS_CHANGE = "process_change"

    @property
    def is_financial(self) -> bool:
        """Whether the remedy is money (and so may carry a `Money` value)."""
        return self in _FINANCIAL


_FINANCIAL = frozenset(
    {RemedyKind.REFUND, RemedyKind.CREDIT, RemedyKind.COMPENSATION, RemedyKind.GOODWILL_GESTURE}
)


class RemedyScope(StrValues):
    """Whether a remedy fixes it for this customer now, or for everyone going forward."""

    INDIVIDUAL = "individual"
    SYSTEMIC = "systemic"


class RemedyStatus(StrValues):
    """Where an offered remedy stands. Only an accepted remedy can block closing."""

    OFFERED = "offered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    DELIVERED = "delivered"


class FollowUpPurpose(StrValues):
    """Why the business contacts the customer again after the response."""

    RESOLUTION_CHECK = "resolution_check"
    SATISFACTION_SURVEY = "satisfaction_survey"
    CHANGE_NOTIFICATION = "change_notification"


class FollowUpOutcome(StrValues):
    """What came of a follow-up."""

    CONFIRMED = "confirmed"
    """The customer confirmed the problem is fixed, or acknowledged the change."""
    NOT_RESOLVED = "not_resolved"
    """The customer says the problem persists."""
    NO_RESPONSE = "no_response"
    DECLINED = "declined"
    """The customer declined to take part."""


class Outcome(StrValues):
    """The firm's decision on the complaint in its final response."""

    UPHELD = "upheld"
    PARTIALLY_UPHELD = "partially_upheld"
    NOT_UPHELD = "not_upheld"
    RESOLVED_WITHOUT_DECISION = "resolved_without_decision"
    """The complaint was dealt with (the problem solved, the question answered) and the firm
    made no decision on fault, as a helpdesk resolves a ticket. Not a finding against the
    firm, so the default scoring counts it as resolved and does not ask for an apology.

    .. versionadded:: Unreleased
    """


def _to_decimal(value: object) -> object:
    # str and int are exact; floats are left for the validator to reject with a hint.
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            raise ValidationError("Money.amount", f"{value!r} is not a decimal number") from None
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return value


def _currency(instance: Money, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str):
        v.fail_type(instance, attribute, f"expected str, got {type(value).__name__}")
    elif value not in ISO_4217:
        v.fail(instance, attribute, f"{value!r} is not an ISO 4217 code (e.g. 'GBP', 'EUR')")


@attrs.frozen
class Money:
    """An exact, non-negative amount in an ISO 4217 currency.

    ``amount`` accepts a `Decimal`, an ``int`` or a decimal string; floats are rejected.

    >>> Money("12.50", "GBP")
    Money(amount=Decimal('12.50'), currency='GBP')
    """

    amount: Decimal = attrs.field(converter=_to_decimal, validator=v.decimal_amount)
    currency: str = attrs.field(validator=_currency)

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        if other.currency != self.currency:
            msg = f"cannot add {other.currency} to {self.currency}"
            raise ValidationError("Money.currency", msg)
        try:
            total = self.amount + other.amount
        except ArithmeticError:  # decimal.Overflow past the context's exponent limit
            raise ValidationError(
                "Money.amount", f"{self.amount} + {other.amount} is too large to add"
            ) from None
        return Money(total, self.currency)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


@attrs.frozen
class CustomerRef:
    """Who complained: a stable id plus optional contact details (personal data).

    ``vulnerable`` flags customers who need extra care (FCA FG21/1); ``contact_allowed``
    is False when the customer opted out of further contact, which follow-up planning honours.

    ``anonymous`` says the customer's identity is unknown (a walk-in, an anonymous web form,
    a log without customer ids): ``id`` is then a placeholder that need not be unique, and
    two anonymous customers are never taken for the same person, even with the same id, so
    repeat-complainant counts stay true. Use `ANONYMOUS_CUSTOMER`, or your own placeholder
    (``CustomerRef("walk-in", anonymous=True)``). Group cases by customer with `known_id`.
    ``anonymous`` is left out of ``repr`` (read the attribute).
    """

    id: str = attrs.field(validator=v.text())
    name: str | None = _personal_text()
    email: str | None = _personal_text()
    phone: str | None = _personal_text()
    vulnerable: bool = attrs.field(default=False, validator=v.instance_of(bool))
    contact_allowed: bool = attrs.field(default=True, validator=v.instance_of(bool))
    anonymous: bool = attrs.field(default=False, repr=False, validator=v.instance_of(bool))
    """The identity is unknown; ``id`` is only a placeholder.

    .. versionadded:: Unreleased
    """
    vulnerability: Vulnerability | None = attrs.field(
        default=None,
        repr=False,
        metadata={PERSONAL: True},
        validator=v.instance_of(Vulnerability, optional=True),
    )
    """What the firm knows about the customer's vulnerability (FCA FG21/1's drivers):
    personal data, out of ``repr`` and removed by `redact`, which keeps ``vulnerable``.

    .. versionadded:: Unreleased
    """

    def __attrs_post_init__(self) -> None:
        if self.vulnerability is not None and not self.vulnerable:
            raise ValidationError(
                "CustomerRef.vulnerability",
                "given for a customer with vulnerable=False; set vulnerable=True as well "
                "(redact keeps the flag and removes the details)",
            )

    @property
    def known_id(self) -> str | None:
        """The id that identifies this customer across cases, or None when anonymous.

        Code that groups cases by customer uses this, so that no two anonymous customers
        are ever lumped together.

        >>> CustomerRef("c-1").known_id
        'c-1'
        >>> ANONYMOUS_CUSTOMER.known_id is None
        True

        .. versionadded:: Unreleased
        """
        return None if self.anonymous else self.id


ANONYMOUS_CUSTOMER = CustomerRef("anonymous", anonymous=True)
"""A customer whose identity is unknown: the placeholder to use when a source has none.

.. versionadded:: Unreleased
"""


@attrs.frozen
class Owner:
    """The named person (and their team) accountable for a case."""

    id: str = attrs.field(validator=v.text())
    team: str | None = attrs.field(default=None, validator=v.text(optional=True))


@attrs.frozen
class Remedy:
    """Something offered to put things right.

    ``scope`` separates "fix now" for this customer (`RemedyScope.INDIVIDUAL`) from "fix going
    forward" for everyone (`RemedyScope.SYSTEMIC`). Only financial kinds carry a ``value``.
    """

    id: str = attrs.field(validator=v.text())
    kind: RemedyKind = attrs.field(validator=v.member_of(RemedyKind))
    scope: RemedyScope = attrs.field(
        default=RemedyScope.INDIVIDUAL, validator=v.member_of(RemedyScope)
    )
    value: Money | None = attrs.field(default=None, validator=v.instance_of(Money, optional=True))
    description: str | None = _personal_text()

    def __attrs_post_init__(self) -> None:
        if self.value is not None and not self.kind.is_financial:
            financial = ", ".join(sorted(k.value for k in _FINANCIAL))
            raise ValidationError(
                "Remedy.value",
                f"a {self.kind.value!r} remedy has no money value; only {financial} do",
            )


@attrs.frozen
class FollowUp:
    """A planned contact with the customer after the response.

    ``root_cause_id`` ties a change notification to the root cause whose fix it announces.
    """

    id: str = attrs.field(validator=v.text())
    purpose: FollowUpPurpose = attrs.field(validator=v.member_of(FollowUpPurpose))
    due_at: datetime = attrs.field(validator=v.aware)
    root_cause_id: str | None = attrs.field(default=None, validator=v.text(optional=True))


def _ratings(value: Mapping[str, int] | Iterable[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    raw: object = value  # surveys come from forms: check what the type says
    if isinstance(raw, Mapping):
        items = list(raw.items())
    elif isinstance(raw, str | bytes) or not isinstance(raw, Iterable):
        raise InvalidType(
            "Survey.ratings",
            f"expected a mapping of dimension to rating or (dimension, rating) pairs, "
            f"got {v.type_name(raw)}",
        )
    else:
        items = list(raw)
    for i, item in enumerate(items):
        if not (isinstance(item, tuple) and len(item) == 2):
            raise InvalidType(
                f"Survey.ratings[{i}]",
                f"expected (dimension, rating) pairs or a mapping, got {item!r}",
            )
        name, rating = item
        if not isinstance(name, str):
            raise InvalidType(
                f"Survey.ratings[{i}]", f"expected a dimension name, got {v.type_name(name)}"
            )
        if not name.strip():
            raise ValidationError(
                f"Survey.ratings[{i}]", f"dimension {name!r} is not a non-blank name"
            )
        if isinstance(rating, bool) or not isinstance(rating, int):
            raise InvalidType(
                f"Survey.ratings[{name!r}]", f"expected an int 1..5, got {v.type_name(rating)}"
            )
        if not 1 <= rating <= 5:
            raise ValidationError(f"Survey.ratings[{name!r}]", f"{rating!r} is not a rating 1..5")
    return tuple(sorted(items, key=lambda pair: pair[0]))


@attrs.frozen
class Survey:
    """A customer's answers to a post-complaint survey; every answer is optional.

    ``nps`` is 0-10 (likelihood to recommend), ``csat`` 1-5, ``ces`` 1-7 (CES 2.0,
    "the company made it easy to handle my issue"). ``ratings`` holds 1-5 ratings on named
    dimensions (communication, flexibility, reliability, value for money, complaint
    handling, likelihood to buy again, ...), so a team sees where to improve.
    """

    nps: int | None = attrs.field(default=None, validator=v.int_between(0, 10, optional=True))
    csat: int | None = attrs.field(default=None, validator=v.int_between(1, 5, optional=True))
    ces: int | None = attrs.field(default=None, validator=v.int_between(1, 7, optional=True))
    comment: str | None = _personal_text()
    ratings: tuple[tuple[str, int], ...] = attrs.field(default=(), converter=_ratings)
    """(dimension, rating) pairs sorted by dimension; a mapping is accepted too."""

    def rating(self, dimension: str) -> int | None:
        """The rating given on ``dimension``, or None if there is none."""
        if not isinstance(dimension, str):
            raise InvalidType("dimension", f"expected str, got {v.type_name(dimension)}")
        return dict(self.ratings).get(dimension)


@attrs.frozen
class RootCause:
    """The underlying reason behind one or more complaints, shared across cases."""

    id: str = attrs.field(validator=v.text())
    title: str = attrs.field(validator=v.text())
    category: str | None = attrs.field(default=None, validator=v.text(optional=True))


def _tags(value: Iterable[str]) -> tuple[str, ...]:
    """Tags as a tuple, from any iterable of them (checked by the field's validator)."""
    return v.as_tuple(value)  # type: ignore[return-value]


@attrs.frozen(kw_only=True)
class Complaint:
    """One complaint, whatever the channel it came through.

    ``received_at`` must be timezone-aware: regulatory clocks depend on the local day of
    receipt. ``claimed_loss`` is what the customer says the failure cost them;
    ``desired_remedy`` what they asked for. ``external_id`` is the id in the source system
    (a ticket number, a CFPB complaint id).
    """

    id: str = attrs.field(validator=v.text())
    customer: CustomerRef = attrs.field(validator=v.instance_of(CustomerRef))
    channel: Channel = attrs.field(validator=v.member_of(Channel))
    received_at: datetime = attrs.field(validator=v.aware)
    summary: str | None = _personal_text()
    category: str | None = attrs.field(default=None, validator=v.text(optional=True))
    product: str | None = attrs.field(default=None, validator=v.text(optional=True))
    severity: Severity = attrs.field(default=Severity.MEDIUM, validator=v.member_of(Severity))
    claimed_loss: Money | None = attrs.field(
        default=None, validator=v.instance_of(Money, optional=True)
    )
    desired_remedy: RemedyKind | None = attrs.field(
        default=None, validator=v.member_of(RemedyKind, optional=True)
    )
    tags: tuple[str, ...] = attrs.field(default=(), converter=_tags, validator=v.tuple_of(str))
    external_id: str | None = attrs.field(default=None, validator=v.text(optional=True))


def redact(obj: T) -> T:
    """Return a copy of ``obj`` with every personal-data field set to None.

    Works on any recoverykit value, event or case, and on tuples of them; nested values are
    redacted too. Objects without personal data are returned as they are, so redacting is
    cheap and safe for logs and analytics exports.

    >>> c = CustomerRef("c-1", name="Ada Lovelace", email="ada@example.com")
    >>> redact(c)
    CustomerRef(id='c-1', vulnerable=False, contact_allowed=True)
    >>> redact(c).name is None
    True
    """
    return _redact(obj)  # type: ignore[no-any-return]


def _redact(obj: Any) -> Any:
    if isinstance(obj, tuple | History):  # a case's history is a History
        items = tuple(_redact(item) for item in obj)
        changed = any(a is not b for a, b in zip(items, obj, strict=True))
        return items if changed else obj
    cls = type(obj)
    if not attrs.has(cls):
        return obj
    changes: dict[str, Any] = {}
    for field in attrs.fields(cls):
        if not field.init:
            continue
        value = getattr(obj, field.name)
        if field.metadata.get(PERSONAL):
            if value is not None:
                changes[field.alias] = None
            continue
        new = _redact(value)
        if new is not value:
            changes[field.alias] = new
    return attrs.evolve(obj, **changes) if changes else obj
