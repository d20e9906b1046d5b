"""Tests of the cases batch mode, the error table, the refit and the shipped factors file."""

from __future__ import annotations

from dataclasses import replace

import pytest

from costcalc.errors import CatalogError, InputError
from costcalc.throughput.calibration import (
    error_table,
    estimate_cases,
    estimate_row,
    fit_factors,
    prior_factors,
    read_cases,
)
from costcalc.throughput.factors import ENGINES, Factors, load_factors
from tests.throughput.test_estimate import dense_8b, dense_70b, factors, gpu_h100

GPUS = {"test-h100": gpu_h100()}
MODELS = {"test-8b": dense_8b(), "test-70b": dense_70b()}


def _get(table, kind):
    def get(key: str):
        if key not in table:
            raise CatalogError(f"unknown {kind} id {key!r}")
        return table[key]

    return get


LOOKUP = (_get(GPUS, "GPU"), _get(MODELS, "model"))


def row(**over) -> dict[str, str]:
    base = {
        "id": "r1",
        "gpu": "test-h100",
        "gpu_count": "1",
        "model": "test-8b",
        "precision": "bf16",
        "engine": "vllm",
        "input_tokens": "500",
        "output_tokens": "200",
        "concurrency": "",
        "scenario": "offline",
        "metric": "output_tokens_per_s",
        "note": "kept",
    }
    return {**base, **over}


def test_cases_keep_every_column_and_add_estimate_and_reason():
    rows = [
        row(),
        row(id="r2", gpu="no-such-gpu"),
        row(id="r3", metric="joules"),
        row(id="r4", model="test-70b"),
        row(id="r5", concurrency="1.5"),
    ]
    out = estimate_cases(rows, factors(), LOOKUP)
    assert [r["id"] for r in out] == ["r1", "r2", "r3", "r4", "r5"]
    assert all(r["note"] == "kept" for r in out)
    assert float(out[0]["estimate"]) > 0 and out[0]["reason"] == ""
    assert out[1]["estimate"] == "" and "unknown GPU id 'no-such-gpu'" in out[1]["reason"]
    assert out[2]["estimate"] == "" and "unknown metric 'joules'" in out[2]["reason"]
    assert out[3]["estimate"] == "" and "GB of weights" in out[3]["reason"]  # 70B bf16 on 80 GB
    assert out[4]["estimate"] == "" and "whole number" in out[4]["reason"]


def test_each_metric_reads_its_own_field():
    f = factors()
    single = {"concurrency": "1", "input_tokens": "1000", "output_tokens": "100"}
    tpot, _ = estimate_row(row(metric="tpot_ms", **single), f, LOOKUP)
    ttft, _ = estimate_row(row(metric="ttft_ms", **single), f, LOOKUP)
    out_tps, _ = estimate_row(row(metric="output_tokens_per_s", **single), f, LOOKUP)
    pre_tps, _ = estimate_row(row(metric="prefill_tokens_per_s", **single), f, LOOKUP)
    # one user: 100 tokens take TTFT + 100 TPOT; output rate = 100 / that, prefill = 10x output
    assert out_tps == pytest.approx(100 / ((ttft + 100 * tpot) / 1000), rel=1e-6)
    assert pre_tps == pytest.approx(10 * out_tps, rel=1e-6)


def test_read_cases_names_missing_columns(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("gpu,model\nh100,x\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing column\\(s\\) gpu_count"):
        read_cases(path)


def test_error_table_median_and_p90_by_hand():
    cases = [
        {"value": "100", "scenario": "single", "engine": "vllm"},
        {"value": "100", "scenario": "single", "engine": "vllm"},
        {"value": "100", "scenario": "offline", "engine": "trtllm"},
        {"value": "100", "scenario": "offline", "engine": "trtllm"},
        {"value": "100", "scenario": "offline", "engine": "trtllm"},
    ]
    estimates = [110.0, 80.0, 100.0, 150.0, None]  # errors 0.10, 0.20, 0.0, 0.5; last skipped
    table = error_table(cases, estimates)
    assert table["overall"].rows == 4
    assert table["overall"].median == pytest.approx(0.15)  # mean of 0.10 and 0.20
    # numpy linear p90 of [0, .1, .2, .5]: position 2.7 -> 0.2 + 0.7 * 0.3 = 0.41
    assert table["overall"].p90 == pytest.approx(0.41)
    assert table["scenario=single"].median == pytest.approx(0.15)
    assert table["engine=trtllm"].rows == 2


def test_refit_recovers_a_planted_bandwidth_efficiency():
    truth = factors()
    truth = replace(
        truth,
        engines={
            **truth.engines,
            "vllm": replace(truth.engines["vllm"], bandwidth_efficiency=0.45),
        },
    )
    cases = []
    # two model sizes, so bandwidth (scales with bytes) and step overhead (fixed) separate
    for model, prec, inp, out, conc, metric in [
        ("test-8b", "bf16", 0, 128, "1", "output_tokens_per_s"),
        ("test-70b", "fp8", 0, 64, "1", "tpot_ms"),
        ("test-8b", "bf16", 2000, 1, "1", "ttft_ms"),
        ("test-8b", "bf16", 300, 300, "4", "output_tokens_per_s"),
        ("test-70b", "fp8", 100, 500, "1", "output_tokens_per_s"),
    ]:
        r = row(
            model=model,
            precision=prec,
            input_tokens=str(inp),
            output_tokens=str(out),
            concurrency=conc,
            metric=metric,
        )
        value, _ = estimate_row(r, truth, LOOKUP)
        cases.append({**r, "value": str(value), "trust": "high"})
    start = factors()  # vllm bandwidth 0.5
    fitted = fit_factors(cases, start, LOOKUP, rounds=10, prior_weight=0.0)
    assert fitted.engines["vllm"].bandwidth_efficiency == pytest.approx(0.45, rel=0.05)


def test_shipped_factors_cover_every_engine_and_round_trip():
    f = load_factors()
    assert set(f.engines) == set(ENGINES)
    assert Factors.from_dict(f.to_dict()) == Factors.from_dict(Factors.from_dict(f.to_dict()).to_dict())
    for ef in f.engines.values():
        assert 0 < ef.bandwidth_efficiency <= 1 and 0 < ef.compute_efficiency <= 1
    assert "overall" in f.error_bands
    for key in f.error_bands:
        engine, _, scenario = key.partition("/")
        assert key == "overall" or (engine in ENGINES and scenario in ("offline", "server", "single"))


def test_priors_are_a_fixed_start():
    assert prior_factors() == prior_factors()
    assert set(prior_factors().engines) == set(ENGINES)
