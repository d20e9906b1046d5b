"""The Result every renderer, diff and guardrail reads: typed (pydantic), versioned, and round-trips through JSON."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, SerializationInfo, SerializerFunctionWrapHandler, model_serializer

from costcalc.bands import ActualRange, widened_range
from costcalc.errors import InputError
from costcalc.report import ranking
from costcalc.report.nearest_runs import NearestRuns, PublishedRun, RunLevel
from costcalc.report.part import Part
from costcalc.report.read_only import CostByName, ReadOnlyDict, SeriesByName

if TYPE_CHECKING:
    import pandas as pd

# 1.1 added stale_after_days and missing_prices; 1.2 replaced throughput.tpot_ms (a median or a mean)
# with tpot_p95_ms (a 95th percentile, or null); 1.3 added headline, tie, takeover and monthly_cost_range;
# 1.4 the finance fields (capex, horizon totals, NPV, payback with its fraction, IRR, timeline cash/capex/opex,
# fiscal years); 1.5 a rental's instances; 1.6 throughput.actual_range (the range monthly_cost_range is costed
# at, widened to published runs the estimator does not model yet, and its source); 1.7 break_even[] carries
# full_use_cost_per_million_tokens and versus_cost_per_million_tokens where it is never (in the report's currency;
# its reason no longer says them in USD); 1.8 a bought workstation's count (workstations, purchase_unit
# workstation), no longer in servers; 1.9 `report -f json` carries `guardrails` (each outcome: expression, origin,
# metric, option, operator, limit, actual, actual_is, tripped, message; the file's, not to_dict's); 1.10
# throughput.actual_range.band_basis (which band and the held-out rows behind it: engine, scenario, applies,
# p90_error, held_out_rows, class_held_out_rows, as `estimate -f json`'s band object); 1.11
# throughput.actual_range.architecture, architecture_low and architecture_high (the GPU architecture whose held-out
# benchmarks lie mostly on one side of the estimate, and their 5th / 95th percentiles: throughput/architecture_bias.py)
# and its source architecture_runs where only they widened the range; 1.12 a subscription's
# cap_requests_per_seat_month (its numeric usage cap, null where none is known) and usage_cap (the plan's cap as
# published, in words; null where the price table records none); 1.13 throughput.published_runs (the published
# benchmark runs nearest an estimated option's configuration: exact, summary, levels[] each with match, words, runs,
# low, high and its closest run: analysis/published_runs.py); 1.14 each level's median and one_side (its runs on the
# median's side of 1): with them the verdict says where the runs of the option's own configuration disagree with its
# range; 1.15 monthly_cost_at_runs (the month-1 cost at those runs' range, where they disagree); 1.16 each level's
# other_precision (its runs' precisions where they are runs of the option's model and none ran its precision: 'bf16');
# 1.17 a self-hosted option's specs (the GPU and model catalog rows behind its power and throughput estimate, with
# source and as_of, as prices are). Readers take any 1.x.
SCHEMA_VERSION = "1.17"
SCHEMA_MAJOR = "1"
JSON_SIGNIFICANT_DIGITS = 12  # stable JSON: no float noise in the last digits

OptionKind = Literal["api", "self_hosted", "subscription"]
SELF_HOSTED_KEYS = (
    "replicas",
    "gpus",
    "utilisation",
    "gpu",
    "model",
    "acquisition",
    "throughput",
    "monthly_cost_range",
    "monthly_cost_at_runs",
    "servers",
    "workstations",
    "purchase_unit",
    "site",
    "useful_life_months",
    "at_end_of_life",
    "commitment_months",
    "instances",
    "specs",
)
SUBSCRIPTION_KEYS = ("seats", "cap_requests_per_seat_month", "usage_cap")


def rounded(value: object) -> object:
    """Round floats (recursively) to 12 significant digits so JSON output is stable across platforms."""
    if isinstance(value, float):
        return float(f"{value:.{JSON_SIGNIFICANT_DIGITS}g}") + 0.0
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [rounded(v) for v in value]
    return value


class PriceRef(Part):
    """A priced row a result used: its id, table, origin and provenance."""

    table: str
    id: str
    origin: str  # shipped, cache:<source>, override:<file>
    source: str
    as_of: dt.date
    stale: bool = False


class SpecRef(Part):
    """A catalog row a self-hosted option's figures rest on: the GPU (power, throughput estimate) or the model
    (throughput estimate), with its provenance; a spec has no age limit, so no staleness."""

    catalog: Literal["gpus", "models"]
    id: str
    source: str
    as_of: dt.date


class ThroughputInfo(Part):
    """How a self-hosted replica's capacity was obtained and what it is."""

    basis: str  # measured | given | estimated
    detail: str
    requests_per_s_per_replica: float
    output_tokens_per_s_per_replica: float
    concurrency: float | None
    ttft_p95_ms: float | None  # a 95th percentile or None: never another statistic relabelled
    tpot_p95_ms: float | None = None  # likewise (reports before 1.2 had a median tpot_ms: read as None)
    meets_slo: bool
    error_band: float | None
    # actual throughput as factors of the estimate, 9 in 10: the band's range, or wider where published runs of the
    # architecture measured less (source "published_runs") or the GPU architecture's held-out benchmarks did
    # ("architecture_runs"); None unless estimated, and in reports before 1.6
    actual_range: ActualRange | None = None
    # the published runs nearest the estimated configuration (analysis/published_runs.py); None unless estimated, and
    # in reports before 1.13
    published_runs: NearestRuns | None = None

    def allowed_range(self) -> ActualRange | None:
        """The actual range, or the band's own for a report written before 1.6."""
        return self.actual_range or widened_range(self.error_band, None)


