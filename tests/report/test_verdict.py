"""Verdict facts from a Result: ties (within 2% or inside an estimate's band), what takes over, the headline words."""

from __future__ import annotations

from costcalc.bands import widened_range
from costcalc.report.result import BreakEvenResult, OptionResult, Result, ThroughputInfo, Timeline, Workload
from costcalc.report.verdict import band_words, find_takeover, find_tie, headline_lines, percent, tie_notes
from costcalc.throughput.unmodelled import UnmodelledGap
from costcalc.words import tokens

MONTHS = 6


def _option(name: str, cost: float, *, kind: str = "api", band: float | None = None, **extra: object) -> OptionResult:
    throughput = None
    if kind == "self_hosted":
        throughput = ThroughputInfo(
            basis="estimated" if band else "given",
            detail="",
            requests_per_s_per_replica=1.0,
            output_tokens_per_s_per_replica=100.0,
            concurrency=None,
            ttft_p95_ms=None,
            tpot_p95_ms=None,
            meets_slo=True,
            error_band=band,
        )
        extra = {"replicas": 1, "gpus": 1, "utilisation": 0.5, "acquisition": "rent", **extra}
    return OptionResult(
        name=name,
        kind=kind,  # type: ignore[arg-type]
        monthly_cost=cost,
        cost_per_million_tokens=cost / 1000,
        breakdown={"output": cost},
        throughput=throughput,
        **extra,  # type: ignore[arg-type]
    )


def _result(
    options: list[OptionResult],
    *,
    growth: float = 0.0,
    path: dict[str, list[float]] | None = None,
    break_even: tuple[BreakEvenResult, ...] = (),
) -> Result:
    path = path or {o.name: [o.monthly_cost] * MONTHS for o in options}
    return Result(
        scenario="s",
        currency="USD",
        pricing_as_of=None,
        horizon_months=MONTHS,
        workload=Workload(
            requests_per_month=1e6,
            input_tokens_per_month=8e8,
            output_tokens_per_month=2e8,
            tokens_per_month=1e9,  # 1,000 tokens a request
            users=None,
            growth_per_month=growth,
            peak_to_average=2.0,
        ),
        options=tuple(options),
        cheapest=min(options, key=lambda o: o.monthly_cost).name,
        break_even=break_even,
        timeline=Timeline(
            months=tuple(range(1, MONTHS + 1)),
            requests=tuple(1e6 * (1 + growth) ** m for m in range(MONTHS)),
            monthly_cost={k: tuple(v) for k, v in path.items()},
            cumulative_cost={k: tuple(v) for k, v in path.items()},
            cumulative_cash={k: tuple(v) for k, v in path.items()},
        ),
    )


def test_within_two_percent_is_a_tie_with_its_spread() -> None:
    result = _result([_option("A", 1000.0), _option("B", 1019.0), _option("C", 1100.0)])
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

    result = _result([_option("A", 1000.0), _option("B", 1000.0), _option("C", 1100.0)])
    tie = find_tie(result)
    assert tie is not None and tie.options == ("A", "B") and tie.reason == "they cost the same"
    first, second, _ = headline_lines(result, tie, None)
    assert first == "Cheapest now: a tie between A and B, at $1,000/month each."
    assert second == "Neither is cheaper: they cost the same."
    tied = result.model_copy(update={"tie": tie})
    assert tie_notes(tied) == {"A": "tie: same cost", "B": "tie: same cost"}
    assert [versus(tied, o) for o in tied.options] == ["cheapest", "same", "+10%"]
    three = _result([_option("A", 1000.0), _option("B", 1000.0), _option("C", 1000.0)])
    assert headline_lines(three, find_tie(three), None)[1] == "None is cheaper: they cost the same."
    mixed = _result([_option("A", 1000.0), _option("B", 1000.0), _option("C", 1010.0)])
    tie = find_tie(mixed)
    assert tie is not None and tie.reason == "within 1.0% of each other"
    assert tie_notes(mixed.model_copy(update={"tie": tie})) == {
        "A": "tie: lowest of the tied",
        "B": "tie: same cost",
        "C": "tie: within 1.0%",
    }


def test_more_than_two_percent_apart_is_no_tie() -> None:
    result = _result([_option("A", 1000.0), _option("B", 1021.0)])
    assert find_tie(result) is None
    first, second, _ = headline_lines(result, None, None)
    assert first == "Cheapest now: A at $1,000/month ($1.00 per 1M tokens)."
    assert second == "It saves $21.00/month (2.1%) against the next, B at $1,021/month."


def test_an_estimate_band_that_reaches_the_cheapest_is_a_tie_and_names_the_band() -> None:
    hosted = _option("Hosted", 1300.0, kind="self_hosted", band=0.42, monthly_cost_range=(900.0, 1800.0))
    result = _result([_option("API", 1000.0), hosted])
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
    narrow = _option("Hosted", 1300.0, kind="self_hosted", band=0.1, monthly_cost_range=(1200.0, 1400.0))
    assert find_tie(_result([_option("API", 1000.0), narrow])) is None  # its band stays above $1,000


def test_a_range_widened_by_published_runs_names_them_and_can_make_a_tie() -> None:
    """DeepSeek-R1's runs (0.22x-0.71x) below its band (0.54x-1.85x): the range and its cost reach them, and an API
    above the band's high cost but inside the range's is not settled (costcalc/bands.py widened_range)."""
    runs = UnmodelledGap("deepseek-r1", 60, 0.22, 0.465, 0.7139, ("vllm",), ("8x h200-sxm-141gb",), (), ())
    hosted = _option("Hosted", 1000.0, kind="self_hosted", band=0.8541, monthly_cost_range=(1000.0, 5000.0))
    assert hosted.throughput is not None
    actual = widened_range(0.8541, runs)
    hosted = hosted.model_copy(update={"throughput": hosted.throughput.model_copy(update={"actual_range": actual})})
    result = _result([hosted, _option("API", 3000.0)])
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


