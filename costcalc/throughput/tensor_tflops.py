"""Dense tensor TFLOPS a GPU offers an engine's math at a precision: bf16, peak, GEMM, attention, FP4, emulated."""

from __future__ import annotations

from costcalc.catalog.specs import GpuSpec, ModelSpec
from costcalc.throughput import memory as mem
from costcalc.units import BYTES_PER_GB, FLOPS_PER_TFLOP

# Apple publishes no tensor TFLOPS; its GPUs sustain about 30 fp16 FLOP per byte of memory
# bandwidth (M2 Ultra: ~27 TFLOPS fp32 ALU peak at 800 GB/s). Used only when TFLOPS are unknown.
FLOPS_PER_BYTE_WHEN_UNKNOWN = 30.0


def bf16_tflops(gpu: GpuSpec) -> float:
    """Dense 16-bit tensor TFLOPS; when the catalog lacks them, from the lower-precision rates.

    Tensor cores double their rate at each halving of precision (bf16 -> fp8/int8 -> fp4), so
    bf16 = fp8 / 2 = fp4 / 4. With no TFLOPS at all (Apple), FLOPS_PER_BYTE_WHEN_UNKNOWN times
    the memory bandwidth.
    """
    if gpu.bf16_tflops:
        return gpu.bf16_tflops
    if gpu.fp8_tflops:
        return gpu.fp8_tflops / 2
    if gpu.int8_tops:
        return gpu.int8_tops / 2
    if gpu.fp4_tflops:
        return gpu.fp4_tflops / 4
    return gpu.memory_bandwidth_gb_s * FLOPS_PER_BYTE_WHEN_UNKNOWN * BYTES_PER_GB / FLOPS_PER_TFLOP


# Engines whose quantised kernels dequantise to 16-bit math (or int8 dot products at about the
# same rate on the GPUs they target) whatever the GPU's low-precision tensor cores.
SIXTEEN_BIT_MATH_ENGINES = frozenset({"llamacpp", "mlx"})


def peak_tflops(gpu: GpuSpec, precision: str, engine: str = "vllm") -> float:
    """Dense tensor TFLOPS the GPU offers for the math a precision runs in.

    fp8/int8 run fp8 (or int8) tensor cores; fp4 runs fp4 where the GPU has it; mxfp4 runs fp4
    on Blackwell and bf16 (weights dequantised) elsewhere; int4 and GGUF are weight-only formats
    whose math is 16-bit. llama.cpp and MLX run 16-bit math for every format.
    """
    bf16 = bf16_tflops(gpu)
    if engine in SIXTEEN_BIT_MATH_ENGINES:
        return bf16
    if precision == "fp8":
        return gpu.fp8_tflops or bf16  # without fp8 cores (Ampere) fp8 weights are widened to 16 bit
    if precision == "int8":
        return gpu.int8_tops or bf16
    if precision == "fp4":
        return gpu.fp4_tflops or gpu.fp8_tflops or bf16
    if precision == "mxfp4":
        return gpu.fp4_tflops or bf16
    return bf16


# FP8 checkpoints that scale their weights per 128x128 block (and activations per 1x128 group), such as
# Qwen's *-FP8 releases and DeepSeek-V3/R1's native weights, against per-tensor FP8 (NVIDIA ModelOpt).
# The name is TensorRT-LLM's QuantAlgo for them, which it and the other engines resolve from the
# checkpoint's quantization_config (weight_block_size [128, 128]); a calibration row states it in
# engine_args as --quantization fp8_block_scales (calibration.CALIBRATION_CSV).
# Block-scaled MMA is a Blackwell instruction (tcgen05.mma ... kind::mxf8f6f4.block_scale, "Blackwell
# SM100 GEMMs", docs.nvidia.com/cutlass/media/docs/cpp/blackwell_functionality.html, read 2026-12-06);
# Hopper's FP8 WGMMA has none, so Hopper kernels apply the block scales in CUDA cores between the
# 128-deep slices of K. Measured on an H100 SXM at M >= 1024 they run at the bf16 matmul rate, not the
# FP8 one: DeepGEMM 670, 687 and 970 TFLOPS (M x N x K = 1024x4096x7168, 2048x4096x7168,
# 1024x18432x7168; vllm-project/vllm#13917, 2025-02-26), vLLM's Triton and CUTLASS block-FP8 kernels
# 403 and 457 TFLOPS where torch bf16 reached 716 (4096x2112x7168; vllm-project/vllm#23280), against
# the H100's bf16 MAMF of 794.5 and FP8 MAMF of 1402.6 TFLOPS (matmul.py). TensorRT-LLM's own Hopper
# kernel is on average slower than DeepGEMM by NVIDIA's evaluation ("On Hopper, based on our
# evaluation, by average DeepGEMM can bring better performance": NVIDIA/TensorRT-LLM#3071, 2025-03-26).
# So on NVIDIA GPUs with FP8 but without FP4 tensor cores (Hopper, Ada) a block-scaled FP8 checkpoint's
# GEMMs run at the bf16 tensor rate; Blackwell (FP4 cores, block-scaled MMA) keeps the FP8 rate.
BLOCK_SCALED_FP8 = "fp8_block_scales"


