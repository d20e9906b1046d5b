"""A what-if's resolutions that differ only in numbers, costed at once: the same figures as costing each apart."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from costcalc.analysis import points
from costcalc.analysis.points import load_book, resolve
from costcalc.analysis.stacked import stacked
from costcalc.api import simulate
from costcalc.scenario.loaders import ScenarioSource

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "startup-chatbot.yaml"
TODAY = dt.date(2026, 12, 7)


@pytest.fixture
def sampled(tmp_path: Path) -> Path:
    text = EXAMPLE.read_text()
    assert "  output_tokens: 250 " in text and "  requests_per_day: 40000 " in text
    text = text.replace("  output_tokens: 250 ", "  output_tokens: {dist: normal, mean: 250, sd: 40}  ")
    text = text.replace(
        "  requests_per_day: 40000 ", "  requests_per_day: {dist: lognormal, median: 40000, sigma: 0.4}"
    )
    path = tmp_path / "sampled.yaml"
    path.write_text(text)
    return path


def test_a_sampled_length_is_costed_in_one_evaluation_with_the_figures_of_each_sample_costed_apart(
    sampled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    evaluate = points.evaluate

    def counted(resolved, values, n, **kw):  # type: ignore[no-untyped-def]
        calls.append(n)
        return evaluate(resolved, values, n, **kw)

    monkeypatch.setattr(points, "evaluate", counted)
    at_once = simulate(sampled, samples=60, seed=2, today=TODAY, interpolate_lengths=True)
    assert calls == [60]  # every sample re-resolves (60 lengths): one costing of all of them
    calls.clear()
    monkeypatch.setattr(points, "stacked", lambda resolutions, of_point: None)  # each resolution costed apart
    apart = simulate(sampled, samples=60, seed=2, today=TODAY, interpolate_lengths=True)
    assert len(calls) == 60
    assert at_once.to_dict() == apart.to_dict()
    assert at_once.sample_columns.keys() == apart.sample_columns.keys()
    for key, column in at_once.sample_columns.items():
        assert np.array_equal(column, apart.sample_columns[key], equal_nan=True), key  # to the bit


def test_resolutions_stack_where_only_numbers_differ_and_not_otherwise() -> None:
    source = ScenarioSource.load(str(EXAMPLE))
    book = load_book((), None, None, TODAY)
    short, long = (resolve(source.build({"workload.output_tokens": v}), book) for v in (240.5, 260.5))
    one = stacked([short, long], np.array([1, 0, 1]))
    assert one is not None
    assert np.array_equal(one.shape.output_tokens, [260.5, 240.5, 260.5])
    assert one.shape.buckets is short.shape.buckets  # what both have: the first's, as it is
    for option, a, b in zip(one.options, short.options, long.options, strict=True):
        if option.kind == "self_hosted":
            low, high = a.cost.plan.capacity_requests_per_s, b.cost.plan.capacity_requests_per_s
            assert low != high and list(option.cost.plan.capacity_requests_per_s) == [high, low, high]
        else:
            assert option.cost is a.cost
    longer = resolve(source.build({"workload.output_tokens": 260.5, "horizon_months": 12}), book)
    assert stacked([short, longer], np.array([0, 1])) is None  # another horizon: costed apart


def test_resolutions_are_held_a_batch_at_a_time(sampled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = simulate(sampled, samples=30, seed=4, today=TODAY, interpolate_lengths=True)
    calls: list[int] = []
    evaluate = points.evaluate

    def counted(resolved, values, n, **kw):  # type: ignore[no-untyped-def]
        calls.append(n)
        return evaluate(resolved, values, n, **kw)

    monkeypatch.setattr(points, "evaluate", counted)
    monkeypatch.setattr(points, "HELD_RESOLUTIONS", 8)  # memory: at most this many resolutions held at once
    batched = simulate(sampled, samples=30, seed=4, today=TODAY, interpolate_lengths=True)
    assert calls == [8, 8, 8, 6]
    for key, column in whole.sample_columns.items():
        assert np.array_equal(column, batched.sample_columns[key], equal_nan=True), key
