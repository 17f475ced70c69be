"""US CFPB Consumer Complaint Database rows -> recoverykit cases (mapping only, no file I/O).

Accepts a row as a ``dict`` from ``csv.DictReader`` with the published CSV headers
("Date received", "Company response to consumer", ...), the API's snake_case names
(``date_received``, ``company_response``, ...), or the 12-column extract whose column is
"Company response". What the database does not say is not invented:

- the case is the company's: it is received when the CFPB sent it to the company ("Date sent
  to company", where the CFPB's 15-day clock starts); the consumer's "Date received" is kept
  as a tag, as are "Timely response?" and "Consumer disputed?", and each of the "Tags" the
  CFPB publishes for the consumer ("Older American" -> ``cfpb_tag:older_american``,
  "Servicemember" -> ``cfpb_tag:servicemember``), the groups outcome metrics compare;
- the database publishes no response dates, so response events are dated at receipt: use the
  ``timely:yes``/``timely:no`` tag, not clocks, for timeliness;
- there is no customer identity: each case gets an anonymous ``cfpb-<complaint id>`` customer;
- without "Submitted via" (the 12-column extract), the channel is ``regulator_referral``.

Company responses map to events: "Closed with explanation" and "Closed without relief" to a
final response (explanation, not upheld) and closing; "Closed with monetary relief" to a
delivered compensation remedy, an upheld final response and closing; "Closed with
non-monetary relief" to a delivered repair remedy (a correction to an account or report);
the legacy "Closed with relief" to a delivered goodwill gesture; "Closed" to a final response
and closing; "In progress" to a holding reply; "Untimely response" to nothing (the company
did not respond).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, time, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from recoverykit import _arguments as a
from recoverykit import _validation as v
from recoverykit import events as ev
from recoverykit.case import Case, replay
from recoverykit.errors import (
    DeserializationError,
    InvalidType,
    Problem,
    RecoveryKitError,
    UnknownName,
)
from recoverykit.model import Channel, Complaint, CustomerRef, Outcome, Remedy, RemedyKind

__all__ = ["CfpbBatch", "RowError", "case_from_cfpb", "cases_from_cfpb"]

# Header spellings (normalised: lower case, runs of other characters -> "_") -> our names.
_ALIASES = {
    "complaint_id": "complaint_id",
    "date_received": "date_received",
    "date_sent_to_company": "date_sent_to_company",
    "product": "product",
    "sub_product": "sub_product",
    "issue": "issue",
    "sub_issue": "sub_issue",
    "submitted_via": "submitted_via",
    "company_response_to_consumer": "company_response",
    "company_response": "company_response",
    "timely_response": "timely",
    "timely": "timely",
    "consumer_disputed": "disputed",
    "company": "company",
    "tags": "tags",
}

_CHANNELS = {
    "web": Channel.WEB_FORM,
    "web referral": Channel.REGULATOR_REFERRAL,
    "referral": Channel.REGULATOR_REFERRAL,
    "postal mail": Channel.LETTER,
    "phone": Channel.PHONE,
    "fax": Channel.FAX,
    "email": Channel.EMAIL,
}


_MDY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@attrs.frozen
class RowError:
    """A row that could not be mapped, and why: one `Problem` (``field: message``) each."""

    row_number: int = attrs.field(validator=a.count(1))
    """1 for the first data row (the line after the header)."""
    complaint_id: str | None = attrs.field(validator=v.text(optional=True))
    errors: tuple[Problem, ...] = attrs.field(validator=v.tuple_of(Problem))


@attrs.frozen
class CfpbBatch:
    """The cases mapped from a batch of rows, and the rows that could not be mapped."""

    cases: tuple[Case, ...] = attrs.field(validator=v.tuple_of(Case))
    errors: tuple[RowError, ...] = attrs.field(validator=v.tuple_of(RowError))


# csv.DictReader files surplus cells under the key None.
Row = Mapping[str | None, object]


def _normalise(row: Row) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in row.items():
        if not isinstance(key, str):
            continue
        name = _ALIASES.get(re.sub(r"[^a-z0-9]+", "_", key.lower()).strip("_"))
        if name is not None and isinstance(value, str):
            out[name] = value.strip()
    return out


def _tag(text: str) -> str:
    """A CFPB "Tags" value ("Older American", "Servicemember") as a complaint tag."""
    return "cfpb_tag:" + re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")


def _date(text: str) -> date:
    match = _MDY.match(text)
    if match:
        month, day, year = (int(g) for g in match.groups())
        return date(year, month, day)
    return date.fromisoformat(text[:10])


def _zone(tz: str | tzinfo) -> tzinfo:
    if isinstance(tz, tzinfo):
        return tz
    if not isinstance(tz, str):
        raise InvalidType("tz", f"expected a time zone name or a tzinfo, got {v.type_name(tz)}")
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise UnknownName("tz", f"unknown time zone {tz!r}") from None


_NOT_A_ROW = "expected a mapping of column to value"


def case_from_cfpb(row: Row, *, tz: str | tzinfo = "America/New_York") -> Case:
    """Map one database row to a case (see the module docstring for the rules).

    Dates, which carry no time, are taken as midnight in ``tz``.

    Raises:
        DeserializationError: listing every problem with the row, as `Problem` values.
        InvalidType: ``row`` is not a mapping, or ``tz`` is neither a name nor a tzinfo.
        UnknownName: ``tz`` names no known time zone.
    """
    zone = _zone(tz)
    untyped: object = row  # rows come from files: check what the type says
    if not isinstance(untyped, Mapping):
        raise InvalidType("row", f"{_NOT_A_ROW}, got {type(untyped).__name__}")
    return _case(row, zone)


def _case(row: Row, zone: tzinfo) -> Case:
    data = _normalise(row)
    errors: list[Problem] = []

    def need(field: str, parse: Callable[[str], object], what: str) -> object:
        text = data.get(field, "")
        if not text:
            errors.append(Problem(field, "required, missing or empty"))
            return None
        try:
            return parse(text)
        except ValueError:
            errors.append(Problem(field, f"{text!r} is not {what}"))
            return None

    complaint_id = need("complaint_id", str, "an id")
    sent = need("date_sent_to_company", _date, "a date (M/D/YYYY or YYYY-MM-DD)")
    received = need("date_received", _date, "a date (M/D/YYYY or YYYY-MM-DD)")
    response = data.get("company_response", "").lower()
    if response not in _RESPONSES:
        allowed = ", ".join(sorted(_RESPONSES))
        given = data.get("company_response", "")
        errors.append(Problem("company_response", f"{given!r} is not one of {allowed}"))
    via = data.get("submitted_via", "")
    channel = _CHANNELS.get(via.lower()) if via else Channel.REGULATOR_REFERRAL
    if channel is None:
        allowed = ", ".join(sorted(_CHANNELS))
        errors.append(Problem("submitted_via", f"{via!r} is not one of {allowed}"))
    if errors or channel is None or not isinstance(sent, date) or not isinstance(received, date):
        raise DeserializationError(errors)
    at = datetime.combine(sent, time(0), zone)
    product = " / ".join(p for p in (data.get("product"), data.get("sub_product")) if p)
    issue = " / ".join(p for p in (data.get("issue"), data.get("sub_issue")) if p)
    facts = [f"{name}:{data[name].lower()}" for name in ("timely", "disputed") if data.get(name)]
    groups = [_tag(t) for t in data.get("tags", "").split(",") if t.strip()]
    tags = [f"cfpb_received:{received.isoformat()}", *facts, *groups]
    try:
        complaint = Complaint(
            id=f"cfpb-{complaint_id}",
            customer=CustomerRef(f"cfpb-{complaint_id}"),
            channel=channel,
            received_at=at,
            category=issue or None,
            product=product or None,
            tags=tuple(tags),
            external_id=str(complaint_id),
        )
        history = [ev.ComplaintReceived(at=at, complaint=complaint), *_RESPONSES[response](at)]
        return replay(history)
    except RecoveryKitError as exc:  # pragma: no cover - the checks above leave nothing
        raise DeserializationError([Problem("row", str(exc))]) from None


def _final(at: datetime, outcome: Outcome, *, explanation: bool) -> list[ev.Event]:
    return [ev.FinalResponseSent(at=at, outcome=outcome, explanation=explanation), ev.Closed(at=at)]


def _relief(at: datetime, kind: RemedyKind) -> list[ev.Event]:
    return [
        ev.RemedyOffered(at=at, remedy=Remedy("relief", kind)),
        ev.RemedyDelivered(at=at, remedy_id="relief"),
        *_final(at, Outcome.UPHELD, explanation=True),
    ]


_RESPONSES: dict[str, Callable[[datetime], list[ev.Event]]] = {
    "closed with explanation": lambda at: _final(at, Outcome.NOT_UPHELD, explanation=True),
    "closed without relief": lambda at: _final(at, Outcome.NOT_UPHELD, explanation=True),
    "closed with monetary relief": lambda at: _relief(at, RemedyKind.COMPENSATION),
    "closed with non-monetary relief": lambda at: _relief(at, RemedyKind.REPAIR),
    "closed with relief": lambda at: _relief(at, RemedyKind.GOODWILL_GESTURE),
    "closed": lambda at: _final(at, Outcome.NOT_UPHELD, explanation=False),
    "in progress": lambda at: [ev.HoldingReplySent(at=at)],
    "untimely response": lambda _: [],  # the company did not respond
}


def cases_from_cfpb(rows: Iterable[Row], *, tz: str | tzinfo = "America/New_York") -> CfpbBatch:
    """Map every row; a row that cannot map becomes a `RowError`, never a crash or a gap.

    A row that is not a mapping is a row that cannot map. ``rows`` itself must be an
    iterable of rows: one row (a mapping) or a string is refused, not read as its keys.

    Raises:
        InvalidType: ``rows`` is not an iterable of rows, or ``tz`` is neither a name nor
            a tzinfo.
        UnknownName: ``tz`` names no known time zone.
    """
    zone = _zone(tz)
    if isinstance(rows, Mapping):
        raise InvalidType("rows", "expected an iterable of rows, got one row (a mapping)")
    cases: list[Case] = []
    errors: list[RowError] = []
    for number, row in enumerate(a.iterate(rows, "rows", "rows (mappings)"), 1):
        if not isinstance(row, Mapping):
            problem = Problem("row", f"{_NOT_A_ROW}, got {type(row).__name__}")
            errors.append(RowError(number, None, (problem,)))
            continue
        try:
            cases.append(_case(row, zone))
        except DeserializationError as exc:
            errors.append(RowError(number, _normalise(row).get("complaint_id") or None, exc.errors))
    return CfpbBatch(tuple(cases), tuple(errors))
