"""Tests of the leave-one-source-out estimates."""

from __future__ import annotations

import pytest

from costcalc.throughput.calibration import estimate_row
from costcalc.throughput.fit import fit_factors
from costcalc.throughput.holdout import leave_one_source_out
from costcalc.throughput.priors import prior_factors
from tests.throughput.test_calibration import LOOKUP, row
from tests.throughput.test_estimate import factors


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
