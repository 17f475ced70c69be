"""Hypothesis entry point: registers recoverykit's strategies for ``st.from_type``.

Hypothesis calls `_hypothesis_setup_hook` while it is being imported, which may itself be
happening because `recoverykit.strategies` is being imported; so the hook registers deferred
strategies and imports `recoverykit.strategies` only when one is first drawn.
"""

from __future__ import annotations

import importlib
from typing import Any


def _hypothesis_setup_hook() -> None:
    from hypothesis import strategies as st

    from recoverykit.calendars import BusinessCalendar
    from recoverykit.case import Case
    from recoverykit.clocks import Clock
    from recoverykit.model import Complaint, Money, Owner, Remedy, Survey

    def deferred(name: str) -> Any:
        def build() -> Any:
            return getattr(importlib.import_module("recoverykit.strategies"), name)()

        return st.deferred(build)

    for cls, name in (
        (Complaint, "complaints"),
        (Owner, "owners"),
        (Money, "money"),
        (Remedy, "remedies"),
        (Survey, "surveys"),
        (Case, "cases"),
        (BusinessCalendar, "calendars"),
        (Clock, "clocks"),
    ):
        st.register_type_strategy(cls, deferred(name))
