"""Time value of money over a horizon's monthly flows: discounting, present value, payback (plain and discounted), IRR.

Timing (one convention everywhere): month k (0 = month 1) pays its up-front cash (capital, prepaid) at t = k
months from now and its running cash through the month, counted at its end, t = k + 1; the terminal value
comes back at the horizon's end. A yearly rate r discounts t months by (1 + r)^(-t/12).
"""

from __future__ import annotations

import math

import numpy as np

from costcalc.engine.arrays import FloatArray, floats
from costcalc.units import MONTHS_PER_YEAR

_TOLERANCE = 1e-9  # relative to the flows' size: rounding, not money
IRR_MONTHLY_BOUNDS = (-0.99, 100.0)  # monthly rates searched for an IRR
_BISECTIONS = 200


def discount_factors(months: int, rate_per_year: float) -> tuple[FloatArray, FloatArray]:
    """(at each month's start, at each month's end): (1 + r)^(-t/12) at t = k and t = k + 1."""
    t = np.arange(months + 1) / MONTHS_PER_YEAR
    d = np.exp(-t * math.log1p(rate_per_year))
    return d[:-1], d[1:]


def present_value(upfront: FloatArray, running: FloatArray, terminal: float, rate_per_year: float) -> float:
    """Present value of a cost's cash (positive = money out), less its terminal value at the horizon's end."""
    start, end = discount_factors(len(upfront), rate_per_year)
    return float(np.dot(upfront, start) + np.dot(running, end) - terminal * end[-1])


def payback_months(upfront_diff: FloatArray, running_diff: FloatArray) -> float | None:
    """Months from now after which Σ(option − versus) cash stays at or below 0, or None if it is above at the end.

    Cash within a month accrues evenly, so the month's fraction is a straight line between its start (after
    its up-front cash) and its end. 0.0: never dearer at any time.
    """
    up, run = floats(upfront_diff), floats(running_diff)
    end = np.cumsum(up + run)
    start = end - run
    scale = max(float(np.max(np.abs(np.concatenate([start, end])))), 1.0)
    tol = _TOLERANCE * scale
    if end[-1] > tol:
        return None
    dear = np.nonzero((start > tol) | (end > tol))[0]
    if dear.size == 0:
        return 0.0
    k = int(dear[-1])
    if end[k] > 0:  # at or below 0 only from the month's end (within rounding) or the next month's up-front flows
        return float(k + 1)
    return k + float(start[k] / (start[k] - end[k]))


def discounted(upfront: FloatArray, running: FloatArray, rate_per_year: float) -> tuple[FloatArray, FloatArray]:
    """The flows in today's money: up-front cash discounted from each month's start, running from its end."""
    start, end = discount_factors(len(upfront), rate_per_year)
    return np.asarray(upfront) * start, np.asarray(running) * end


def irr_per_year(upfront_savings: FloatArray, running_savings: FloatArray, terminal_savings: float) -> float | None:
    """Yearly rate at which the savings' present value is 0 (the investment's return), or None when there is none.

    Savings are versus − option: an investment pays first (negative) and saves later. None when the savings
    never change sign (nothing invested, or never recovered at any rate) within the searched rates.
    """
    up, run = floats(upfront_savings), floats(running_savings)
    months = len(up)
    flows = np.concatenate([up, run, [terminal_savings]])
    times = np.concatenate([np.arange(months), np.arange(1, months + 1), [months]])
    scale = max(float(np.max(np.abs(flows))), 1.0)  # flows: never empty (the terminal)
    if not (np.any(flows < -_TOLERANCE * scale) and np.any(flows > _TOLERANCE * scale)):
        return None

    def npv(log_growth: float) -> float:
        """The flows' present value at this rate, scaled by a positive factor (only its sign is used): the
        largest discount exponent is taken out, so a long horizon at a rate near -99% a month does not
        overflow (exp(4.6 x 240) is past any float) and turn the sign into NaN."""
        exponents = -times * log_growth
        return float(np.dot(flows, np.exp(exponents - exponents.max())))

    lo, hi = (math.log1p(b) for b in IRR_MONTHLY_BOUNDS)
    f_lo, f_hi = npv(lo), npv(hi)
    if np.sign(f_lo) == np.sign(f_hi):
        return None
    for _ in range(_BISECTIONS):  # far more than the ~62 halvings down to adjacent floats; then nothing moves
        mid = (lo + hi) / 2
        if np.sign(npv(mid)) == np.sign(f_lo):
            lo = mid
        else:
            hi = mid
    return math.expm1(MONTHS_PER_YEAR * (lo + hi) / 2)


def whole_month(exact: float) -> int:
    """The month (1-based) in which a payback `exact` months from now falls; month 1 for 0."""
    return max(1, math.ceil(exact - _TOLERANCE))
