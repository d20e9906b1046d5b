"""The tensor rates the estimate uses for a GPU and how it derives one the catalog lacks, asked of tensor_tflops."""

from __future__ import annotations

import pytest

from costcalc.catalog import list_gpus
from costcalc.throughput.rates import Rate, bf16_rate, fp8_rate
from costcalc.throughput.tensor_tflops import bf16_tflops, peak_tflops
from tests.throughput.test_estimate import gpu_h100

NO_RATES = {"bf16_tflops": None, "fp8_tflops": None, "int8_tops": None, "fp4_tflops": None}


@pytest.mark.parametrize("gpu", list_gpus(), ids=lambda g: g.id)
def test_the_rates_are_the_estimates_whatever_the_catalog_holds(gpu) -> None:  # type: ignore[no-untyped-def]
    assert bf16_rate(gpu).tflops == bf16_tflops(gpu)
    assert fp8_rate(gpu).tflops == peak_tflops(gpu, "fp8")
    assert (bf16_rate(gpu).how is None) == (gpu.bf16_tflops is not None)
    assert (fp8_rate(gpu).how is None) == (gpu.fp8_tflops is not None)


def test_catalog_rates_are_not_derived() -> None:
    assert (bf16_rate(gpu_h100()), fp8_rate(gpu_h100())) == (Rate(989), Rate(1979))


@pytest.mark.parametrize(
    ("rates", "bf16", "how"),
    [
        ({"fp8_tflops": 800}, 400, "fp8 / 2"),
        ({"int8_tops": 600}, 300, "int8 / 2"),
        ({"fp4_tflops": 1676}, 419, "fp4 / 4"),
        ({}, 3350 * 30 / 1000, "30 FLOP per byte of memory bandwidth"),
    ],
)
def test_a_derived_bf16_rate_says_how(rates: dict[str, float], bf16: float, how: str) -> None:
    assert bf16_rate(gpu_h100(**{**NO_RATES, **rates})) == Rate(pytest.approx(bf16), how)  # type: ignore[arg-type]


def test_fp8_without_its_own_rate_runs_at_the_bf16_rate() -> None:
    assert fp8_rate(gpu_h100(fp8_tflops=None)) == Rate(989, "bf16")
    assert fp8_rate(gpu_h100(**{**NO_RATES, "fp4_tflops": 2000})) == Rate(500, "bf16")
