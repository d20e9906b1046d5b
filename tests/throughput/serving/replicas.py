"""Small replicas the serving tests build: an 8B dense model on one H100 at 200 in / 200 out."""

from __future__ import annotations

from costcalc.throughput.serving.replica import Replica, build_replica
from costcalc.throughput.serving.server_args import ServerArgs
from tests.throughput.test_estimate import dense_8b, factors, gpu_h100


def small_replica(
    engine: str,
    version: str | None,
    server_args: ServerArgs | None = None,
    *,
    precision: str = "bf16",
    max_batch: int = 1024,
) -> Replica:
    """The replica `engine` at `version` (None: today's defaults) would run with these server flags."""
    return build_replica(
        gpu_h100(),
        dense_8b(),
        precision=precision,
        engine=engine,
        input_tokens=200,
        output_tokens=200,
        max_prompt_tokens=200,
        max_context_tokens=400,
        factors=factors(max_batch=max_batch),
        engine_version=version,
        server_args=server_args,
    )


def small_vllm_replica(version: str | None, server_args: ServerArgs | None = None) -> Replica:
    """The replica vLLM `version` (None: today's defaults) would run with these server flags."""
    return small_replica("vllm", version, server_args)
