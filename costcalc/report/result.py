"""The Result every renderer takes: options, break-even, timeline, assumptions; versioned to_dict()."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

SCHEMA_VERSION = "1.0"

JSON_SIGNIFICANT_DIGITS = 12  # stable JSON: no float noise in the last digits


def rounded(value: object) -> object:
    """Round floats (recursively) to 12 significant digits so JSON output is stable across platforms."""
    if isinstance(value, float):
        return float(f"{value:.{JSON_SIGNIFICANT_DIGITS}g}") + 0.0
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [rounded(v) for v in value]
    return value


@dataclass(frozen=True)
class PriceRef:
    """A priced row a result used: its id, table, origin and provenance."""

    table: str
    id: str
    origin: str  # shipped, cache:<source>, override:<file>
    source: str
    as_of: dt.date
    stale: bool = False


@dataclass(frozen=True)
class ThroughputInfo:
    """How a self-hosted replica's capacity was obtained and what it is."""

    basis: str  # measured | given | estimated
    detail: str
    requests_per_s_per_replica: float
    output_tokens_per_s_per_replica: float
    concurrency: float | None
    ttft_p95_ms: float | None
    tpot_ms: float | None
    meets_slo: bool
    error_band: float | None


@dataclass(frozen=True)
class OptionResult:
    """One option at the workload's current volume."""

    name: str
    kind: str  # api | self_hosted | subscription
    monthly_cost: float
    cost_per_million_tokens: float
    breakdown: dict[str, float]
    per_user_monthly_cost: float | None = None
    replicas: int | None = None
    gpus: int | None = None
    utilisation: float | None = None
    gpu: str | None = None
    model: str | None = None
    acquisition: str | None = None
    seats: int | None = None
    throughput: ThroughputInfo | None = None
    prices: tuple[PriceRef, ...] = ()


@dataclass(frozen=True)
class BreakEvenResult:
    """Where `option` becomes and stays cheaper than `versus`, and when bought hardware pays back."""

    option: str
    versus: str
    tokens_per_month: float | None
    requests_per_month: float | None
    payback_months: int | None
    reason: str
    current_tokens_per_month: float

    @property
    def winning_now(self) -> bool:
        """True when the current volume is at or above the break-even volume."""
        return self.tokens_per_month is not None and self.current_tokens_per_month >= self.tokens_per_month


@dataclass(frozen=True)
class Timeline:
    """Month-by-month volume and cost of every option over the horizon (month 1 = now)."""

    months: tuple[int, ...]
    requests: tuple[float, ...]
    monthly_cost: dict[str, tuple[float, ...]]
    cumulative_cost: dict[str, tuple[float, ...]]
    cumulative_cash: dict[str, tuple[float, ...]]  # bought hardware paid up front; others as monthly


@dataclass(frozen=True)
class Workload:
    """Monthly volume the options are priced at."""

    requests_per_month: float
    input_tokens_per_month: float
    output_tokens_per_month: float
    tokens_per_month: float
    users: int | None
    growth_per_month: float
    peak_to_average: float