def test_growth_takeover_is_the_first_month_it_stays_cheaper() -> None:
    # B dips below A in month 2, is dearer again in month 3, and stays cheaper from month 4
    path = {"A": [100, 105, 110, 116, 122, 128], "B": [101, 100, 115, 110, 110, 110]}
    result = _result([_option("A", 100.0), _option("B", 101.0)], growth=0.05, path=path)
    takeover = find_takeover(result)
    assert takeover is not None and (takeover.option, takeover.versus, takeover.month) == ("B", "A", 4)
    assert takeover.tokens_per_month == 1e9 * 1.05**3
    line = headline_lines(result, find_tie(result), takeover)[2]
    assert line == "At 5% growth a month, B takes over from A around month 4, at 1.16B tokens/month."


def test_within_two_percent_on_the_path_is_no_takeover() -> None:
    path = {"A": [100.0] * MONTHS, "B": [101.0, 99.0, 99.0, 99.0, 99.0, 99.0]}  # only 1% cheaper
    result = _result([_option("A", 100.0), _option("B", 101.0)], growth=0.05, path=path)
    assert find_takeover(result) is None
    assert headline_lines(result, None, None)[2] == (
        "Nothing takes over: A stays the cheapest through month 6 at 5% growth a month."
    )


def test_bought_hardware_takeover_says_its_payback() -> None:
    path = {"API": [100, 110, 120, 130, 140, 150], "Owned": [150, 120, 100, 100, 100, 100]}
    owned = _option("Owned", 150.0, kind="self_hosted", acquisition="buy")
    be = BreakEvenResult(
        option="Owned", versus="API", tokens_per_month=1.2e9, requests_per_month=1.2e6, payback_months=None, reason=""
    )
    result = _result([_option("API", 100.0), owned], growth=0.1, path=path, break_even=(be,))
    takeover = find_takeover(result)
    assert takeover is not None and takeover.bought and takeover.month == 3 and takeover.payback_months is None
    assert headline_lines(result, None, takeover)[2] == (
        "At 10% growth a month, Owned costs less a month than API from around month 3, but its hardware does not"
        " pay back within the 6-month horizon."
    )


def test_without_growth_the_break_even_volume_says_what_takes_over() -> None:
    be = BreakEvenResult(
        option="Hosted", versus="API", tokens_per_month=3e9, requests_per_month=3e6, payback_months=None, reason=""
    )
    result = _result([_option("API", 100.0), _option("Hosted", 500.0, kind="self_hosted")], break_even=(be,))
    takeover = find_takeover(result)
    assert takeover is not None and takeover.month is None and takeover.tokens_per_month == 3e9
    assert headline_lines(result, None, takeover)[2] == (
        "Hosted would take over above 3B tokens/month (3.0x today's); usage is not set to grow."
    )


def test_percent_words() -> None:
    assert [percent(x) for x in (0.00036, 0.0021, 0.86, 12.3)] == ["0.04%", "0.2%", "86%", "1,230%"]


def test_a_band_over_100_percent_reads_as_a_factor_range_not_a_plus_minus() -> None:
    # band 1.08: actual throughput est / 2.08 = 0.48x to 2.08x the estimate; "±108%" read as maybe negative
    hosted = _option("Hosted", 1300.0, kind="self_hosted", band=1.08, monthly_cost_range=(1300.0, 2400.0))
    words = band_words(hosted, "USD")
    assert words == (
        "Hosted: throughput estimated, actual 0.48x to 2.08x the estimate in 9 of 10 benchmarks,"
        " so $1,300 to $2,400 a month"
    )


def test_token_volumes_never_read_in_scientific_notation():
    # the support-assistant chart's last volume tick read '1e+03T' ('{:.3g}' of 1,000)
    assert tokens(1e15) == "1,000T" and tokens(2.5e15) == "2,500T"
    assert tokens(999.6e9) == "1,000B" and tokens(1.2e9) == "1.2B" and tokens(350e6) == "350M" and tokens(12e3) == "12k"


def test_an_option_that_never_stays_cheaper_is_not_also_said_not_to_pay_back() -> None:
    """internal-assistant read 'Llama 3.3 70B on owned H100s never stays cheaper than DeepSeek V4 Flash API: a fully
    used replica costs more per token than the API' and then 'Bought hardware for Llama 3.3 70B on owned H100s does not
    pay back within the 36-month horizon, against DeepSeek V4 Flash API', two rows saying one thing (the table's
    break-even cell says 'never' too); the row went to the published runs that disagree with Qwen3 32B's band. A
    payback that does happen is still said, and so is no payback after a break-even volume (the golden report)."""
    from pathlib import Path

    from costcalc.api import analyze

    result = analyze(Path(__file__).resolve().parents[2] / "examples/internal-assistant.yaml", today="2026-11-26")
    be = next(
        b for b in result.break_even if b.option == "Llama 3.3 70B on owned H100s" and b.versus == result.cheapest
    )
    assert be.tokens_per_month is None and be.payback_reason  # never, and no payback: the JSON keeps its reason
    assert any(line.startswith("Llama 3.3 70B on owned H100s never stays cheaper") for line in result.verdict)
    assert not any("pay back" in line for line in result.verdict)
