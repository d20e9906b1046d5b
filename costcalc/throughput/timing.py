"""Step times on a Rig: one decode step, one prompt's prefill, and the prompt work a decode step's reads hide."""

from __future__ import annotations

from costcalc.catalog.specs import ModelSpec
from costcalc.throughput import memory as mem
from costcalc.throughput.attention_flops import attention_flop_count
from costcalc.throughput.linear_time import (
    linear_compute_s,
    linear_s,
    mmvq_s,
    rank_attention_reads_s,
    replicated_projection_s,
)
from costcalc.throughput.mlx_prefill import prompt_attention_scale
from costcalc.throughput.recurrent_time import recurrent_s, recurrent_state_gb
from costcalc.throughput.rig import Rig, prompt_attention_rate
from costcalc.throughput.tp_comm import tp_comm_s


def _prompt_attention_flops_count(rig: Rig, tokens: float, context: float) -> float:
    """FLOPs of a whole prompt's attention, each token seeing `context` (MLX: as its chunked sliding layers run)."""
    flops = attention_flop_count(rig.model, tokens, context)
    if rig.chunked_sliding_prefill:
        flops *= prompt_attention_scale(rig.model, round(tokens))
    return flops


def kv_shards(model: ModelSpec, n: int, attention_dp: int = 1) -> float:
    """How many ways the KV cache splits over n tensor-parallel GPUs.

    MLA's latent is not split by head (each GPU keeps all of it); GQA splits by KV head and
    replicates heads once n exceeds their count. Data-parallel attention (dp_attention) keeps each
    rank's requests on its n / attention_dp GPUs only.
    """
    if attention_dp > 1:
        return attention_dp * kv_shards(model, n // attention_dp)
    if model.kv_lora_rank:
        return 1.0
    return float(min(n, model.kv_heads))


def _step_s(
    rig: Rig, tokens: float, seqs: float, context: float, shards: float, kv_shards: float, *, decode: bool = False
) -> float:
    """One forward step: linear layers (weights read vs FLOPs) then attention (KV read vs FLOPs).

    The two run as separate kernels, so their times add; within each, memory and compute overlap.
    decode: every token is one sequence's next token (attention_head_widths' decode path).
    """
    linear = linear_s(rig, tokens, shards)
    state_gb = recurrent_state_gb(rig.model)
    kv = seqs * (mem.kv_cache_gb(rig.model, context, rig.kv_bytes) - state_gb) / kv_shards
    if decode:
        rate, flops = rig.attention_flops, attention_flop_count(rig.model, tokens, context, decode=True)
    else:  # a whole prompt
        rate, flops = prompt_attention_rate(rig), _prompt_attention_flops_count(rig, tokens, context)
    attention = max(kv / rig.bw_gb_s, flops / shards / rate)
    return linear + attention + recurrent_s(rig, tokens, seqs, shards)


def decode_step_s(rig: Rig, batch: float, context: float, mode: str) -> float:
    """Seconds for one decode step that emits one token for each of `batch` sequences."""
    host = rig.overhead_s + batch * rig.sequence_overhead_s
    if mode == "pp":
        lanes = max(1.0, min(float(rig.n), batch))  # micro-batches in flight
        micro = batch / lanes
        stage = _step_s(rig, micro, micro, context, rig.n, rig.n, decode=True)
        return rig.n * stage + host + mmvq_s(rig, micro)
    return (
        _step_s(rig, batch, batch, context, rig.n, kv_shards(rig.model, rig.n, rig.attention_dp), decode=True)
        + host
        + mmvq_s(rig, batch) / rig.n
        + tp_comm_s(rig, batch, rig.n, decode=True)
        + replicated_projection_s(rig, batch, rig.n)
        + rank_attention_reads_s(rig, rig.n)
    )


def decode_weight_slack_s(rig: Rig, batch: float, mode: str) -> float:
    """Seconds of one decode step's linear layers spent reading weights beyond their FLOPs' time.

    A step that also carries prompt tokens runs them through the same GEMMs: one read of the
    weights serves every token of the step, so prompt FLOPs up to this much hide under the
    weight reads the decodes pay anyway (Sarathi-Serve's piggybacking of decodes on prefill
    chunks: Agrawal et al., OSDI 2024, arXiv:2403.02310, section 3). 0 under pipeline parallelism,
    whose stages interleave micro-batches instead.
    """
    if mode == "pp" or batch <= 0:
        return 0.0
    return max(0.0, linear_s(rig, batch, rig.n) - linear_compute_s(rig, batch, rig.n))


def prefill_linear_s_per_token(rig: Rig, mode: str) -> float:
    """FLOP time of the linear layers per prompt token when batched (the part of a prompt's
    cost that can hide under a decode step's weight reads); 0 under pipeline parallelism."""
    if mode == "pp":
        return 0.0
    return rig.model.prefill_share * linear_compute_s(rig, 1.0, rig.n)


def prefill_s(rig: Rig, tokens: int, mode: str) -> tuple[float, float]:
    """(latency of one request's prefill, replica time it costs when batched with others)."""
    if tokens <= 0:
        return 0.0, 0.0
    context = tokens / 2  # causal: each prompt token sees half the prompt on average
    prompt_attention = _prompt_attention_flops_count(rig, tokens, context) / prompt_attention_rate(rig)
    attention = prompt_attention + recurrent_s(rig, tokens, 1, 1)
    host = rig.sequence_overhead_s  # the prompt's sequence is scheduled and prepared once more
    # a prompt token may run only part of the stack (prefill_active_params_b): that share of every
    # layer's work (weights, FLOPs, attention, all-reduces); launch and host time stay whole
    share = rig.model.prefill_share
    if mode == "pp":
        # one prompt visits the stages in turn: no speed-up for its latency
        latency = share * (linear_s(rig, tokens, 1) + attention) + rig.overhead_s
        return latency + host, share * (linear_compute_s(rig, tokens, 1) + attention) / rig.n + host
    comm = share * tp_comm_s(rig, tokens, rig.n)
    replicated = share * replicated_projection_s(rig, tokens, rig.n)
    compute = share * (linear_compute_s(rig, tokens, rig.n) + attention / rig.n)
    latency = share * _step_s(rig, tokens, 1, context, rig.n, kv_shards(rig.model, rig.n, rig.attention_dp))
    # a lone prompt's step reads its rank's attention weights; batched prompts share one read a step
    latency += rank_attention_reads_s(rig, rig.n)
    return latency + rig.overhead_s + comm + replicated + host, compute + comm + replicated + host
