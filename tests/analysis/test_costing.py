"""Costing's own pieces: price references (stale by the scenario's limit) and how a built row cites its sources."""

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


def test_the_assumption_counts_uncertain_inputs_in_words() -> None:
    # it read '1 uncertain input(s) at their point values (...); `costcalc simulate` samples them.'
    import costcalc
    from tests.analysis.scenarios import BASE

    text = BASE.replace("hourly_usd: 2.49", "hourly_usd: {dist: triangular, low: 1.5, mode: 2.49, high: 3.5}")
    assumptions = costcalc.analyze(costcalc.load_scenario(text), today=dt.date(2026, 9, 1)).to_dict()["assumptions"]
    said = [a for a in assumptions if "uncertain input" in a]
    assert len(said) == 1 and said[0].startswith("1 uncertain input at its point value (options[")
    assert said[0].endswith("); `costcalc simulate` samples it.")


def test_a_stale_shipped_price_says_why_the_tables_keep_it() -> None:
    # examples/internal-assistant.yaml buys hgx-h100-8gpu-server-2026 (as of 2026-05-04) and uses the data-centre
    # PUE (2026-01-19): the warning said '2 prices older than 120 days: ...' and the price dates only 'as of
    # 2026-05-04, <source>', though pricing/freshness-exceptions.csv records why no newer price replaced each.
    from costcalc.api import analyze
    from costcalc.pricing.book import PriceBook
    from costcalc.pricing.freshness import shipped_record

    data = {
        "version": 1,
        "name": "stale",
        "workload": {"requests_per_day": 7000, "input_tokens": 1000, "output_tokens": 300},
        "options": [
            {"name": "API", "kind": "api", "prices": {"input_usd_per_mtok": 3, "output_usd_per_mtok": 15}},
            {
                "name": "Owned",
                "kind": "self_hosted",
                "model": "llama-3.3-70b",
                "precision": "fp8",
                "hardware": {"gpu": "h100-sxm-80gb", "acquisition": "buy", "offer": "hgx-h100-8gpu-server-2026"},
                "throughput": {"points": [{"input_tokens": 1000, "output_tokens": 300, "requests_per_s": 5}]},
            },
        ],
    }
    res = analyze(data, prices=PriceBook.load(use_cache=False, on=TODAY), today=TODAY)
    server = next(p for p in res.option("Owned").prices if p.id == "hgx-h100-8gpu-server-2026")
    assert server.stale
    reason = shipped_record().exceptions[("hardware", "hgx-h100-8gpu-server-2026")]
    line = next(a for a in res.assumptions if a.startswith("hardware hgx-h100-8gpu-server-2026: as of 2026-05-04"))
    assert line.endswith(f"; older than 120 days, kept: {reason}")
    stale = next(w for w in res.warnings if "older than" in w)
    # the Result's line names no place: each format says where it shows the dates (tests/render/test_warning_places)
    assert stale.endswith("; the price dates say why each is kept")


def test_a_stale_price_says_so_on_the_line_that_cites_it() -> None:
    """A row past its table's limit with no recorded reason (every API row from 2027-01-19: genai-prices 0.2.5 is
    dated 2026-11-19, the limit 60 days) was stale only in the warning; its price line read like a fresh one
    ('api openai/gpt-6-luna@2026-10-14: as of 2026-11-19, <source>'). Now the line says it, on every surface."""
    from pathlib import Path

    from costcalc.api import analyze

    root = Path(__file__).resolve().parents[2]
    result = analyze(root / "examples/startup-chatbot.yaml", today=dt.date(2027, 1, 20))
    luna = next(p for o in result.options for p in o.prices if p.id == "openai/gpt-6-luna@2026-10-14")
    assert luna.stale
    line = next(a for a in result.assumptions if a.startswith("api openai/gpt-6-luna@2026-10-14: as of 2026-11-19, "))
    assert line.endswith("; older than 60 days: stale"), line
    rental = next(a for a in result.assumptions if a.startswith("rental lambda/1x-h100-sxm/on-demand: as of "))
    assert "older than" not in rental, rental  # 117 days old: within its table's 120


def test_an_uncertain_input_set_by_an_override_is_no_longer_said_to_be_at_its_point_value() -> None:
    # `report --set workload.requests_per_day=150000` of a file giving it {dist: ...} said '1 uncertain input at its
    # point value (workload.requests_per_day)' of a value the user set; a Scenario loaded first and analysed with
    # another override still says it
    import costcalc
    from tests.analysis.scenarios import BASE

    text = BASE.replace(
        "requests_per_day: 200000", "requests_per_day: {dist: triangular, low: 1e5, mode: 2e5, high: 4e5}"
    )
    day = dt.date(2026, 9, 1)

    def said(result: costcalc.Result) -> list[str]:
        return [a for a in result.to_dict()["assumptions"] if "uncertain input" in a]

    assert said(costcalc.analyze(text, overrides=["workload.requests_per_day=150000"], today=day)) == []
    loaded = costcalc.load_scenario(text)
    kept = said(costcalc.analyze(loaded, overrides=["horizon_months=6"], today=day))
    assert kept == ["1 uncertain input at its point value (workload.requests_per_day); `costcalc simulate` samples it."]


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
