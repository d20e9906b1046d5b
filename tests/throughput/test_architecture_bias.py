"""Which GPU architectures' held-out benchmarks the estimate misses one way (architecture_bias.score_architectures)."""

from __future__ import annotations

import pytest

from costcalc.throughput.architecture_bias import score_architectures, sign_test_p


def _rows(gpu: str, ratios: list[float], start: int, metric: str = "output_tokens_per_s"):
    """Calibration rows on `gpu` whose actual / held-out estimate are `ratios` (actual 100 tokens/s, or 10 ms)."""
    data, held, estimates = [], [], []
    for i, ratio in enumerate(ratios, start):
        case = f"tp-{i}"
        data.append(
            {
                "case_id": case,
                "gpu": gpu,
                "engine": "vllm",
                "metric": metric,
                "source_url": f"https://github.com/pub{i % 2}/x/blob/main/r{i}.csv",
            }
        )
        if metric == "tpot_ms":  # a step time: the estimate over the actual is the throughput ratio
            held.append({"case_id": case, "value": "10"})
            estimates.append(10 * ratio)
        else:
            held.append({"case_id": case, "value": "100"})
            estimates.append(100 / ratio)
    return data, held, estimates


def _score(*groups):
    data, held, estimates = [], [], []
    for d, h, e in groups:
        data += d
        held += h
        estimates += e
    return score_architectures(data, held, estimates)


# an unbiased reference: 40 H100 rows 10% off either way, so the overall median |error| stays near 0.1
REFERENCE = [0.9, 1.1] * 20


def test_an_architecture_off_one_way_by_more_than_the_median_error_is_biased():
    found = _score(_rows("h100-sxm-80gb", REFERENCE, 1), _rows("mi300x-192gb", [0.5, 0.6, 0.7, 0.65, 0.55], 100))
    assert list(found) == ["gfx942"]
    bias = found["gfx942"]
    assert (bias.rows, bias.one_side, bias.side, bias.gpus, bias.engines) == (
        5,
        5,
        "optimistic",
        ("mi300x-192gb",),
        ("vllm",),
    )
    assert bias.median == pytest.approx(0.6) and bias.low < 0.55 < bias.high < 0.7
    assert bias.publishers == ("github:pub0", "github:pub1")


def test_a_step_time_counts_the_other_way_up_and_faster_actuals_are_pessimistic():
    found = _score(_rows("h100-sxm-80gb", REFERENCE, 1), _rows("dgx-spark-gb10", [1.6] * 6, 100, metric="tpot_ms"))
    assert found["sm121"].side == "pessimistic" and found["sm121"].median == pytest.approx(1.6)


@pytest.mark.parametrize(
    "ratios, why",
    [
        ([0.5, 0.6, 0.7, 0.65], "4 of 4 below: a sign test's 1 in 16, not under 1 in 20"),
        ([0.6] * 6 + [1.4] * 5, "the median is off but 6 of 11 below is chance"),
        ([0.92] * 20, "every row below, but by less than the overall median error (about 0.1)"),
    ],
)
def test_few_rows_a_split_or_a_small_offset_is_not_a_bias(ratios, why):
    assert _score(_rows("h100-sxm-80gb", REFERENCE, 1), _rows("mi300x-192gb", ratios, 100)) == {}, why


def test_the_sign_test_counts_the_rows_on_one_side():
    assert sign_test_p(5, 5) == 1 / 32
    assert sign_test_p(12, 16) < 0.05 < sign_test_p(11, 16)
    assert sign_test_p(0, 7) == 1.0


def test_rows_outside_the_band_metrics_or_without_an_estimate_are_not_counted():
    d, h, e = _rows("mi300x-192gb", [0.5] * 6, 100, metric="ttft_ms")  # a TTFT row has its own errors
    d2, h2, e2 = _rows("mi300x-192gb", [0.5] * 6, 200)
    assert _score(_rows("h100-sxm-80gb", REFERENCE, 1), (d, h, e)) == {}
    assert _score(_rows("h100-sxm-80gb", REFERENCE, 1), (d2, h2, [None] * 6)) == {}
    assert list(_score(_rows("h100-sxm-80gb", REFERENCE, 1), (d2, h2, e2))) == ["gfx942"]  # with estimates: counted
