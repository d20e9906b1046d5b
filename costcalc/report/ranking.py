"""The options' order, cheapest first, and which may serve today's requests: the one ranking every format reads.

A seat plan with a numeric usage cap serves at most its seats times the cap; above that it throttles, so its
monthly price is not the cost of today's volume. Such a plan ranks after every option that may serve the volume
and is never the cheapest while one does (as a candidate that misses the SLO is left out of recommend's ranking);
where none may, the cheapest is the cheapest of all, and the headline says it is above its cap.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

from costcalc.engine.options import carries as engine_carries

if TYPE_CHECKING:
    from costcalc.report.result import OptionResult


def most_requests(option: OptionResult) -> float:
    """Requests a month an option may serve: its seats times their numeric usage cap, else without limit (inf)."""
    cap = option.cap_requests_per_seat_month
    return option.seats * cap if cap is not None and option.seats else math.inf


def carries(option: OptionResult, requests_per_month: float) -> bool:
    """Whether the option may serve `requests_per_month` (False only for seats over their numeric usage cap): the
    engine's rule (engine/options.carries), which sweep and simulate apply per point (cheapest_index)."""
    return bool(engine_carries(most_requests(option), requests_per_month))


def ranked(options: Iterable[OptionResult], requests_per_month: float) -> list[OptionResult]:
    """The options by monthly cost, those that may serve `requests_per_month` first; the first is the cheapest."""
    return sorted(options, key=lambda o: (not carries(o, requests_per_month), o.monthly_cost))