class OptionResult(Part):
    """One option at the workload's current volume; sizing fields for self-hosted options, seats for subscriptions.

    Money is in the Result's `currency`: monthly_cost (and breakdown lines) per month of 730 hours,
    cost_per_million_tokens per 1M input + output tokens, per_user_monthly_cost per user a month; utilisation is a
    share (0..1) of the replicas' capacity.

    Money over the horizon: capex_upfront (hardware bought at the start), prepaid_upfront (other cash paid at
    the start: annual seats, a commitment's upfront share, one-off costs), opex_monthly (month 1's running cost,
    no depreciation or capital charge), horizon_cash_total and horizon_accrual_total (Σ over the horizon),
    terminal_value (what is left at the horizon's end: hardware at book value, unused prepayments) and npv
    (present value of the cash at the scenario's discount rate, less the terminal value; positive = cost).
    """

    name: str
    kind: OptionKind
    monthly_cost: float
    cost_per_million_tokens: float
    breakdown: CostByName  # read-only, as every mapping of a Result
    capex_upfront: float = 0.0
    prepaid_upfront: float = 0.0
    opex_monthly: float = 0.0
    horizon_cash_total: float = 0.0
    horizon_accrual_total: float = 0.0
    terminal_value: float = 0.0
    npv: float = 0.0
    per_user_monthly_cost: float | None = None
    replicas: int | None = None
    gpus: int | None = None
    utilisation: float | None = None
    gpu: str | None = None
    model: str | None = None
    acquisition: str | None = None
    throughput: ThroughputInfo | None = None
    # (low, high) monthly cost at either end of throughput.actual_range; None unless estimated
    monthly_cost_range: tuple[float, float] | None = None
    # (low, high) monthly cost with the capacity at the range the published runs of the option's own GPU, engine and
    # model measured (throughput.published_runs.levels[0] low to high), where they disagree with its actual range
    # (report/run_evidence.py); None elsewhere, and in reports before 1.15
    monthly_cost_at_runs: tuple[float, float] | None = None
    servers: int | None = None  # bought or leased by the server: servers in service in month 1
    workstations: int | None = None  # bought or leased workstations (a Mac Studio, a DGX Spark) in month 1
    purchase_unit: str | None = None  # server | workstation | gpu (bought or leased)
    site: str | None = None  # datacenter | colocation | office (bought or leased)
    useful_life_months: int | None = None  # bought or leased
    at_end_of_life: str | None = None  # replace | retire (bought or leased)
    commitment_months: int | None = None  # rented: 0 on demand, else the commitment's term
    # rented by the whole instance (an offer of more than one GPU): instances billed at month 1's busiest hour,
    # holding `replicas`; None when rented by the GPU
    instances: int | None = None
    seats: int | None = None
    cap_requests_per_seat_month: float | None = None  # a numeric usage cap: the seats carry at most seats x this
    usage_cap: str | None = None  # the plan's usage cap as published, in words (seats.csv usage_cap)
    prices: tuple[PriceRef, ...] = ()
    specs: tuple[SpecRef, ...] = ()  # self-hosted: the catalog rows behind its power and estimate (none: custom_gpu)

    @model_serializer(mode="wrap")
    def _by_kind(self, handler: SerializerFunctionWrapHandler, info: SerializationInfo) -> dict[str, Any]:
        """Only the keys that apply to the option's kind."""
        data: dict[str, Any] = handler(self)
        drop = (() if self.kind == "self_hosted" else SELF_HOSTED_KEYS) + (
            () if self.kind == "subscription" else SUBSCRIPTION_KEYS
        )
        return {k: v for k, v in data.items() if k not in drop}


