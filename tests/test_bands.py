"""The band's one wording: actual throughput as factors of the estimate, never a "±" that reads as negative."""

from __future__ import annotations

import math

import pytest

from costcalc.analysis.simulate import Z90
from costcalc.bands import actual_range, band_long, band_short


@pytest.mark.parametrize("band", [0.42, 1.0, 1.08, 2.88])
def test_the_range_is_the_simulated_lognormals_5th_to_95th_percentile(band: float) -> None:
    # simulate draws capacity x lognormal(median 1, sigma ln(1 + b) / 1.645): its 5th and 95th percentiles are
    # 1 / (1 + b) and 1 + b, so report's cost range and simulate's spread read the band the same way
    sigma = math.log1p(band) / Z90
    low, high = actual_range(band)
    assert low == pytest.approx(math.exp(-Z90 * sigma)) and high == pytest.approx(math.exp(Z90 * sigma))


def test_a_band_under_100_percent() -> None:
    # 0.42: actual from est / 1.42 = 0.704 x est to 1.42 x est
    assert band_short(0.42) == "0.70x-1.42x"
    assert band_long(0.42) == "0.70x to 1.42x the estimate in 9 of 10 benchmarks"


@pytest.mark.parametrize("band", [1.0, 1.08, 2.88])
def test_a_band_of_100_percent_or_more_is_bounded_and_never_negative(band: float) -> None:
    # 1.08 was printed "±108%": a reader could take the low end as negative throughput; it is est / 2.08 = 0.48x,
    # and the high end 2.08x (not "any capacity", which costed the option at one replica)
    low, high = actual_range(band)
    assert 0 < low < 1 < high < math.inf
    assert band_short(band) == f"{1 / (1 + band):.2f}x-{1 + band:.2f}x"
    for text in (band_short(band), band_long(band)):
        assert "±" not in text and "%" not in text
