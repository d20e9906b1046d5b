"""llama.cpp's routed experts: read by its dense mat-vec / mat-mul kernels, so at the dense weights' rate."""

from __future__ import annotations

# ggml multiplies a mixture of experts' routed weights with GGML_OP_MUL_MAT_ID, which each backend runs
# through the kernels of its dense GGML_OP_MUL_MAT with an expert index added (ggml-org/llama.cpp, read
# 2026-12-07):
# - CUDA, ggml/src/ggml-cuda/ggml-cuda.cu ggml_cuda_mul_mat_id (at 00108827 and an earlier stored version):
#   few tokens go to ggml_cuda_mul_mat_vec_q(ctx, src0, src1, ids, dst), larger batches to
#   ggml_cuda_mul_mat_q(ctx, src0, src1, ids, dst) (or ggml_cuda_mul_mat_f), the MMVQ / MMQ kernels that
#   ggml_cuda_mul_mat calls with ids = nullptr for a dense weight; the fallback sorts the tokens by expert
#   and calls ggml_cuda_mul_mat on each expert's slice.
# - Metal, ggml/src/ggml-metal/ggml-metal.metal (at 000a1174): kernel_mul_mv_id reads the slot's expert
#   from `ids`, offsets src0 to it and calls the dtype's dense mat-vec (kernel_mul_mv_id_mxfp4_f32 =
#   kernel_mul_mv_id<mmv_fn<kernel_mul_mv_mxfp4_f32_impl<N_R0_MXFP4>>>); kernel_mul_mm_id is instantiated
#   with the template arguments of kernel_mul_mm.
# The serving engines' grouped MoE kernels (fused_moe, DeepGEMM, CUTLASS grouped GEMM) route, permute and
# pad tokens per expert: their reads are what the fitted MoE bandwidth share stands for. llama.cpp's
# expert reads stream through its dense kernels, whose rate is the engine's bandwidth efficiency.
DENSE_KERNEL_EXPERT_ENGINES = frozenset({"llamacpp"})


def expert_read_share(engine: str, fitted_share: float) -> float:
    """Share of the dense weight-read rate a step's routed experts are read at: 1 where the engine reads
    them with its dense kernels (llama.cpp), else the fitted MoE share."""
    return 1.0 if engine in DENSE_KERNEL_EXPERT_ENGINES else fitted_share
