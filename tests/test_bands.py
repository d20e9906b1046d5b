"""The band's one wording: actual throughput as factors of the estimate, never a "±" that reads as negative."""

from __future__ import annotations

import pytest

from costcalc.bands import actual_range, band_long, band_short


def test_a_band_under_100_percent_bounds_actual_throughput_both_ways() -> None:
    # p90 of |est - actual| / actual = 0.42: actual in [est / 1.42, est / 0.58] = [0.704, 1.724] x est
    low, high = actual_range(0.42)
    assert (low, high) == (pytest.approx(1 / 1.42), pytest.approx(1 / 0.58))
    assert band_short(0.42) == "0.70x-1.72x"
    assert band_long(0.42) == "0.70x to 1.72x the estimate in 9 of 10 benchmarks"


@pytest.mark.parametrize("band", [1.0, 1.08, 2.88])
def test_a_band_of_100_percent_or_more_states_only_the_low_end_and_no_minus(band: float) -> None:
    # an underestimate's relative error is below 100%, so a band of 100% or more implies no upper end;
    # 1.08: actual >= est / 2.08 = 0.48 x est
    low, high = actual_range(band)
    assert high is None and low == pytest.approx(1 / (1 + band))
    assert band_short(band) == f"≥{low:.2f}x"
    assert band_long(band) == f"{low:.2f}x the estimate or more in 9 of 10 benchmarks"
    for text in (band_short(band), band_long(band)):
        assert "±" not in text and "-" not in text and "%" not in text
