"""SGLang's default static memory share (mem_fraction_static) of a GPU, by release, as its server_args code computes it."""

from __future__ import annotations

from costcalc.throughput import dp_attention
from costcalc.throughput.serving.scheduler import parse_version

# SGLang sizes its KV cache pool from mem_fraction_static: the pool gets total GPU memory x the
# fraction, less the weights (and what the process holds already); the rest is left for activations
# and CUDA graphs. Unless --mem-fraction-static is given, ServerArgs computes it from the GPU's
# memory (nvidia-smi's total, MiB) and a reserve; read in the sglang wheels on PyPI, 2026-12-06:
#
# 0.5.3rc0 (sglang/srt/server_args.py, ServerArgs.__post_init__, lines 484-528): reserve
#   (9.5 + tp x pp / 2) GiB on 35-90 GiB GPUs ("H100, A100"), (12 + tp x pp / 2) GiB on 90-160 GiB
#   (H20, H200), 32 GiB above, (2.8 + tp x pp / 10) GiB below 35 GiB.
# 0.5.3, 0.5.4.post2, 0.5.5.post1, 0.5.6.post2 (ServerArgs._handle_gpu_memory_settings; 0.5.4.post2
#   lines 651-806): reserve 512 MiB + 1.5 MiB x chunked_prefill_size + 2 MiB x cuda_graph_max_bs
#   + tp x pp / 8 GiB, at least 10 GiB on GPUs above 60 GiB; chunked_prefill_size is 2048 below
#   35 GiB, 4096 below 60 GiB, 8192 below 160 GiB, else 16384; cuda_graph_max_bs is 8 below 20 GiB,
#   24 (0.5.3: 16) below 35 GiB with tp < 4 else 80, 32 / 160 below 60 GiB, 256 / 512 below 160 GiB
#   (tp < 4 / tp >= 4), else 512. Data-parallel attention adds dp_attention.reserve_mib. (Speculative
#   decoding and piecewise CUDA graphs, off by default, add more; not modelled.)
# The fraction is round((capacity - reserve) / capacity, 3). Other releases were not read: they keep
# the engine's fitted prior (factors.EngineFactors.memory_utilization).
MIB_PER_GIB = 1024
RC_RELEASE = "0.5.3rc0"
BUDGET_FIRST = (0, 5, 3)  # first release with the chunk/graph-based reserve
BUDGET_LAST = (0, 5, 6)  # last release read with it (0.5.6.post2)

# 0.5.3rc0: (upper bound of the GPU's memory in GiB, fixed reserve GiB, reserve GiB per GPU of tp x pp)
RC_RESERVE_GIB: tuple[tuple[float, float, float], ...] = (
    (35.0, 2.8, 0.1),
    (90.0, 9.5, 0.5),
    (160.0, 12.0, 0.5),
)
RC_LARGE_GPU_RESERVE_GIB = 32.0

BASE_RESERVE_MIB = 512.0
RESERVE_MIB_PER_CHUNK_TOKEN = 1.5
MIN_CHUNK_TOKENS_RESERVED = 2048
RESERVE_MIB_PER_GRAPH_SEQ = 2.0
RESERVE_GIB_PER_GPU = 1 / 8  # x tp x pp
MIN_RESERVE_MIB_ABOVE_60_GIB = 10 * MIB_PER_GIB
MIN_RESERVE_FROM_GIB = 60.0
SMALL_TP = 4  # cuda_graph_max_bs is the smaller figure below this many tensor-parallel GPUs


def _chunk_tokens(capacity_gib: float) -> int:
    """Default chunked_prefill_size on a GPU of this memory (0.5.3 to 0.5.6.post2)."""
    if capacity_gib < 35:
        return 2048
    if capacity_gib < 60:
        return 4096
    if capacity_gib < 160:
        return 8192
    return 16384


def _graph_max_seqs(capacity_gib: float, tp: int, release: tuple[int, int, int]) -> int:
    """Default cuda_graph_max_bs on a GPU of this memory (0.5.3 to 0.5.6.post2)."""
    if capacity_gib < 20:
        return 8
    small_tp = tp < SMALL_TP
    if capacity_gib < 35:
        return (16 if release == BUDGET_FIRST else 24) if small_tp else 80
    if capacity_gib < 60:
        return 32 if small_tp else 160
    if capacity_gib < 160:
        return 256 if small_tp else 512
    return 512


def reserve_mib(capacity_gib: float, gpus: int, version: str, attention_dp: int = 1) -> float | None:
    """MiB SGLang leaves outside its static share on each GPU (None: a release whose code was not read).

    capacity_gib: one GPU's memory as stated (GiB); gpus: tensor x pipeline parallel size;
    attention_dp: data-parallel attention ranks (dp_attention.reserve_mib; the rc's rule has no such term).
    """
    if version.strip().lower().lstrip("v") == RC_RELEASE:
        for top, fixed, per_gpu in RC_RESERVE_GIB:
            if capacity_gib < top:
                return (fixed + per_gpu * gpus) * MIB_PER_GIB
        return RC_LARGE_GPU_RESERVE_GIB * MIB_PER_GIB
    try:
        release = parse_version(version)
    except ValueError:
        return None
    if "rc" in version.lower() or not BUDGET_FIRST <= release <= BUDGET_LAST:
        return None
    reserve = (
        BASE_RESERVE_MIB
        + RESERVE_MIB_PER_CHUNK_TOKEN * max(_chunk_tokens(capacity_gib), MIN_CHUNK_TOKENS_RESERVED)
        + RESERVE_MIB_PER_GRAPH_SEQ * _graph_max_seqs(capacity_gib, gpus, release)
        + RESERVE_GIB_PER_GPU * gpus * MIB_PER_GIB
        + dp_attention.reserve_mib(_graph_max_seqs(capacity_gib, gpus, release), attention_dp)
    )
    if capacity_gib > MIN_RESERVE_FROM_GIB:
        reserve = max(reserve, MIN_RESERVE_MIB_ABOVE_60_GIB)
    return reserve


def static_share(capacity_gib: float, gpus: int, version: str | None, attention_dp: int = 1) -> float | None:
    """SGLang's default mem_fraction_static on a GPU of this memory (None: no release stated, or one not read)."""
    if not version or not version.strip():
        return None
    reserve = reserve_mib(capacity_gib, gpus, version, attention_dp)
    if reserve is None:
        return None
    capacity_mib = capacity_gib * MIB_PER_GIB
    return round((capacity_mib - reserve) / capacity_mib, 3)
