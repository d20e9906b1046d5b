"""Tests of the refit: it recovers a planted factor."""

from __future__ import annotations

from dataclasses import replace

import pytest

from costcalc.throughput.calibration import estimate_row
from costcalc.throughput.fit import fit_factors
from tests.throughput.test_calibration import LOOKUP, row
from tests.throughput.test_estimate import factors


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
