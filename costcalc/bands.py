"""How a throughput estimate's error band reads: the range of actual throughput it allows, in one wording.

The band b is the p90 of |estimate - actual| / actual over held-out benchmarks (throughput/calibration.py).
So in 9 of 10 held-out cases the actual throughput lay between estimate / (1 + b) and estimate / (1 - b);
for b of 100% or more no upper end is implied (an underestimate's relative error never reaches 100%).
Written as "±108%" a band above 100% reads as a possibly negative throughput, so every command and format
states the factor range instead: "actual 0.48x the estimate or more in 9 of 10 benchmarks", "0.70x-1.72x".
"""

from __future__ import annotations

SHARE_WITHIN_OF_TEN = 9  # the band is a p90: 9 of 10 held-out benchmarks fell within it


def actual_range(band: float) -> tuple[float, float | None]:
    """(low, high) factors on the estimate that actual throughput lay between in 9 of 10 held-out cases;
    high is None when the band is 100% or more (no upper end)."""
    return 1.0 / (1.0 + band), (1.0 / (1.0 - band) if band < 1.0 else None)


def _factor(x: float) -> str:
    """'0.48x', '1.72x'."""
    return f"{x:.2f}x"


def band_short(band: float) -> str:
    """'0.70x-1.72x' or '≥0.48x': actual throughput as factors of the estimate, for a table cell."""
    low, high = actual_range(band)
    return f"≥{_factor(low)}" if high is None else f"{_factor(low)}-{_factor(high)}"


def band_long(band: float) -> str:
    """'0.70x to 1.72x the estimate in 9 of 10 benchmarks' or '0.48x the estimate or more in 9 of 10 benchmarks',
    for a sentence ("actual throughput ...")."""
    low, high = actual_range(band)
    said = f"{_factor(low)} the estimate or more" if high is None else f"{_factor(low)} to {_factor(high)} the estimate"
    return f"{said} in {SHARE_WITHIN_OF_TEN} of 10 benchmarks"
