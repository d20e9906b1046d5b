"""The shipped calibration set: every row sourced and dated, and the coverage the estimator rests on."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from costcalc.catalog import get_gpu, get_model
from costcalc.throughput.calibration import CALIBRATION_CSV, CASE_COLUMNS, METRICS, SCENARIOS, read_cases, row_protocol
from costcalc.throughput.factors import ENGINES, gpu_class
from costcalc.throughput.protocols import SIMULATED_PROTOCOLS
from costcalc.throughput.tensor_tflops import peak_tflops
from costcalc.units import FLOPS_PER_TFLOP

DATE_BASES = {"commit", "stated", "read", "handover"}
MIN_ROWS = 150
MIN_ROWS_PER_ENGINE = 20


# data19's rows staged for a later refit (benchmarks/data/README.md says why they wait)
PENDING_CSV = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "calibration_pending.csv"


def _pending_rows() -> list[dict[str, str]]:
    return read_cases(PENDING_CSV)[1]


def _rows() -> list[dict[str, str]]:
    header, rows = read_cases(CALIBRATION_CSV)
    assert set(CASE_COLUMNS) <= set(header)
    return rows


def test_every_row_has_a_source_url_a_date_and_how_the_date_is_known():
    for r in _rows():
        assert r["source_url"].startswith("https://"), r["case_id"]
        day = dt.date.fromisoformat(r["source_date"])
        assert dt.date(2023, 1, 1) <= day <= dt.date(2026, 12, 31), r["case_id"]
        assert r["date_basis"] in DATE_BASES, r["case_id"]
        assert r["notes"].strip(), r["case_id"]


def test_rows_are_unique_and_well_formed():
    rows = _rows()
    ids = [r["case_id"] for r in rows]
    assert len(ids) == len(set(ids))
    for r in rows:
        assert r["metric"] in METRICS and r["scenario"] in SCENARIOS and r["engine"] in ENGINES, r["case_id"]
        assert float(r["value"]) > 0, r["case_id"]
        get_model(r["model"]), get_gpu(r["gpu"])  # every row names catalog entries


def test_coverage_engines_scenarios_and_hardware_classes():
    rows = _rows()
    assert len(rows) >= MIN_ROWS
    per_engine = Counter(r["engine"] for r in rows)
    assert all(per_engine[e] >= MIN_ROWS_PER_ENGINE for e in ENGINES), per_engine
    assert {r["scenario"] for r in rows} == set(SCENARIOS)
    assert {gpu_class(get_gpu(r["gpu"])) for r in rows} == {"datacenter", "workstation", "apple"}


def test_every_row_states_how_its_benchmark_loaded_the_server():
    from costcalc.throughput.calibration import SERVED_METRICS, row_protocol
    from costcalc.throughput.protocols import DATASETS, SIMULATED_PROTOCOLS

    kinds = Counter()
    for r in _rows():
        protocol = row_protocol(r)  # raises on a protocol without what its kind needs
        kinds[protocol.kind] += 1
        if protocol.kind in SIMULATED_PROTOCOLS:
            assert r["metric"] in SERVED_METRICS, r["case_id"]
            assert r["dataset"] in DATASETS, r["case_id"]
        if protocol.kind in {"burst", "queued"}:
            assert not r["concurrency"], r["case_id"]  # a burst has no client cap; num_prompts holds its size
        if protocol.kind == "rate":
            assert r["scenario"] == "server" and not r["concurrency"], r["case_id"]  # open loop: no client cap
    # the served benchmarks are simulated as they ran: bursts, closed loops, queued runs and
    # servers at a stated request rate all present
    assert kinds["burst"] >= 50 and kinds["closed_loop"] >= 10 and kinds["queued"] >= 10, kinds
    assert kinds["rate"] >= 10, kinds


def test_single_stream_rows_send_one_request_at_a_time():
    # a single-stream row is one request in flight: one client (or a batch of one) and no arrival rate
    for r in _rows():
        if r["scenario"] == "single":
            assert r["concurrency"] == "1" and not r["request_rate"], r["case_id"]


def test_latency_rows_have_the_lengths_their_metric_needs():
    # a time to first token needs a prompt; a time per output token needs a second output token
    for r in _rows():
        if r["metric"] == "ttft_ms":
            assert int(r["input_tokens"]) >= 1, r["case_id"]
        if r["metric"] == "tpot_ms":
            assert int(r["output_tokens"]) >= 2, r["case_id"]


# Engines whose server (multi-client) capacity the estimator is calibrated on, and how many server
# rows each must keep; llama.cpp has one (an L4 closed loop at its server's slot count, inference-bench) and
# MLX none yet (no public server runs with stated settings found).
SERVER_ENGINES = ("vllm", "sglang", "trtllm")
MIN_SERVER_ROWS_PER_ENGINE = 20


def test_server_rows_for_each_serving_engine():
    rows = _rows()
    per_engine = Counter(r["engine"] for r in rows if r["scenario"] == "server")
    assert all(per_engine[e] >= MIN_SERVER_ROWS_PER_ENGINE for e in SERVER_ENGINES), per_engine
    # a server row loads the server with more than one request at a time
    for r in rows:
        if r["scenario"] == "server":
            assert r["request_rate"] or int(r["concurrency"] or 0) > 1, r["case_id"]


def test_server_latency_rows_for_each_serving_engine():
    # the serving simulation's TTFT and TPOT at a server load are checked per engine, not only its output rate
    rows = [r for r in _rows() if r["scenario"] == "server"]
    for engine in SERVER_ENGINES:
        metrics = Counter(r["metric"] for r in rows if r["engine"] == engine)
        assert metrics["ttft_ms"] >= 2 and metrics["tpot_ms"] >= 2, (engine, metrics)


# Rows each engine keeps per scenario class (single-stream, offline, server). A class an engine has no
# public run for with stated settings is absent, not zero-checked: MLX server rows are still to be found
# (see the estimator-data reports); MLX's offline rows are bursts of 4 and 8 streaming requests to mlx-lm's
# and rapid-mlx's servers on one M3 Ultra, all gpt-oss-20b (Rapid-MLX's own cross-runtime and README runs);
# llama.cpp's one server row and SGLang's single-stream rows come from low-trust sources (a B200 gist,
# AccelMark's community A100 runs, inference-bench on an L4).
MIN_ROWS_PER_ENGINE_AND_SCENARIO = {
    ("vllm", "single"): 21,
    ("vllm", "offline"): 20,
    ("vllm", "server"): 20,
    ("sglang", "single"): 8,
    ("sglang", "offline"): 20,
    ("sglang", "server"): 20,
    ("trtllm", "single"): 16,
    ("trtllm", "offline"): 20,
    ("trtllm", "server"): 20,
    ("llamacpp", "single"): 20,
    ("llamacpp", "offline"): 14,
    ("llamacpp", "server"): 1,
    ("mlx", "single"): 20,
    ("mlx", "offline"): 6,
}


def test_rows_per_engine_and_scenario_class():
    counts = Counter((r["engine"], r["scenario"]) for r in _rows())
    short = {k: (counts[k], n) for k, n in MIN_ROWS_PER_ENGINE_AND_SCENARIO.items() if counts[k] < n}
    assert not short, short  # (engine, scenario): (rows, floor)


def test_v0_offline_throughput_rows_of_long_context_state_chunked_prefill_off():
    """vLLM's old benchmark_throughput.py passes its store_true --enable-chunked-prefill (False) to LLM(...), so a V0
    engine with max_model_len above 32K profiles an unchunked pass of max_model_len tokens (dstack's 8x H100 rows)."""
    rows = [
        r
        for r in _rows()
        if r["engine"] == "vllm"
        and r["protocol"] == "queued"
        and "benchmark_throughput.py" in r["notes"]
        and r["engine_version"].startswith("0.6.")
        and "--max-model-len 91680" in r["engine_args"]
    ]
    assert len(rows) == 17
    assert all(r["engine_args"].endswith("--enable-chunked-prefill=False") for r in rows)


def test_rows_of_block_scaled_fp8_checkpoints_state_it_for_every_engine():
    """DeepSeek-R1 / V3.2's own FP8 weights and Qwen's -FP8 releases scale per 128x128 block; every engine loads them
    so (vLLM from the checkpoint's quantization_config, unasked), so each such row states fp8_block_scales, which
    sets the GEMM rate on Hopper (tensor_tflops.BLOCK_SCALED_FP8), not only the SGLang / TensorRT-LLM rows."""
    import re

    rows = [
        r
        for r in _rows()
        if (r["precision"] == "fp8" and r["model"] in ("deepseek-r1", "deepseek-v3.2"))
        or re.search(r"Qwen3[-\w.]*-FP8\b", r["notes"])
    ]
    engines = Counter(r["engine"] for r in rows)
    assert engines["vllm"] >= 16 and engines["sglang"] >= 10 and engines["trtllm"] >= 5, engines
    assert [r["case_id"] for r in rows if "--quantization fp8_block_scales" not in r["engine_args"]] == []


def test_mi300x_rows_come_from_enough_publishers_for_the_refit_to_fit_gfx942():
    """dstack's 28 MI300X rows were one lab's voice, so gfx942 kept the Hopper efficiencies and every MI300X estimate
    ran fast (architecture_bias flagged it); AMD's ROCm/vllm README and Oracle's OCI blog make three publishers, and
    the shipped factors carry gfx942's own multipliers."""
    from costcalc.throughput.architecture import MIN_ARCHITECTURE_PUBLISHERS, gpu_architecture
    from costcalc.throughput.calibration import publisher_of
    from costcalc.throughput.factors import load_factors

    gfx942 = [r for r in _rows() if gpu_architecture(get_gpu(r["gpu"])) == "gfx942"]
    assert len({publisher_of(r) for r in gfx942}) >= MIN_ARCHITECTURE_PUBLISHERS
    assert "gfx942" in load_factors().architectures


def test_the_staged_rows_have_the_calibration_columns_and_ids_of_their_own():
    """benchmarks/data/calibration_pending.csv (rows the fit does not read yet; its README says why) keeps the shipped
    set's columns, so it can be appended as is, and no case_id of the shipped or unmodelled rows."""
    from costcalc.throughput.unmodelled import UNMODELLED_CSV

    header, rows = read_cases(PENDING_CSV)
    shipped_header, _ = read_cases(CALIBRATION_CSV)
    assert header == shipped_header
    taken = {r["case_id"] for r in _rows()} | {r["case_id"] for r in read_cases(UNMODELLED_CSV)[1]}
    ids = [r["case_id"] for r in rows]
    assert len(ids) == len(set(ids)) and not set(ids) & taken
    for r in rows:
        assert r["source_url"].startswith("https://") and r["notes"].strip(), r["case_id"]
        assert get_gpu(r["gpu"]) and get_model(r["model"]), r["case_id"]


def _ttft_floor_ms(row: dict[str, str]) -> float:
    """Least mean TTFT the row's recorded settings allow: its clients' first prompts arrive together and are
    prefilled one after another at the GPUs' peak dense tensor rate (no attention, no overhead), each later
    prompt alone; prompts of a fixed length (the row's input_tokens)."""
    gpu, model = get_gpu(row["gpu"]), get_model(row["model"])
    flops_per_s = peak_tflops(gpu, row["precision"], row["engine"]) * FLOPS_PER_TFLOP * int(row["gpu_count"])
    params = (model.prefill_active_params_b or model.active_params_b) * 1e9
    one_prompt_ms = 2 * params * float(row["input_tokens"]) / flops_per_s * 1e3
    protocol = row_protocol(row)
    prompts = protocol.requests() if protocol.kind in SIMULATED_PROTOCOLS else 1
    together = min(protocol.concurrency or prompts, prompts) if protocol.kind in {"closed_loop", "burst"} else 1
    waits = together * (together + 1) / 2 + (prompts - together)
    return waits * one_prompt_ms / prompts


def test_ttft_rows_lie_above_the_compute_floor_of_their_recorded_settings():
    """A mean TTFT below what the GPUs' peak compute allows for the recorded prompt count, lengths and concurrency
    means the recorded settings are not what ran (a prompt count read as '~50', a median read as a mean): such a
    row would teach the fit a server faster than its hardware. Vultr's Nemotron Super 49B page at 16-512 clients of
    '~50 prompts' of 2,048 tokens (mean TTFT 117-271 ms where the floor is 152-1,137 ms) was left out for this. The
    staged rows (benchmarks/data/calibration_pending.csv) are held to it too."""
    rows = [r for r in _rows() + _pending_rows() if r["metric"] == "ttft_ms"]
    below = {r["case_id"]: (float(r["value"]), round(_ttft_floor_ms(r), 1)) for r in rows}
    below = {k: v for k, v in below.items() if v[0] < v[1]}
    assert not below, below  # case_id: (measured mean TTFT ms, floor ms)


def test_every_multi_gpu_row_states_the_layout_it_measured():
    """Every row of more than one GPU, shipped, unmodelled or staged, states tp or pp in its layout column (as its
    source's command line or table states it, else the engine's guide: the notes say which), so the row estimator
    scores it at that layout whatever the full-load default picks; a row whose engine_args set a tensor-parallel
    size of all its GPUs states tp; a row of one GPU states none."""
    import re

    from costcalc.throughput.unmodelled import UNMODELLED_CSV

    tp_size = re.compile(r"(?:--tensor-parallel-size|-tp|--tp-size|--tp|--tp_size)[ =](\d+)")
    for path in (CALIBRATION_CSV, UNMODELLED_CSV, PENDING_CSV):
        header, rows = read_cases(path)
        assert "layout" in header, path
        for r in rows:
            if int(r["gpu_count"]) == 1:
                assert r["layout"] == "", r["case_id"]
                continue
            assert r["layout"] in ("tp", "pp"), r["case_id"]
            stated = tp_size.search(r["engine_args"])
            if stated and int(stated.group(1)) == int(r["gpu_count"]):
                assert r["layout"] == "tp", r["case_id"]
