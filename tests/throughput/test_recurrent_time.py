"""Recurrent (Mamba/DeltaNet) scan time: state traffic per sequence, scan FLOPs per token."""

from __future__ import annotations

import pytest

from costcalc.throughput.recurrent_time import RECURRENT_STATE_BYTES_PER_VALUE, SCAN_FLOPS_PER_STATE_VALUE, recurrent_s
from costcalc.throughput.rig import make_rig
from costcalc.units import BYTES_PER_GB, BYTES_PER_MB
from tests.throughput.test_estimate import factors, gpu_h100
from tests.throughput.test_estimate_hybrid_ep import hybrid


def test_recurrent_state_traffic_worked_by_hand():
    rig = make_rig(gpu_h100(), hybrid(), 1, "bf16", "vllm", factors())
    # decode, 64 sequences: read + write 40 MB each = 5.12 GB at 3350 * 0.5 GB/s = 3.0567 ms;
    # the scan: 64 tokens * 10e6 values * 5 FLOPs = 3.2e9 FLOPs at 494.5e12 = 0.0065 ms
    assert recurrent_s(rig, 64, 64, 1) == pytest.approx(2 * 64 * 0.04 / (3350 * 0.5))
    # prefill of 8192 tokens of one sequence: compute-bound scan
    values = 40.0 * BYTES_PER_MB / RECURRENT_STATE_BYTES_PER_VALUE
    assert recurrent_s(rig, 8192, 1, 1) == pytest.approx(
        8192 * values * SCAN_FLOPS_PER_STATE_VALUE / rig.attention_flops
    )
    assert BYTES_PER_GB / BYTES_PER_MB == 1000  # the hand numbers above use decimal MB and GB
