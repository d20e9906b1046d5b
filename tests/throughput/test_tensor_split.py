"""A tensor-parallel engine cannot split attention heads unevenly: such a replica is refused with the sizes that work."""

from __future__ import annotations

from costcalc.throughput.estimate import estimate
from costcalc.throughput.tensor_split import HEAD_SPLIT_ENGINES, uneven_head_split
from tests.support.cli import invoke
from tests.throughput.test_estimate import dense_8b, factors, gpu_h100


def test_heads_that_do_not_divide_are_refused_with_the_sizes_that_do():
    model = dense_8b()  # 32 attention heads
    why = uneven_head_split(model, 3, "vllm")
    assert why is not None
    assert "32 attention heads evenly over 3 GPUs" in why and "use 1, 2, 4 or 8 GPUs per replica" in why
    assert HEAD_SPLIT_ENGINES["vllm"] in why
    assert uneven_head_split(model, 3, "sglang") is not None
    assert [n for n in (1, 2, 4, 8, 16, 32) if uneven_head_split(model, n, "vllm")] == []
    # llama.cpp splits by layers; TensorRT-LLM's rule was not read: neither is refused
    assert uneven_head_split(model, 3, "llamacpp") is None
    assert uneven_head_split(model, 3, "trtllm") is None
    assert uneven_head_split(dense_8b(attention_heads=40), 8, "vllm") is None  # 40 / 8 = 5


def test_estimate_reports_the_refusal_instead_of_a_number():
    kw = {"input_tokens": 200, "output_tokens": 200, "factors": factors()}
    refused = estimate(gpu_h100(), dense_8b(), gpu_count=3, engine="vllm", **kw)
    assert not refused.fits and refused.output_tokens_per_s == 0.0
    assert refused.reason is not None and "over 3 GPUs" in refused.reason
    assert estimate(gpu_h100(), dense_8b(), gpu_count=4, engine="vllm", **kw).fits


def test_the_command_line_says_it_in_one_line_with_exit_2():
    code, out, err = invoke(
        "estimate", "--gpu", "h100-sxm-80gb", "--gpus", "3", "--model", "gpt-oss-20b", "--engine", "vllm",
        "--input-tokens", "200", "--output-tokens", "200",
    )  # fmt: skip
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "gpt-oss-20b's 64 attention heads evenly over 3 GPUs" in err
    assert "use 1, 2, 4 or 8 GPUs per replica" in err


def test_a_scenario_asking_for_an_uneven_split_names_its_line_and_the_sizes_that_work(tmp_path):
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "examples" / "internal-assistant.yaml").read_text(encoding="utf-8")
    assert "gpus_per_replica: 2 " in text
    path = tmp_path / "s.yaml"
    path.write_text(text.replace("gpus_per_replica: 2 ", "gpus_per_replica: 3 "), encoding="utf-8")
    out_file = tmp_path / "out.json"
    code, out, err = invoke("report", str(path), "-f", "json", "-o", str(out_file))
    assert code == 2 and not out_file.exists()
    assert len(err.strip().splitlines()) == 1 and "s.yaml:" in err
    assert err.rstrip().endswith("use 1, 2, 4 or 8 GPUs per replica"), err  # its own remedy, not the memory hint
