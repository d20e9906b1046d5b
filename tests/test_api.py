"""The public Python API: load_scenario from a path, a YAML string or a dict; analyze → Result and DataFrames."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

import costcalc
from costcalc.api import analyze, analyze_with_curves
from costcalc.errors import InputError
from costcalc.models import Scenario
from costcalc.pricing.book import PriceBook
from costcalc.report.result import SCHEMA_VERSION, Result
from costcalc.report.result import rounded as result_rounded


def test_public_names_are_lazy_and_importable() -> None:
    for name in (
        "load_scenario",
        "analyze",
        "estimate_throughput",
        "Result",
        "Scenario",
        "PriceBook",
        "InputError",
    ):
        assert name in costcalc.__all__
        assert getattr(costcalc, name) is not None
    with pytest.raises(AttributeError):
        costcalc.no_such_name  # noqa: B018


def test_costcalc_analyze_stays_callable(base_scenario: dict, today: dt.date) -> None:
    # a submodule named like a public function would replace it once imported
    analyze(base_scenario, today=today)  # imports every module analyze needs on the way
    assert callable(costcalc.analyze)
    for name in costcalc.__all__:
        assert not isinstance(getattr(costcalc, name), type(costcalc)), name


def test_load_scenario_from_path_string_and_dict(write_yaml, base_scenario: dict) -> None:
    path = write_yaml(base_scenario)
    from_path = costcalc.load_scenario(path)
    from_str_path = costcalc.load_scenario(str(path))
    from_yaml = costcalc.load_scenario(yaml.safe_dump(base_scenario))
    from_dict = costcalc.load_scenario(base_scenario)
    for sc in (from_path, from_str_path, from_yaml, from_dict):
        assert isinstance(sc, Scenario)
        assert sc.model_dump() == from_dict.model_dump()


def test_load_scenario_with_overrides(base_scenario: dict) -> None:
    sc = costcalc.load_scenario(base_scenario, overrides=["horizon_months=24"])
    assert sc.horizon_months == 24


def test_load_scenario_errors_are_input_errors(base_scenario: dict) -> None:
    base_scenario["workload"]["output_tokens"] = -1
    with pytest.raises(InputError) as info:
        costcalc.load_scenario(base_scenario)
    assert info.value.file == "<dict>"
    assert info.value.field == "workload.output_tokens"
    assert info.value.exit_code == 2


def test_analyze_returns_result(base_scenario: dict, today: dt.date) -> None:
    result = analyze(base_scenario, today=today)
    assert isinstance(result, Result)
    assert result.cheapest == "Rented GPUs"
    assert [o.kind for o in result.options] == ["api", "self_hosted", "subscription"]
    assert len(result.timeline.months) == base_scenario["horizon_months"]


def test_analyze_accepts_scenario_path_and_overrides(write_yaml, base_scenario: dict, today: dt.date) -> None:
    sc = costcalc.load_scenario(base_scenario)
    from_model = analyze(sc, today=today)
    from_path = analyze(str(write_yaml(base_scenario)), today=today)
    assert from_model.to_dict() == from_path.to_dict()
    # overrides on a loaded Scenario: 2× the requests → 2× the API bill
    doubled = analyze(sc, overrides=["workload.requests_per_day=200000"], today=today)
    assert doubled.option("Explicit API").monthly_cost == pytest.approx(
        2 * from_model.option("Explicit API").monthly_cost
    )


@pytest.mark.parametrize(("requests_per_day", "words"), [(-5.0, "greater than 0"), (float("nan"), "finite number")])
def test_analyze_validates_a_scenario_changed_with_model_copy(
    base_scenario: dict, today: dt.date, requests_per_day: float, words: str
) -> None:
    # pydantic's model_copy(update=...) does not validate: analyze costed -5 requests a day at a negative bill, and
    # NaN raised a bare ValueError; sweep, sensitivity and simulate already refused both at the field
    sc = costcalc.load_scenario(base_scenario)
    changed = sc.model_copy(update={"workload": sc.workload.model_copy(update={"requests_per_day": requests_per_day})})
    for costed in (analyze, analyze_with_curves):
        with pytest.raises(InputError) as info:
            costed(changed, today=today)
        assert info.value.field == "workload.requests_per_day"
        assert words in str(info.value)


def test_analyze_with_a_price_book(base_scenario: dict, today: dt.date, tmp_path: Path) -> None:
    prices = tmp_path / "p.csv"
    prices.write_text(
        "id,provider,model,input_usd_per_mtok,output_usd_per_mtok,source,as_of\n"
        "acme/m,acme,m,2.0,8.0,https://example.com/p,2026-08-01\n",
        encoding="utf-8",
    )
    base_scenario["options"][0] = {"name": "Acme", "kind": "api", "model": "acme/m"}
    result = analyze(base_scenario, prices=PriceBook.load([str(prices)]), today=today)
    # 3,041,666.67 requests × (1,000 × $2/M + 250 × $8/M = $0.004) = $12,166.67
    assert result.option("Acme").monthly_cost == pytest.approx(100_000 * 730 / 24 * 0.004)
    assert result.pricing_as_of == dt.date(2026, 8, 1)
    ref = result.option("Acme").prices[0]
    assert (ref.table, ref.id, ref.origin, ref.stale) == (
        "api",
        "acme/m",
        f"override:{prices}",
        False,
    )


def test_to_dict_schema_version_first(base_scenario: dict, today: dt.date) -> None:
    doc = analyze(base_scenario, today=today).to_dict()
    keys = list(doc)
    assert keys[0] == "schema_version"
    assert doc["schema_version"] == SCHEMA_VERSION
    for key in (
        "currency",
        "pricing_as_of",
        "workload",
        "options",
        "cheapest",
        "break_even",
        "timeline",
    ):
        assert key in doc
    for opt in doc["options"]:
        assert {"name", "kind", "monthly_cost", "cost_per_million_tokens", "breakdown"} <= set(opt)
    for be in doc["break_even"]:
        assert {"option", "versus", "tokens_per_month", "payback_months"} <= set(be)
    assert "timeline" not in analyze(base_scenario, today=today).to_dict(include_timeline=False)


def test_options_frame(base_scenario: dict, today: dt.date) -> None:
    result = analyze(base_scenario, today=today)
    frame = result.options_frame()
    assert list(frame.index) == ["Explicit API", "Rented GPUs", "Seats"]
    assert frame.loc["Rented GPUs", "monthly_cost_usd"] == pytest.approx(2460.0)
    assert frame.loc["Rented GPUs", "replicas"] == 1
    assert frame["monthly_cost_usd"].idxmin() == result.cheapest


def test_breakdown_frame_sums_to_monthly_cost(base_scenario: dict, today: dt.date) -> None:
    result = analyze(base_scenario, today=today)
    frame = result.breakdown_frame()
    assert list(frame.columns) == ["option", "line", "usd_per_month"]
    sums = frame.groupby("option")["usd_per_month"].sum()
    for opt in result.options:
        assert sums[opt.name] == pytest.approx(opt.monthly_cost)


def test_timeline_frame(base_scenario: dict, today: dt.date) -> None:
    base_scenario["workload"]["growth_per_month"] = 0.1
    result = analyze(base_scenario, today=today)
    frame = result.timeline_frame()
    assert len(frame) == 3 * 12  # options × months
    api = frame[frame.option == "Explicit API"].reset_index(drop=True)
    # 10% growth: month 2 costs 1.1 × month 1; cumulative is the running sum
    assert api.monthly_cost_usd[1] == pytest.approx(1.1 * api.monthly_cost_usd[0])
    assert api.cumulative_cost_usd.iloc[-1] == pytest.approx(api.monthly_cost_usd.sum())


def test_lookup_errors_point_into_the_scenario_file(write_yaml, base_scenario: dict, today: dt.date) -> None:
    base_scenario["options"][1]["hardware"]["gpu"] = "h100-sxm-80g"
    path = write_yaml(base_scenario)
    with pytest.raises(InputError) as info:
        analyze(str(path), today=today)
    line = yaml.safe_dump(base_scenario, sort_keys=False).splitlines().index("    gpu: h100-sxm-80g") + 1
    assert (info.value.file, info.value.line, info.value.field) == (
        str(path),
        line,
        "options[Rented GPUs].hardware.gpu",
    )


def test_estimate_throughput() -> None:
    est = costcalc.estimate_throughput(gpu="h100-sxm-80gb", model="llama-3.1-8b", input_tokens=1000, output_tokens=200)
    assert est.fits
    assert est.requests_per_s > 0
    with pytest.raises(InputError):
        costcalc.estimate_throughput(gpu="h100-sxm-80g", model="llama-3.1-8b", input_tokens=1000, output_tokens=200)


def test_user_state_is_isolated(isolated_user_state: Path) -> None:
    # the autouse fixture: the price cache and HOME point into a temporary folder, never the real ones
    from costcalc.pricing.cache import cache_dir

    assert cache_dir().is_relative_to(isolated_user_state)
    assert Path.home() == isolated_user_state


def test_every_what_if_takes_today_and_prices_that_day() -> None:
    """sweep, sensitivity, simulate and price_book take `today` as analyze does (gemini-3.6-flash doubles on
    2027-01-01), so a notebook reproduces a report dated --today."""
    from costcalc import api

    scenario = {
        "version": 1,
        "name": "flash",
        "horizon_months": 2,
        "workload": {"requests_per_day": 1000, "input_tokens": 1000, "output_tokens": 500},
        "options": [{"name": "Flash", "kind": "api", "model": "google/gemini-3.6-flash"}],
    }
    for day in (dt.date(2026, 12, 5), dt.date(2027, 1, 5)):
        report = analyze(scenario, today=day)
        cost = report.option("Flash").monthly_cost
        horizon = sum(report.full_timeline.monthly_cost["Flash"])
        frame = api.sweep(scenario, ["workload.requests_per_day=1000"], today=day)
        assert frame["monthly_cost[Flash]"].iloc[0] == pytest.approx(cost, abs=0.005)
        tornado = api.sensitivity(scenario, inputs=["workload.requests_per_day"], today=day)
        assert tornado.attrs["base_metric"] == pytest.approx(horizon, abs=0.01)
        sim = api.simulate(scenario, samples=2, seed=1, today=day)
        assert sim.summary.set_index("option").loc["Flash", "monthly_cost_p50"] == pytest.approx(cost, abs=0.005)
        book = api.price_book(api.load_scenario(scenario), today=day)
        assert book.on == day and book.get("api", "google/gemini-3.6-flash").row.valid_on(day)
    assert analyze(scenario, today=dt.date(2027, 1, 5)).option("Flash").monthly_cost == pytest.approx(
        2 * analyze(scenario, today=dt.date(2026, 12, 5)).option("Flash").monthly_cost
    )


def test_estimate_throughput_takes_a_custom_gpu_mapping_checked_as_a_scenarios() -> None:
    # on main gpu= took catalog ids only ('a GPU id is a string, not dict'); an H100 with the H200's memory and
    # bandwidth (the catalog's h200-sxm-141gb row: the same die) estimates what the H200 does at bf16
    h200 = {"memory_gb": 141, "memory_bandwidth_gb_s": 4800, "bf16_tflops": 989.4, "fp8_tflops": 1978.9}
    run: dict[str, Any] = dict(model="llama-3.3-70b", gpus=2, precision="bf16", input_tokens=2000, output_tokens=400)
    custom = costcalc.estimate_throughput(gpu={"name": "h100-141gb", "like": "h100-sxm-80gb", **h200}, **run)
    catalog = costcalc.estimate_throughput(gpu="h200-sxm-141gb", **run)
    assert custom.gpu == "h100-141gb" and custom.output_tokens_per_s == catalog.output_tokens_per_s
    assert custom.actual_range == catalog.actual_range and custom.band == catalog.band
    assert custom.published_runs is not None
    assert custom.published_runs.summary.startswith("no published run of vllm on h100-141gb; nearest:")
    with pytest.raises(InputError) as info:
        costcalc.estimate_throughput(gpu={"name": "x", "like": "h100-sxm-80gb", **h200, "memory_gb": 0}, **run)
    assert str(info.value) == "gpu.memory_gb: Input should be greater than 0 (got 0); write a number above 0"
    without_fp8 = {"name": "x", "like": "h100-sxm-80gb", **h200, "fp8_tflops": None}
    with pytest.raises(InputError) as info:
        costcalc.estimate_throughput(gpu=without_fp8, **(run | {"precision": "fp8"}))
    assert str(info.value).startswith("gpu.fp8_tflops: an estimate at fp8 with vllm runs at x's FP8 TFLOPS;")


@pytest.mark.parametrize(
    "config",
    [
        {"gpu": "h100-sxm-80gb", "model": "llama-3.3-70b", "precision": "fp8", "concurrency": 8},
        {"gpu": "h100-sxm-80gb", "model": "llama-3.1-8b", "engine": "sglang", "concurrency": 1},
        {"gpu": "h100-sxm-80gb", "model": "llama-3.1-8b", "engine": "trtllm"},
    ],
    ids=["vllm-8", "sglang-1", "trtllm-full"],
)
def test_estimate_throughput_carries_the_band_estimate_json_writes(config: dict) -> None:
    """A notebook got error_band only; `estimate -f json` has the actual range and the band behind it (engine, load
    class, entry, held-out rows, label). The API's are the same objects, from the same functions."""
    import json

    from typer.testing import CliRunner

    from costcalc.cli import app

    est = costcalc.estimate_throughput(**config, input_tokens=1000, output_tokens=200)
    flags = [f"--{k.replace('_', '-')}={v}" for k, v in config.items()]
    r = CliRunner().invoke(app, ["estimate", *flags, "--input-tokens=1000", "--output-tokens=200", "-f", "json"])
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert est.band == doc["band"] and est.band is not None and est.band["label"]
    assert est.actual_range is not None and est.actual_range.band_basis is not None

    def rounded(value: object) -> object:
        if isinstance(value, dict):
            return {k: rounded(v) for k, v in value.items()}
        return round(value, 9) if isinstance(value, float) else value

    assert rounded(dataclasses.asdict(est.actual_range)) == rounded(doc["actual_range"])
    basis = doc["actual_range"]["band_basis"]  # which band, as the `band` object beside it says
    assert basis == {k: v for k, v in doc["band"].items() if k not in ("concurrency", "label")}
    assert est.error_band == doc["error_band"] and est.requests_per_s == pytest.approx(doc["requests_per_s"])
    # the published runs nearest it, as estimate -f json writes them (schema 1.7; before, the API had none)
    assert est.published_runs is not None and est.published_runs.summary == doc["published_runs"]["summary"]
    assert result_rounded(est.published_runs.model_dump(mode="json")) == doc["published_runs"]


