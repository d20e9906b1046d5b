"""Tests of row metric semantics, leave-one-source-out estimates and cross-validated bands."""

from __future__ import annotations

from dataclasses import replace

import pytest

from costcalc.throughput.calibration import (
    BAND_MIN_ROWS,
    ErrorStats,
    band_table,
    estimate_row,
    fit_factors,
    leave_one_source_out,
    prior_factors,
    row_metric,
    source_of,
    with_error_bands,
)
from costcalc.throughput.factors import error_band
from tests.throughput.test_calibration import LOOKUP, row
from tests.throughput.test_estimate import factors


def test_a_row_is_scored_by_its_metric_label():
    assert row_metric(row()) == "output_tokens_per_s"
    assert row_metric(row(metric="decode_tokens_per_s", notes="S_TG")) == "decode_tokens_per_s"
    # the notes text no longer changes what a row measures
    assert row_metric(row(notes="llama-batched-bench S_TG (prefill time excluded)")) == "output_tokens_per_s"


def test_a_decode_only_row_is_estimated_without_its_prefill_time():
    f = factors()
    batch = {"concurrency": "32", "input_tokens": "512", "output_tokens": "32"}
    labelled, _ = estimate_row(row(**batch), f, LOOKUP)
    decode_only, _ = estimate_row(row(metric="decode_tokens_per_s", **batch), f, LOOKUP)
    # 32 prompts of 512 tokens against 32 output tokens each: prefill is a large share
    assert decode_only > 1.2 * labelled


def test_source_ignores_the_url_fragment():
    assert source_of({"source_url": "https://x/doc.md#table-2"}) == "https://x/doc.md"
    assert source_of({}) == ""


def test_leave_one_source_out_predicts_each_source_from_the_others():
    truth = factors()
    cases = []
    for src, model, inp, out in [
        ("https://a", "test-8b", 0, 128),
        ("https://a", "test-70b", 0, 64),
        ("https://b", "test-8b", 500, 200),
        ("https://b", "no-such-model", 500, 200),
    ]:
        r = row(
            model=model,
            precision="fp8",
            input_tokens=str(inp),
            output_tokens=str(out),
            concurrency="1",
            source_url=src,
        )
        value, _ = estimate_row(r, truth, LOOKUP)
        cases.append({**r, "value": str(value or 1.0), "trust": "high"})
    held_out = leave_one_source_out(cases, LOOKUP, rounds=1)
    assert len(held_out) == len(cases)
    assert held_out[3] is None  # unknown model: no estimate, kept in place
    assert all(v is not None and v > 0 for v in held_out[:3])
    # holding out only the named sources leaves the other rows without an estimate
    only_b = leave_one_source_out(cases, LOOKUP, rounds=1, sources=["//b"])
    assert only_b[:2] == [None, None]
    assert only_b[2] == pytest.approx(held_out[2])


def test_a_held_out_fold_fits_as_far_as_the_shipped_fit():
    """A fold runs every round of the in-sample fit (its last step 2%, not 10%), so a held-out estimate is the
    estimate of the factors that fit_factors ships when given the other sources' rows."""
    truth = factors()
    cases = []
    for src, model, inp, out, conc in [
        ("https://a", "test-8b", 0, 128, "1"),
        ("https://a", "test-70b", 0, 64, "1"),
        ("https://a", "test-8b", 2000, 100, "16"),
        ("https://b", "test-8b", 500, 200, "1"),
    ]:
        r = row(model=model, precision="fp8", input_tokens=str(inp), output_tokens=str(out), concurrency=conc)
        value, _ = estimate_row(r, truth, LOOKUP)
        assert value is not None
        # measured 23% above the truth's estimate: far enough from the priors for the last steps to matter
        cases.append({**r, "source_url": src, "value": str(1.23 * value), "trust": "high"})
    shipped = fit_factors(cases[:3], prior_factors(), LOOKUP)
    held_out = leave_one_source_out(cases, LOOKUP, sources=["//b"])
    assert held_out[3] == pytest.approx(estimate_row(cases[3], shipped, LOOKUP)[0], rel=1e-9)


def test_a_class_gets_its_own_band_only_with_twenty_rows():
    cv = {
        "overall": ErrorStats(60, 0.2, 0.6),
        "vllm/offline": ErrorStats(BAND_MIN_ROWS, 0.2, 0.7),
        "vllm/server": ErrorStats(BAND_MIN_ROWS - 1, 0.1, 0.4),
    }
    f = with_error_bands(replace(factors(), error_bands={}), cv, fitted_on="x.csv")
    assert f.error_bands == pytest.approx({"overall": 0.6, "vllm/offline": 0.7})
    assert f.fitted_on == "x.csv"
    # one function picks the band: its own class where it has one, the overall figure otherwise
    assert error_band(f, "vllm", "offline") == pytest.approx(0.7)
    assert error_band(f, "vllm", "server") == pytest.approx(0.6)
    assert error_band(f, "mlx", "single") == pytest.approx(0.6)


def test_band_table_groups_output_rate_rows_by_engine_and_scenario():
    cases = [
        {"value": "100", "engine": "vllm", "scenario": "single", "metric": "output_tokens_per_s"},
        {"value": "100", "engine": "vllm", "scenario": "single", "metric": "ttft_ms"},
        {"value": "100", "engine": "vllm", "scenario": "single", "metric": "prefill_tokens_per_s"},
        {"value": "100", "engine": "sglang", "scenario": "offline", "metric": "decode_tokens_per_s"},
    ]
    table = band_table(cases, [110.0, 300.0, 300.0, 50.0])
    assert table["overall"].rows == 2  # the TTFT and prefill rows (200% off) are left out
    assert table["vllm/single"].p90 == pytest.approx(0.1)
    assert table["sglang/offline"].p90 == pytest.approx(0.5)
