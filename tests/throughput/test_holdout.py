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


def test_a_fold_that_holds_out_an_overhead_s_source_starts_without_what_was_read_from_it(monkeypatch):
    """The request overheads are read off one calibration page's rows (priors.SOURCED_OVERHEADS): the fold that holds
    that page out starts from the values the estimator had without it, every other fold from the shipped priors."""
    from costcalc.throughput import holdout
    from costcalc.throughput.priors import REQUEST_OVERHEAD_SOURCE, SOURCED_OVERHEADS

    starts: dict[str, dict[str, float]] = {}

    def record(train, start, lookup, rounds):
        held = {r["source_url"] for r in cases} - {r["source_url"] for r in train}
        starts[held.pop()] = {e: ef.request_overhead_ms for e, ef in start.engines.items()}
        return start

    monkeypatch.setattr(holdout, "fit_factors", record)
    cases = [
        {
            **row(model="test-8b", precision="fp8", input_tokens="0", output_tokens="64", concurrency="1"),
            "source_url": u,
        }
        for u in (REQUEST_OVERHEAD_SOURCE, "https://b")
    ]
    leave_one_source_out(cases, LOOKUP, rounds=1)
    shipped = {e: ef.request_overhead_ms for e, ef in prior_factors().engines.items()}
    assert starts["https://b"] == shipped
    without = {so.engine: so.without_ms for so in SOURCED_OVERHEADS}
    assert starts[REQUEST_OVERHEAD_SOURCE] == {**shipped, **without}
    assert starts[REQUEST_OVERHEAD_SOURCE]["sglang"] != shipped["sglang"]
