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
"""

from __future__ import annotations

import datetime as dt

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


def unserved(engine: str, version: str | None, model: ModelSpec) -> str | None:
    """Why `version` of `engine` cannot serve `model` (a V0 vLLM release and a model released after 0.8.0), with the
    fix; None where nothing says it cannot."""
    released = model.release_date
    if not runs_v0(engine, version) or released is None or released <= VLLM_V1_RELEASED:
        return None
    return (
        f"vllm {version} cannot serve {model.id}: the model came out on {released}, after every vLLM release before"
        f" 0.8.0 (0.8.0 came out on {VLLM_V1_RELEASED}); state the release the server runs (0.8.0 or later) or drop"
        " the engine version"
    )
