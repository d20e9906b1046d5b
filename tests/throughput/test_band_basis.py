"""band_basis: the band an estimate quotes is its engine and load class's own where the calibration gave it one, else
the overall band, with the held-out rows each rests on (counted as scoring.band_table groups them)."""

from __future__ import annotations

from typing import Any

from costcalc.catalog import get_gpu, get_model
from costcalc.throughput.band_basis import band_basis
from costcalc.throughput.estimate import Estimate, estimate
from costcalc.throughput.factors import error_band, load_factors, scenario_class
from costcalc.throughput.holdout import read_holdout
from costcalc.throughput.scoring import band_table


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
            assert b.applies == (own if own in shipped.error_bands else "overall")
            assert b.own == (b.applies != "overall")
            assert b.p90_error == e.error_band == shipped.error_bands[b.applies]
            assert b.held_out_rows == table[b.applies].rows
            assert b.class_held_out_rows == (table[own].rows if own in table else 0)


def test_a_class_below_its_own_band_says_overall_and_how_few_rows_it_has() -> None:
    shipped, table = load_factors(), band_table(*read_holdout())
    engines = ("vllm", "sglang", "trtllm")  # those that run llama-3.1-8b on an H100
    thin = [k for k in table if k.split("/")[0] in engines and k not in shipped.error_bands]
    assert thin, "every class of these engines has its own band now; pick another case for this test"
    engine, scenario = thin[0].split("/")
    concurrency = {"offline": None, "server": 8, "single": 1}[scenario]
    b = band_basis(_estimate(engine, concurrency))
    assert (b.applies, b.own, b.held_out_rows, b.class_held_out_rows) == (
        "overall",
        False,
        table["overall"].rows,
        table[thin[0]].rows,
    )


def _gpt_oss_120b(concurrency: int | None):
    return estimate(
        get_gpu("h100-sxm-80gb"),
        get_model("gpt-oss-120b"),
        input_tokens=1000,
        output_tokens=200,
        concurrency=concurrency,
    )


def test_a_concurrency_at_or_above_what_fits_quotes_the_full_load_band() -> None:
    """qa11 finding 5: as many as fit ran 223 in flight under the vllm offline band, while --concurrency 223 (the same
    run) quoted the vllm server band. The class follows the load run: the full load is 'offline' however it was
    asked for, one below it a fixed 'server' load."""
    full = _gpt_oss_120b(None)
    n = full.concurrency
    assert full.band_scenario == "offline" and n == full.max_concurrency > 2
    for asked in (n, n + 1, 10 * n):
        e = _gpt_oss_120b(asked)
        assert (e.concurrency, e.output_tokens_per_s) == (n, full.output_tokens_per_s)  # the same run
        assert (e.band_scenario, e.error_band) == ("offline", full.error_band), asked
    below = _gpt_oss_120b(n - 1)
    assert (below.band_scenario, below.error_band) == ("server", error_band(load_factors(), "vllm", "server"))


def llama(concurrency: int | None, **kw: Any) -> Estimate:
    """llama-3.1-8b q4_k_m on llama.cpp on an RTX 4090, 500 in / 200 out, unless `kw` says otherwise."""
    shape = {"input_tokens": 500, "engine": "llamacpp", "precision": "q4_k_m"} | kw
    return estimate(
        get_gpu("rtx-4090-24gb"), get_model("llama-3.1-8b"), output_tokens=200, concurrency=concurrency, **shape
    )


def test_llama_server_slots_are_its_full_load_and_one_request_that_fits_is_single_stream() -> None:
    """llama.cpp's full load is llama-server's unasked slots (4), so --concurrency 4 is that run and 8 a fixed load;
    where only one request fits, the full load is one request at a time: the single-stream class (every
    single-stream calibration row runs one, no offline row does)."""
    full = llama(None)
    assert (full.concurrency, full.band_scenario) == (4, "offline") and full.max_concurrency > 8
    assert llama(4).band_scenario == "offline" and llama(8).band_scenario == "server"
    one = llama(None, engine="vllm", precision="fp8", input_tokens=50_000)
    assert (one.max_concurrency, one.concurrency) == (1, 1)
    assert one.band_scenario == llama(1, engine="vllm", precision="fp8", input_tokens=50_000).band_scenario == "single"
    assert one.error_band == error_band(load_factors(), "vllm", "single")


def test_requests_beyond_llama_servers_unasked_slots_wait_and_an_in_process_count_runs() -> None:
    """server=True (the CLI and the API: requests reach llama-server started without -np): 8 asked for run its 4
    slots, the full load, and 4 wait; the default (calibration's in-process rows, llama-batched-bench -npl 8) runs 8."""
    full, served = llama(None), llama(8, server=True)
    assert (served.concurrency, served.requests_waiting, served.band_scenario) == (4, 4, "offline")
    assert served.output_tokens_per_s == full.output_tokens_per_s and served.waiting_note is not None
    assert llama(4, server=True).requests_waiting == 0 and llama(4, server=True).waiting_note is None
    in_process = llama(8)
    assert (in_process.concurrency, in_process.requests_waiting, in_process.band_scenario) == (8, 0, "server")
    assert llama(8, server=True, engine_version="b5540").concurrency == 1  # an older build's one slot