def test_estimate_throughput_that_does_not_fit_has_no_band() -> None:
    est = costcalc.estimate_throughput(gpu="a10g-24gb", model="llama-3.3-70b", input_tokens=1000, output_tokens=200)
    assert not est.fits and est.band is None and est.actual_range is None and est.published_runs is None


@pytest.mark.parametrize(
    "shape",
    [{"gpu": "a10g-24gb", "model": "llama-3.3-70b"}, {"gpu": "h100-sxm-80gb", "gpus": 10**9, "model": "qwen3-8b"}],
)
def test_estimate_throughput_that_does_not_fit_has_no_times_not_inf(shape: dict[str, Any]) -> None:
    """qa14 finding 4: the API's does-not-fit estimate carried ttft_ms = tpot_ms = inf (the estimator's 'never'),
    which a notebook formats as 'inf ms'; it has no times, as `estimate --cases` writes none, and says why."""
    est = costcalc.estimate_throughput(**shape, input_tokens=1000, output_tokens=200)
    assert not est.fits and est.reason
    assert est.ttft_ms is None and est.tpot_ms is None
    assert "inf" not in repr(est)


def test_estimate_throughput_of_a_one_token_answer_has_no_time_per_output_token() -> None:
    """As `estimate -f json` writes it: a one-token answer has no gap between tokens, so no TPOT nor speed per user
    (the estimator's closed loop put the whole request's time there, 16 s)."""
    one = costcalc.estimate_throughput(gpu="h100-sxm-80gb", model="llama-3.1-8b", input_tokens=1000, output_tokens=1)
    assert one.fits and one.tpot_ms is None and one.output_tokens_per_s_per_user is None
    assert one.ttft_ms is not None and one.ttft_ms > 0
    two = costcalc.estimate_throughput(gpu="h100-sxm-80gb", model="llama-3.1-8b", input_tokens=1000, output_tokens=2)
    assert two.tpot_ms is not None and two.output_tokens_per_s_per_user is not None