@dataclass(frozen=True)
class Result:
    """Everything a report shows; computed once, rendered many ways."""

    scenario: str
    currency: str
    horizon_months: int
    workload: Workload
    options: tuple[OptionResult, ...]
    cheapest: str
    break_even: tuple[BreakEvenResult, ...]
    timeline: Timeline
    verdict: tuple[str, ...]
    warnings: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()
    stale_after_days: int = 120
    missing_prices: tuple[str, ...] = ()
    schema_version: str = field(default=SCHEMA_VERSION)

    @property
    def stale_prices(self) -> tuple[PriceRef, ...]:
        """Priced rows older than the staleness limit."""
        return tuple(p for o in self.options for p in o.prices if p.stale)

    @property
    def pricing_as_of(self) -> dt.date | None:
        """The oldest as-of date among the prices used (a report is as fresh as its stalest price)."""
        dates = [p.as_of for o in self.options for p in o.prices if p.origin != "scenario"]
        return min(dates) if dates else None

    def option(self, name: str) -> OptionResult:
        """An option by name."""
        for o in self.options:
            if o.name == name:
                return o
        raise KeyError(name)

    @property
    def best_api(self) -> OptionResult | None:
        """The cheapest API option now, the yardstick of break-even lines."""
        apis = [o for o in self.options if o.kind == "api"]
        return min(apis, key=lambda o: o.monthly_cost) if apis else None

    def headline_break_even(self, option: str) -> BreakEvenResult | None:
        """The break-even of `option` against the cheapest API option."""
        best = self.best_api
        for b in self.break_even:
            if b.option == option and best is not None and b.versus == best.name:
                return b
        return None

    def to_dict(self, *, include_timeline: bool = True) -> dict[str, Any]:
        """JSON-ready dict in a stable key order (schema_version first); floats at full precision."""
        asof = self.pricing_as_of
        out: dict[str, Any] = {
            "schema_version": self.schema_version,
            "scenario": self.scenario,
            "currency": self.currency,
            "pricing_as_of": asof.isoformat() if asof else None,
            "horizon_months": self.horizon_months,
            "workload": asdict(self.workload),
            "options": [_option_dict(o) for o in self.options],
            "cheapest": self.cheapest,
            "break_even": [
                {
                    "option": b.option,
                    "versus": b.versus,
                    "tokens_per_month": b.tokens_per_month,
                    "requests_per_month": b.requests_per_month,
                    "payback_months": b.payback_months,
                    "reason": b.reason,
                }
                for b in self.break_even
            ],
            "verdict": list(self.verdict),
            "warnings": list(self.warnings),
            "assumptions": list(self.assumptions),
        }
        if include_timeline:
            out["timeline"] = {
                "months": list(self.timeline.months),
                "requests": list(self.timeline.requests),
                "monthly_cost": {k: list(v) for k, v in self.timeline.monthly_cost.items()},
                "cumulative_cost": {k: list(v) for k, v in self.timeline.cumulative_cost.items()},
                "cumulative_cash": {k: list(v) for k, v in self.timeline.cumulative_cash.items()},
            }
        return out

    def options_frame(self):  # type: ignore[no-untyped-def]
        """pandas DataFrame: one row per option (monthly cost, $/1M tokens, sizing)."""
        import pandas as pd

        rows = [
            {
                "option": o.name,
                "kind": o.kind,
                "monthly_cost_usd": o.monthly_cost,
                "cost_per_million_tokens_usd": o.cost_per_million_tokens,
                "per_user_monthly_cost_usd": o.per_user_monthly_cost,
                "replicas": o.replicas,
                "gpus": o.gpus,
                "utilisation": o.utilisation,
            }
            for o in self.options
        ]
        return pd.DataFrame(rows).set_index("option")

    def breakdown_frame(self):  # type: ignore[no-untyped-def]
        """pandas DataFrame: long format, one row per option and cost line (USD per month)."""
        import pandas as pd

        rows = [
            {"option": o.name, "line": line, "usd_per_month": usd}
            for o in self.options
            for line, usd in o.breakdown.items()
        ]
        return pd.DataFrame(rows)

    def timeline_frame(self):  # type: ignore[no-untyped-def]
        """pandas DataFrame: month × option monthly and cumulative cost."""
        import pandas as pd

        frames = []
        for name, monthly in self.timeline.monthly_cost.items():
            frames.append(
                pd.DataFrame(
                    {
                        "month": self.timeline.months,
                        "option": name,
                        "requests": self.timeline.requests,
                        "monthly_cost_usd": monthly,
                        "cumulative_cost_usd": self.timeline.cumulative_cost[name],
                        "cumulative_cash_usd": self.timeline.cumulative_cash[name],
                    }
                )
            )
        return pd.concat(frames, ignore_index=True)


def _option_dict(o: OptionResult) -> dict[str, Any]:
    d: dict[str, Any] = {
        "name": o.name,
        "kind": o.kind,
        "monthly_cost": o.monthly_cost,
        "cost_per_million_tokens": o.cost_per_million_tokens,
        "breakdown": dict(o.breakdown),
        "per_user_monthly_cost": o.per_user_monthly_cost,
    }
    if o.kind == "self_hosted":
        d.update(
            replicas=o.replicas,
            gpus=o.gpus,
            utilisation=o.utilisation,
            gpu=o.gpu,
            model=o.model,
            acquisition=o.acquisition,
            throughput=asdict(o.throughput) if o.throughput else None,
        )
    if o.kind == "subscription":
        d["seats"] = o.seats
    d["prices"] = [
        {
            "table": p.table,
            "id": p.id,
            "origin": p.origin,
            "source": p.source,
            "as_of": p.as_of.isoformat(),
            "stale": p.stale,
        }
        for p in o.prices
    ]
    return d
