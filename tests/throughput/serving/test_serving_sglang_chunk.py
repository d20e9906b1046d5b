"""SGLang's default chunked_prefill_size by GPU memory, the prefill tokens one of its steps carries."""

from __future__ import annotations

import pytest

from costcalc.throughput.serving.scheduler import tokens_per_step


@pytest.mark.parametrize(
    ("gpu_memory_gib", "tokens"),
    [
        (24, 2048),  # RTX 4090
        (32, 2048),  # RTX 5090
        (40, 4096),  # A100 40GB
        (48, 4096),  # L40S
        (80, 8192),  # H100, A100 80GB
        (141, 8192),  # H200
        (180, 16384),  # B200
    ],
)
def test_sglang_step_budget_follows_the_gpu_memory_classes(gpu_memory_gib, tokens):
    assert tokens_per_step("sglang", gpu_memory_gib, large_batch_default=False) == tokens
