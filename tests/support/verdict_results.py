"""Small Results for the verdict's tests: options at given monthly costs, a flat or given cost path over six months."""

from __future__ import annotations

from costcalc.report.result import BreakEvenResult, OptionResult, Result, ThroughputInfo, Timeline, Workload

MONTHS = 6


def make_option(
    name: str, cost: float, *, kind: str = "api", band: float | None = None, **extra: object
) -> OptionResult:
    """An option at `cost` a month; self-hosted ones get one replica and, with `band`, an estimated throughput."""
    throughput = None
    if kind == "self_hosted":
        throughput = ThroughputInfo(
            basis="estimated" if band else "given",
            detail="",
            requests_per_s_per_replica=1.0,
            output_tokens_per_s_per_replica=100.0,
            concurrency=None,
            ttft_p95_ms=None,
            tpot_p95_ms=None,
            meets_slo=True,
            error_band=band,
        )
        extra = {"replicas": 1, "gpus": 1, "utilisation": 0.5, "acquisition": "rent", **extra}
    return OptionResult(
        name=name,
        kind=kind,  # type: ignore[arg-type]
        monthly_cost=cost,
        cost_per_million_tokens=cost / 1000,
        breakdown={"output": cost},
        throughput=throughput,
        **extra,  # type: ignore[arg-type]
    )


def make_result(
    options: list[OptionResult],
    *,
    growth: float = 0.0,
    path: dict[str, list[float]] | None = None,
    break_even: tuple[BreakEvenResult, ...] = (),
) -> Result:
    """A Result of `options` over MONTHS months at 1,000 tokens a request, each cost flat unless `path` gives it."""
    path = path or {o.name: [o.monthly_cost] * MONTHS for o in options}
    return Result(
        scenario="s",
        currency="USD",
        pricing_as_of=None,
        horizon_months=MONTHS,
        workload=Workload(
            requests_per_month=1e6,
            input_tokens_per_month=8e8,
            output_tokens_per_month=2e8,
            tokens_per_month=1e9,  # 1,000 tokens a request
            users=None,
            growth_per_month=growth,
            peak_to_average=2.0,
        ),
        options=tuple(options),
        cheapest=min(options, key=lambda o: o.monthly_cost).name,
        break_even=break_even,
        timeline=Timeline(
            months=tuple(range(1, MONTHS + 1)),
            requests=tuple(1e6 * (1 + growth) ** m for m in range(MONTHS)),
            monthly_cost={k: tuple(v) for k, v in path.items()},
            cumulative_cost={k: tuple(v) for k, v in path.items()},
            cumulative_cash={k: tuple(v) for k, v in path.items()},
        ),
    )
