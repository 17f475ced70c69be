"""Hypothesis entry point: registers recoverykit's strategies for ``st.from_type``.

Hypothesis calls `_hypothesis_setup_hook` when it is imported; recoverykit is imported only
then, and hypothesis only here, so neither package costs the other anything otherwise.
"""

from __future__ import annotations


def _hypothesis_setup_hook() -> None:
    from recoverykit.strategies import _register

    _register()
