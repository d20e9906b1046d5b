"""The options a scenario compares: a per-token API, a per-seat subscription, or self-hosting."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from costcalc.models.base import Input
from costcalc.models.gpu_memory import MemoryType, memory_type_key
from costcalc.textsafe import MAX_NAME_CHARS

Name = Field(min_length=1, max_length=MAX_NAME_CHARS, description="unique name shown in reports")
MAX_PRICE_CHANGE_PER_YEAR = 10.0
# engine_version as the estimator reads it (throughput/serving: llamacpp_slots' build tags, scheduler.parse_version's
# releases): the pattern and the example its error gives. A release is a version as Python packages number them (PEP
# 440: 0.6.3, 0.20, 0.19.1rc1.dev339, 0.4.2.post4, 0.20.1+transformers-5.8.1), so a typo ('0.2O.0', read as 0.2 with
# the V0 engine's defaults) is refused rather than read by its leading digits.
_RELEASE = (
    r"v?\d+(\.\d+)+((a|b|rc)\d+)?(\.?post\d+)?(\.?dev\d+)?(\+[0-9A-Za-z]+([.\-_][0-9A-Za-z]+)*)?",
    "a release number such as 0.6.3",
)
ENGINE_RELEASES: dict[str, tuple[str, str]] = {
    "llamacpp": (r"b\d+", "a build tag such as b7079 (the tag of the release it was built from)"),
    "vllm": _RELEASE,
    "sglang": _RELEASE,
}  # +1000% a year: beyond it, a typo rather than a forecast


def price_change_field(what: str) -> Any:
    """`price_change_per_year` of an option: above -1 (a price cannot fall by 100% or more)."""
    return Field(
        default=0.0,
        gt=-1,
        le=MAX_PRICE_CHANGE_PER_YEAR,
        description=f"yearly change of {what}, applied month by month over the horizon: -0.3 = 30% cheaper a year on",
    )


class OneOffCost(Input):
    """A one-off cost of an option (setup, migration engineering): cash in its month, amortised in accrual."""

    name: str = Field(min_length=1, max_length=120, description="what it pays for, shown in the assumptions")
    usd: float = Field(gt=0, description="amount, USD")
    month: int = Field(default=1, ge=1, description="month of the horizon it is paid in (1 = now)")
    amortise_months: int | None = Field(
        default=None, ge=1, description="months it is spread over in the accrual view; default: the rest of the horizon"
    )


OneOffs = Field(default=(), description="one-off costs (setup, migration): cash when paid, amortised in accrual")


class ApiPrices(Input):
    """Explicit per-token prices (USD per 1M tokens) instead of, or on top of, a catalog model."""

    input_usd_per_mtok: float | None = Field(default=None, ge=0, description="uncached input, USD per 1M tokens")
    output_usd_per_mtok: float | None = Field(
        default=None, ge=0, description="output (and reasoning), USD per 1M tokens"
    )
    cached_input_usd_per_mtok: float | None = Field(default=None, ge=0, description="cache reads; default: input price")
    cache_write_usd_per_mtok: float | None = Field(default=None, ge=0, description="cache writes; default: input price")
    batch_input_usd_per_mtok: float | None = Field(default=None, ge=0, description="input through the batch API")
    batch_output_usd_per_mtok: float | None = Field(default=None, ge=0, description="output through the batch API")
    long_context_threshold_tokens: int | None = Field(
        default=None, gt=0, description="a request with more input tokens is billed wholly at the long-context rates"
    )
    long_context_input_usd_per_mtok: float | None = Field(default=None, ge=0, description="long-context input rate")
    long_context_cached_input_usd_per_mtok: float | None = Field(
        default=None, ge=0, description="long-context cache-read rate; default: cached price × input tier ratio"
    )
    long_context_output_usd_per_mtok: float | None = Field(default=None, ge=0, description="long-context output rate")
    off_peak_input_usd_per_mtok: float | None = Field(default=None, ge=0, description="off-peak input rate (DeepSeek)")
    off_peak_cached_input_usd_per_mtok: float | None = Field(default=None, ge=0, description="off-peak cache-read rate")
    off_peak_output_usd_per_mtok: float | None = Field(default=None, ge=0, description="off-peak output rate")


class ApiOption(Input):
    """Pay a provider per token."""

    name: str = Name
    kind: Literal["api"] = Field(description="api: pay per token")
    model: str | None = Field(default=None, description="pricing id '<provider>/<model>', e.g. openai/gpt-6-luna")
    prices: ApiPrices | None = Field(default=None, description="explicit prices; override the catalog's")
    batch_share: float = Field(default=0.0, ge=0, le=1, description="share of requests sent through the batch API")
    off_peak_share: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="share of requests in off-peak hours (DeepSeek); default: derived from workload.hourly_profile,"
        " workload.timezone and the provider's peak hours",
    )
    discount: float = Field(default=0.0, ge=0, lt=1, description="negotiated discount on the whole bill, 0.1 = 10%")
    price_change_per_year: float = price_change_field("the per-token prices")
    one_off_costs: tuple[OneOffCost, ...] = OneOffs
    service_tier: Literal["standard", "flex", "priority"] = Field(
        default="standard",
        description="the provider's processing tier: flex (cheaper, slower) or priority (dearer, faster) bill at"
        " the model's tier prices where the price table has them",
    )

    @model_validator(mode="after")
    def _priced(self) -> ApiOption:
        if self.model is None and (
            self.prices is None or self.prices.input_usd_per_mtok is None or self.prices.output_usd_per_mtok is None
        ):
            raise ValueError("give model (a pricing id) or prices with input_usd_per_mtok and output_usd_per_mtok")
        if self.batch_share + (self.off_peak_share or 0.0) > 1 + 1e-9:
            raise ValueError("batch_share + off_peak_share must not exceed 1")
        return self


class SubscriptionOption(Input):
    """Pay per seat per month (ChatGPT Business, Claude Team, Copilot, ...)."""

    name: str = Name
    kind: Literal["subscription"] = Field(description="subscription: pay per seat")
    plan: str | None = Field(default=None, description="seat plan id '<provider>/<plan>', e.g. openai/chatgpt-business")
    usd_per_seat_month: float | None = Field(default=None, ge=0, description="explicit seat price per month")
    seats: int | None = Field(default=None, gt=0, description="seats bought; default workload.users")
    billing: Literal["monthly", "annual"] | None = Field(
        default=None, description="monthly or annual; default the plan's annual price when published, else monthly"
    )
    cap_requests_per_user_per_month: float | None = Field(
        default=None,
        gt=0,
        description="requests a seat may send a month; default the plan's published numeric cap. Seats stay as"
        " bought while usage grows: above seats x cap they carry no more, so a break-even beyond that is never, and"
        " seats held below today's volume are not the cheapest while another option may carry it",
    )
    price_change_per_year: float = price_change_field("the seat price (annual billing: from each renewal)")
    one_off_costs: tuple[OneOffCost, ...] = OneOffs

    @model_validator(mode="after")
    def _priced(self) -> SubscriptionOption:
        if self.plan is None and self.usd_per_seat_month is None:
            raise ValueError("give plan (a seat plan id) or usd_per_seat_month")
        return self


class CustomGpu(Input):
    """A GPU that is not in the catalog: its own figures, and what it is like (a catalog GPU, or its vendor), which the
    estimator needs; without either its throughput is given (points or measured), not estimated."""

    name: str = Field(min_length=1, description="shown in reports")
    like: str | None = Field(
        default=None,
        description="a catalog GPU it is like, e.g. h100-sxm-80gb: the estimate takes that GPU's vendor, kernel"
        " architecture, interconnect, form factor, memory type, tensor formats and measured kernel shares of its"
        " peak; every figure below stays this GPU's own",
    )
    vendor: Literal["nvidia", "amd", "apple"] | None = Field(
        default=None, description="without like: whose kernels it runs (the engines that run on it)"
    )
    architecture: str | None = Field(
        default=None,
        description="without like: its kernel architecture, e.g. sm90, gfx942 (its fitted factors; default none)",
    )
    memory_gb: float = Field(gt=0, description="GPU memory as its vendor states it, which is GiB (80 for an H100 80GB)")
    memory_bandwidth_gb_s: float = Field(gt=0, description="memory bandwidth, GB/s")
    memory_type: MemoryType | None = Field(
        default=None,
        description="what its memory is: the estimator's fitted factors differ between HBM parts and GDDR or LPDDR"
        " ones; default like's, else HBM where its link is 200 GB/s or more",
    )
    bf16_tflops: float | None = Field(default=None, gt=0, description="dense BF16 tensor TFLOPS")
    fp8_tflops: float | None = Field(default=None, gt=0, description="dense FP8 tensor TFLOPS")
    fp4_tflops: float | None = Field(default=None, gt=0, description="dense FP4 tensor TFLOPS")
    int8_tops: float | None = Field(default=None, gt=0, description="dense INT8 tensor TOPS")
    interconnect_gb_s: float | None = Field(
        default=None,
        gt=0,
        description="GPU-to-GPU link per GPU, one direction, GB/s (NVLink, Infinity Fabric or PCIe); 200 and above"
        " is a scale-up link (tensor parallel), below it PCIe; default like's, else PCIe",
    )
    sm_count: int | None = Field(
        default=None, gt=0, description="NVIDIA: streaming multiprocessors (llama.cpp's limits)"
    )
    boost_clock_mhz: float | None = Field(
        default=None, gt=0, description="NVIDIA: boost clock, MHz (llama.cpp's limits)"
    )
    tdp_w: float | None = Field(default=None, gt=0, description="board power at full load, W")
    idle_w: float | None = Field(default=None, ge=0, description="power when idle with a model loaded, W")

    @field_validator("vendor", "architecture", mode="before")
    @classmethod
    def _kind_key(cls, value: Any) -> Any:
        return engine_key(value) if isinstance(value, str) else value  # 'NVIDIA', 'SM90': as engine is read

    @field_validator("memory_type", mode="before")
    @classmethod
    def _memory_key(cls, value: Any) -> Any:
        return memory_type_key(value)  # 'hbm3e' is HBM3e


OWNED_ONLY = (  # keys of bought or leased hardware, refused on a rental
    "price_usd",
    "gpus_per_server",
    "purchase_unit",
    "lease",
    "useful_life_months",
    "at_end_of_life",
    "residual_value_share",
    "cost_of_capital_per_year",
    "site",
)
BUY_ONLY = ("price_usd", "cost_of_capital_per_year")
RENT_ONLY = (
    "hourly_usd",
    "gpus_per_instance",
    "scaling",
    "commitment_months",
    "upfront_share",
    "price_change_per_year",
)


class Lease(Input):
    """Leased hardware: a monthly payment per purchase unit (server, or GPU), a term, and an optional buy-out."""

    usd_per_month: float = Field(gt=0, description="payment per server a month (purchase_unit: gpu, per GPU)")
    term_months: int = Field(gt=0, description="lease term; at its end the lease is renewed, ended or bought out")
    buyout_usd: float | None = Field(
        default=None,
        ge=0,
        description="buy-out per server (or GPU) at the term's end; the hardware is then owned to the end of its"
        " useful life. Default: no buy-out, the lease is renewed (at_end_of_life: replace) or ended (retire)",
    )


class Hardware(Input):
    """What one replica runs on, and whether it is rented by the hour, bought, or leased."""

    gpu: str | None = Field(default=None, description="catalog GPU id, e.g. h100-sxm-80gb")
    custom_gpu: CustomGpu | None = Field(
        default=None,
        description="a GPU spec not in the catalog; estimated where it says what it is like (like or vendor), else give"
        " throughput points or measured",
    )
    gpus_per_replica: int = Field(default=1, ge=1, le=64, description="GPUs serving one model copy (tensor parallel)")
    min_replicas: int = Field(default=1, ge=0, description="replicas kept even when idle")
    acquisition: Literal["rent", "buy", "lease"] = Field(
        description="rent by the hour, buy and depreciate, or lease for a monthly payment"
    )
    offer: str | None = Field(default=None, description="catalog rental offer (rent) or purchase price id (buy, lease)")
    hourly_usd: float | None = Field(default=None, gt=0, description="rent: USD per GPU-hour")
    gpus_per_instance: int | None = Field(
        default=None,
        ge=1,
        description="rent: GPUs one rented instance holds, billed whole every hour (replicas are packed into"
        " instances); default: the offer's (8 for an 8-GPU instance, 1 where single GPUs are rented), else 1",
    )
    scaling: Literal["always_on", "follow_profile"] = Field(
        default="always_on", description="rent: keep peak replicas 730 h a month, or follow workload.hourly_profile"
    )
    commitment_months: int | None = Field(
        default=None,
        ge=0,
        description="rent: 0 = on demand; 12 or 36 = a committed term, its replicas paid every hour of it, used or"
        " not; default: the offer's (reserved-1y: 12, reserved-3y: 36), else 0",
    )
    upfront_share: float = Field(
        default=0.0, ge=0, le=1, description="rent with a commitment: share of the term's cost paid at its start"
    )
    price_change_per_year: float = price_change_field("the hourly rental rate (committed: from each new term)")
    price_usd: float | None = Field(
        default=None,
        gt=0,
        description="buy: price of one server of gpus_per_server GPUs (default: one replica's GPUs); with"
        " purchase_unit: gpu each GPU costs its share",
    )
    gpus_per_server: int | None = Field(
        default=None,
        ge=1,
        description="buy, lease: GPUs one server holds; default: the offer's (8 for an HGX server, 1 for a card),"
        " else gpus_per_replica",
    )
    purchase_unit: Literal["server", "gpu"] | None = Field(
        default=None,
        description="buy, lease: whole servers (3 GPUs of an 8-GPU server buy one server), or single GPUs;"
        " default server (gpu for an offer of one card; an offer of a workstation is bought whole, as a server is)",
    )
    lease: Lease | None = Field(default=None, description="lease: payment, term and buy-out")
    useful_life_months: int | None = Field(
        default=None, gt=0, description="buy (and a lease's buy-out): straight-line depreciation period"
    )
    at_end_of_life: Literal["replace", "retire"] | None = Field(
        default=None,
        description="buy, lease: at the end of its life (a lease: its term) the hardware is replaced (bought or"
        " leased again; default) or retired (the option stops serving)",
    )
    residual_value_share: float = Field(
        default=0.0,
        ge=0,
        lt=1,
        description="buy: resale value at end of life, share of price (a lease: of the buy-out)",
    )
    cost_of_capital_per_year: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="buy: annual interest rate, 0.08 = 8%; default the scenario's discount rate",
    )
    site: Literal["datacenter", "colocation", "office"] | None = Field(
        default=None,
        description="buy, lease: where it runs; datacenter and colocation take the data-centre table's PUE and"
        " colocation fee, an office PUE 1 and no fee; default datacenter for server GPUs, office for"
        " workstation cards and Apple machines",
    )

    @field_validator(*OWNED_ONLY)
    @classmethod
    def _owned_only(cls, value: Any, info: ValidationInfo) -> Any:
        acquisition = info.data.get("acquisition")
        if value is None or value == 0 or acquisition is None:
            return value
        if acquisition == "rent":
            raise ValueError(f"{info.field_name} is for bought or leased hardware (acquisition: buy or lease)")
        if info.field_name == "lease" and acquisition != "lease":
            raise ValueError("lease is for acquisition: lease")
        if info.field_name in BUY_ONLY and acquisition != "buy":
            raise ValueError(f"{info.field_name} is for acquisition: buy; a lease is priced by lease.usd_per_month")
        return value

    @field_validator(*RENT_ONLY)
    @classmethod
    def _rent_only(cls, value: Any, info: ValidationInfo) -> Any:
        acquisition = info.data.get("acquisition")
        if acquisition in (None, "rent") or value in (None, 0, "always_on"):
            return value
        if info.field_name == "scaling":
            raise ValueError("scaling: follow_profile is for rented GPUs; owned hardware is always there")
        if info.field_name == "price_change_per_year":
            raise ValueError("price_change_per_year is for rented GPUs; bought or leased hardware is priced once")
        raise ValueError(f"{info.field_name} is for acquisition: rent")

    @model_validator(mode="after")
    def _consistent(self) -> Hardware:
        if (self.gpu is None) == (self.custom_gpu is None) and self.offer is None:
            raise ValueError("give gpu (a catalog id) or custom_gpu (a spec), or an offer")
        if self.gpu is not None and self.custom_gpu is not None:
            raise ValueError("give gpu or custom_gpu, not both")
        if self.acquisition == "rent":
            if self.hourly_usd is None and self.offer is None:
                raise ValueError("rent needs hourly_usd (per GPU-hour) or an offer id from the rental table")
            if self.upfront_share and not self.commitment_months:
                raise ValueError("upfront_share is for a committed rental; set commitment_months (12 or 36)")
            if self.commitment_months and self.scaling != "always_on":
                raise ValueError("a commitment pays for its replicas every hour; use scaling: always_on")
        elif self.acquisition == "buy":
            if self.price_usd is None and self.offer is None:
                raise ValueError("buy needs price_usd (per server) or an offer id from the hardware table")
        elif self.lease is None:
            raise ValueError("acquisition: lease needs lease: {usd_per_month, term_months}")
        return self


class Power(Input):
    """Electricity of owned hardware: watts between idle and full load, facility overhead, price."""

    idle_w_per_gpu: float | None = Field(default=None, ge=0, description="default: catalog idle watts")
    max_w_per_gpu: float | None = Field(default=None, gt=0, description="default: catalog TDP")
    server_overhead_w: float = Field(default=0.0, ge=0, description="CPU, fans, NICs per replica, watts")
    pue: float | None = Field(
        default=None, ge=1, le=3, description="power usage effectiveness; default from table (an office: 1)"
    )
    electricity_usd_per_kwh: float | None = Field(default=None, ge=0, description="default from table")


class Hosting(Input):
    """Where owned hardware lives: colocation per kW of provisioned power, or a flat monthly fee."""

    usd_per_kw_month: float | None = Field(
        default=None, ge=0, description="colocation per kW of provisioned power; default from table (an office: 0)"
    )
    flat_usd_per_month: float | None = Field(default=None, ge=0, description="a flat hosting fee per month")


class Operations(Input):
    """People running the service."""

    engineer_hours_per_month: float = Field(default=0.0, ge=0, description="people-hours running the service")
    hourly_rate_usd: float = Field(default=0.0, ge=0, description="loaded cost of one engineer-hour, USD")


class ThroughputPoint(Input):
    """One measured load level of a replica at stated request lengths."""

    input_tokens: float = Field(gt=0, description="mean input tokens per request of the measurement")
    output_tokens: float = Field(gt=0, description="mean output tokens per request of the measurement")
    concurrency: float | None = Field(default=None, gt=0, description="requests in flight")
    requests_per_s: float | None = Field(default=None, gt=0, description="completed requests per second, whole replica")
    output_tokens_per_s: float | None = Field(default=None, gt=0, description="whole replica")
    ttft_p95_ms: float | None = Field(default=None, gt=0, description="95th-percentile time to first token, ms")
    tpot_ms: float | None = Field(default=None, gt=0, description="time per output token, median")
    tpot_p95_ms: float | None = Field(
        default=None, gt=0, description="95th-percentile time per output token (the per-user speed SLO's check)"
    )

    @model_validator(mode="after")
    def _rate(self) -> ThroughputPoint:
        if self.requests_per_s is None and self.output_tokens_per_s is None:
            raise ValueError("give requests_per_s or output_tokens_per_s")
        return self


class Throughput(Input):
    """How fast one replica serves: measured points, benchmark result files, or the estimator."""

    points: tuple[ThroughputPoint, ...] | None = Field(
        default=None, min_length=1, description="measured operating points at stated lengths"
    )
    measured: str | tuple[str, ...] | None = Field(
        default=None, description="benchmark result file(s), relative to the scenario's folder"
    )
    estimate: bool = Field(
        default=False, description="use the analytical estimator (the default when nothing else is given)"
    )

    @model_validator(mode="before")
    @classmethod
    def _nothing_given_is_estimated(cls, data: Any) -> Any:
        """`throughput: {}` (or with only a comment left in it) is the estimate, as leaving it out is: it was 'no
        operating points to choose from; pass at least one benchmark result', naming no file, line or field."""
        if isinstance(data, dict) and not data:
            return {"estimate": True}
        return data

    @model_validator(mode="after")
    def _one(self) -> Throughput:
        if self.points is None and self.measured is None and not self.estimate:
            raise ValueError("estimate: false and nothing measured; give points or measured, or estimate: true")
        given = sum(x is not None for x in (self.points, self.measured)) + int(self.estimate)
        if given > 1:
            raise ValueError("give one of points, measured or estimate")
        if self.measured == ():  # said 'no operating points to choose from' naming no file, line or field
            raise ValueError("measured: the list is empty; name at least one benchmark result file")
        return self


