"""Which held-out benchmarks an estimate's error band rests on: its engine and load class's own, or all engines'."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from costcalc.throughput.estimate import Estimate
from costcalc.throughput.factors import OVERALL_BAND, Factors, band_key, error_band_key, load_factors


@dataclass(frozen=True)
class BandBasis:
    """The error band an estimate quotes, the load class that picked it and the held-out rows behind it."""

    engine: str
    scenario: str  # the calibration class the estimate's load stands for: offline, server or single
    key: str  # the Factors.error_bands entry quoted: 'vllm/offline', or 'overall' where the class has too few rows
    band: float | None  # that entry: p90 of |estimate - actual| / actual on benchmarks the fit did not see
    rows: int  # held-out output-rate rows the band's p90 is taken over
    class_rows: int  # held-out output-rate rows of the estimate's own engine and class

    @property
    def own(self) -> bool:
        """True where the estimate's engine and class have a band of their own (else the overall band applies)."""
        return self.key != OVERALL_BAND


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
