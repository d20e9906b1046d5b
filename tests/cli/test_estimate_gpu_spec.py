"""`costcalc estimate --gpu-spec FILE`: a GPU not in the catalog, stated as a scenario's custom_gpu is."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from costcalc.cli import app

H100 = """\
name: my-gpu
like: h100-sxm-80gb
memory_gb: 80
memory_bandwidth_gb_s: 3350
bf16_tflops: 989.4
fp8_tflops: 1978.9
int8_tops: 1978.9
sm_count: 132
boost_clock_mhz: 1980
"""
ARGS = ["--model", "qwen3-32b", "--input-tokens", "1000", "--output-tokens", "200", "--ttft-p95-ms", "2000"]


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["estimate", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr.removesuffix("\n")


def test_a_gpu_spec_like_a_catalog_gpu_with_its_figures_estimates_what_it_does(
    write_yaml: Callable[..., Path],
) -> None:
    # on main: 'No such option: --gpu-spec' (exit 2); a custom GPU could not be estimated at all
    path = write_yaml(H100, "my-gpu.yaml")
    code, out, err = invoke("--gpu-spec", str(path), *ARGS, "-f", "json")
    assert code == 0, err
    _, catalog_out, _ = invoke("--gpu", "h100-sxm-80gb", *ARGS, "-f", "json")
    custom, catalog = json.loads(out), json.loads(catalog_out)
    assert custom["gpu"] == "my-gpu"
    for key in ("requests_per_s", "output_tokens_per_s", "ttft_ms", "tpot_ms", "error_band", "actual_range", "band"):
        assert custom[key] == catalog[key], key
    assert custom["serving"] == catalog["serving"]
    assert custom["published_runs"]["summary"].startswith("no published run of vllm on my-gpu; nearest: qwen3-32b")
    assert err.startswith(
        f"note: gpu my-gpu: --gpu-spec {path} (memory, bandwidth, TFLOPS, SMs and clock as given); like"
        " h100-sxm-80gb: its"
        " vendor nvidia, kernel architecture sm90, form factor datacenter, HBM3 memory, interconnect 450 GB/s and"
        " measured kernel shares of its peak (the GPU catalog's: as of 2026-11-26,"
    )


def test_a_gpu_spec_that_lacks_a_rate_or_a_kind_is_one_line_naming_file_line_key_and_fix(
    write_yaml: Callable[..., Path],
) -> None:
    no_fp8 = write_yaml(H100.replace("fp8_tflops: 1978.9\n", ""), "no-fp8.yaml")
    code, out, err = invoke("--gpu-spec", str(no_fp8), *ARGS, "--precision", "fp8")
    assert (code, out) == (2, "")
    assert err == (
        f"error: {no_fp8}:1: fp8_tflops: an estimate at fp8 with vllm runs at my-gpu's FP8 TFLOPS; h100-sxm-80gb,"
        " which it is like, has that rate: give fp8_tflops (dense FP8 TFLOPS, without sparsity)"
    )
    # a bf16 estimate whose --engine-args keep an FP8 KV cache runs its attention at that rate (on main: unsaid, bf16)
    code, out, err = invoke("--gpu-spec", str(no_fp8), *ARGS, "--engine-args", "--kv-cache-dtype fp8")
    assert (code, out) == (2, "")
    assert err == (
        f"error: {no_fp8}:1: fp8_tflops: an estimate at bf16 with vllm and an fp8 KV cache runs attention at my-gpu's"
        " FP8 TFLOPS; h100-sxm-80gb, which it is like, has that rate: give fp8_tflops (dense FP8 TFLOPS, without"
        " sparsity)"
    )
    unknown = write_yaml(H100.replace("like: h100-sxm-80gb", "like: h100-sxm-80gbb"), "unknown.yaml")
    code, out, err = invoke("--gpu-spec", str(unknown), *ARGS)
    assert (code, out) == (2, "") and err.startswith(f"error: {unknown}:2: like: unknown GPU id 'h100-sxm-80gbb'")
    no_kind = write_yaml(H100.replace("like: h100-sxm-80gb\n", ""), "no-kind.yaml")
    code, out, err = invoke("--gpu-spec", str(no_kind), *ARGS)
    assert (code, out, err) == (
        2,
        "",
        f"error: {no_kind}:1: like: a custom GPU is estimated where it says what it is like; add like: a catalog GPU"
        " (e.g. h100-sxm-80gb), or vendor: nvidia, amd or apple",
    )
    code, out, err = invoke("--gpu-spec", str(no_kind), "--gpu", "h100-sxm-80gb", *ARGS)
    assert (code, err) == (2, "error: --gpu-spec: give --gpu (a catalog id) or --gpu-spec (a file), not both")


def test_a_gpu_spec_like_an_apple_chip_estimates_and_says_what_it_took(write_yaml: Callable[..., Path]) -> None:
    # on main: 'internal error (TypeError)': the note formatted the interconnect of a like GPU that has none
    path = write_yaml("name: m5-max\nlike: apple-m3-max\nmemory_gb: 128\nmemory_bandwidth_gb_s: 600\n", "m5.yaml")
    code, out, err = invoke("--gpu-spec", str(path), *ARGS[:6], "--engine", "llamacpp", "-f", "json")
    assert code == 0, err
    assert json.loads(out)["gpu"] == "m5-max"
    assert err.startswith(
        f"note: gpu m5-max: --gpu-spec {path} (memory and bandwidth as given); like apple-m3-max: its"
        " vendor apple, form factor workstation and unified memory (the GPU catalog's: as of"
    )


def test_a_gpu_spec_named_as_a_catalog_gpu_is_refused_at_its_line(write_yaml: Callable[..., Path]) -> None:
    # on main it was estimated as 'h100-sxm-80gb' with this file's 96 GB and said no published run is of it
    path = write_yaml(H100.replace("name: my-gpu", "name: h100-sxm-80gb").replace("memory_gb: 80", "memory_gb: 96"))
    code, out, err = invoke("--gpu-spec", str(path), *ARGS)
    assert (code, out) == (2, "")
    assert err == (
        f"error: {path}:1: name: 'h100-sxm-80gb' is a catalog GPU's id: its estimate would read as that GPU's; name"
        " the custom GPU apart (e.g. h100-sxm-80gb-custom), or use the catalog GPU itself if it is that card"
    )


def test_a_flags_error_beside_a_gpu_spec_names_the_flag_not_the_file(write_yaml: Callable[..., Path]) -> None:
    # on main: 'error: my-gpu.yaml:1: --engine: unknown engine ...', as if line 1 of the spec file were wrong
    path = write_yaml(H100, "my-gpu.yaml")
    code, out, err = invoke("--gpu-spec", str(path), *ARGS, "--engine", "foo")
    assert (code, out) == (2, "")
    assert err == "error: --engine: unknown engine 'foo'; valid: trtllm, vllm, sglang, llamacpp, mlx"
    # on main --cases estimated every row on its own catalog GPU and ignored the spec unsaid
    cases = write_yaml("case_id,gpu,model,input_tokens,output_tokens\nc1,h100-sxm-80gb,qwen3-8b,100,10\n", "c.csv")
    code, out, err = invoke("--gpu-spec", str(path), "--cases", str(cases))
    assert (code, out) == (2, "")
    assert err == "error: --gpu-spec: --cases estimates each row on its gpu column's catalog GPU; drop --gpu-spec"
