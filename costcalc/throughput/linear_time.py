"""Seconds of a step's linear layers on a Rig: weight reads vs FLOPs, routed experts, epilogues, mat-vec kernels."""

from __future__ import annotations

import math

from costcalc.throughput import memory as mem
from costcalc.throughput.dp_attention import extra_weight_reads_b
from costcalc.throughput.mlx_moe import expert_reads_per_touched, gather_read_share
from costcalc.throughput.mmvq import mmvq_extra_s
from costcalc.throughput.rig import Rig
from costcalc.units import BYTES_PER_GB, FLOPS_PER_MAC


def _linear_flops(rig: Rig, tokens: float) -> tuple[float, float]:
    """(dense FLOPs, routed-expert FLOPs) of the linear layers over `tokens` tokens."""
    s = mem.split_params(rig.model)
    dense_params = (s.embedding_b / 2 + s.dense_b) * mem.PARAMS_PER_BILLION
    expert_params = s.experts_per_token * s.expert_b * mem.PARAMS_PER_BILLION
    # dense FLOPs at the precision's rate: weights a checkpoint keeps at 16 bit count for more
    dense = FLOPS_PER_MAC * dense_params * tokens * rig.dense_flops_scale
    return dense, FLOPS_PER_MAC * expert_params * tokens


def linear_compute_s(rig: Rig, tokens: float, shards: float) -> float:
    """Compute-only time of the linear layers (expert GEMMs at the MoE efficiency)."""
    dense, expert = _linear_flops(rig, tokens)
    dense /= rig.dense_format_efficiency
    expert /= rig.moe_efficiency * rig.expert_format_efficiency
    return (dense + expert) / shards / rig.flops + _epilogue_s(rig, tokens)


def _epilogue_s(rig: Rig, tokens: float) -> float:
    """Time of the separate dequantisation passes over `tokens` tokens' GEMM outputs (fp8_epilogue)."""
    return tokens * rig.epilogue_bytes_per_token / BYTES_PER_GB / rig.bw_gb_s


def linear_s(rig: Rig, tokens: float, shards: float) -> float:
    """Time of the linear layers for `tokens` tokens over `shards` GPUs.

    Dense part and routed experts run as separate kernels; each is bound by its weight reads or
    its FLOPs. Expert GEMMs (grouped, over few tokens per expert, with routing and permutation)
    reach the MoE shares of the dense compute and bandwidth efficiencies.
    """
    dense_gb, expert_gb = mem.weight_bytes_read_split_gb(rig.model, rig.precision, tokens, rig.quantization)
    dense_flops, expert_flops = _linear_flops(rig, tokens)
    dense = max(dense_gb / rig.bw_gb_s, dense_flops / rig.flops) / rig.dense_format_efficiency
    expert_bw = rig.bw_gb_s * rig.moe_bandwidth_efficiency
    if rig.gather_expert_reads:
        expert_gb, expert_bw = _gather_expert_reads(rig, tokens, expert_gb, expert_bw)
    expert = (
        max(
            expert_gb / expert_bw,
            expert_flops / rig.flops / rig.moe_efficiency,
        )
        / rig.expert_format_efficiency
    )
    if rig.ep > 1 and shards == rig.ep:
        # whole experts per GPU: the step waits for the GPU that drew the most touched experts
        # and routed token copies, not for the mean share
        s = mem.split_params(rig.model)
        touched = mem.experts_touched(s.experts, s.experts_per_token, tokens)
        reads = expert_gb / expert_bw * _busiest_share(touched, rig.ep)
        math_s = expert_flops / rig.flops / rig.moe_efficiency * _busiest_share(tokens * s.experts_per_token, rig.ep)
        return dense / shards + max(reads, math_s) / rig.expert_format_efficiency
    return (dense + expert) / shards + _epilogue_s(rig, tokens)


def _gather_expert_reads(rig: Rig, tokens: float, expert_gb: float, expert_bw: float) -> tuple[float, float]:
    """(GB, GB/s) of routed-expert reads through MLX's gather kernels (mlx_moe): passes per expert, rate."""
    s = mem.split_params(rig.model)
    touched = mem.experts_touched(s.experts, s.experts_per_token, tokens)
    passes = expert_reads_per_touched(s.experts, s.experts_per_token, tokens, touched)
    return expert_gb * passes, expert_bw * gather_read_share(tokens)


def _busiest_share(items: float, bins: int) -> float:
    """Share of `items` spread at random over `bins` GPUs that the busiest GPU holds.

    Balls into bins: the fullest of n bins holds about m/n + sqrt(2 (m/n) ln n) of m balls
    (Raab and Steger, 1998, for m >= n ln n); at least one whole item, at most all of them.
    """
    if items <= 0 or bins <= 1:
        return 1.0
    mean = items / bins
    busiest = max(mean + math.sqrt(2 * mean * math.log(bins)), min(items, 1.0))
    return min(1.0, busiest / items)


def replicated_projection_s(rig: Rig, tokens: float, shards: int) -> float:
    """Extra time of the weights each tensor-parallel GPU holds whole (memory.replicated_latent_projection_b).

    The dense part's time counts every weight split over the GPUs; a replicated projection is read and
    multiplied in full on each, so each GPU does (1 - 1/shards) of it more: its own kernel, bound by
    those weight reads or its FLOPs over the step's tokens. 0 on one GPU and for models without one.
    """
    replicated_b = mem.replicated_latent_projection_b(rig.model)
    if shards <= 1 or replicated_b <= 0:
        return 0.0
    extra = 1.0 - 1.0 / shards
    read_gb = replicated_b * mem.bytes_per_weight(rig.precision, "dense", rig.model) * extra
    # data-parallel attention (dp_attention): a GPU runs only its rank's 1/dp of the tokens through them
    dp = rig.attention_dp if shards == rig.n else 1
    flops = FLOPS_PER_MAC * replicated_b * mem.PARAMS_PER_BILLION * tokens * (1.0 / dp - 1.0 / shards)
    return max(read_gb / rig.bw_gb_s, flops / rig.flops) / rig.dense_format_efficiency


def rank_attention_reads_s(rig: Rig, shards: int) -> float:
    """Time one step's weight reads take beyond the split share where data-parallel attention ranks each read
    the attention weights over n / dp GPUs (dp_attention): once per step, whatever its tokens; 0 without."""
    if shards != rig.n or rig.attention_dp <= 1:
        return 0.0
    read_gb = extra_weight_reads_b(rig.model, shards, rig.attention_dp) * mem.bytes_per_weight(
        rig.precision, "dense", rig.model
    )
    return read_gb / rig.bw_gb_s / rig.dense_format_efficiency


def mmvq_s(rig: Rig, batch: float) -> float:
    """Time llama.cpp's mat-vec kernels add to a decode step of `batch` sequences over all the weights (mmvq)."""
    if not rig.mmvq:
        return 0.0
    dense, expert = _linear_flops(rig, 1.0)
    return mmvq_extra_s(rig.gpu, (dense + expert) / FLOPS_PER_MAC, batch)
