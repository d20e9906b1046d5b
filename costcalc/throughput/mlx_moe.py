"""MLX's routed-expert kernels: gather_qmm reads at few decode tokens (mlx#4509), sorted prompt GEMMs (mlx#4246)."""

from __future__ import annotations

# ml-explore/mlx issue #4509 (2026-09-14, open; read 2026-12-06), Apple M3 Ultra: one MoE layer of
# random 4-bit experts (group 64, top-8 routing, bf16 activations), gate/up/down through
# mx.gather_qmm, 42 layers chained without a sync in between (launch cost amortised), bytes of the
# experts touched / time. One token per call streams them at 387 GB/s, four tokens at 542 GB/s:
# a decode step of one sequence reads its experts at 387/542 of the rate a step of four reaches.
GATHER_QMM_ONE_TOKEN_GB_S = 387.0
GATHER_QMM_FOUR_TOKENS_GB_S = 542.0
MEASURED_TOKENS = (1.0, 4.0)
# ml-explore/mlx issue #4246 (2026-08-14, closed; read 2026-12-06), Apple M3 Ultra: the sorted
# gather_qmm path (mlx-lm's SwitchGLU sorts a step's (token, expert) rows once it has 64 or more,
# mlx_lm/models/switch_layers.py at v0.31.3 and main d78bf58e; mlx sends M=1 rows with 4 or more per
# expert to gather_qmm_rhs, mlx/backend/metal/quantized.cpp GatherQMM::eval_gpu in v0.31.2 and
# v0.32.1) reaches 14.2 TFLOPS where a dense quantized_matmul of the same FLOPs reaches 20.5, at
# ~43 rows per expert. A prompt's expert GEMMs therefore run at this share of the dense GEMM rate.
# Which kernel a step's routed experts take (same sources): mlx-lm multiplies every (token, expert)
# pair as its own one-row product (M=1, B = tokens x experts_per_token) and sorts the pairs by expert
# from SORT_MIN_PAIRS on; mlx then takes gather_qmm_rhs (each expert's weights read once for all its
# rows) when the pairs are sorted and there are RHS_MIN_ROWS_PER_EXPERT or more per expert, else
# gather_qmv, whose grid gives every pair its own pass over its expert's weights (the kernel offsets
# w by rhs_indices per batch element; kernels/quantized.h gather_qmv_fast, adjust_matrix_offsets).
SORT_MIN_PAIRS = 64
RHS_MIN_PAIRS = 16
RHS_MIN_ROWS_PER_EXPERT = 4
SORTED_GATHER_TFLOPS = 14.2
DENSE_QMM_TFLOPS = 20.5


def gather_read_share(tokens: float) -> float:
    """Share of the batched expert-read rate MLX reaches with `tokens` tokens in one step.

    387/542 at one token, 1 from four tokens on (the rate the fitted MoE bandwidth efficiency
    stands for); between the two measured points the rate is interpolated linearly in tokens.
    """
    low, high = MEASURED_TOKENS
    if tokens >= high:
        return 1.0
    t = max(tokens, low)
    rate = GATHER_QMM_ONE_TOKEN_GB_S + (GATHER_QMM_FOUR_TOKENS_GB_S - GATHER_QMM_ONE_TOKEN_GB_S) * (t - low) / (
        high - low
    )
    return rate / GATHER_QMM_FOUR_TOKENS_GB_S


def expert_compute_share(engine: str, fitted_share: float) -> float:
    """Share of the dense GEMM rate the routed-expert GEMMs reach: MLX's sorted gather_qmm, else the fitted share."""
    return SORTED_GATHER_TFLOPS / DENSE_QMM_TFLOPS if engine == "mlx" else fitted_share


def takes_rhs_kernel(experts: int, experts_per_token: int, tokens: float) -> bool:
    """Whether mlx-lm's routed experts over `tokens` tokens run gather_qmm_rhs (else gather_qmv)."""
    pairs = tokens * experts_per_token
    return pairs >= max(SORT_MIN_PAIRS, RHS_MIN_PAIRS) and pairs / experts >= RHS_MIN_ROWS_PER_EXPERT


def expert_reads_per_touched(experts: int, experts_per_token: int, tokens: float, touched: float) -> float:
    """Weight passes per distinct expert a step makes: 1 on gather_qmm_rhs, one per routed pair on gather_qmv."""
    if touched <= 0 or takes_rhs_kernel(experts, experts_per_token, tokens):
        return 1.0
    return max(1.0, tokens * experts_per_token / touched)


def reads_experts_by_gather(engine: str, is_moe: bool) -> bool:
    """Whether the engine streams routed experts through mx.gather_qmm (MLX on mixtures of experts)."""
    return engine == "mlx" and is_moe
