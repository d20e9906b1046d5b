"""Options too close to call against the cheapest (within 2%, or inside an estimate's band), and their words."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from costcalc.bands import range_long, range_short
from costcalc.report import ranking
from costcalc.report.estimate_words import band_words, cost_range
from costcalc.report.money_words import money, percent
from costcalc.report.option_table import option_range
from costcalc.report.result import Tie

if TYPE_CHECKING:
    from costcalc.report.result import OptionResult, Result


TIE_SHARE = 0.02  # options within 2% of the cheapest are a tie; so is the margin a takeover must clear


SAME_COST_SHARE = 1e-9  # monthly costs this close are the same (a sum's rounding), not 'within 0.00%' of each other


def find_tie(result: Result) -> Tie | None:
    """The options too close to call against the cheapest: within TIE_SHARE, or overlapping an estimate's band; seats
    over their usage cap tie with nothing that may serve today's volume (report/ranking.py)."""
    volume = result.workload.requests_per_month
    best, *others = ranking.ranked(result.options, volume)  # not Result.ranked: recommend asks of its candidates
    best_low, best_high = cost_range(best)
    close, banded = [], []
    for o in others:
        if ranking.carries(best, volume) and not ranking.carries(o, volume):
            continue
        low, _ = cost_range(o)
        if o.monthly_cost <= best.monthly_cost * (1 + TIE_SHARE):
            close.append(o)
        elif low <= best_high:
            banded.append(o)
    tied = close + banded
    if not tied:
        return None
    cur = result.currency
    spread = (tied[-1].monthly_cost - best.monthly_cost) / best.monthly_cost if best.monthly_cost > 0 else math.inf
    parts = []
    if close:
        within = max(o.monthly_cost for o in close) / best.monthly_cost - 1 if best.monthly_cost > 0 else 0.0
        parts.append("they cost the same" if same_cost(best, close) else f"within {percent(within)} of each other")
        parts += [w for o in [best, *close] if (w := band_words(o, cur))]
    for o in banded:
        if o.monthly_cost_range is not None and (actual := option_range(o)) is not None:
            low, high = o.monthly_cost_range
            parts.append(
                f"{o.name} costs {money(o.monthly_cost, cur)} a month at its estimated throughput, but that estimate"
                f" allows actual throughput {range_long(actual)}, so it could cost {money(low, cur)} to"
                f" {money(high, cur)} a month"
            )
        else:
            parts.append(
                f"{o.name} at {money(o.monthly_cost, cur)} a month is inside the range of {band_words(best, cur)}"
            )
    return Tie(options=tuple(o.name for o in [best, *tied]), spread=spread, reason="; ".join(parts))


def same_cost(best: OptionResult, close: list[OptionResult]) -> bool:
    """Whether each option in `close` costs what `best` does a month (to a part in a billion: float sums), an exact
    tie that 'within 0.00% of each other' said badly (qa22 finding 22: two APIs of one price)."""
    return all(math.isclose(o.monthly_cost, best.monthly_cost, rel_tol=SAME_COST_SHARE) for o in close)


def close_to_cheapest(result: Result, tie: Tie) -> list[OptionResult]:
    """The tied options within TIE_SHARE of the cheapest (the others are tied only through an estimate's band)."""
    best, *others = result.ranked
    return [
        o
        for o in others
        if o.name in tie.options and o.name != best.name and o.monthly_cost <= best.monthly_cost * (1 + TIE_SHARE)
    ]


def tie_notes(result: Result) -> dict[str, str]:
    """A few words per tied option, for a table row, worded as the headline words the tie: 'tie: within 0.2%',
    'could be cheapest: throughput ≥0.45x', 'cheapest on current estimates'."""
    tie = result.tie
    if tie is None:
        return {}
    best = result.ranked[0]
    close = close_to_cheapest(result, tie)
    notes = {
        o.name: "tie: same cost"
        if same_cost(best, [o])
        else f"tie: within {percent(o.monthly_cost / best.monthly_cost - 1)}"
        for o in close
    }
    lowest = "tie: same cost" if same_cost(best, close) else "tie: lowest of the tied"
    notes[best.name] = lowest if close else "cheapest on current estimates"
    for name in tie.options:
        o = result.option(name)
        if name in notes:
            continue
        actual = option_range(o)
        notes[name] = (
            f"could be cheapest: throughput {range_short(actual)}"
            if actual
            else "could be cheapest: inside the cheapest's range"
        )
    return notes
