"""`costcalc catalog benchmarks` reads the held-out rows behind every band: their p90 error is the band an estimate
quotes, their count the 'of N held-out benchmarks' it names (before, no command listed them: a band's 53 rows were
the output-rate and TPOT rows of one engine and class in a package file no output named)."""

from __future__ import annotations

from pathlib import Path

import pytest

from costcalc.analysis.benchmarks import band_benchmarks
from costcalc.api import analyze
from costcalc.band_words import OVERALL_BAND
from costcalc.errors import InputError
from costcalc.throughput.factors import load_factors

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("key", sorted(load_factors().error_bands))
def test_the_rows_listed_give_every_band_the_estimator_quotes(key: str) -> None:
    engine, _, load_class = key.partition("/")
    found = band_benchmarks(engine or None, load_class or None) if key != OVERALL_BAND else band_benchmarks()
    assert found.stats is not None and found.stats.rows == len(found.rows)
    assert found.stats.p90 == pytest.approx(load_factors().error_bands[key], rel=5e-4)  # factors.json: 4 digits
    assert found.quoted == key
    if key != OVERALL_BAND:
        assert {(r.engine, r.load_class) for r in found.rows} == {(engine, load_class)}


def test_the_readme_examples_band_reads_row_by_row() -> None:
    result = analyze(ROOT / "examples/startup-chatbot.yaml", today="2026-12-06")
    o = result.option("gpt-oss-20b on a rented L40S")
    assert o.throughput is not None
    basis = o.throughput.allowed_range().band_basis
    assert basis is not None and basis.applies == "vllm/server"
    found = band_benchmarks("vllm", "server")
    assert len(found.rows) == basis.held_out_rows  # the count the bullet quotes ("of 53 held-out benchmarks")
    assert f"of {len(found.rows)} held-out benchmarks" in o.throughput.detail
    assert found.stats is not None and f"{found.stats.p90:.3f}" == f"{basis.p90_error:.3f}"
    assert all(r.source_url.startswith("https://") and r.source_date for r in found.rows)


def test_a_class_below_twenty_rows_says_the_overall_band_applies() -> None:
    found = band_benchmarks("sglang", "single")
    assert len(found.rows) < 20 and found.quoted == OVERALL_BAND
    assert found.quoted_p90 == load_factors().error_bands[OVERALL_BAND]


def test_an_unknown_engine_is_refused_with_the_engines() -> None:
    with pytest.raises(InputError, match=r"'vlm' \(did you mean: vllm\?\); engines: llamacpp, mlx, sglang"):
        band_benchmarks("vlm", "server")
