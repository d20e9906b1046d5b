"""Resolve a self-hosted option's hardware, power, hosting and labour into a SelfHostedPlan."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from costcalc.catalog import get_gpu, get_model
from costcalc.catalog.specs import CustomGpuSpec, GpuSpec, ModelSpec
from costcalc.engine.options import SelfHostedCost
from costcalc.engine.self_hosted import SelfHostedPlan
from costcalc.engine.terms import Lifecycle, OneOff, Terms
from costcalc.errors import InputError
from costcalc.models import Hardware, SelfHostedOption, Workload
from costcalc.pricing.book import PriceBook, Priced
from costcalc.pricing.schema import GpuRental, HardwarePrice, PriceRow
from costcalc.resolve.custom_gpu import custom_spec, missing_rate, stated_kv_cache_dtype
from costcalc.resolve.price_sense import life_line, purchase_line, rental_line
from costcalc.resolve.purchase_unit import instance_note, purchase_unit, rental_instance, unit_note
from costcalc.resolve.running_lines import LabourLine, PowerLine
from costcalc.resolve.throughput import ThroughputBasis, resolve_throughput
from costcalc.throughput.memory import check_precision
from costcalc.words import counted


@dataclass(frozen=True)
class SiteLine:
    """The assumption line of where owned hardware runs, its PUE and its hosting fee; written when the report's
    currency is known, so the fee reads in the report's money."""

    option: str
    site: str  # datacenter | colocation | office
    reason: str  # why this site: as given, or the default for what the hardware is
    pue: float
    pue_from: str
    usd_per_kw_month: float | None  # the hosting fee per kW of provisioned power; None: an office without one
    fee_from: str  # as given | data-centre table

    def text(self, money: Callable[[float], str]) -> str:
        """'X: site datacenter (...): PUE 1.54 (data-centre table), hosting $184 per kW of provisioned power a month
        (as given)'; `money` writes an amount in USD in the report's currency."""
        head = f"{self.option}: site {self.site} ({self.reason}): PUE {self.pue:g} ({self.pue_from}), "
        if self.usd_per_kw_month is None:
            return head + "no hosting fee"
        return head + f"hosting {money(self.usd_per_kw_month)} per kW of provisioned power a month ({self.fee_from})"


@dataclass(frozen=True)
class ResolvedSelfHosted:
    """A self-hosted option: its plan for the engine, and the GPU, model, throughput and rows behind it."""

    name: str
    cost: SelfHostedCost
    gpu: GpuSpec
    model: ModelSpec
    throughput: ThroughputBasis
    prices: tuple[Priced[PriceRow], ...]  # rows used, data-centre defaults (PUE, electricity, ...) included
    warnings: tuple[str, ...] = ()
    missing_prices: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # assumption lines: which defaults applied and why
    site: str | None = None  # owned hardware: datacenter | colocation | office
    site_line: SiteLine | None = None  # owned hardware: the assumption line of its site, PUE and hosting fee
    power_line: PowerLine | None = None  # owned hardware: the watts it draws and the electricity price
    labour_line: LabourLine | None = None  # the engineer-hours and rate behind the labour line of its cost
    purchase_unit: str | None = None  # owned hardware: server | workstation | gpu
    # rented: GPUs of the whole instances it is billed by; None when rented by the GPU (a 1-GPU offer, or no offer)
    gpus_per_instance: int | None = None
    kind: ClassVar[str] = "self_hosted"

    @property
    def plan(self) -> SelfHostedPlan:
        """The engine's plan (rates, prices, capacity) of this option."""
        return self.cost.plan


