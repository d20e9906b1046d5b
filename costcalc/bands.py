"""How a throughput estimate's error band reads: the range of actual throughput it allows, in one wording.

The band b is the p90 of |estimate - actual| / actual over held-out benchmarks (throughput/calibration.py).
Every command reads it as one range of actual throughput: estimate / (1 + b) to estimate x (1 + b), the 5th
and 95th percentiles of the lognormal that `simulate` samples (median 1, sigma ln(1 + b) / 1.645). The low
end is where 9 in 10 held-out actuals lay above; the held-out data bound the high end too (on the 304-row
refit, 95% of actual / estimate ratios were below 1.53, so x (1 + b) is the cautious side). Reading the
band as |error| up to b instead would allow any capacity once b reaches 100% (an underestimate's relative
error never does), and a report would cost the option at one replica however much it serves.
Written as "±108%", a band above 100% reads as a possibly negative throughput, so every command and format
states the factor range instead: "0.48x to 2.08x the estimate", "0.48x-2.08x".
"""

from __future__ import annotations

SHARE_WITHIN_OF_TEN = 9  # the range holds 90% of the lognormal: 9 of 10 benchmarks


def actual_range(band: float) -> tuple[float, float]:
    """(low, high) factors on the estimate between which actual throughput lies 9 times in 10."""
    return 1.0 / (1.0 + band), 1.0 + band


def _factor(x: float) -> str:
    """'0.48x', '2.08x'."""
    return f"{x:.2f}x"


def band_short(band: float) -> str:
    """'0.48x-2.08x': actual throughput as factors of the estimate, for a table cell."""
    low, high = actual_range(band)
    return f"{_factor(low)}-{_factor(high)}"


def band_long(band: float) -> str:
    """'0.48x to 2.08x the estimate in 9 of 10 benchmarks', for a sentence ("actual throughput ...")."""
    low, high = actual_range(band)
    return f"{_factor(low)} to {_factor(high)} the estimate in {SHARE_WITHIN_OF_TEN} of 10 benchmarks"
