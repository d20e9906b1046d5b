"""Tests of the cases batch mode, what each row measures and the shipped factors file."""

from __future__ import annotations

import pytest

from costcalc.errors import CatalogError, InputError
from costcalc.throughput.calibration import estimate_cases, estimate_row, read_cases, row_metric, source_of
from costcalc.throughput.factors import ENGINES, Factors, load_factors
from tests.throughput.test_estimate import dense_8b, dense_70b, factors, gpu_h100

GPUS = {"test-h100": gpu_h100()}
MODELS = {"test-8b": dense_8b(), "test-70b": dense_70b()}


def _get(table, kind):
    def get(key: str):
        if key not in table:
            raise CatalogError(f"unknown {kind} id {key!r}")
        return table[key]

    return get


LOOKUP = (_get(GPUS, "GPU"), _get(MODELS, "model"))


def row(**over) -> dict[str, str]:
    base = {
        "id": "r1",
        "gpu": "test-h100",
        "gpu_count": "1",
        "model": "test-8b",
        "precision": "bf16",
        "engine": "vllm",
        "input_tokens": "500",
        "output_tokens": "200",
        "concurrency": "",
        "scenario": "offline",
        "metric": "output_tokens_per_s",
        "note": "kept",
    }
    return {**base, **over}


def test_cases_keep_every_column_and_add_estimate_and_reason():
    rows = [
        row(),
        row(id="r2", gpu="no-such-gpu"),
        row(id="r3", metric="joules"),
        row(id="r4", model="test-70b"),
        row(id="r5", concurrency="1.5"),
    ]
    out = estimate_cases(rows, factors(), LOOKUP)
    assert [r["id"] for r in out] == ["r1", "r2", "r3", "r4", "r5"]
    assert all(r["note"] == "kept" for r in out)
    assert float(out[0]["estimate"]) > 0 and out[0]["reason"] == ""
    assert out[1]["estimate"] == "" and "unknown GPU id 'no-such-gpu'" in out[1]["reason"]
    assert out[2]["estimate"] == "" and "unknown metric 'joules'" in out[2]["reason"]
    assert out[3]["estimate"] == "" and "GB of weights" in out[3]["reason"]  # 70B bf16 on 80 GB
    assert out[4]["estimate"] == "" and "whole number" in out[4]["reason"]


def test_each_metric_reads_its_own_field():
    f = factors()
    single = {"concurrency": "1", "input_tokens": "1000", "output_tokens": "100"}
    tpot, _ = estimate_row(row(metric="tpot_ms", **single), f, LOOKUP)
    ttft, _ = estimate_row(row(metric="ttft_ms", **single), f, LOOKUP)
    out_tps, _ = estimate_row(row(metric="output_tokens_per_s", **single), f, LOOKUP)
    pre_tps, _ = estimate_row(row(metric="prefill_tokens_per_s", **single), f, LOOKUP)
    # one user: 100 tokens take TTFT + 100 TPOT; output rate = 100 / that, prefill = 10x output
    assert out_tps == pytest.approx(100 / ((ttft + 100 * tpot) / 1000), rel=1e-6)
    assert pre_tps == pytest.approx(10 * out_tps, rel=1e-6)


