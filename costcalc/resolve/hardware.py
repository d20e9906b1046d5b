"""Resolve a self-hosted option's hardware, power, hosting and labour into a SelfHostedPlan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from costcalc.catalog import get_gpu, get_model
from costcalc.catalog.specs import GpuSpec, ModelSpec
from costcalc.engine.options import SelfHostedCost
from costcalc.engine.self_hosted import SelfHostedPlan
from costcalc.errors import InputError
from costcalc.models import Hardware, SelfHostedOption, Workload
from costcalc.pricing.book import PriceBook, Priced
from costcalc.resolve.throughput import ThroughputBasis, resolve_throughput


@dataclass(frozen=True)
class ResolvedSelfHosted:
    """A self-hosted option: its plan for the engine, and the GPU, model, throughput and rows behind it."""

    name: str
    cost: SelfHostedCost
    gpu: GpuSpec
    model: ModelSpec
    throughput: ThroughputBasis
    prices: tuple[Priced, ...]  # rows used, data-centre defaults (PUE, electricity, ...) included
    warnings: tuple[str, ...] = ()
    missing_prices: tuple[str, ...] = ()
    kind: ClassVar[str] = "self_hosted"

    @property
    def plan(self) -> SelfHostedPlan:
        """The engine's plan (rates, prices, capacity) of this option."""
        return self.cost.plan


def _gpu(hw: Hardware, offer_gpu: str | None, where: str) -> GpuSpec:
    if hw.custom_gpu is not None:
        c = hw.custom_gpu
        return GpuSpec(
            id=c.name,
            name=c.name,
            vendor="custom",
            memory_gb=c.memory_gb,
            memory_bandwidth_gb_s=c.memory_bandwidth_gb_s,
            bf16_tflops=c.bf16_tflops,
            fp8_tflops=c.fp8_tflops,
            fp4_tflops=c.fp4_tflops,
            tdp_w=c.tdp_w,
            idle_w=c.idle_w,
            source="custom_gpu in the scenario",
            as_of=dt.date(1970, 1, 1),
        )
    gpu_id = hw.gpu or offer_gpu
    if gpu_id is None:
        raise InputError("give gpu (a catalog id) or custom_gpu", field=f"{where}.hardware.gpu")
    if hw.gpu and offer_gpu and hw.gpu != offer_gpu:
        raise InputError(
            f"gpu {hw.gpu!r} differs from the offer's GPU {offer_gpu!r}; drop gpu or pick a matching offer",
            field=f"{where}.hardware.gpu",
        )
    try:
        return get_gpu(gpu_id)
    except InputError as exc:
        raise type(exc)(exc.detail, field=f"{where}.hardware.gpu") from None