class BreakEvenResult(Part):
    """Where `option` becomes and stays cheaper than `versus`, and when bought hardware pays back."""

    option: str
    versus: str
    tokens_per_month: float | None  # None: never
    requests_per_month: float | None
    payback_months: int | None  # the month cash pays back in; None: not within the horizon or the hardware's life
    reason: str
    # where it is never: a fully used replica's cost per 1M tokens and `versus`'s, in the report's currency
    full_use_cost_per_million_tokens: float | None = None
    versus_cost_per_million_tokens: float | None = None
    payback_months_exact: float | None = None  # months from now, with the fraction
    payback_reason: str | None = None  # why payback is None (or does not apply)
    discounted_payback_months: float | None = None  # months from now, on cash discounted at the scenario's rate
    irr_per_year: float | None = None  # return of the option's extra cash up front against `versus`


class Tie(Part):
    """Options too close to call against the cheapest: within 2% of it, or within an estimate's error band."""

    options: tuple[str, ...]  # the cheapest first, then the options tied with it, cheapest first
    spread: float  # (dearest - cheapest) / cheapest among them, a share
    reason: str  # why they are a tie, in words


class Takeover(Part):
    """Where another option becomes clearly cheaper than today's cheapest: a month on the growth path, or a volume."""

    option: str
    versus: str
    month: int | None  # on the growth path (month 1 = now); None when it happens only above a volume
    tokens_per_month: float  # the volume in that month, or the break-even volume
    bought: bool = False  # bought hardware: its monthly cost is accrual, so its cash payback is said beside it
    payback_months: int | None = None  # bought hardware against `versus`; None: not within the horizon


class Timeline(Part):
    """Month-by-month volume and cost of every option over the horizon (month 1 = now)."""

    months: tuple[int, ...]
    requests: tuple[float, ...]
    monthly_cost: SeriesByName  # accrual
    cumulative_cost: SeriesByName
    cumulative_cash: SeriesByName  # bought hardware paid up front; others as monthly
    monthly_cash: SeriesByName = Field(default_factory=ReadOnlyDict)
    # cash for hardware (purchases, replacements, buy-outs) less resale
    capex: SeriesByName = Field(default_factory=ReadOnlyDict)
    opex: SeriesByName = Field(default_factory=ReadOnlyDict)  # all other cash


class FiscalYear(Part):
    """One fiscal year (or the part of it inside the horizon): cash CapEx and OpEx, and accrual, per option."""

    label: str  # FY2027: the calendar year the fiscal year ends in
    first_month: int  # timeline month (1-based) the year's part of the horizon starts at
    months: int  # months of the year inside the horizon
    capex: CostByName
    opex: CostByName
    accrual: CostByName


