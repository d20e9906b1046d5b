"""An estimated option's band in words: a factor range and the monthly cost it allows."""

from __future__ import annotations

from costcalc.report.estimate_words import band_words
from tests.support.verdict_results import make_option


def test_a_band_over_100_percent_reads_as_a_factor_range_not_a_plus_minus() -> None:
    # band 1.08: actual throughput est / 2.08 = 0.48x to 2.08x the estimate; "±108%" read as maybe negative
    hosted = make_option("Hosted", 1300.0, kind="self_hosted", band=1.08, monthly_cost_range=(1300.0, 2400.0))
    words = band_words(hosted, "USD")
    assert words == (
        "Hosted: throughput estimated, actual 0.48x to 2.08x the estimate in 9 of 10 benchmarks,"
        " so $1,300 to $2,400 a month"
    )