def resolve_self_hosted(
    opt: SelfHostedOption, workload: Workload, book: PriceBook, *, throughput: ThroughputBasis | None = None
) -> ResolvedSelfHosted:
    """Catalog GPU and model, rental or purchase prices, power and hosting defaults, and throughput.

    `throughput`: the option's ThroughputBasis when the caller already resolved it (recommend resolves each
    configuration's capacity once and prices it under many offers); otherwise resolve_throughput finds it.
    """
    where = f"options[{opt.name}]"
    hw = opt.hardware
    assert isinstance(hw, Hardware), "hardware files are loaded by the loader"
    prices: list[Priced] = []
    defaults: list[Priced] = []
    gpus = hw.gpus_per_replica
    offer_gpu = None
    usd_per_gpu_hour = hw.hourly_usd or 0.0
    price_per_replica = hw.price_usd or 0.0
    if hw.offer is not None:
        table = "rental" if hw.acquisition == "rent" else "hardware"
        priced = book.get(table, hw.offer, field=f"{where}.hardware.offer")
        prices.append(priced)
        row = priced.row
        offer_gpu = row.gpu
        if hw.acquisition == "rent" and hw.hourly_usd is None:
            usd_per_gpu_hour = row.usd_per_gpu_hour
        if hw.acquisition == "buy" and hw.price_usd is None:
            price_per_replica = row.price_usd / row.gpu_count * gpus
    try:
        model = get_model(opt.model)
    except InputError as exc:
        raise type(exc)(exc.detail, field=f"{where}.model") from None
    gpu = _gpu(hw, offer_gpu, where)
    if throughput is None:
        throughput = resolve_throughput(opt, gpu, model, gpus, workload)
    warnings = _context_warnings(opt, model, workload) + throughput.warnings
    labour = opt.operations.engineer_hours_per_month * opt.operations.hourly_rate_usd
    common = dict(
        capacity_requests_per_s=throughput.requests_per_s,
        gpus_per_replica=gpus,
        min_replicas=hw.min_replicas,
        labour_usd_per_month=labour,
    )
    if hw.acquisition == "rent":
        if hw.scaling == "follow_profile" and workload.hourly_profile is None:
            raise InputError(
                "scaling: follow_profile needs workload.hourly_profile (24 values)", field=f"{where}.hardware.scaling"
            )
        plan = SelfHostedPlan(acquisition="rent", scaling=hw.scaling, usd_per_gpu_hour=usd_per_gpu_hour, **common)
        return ResolvedSelfHosted(opt.name, SelfHostedCost(plan), gpu, model, throughput, tuple(prices), warnings)

    def default(key: str, given: float | None, field: str) -> float:
        if given is not None:
            return given
        row = book.datacenter(key)
        if row is None:
            raise InputError(f"no shipped default for {key}; set it", field=f"{where}.{field}")
        defaults.append(row)
        return float(row.row.value)

    power = opt.power
    max_w = power.max_w_per_gpu if power.max_w_per_gpu is not None else gpu.tdp_w
    if max_w is None:
        raise InputError(
            f"the catalog has no TDP for {gpu.id}; set power.max_w_per_gpu", field=f"{where}.power.max_w_per_gpu"
        )
    idle_w = power.idle_w_per_gpu if power.idle_w_per_gpu is not None else gpu.idle_w
    if idle_w is None:
        raise InputError(
            f"the catalog has no idle power for {gpu.id}; set power.idle_w_per_gpu (nvidia-smi shows it)",
            field=f"{where}.power.idle_w_per_gpu",
        )
    plan = SelfHostedPlan(
        acquisition="buy",
        price_usd_per_replica=price_per_replica,
        useful_life_months=int(default("useful_life_months", hw.useful_life_months, "hardware.useful_life_months")),
        residual_value_share=hw.residual_value_share,
        cost_of_capital_per_year=hw.cost_of_capital_per_year,
        idle_w_per_gpu=idle_w,
        max_w_per_gpu=max_w,
        server_overhead_w=power.server_overhead_w,
        pue=default("pue", power.pue, "power.pue"),
        usd_per_kwh=default("electricity_usd_per_kwh", power.electricity_usd_per_kwh, "power.electricity_usd_per_kwh"),
        hosting_usd_per_kw_month=opt.hosting.usd_per_kw_month or 0.0,
        hosting_flat_usd_per_month=opt.hosting.flat_usd_per_month or 0.0,
        **common,
    )
    return ResolvedSelfHosted(
        opt.name, SelfHostedCost(plan), gpu, model, throughput, tuple(prices) + tuple(defaults), warnings
    )


def _context_warnings(opt: SelfHostedOption, model: ModelSpec, workload: Workload) -> tuple[str, ...]:
    """Prompts longer than the model's context cannot be served at all: say so."""
    longest = max(tokens for tokens, _ in workload.buckets) + workload.billed_output_tokens
    if longest > model.max_context_tokens:
        return (
            f"{opt.name}: requests of {longest:,.0f} tokens exceed {model.id}'s context of"
            f" {model.max_context_tokens:,} tokens; those requests cannot be self-hosted on this model",
        )
    return ()
