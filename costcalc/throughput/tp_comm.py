"""Seconds of a step's tensor-parallel communication on a Rig: ring all-reduces, expert parallelism's all-to-alls."""

from __future__ import annotations

from costcalc.throughput import memory as mem
from costcalc.throughput.rig import Rig
from costcalc.units import BYTES_PER_GB

ALL_REDUCES_PER_LAYER = 2  # Megatron tensor parallelism: after attention and after the MLP
ACTIVATION_BYTES = 2.0  # bf16 activations on the wire
# Expert parallelism exchanges each routed token copy twice per MoE layer (dispatch to the GPU
# owning the expert, combine back).
ALL_TO_ALLS_PER_MOE_LAYER = 2


def tp_comm_s(rig: Rig, tokens: float, shards: int, *, decode: bool = False) -> float:
    """Tensor-parallel communication of one forward step: 2 ring all-reduces per layer.

    decode: a step of decode tokens only, which data-parallel attention (dp_attention) gathers
    before the MLP and reduce-scatters after: one all-reduce's traffic in two collectives, plus the
    attention's own all-reduce over a rank's GPUs where a rank has more than one.
    """
    if shards <= 1:
        return 0.0
    payload_gb = tokens * rig.model.hidden_size * ACTIVATION_BYTES / BYTES_PER_GB
    ring_gb = 2 * (shards - 1) / shards * payload_gb
    per_reduce = rig.comm_latency_s + ring_gb / rig.link_gb_s
    if decode and rig.attention_dp > 1 and shards == rig.n and rig.ep == 1:
        gather_and_scatter = 2 * rig.comm_latency_s + ring_gb / rig.link_gb_s
        rank = shards // rig.attention_dp
        rank_gb = 2 * (rank - 1) / rank * payload_gb / rig.attention_dp
        attention = rig.comm_latency_s + rank_gb / rig.link_gb_s if rank > 1 else 0.0
        return rig.model.layers * (gather_and_scatter + attention)
    if rig.ep > 1 and shards == rig.ep:
        # attention keeps its all-reduce; the MoE block swaps its all-reduce for a dispatch and a
        # combine all-to-all, each GPU sending the (n-1)/n of its tokens' k copies owned elsewhere
        k = mem.split_params(rig.model).experts_per_token
        a2a_gb = tokens / shards * k * (shards - 1) / shards * rig.model.hidden_size * ACTIVATION_BYTES / BYTES_PER_GB
        per_a2a = rig.comm_latency_s + a2a_gb / rig.link_gb_s
        return rig.model.layers * (per_reduce + ALL_TO_ALLS_PER_MOE_LAYER * per_a2a)
    return rig.model.layers * ALL_REDUCES_PER_LAYER * per_reduce
