"""The band's one wording: actual throughput as factors of the estimate, never a "±" that reads as negative."""

from __future__ import annotations

import math
from dataclasses import asdict

import pytest

from costcalc.analysis.simulate import Z90
from costcalc.bands import (
    ActualRange,
    BandBasis,
    actual_range,
    band_long,
    band_short,
    basis_words,
    range_cited,
    range_for,
    range_long,
    range_short,
    range_source,
    widened_range,
)
from costcalc.throughput.unmodelled import UnmodelledGap


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


def _gap(low: float, high: float) -> UnmodelledGap:
    return UnmodelledGap("deepseek-r1", 60, low, (low + high) / 2, high, ("vllm",), ("8x h200-sxm-141gb",), (), ())


def test_published_runs_below_the_band_widen_its_low_end_and_are_named() -> None:
    # band 0.8541: 1 / 1.8541 = 0.539x to 1.854x; the runs measured 0.22x-0.71x, so the range is 0.22x to 1.854x
    r = widened_range(0.8541, _gap(0.22, 0.7139))
    assert r is not None
    assert (r.low, r.high, r.source) == (0.22, pytest.approx(1.8541), "published_runs")
    assert range_short(r) == "0.22x-1.85x"
    assert range_long(r) == (
        "0.22x to 1.85x the estimate, from published runs of deepseek-r1 at 0.22x-0.71x and held-out benchmarks at"
        " 0.54x-1.85x, 9 of 10 each"
    )
    assert range_source(r) == "published deepseek-r1 runs"


def test_published_runs_above_the_band_widen_its_high_end() -> None:
    r = widened_range(0.42, _gap(0.9, 2.5))  # band 0.704x-1.42x
    assert r is not None and r.source == "published_runs"
    assert (r.low, r.high) == (pytest.approx(1 / 1.42), 2.5)


def test_published_runs_inside_the_band_leave_it_as_it_is() -> None:
    # what the estimator-deepseek physics may bring: the runs within the band; the band's own words stay
    r = widened_range(0.8541, _gap(0.6, 1.3))
    assert r is not None and r.source == "held_out_band"
    assert (r.low, r.high) == actual_range(0.8541)
    assert range_long(r) == band_long(0.8541) and range_short(r) == band_short(0.8541)
    assert r.published_model == "deepseek-r1"  # still recorded for a reader of the JSON


def test_without_published_runs_the_range_is_the_band() -> None:
    r = widened_range(0.42, None)
    assert r is not None and (r.low, r.high, r.source) == (*actual_range(0.42), "held_out_band")
    assert range_long(r) == band_long(0.42) and range_source(r) == "held-out band"
    assert widened_range(None, None) is None and widened_range(0.0, None) is None


def test_without_a_band_the_range_holds_the_estimate_and_the_runs() -> None:
    r = widened_range(None, _gap(0.22, 0.71))
    assert r is not None and (r.low, r.high) == (0.22, 1.0)
    assert range_long(r) == "0.22x to 1.00x the estimate, from published runs of deepseek-r1 at 0.22x-0.71x, 9 of 10"


def test_a_range_says_which_band_and_on_how_many_benchmarks_in_basis_words() -> None:
    """Every surface words a band's basis as estimate's label does, from the range (qa13: the report's bullet said 'in
    9 of 10 benchmarks' and its assumption line nothing of the band, while estimate said 'vllm offline band: 9 in 10
    of 82 held-out benchmarks')."""
    own = BandBasis("vllm", "server", "vllm/server", 0.7309, 53, 53)
    assert basis_words(own) == "vllm server band: 9 in 10 of 53 held-out benchmarks"
    thin = BandBasis("llamacpp", "offline", "overall", 0.581, 334, 14)
    assert basis_words(thin) == "overall band: 9 in 10 of 334 held-out benchmarks; llamacpp offline has 14"
    r = widened_range(0.7309, None, own)
    assert r is not None and r.band_basis == own
    assert range_long(r) == "0.58x to 1.73x the estimate (vllm server band: 9 in 10 of 53 held-out benchmarks)"
    assert range_cited(r) == "0.58x-1.73x (vllm server band: 9 in 10 of 53 held-out benchmarks)"
    widened = widened_range(0.8541, _gap(0.22, 0.7139), own)
    assert widened is not None
    assert range_long(widened) == (
        "0.22x to 1.85x the estimate, from published runs of deepseek-r1 at 0.22x-0.71x and held-out benchmarks at"
        " 0.54x-1.85x, 9 of 10 each (vllm server band: 9 in 10 of 53 held-out benchmarks)"
    )
    assert range_cited(widened) == (
        "0.22x-1.85x with published deepseek-r1 runs (vllm server band: 9 in 10 of 53 held-out benchmarks)"
    )
    assert ActualRange.from_dict(asdict(widened)) == widened  # a stored recommend basis reads back whole


def test_range_for_carries_the_basis_of_the_band_it_quotes() -> None:
    """The one place a range is resolved also says which band it is (throughput/band_basis.class_basis)."""
    from costcalc.catalog import get_model
    from costcalc.throughput.band_basis import class_basis
    from costcalc.throughput.factors import error_band, load_factors

    band = error_band(load_factors(), "vllm", "server")
    r = range_for(band, get_model("llama-3.1-8b"), "vllm", "server")
    assert r is not None and r.band_basis == class_basis("vllm", "server", band)
    assert r.band_basis.applies == "vllm/server" and r.band_basis.held_out_rows > 0
