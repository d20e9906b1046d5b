"""The shipped factors are what the refit script produces from the shipped calibration set."""

from __future__ import annotations

from costcalc.throughput.calibration import CALIBRATION_CSV, estimate_row, read_cases
from costcalc.throughput.factors import Factors, load_factors
from costcalc.throughput.fit import fit_factors
from costcalc.throughput.holdout import read_holdout
from costcalc.throughput.priors import prior_factors
from costcalc.throughput.scoring import band_table, with_error_bands


def _usable_rows() -> list[dict[str, str]]:
    _, rows = read_cases(CALIBRATION_CSV)
    return [r for r in rows if estimate_row(r, prior_factors())[0] is not None]


def test_shipped_factors_equal_a_refit_of_the_shipped_data():
    """benchmarks/calibrate_estimator.py fits from the priors; the same fit must give factors.json.

    Compared through to_dict (4 significant digits, as the file stores them), bands aside: they
    come from the cross-validation, checked against its recorded estimates below.
    """
    shipped = load_factors()
    refit = fit_factors(_usable_rows(), prior_factors())
    strip = {"error_bands", "fitted_on"}
    want = {k: v for k, v in shipped.to_dict().items() if k not in strip}
    got = {k: v for k, v in Factors.from_dict({**refit.to_dict(), "fitted_on": ""}).to_dict().items() if k not in strip}
    assert got == want


def test_shipped_bands_are_the_p90s_of_the_recorded_held_out_estimates():
    rows = _usable_rows()
    held_rows, held = read_holdout()
    assert [r["case_id"] for r in held_rows] == [r["case_id"] for r in rows]
    assert [r["value"] for r in held_rows] == [r["value"] for r in rows]
    shipped = load_factors()
    bands = with_error_bands(shipped, band_table(rows, held), fitted_on=shipped.fitted_on).error_bands
    # both at the 4 significant digits factors.json stores
    assert (
        Factors.from_dict({**shipped.to_dict(), "error_bands": bands}).to_dict()["error_bands"]
        == (shipped.to_dict()["error_bands"])
    )