def checkpoint_quantization(model: ModelSpec, precision: str, stated: str | None) -> str | None:
    """The method a checkpoint of `model` at `precision` is loaded with: the stated one (--quantization), else
    BLOCK_SCALED_FP8 where the model's own FP8 checkpoint scales its weights per block (the catalog's
    fp8_weight_block_size, from its config.json's quantization_config: every engine loads it so unasked), else None."""
    if stated is not None:
        return stated
    return BLOCK_SCALED_FP8 if precision == "fp8" and model.fp8_weight_block_size else None


def block_scales_in_software(gpu: GpuSpec, precision: str, quantization: str | None) -> bool:
    """True where an FP8 checkpoint's 128x128 block scales cost the GPU its FP8 rate (see BLOCK_SCALED_FP8)."""
    return (
        precision == "fp8"
        and quantization == BLOCK_SCALED_FP8
        and gpu.vendor.lower() == "nvidia"
        and gpu.has_tensor("fp8_tflops")
        and not gpu.has_tensor("fp4_tflops")
    )


def gemm_tflops(gpu: GpuSpec, precision: str, engine: str, quantization: str | None = None) -> float:
    """Dense tensor TFLOPS of the weight GEMMs: peak_tflops, or the bf16 rate for block-scaled FP8 on
    GPUs that apply the block scales in software (block_scales_in_software)."""
    if engine not in SIXTEEN_BIT_MATH_ENGINES and block_scales_in_software(gpu, precision, quantization):
        return bf16_tflops(gpu)
    return peak_tflops(gpu, precision, engine)


def attention_tflops(gpu: GpuSpec, kv_bytes: float, engine: str = "vllm") -> float:
    """Dense tensor TFLOPS attention runs at: its math follows the KV cache, not the weights.

    FlashAttention-style kernels multiply queries by cached keys and probabilities by cached
    values, so a 4-bit checkpoint still runs attention in 16 bit (or fp8 where the KV cache is
    fp8, as TensorRT-LLM's fp8 context attention does); the weights' fp4 rate never applies.
    """
    if kv_bytes <= mem.FP8_BYTES:
        return peak_tflops(gpu, "fp8", engine)
    return bf16_tflops(gpu)


def runs_on_fp4_tensor_cores(gpu: GpuSpec, precision: str, engine: str) -> bool:
    """True when a precision's GEMMs run on the GPU's 4-bit tensor cores."""
    if engine in SIXTEEN_BIT_MATH_ENGINES or not gpu.fp4_tflops:
        return False
    return precision in {"fp4", "mxfp4"} and peak_tflops(gpu, precision, engine) == gpu.fp4_tflops


def emulated_levels(gpu: GpuSpec, precision: str, engine: str) -> int:
    """Halvings of precision between a weight format and the lowest the GPU's tensor cores take.

    fp8 weights on a GPU without fp8 cores: 1; fp4/mxfp4 without fp4 cores: 1 with fp8 cores
    (Hopper, Ada), 2 without (Ampere). Weight-only formats meant for 16-bit math (int4, GGUF) and
    the engines that always dequantise (llama.cpp, MLX) emulate nothing.
    """
    if engine in SIXTEEN_BIT_MATH_ENGINES:
        return 0
    if precision == "fp8":
        return 0 if gpu.has_tensor("fp8_tflops") else 1
    if precision in {"fp4", "mxfp4"}:
        if gpu.has_tensor("fp4_tflops"):
            return 0
        return 1 if gpu.has_tensor("fp8_tflops") else 2
    return 0
