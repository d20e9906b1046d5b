"""The band an estimate quotes and the actual range it gives, for `costcalc estimate` and the Python API alike."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from costcalc.analysis.cases import CaseBand
from costcalc.bands import ActualRange, range_for
from costcalc.catalog.specs import GpuSpec, ModelSpec
from costcalc.report.nearest_runs import NearestRuns
from costcalc.throughput.band_basis import band_basis
from costcalc.throughput.estimate import GAP_FIELDS, Estimate


def estimate_band(e: Estimate, model: ModelSpec | None = None, gpu: GpuSpec | None = None) -> CaseBand:
    """The estimate's band basis (engine, load class, entry, held-out rows), the concurrency it ran and the range
    its band allows, widened where published runs of `model` (default: the estimate's) or held-out benchmarks of its
    GPU's architecture measured past it; `gpu`: the estimate's GPU (default: the catalog's e.gpu; a custom GPU's
    spec)."""
    from costcalc.catalog import get_gpu, get_model

    spec = model if model is not None else get_model(e.model)
    if gpu is None:  # its architecture's held-out benchmarks widen the range too (bands.range_for)
        gpu = get_gpu(e.gpu)
    actual = range_for(e.error_band, spec, e.engine, e.band_scenario, gpu, e.precision)
    return CaseBand(band_basis(e), e.concurrency, actual)


@dataclass(frozen=True)
class BandedEstimate(Estimate):
    """An Estimate with what `estimate -f json` writes beside it: `actual_range` (actual throughput as factors of the
    estimate, 9 in 10), `band` (its JSON object: engine, scenario, concurrency, applies, p90_error,
    held_out_rows, class_held_out_rows, label) and `published_runs` (the published runs nearest it, as estimate -f json's
    published_runs); all None where the configuration does not fit, and so are its
    ttft_ms and tpot_ms (the estimator's 'never', inf, read 'inf ms' in a notebook), as `estimate --cases` writes no
    figure for it; `reason` says why it does not fit. For one-token answers tpot_ms and output_tokens_per_s_per_user
    are None (Estimate.one_token: no gap between tokens to time), as estimate -f json writes them."""

    ttft_ms: float | None  # type: ignore[assignment]  # None: it does not fit
    tpot_ms: float | None  # type: ignore[assignment]  # None: it does not fit, or one-token answers
    output_tokens_per_s_per_user: float | None  # type: ignore[assignment]  # None: one-token answers
    actual_range: ActualRange | None = None
    band: dict[str, Any] | None = None
    published_runs: NearestRuns | None = None  # the published runs nearest it (analysis/published_runs.py)


# an estimate that does not fit has no time to its first token or between tokens: no figure, not inf
_UNTIMED_WHEN_NOT_FIT = ("ttft_ms", "tpot_ms")


def banded(
    e: Estimate, actual_range: ActualRange | None, band: dict[str, Any] | None, runs: NearestRuns | None = None
) -> BandedEstimate:
    """`e` with its range, band object and nearest published runs beside its fields (no times where it does not
    fit)."""
    values = {f.name: getattr(e, f.name) for f in fields(Estimate)}
    if not e.fits:
        values.update(dict.fromkeys(_UNTIMED_WHEN_NOT_FIT))
    if e.one_token:  # no gap between tokens to time, as estimate -f json writes it
        values.update(dict.fromkeys(GAP_FIELDS))
    return BandedEstimate(**values, actual_range=actual_range, band=band, published_runs=runs)


__all__ = ["BandedEstimate", "banded", "estimate_band"]