def _gpu(hw: Hardware, offer_gpu: str | None, where: str, offer_origin: str | None = None) -> GpuSpec:
    if hw.custom_gpu is not None:
        custom = custom_spec(hw.custom_gpu, f"{where}.hardware.custom_gpu")
        if offer_gpu is not None and custom.like is not None and get_gpu(offer_gpu).id != custom.like:
            raise InputError(  # its figures and kind are another GPU's than the offer's price is for
                f"the offer is priced for {get_gpu(offer_gpu).id}, but custom_gpu {custom.id} is like {custom.like};"
                " pick an offer of that GPU, or price it yourself (hourly_usd to rent, price_usd to buy)",
                field=f"{where}.hardware.offer",
            )
        return custom
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
        if hw.gpu is None and offer_origin is not None:  # the offer's price row named it: that row is to fix
            row_from = offer_origin.removeprefix("override:") if offer_origin.startswith("override:") else offer_origin
            raise exc.moved(
                f"the offer's price row ({row_from}) rents {exc.detail.split(';')[0]}; fix the row's gpu column"
                " (`costcalc catalog gpus` lists the ids)",
                field=f"{where}.hardware.offer",
            ) from None
        raise exc.moved(field=f"{where}.hardware.gpu") from None


@dataclass(frozen=True)
class Horizon:
    """The scenario-wide terms a self-hosted option is resolved under."""

    months: int
    discount_rate_per_year: float = 0.0


COMMITMENT_OF_PRICING_TYPE = {"reserved-1y": 12, "reserved-3y": 36}  # a rental row's term, months
SITE_PUE_KEY = "pue"
SITE_HOSTING_KEY = "colocation_usd_per_kw_month"


def _check_owned_only(opt: SelfHostedOption, where: str) -> None:
    """A rented option's power or hosting is refused: they cost bought or leased hardware only, and a rented one's were
    dropped without a word (a hosting fee of $100 a month left its monthly cost as it was)."""
    for key, given in (("power", opt.power.model_fields_set), ("hosting", opt.hosting.model_fields_set)):
        if given:
            raise InputError(
                f"{key} is for bought or leased hardware (acquisition: buy or lease); a rented GPU's hourly price"
                f" includes its electricity and hosting, and {key}.{sorted(given)[0]} would not be counted: drop"
                f" {key}{' (a monthly fee of your own: operations)' if key == 'hosting' else ''}",
                field=f"{where}.{key}",
            )


