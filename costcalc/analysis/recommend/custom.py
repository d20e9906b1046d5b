"""The scenario's custom GPUs as recommend candidates: each priced as its own option prices it, or why it is not."""

from __future__ import annotations

from dataclasses import dataclass

from costcalc.analysis.recommend.space import SCENARIO_PRICING_TYPE, Offer, gpu_key
from costcalc.catalog.specs import CustomGpuSpec
from costcalc.errors import InputError
from costcalc.models import Hardware, Scenario, SelfHostedOption
from costcalc.resolve.custom_gpu import custom_spec

SEARCHED_ACQUISITIONS = ("rent", "buy")  # the catalog's offers are rentals and purchases; a lease is neither


@dataclass(frozen=True)
class CustomGpus:
    """The custom GPUs recommend searches beside the catalog's, their offers by name, and a note on each option's."""

    gpus: tuple[CustomGpuSpec, ...]
    offers: dict[str, tuple[Offer, ...]]
    notes: tuple[str, ...]


def custom_gpus(scenario: Scenario) -> CustomGpus:
    """Every self-hosted option's custom_gpu that says what it is like (or its vendor) and is rented or bought: its GPU,
    with an offer named after the option that copies the option's hardware (its hourly_usd, price_usd or offer, its
    instance or server size), so a candidate is priced as `report` prices that option with its own GPUs per replica.
    Another custom_gpu is not searched, and a note says why."""
    gpus: dict[str, CustomGpuSpec] = {}
    offers: dict[str, list[Offer]] = {}
    searched: list[str] = []
    skipped: list[str] = []
    for opt in scenario.options:
        if not isinstance(opt, SelfHostedOption) or not isinstance(opt.hardware, Hardware):
            continue
        hw = opt.hardware
        if hw.custom_gpu is None:
            continue
        subject = f"custom_gpu {hw.custom_gpu.name} (option {opt.name!r})"
        why = _not_searched(hw)
        spec = None
        if why is None:
            try:
                spec = custom_spec(hw.custom_gpu, f"options[{opt.name}].hardware.custom_gpu")
            except InputError as exc:
                why = f"{exc.field}: {exc.detail}" if exc.field else exc.detail
        if spec is None:
            skipped.append(f"{subject} is not searched: {why}.")
            continue
        known = gpus.setdefault(spec.id, spec)
        if gpu_key(known) != gpu_key(spec):
            skipped.append(f"{subject} is not searched: another option states custom_gpu {spec.id} with other figures.")
            continue
        offers.setdefault(spec.id, []).append(_offer(opt.name, spec.id, hw))
        searched.append(f"{spec.id} as {opt.name!r} prices it")
    notes = [f"Custom GPUs searched beside the catalog's: {', '.join(searched)}."] if searched else []
    return CustomGpus(tuple(gpus[g] for g in offers), {g: tuple(o) for g, o in offers.items()}, tuple(notes + skipped))


def _not_searched(hw: Hardware) -> str | None:
    """Why a custom GPU's option cannot be a candidate, or None."""
    c = hw.custom_gpu
    assert c is not None
    if c.like is None and c.vendor is None and c.architecture is None:
        return "it says neither what it is like nor its vendor, so its throughput is given, not estimated"
    if hw.acquisition not in SEARCHED_ACQUISITIONS:
        return f"it is {hw.acquisition}d, and recommend searches rented and bought hardware"
    return None


def _offer(option: str, gpu: str, hw: Hardware) -> Offer:
    """The option's price as an offer: its hardware with the GPUs per server it was priced at made explicit (a bought
    server's price_usd is for gpus_per_server GPUs, one replica's by default), which each candidate copies."""
    sized = hw.acquisition == "buy" and hw.offer is None and hw.gpus_per_server is None
    priced = hw.model_copy(update={"gpus_per_server": hw.gpus_per_replica}) if sized else hw
    count = (priced.gpus_per_server if hw.acquisition == "buy" else hw.gpus_per_instance) or 1
    return Offer(option, gpu, count, hw.acquisition, None, SCENARIO_PRICING_TYPE, hardware=priced)
