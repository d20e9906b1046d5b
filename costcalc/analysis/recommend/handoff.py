"""The scenario `recommend` hands to `report`: the user's APIs and seats beside the chosen configurations.

The same document is what recommend itself costs its shown candidates with (through analysis.run.evaluate,
the report's path), so `report` on a written file gives the same numbers to the cent.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from costcalc.analysis.recommend.pricing import Profile
from costcalc.analysis.recommend.space import Config, Offer
from costcalc.errors import InputError
from costcalc.models import Scenario, SelfHostedOption

NAME_LIMIT = 120  # models.option_fields.Name's max_length


def option_name(config: Config, offer: Offer) -> str:
    """'gpt-oss-20b · 1x rtx-4090-24gb · trtllm mxfp4 · runpod/secure-rtx-4090/on-demand' (unique per candidate)."""
    name = f"{config.model.id} · {config.gpus}x {config.gpu.id} · {config.engine} {config.precision} · {offer.id}"
    return name if len(name) <= NAME_LIMIT else name[: NAME_LIMIT - 1] + "…"


def option_dict(name: str, config: Config, offer: Offer, profile: Profile) -> dict[str, Any]:
    """A candidate as a scenario's self_hosted option (throughput is left to the estimator, as recommend sized it)."""
    out: dict[str, Any] = {
        "name": name,
        "kind": "self_hosted",
        "model": config.model.id,
        "precision": config.precision,
        "engine": config.engine,
        "hardware": {
            "gpu": config.gpu.id,
            "gpus_per_replica": config.gpus,
            "acquisition": offer.acquisition,
            "offer": offer.id,
        }
        if offer.hardware is None  # a custom GPU: its option's hardware (custom_gpu, price) at these GPUs per replica
        else offer.hardware.model_dump(mode="json", exclude_unset=True) | {"gpus_per_replica": config.gpus},
    }
    parts: dict[str, BaseModel] = {"operations": profile.operations}
    if offer.acquisition != "rent":
        parts |= {"power": profile.power, "hosting": profile.hosting}
    for key, model in parts.items():
        given = model.model_dump(mode="json", exclude_defaults=True)
        if given:
            out[key] = given
    return out


def scenario_dict(
    scenario: Scenario, options: Sequence[dict[str, Any]], *, note: str
) -> tuple[dict[str, Any], list[str]]:
    """The scenario with its self-hosted options replaced by `options`; and what was dropped, in words.

    Guardrails and variants that name a dropped option are left out (they would fail on the new file).
    """
    doc = scenario.model_dump(mode="json", exclude_unset=True)
    kept = [o for o in scenario.options if not isinstance(o, SelfHostedOption)]
    doc["name"] = f"{scenario.name} ({note})"
    doc["options"] = [o.model_dump(mode="json", exclude_unset=True) for o in kept] + list(options)
    names = {o.name for o in kept} | {o["name"] for o in options}
    dropped: list[str] = []
    guards = []
    for text in scenario.guardrails:
        if _names_only(text, names):
            guards.append(text)
        else:
            dropped.append(f"guardrail {text!r} names an option that is not in the written scenario")
    if guards:
        doc["guardrails"] = guards
    else:
        doc.pop("guardrails", None)
    if doc.pop("variants", None):
        dropped.append("variants (they may name the scenario's own self-hosted options)")
    return doc, dropped


def _names_only(text: str, names: set[str]) -> bool:
    """True when a guardrail names no option, or only options in `names`."""
    from costcalc.models.guardrails import parse

    try:
        g = parse(text, origin="guardrails")
    except InputError:
        return False
    if g.option is not None and g.option not in names:
        return False
    return not (g.metric == "cheapest" and str(g.value) not in names)