def resolve_self_hosted(
    opt: SelfHostedOption,
    workload: Workload,
    book: PriceBook,
    horizon: Horizon | None = None,
    *,
    throughput: ThroughputBasis | None = None,
) -> ResolvedSelfHosted:
    """Catalog GPU and model, rental or purchase prices, power and hosting defaults, and throughput.

    `horizon`: the scenario's months and discount rate (the default cost of capital); `throughput`: the option's
    ThroughputBasis when the caller already resolved it (recommend resolves each configuration's capacity once
    and prices it under many offers); otherwise resolve_throughput finds it.
    """
    horizon = horizon or Horizon(months=36)
    where = f"options[{opt.name}]"
    hw = opt.hardware
    assert isinstance(hw, Hardware), "hardware files are loaded by the loader"
    prices: list[Priced[PriceRow]] = []
    defaults: list[Priced[PriceRow]] = []
    notes: list[str] = []
    gpus = hw.gpus_per_replica
    offer_gpu = offer_origin = None
    row: GpuRental | HardwarePrice | None = None
    if hw.offer is not None:
        offer_field = f"{where}.hardware.offer"
        priced: Priced[GpuRental | HardwarePrice] = (
            book.get("rental", hw.offer, field=offer_field)
            if hw.acquisition == "rent"
            else book.get("hardware", hw.offer, field=offer_field)
        )
        prices.append(priced)
        row = priced.row
        offer_gpu, offer_origin = row.gpu, priced.origin
    try:
        model = get_model(opt.model)
    except InputError as exc:
        raise exc.moved(field=f"{where}.model") from None
    if opt.precision is not None:
        try:
            check_precision(opt.precision)
        except InputError as exc:  # the estimator's check names its parameter, not the option: no line of the file
            raise type(exc)(exc.detail, field=f"{where}.precision") from None
    gpu = _gpu(hw, offer_gpu, where, offer_origin)
    if throughput is None and (opt.throughput is None or opt.throughput.estimate):
        kv_cache = stated_kv_cache_dtype(opt.engine, opt.engine_args, opt.engine_version)
        missing = missing_rate(gpu, check_precision(opt.precision or model.native_precision), opt.engine, kv_cache)
        if missing is not None:  # a rate of the math it runs, which the estimate would otherwise take from another
            raise InputError(missing[1], field=f"{where}.hardware.custom_gpu.{missing[0]}")
    if throughput is None:
        throughput = resolve_throughput(opt, gpu, model, gpus, workload)
    warnings = _context_warnings(opt, model, workload) + throughput.warnings
    labour = opt.operations.engineer_hours_per_month * opt.operations.hourly_rate_usd
    labour_line = LabourLine(opt.name, opt.operations.engineer_hours_per_month, opt.operations.hourly_rate_usd)
    common: dict[str, Any] = dict(
        capacity_requests_per_s=throughput.requests_per_s,
        gpus_per_replica=gpus,
        min_replicas=hw.min_replicas,
        labour_usd_per_month=labour,
    )
    terms = option_terms(opt.one_off_costs, horizon.months, where)
    if hw.acquisition == "rent":
        _check_owned_only(opt, where)
        if hw.scaling == "follow_profile" and workload.hourly_profile is None:
            raise InputError(
                "scaling: follow_profile needs workload.hourly_profile (24 values)", field=f"{where}.hardware.scaling"
            )
        usd_per_gpu_hour = (
            hw.hourly_usd
            if hw.hourly_usd is not None
            else (row.usd_per_gpu_hour if isinstance(row, GpuRental) else 0.0)
        )
        commitment = _commitment(hw, row, horizon, where, notes, opt.name)
        instance = rental_instance(hw, row, gpus, where)
        packed = instance.replica_block > 1 or instance.spare_gpus_per_replica > 0  # else each replica's own GPUs
        if packed:
            notes.append(instance_note(opt.name, hw.offer, instance, gpus))
        if hw.hourly_usd is not None and (
            line := rental_line(opt.name, gpu.id, hw.hourly_usd, hw.gpus_per_instance, book)
        ):
            warnings = (*warnings, line)
        plan = SelfHostedPlan(
            acquisition="rent",
            scaling=hw.scaling,
            usd_per_gpu_hour=usd_per_gpu_hour,
            replica_block=instance.replica_block,
            spare_gpus_per_replica=instance.spare_gpus_per_replica,
            **common,
        )
        life = Lifecycle(
            commitment_months=commitment, upfront_share=hw.upfront_share, units_per_replica=instance.units_per_replica
        )
        if hw.price_change_per_year:
            terms = replace(terms, price_change_per_year=hw.price_change_per_year)
            notes.append(f"{opt.name}: rental rate changes {hw.price_change_per_year:+.0%} a year, month by month")
        cost = SelfHostedCost(plan, life, terms)
        return ResolvedSelfHosted(
            opt.name,
            cost,
            gpu,
            model,
            throughput,
            tuple(prices),
            warnings,
            notes=tuple(notes),
            site=None,
            gpus_per_instance=instance.gpus if instance.name == "instance" else None,
            labour_line=labour_line,
        )

    def default(key: str, given: float | None, field: str) -> float:
        if given is not None:
            return given
        found = book.datacenter(key)
        if found is None:
            raise InputError(f"no shipped default for {key}; set it", field=f"{where}.{field}")
        defaults.append(found)
        return float(found.row.value)

    power = opt.power
    max_w, max_from = power.max_w_per_gpu, "as given"
    if max_w is None and isinstance(row, HardwarePrice) and row.max_power_w is not None and row.kind == "server":
        # a server offer's whole-system power (CPUs, switches, fans beside the GPUs): the DGX B200's 14.3 kW is 1,787.5 W
        # a GPU, not the B200's 1,000 W TDP that left 6.3 kW a server out of energy and hosting (qa24)
        max_w, max_from = row.max_power_w / row.gpu_count, f"the offer {row.id}: {row.max_power_w:,g} W a server"
    if max_w is None:
        max_w = gpu.tdp_w
        max_from = "custom_gpu in the scenario" if isinstance(gpu, CustomGpuSpec) else f"the GPU catalog's {gpu.id}"
    custom = isinstance(gpu, CustomGpuSpec)  # its power is its custom_gpu's to state, where its line is
    if max_w is None:
        raise InputError(
            f"custom_gpu {gpu.id} states no tdp_w; add tdp_w to it (board power at full load, W), or set"
            " power.max_w_per_gpu"
            if custom
            else f"the catalog has no TDP for {gpu.id}; set power.max_w_per_gpu",
            field=f"{where}.hardware.custom_gpu" if custom else f"{where}.power.max_w_per_gpu",
        )
    idle_w = power.idle_w_per_gpu if power.idle_w_per_gpu is not None else gpu.idle_w
    if idle_w is None:
        raise InputError(
            f"custom_gpu {gpu.id} states no idle_w; add idle_w to it (W idle with a model loaded: nvidia-smi shows"
            " it), or set power.idle_w_per_gpu"
            if custom
            else f"the catalog has no idle power for {gpu.id}; set power.idle_w_per_gpu (nvidia-smi shows it)",
            field=f"{where}.hardware.custom_gpu" if custom else f"{where}.power.idle_w_per_gpu",
        )
    if idle_w > max_w:  # qa24: idle_w_per_gpu 800 on an L40S (350 W at full load) was costed at 800 W idle, unsaid
        at_idle = power.idle_w_per_gpu is not None or power.max_w_per_gpu is None  # the value given, where one was
        raise InputError(
            f"idle {idle_w:g} W a GPU is above its full load, {max_w:g} W; a GPU draws less idle than at full load:"
            " check the two (a server's own watts go in power.server_overhead_w)",
            field=f"{where}.power.{'idle_w_per_gpu' if at_idle else 'max_w_per_gpu'}",
        )
    unit = purchase_unit(hw, row, gpus, where)
    site, site_reason = _site(hw, row, gpu)
    if site == "office":
        pue = power.pue if power.pue is not None else 1.0
        per_kw = opt.hosting.usd_per_kw_month if opt.hosting.usd_per_kw_month is not None else 0.0
        pue_from = "as given" if power.pue is not None else "an office has no cooling plant"
        fee = per_kw if opt.hosting.usd_per_kw_month is not None else None
        site_line = SiteLine(opt.name, site, site_reason, pue, pue_from, fee, "as given")
    else:
        pue = default(SITE_PUE_KEY, power.pue, "power.pue")
        per_kw = default(SITE_HOSTING_KEY, opt.hosting.usd_per_kw_month, "hosting.usd_per_kw_month")
        pue_from = "as given" if power.pue is not None else "data-centre table"
        fee_from = "as given" if opt.hosting.usd_per_kw_month is not None else "data-centre table"
        site_line = SiteLine(opt.name, site, site_reason, pue, pue_from, per_kw, fee_from)
    life_months = int(default("useful_life_months", hw.useful_life_months, "hardware.useful_life_months"))
    if hw.useful_life_months is not None and (line := life_line(opt.name, life_months, book)):
        warnings = (*warnings, line)
    at_end = hw.at_end_of_life or "replace"
    coc = hw.cost_of_capital_per_year
    if coc is None:
        coc = horizon.discount_rate_per_year
        notes.append(
            f"{opt.name}: no cost_of_capital_per_year given; the scenario's discount rate"
            f" {coc:.1%} a year applies{' (no capital charge)' if coc == 0 else ''}"
        )
    elif coc != horizon.discount_rate_per_year:
        notes.append(
            f"{opt.name}: cost of capital {coc:.1%} a year (as given) in the accrual view; NPV and discounted payback"
            f" use the scenario's discount rate {horizon.discount_rate_per_year:.1%}"
        )
    usd_per_kwh = default("electricity_usd_per_kwh", power.electricity_usd_per_kwh, "power.electricity_usd_per_kwh")
    catalog = "custom_gpu in the scenario" if isinstance(gpu, CustomGpuSpec) else f"the GPU catalog's {gpu.id}"
    power_line = PowerLine(
        opt.name,
        idle_w,
        "as given" if power.idle_w_per_gpu is not None else catalog,
        max_w,
        max_from,
        power.server_overhead_w,
        usd_per_kwh,
        "as given" if power.electricity_usd_per_kwh is not None else "data-centre table",
    )
    owned: dict[str, Any] = dict(
        idle_w_per_gpu=idle_w,
        max_w_per_gpu=max_w,
        server_overhead_w=power.server_overhead_w,
        pue=pue,
        usd_per_kwh=usd_per_kwh,
        hosting_usd_per_kw_month=per_kw,
        hosting_flat_usd_per_month=opt.hosting.flat_usd_per_month or 0.0,
        useful_life_months=life_months,
        residual_value_share=hw.residual_value_share,
        cost_of_capital_per_year=coc,
        replica_block=unit.replica_block,
        spare_gpus_per_replica=unit.spare_gpus_per_replica,
    )
    if hw.acquisition == "lease":
        lease = hw.lease
        assert lease is not None
        if lease.term_months > horizon.months:
            raise InputError(
                f"lease term of {counted(lease.term_months, 'month')} is longer than the {horizon.months}-month"
                " horizon; shorten the term or lengthen horizon_months",
                field=f"{where}.hardware.lease.term_months",
            )
        buyout = None if lease.buyout_usd is None else lease.buyout_usd * unit.units_per_replica
        if buyout is not None and life_months <= lease.term_months:
            raise InputError(
                f"a buy-out needs useful_life_months ({life_months}) longer than the lease term"
                f" ({lease.term_months}); the hardware is owned for the rest of its life",
                field=f"{where}.hardware.useful_life_months",
            )
        plan = SelfHostedPlan(
            acquisition="lease",
            lease_usd_per_replica_month=lease.usd_per_month * unit.units_per_replica,
            **owned,
            **common,
        )
        life = Lifecycle(
            at_end_of_life=at_end,
            lease_term_months=lease.term_months,
            lease_buyout_usd_per_replica=buyout,
            units_per_replica=unit.units_per_replica,
        )
    else:
        if hw.price_usd is not None:
            given = float(hw.price_usd)
            if line := purchase_line(opt.name, gpu.id, given, unit.server_gpus, unit.name == "gpu", book):
                warnings = (*warnings, line)
        else:
            assert isinstance(row, HardwarePrice), "a bought option has price_usd or an offer (the model checks it)"
            given = float(row.price_usd)
        price_per_unit = unit.price_per_unit(given)
        plan = SelfHostedPlan(
            acquisition="buy", price_usd_per_replica=price_per_unit * unit.units_per_replica, **owned, **common
        )
        life = Lifecycle(at_end_of_life=at_end, units_per_replica=unit.units_per_replica)
        notes.append(
            _life_note(opt.name, life_months, hw.useful_life_months is not None, at_end, hw.residual_value_share)
        )
    notes.append(unit_note(opt.name, unit, gpus))
    cost = SelfHostedCost(plan, life, terms)
    return ResolvedSelfHosted(
        opt.name,
        cost,
        gpu,
        model,
        throughput,
        tuple(prices) + tuple(defaults),
        warnings,
        notes=tuple(notes),
        site=site,
        site_line=site_line,
        purchase_unit=unit.name,
        power_line=power_line,
        labour_line=labour_line,
    )


