"""The parallel layout of a multi-GPU replica without a scale-up link: chosen at the server's own full load."""

from __future__ import annotations

import pytest

from costcalc.catalog import get_gpu, get_model
from costcalc.throughput.estimate import estimate
from costcalc.throughput.serving.scheduler import parse_server_args


@pytest.mark.parametrize("engine,args", [("trtllm", "--max_batch_size 16"), ("vllm", "--max-num-seqs 16")])
def test_more_pcie_gpus_under_a_batch_limit_never_serve_less(engine: str, args: str) -> None:
    """qa15 finding 2: with --max_batch_size 16, 8 RTX 4090s took pipeline parallel (chosen at the 200+ requests that fit
    in memory, where it wins) and then ran 16 at once at a third of 4 GPUs' requests/s (0.12 vs 0.35). The layout is
    now chosen at the 16 the server runs, so the larger replica serves at least as much."""
    gpu, model = get_gpu("rtx-4090-24gb"), get_model("llama-3.3-70b")

    def rate(n: int) -> float:
        e = estimate(
            gpu,
            model,
            gpu_count=n,
            precision="fp8",
            engine=engine,
            input_tokens=500,
            output_tokens=1500,
            server_args=parse_server_args(engine, args),
        )
        assert e.fits and e.concurrency == 16
        return e.requests_per_s

    assert rate(8) >= rate(4)
