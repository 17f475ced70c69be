"""Regimes by effective date: a rule as a sequence of dated versions.

The law changes by date: Ofcom shortened the wait before ADR from eight weeks to six, the
Central Bank of Ireland replaced its Consumer Protection Code. Which version applies to a
case is decided by the date the rule names, usually the day the complaint was received,
so an open case keeps the version it was received under; a rule that applies to every open
case from its start date is chosen by ``now`` instead.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Iterable
from datetime import date, datetime

import attrs

from recoverykit import _validation as v
from recoverykit.calendars import BusinessCalendar
from recoverykit.case import Case
from recoverykit.clocks import ClockStatus, Timeline
from recoverykit.clocks._clock import _check_calendar
from recoverykit.errors import InvalidType, UnknownName, ValidationError
from recoverykit.lifecycle import Lifecycle
from recoverykit.regimes._regime import Regime


class ChosenBy(enum.StrEnum):
    """Which date picks the version of a `DatedRegime` for a case."""

    RECEIPT = "receipt"
    """The day the complaint was received: open cases keep the version they started under."""
    NOW = "now"
    """The day of ``now``: a new version applies to every open case from its start date."""

    @classmethod
    def _missing_(cls, value: object) -> ChosenBy:
        known = ", ".join(repr(c.value) for c in cls)
        raise UnknownName("DatedRegime.chosen_by", f"expected one of {known}, got {value!r}")


@attrs.frozen
class RegimeVersion:
    """One version of a rule: the `Regime` that applies from ``effective_from`` on (until
    the next version's date). The regime's ``reference`` cites the instrument."""

    effective_from: date = attrs.field()
    regime: Regime = attrs.field(validator=v.instance_of(Regime))

    @effective_from.validator
    def _date(self, attribute: attrs.Attribute[date], value: object) -> None:
        if isinstance(value, datetime) or not isinstance(value, date):
            v.fail_type(self, attribute, f"expected a date, got {v.type_name(value)}")


def _versions(value: Iterable[RegimeVersion]) -> tuple[RegimeVersion, ...]:
    given: object = value
    if isinstance(given, str | bytes | RegimeVersion) or not isinstance(given, Iterable):
        raise InvalidType(
            "DatedRegime.versions",
            f"expected an iterable of RegimeVersion, got {v.type_name(given)}",
        )
    versions: list[RegimeVersion] = []
    for i, item in enumerate(given):
        if not isinstance(item, RegimeVersion):
            raise InvalidType(
                f"DatedRegime.versions[{i}]", f"expected a RegimeVersion, got {v.type_name(item)}"
            )
        versions.append(item)
    if not versions:
        raise ValidationError("DatedRegime.versions", "expected at least one version")
    versions.sort(key=_effective)
    for earlier, later in itertools.pairwise(versions):
        if earlier.effective_from == later.effective_from:
            raise ValidationError(
                "DatedRegime.versions",
                f"two versions take effect on {later.effective_from}; expected one per date",
            )
    return tuple(versions)


def _effective(version: RegimeVersion) -> date:
    return version.effective_from


@attrs.frozen(kw_only=True)
class DatedRegime:
    """A rule that changed by date: its versions, each a `Regime` citing its instrument.

    Args:
        name: The rule's name.
        versions: `RegimeVersion` values, in any order (kept sorted by date).
        chosen_by: Which date picks the version for a case (`ChosenBy`).
        on_change: What happens to open cases when a version takes effect, for people
            (shown in the docs).

    `evaluate` and `explain` use the version that applies to the case; `as_of` gives the
    version in force on a day, to force one.
    """

    name: str = attrs.field(validator=v.text())
    versions: tuple[RegimeVersion, ...] = attrs.field(converter=_versions)
    chosen_by: ChosenBy = attrs.field(default=ChosenBy.RECEIPT, converter=ChosenBy)
    on_change: str = attrs.field(validator=v.text())

    def as_of(self, day: date) -> Regime:
        """The version in force on ``day``.

        Raises:
            InvalidType: ``day`` is not a date.
            UnknownName: ``day`` is before the first version (its date is named).
        """
        if isinstance(day, datetime) or not isinstance(day, date):
            raise InvalidType("day", f"expected a date, got {v.type_name(day)}")
        found = None
        for version in self.versions:
            if version.effective_from <= day:
                found = version.regime
        if found is None:
            first = self.versions[0].effective_from
            raise UnknownName("day", f"{self.name} has no version before {first}; got {day}")
        return found

    def version_for(self, case: Case, *, calendar: BusinessCalendar, now: datetime) -> Regime:
        """The version that applies to ``case``: by the day it was received (in the
        calendar's zone), or by the day of ``now``, as ``chosen_by`` says."""
        if not isinstance(case, Case):
            raise InvalidType("case", f"expected a Case, got {v.type_name(case)}")
        _check_calendar(calendar)
        v.require_aware(now, "now")
        at = case.complaint.received_at if self.chosen_by is ChosenBy.RECEIPT else now
        return self.as_of(at.astimezone(calendar.tz).date())

    def evaluate(
        self, case: Case, *, calendar: BusinessCalendar, now: datetime
    ) -> tuple[ClockStatus, ...]:
        """`Regime.evaluate` with the version that applies to ``case``."""
        regime = self.version_for(case, calendar=calendar, now=now)
        return regime.evaluate(case, calendar=calendar, now=now)

    def explain(
        self, case: Case, *, calendar: BusinessCalendar, now: datetime
    ) -> tuple[Timeline, ...]:
        """`Regime.explain` with the version that applies to ``case``."""
        regime = self.version_for(case, calendar=calendar, now=now)
        return regime.explain(case, calendar=calendar, now=now)

    def check(self, lifecycle: Lifecycle) -> None:
        """`Regime.check` for every version."""
        for version in self.versions:
            version.regime.check(lifecycle)
