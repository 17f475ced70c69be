"""EU rules: the revised ADR Directive (EU) 2025/2647."""

from __future__ import annotations

from recoverykit import _validation as v
from recoverykit import events as ev
from recoverykit.clocks import BusinessDays, Clock
from recoverykit.errors import InvalidType
from recoverykit.regimes._regime import Regime


def eu_adr(*, complex_dispute: bool = False) -> Regime:
    """The trader's reply to an ADR entity under Directive (EU) 2025/2647.

    It binds a trader only once its Member State has transposed the Directive (by 20 March
    2028, per secondary sources); until then the national ADR rules apply.

    Args:
        complex_dispute: 30 working days instead of 20, for a dispute the ADR entity treats
            as complex.
    """
    if not isinstance(complex_dispute, bool):
        raise InvalidType("complex_dispute", f"expected bool, got {v.type_name(complex_dispute)}")
    days = 30 if complex_dispute else 20
    return Regime(
        name="EU ADR Directive (EU) 2025/2647" + (" (complex dispute)" if complex_dispute else ""),
        reference=(
            "Directive (EU) 2025/2647 of 16 December 2025 amending Directive 2013/11/EU (OJ L "
            "30 December 2025), to be transposed by 20 March 2028: a trader contacted by an ADR "
            "entity replies within 20 working days (30 in complex cases); no reply counts as a "
            "refusal to take part. Binds traders only through national law once transposed"
        ),
        clocks=[
            Clock(
                name="reply_to_adr_entity",
                target=BusinessDays(days),
                start_on=ev.ReferredToOmbudsman,
                stop_on=ev.ReplySent,
                description=(
                    f"Directive (EU) 2025/2647: reply to the ADR entity within {days} working "
                    "days of its request (record the request as ReferredToOmbudsman when it "
                    "reaches the trader, the reply as ReplySent). 'breached' means the silence "
                    "counts as a refusal to take part."
                ),
            ),
        ],
    )


EU_ADR = eu_adr()
