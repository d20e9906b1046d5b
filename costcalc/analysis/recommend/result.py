"""The Recommendation every recommend renderer reads: typed (pydantic), versioned, money in the report currency."""

from __future__ import annotations

from typing import Any

from costcalc.report.part import Part
from costcalc.report.read_only import CostByName
from costcalc.report.result import ThroughputInfo, Workload, rounded

# 1.1: a candidate's instances (read from the Result); 1.2: candidates[].throughput.actual_range (as the report's
# schema 1.6), which monthly_cost_low/high are costed at; 1.3: a bought candidate's servers (read from the Result);
# 1.4: a bought workstation's count in workstations (as the report's schema 1.8), no longer in servers; 1.5:
# candidates[].throughput.actual_range.band_basis (as the report's schema 1.10); 1.6: the actual_range's
# architecture, architecture_low, architecture_high and source architecture_runs (as the report's 1.11). Readers take
# any 1.x. 1.7: candidates[].throughput.published_runs (the published runs nearest the configuration, as the
# report's 1.13), and a verdict line saying them for the cheapest. 1.8: each published_runs level's other_precision
# (as the report's 1.16), which the "Nearest runs" cell says ('exact at bf16: 5').
SCHEMA_VERSION = "1.8"


class Candidate(Part):
    """One configuration under one offer, costed by the report's path at the replicas the peak needs."""

    rank: int  # 1 = cheapest that meets the SLO (among every candidate costed)
    name: str  # its option name in a --write-scenario file
    model: str
    gpu: str
    gpus_per_replica: int
    precision: str
    engine: str
    offer: str  # rental row or hardware row id; a custom GPU's: the name of the scenario option whose price it takes
    provider: str | None
    pricing_type: str  # on-demand, spot, reserved-1y, community, ..., purchase; scenario (a custom GPU's own price)
    acquisition: str  # rent | buy
    monthly_cost: float
    cost_per_million_tokens: float
    replicas: int
    gpus: int
    utilisation: float
    instances: int | None = None  # a rental billed by the whole instance: the Result's instances (None: by the GPU)
    servers: int | None = None  # bought by the whole server: the Result's servers (None: rented, or a card bought)
    workstations: int | None = None  # bought workstations (a Mac Studio, a DGX Spark): the Result's workstations
    breakdown: CostByName  # read-only, as the Result's
    throughput: ThroughputInfo
    # month-1 cost if the true capacity is anywhere in the estimate's actual range (throughput.actual_range: the band,
    # estimate / (1 + band) to estimate x (1 + band), widened to published runs where they measured less: bands.py)
    monthly_cost_low: float
    monthly_cost_high: float
    gap_to_cheapest_api: float | None  # monthly_cost minus the cheapest API option's; None without one
    gap_to_cheapest_seat: float | None  # likewise for subscriptions


class Exclusion(Part):
    """Candidates left out for one reason: how many, what the reason means, and one example."""

    reason: str
    count: int
    meaning: str
    example: str | None


class Search(Part):
    """How big the search was and how much of it ran through the serving simulation."""

    models: tuple[str, ...]
    gpus: int  # catalog GPUs with a price, after --gpu
    configurations: int  # model × GPU × GPUs per replica × precision × engine
    candidates: int  # configurations × the offers that carry them
    fitting_configurations: int
    simulated_configurations: int  # capacity under the SLO found (serving simulation, or its cache)
    exhaustive: bool
    constraints: dict[str, str]


class Tie(Part):
    """Leading candidates whose cost ranges within their estimate bands overlap: the data cannot order them."""

    candidates: tuple[str, ...]
    message: str
    measure: tuple[str, ...]  # `costcalc measure` command lines for the leading two


class Verdict(Part):
    """The cheapest self-hosted configuration against the cheapest API, with break-even volume."""

    cheapest_self_hosted: str | None
    self_hosted_monthly_cost: float | None
    cheapest_api: str | None
    api_monthly_cost: float | None
    break_even_tokens_per_month: float | None  # None: never (see break_even_reason) or nothing to compare
    break_even_reason: str | None
    lines: tuple[str, ...]
    tie: Tie | None = None


class Reference(Part):
    """One of the scenario's own API or seat options at today's volume, for the gaps."""

    name: str
    kind: str
    monthly_cost: float
    cost_per_million_tokens: float


class Recommendation(Part):
    """What `costcalc recommend` found for a scenario."""

    schema_version: str = SCHEMA_VERSION
    scenario: str
    currency: str
    workload: Workload
    slo: dict[str, float | None]
    search: Search
    candidates: tuple[Candidate, ...]
    pareto: tuple[Candidate, ...]
    pareto_note: str
    excluded: tuple[Exclusion, ...]
    references: tuple[Reference, ...]
    verdict: Verdict
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict, floats at 12 significant digits."""
        return rounded(self.model_dump(mode="json"))  # type: ignore[return-value]
