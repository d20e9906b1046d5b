"""Whether a stated engine release can serve a model at all, and what its older scheduler defaults are called.

vLLM releases before 0.8.0 run the V0 engine, whose scheduler defaults scheduler.release_defaults reads (256 sequences;
chunked prefill on above 32K context at 512 tokens a step before 0.6.5, 2,048 from 0.6.5). They all came out before
0.8.0 did (2025-03-18, as scheduler.py cites): the release list (`pip index versions vllm`, read 2026-12-06) ends each
line below 0.8.0 at 0.6.6.post1 and 0.7.3, out by 2025-01-03 (France-Travail/happy_vllm#52 moves to it that day) and
2025-02-22 (ModelCloud/GPTQModel#1332 links the v0.7.3 release page that day). So none of them can load a model
released after 0.8.0: gpt-oss, for one, arrived in vLLM 0.10.1 ("New model families: GPT-OSS", #22327, in the v0.10.1
release notes quoted by FlowGPT/aibrix#18 on 2025-08-21; read 2026-12-06). Estimating such a model at a V0 release
would simulate a server that never ran (qa13: gpt-oss-20b at 0.6.3 read 63% more capacity than today's release, from
V0's 512-token steps), so that release is refused, with the fix.

The release date is a proxy: where the first vLLM release that loads a model's architecture is known
(VLLM_FIRST_RELEASE), that release decides instead. Gemma 3 came out on 2025-03-12, before 0.8.0, but no release
before 0.8.0 loads it; Kimi K2 (2025-07-11) is DeepSeek-V3's architecture, which vLLM loads since 0.6.6.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from costcalc.catalog.specs import ModelSpec
from costcalc.throughput.serving.scheduler import VLLM_V1_DEFAULT_VERSION, parse_version

VLLM_V1_RELEASED = dt.date(2025, 3, 18)  # vLLM 0.8.0, the first release on the V1 engine (scheduler.py)
V0_DEFAULTS = "with V0 scheduler defaults"  # said beside a V0 release in a report's assumptions


def runs_v0(engine: str, version: str | None) -> bool:
    """True for a vLLM release before 0.8.0: its V0 scheduler's defaults apply (scheduler.release_defaults)."""
    return (
        engine == "vllm"
        and bool(version and version.strip())
        and parse_version(version or "") < VLLM_V1_DEFAULT_VERSION
    )


@dataclass(frozen=True)
class FirstRelease:
    """The first vLLM release that loads an architecture (its config.json's `architectures`), and where that is said."""

    release: tuple[int, int, int]
    source: str


# By architecture, for the catalog models whose architecture and first release were read (read 2026-12-07):
VLLM_FIRST_RELEASE: dict[str, FirstRelease] = {
    # "It is supported since v0.6.6" (a vLLM maintainer, vllm-project/vllm#11559, 2024-12-27)
    "DeepseekV3ForCausalLM": FirstRelease((0, 6, 6), "vllm-project/vllm#11559"),
    # vllm-project/vllm#14696 (2025-03-12): the day's release fails to load google/gemma-3-12b-it ("model type `gemma3`
    # but Transformers does not recognize this architecture"); "still waiting for vllm 0.8.0 to come out on this one"
    # (bentoml/BentoVLLM#111, 2025-03-13); "vllm 0.7.3 not support gemma3" (modelscope/ms-swift#3660)
    "Gemma3ForConditionalGeneration": FirstRelease((0, 8, 0), "vllm-project/vllm#14696, bentoml/BentoVLLM#111"),
    # "New model families: GPT-OSS" (#22327) in the v0.10.1 release notes (quoted by FlowGPT/aibrix#18, 2025-08-21)
    "GptOssForCausalLM": FirstRelease((0, 10, 1), "vLLM v0.10.1 release notes, #22327"),
}
# Catalog model -> the `architectures` entry of the config.json its row cites (catalog/models.csv source column):
# Kimi K2's config.json names DeepSeek-V3's class (its kimi_k2 tool-call parser came after v0.9.2, MoonshotAI/Kimi-K2#19;
# the throughput does not depend on it).
MODEL_ARCHITECTURE: dict[str, str] = {
    "deepseek-v3": "DeepseekV3ForCausalLM",
    "deepseek-r1": "DeepseekV3ForCausalLM",
    "kimi-k2": "DeepseekV3ForCausalLM",
    "gemma-3-27b": "Gemma3ForConditionalGeneration",
    "gpt-oss-20b": "GptOssForCausalLM",
    "gpt-oss-120b": "GptOssForCausalLM",
}


def unserved(engine: str, version: str | None, model: ModelSpec) -> str | None:
    """Why `version` of `engine` cannot serve `model`, with the fix: a vLLM release before the first that loads its
    architecture (VLLM_FIRST_RELEASE), else, where that is not known, a V0 release and a model released after 0.8.0;
    None where nothing says it cannot."""
    architecture = MODEL_ARCHITECTURE.get(model.id)
    if engine == "vllm" and version and version.strip() and architecture is not None:
        first = VLLM_FIRST_RELEASE[architecture]
        if parse_version(version) >= first.release:
            return None
        since = ".".join(map(str, first.release))
        return (
            f"vllm {version} cannot serve {model.id}: vLLM loads its architecture ({architecture}) from {since} on"
            f" ({first.source}); state the release the server runs ({since} or later) or drop the engine version"
        )
    released = model.release_date
    if not runs_v0(engine, version) or released is None or released <= VLLM_V1_RELEASED:
        return None
    return (
        f"vllm {version} cannot serve {model.id}: the model came out on {released}, after every vLLM release before"
        f" 0.8.0 (0.8.0 came out on {VLLM_V1_RELEASED}); state the release the server runs (0.8.0 or later) or drop"
        " the engine version"
    )
