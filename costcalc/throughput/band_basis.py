"""Which held-out benchmarks an estimate's error band rests on: its engine and load class's own, or all engines'."""

from __future__ import annotations

import functools

from costcalc.band_words import BandBasis
from costcalc.throughput.estimate import Estimate
from costcalc.throughput.factors import Factors, band_key, error_band_key, load_factors


@functools.cache
def _held_out_rows() -> dict[str, int]:
    """Rows per band key in the shipped leave-one-source-out file (scoring.band_table's grouping)."""
    from costcalc.throughput.holdout import read_holdout
    from costcalc.throughput.scoring import band_table

    return {key: stats.rows for key, stats in band_table(*read_holdout()).items()}


def band_basis(e: Estimate, factors: Factors | None = None) -> BandBasis:
    """The basis of `e.error_band`: factors.error_band's choice (own class, else overall) with its row counts."""
    return class_basis(e.engine, e.band_scenario, e.error_band, factors)


def class_basis(engine: str, scenario: str, band: float | None, factors: Factors | None = None) -> BandBasis:
    """The basis of the band `band` quoted for an engine and load class (an Estimate's, or a cases row's)."""
    f = factors or load_factors()
    key = error_band_key(f, engine, scenario)
    rows = _held_out_rows()
    return BandBasis(engine, scenario, key, band, rows.get(key, 0), rows.get(band_key(engine, scenario), 0))


__all__ = ["BandBasis", "band_basis", "class_basis"]
