"""Tests of the error table and the error bands the held-out errors set."""

from __future__ import annotations

from dataclasses import replace

import pytest

from costcalc.throughput.factors import error_band
from costcalc.throughput.scoring import BAND_MIN_ROWS, ErrorStats, band_table, error_table, with_error_bands
from tests.throughput.test_estimate import factors


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