class Workload(Part):
    """Monthly volume the options are priced at."""

    requests_per_month: float
    input_tokens_per_month: float
    output_tokens_per_month: float
    tokens_per_month: float
    users: int | None
    growth_per_month: float
    peak_to_average: float


class UnknownOptionError(InputError, KeyError):
    """No option of that name in a Result: the KeyError a lookup by name raises, and a costcalc InputError, so
    `except costcalc.CostcalcError` catches it and it prints as its one line (a bare KeyError prints in quotes)."""


class Result(Part):
    """Everything a report shows; computed once, rendered many ways, read back from its JSON."""

    schema_version: str = SCHEMA_VERSION
    scenario: str
    currency: str
    pricing_as_of: dt.date | None  # the oldest as-of date among the prices used
    horizon_months: int
    workload: Workload
    options: tuple[OptionResult, ...]
    cheapest: str
    break_even: tuple[BreakEvenResult, ...]
    headline: tuple[str, ...] = ()  # the answer in three sentences: cheapest now, by how much, what takes over when
    tie: Tie | None = None
    takeover: Takeover | None = None
    verdict: tuple[str, ...] = ()  # the details under the table
    warnings: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()
    stale_after_days: int = 120
    missing_prices: tuple[str, ...] = ()
    discount_rate_per_year: float = 0.0
    start_month: str | None = None  # calendar month (YYYY-MM) of timeline month 1: the report day's
    fiscal_year_start_month: int = 1
    fiscal_years: tuple[FiscalYear, ...] = ()
    timeline: Timeline | None = None  # absent from a JSON report written without it

    @property
    def stale_prices(self) -> tuple[PriceRef, ...]:
        """Priced rows older than the staleness limit."""
        return tuple(p for o in self.options for p in o.prices if p.stale)

    @property
    def cited_prices(self) -> tuple[PriceRef, ...]:
        """Each priced row once (table and id), in the order the options first use it."""
        unique: dict[tuple[str, str], PriceRef] = {}
        for o in self.options:
            for p in o.prices:
                unique.setdefault((p.table, p.id), p)
        return tuple(unique.values())

    def option(self, name: str) -> OptionResult:
        """An option by name; an UnknownOptionError (a KeyError and a costcalc InputError) naming the options (and
        the nearest) when there is none (or `name` is no string, such as an index)."""
        for o in self.options:
            if o.name == name:
                return o
        from costcalc.errors import did_you_mean

        names = [o.name for o in self.options]
        raise UnknownOptionError(f"no option {name!r}{did_you_mean(str(name), names)}; options: {', '.join(names)}")

    @property
    def ranked(self) -> tuple[OptionResult, ...]:
        """The options cheapest first: `cheapest`, then the others by monthly cost, those that may serve today's
        volume before seats over their numeric usage cap (report/ranking.py); the order of every table."""
        order = ranking.ranked(self.options, self.workload.requests_per_month)
        first = [o for o in order if o.name == self.cheapest]
        return (*first, *(o for o in order if o.name != self.cheapest))

    def carries(self, option: OptionResult) -> bool:
        """Whether the option may serve today's volume (False only for seats over their numeric usage cap)."""
        return ranking.carries(option, self.workload.requests_per_month)

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

    @property
    def full_timeline(self) -> Timeline:
        """The month-by-month timeline; a ValueError for a Result read from a JSON report written without it."""
        if self.timeline is None:
            raise ValueError("this Result has no timeline (read from a JSON report written without one)")
        return self.timeline

    def winning_now(self, be: BreakEvenResult) -> bool:
        """True when today's volume is at or above the break-even volume."""
        return be.tokens_per_month is not None and self.workload.tokens_per_month >= be.tokens_per_month

    def to_dict(self, *, include_timeline: bool = True) -> dict[str, Any]:
        """JSON-ready dict in a stable key order (schema_version first); floats at full precision."""
        data: dict[str, Any] = self.model_dump(mode="json", exclude=None if include_timeline else {"timeline"})
        if data.get("timeline", 0) is None:
            del data["timeline"]
        return data

    @classmethod
    def from_dict(cls, data: Any) -> Result:
        """A Result from its to_dict() (or a saved JSON report); data it cannot read is an InputError naming the
        field (`costcalc diff` says the file's name instead of 'Result.from_dict(...)')."""
        from pydantic import ValidationError

        version = data.get("schema_version") if isinstance(data, dict) else None
        if version is not None and str(version).split(".")[0] != SCHEMA_MAJOR:  # before its fields: they may differ
            raise InputError(
                f"report schema_version {version} is not readable by this costcalc (reads {SCHEMA_MAJOR}.x);"
                " re-run `costcalc report -f json`",
                file="Result.from_dict(...)",
                field="schema_version",
            )
        try:
            result = cls.model_validate(data)
        except ValidationError as exc:
            err = exc.errors(include_url=False)[0]
            where = ".".join(str(x) for x in err["loc"])
            raise InputError(
                f"not a readable costcalc report: {err['msg']}; re-run `costcalc report -f json`",
                file="Result.from_dict(...)",
                field=where or None,
            ) from None
        from costcalc.report.unwritten import unwritten

        if (refusal := unwritten(result)) is not None:
            field, why = refusal
            raise InputError(
                f"not a costcalc report as written: {why}; re-run `costcalc report -f json`",
                file="Result.from_dict(...)",
                field=field,
            )
        return result

    def options_frame(self) -> pd.DataFrame:
        """pandas DataFrame indexed by option: the columns and figures of `costcalc report -f csv` (cost and its
        lines, totals, sizing, throughput and its range, break-even and payback against the cheapest API, cheapest
        as a bool), money named in the report's currency (monthly_cost_usd, or monthly_cost_eur for a scenario in
        EUR); `utilisation` repeats utilisation_share under its earlier name."""
        import pandas as pd

        from costcalc.report.option_table import option_rows

        frame = pd.DataFrame(option_rows(self)).set_index("option")
        frame.insert(list(frame.columns).index("utilisation_share") + 1, "utilisation", frame["utilisation_share"])
        return frame

    def breakdown_frame(self) -> pd.DataFrame:
        """pandas DataFrame: long format, one row per option and cost line, in the report's currency per month
        (usd_per_month, or eur_per_month)."""
        import pandas as pd

        cur = self.currency.lower()

        rows = [
            {"option": o.name, "line": line, f"{cur}_per_month": usd}
            for o in self.options
            for line, usd in o.breakdown.items()
        ]
        return pd.DataFrame(rows)

    def timeline_frame(self) -> pd.DataFrame:
        """pandas DataFrame: month × option monthly and cumulative cost, in the report's currency (monthly_cost_usd,
        or monthly_cost_eur for a scenario in EUR)."""
        import pandas as pd

        cur = self.currency.lower()

        t = self.full_timeline
        frames = [
            pd.DataFrame(
                {
                    "month": t.months,
                    "option": name,
                    "requests": t.requests,
                    f"monthly_cost_{cur}": monthly,
                    f"cumulative_cost_{cur}": t.cumulative_cost[name],
                    f"cumulative_cash_{cur}": t.cumulative_cash[name],
                    f"monthly_cash_{cur}": t.monthly_cash.get(name),
                    f"capex_{cur}": t.capex.get(name),
                    f"opex_{cur}": t.opex.get(name),
                }
            )
            for name, monthly in t.monthly_cost.items()
        ]
        return pd.concat(frames, ignore_index=True)


__all__ = [  # with the parts of nearest_runs.py and part.py, which code written against 1.14 imports from here
    "SCHEMA_MAJOR",
    "SCHEMA_VERSION",
    "BreakEvenResult",
    "FiscalYear",
    "NearestRuns",
    "OptionResult",
    "Part",
    "PriceRef",
    "PublishedRun",
    "Result",
    "RunLevel",
    "ThroughputInfo",
    "Timeline",
    "Workload",
    "rounded",
]
