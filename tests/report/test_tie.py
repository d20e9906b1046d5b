"""Ties: options within 2% of the cheapest or inside an estimate's band, and the headline's and table's words."""

from __future__ import annotations

from costcalc.bands import widened_range
from costcalc.report.estimate_words import band_words
from costcalc.report.headline import headline_lines
from costcalc.report.tie import find_tie, tie_notes
from costcalc.throughput.unmodelled import UnmodelledGap
from tests.support.verdict_results import make_option, make_result


def test_within_two_percent_is_a_tie_with_its_spread() -> None:
    result = make_result([make_option("A", 1000.0), make_option("B", 1019.0), make_option("C", 1100.0)])
    tie = find_tie(result)
    assert tie is not None and tie.options == ("A", "B")
    assert tie.spread == 0.019 or abs(tie.spread - 0.019) < 1e-12
    assert tie.reason == "within 1.9% of each other"
    first, second, _ = headline_lines(result, tie, None)
    assert first == "Cheapest now: a tie between A and B, from $1,000/month."
    assert second == "Too close to call: within 1.9% of each other."
    assert tie_notes(result.model_copy(update={"tie": tie})) == {
        "A": "tie: lowest of the tied",
        "B": "tie: within 1.9%",
    }


def test_an_exact_tie_says_they_cost_the_same() -> None:
    # qa22 finding 22: two APIs of one price read "Too close to call: within 0.00% of each other", the table
    # "+0.00%"; a third 1% dearer keeps the spread's words
    from costcalc.render.report_cells import versus

    result = make_result([make_option("A", 1000.0), make_option("B", 1000.0), make_option("C", 1100.0)])
    tie = find_tie(result)
    assert tie is not None and tie.options == ("A", "B") and tie.reason == "they cost the same"
    first, second, _ = headline_lines(result, tie, None)
    assert first == "Cheapest now: a tie between A and B, at $1,000/month each."
    assert second == "Neither is cheaper: they cost the same."
    tied = result.model_copy(update={"tie": tie})
    assert tie_notes(tied) == {"A": "tie: same cost", "B": "tie: same cost"}
    assert [versus(tied, o) for o in tied.options] == ["cheapest", "same", "+10%"]
    three = make_result([make_option("A", 1000.0), make_option("B", 1000.0), make_option("C", 1000.0)])
    assert headline_lines(three, find_tie(three), None)[1] == "None is cheaper: they cost the same."
    mixed = make_result([make_option("A", 1000.0), make_option("B", 1000.0), make_option("C", 1010.0)])
    tie = find_tie(mixed)
    assert tie is not None and tie.reason == "within 1.0% of each other"
    assert tie_notes(mixed.model_copy(update={"tie": tie})) == {
        "A": "tie: lowest of the tied",
        "B": "tie: same cost",
        "C": "tie: within 1.0%",
    }


def test_more_than_two_percent_apart_is_no_tie() -> None:
    result = make_result([make_option("A", 1000.0), make_option("B", 1021.0)])
    assert find_tie(result) is None
    first, second, _ = headline_lines(result, None, None)
    assert first == "Cheapest now: A at $1,000/month ($1.00 per 1M tokens)."
    assert second == "It saves $21.00/month (2.1%) against the next, B at $1,021/month."


def test_an_estimate_band_that_reaches_the_cheapest_is_a_tie_and_names_the_band() -> None:
    hosted = make_option("Hosted", 1300.0, kind="self_hosted", band=0.42, monthly_cost_range=(900.0, 1800.0))
    result = make_result([make_option("API", 1000.0), hosted])
    tie = find_tie(result)
    assert tie is not None and tie.options == ("API", "Hosted")
    assert tie.reason == (
        "Hosted costs $1,300 a month at its estimated throughput, but that estimate allows actual throughput 0.70x"
        " to 1.42x the estimate in 9 of 10 benchmarks, so it could cost $900 to $1,800 a month"
    )
    first, second, _ = headline_lines(result, tie, None)  # a band, not a near-equal cost: no "tie ... 30% dearer"
    assert first == "Cheapest now: API at $1,000/month ($1.00 per 1M tokens), but an estimate could overturn it."
    assert second == f"Not settled: {tie.reason}."
    assert tie_notes(result.model_copy(update={"tie": tie})) == {
        "API": "cheapest on current estimates",
        "Hosted": "could be cheapest: throughput 0.70x-1.42x",
    }
    narrow = make_option("Hosted", 1300.0, kind="self_hosted", band=0.1, monthly_cost_range=(1200.0, 1400.0))
    assert find_tie(make_result([make_option("API", 1000.0), narrow])) is None  # its band stays above $1,000


def test_a_range_widened_by_published_runs_names_them_and_can_make_a_tie() -> None:
    """DeepSeek-R1's runs (0.22x-0.71x) below its band (0.54x-1.85x): the range and its cost reach them, and an API
    above the band's high cost but inside the range's is not settled (costcalc/bands.py widened_range)."""
    runs = UnmodelledGap("deepseek-r1", 60, 0.22, 0.465, 0.7139, ("vllm",), ("8x h200-sxm-141gb",), (), ())
    hosted = make_option("Hosted", 1000.0, kind="self_hosted", band=0.8541, monthly_cost_range=(1000.0, 5000.0))
    assert hosted.throughput is not None
    actual = widened_range(0.8541, runs)
    hosted = hosted.model_copy(update={"throughput": hosted.throughput.model_copy(update={"actual_range": actual})})
    result = make_result([hosted, make_option("API", 3000.0)])
    widened = (
        "Hosted: throughput estimated, actual 0.22x to 1.85x the estimate, from published runs of deepseek-r1 at"
        " 0.22x-0.71x and held-out benchmarks at 0.54x-1.85x, 9 of 10 each, so $1,000 to $5,000 a month"
    )
    assert band_words(hosted, "USD") == widened
    tie = find_tie(result)
    assert tie is not None and tie.options == ("Hosted", "API")
    assert tie.reason == f"API at $3,000 a month is inside the range of {widened}"
    assert tie_notes(result.model_copy(update={"tie": tie})) == {
        "Hosted": "cheapest on current estimates",
        "API": "could be cheapest: inside the cheapest's range",
    }