class SelfHostedOption(Input):
    """Serve an open-weight model on rented or owned GPUs."""

    name: str = Name
    kind: Literal["self_hosted"] = Field(description="self_hosted: serve an open-weight model")
    model: str = Field(description="catalog model id, e.g. gpt-oss-120b")
    precision: str | None = Field(
        default=None,
        description="weights: bf16, fp16, fp8, fp4, mxfp4, int8, int4, q8_0, q4_0, q4_k_m; default the model's native one",
    )
    engine: Literal["vllm", "sglang", "trtllm", "llamacpp", "mlx"] = Field(default="vllm", description="serving engine")
    engine_version: str | None = Field(
        default=None,
        description="the engine release the server runs: llamacpp a build tag such as b7079 (before b7079 "
        "llama-server starts 1 slot without -np, since then 4), vllm or sglang a release such as 0.6.3; default today's",
    )
    engine_args: str | None = Field(
        default=None,
        max_length=1000,
        description="flags the server is started with, those the estimator reads (another is refused with the list),"
        " e.g. llamacpp -np 8, vllm --max-num-seqs 64, sglang --enable-dp-attention --dp 8; default none (the"
        " release's defaults)",
    )
    hardware: Hardware | str = Field(description="a hardware mapping, or a path to a hardware YAML file")
    throughput: Throughput | None = Field(default=None, description="how fast a replica serves; default: estimated")
    power: Power = Field(default_factory=Power, description="electricity of owned hardware")
    hosting: Hosting = Field(default_factory=Hosting, description="colocation of owned hardware")
    operations: Operations = Field(default_factory=Operations, description="labour running the service")
    one_off_costs: tuple[OneOffCost, ...] = OneOffs

    @field_validator("engine", mode="before")
    @classmethod
    def _engine(cls, value: Any) -> Any:
        return engine_key(value) if isinstance(value, str) else value

    @field_validator("engine_version", mode="before")
    @classmethod
    def _bare_build(cls, value: Any, info: ValidationInfo) -> Any:
        """A llama.cpp build written as a bare number (YAML reads `engine_version: 7079` as one): the tag's form at
        once, rather than 'put it in quotes' and then the tag's form."""
        if info.data.get("engine") == "llamacpp" and isinstance(value, int) and not isinstance(value, bool):
            raise ValueError(f"write the llamacpp release as a build tag such as b{value}")
        return value

    @field_validator("engine_version")
    @classmethod
    def _release(cls, value: str | None, info: ValidationInfo) -> str | None:
        engine = info.data.get("engine")
        if value is None or engine is None:
            return value
        check_release(engine, value)
        return value


def engine_key(written: str) -> str:
    """An engine as written, case and surrounding spaces aside: ' TRTLLM ' is 'trtllm'. The one normalisation of a
    scenario option's engine, `estimate --engine` and recommend's --engine."""
    return written.strip().lower()


def check_release(engine: str, value: str) -> None:
    """ValueError unless `value` is a release of `engine` in the form the estimator reads (ENGINE_RELEASES): the one
    check of an engine_version, a scenario option's and the estimate's."""
    form = ENGINE_RELEASES.get(engine)
    if form is None:
        raise ValueError(f"the estimator reads no release of {engine}; drop engine_version")
    pattern, example = form
    if re.fullmatch(pattern, value) is None:
        raise ValueError(f"write the {engine} release as {example}")


Option = Annotated[ApiOption | SubscriptionOption | SelfHostedOption, Field(discriminator="kind")]
