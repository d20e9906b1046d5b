"""Memory traffic of vLLM's unfused FP8 dequantisation on AMD GPUs, per token of a linear layer's output."""

from __future__ import annotations

from costcalc.catalog.specs import GpuSpec, ModelSpec
from costcalc.throughput import memory as mem
from costcalc.throughput.serving.scheduler import parse_version

# Checkpoints whose FP8 weights carry one scale per output channel and whose activations vLLM
# quantises per token at run time: fbgemm_fp8 (FBGEMMFp8LinearMethod.apply calls apply_fp8_linear
# with use_per_token_if_dynamic=True and a weight_scale of one value per output channel;
# vllm/model_executor/layers/quantization/fbgemm_fp8.py in the vllm 0.6.3 wheel, read 2026-12-06).
PER_CHANNEL_FP8_METHODS = frozenset({"fbgemm_fp8"})
# On ROCm cutlass_fp8_supported() is False ("cutlass is not supported on Rocm"), and where the
# weights or activations have more than one scale apply_fp8_linear takes its "Fallback for
# channelwise case, where we use unfused DQ": torch._scaled_mm with unit scales and
# out_dtype=torch.float32, then `output * x_scale * weight_scale.t()` and `.to(dtype=input.dtype)`
# (vllm/model_executor/layers/quantization/utils/w8a8_utils.py, vllm 0.6.3 wheel, read 2026-12-06;
# unchanged in 0.6.6.post1, 0.7.0 and 0.7.2). vLLM 0.7.3 adds USE_ROWWISE_TORCH_SCALED_MM (ROCm on
# gfx942): a fused rowwise-scaled torch._scaled_mm writing bf16 (same file in the 0.7.3 wheel).
FUSED_ROWWISE_ON_ROCM_VLLM = (0, 7, 3)
# Bytes each output value of such a GEMM moves beyond the fused kernel's bf16 write (2 bytes): the
# GEMM writes fp32 (4), the two scale multiplies each read and write fp32 (4 + 4, twice), the cast
# reads fp32 and writes bf16 (4 + 2): 4 + 8 + 8 + 6 = 26 bytes against 2.
FP32_OUTPUT_BYTES = 4.0
BF16_OUTPUT_BYTES = 2.0
SCALE_MULTIPLIES = 2
UNFUSED_BYTES_PER_OUTPUT = (
    FP32_OUTPUT_BYTES
    + SCALE_MULTIPLIES * 2 * FP32_OUTPUT_BYTES
    + (FP32_OUTPUT_BYTES + BF16_OUTPUT_BYTES)
    - BF16_OUTPUT_BYTES
)
GATE_AND_UP = 2  # vLLM's MergedColumnParallelLinear gate_up_proj writes both halves


def unfused_dequant(gpu: GpuSpec, engine: str, quantization: str | None, engine_version: str | None) -> bool:
    """True where vLLM dequantises a per-channel FP8 checkpoint's GEMM outputs in separate fp32 passes:
    an AMD GPU, a PER_CHANNEL_FP8_METHODS checkpoint, a stated release before FUSED_ROWWISE_ON_ROCM_VLLM
    (None or blank: the current release, which fuses them)."""
    if engine != "vllm" or quantization not in PER_CHANNEL_FP8_METHODS or gpu.vendor.lower() != "amd":
        return False
    if not engine_version or not engine_version.strip():
        return False
    return parse_version(engine_version) < FUSED_ROWWISE_ON_ROCM_VLLM


def unfused_dequant_bytes_per_token(model: ModelSpec, n: int) -> float:
    """Extra bytes per token on each of n tensor-parallel GPUs: every FP8 feed-forward GEMM's output values
    (gate_up: 2 x intermediate / n; down, row-parallel: hidden, whole on each GPU before the all-reduce)
    times UNFUSED_BYTES_PER_OUTPUT, over the layers the checkpoint quantises (not the 16-bit edge layers)."""
    s = mem.split_params(model)
    ffn_b = max(s.dense_b - mem.attention_params_b(model), 0.0)
    intermediate = ffn_b * mem.PARAMS_PER_BILLION / model.layers / (mem.GATED_MLP_MATRICES * model.hidden_size)
    outputs = GATE_AND_UP * intermediate / max(n, 1) + model.hidden_size
    layers = max(model.layers - mem.SIXTEEN_BIT_EDGE_LAYERS, 0)
    return UNFUSED_BYTES_PER_OUTPUT * outputs * layers
