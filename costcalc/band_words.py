"""Which error band an estimate quotes and how many held-out benchmarks it rests on, in the one wording every
surface uses (estimate's labels, report's bullets and assumptions, simulate's notes): 'vllm server band: 9 in 10 of 53
held-out benchmarks'. Pure data and words, imported by costcalc/bands.py (the range) and throughput/band_basis.py
(which counts the rows)."""

from __future__ import annotations

from dataclasses import dataclass

SHARE_WITHIN_OF_TEN = 9  # the range holds 90% of the lognormal: 9 of 10 benchmarks
OVERALL_BAND = "overall"  # the Factors.error_bands entry over every engine and class


@dataclass(frozen=True)
class BandBasis:
    """The error band an estimate quotes, the load class that picked it and the held-out rows behind it (its fields
    are the keys of `estimate -f json`'s `band` object; throughput/band_basis.py counts them)."""

    engine: str
    scenario: str  # the calibration class the estimate's load stands for: offline, server or single
    applies: str  # the Factors.error_bands entry quoted: 'vllm/offline', or 'overall' where the class has too few rows
    p90_error: (
        float | None
    )  # that entry: p90 of max(estimate / actual, actual / estimate) - 1 on benchmarks the fit did not see
    held_out_rows: int  # held-out output-rate rows the band's p90 is taken over
    class_held_out_rows: int  # held-out output-rate rows of the estimate's own engine and class

    @property
    def own(self) -> bool:
        """True where the estimate's engine and class have a band of their own (else the overall band applies)."""
        return self.applies != OVERALL_BAND


def basis_words(b: BandBasis) -> str:
    """Which band and how many held-out benchmarks, the one wording every surface uses: 'vllm offline band: 9 in 10
    of 82 held-out benchmarks', or 'overall band: 9 in 10 of 318 held-out benchmarks; sglang single has 5' below a
    class's own band."""
    said = f"{SHARE_WITHIN_OF_TEN} in 10 of {b.held_out_rows:,} held-out benchmarks"
    if b.own:
        return f"{b.engine} {b.scenario} band: {said}"
    return f"overall band: {said}; {b.engine} {b.scenario} has {b.class_held_out_rows:,}"