def _site(hw: Hardware, row: Any, gpu: GpuSpec) -> tuple[str, str]:
    """Where owned hardware runs, and why: as given, else by what it is (workstation → office, else datacenter)."""
    if hw.site is not None:
        return hw.site, "as given"
    if row is not None and row.kind == "workstation":
        return "office", f"the default for a workstation, {row.id}"
    if gpu.form_factor == "workstation":
        return "office", f"the default for a workstation card, {gpu.id}"
    if gpu.form_factor is None:
        return "datacenter", f"the default; {gpu.id} has no form factor in the catalog, set site if it runs elsewhere"
    return "datacenter", f"the default for a server GPU, {gpu.id}"


def _life_note(name: str, months: int, given: bool, at_end: str, residual_share: float) -> str:
    """Bought hardware's life, its end and its resale value: the terms depreciation, replacement and payback use."""
    source = "as given" if given else "the data-centre table's useful_life_months"
    end = "bought again" if at_end == "replace" else "retired (the option stops serving)"
    resale = f"resold at {residual_share:.0%} of its price (as given)" if residual_share > 0 else "no resale value"
    return (
        f"{name}: bought hardware serves {counted(months, 'month')} ({source}), then is {end}; {resale};"
        " depreciation and payback count within that life"
    )


def _commitment(hw: Hardware, row: Any, horizon: Horizon, where: str, notes: list[str], name: str) -> int:
    """A rental's committed term in months (0 = on demand): as given, else the offer row's pricing type."""
    from_row = COMMITMENT_OF_PRICING_TYPE.get(getattr(row, "pricing_type", ""), 0)
    months = hw.commitment_months if hw.commitment_months is not None else from_row
    field = f"{where}.hardware.commitment_months"
    if from_row and hw.commitment_months is not None and hw.commitment_months != from_row:
        raise InputError(
            f"the offer is a {row.pricing_type} rate, a {from_row}-month commitment; set commitment_months:"
            f" {from_row} or pick an on-demand offer",
            field=field,
        )
    if months > horizon.months:
        raise InputError(
            f"a {months}-month commitment is longer than the {horizon.months}-month horizon; lengthen"
            " horizon_months or commit for a shorter term",
            field=field,
        )
    if months:
        source = "as given" if hw.commitment_months is not None else f"the offer's {row.pricing_type} rate"
        notes.append(
            f"{name}: committed for {counted(months, 'month')} ({source}), {hw.upfront_share:.0%} up front; each term"
            " pays for the replicas its busiest month needs, every hour, used or not"
        )
    return months


def option_terms(one_offs: Any, months: int, where: str) -> Terms:
    """An option's one-off costs for the engine (0-based month, amortisation within the horizon by default)."""
    items = []
    for i, cost in enumerate(one_offs):
        if cost.month > months:
            raise InputError(
                f"month {cost.month} is past the {months}-month horizon; pay it within the horizon",
                field=f"{where}.one_off_costs[{i}].month",
            )
        spread = cost.amortise_months if cost.amortise_months is not None else months - cost.month + 1
        items.append(OneOff(usd=cost.usd, month=cost.month - 1, amortise_months=spread))
    return Terms(one_offs=tuple(items))


def _context_warnings(opt: SelfHostedOption, model: ModelSpec, workload: Workload) -> tuple[str, ...]:
    """Prompts longer than the model's context cannot be served at all: say so."""
    longest = max(tokens for tokens, _ in workload.buckets) + workload.billed_output_tokens
    if longest > model.max_context_tokens:
        return (
            f"{opt.name}: requests of {longest:,.0f} tokens exceed {model.id}'s context of"
            f" {model.max_context_tokens:,} tokens; those requests cannot be self-hosted on this model",
        )
    return ()
