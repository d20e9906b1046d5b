"""Costing's own pieces: price references (stale by the limit), how a built row cites its sources, the runs' cost."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from costcalc.analysis.costing import _citation, priced_refs
from costcalc.pricing.book import Priced
from costcalc.pricing.schema import ApiPrice

TODAY = dt.date(2026, 12, 5)


def _row(as_of: dt.date, **extra: str) -> ApiPrice:
    return ApiPrice(
        id="acme/m",
        provider="acme",
        model="m",
        input_usd_per_mtok=1.0,
        output_usd_per_mtok=2.0,
        source="https://example.com/prices",
        as_of=as_of,
        **extra,
    )


def test_a_price_is_stale_only_past_the_limit() -> None:
    at_limit = Priced(_row(TODAY - dt.timedelta(days=120)), "shipped")
    past = Priced(_row(TODAY - dt.timedelta(days=121)), "override:scenario")
    refs = priced_refs((at_limit, past), TODAY, 120)
    assert [r.stale for r in refs] == [False, True]
    assert [r.table for r in refs] == ["api", "api"]
    assert (
        refs[1].origin == "override:scenario"
        and refs[1].id == "acme/m"
        and refs[1].as_of == TODAY - dt.timedelta(days=121)
    )


def test_citation_names_the_upstream_entry_and_the_page_it_cites() -> None:
    plain = _row(TODAY)
    assert _citation(plain) == "https://example.com/prices"
    built = _row(TODAY, upstream_entry="genai-prices acme.yml#m", reference_url="https://acme.example/pricing")
    assert (
        _citation(built) == "https://example.com/prices; genai-prices acme.yml#m; citing https://acme.example/pricing"
    )
    only_page = _row(TODAY, reference_url="https://acme.example/pricing")
    assert _citation(only_page) == "https://example.com/prices; citing https://acme.example/pricing"


QWEN = "Qwen3 32B on rented H100s (scale with the day)"
ASSISTANT = str(Path(__file__).resolve().parents[2] / "examples" / "internal-assistant.yaml")


def test_the_cost_at_the_published_runs_range_is_what_that_capacity_costs() -> None:
    """internal-assistant's Qwen3 32B: the 5 runs of qwen3-32b with vllm on h100-sxm-80gb measured 0.46x-0.80x of
    their held-out estimates, below its 0.75x-1.33x. monthly_cost_at_runs is the report's cost of the option with its
    capacity at those factors: the same as giving that capacity as a measured point (the path a measured replica takes).
    At the example's 24,000 requests a day one GPU still carries the peak at 0.46x; at 60,000 a second one is needed
    for part of the day."""
    import costcalc

    for volume, moves in ((24000, False), (60000, True)):
        sets = [f"workload.requests_per_day={volume}"]
        option = costcalc.analyze(ASSISTANT, overrides=sets, today="2026-11-26").option(QWEN)
        t = option.throughput
        assert t is not None and t.published_runs is not None and option.monthly_cost_at_runs is not None
        runs = t.published_runs.levels[0]
        low, high = option.monthly_cost_at_runs
        for factor, cost in ((runs.high, low), (runs.low, high)):
            point = (
                f"{{input_tokens: 2500, output_tokens: 400, requests_per_s: {t.requests_per_s_per_replica * factor!r},"
                f" ttft_p95_ms: {t.ttft_p95_ms!r}, tpot_p95_ms: {t.tpot_p95_ms!r}}}"
            )
            given = costcalc.analyze(
                ASSISTANT,
                overrides=[*sets, f"options[{QWEN}].throughput={{points: [{point}]}}"],
                today="2026-11-26",
            ).option(QWEN)
            assert given.throughput is not None and given.throughput.basis == "given"
            assert given.monthly_cost == cost
        assert (high > option.monthly_cost) is moves and low == option.monthly_cost  # 0.80x still needs no more


def test_no_cost_at_runs_where_the_runs_agree_or_none_ran_the_configuration() -> None:
    import costcalc

    result = costcalc.analyze(ASSISTANT, today="2026-11-26")
    llama = result.option("Llama 3.3 70B on owned H100s")  # no published run of its GPU, engine and model
    assert llama.monthly_cost_range is not None and llama.monthly_cost_at_runs is None
    doc = result.to_dict()
    assert [o["name"] for o in doc["options"] if "monthly_cost_at_runs" in o] == [QWEN, llama.name]  # self-hosted only
