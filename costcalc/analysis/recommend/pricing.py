"""Cost of every candidate through the engine: each offer priced once by `report`'s resolver, then billed for a
whole array of capacities at once by the engine's one dispatch (monthly_bill).

A candidate is a configuration (capacity) under an offer (prices). Resolving an offer into the engine's
plan does not depend on the capacity, so each (offer, GPUs per replica, operations profile) is resolved once
as a template; the engine then bills the template's plan with the capacity field holding one value per
configuration, which is how the engine's arrays broadcast for what-if points.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace

import numpy as np

from costcalc.analysis.recommend.space import Config, Offer
from costcalc.engine.arrays import FloatArray, replaced
from costcalc.engine.options import Bill, monthly_bill
from costcalc.engine.self_hosted import SelfHostedPlan
from costcalc.engine.shape import RequestShape
from costcalc.errors import InputError
from costcalc.models import Hardware, Hosting, Operations, Power, Scenario, SelfHostedOption, Workload
from costcalc.pricing.book import PriceBook
from costcalc.resolve.hardware import ResolvedSelfHosted
from costcalc.resolve.scenario import resolve_scenario
from costcalc.resolve.throughput import ThroughputBasis

TEMPLATE = "template"
# A template is resolved before its capacity is known; the engine is then given the real capacities.
UNSIZED = ThroughputBasis(
    kind="estimated",
    requests_per_s=1.0,
    output_tokens_per_s=1.0,
    concurrency=None,
    ttft_p95_ms=None,
    tpot_p95_ms=None,
    meets_slo=True,
    detail="priced before its capacity is known",
)


@dataclass(frozen=True)
class Profile:
    """What a candidate copies from the scenario's own self-hosted option: operations, power and hosting."""

    source: str | None  # name of the option copied; None when the scenario has none
    operations: Operations
    power: Power
    hosting: Hosting


def profiles(scenario: Scenario, model_ids: list[str]) -> dict[str, Profile]:
    """Per model: the scenario's self-hosted option of that model, else its first self-hosted option, else none."""
    own = [o for o in scenario.options if isinstance(o, SelfHostedOption)]
    out: dict[str, Profile] = {}
    for model_id in model_ids:
        match = next((o for o in own if o.model == model_id), own[0] if own else None)
        if match is None:
            out[model_id] = Profile(None, Operations(), Power(), Hosting())
        else:
            out[model_id] = Profile(match.name, match.operations, match.power, match.hosting)
    return out


def candidate_option(name: str, config: Config, offer: Offer, profile: Profile) -> SelfHostedOption:
    """The self-hosted option a candidate is: the model, precision and engine on the offer's hardware."""
    owned = offer.acquisition != "rent"
    hardware = (
        Hardware(gpu=config.gpu.id, gpus_per_replica=config.gpus, acquisition=offer.acquisition, offer=offer.id)
        if offer.hardware is None
        else offer.hardware.model_copy(
            update={"gpus_per_replica": config.gpus}
        )  # a custom GPU, as its option prices it
    )
    return SelfHostedOption(
        name=name,
        kind="self_hosted",
        model=config.model.id,
        precision=config.precision,
        engine=config.engine,
        hardware=hardware,
        operations=profile.operations,
        power=profile.power if owned else Power(),
        hosting=profile.hosting if owned else Hosting(),
    )


class Pricer:
    """Templates by (offer, GPUs per replica, profile), resolved once; the engine bills them for many capacities.

    A template is resolved by resolve_scenario on the user's scenario holding that one option, so it is priced
    under the scenario's own terms (horizon, discount rate, price overrides) exactly as `report` prices it.
    """

    def __init__(
        self,
        scenario: Scenario,
        workload: Workload,
        shape: RequestShape,
        book: PriceBook,
        profiles: dict[str, Profile],
    ):
        self.scenario = scenario
        self.workload = workload
        self.shape = shape
        self.book = book
        self.profiles = profiles
        self.volume = workload.requests_per_month  # month 1, as the report's monthly cost
        self._templates: dict[tuple[str, int, str | None], ResolvedSelfHosted | InputError] = {}

    def template(self, config: Config, offer: Offer) -> ResolvedSelfHosted | InputError:
        """The offer resolved for replicas of config.gpus GPUs, or why it cannot be priced."""
        profile = self.profiles[config.model.id]
        key = (offer.id, config.gpus, profile.source)
        if key not in self._templates:
            opt = candidate_option(TEMPLATE, config, offer, profile)
            alone = self.scenario.model_copy(update={"options": (opt,)})
            try:
                resolved = resolve_scenario(alone, self.book, throughputs={TEMPLATE: UNSIZED}).options[0]
                assert isinstance(resolved, ResolvedSelfHosted)
                self._templates[key] = resolved
            except InputError as exc:
                self._templates[key] = exc
        return self._templates[key]

    def bill(self, template: ResolvedSelfHosted, capacities: FloatArray) -> Bill:
        """Month-1 bill (USD) of the template's plan at each capacity (requests/s a replica serves within the SLO)."""
        capacities = np.asarray(capacities, dtype=float)
        cost = template.cost
        sized = replace(cost, plan=replace(cost.plan, capacity_requests_per_s=capacities))
        return monthly_bill(sized, self.shape, np.full(capacities.shape, self.volume))

    def monthly_usd(self, template: ResolvedSelfHosted, capacities: FloatArray) -> FloatArray:
        """Month-1 cost (USD) of the template at each capacity."""
        return self.bill(template, capacities).total

    def monthly_usd_rows(self, templates: Sequence[ResolvedSelfHosted], capacities: FloatArray) -> FloatArray:
        """Month-1 cost (USD) of each row (a template at a capacity): the rows' plans stacked into one plan of
        arrays per kind of bill (same acquisition, scaling and terms), one engine call per kind."""
        capacities = np.asarray(capacities, dtype=float)
        out = np.empty(len(templates))
        groups: dict[tuple[object, ...], list[int]] = {}
        for i, t in enumerate(templates):
            groups.setdefault(_kind_of_bill(t), []).append(i)
        for rows in groups.values():
            first = templates[rows[0]].cost
            plan = stacked([templates[i].cost.plan for i in rows], capacities[rows])
            out[rows] = monthly_bill(replace(first, plan=plan), self.shape, np.full(len(rows), self.volume)).total
        return out


def _kind_of_bill(template: ResolvedSelfHosted) -> tuple[object, ...]:
    """What must be equal for plans to share an engine call: the plan's non-numeric fields and the cost's other parts."""
    cost = template.cost
    plan = cost.plan
    own = tuple(getattr(plan, f.name) for f in fields(plan) if not _numeric(getattr(plan, f.name)))
    rest = tuple(repr(getattr(cost, f.name)) for f in fields(cost) if f.name != "plan")
    return own + rest


def _numeric(value: object) -> bool:
    return isinstance(value, (int, float, np.ndarray)) and not isinstance(value, bool)


def stacked(plans: Sequence[SelfHostedPlan], capacities: FloatArray) -> SelfHostedPlan:
    """One plan whose numeric fields hold one value per row (the engine broadcasts them), capacity per row."""
    first = plans[0]
    arrays = {
        f.name: np.array([getattr(p, f.name) for p in plans], dtype=float)
        for f in fields(first)
        if _numeric(getattr(first, f.name))
    }
    arrays["capacity_requests_per_s"] = np.asarray(capacities, dtype=float)
    return replaced(first, arrays)