def test_read_cases_names_missing_columns(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("gpu,model\nh100,x\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing column\\(s\\) gpu_count"):
        read_cases(path)


def test_read_cases_says_when_the_column_names_are_in_capitals(tmp_path):
    # a spreadsheet's 'GPU,GPU_count,...' header read as every column missing (qa18)
    from costcalc.throughput.calibration import CASE_COLUMNS

    path = tmp_path / "cases.csv"
    path.write_text(",".join(c.upper() if c in ("gpu", "model") else c for c in CASE_COLUMNS) + "\n")
    with pytest.raises(InputError, match="GPU, MODEL are not in lower case; write them as gpu, model"):
        read_cases(path)


def test_a_row_is_scored_by_its_metric_label():
    assert row_metric(row()) == "output_tokens_per_s"
    assert row_metric(row(metric="decode_tokens_per_s", notes="S_TG")) == "decode_tokens_per_s"
    # the notes text no longer changes what a row measures
    assert row_metric(row(notes="llama-batched-bench S_TG (prefill time excluded)")) == "output_tokens_per_s"


def test_a_decode_only_row_is_estimated_without_its_prefill_time():
    f = factors()
    batch = {"concurrency": "32", "input_tokens": "512", "output_tokens": "32"}
    labelled, _ = estimate_row(row(**batch), f, LOOKUP)
    decode_only, _ = estimate_row(row(metric="decode_tokens_per_s", **batch), f, LOOKUP)
    # 32 prompts of 512 tokens against 32 output tokens each: prefill is a large share
    assert decode_only > 1.2 * labelled


@pytest.mark.parametrize("served", [False, True])
def test_a_row_s_stated_layout_is_the_one_estimated(served: bool) -> None:
    """A multi-GPU row is estimated at the layout its `layout` cell states, in process and simulated alike (the cell
    was ignored: every row took the layout the full-load default picks, whatever its source ran)."""
    from costcalc.throughput.estimate import estimate

    f = factors()
    shape = {"gpu_count": "4", "protocol": "burst", "num_prompts": "64", "dataset": "fixed"} if served else {}
    shape = {"gpu_count": "4", **shape}
    tp, why_tp = estimate_row(row(layout="tp", **shape), f, LOOKUP)
    pp, why_pp = estimate_row(row(layout="pp", **shape), f, LOOKUP)
    assert tp is not None and pp is not None, (why_tp, why_pp)
    assert tp != pp
    if not served:
        for layout, got in (("tp", tp), ("pp", pp)):
            want = estimate(
                gpu_h100(),
                dense_8b(),
                gpu_count=4,
                precision="bf16",
                input_tokens=500,
                output_tokens=200,
                factors=f,
                parallelism=layout,
            )
            assert got == pytest.approx(want.output_tokens_per_s, rel=1e-12)


def test_read_cases_refuses_a_layout_it_cannot_take(tmp_path):
    """A layout cell other than tp or pp, or one on a single GPU, is one line naming file, line and column."""
    path = tmp_path / "c.csv"
    head = "case_id,gpu,gpu_count,model,precision,engine,input_tokens,output_tokens,concurrency,metric,layout\n"
    ok = "a,test-h100,4,test-8b,bf16,vllm,500,200,,output_tokens_per_s,pp\n"
    path.write_text(head + ok + "b,test-h100,4,test-8b,bf16,vllm,500,200,,output_tokens_per_s,tp8\n")
    with pytest.raises(InputError, match=f"^{path}:3: layout: 'tp8' \\(case b\\) is no layout: write tp"):
        read_cases(path)
    path.write_text(head + "c,test-h100,1,test-8b,bf16,vllm,500,200,,output_tokens_per_s,tp\n")
    with pytest.raises(InputError, match=f"^{path}:2: layout: 'tp' \\(case c\\) on one GPU: .*leave layout empty"):
        read_cases(path)
    path.write_text(head + ok + "d,test-h100,1,test-8b,bf16,vllm,500,200,,output_tokens_per_s,\n")
    assert [r["layout"] for r in read_cases(path)[1]] == ["pp", ""]


def test_source_ignores_the_url_fragment():
    assert source_of({"source_url": "https://x/doc.md#table-2"}) == "https://x/doc.md"
    assert source_of({}) == ""


def test_shipped_factors_cover_every_engine_and_round_trip():
    f = load_factors()
    assert set(f.engines) == set(ENGINES)
    assert Factors.from_dict(f.to_dict()) == Factors.from_dict(Factors.from_dict(f.to_dict()).to_dict())
    for ef in f.engines.values():
        assert 0 < ef.bandwidth_efficiency <= 1 and 0 < ef.compute_efficiency <= 1
    assert "overall" in f.error_bands
    for key in f.error_bands:
        engine, _, scenario = key.partition("/")
        assert key == "overall" or (engine in ENGINES and scenario in ("offline", "server", "single"))
