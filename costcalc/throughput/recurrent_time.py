"""Seconds of the recurrent (Mamba-2 / Gated DeltaNet) layers' scans on a Rig, and the GB of state a sequence holds."""

from __future__ import annotations

from costcalc.catalog.specs import ModelSpec
from costcalc.throughput.rig import Rig
from costcalc.units import BYTES_PER_GB, BYTES_PER_MB

# Recurrent (Mamba-2 / Gated DeltaNet) layers keep a fixed-size state per sequence instead of a
# KV cache. The catalog's recurrent_state_mb counts it in bytes; engines cache the SSM state in
# float32 (Nemotron-H: mamba_ssm_cache_dtype float32), so bytes / 4 values. Each token updates
# every state value once: decay multiply (1 FLOP), B.x outer-product accumulate (2) and the C.h
# read-out (2) -> 5 FLOPs per state value per token.
RECURRENT_STATE_BYTES_PER_VALUE = 4.0
SCAN_FLOPS_PER_STATE_VALUE = 5.0


def recurrent_state_gb(model: ModelSpec) -> float:
    """GB of fixed-size recurrent state one sequence holds over all its recurrent layers."""
    return (model.recurrent_state_mb or 0.0) * BYTES_PER_MB / BYTES_PER_GB


def recurrent_s(rig: Rig, tokens: float, seqs: float, shards: float) -> float:
    """Time of the recurrent (Mamba-2 / DeltaNet) layers' scans for `tokens` tokens of `seqs` sequences.

    Every sequence's state is read and written back once per step (bandwidth), and every token
    updates every state value (SCAN_FLOPS_PER_STATE_VALUE, at the 16-bit rate); state splits by
    head over tensor-parallel GPUs. Separate kernels from attention and the projections, so the
    time adds; within the scan, memory and compute overlap.
    """
    state_gb = recurrent_state_gb(rig.model)
    if state_gb <= 0:
        return 0.0
    values = state_gb * BYTES_PER_GB / RECURRENT_STATE_BYTES_PER_VALUE
    traffic = 2 * seqs * state_gb / shards / rig.bw_gb_s
    scan = tokens * values * SCAN_FLOPS_PER_STATE_VALUE / shards / rig.attention_flops
    return max(traffic, scan)
