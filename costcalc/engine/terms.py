"""Terms that make an option's money depend on the month: price paths, one-off costs, asset life, commitments.

The monthly bill (costcalc.engine.options.monthly_bill) is the steady state at month 1's prices; these terms
say how the months of a horizon differ from it. They are read only by costcalc.engine.flows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from costcalc.engine.arrays import FloatArray, Floats, floats
from costcalc.units import MONTHS_PER_YEAR


@dataclass(frozen=True)
class OneOff:
    """A one-off cost: paid in cash at the start of `month` (0 = month 1), spread over `amortise_months` in accrual."""

    usd: float
    month: int = 0
    amortise_months: int = 1


def price_factors(months: int, *, scheduled: ArrayLike | None = None, change_per_year: Floats = 0.0) -> FloatArray:
    """The month-by-month price path: each month's prices relative to month 1's (the one place it is built).

    `scheduled`: a multiplier per month from dated price changes (an option's price_path; month 1 = 1.0, its
    last value held after it ends), or one such path per what-if point (points x months). `change_per_year` compounds monthly: month m is priced at (1 + change)^(m/12)
    of month 1 (an array gives one path per what-if point). Both apply together. Shape (months,) or (..., months).
    """
    m = np.arange(months) / MONTHS_PER_YEAR
    change = floats(change_per_year)
    out = np.exp(np.expand_dims(np.log1p(change), -1) * m)  # a 0-d change: one path of `months`
    if scheduled is not None:
        given = np.asarray(floats(scheduled))[..., :months]  # (months,), or (points, months) for a what-if's prices
        if given.shape[-1] < months:
            last = given[..., -1:] if given.shape[-1] else np.ones((*given.shape[:-1], 1))
            given = np.concatenate([given, np.repeat(last, months - given.shape[-1], axis=-1)], axis=-1)
        out = out * given
    return floats(out)


@dataclass(frozen=True)
class Terms:
    """What every kind of option may carry over the horizon: a yearly price change and one-off costs.

    `price_change_per_year` (API, seats, a rental's hourly rate) may be an array, one value per what-if point.
    """

    price_change_per_year: Floats = 0.0
    one_offs: tuple[OneOff, ...] = ()


@dataclass(frozen=True)
class Lifecycle:
    """How self-hosted hardware is held over time: asset life (buy), lease terms, or a rental commitment.

    buy: each purchase lives `useful_life_months` (the plan's), then is replaced (bought again; its residual
    value comes back as cash) or retired (the option stops serving). lease: payments for `lease_term_months`;
    with a buy-out the hardware is then owned to the end of its useful life, else the lease is renewed
    (replace) or ended (retire). rent: `commitment_months` > 0 reserves the replicas a term needs at its
    busiest, paid every hour of the term whether used or not, `upfront_share` of it at the term's start.
    """

    at_end_of_life: Literal["replace", "retire"] = "replace"
    lease_term_months: int = 0
    lease_buyout_usd_per_replica: float | None = None
    commitment_months: int = 0
    upfront_share: float = 0.0
    # purchase units per replica: servers or GPUs bought, instances rented (GPUs where rented by the GPU); 1/block
    # where a unit holds several replicas. For the report's servers and instances (engine.self_hosted.whole_units)
    units_per_replica: float = 1.0
