"""The branch and bound's premise: the estimator's full-load bound is never below the capacity under the SLO, and the
capacity is the one `report` resolves for the same option."""

from __future__ import annotations

import pytest

from costcalc.analysis.recommend.capacities import Capacities, Missed, capacity, full_load
from costcalc.analysis.recommend.space import Config
from costcalc.analysis.recommend.store import CapacityStore
from costcalc.catalog import get_gpu, get_model
from costcalc.models import Workload

CONFIGS = [
    ("gpt-oss-20b", "l4-24gb", 1, "mxfp4", "vllm"),
    ("gpt-oss-20b", "rtx-4090-24gb", 1, "mxfp4", "llamacpp"),
    ("qwen3-8b", "l40s-48gb", 1, "fp8", "vllm"),
    ("llama-3.1-8b", "h100-sxm-80gb", 2, "int4", "sglang"),
]
WORKLOADS = [
    Workload(requests_per_day=20_000, input_tokens=1000, output_tokens=200, slo={"ttft_p95_ms": 1500}),
    Workload(
        requests_per_day=5_000,
        input_length_buckets=[{"input_tokens": 400, "share": 0.7}, {"input_tokens": 3000, "share": 0.3}],
        output_tokens=300,
        reasoning_tokens=50,
        slo={"min_output_tokens_per_s_per_user": 30},
    ),
    Workload(requests_per_day=1_000, input_tokens=500, output_tokens=100),  # no SLO: capacity is full load
]


def config(ids: tuple[str, str, int, str, str]) -> Config:
    model, gpu, n, precision, engine = ids
    return Config(get_model(model), get_gpu(gpu), n, precision, engine)


@pytest.mark.parametrize("workload", WORKLOADS, ids=["ttft", "buckets+speed", "no-slo"])
@pytest.mark.parametrize("ids", CONFIGS, ids=lambda c: f"{c[0]}-{c[1]}-{c[4]}")
def test_bound_is_at_least_the_capacity(ids: tuple[str, str, int, str, str], workload: Workload) -> None:
    c = config(ids)
    bound = full_load(c, workload)
    assert bound.fits
    basis = capacity(c, workload)
    assert basis.requests_per_s <= bound.requests_per_s * (1 + 1e-12)
    if workload.slo.ttft_p95_ms is None and workload.slo.min_output_tokens_per_s_per_user is None:
        assert basis.requests_per_s == pytest.approx(bound.requests_per_s)


def test_capacities_read_the_store_and_count_simulations(tmp_path) -> None:  # type: ignore[no-untyped-def]
    wl = WORKLOADS[0]
    c = config(CONFIGS[0])
    first = Capacities(wl, CapacityStore(tmp_path, {"k": 1}))
    basis = first.get(c)
    assert first.simulated == 1 and first.from_store == 0
    assert first.get(c) is basis and first.simulated == 1  # once per run
    first.store.save()
    second = Capacities(wl, CapacityStore(tmp_path, {"k": 1}))
    assert second.get(c) == basis and second.simulated == 0 and second.from_store == 1


def test_a_miss_at_every_load_is_told_from_one_run_and_kept(tmp_path) -> None:  # type: ignore[no-untyped-def]
    tight = Workload(requests_per_day=20_000, input_tokens=1000, output_tokens=200, slo={"ttft_p95_ms": 5})
    c = config(CONFIGS[0])
    whole = capacity(c, tight)  # what report resolves: the full search, sized with slack, flagged
    assert not whole.meets_slo
    caps = Capacities(tight, CapacityStore(tmp_path, {"k": 2}))
    found = caps.get(c)
    assert isinstance(found, Missed) and found.reason in whole.detail
    assert caps.simulated == 1
    caps.store.save()
    again = Capacities(tight, CapacityStore(tmp_path, {"k": 2}))
    assert again.get(c) == found and again.simulated == 0 and again.from_store == 1
    met = Capacities(WORKLOADS[0], CapacityStore(None, {}))
    basis = met.get(config(CONFIGS[0]))
    assert not isinstance(basis, Missed) and basis.meets_slo


def test_a_missed_example_quotes_the_latency_its_report_quotes(tmp_path) -> None:
    """polish16 left: recommend's miss check runs the full-load layout alone, so its example quoted that layout's
    lowest-load p95 (qwen3-32b bf16 on 4x RTX 4090, 8,000-token prompts, TTFT p95 500 ms: 6,664 ms, pipeline
    parallel) where the report of the same configuration quotes the layout its capacity is chosen at (2,365 ms, tensor
    parallel). The example shown is now the report's; the miss check itself stays one run per layout."""
    import json
    import re

    from tests.support import cli

    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "version: 1\nworkload: {requests_per_day: 2000, input_tokens: 8000, output_tokens: 1, slo: {ttft_p95_ms: 500}}\n"
        "options:\n  - {name: API, kind: api, prices: {input_usd_per_mtok: 0.5, output_usd_per_mtok: 1.5}}\n"
        "  - {name: Four 4090s, kind: self_hosted, model: qwen3-32b, precision: bf16,"
        " hardware: {gpu: rtx-4090-24gb, gpus_per_replica: 4, acquisition: rent, hourly_usd: 0.4}}\n",
        encoding="utf-8",
    )
    code, out, err = cli.invoke("report", str(scenario), "-f", "json", "--today", "2026-12-07")
    assert code == 0, err
    detail = next(o for o in json.loads(out)["options"] if o["name"] == "Four 4090s")["throughput"]["detail"]
    quoted = re.search(r"cannot meet the SLO: (TTFT p95 [\d,]+ ms > 500 ms even at .*? requests/s\))", detail)
    assert quoted, detail
    args = ["recommend", str(scenario), "--gpu", "rtx-4090-24gb", "--engine", "vllm", "--precision", "bf16"]
    code, out, err = cli.invoke(*args, "--max-gpus", "4", "-f", "json", "--today", "2026-12-07")
    assert code == 0, err
    example = json.loads(out)["excluded"]
    said = json.dumps(example)
    assert "qwen3-32b bf16 on 4x rtx-4090-24gb with vllm: " + quoted.group(1) in said, said
