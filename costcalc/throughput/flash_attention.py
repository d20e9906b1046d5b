"""Measured FlashAttention forward rates: the FLOP/s a long prompt's attention runs at in an engine that uses it."""

from __future__ import annotations

from costcalc.catalog import get_gpu
from costcalc.catalog.specs import CustomGpuSpec, GpuSpec
from costcalc.throughput.tensor_tflops import bf16_tflops

# vLLM runs prompt attention in its FlashAttention build: FlashAttention-3 on Hopper (compute capability
# 9.x) by default since v0.7.0 ("On Hopper, Flash Attention 3 is enabled by default (since the v0.7.0
# release)", vllm-project/vllm#15231, 2025-03-20; get_flash_attn_version: "Hopper (SM90): prefer FA3
# [...] Fallback to FA2", vllm/v1/attention/backends/fa_utils.py as quoted in Dao-AILab/flash-attention#2529,
# vLLM v0.20.0), FlashAttention-2 on Ampere. The cells are those kernels' measured forward rates,
# causal, head dimension 128, BF16/FP16, as (TFLOPS, the source's setting):
# - H100 SXM, FlashAttention-3: 616 TFLOPS at sequence length 16k, causal, head dim 128 (Shah et al.,
#   "FlashAttention-3", arXiv:2407.08608, Fig. 5(d), clocks fixed at 1830 MHz; bar value as transcribed
#   in viktor-shcherb/msc_thesis references/2024-12-flashattention-3/sections/04a_benchmarking-attention.md
#   @a6577d10, read 2026-12-06). The paper counts 4 x seqlen^2 x head_dim x heads FLOPs, halved for the
#   causal mask: the count _attention_flops makes (context = half the prompt). H200: the same SM90 die.
# - A100 SXM, FlashAttention-2: 159.41 TFLOPS for one 4096-token sequence, causal, 8 KV heads (GQA)
#   (liangan1/GPU_travel performance/flash-attn/README.md @07d0469e, read 2026-12-06; the author notes
#   the A100 clock drops from 1410 to ~1200 MHz under it). The 40 GB part has the same GA100 compute.
# These are kernel rates, like matmul.MAMF_BF16_TFLOPS, not shares of a fitted efficiency: the engines'
# fitted compute efficiency is set by rows whose attention is a few per cent of their FLOPs, so it says
# nothing about this kernel; a 28K-token prompt spends a third of its FLOPs here.
FLASH_ATTENTION_ENGINES = frozenset({"vllm"})
FLASH_ATTENTION_BF16_TFLOPS: dict[str, float] = {
    "h100-sxm-80gb": 616.0,
    "h200-sxm-141gb": 616.0,
    "a100-sxm-80gb": 159.41,
    "a100-sxm-40gb": 159.41,
}
SIXTEEN_BIT_KV_BYTES = 2.0  # the measurements are BF16/FP16 attention; an fp8 KV cache runs other kernels
MEASURED_HEAD_DIM = 128  # both measurements: other head widths (64, MLA's 192/128) run at other rates


def flash_attention_tflops(gpu: GpuSpec, engine: str, kv_bytes: float, head_widths: tuple[int, int]) -> float | None:
    """Measured FlashAttention forward TFLOPS of a prompt's attention on this GPU in this engine: 16-bit KV
    cache and (query.key, value) head widths of 128; None elsewhere (not FlashAttention, not measured). A custom GPU
    takes the rate of the catalog GPU it is like (GpuSpec.measured_as) as the same share of its own bf16 peak."""
    if engine not in FLASH_ATTENTION_ENGINES or kv_bytes < SIXTEEN_BIT_KV_BYTES:
        return None
    if head_widths != (MEASURED_HEAD_DIM, MEASURED_HEAD_DIM) or gpu.measured_as is None:
        return None
    measured = FLASH_ATTENTION_BF16_TFLOPS.get(gpu.measured_as)
    if measured is None or not isinstance(gpu, CustomGpuSpec):
        return measured
    return measured * (bf16_tflops(gpu) / bf16_tflops(get_gpu(gpu.measured_as)))
