"""band_basis: the band an estimate quotes is its engine and load class's own where the calibration gave it one, else
the overall band, with the held-out rows each rests on (counted as calibration.band_table groups them)."""

from __future__ import annotations

from costcalc.catalog import get_gpu, get_model
from costcalc.throughput.band_basis import band_basis
from costcalc.throughput.calibration import band_table, read_holdout
from costcalc.throughput.estimate import estimate
from costcalc.throughput.factors import error_band, load_factors, scenario_class


def _estimate(engine: str, concurrency: int | None):
    return estimate(
        get_gpu("h100-sxm-80gb"),
        get_model("llama-3.1-8b"),
        engine=engine,
        input_tokens=1000,
        output_tokens=200,
        concurrency=concurrency,
    )


def test_the_estimate_records_the_load_class_that_picked_its_band() -> None:
    for concurrency, scenario in ((None, "offline"), (8, "server"), (1, "single")):
        e = _estimate("vllm", concurrency)
        assert e.band_scenario == scenario == scenario_class(concurrency)
        assert e.error_band == error_band(load_factors(), "vllm", scenario)


def test_every_engine_and_class_names_the_band_it_quotes_and_its_rows() -> None:
    shipped = load_factors()
    table = band_table(*read_holdout())
    for engine in ("vllm", "sglang", "trtllm"):
        for concurrency in (None, 8, 1):
            e = _estimate(engine, concurrency)
            b = band_basis(e)
            own = f"{engine}/{e.band_scenario}"
            assert b.key == (own if own in shipped.error_bands else "overall")
            assert b.own == (b.key != "overall")
            assert b.band == e.error_band == shipped.error_bands[b.key]
            assert b.rows == table[b.key].rows
            assert b.class_rows == (table[own].rows if own in table else 0)


def test_a_class_below_its_own_band_says_overall_and_how_few_rows_it_has() -> None:
    shipped, table = load_factors(), band_table(*read_holdout())
    engines = ("vllm", "sglang", "trtllm")  # those that run llama-3.1-8b on an H100
    thin = [k for k in table if k.split("/")[0] in engines and k not in shipped.error_bands]
    assert thin, "every class of these engines has its own band now; pick another case for this test"
    engine, scenario = thin[0].split("/")
    concurrency = {"offline": None, "server": 8, "single": 1}[scenario]
    b = band_basis(_estimate(engine, concurrency))
    assert (b.key, b.own, b.rows, b.class_rows) == ("overall", False, table["overall"].rows, table[thin[0]].rows)
