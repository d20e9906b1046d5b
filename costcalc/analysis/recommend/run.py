"""`recommend`: search the configurations that serve a scenario's workload, cost the best through `report`'s path.

Search (branch and bound, engine arrays) → the top N and the cost-versus-latency frontier → those written as a
scenario next to the user's APIs and seats → that scenario evaluated by analysis.run.evaluate, the one path
behind every Result, with the capacities the search found → a Recommendation whose numbers are the Result's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from costcalc.analysis.recommend.capacities import Capacities, workload_shape
from costcalc.analysis.recommend.handoff import option_dict, option_name, scenario_dict
from costcalc.analysis.recommend.pricing import Pricer, profiles
from costcalc.analysis.recommend.result import (
    Candidate,
    Exclusion,
    Recommendation,
    Reference,
    Search,
    Tie,
    Verdict,
)
from costcalc.analysis.recommend.search import REASON_HELP, REASONS, Costed, Found, search
from costcalc.analysis.recommend.space import (
    Constraints,
    build_space,
    known_engines,
    known_precisions,
    priced_gpus,
)
from costcalc.analysis.recommend.store import CapacityStore
from costcalc.analysis.warnings import idle_line, idle_summary
from costcalc.catalog import get_gpu, get_model, list_gpus
from costcalc.catalog.specs import ModelSpec
from costcalc.errors import CatalogError, InputError, did_you_mean
from costcalc.models import Scenario, SelfHostedOption, Workload
from costcalc.report.result import OptionResult, Result
from costcalc.report.verdict import cost_range, find_tie, money, never_words, tokens
from costcalc.resolve.book import PriceSource
from costcalc.resolve.scenario import request_shape
from costcalc.resolve.throughput import ThroughputBasis
from costcalc.scenario.loaders import ScenarioSource
from costcalc.words import counted

DEFAULT_TOP = 10
DEFAULT_WRITE_TOP = 3
PARETO_LIMIT = 10


@dataclass(frozen=True)
class Request:
    """What to search: models (default: the scenario's self-hosted ones), constraints, how many to show."""

    models: tuple[str, ...] = ()
    limits: Constraints = field(default_factory=Constraints)
    top: int = DEFAULT_TOP
    exhaustive: bool = False


@dataclass(frozen=True)
class Outcome:
    """A Recommendation, and the scenario document of its top candidates (for --write-scenario)."""

    recommendation: Recommendation
    scenario: Scenario
    chosen: tuple[tuple[Costed, str], ...]  # shown candidates with their option names, rank order
    option_docs: dict[str, dict[str, Any]]
    newly_simulated: int = 0  # configurations simulated in this run (the others came from the capacity cache)

    def scenario_doc(self, top: int = DEFAULT_WRITE_TOP) -> tuple[dict[str, Any], list[str]]:
        """The scenario with the top `top` candidates as self-hosted options beside its APIs and seats."""
        names = [name for _, name in self.chosen[:top]]
        note = f"costcalc recommend: top {len(names)}"
        return scenario_dict(self.scenario, [self.option_docs[n] for n in names], note=note)


def recommend(
    scenario: Scenario,
    prices: PriceSource,
    request: Request = Request(),
    *,
    today: dt.date | None = None,
    cache: Path | None = None,
    on_total: Callable[[int], None] | None = None,
    on_step: Callable[[int], None] | None = None,
) -> Outcome:
    """Search, rank and cost; `cache` is the folder of the capacity store (None: no store)."""
    workload = scenario.workload
    assert isinstance(workload, Workload), "usage files are loaded by the loader"
    if request.top < 1:
        raise InputError("must be at least 1", param="top")
    models = _models(scenario, request.models)
    limits = _checked(request.limits)
    book = prices.for_scenario(scenario, on=today)
    code, per_usd, _ = prices.currency(scenario)
    catalog = priced_gpus(book, list_gpus())
    space = build_space(models, catalog, book, limits)
    if space.candidates == 0:
        raise _nothing_left(models, catalog, book, limits)
    shape = request_shape(workload)
    pricer = Pricer(scenario, workload, shape, book, profiles(scenario, [m.id for m in models]))
    store = CapacityStore(cache, workload_shape(workload))
    capacities = Capacities(workload, store, on_step)
    try:
        found = search(
            space,
            workload,
            pricer,
            capacities,
            top=request.top,
            exhaustive=request.exhaustive,
            on_total=on_total,
            money=lambda usd: money(usd * per_usd, code),
        )
    finally:
        store.save()
    shown = found.ranked[: request.top]
    frontier = _pareto(found.ranked)
    chosen = _unique(shown + frontier)
    names = {id(c): option_name(c.config, c.offer) for c in chosen}
    prof = pricer.profiles
    docs = {names[id(c)]: option_dict(names[id(c)], c.config, c.offer, prof[c.config.model.id]) for c in chosen}
    result = _evaluate(scenario, prices, today, docs, {names[id(c)]: c.basis for c in chosen}) if chosen else None
    rec = _assemble(scenario, workload, models, request, limits, found, catalog, shown, frontier, names, result, code)
    return Outcome(rec, scenario, tuple((c, names[id(c)]) for c in shown), docs, found.newly_simulated)


def _models(scenario: Scenario, given: Sequence[str]) -> list[ModelSpec]:
    """--model ids (checked against the catalog), else the models of the scenario's self-hosted options."""
    ids = list(given) or [o.model for o in scenario.options if isinstance(o, SelfHostedOption)]
    if not ids:
        raise InputError(
            "the scenario has no self_hosted option to take a model from; give the model ids to search, e.g."
            " models=gpt-oss-120b (`costcalc catalog models` lists them)",
            param="models",
            mentions=("models",),
            named=True,
        )
    out: list[ModelSpec] = []
    for model_id in ids:
        try:
            spec = get_model(model_id)
        except CatalogError as exc:
            if given:
                raise CatalogError(exc.detail, param="models") from None
            raise CatalogError(exc.detail, field="options.model") from None
        if spec not in out:
            out.append(spec)
    return out


def _checked(limits: Constraints) -> Constraints:
    """Constraints with GPU ids made canonical; unknown GPUs, engines and precisions say what they may be."""
    gpus = []
    for gpu_id in limits.gpus:
        try:
            gpus.append(get_gpu(gpu_id).id)
        except CatalogError as exc:
            raise CatalogError(exc.detail, param="gpus") from None
    for param, values, known in (
        ("engines", limits.engines, known_engines()),
        ("precisions", limits.precisions, known_precisions()),
    ):
        for value in values:
            if value not in known:
                raise InputError(
                    f"unknown {param[:-1]} {value!r}{did_you_mean(value, known)}; valid: {', '.join(known)}",
                    param=param,
                )
    if limits.max_gpus < 1:
        raise InputError("must be at least 1", param="max_gpus")
    if limits.acquisition not in (None, "rent", "buy"):
        raise InputError(f"rent or buy, not {limits.acquisition!r}", param="acquisition")
    return Constraints(
        gpus=tuple(gpus),
        max_gpus=limits.max_gpus,
        acquisition=limits.acquisition,
        providers=limits.providers,
        engines=limits.engines,
        precisions=limits.precisions,
    )


def _nothing_left(models: list[ModelSpec], catalog: Any, book: Any, limits: Constraints) -> InputError:
    """The constraints left nothing with a price: name the one that removed the most candidates on its own."""
    from dataclasses import replace

    free = Constraints()
    total = build_space(models, catalog, book, free).candidates
    given = limits.given()  # by the API's names; the command line says each as its flag (`mentions`)
    if not given:
        return InputError(
            "no catalog GPU has a rental offer or purchase price to search; give a price file with rental or"
            " hardware rows (pricing_files=)",
            mentions=("pricing_files",),
        )
    removed = {
        name: total - build_space(models, catalog, book, replace(free, **{name: getattr(limits, name)})).candidates
        for name in given
    }
    worst = max(removed, key=lambda n: (removed[n], n))
    providers = sorted({p.row.provider for p in book.rows("rental")})
    hint = f" (providers: {', '.join(providers)})" if worst == "providers" else ""
    return InputError(
        f"{' '.join(f'{n}={v}' for n, v in given.items())} leave no priced configuration of"
        f" {', '.join(m.id for m in models)} to search ({total:,} without them); {worst}={given[worst]} alone"
        f" removes the most ({removed[worst]:,}): loosen it{hint}",
        param=worst,
        mentions=tuple(given),
        named=True,
    )


def _pareto(ranked: Sequence[Costed]) -> list[Costed]:
    """Cost versus p95 TTFT at capacity: each configuration at its cheapest offer, kept when no cheaper one is as fast."""
    best: dict[tuple[object, ...], Costed] = {}
    for c in ranked:  # ranked is cheapest first: the first of a configuration is its cheapest offer
        if c.basis.ttft_p95_ms is not None and c.config.key not in best:
            best[c.config.key] = c
    frontier: list[Costed] = []
    fastest = np.inf
    for c in sorted(best.values(), key=lambda c: (c.usd, c.basis.ttft_p95_ms, c.config.key)):
        ttft = float(c.basis.ttft_p95_ms or np.inf)
        if ttft < fastest:
            frontier.append(c)
            fastest = ttft
    return frontier[:PARETO_LIMIT]


def _unique(items: Sequence[Costed]) -> list[Costed]:
    seen: set[tuple[object, ...]] = set()
    out = []
    for c in items:
        key = (c.config.key, c.offer.id)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def _evaluate(
    scenario: Scenario,
    prices: PriceSource,
    today: dt.date | None,
    docs: dict[str, dict[str, Any]],
    throughputs: dict[str, ThroughputBasis],
) -> Result:
    """The chosen candidates costed by the report's own path (evaluate), beside the scenario's APIs and seats."""
    from costcalc.analysis.run import evaluate

    doc, _ = scenario_dict(scenario, list(docs.values()), note="costcalc recommend")
    built = ScenarioSource.load(doc).build()
    return evaluate(built, prices, today=today, throughputs=throughputs).result


def _assemble(
    scenario: Scenario,
    workload: Workload,
    models: list[ModelSpec],
    request: Request,
    limits: Constraints,
    found: Found,
    catalog: Any,
    shown: list[Costed],
    frontier: list[Costed],
    names: dict[int, str],
    result: Result | None,
    currency: str,
) -> Recommendation:
    """The Recommendation from the search and the Result its candidates were costed in (in `currency`)."""
    from costcalc.report.result import Workload as WorkloadResult

    refs = [o for o in result.options if o.kind != "self_hosted"] if result else []
    best_api = min((o for o in refs if o.kind == "api"), key=lambda o: o.monthly_cost, default=None)
    best_seat = min((o for o in refs if o.kind == "subscription"), key=lambda o: o.monthly_cost, default=None)
    rank = {(c.config.key, c.offer.id): i + 1 for i, c in enumerate(found.ranked)}

    def candidate(c: Costed) -> Candidate:
        assert result is not None
        o = result.option(names[id(c)])
        return _candidate(c, o, rank[(c.config.key, c.offer.id)], names[id(c)], best_api, best_seat)

    cands = tuple(candidate(c) for c in shown)
    pareto = tuple(candidate(c) for c in frontier)
    shape = request_shape(workload)
    wl = (
        result.workload
        if result
        else WorkloadResult(
            requests_per_month=workload.requests_per_month,
            input_tokens_per_month=workload.requests_per_month * shape.input_tokens,
            output_tokens_per_month=workload.requests_per_month * shape.output_tokens,
            tokens_per_month=workload.requests_per_month * shape.tokens_per_request,
            users=workload.users,
            growth_per_month=workload.growth_per_month,
            peak_to_average=shape.peak_factor,
        )
    )
    simulated = (
        "every fitting configuration" if request.exhaustive else f"the {found.simulated} configurations simulated"
    )
    excluded = tuple(
        Exclusion(
            reason=r, count=found.excluded.counts[r], meaning=REASON_HELP[r], example=found.excluded.examples.get(r)
        )
        for r in REASONS
        if found.excluded.counts[r]
    )
    return Recommendation(
        scenario=scenario.name,
        currency=currency,
        workload=wl,
        slo={
            "ttft_p95_ms": workload.slo.ttft_p95_ms,
            "min_output_tokens_per_s_per_user": workload.slo.min_output_tokens_per_s_per_user,
        },
        search=Search(
            models=tuple(m.id for m in models),
            gpus=len([g for g in catalog if not limits.gpus or g.id in limits.gpus]),
            configurations=found.configurations,
            candidates=found.candidates,
            fitting_configurations=found.fitting,
            simulated_configurations=found.simulated,
            exhaustive=request.exhaustive,
            constraints=limits.removes(),
        ),
        candidates=cands,
        pareto=pareto,
        pareto_note=(
            "Each configuration at its cheapest offer, against the p95 time to first token at its capacity (the"
            f" slowest a user waits at the peak, when every replica is at capacity), among {simulated}; a point"
            " is kept when no cheaper configuration starts answering as fast."
        ),
        excluded=excluded,
        references=tuple(
            Reference(
                name=o.name, kind=o.kind, monthly_cost=o.monthly_cost, cost_per_million_tokens=o.cost_per_million_tokens
            )
            for o in sorted(refs, key=lambda o: o.monthly_cost)
        ),
        verdict=_verdict(
            cands,
            best_api,
            best_seat,
            result,
            currency,
            wl.tokens_per_month,
            (round(workload.mean_input_tokens), max(1, round(workload.billed_output_tokens))),
        ),
        notes=tuple(_notes(found, scenario, models)),
        warnings=_warnings(result, list(names.values())),
    )


def _candidate(
    c: Costed,
    o: OptionResult,
    rank: int,
    name: str,
    best_api: OptionResult | None,
    best_seat: OptionResult | None,
) -> Candidate:
    assert o.throughput is not None and o.replicas is not None and o.gpus is not None
    return Candidate(
        rank=rank,
        name=name,
        model=c.config.model.id,
        gpu=c.config.gpu.id,
        gpus_per_replica=c.config.gpus,
        precision=c.config.precision,
        engine=c.config.engine,
        offer=c.offer.id,
        provider=c.offer.provider,
        pricing_type=c.offer.pricing_type,
        acquisition=c.offer.acquisition,
        monthly_cost=o.monthly_cost,
        cost_per_million_tokens=o.cost_per_million_tokens,
        replicas=o.replicas,
        gpus=o.gpus,
        utilisation=o.utilisation or 0.0,
        instances=o.instances,
        servers=o.servers,
        workstations=o.workstations,
        breakdown=o.breakdown,
        throughput=o.throughput,
        monthly_cost_low=cost_range(o)[0],
        monthly_cost_high=cost_range(o)[1],
        gap_to_cheapest_api=None if best_api is None else o.monthly_cost - best_api.monthly_cost,
        gap_to_cheapest_seat=None if best_seat is None else o.monthly_cost - best_seat.monthly_cost,
    )


def _ties(cands: Sequence[Candidate], result: Result, lengths: tuple[int, int]) -> Tie | None:
    """The leading candidates the report's own tie rule cannot separate from the cheapest (within 2%, or inside an
    estimate's band), found by find_tie on the Result's options of the shown candidates."""
    if len(cands) < 2:
        return None
    shown = [result.option(c.name) for c in cands]
    fact = find_tie(result.model_copy(update={"options": tuple(shown)}))
    if fact is None:
        return None
    tied = [c for c in cands if c.name in fact.options]
    # the message speaks of all of them: the lowest actual throughput any of their ranges allows
    least = min((r.low for c in tied if (r := c.throughput.allowed_range()) is not None), default=1.0)
    lead = tied[:2]
    measure = tuple(
        f"costcalc measure --base-url URL --model {c.model} --concurrency 1,4,16,64 --input-tokens {lengths[0]}"
        f" --output-tokens {lengths[1]} -o {c.model}-{c.gpus_per_replica}x-{c.gpu}-{c.engine}-{c.precision}.json"
        for c in lead
    )
    message = (
        f"The top {len(tied)} configurations tie: their costs within the throughput estimates' error band"
        f" (actual throughput as low as {least:.2f}x the estimate) overlap the cheapest's, so the estimate cannot order them. Measure the leading two"
        " on the hardware before choosing, then give each option `throughput: {measured: FILE}`."
    )
    return Tie(candidates=tuple(c.name for c in tied), message=message, measure=measure)


def _verdict(
    cands: Sequence[Candidate],
    best_api: OptionResult | None,
    best_seat: OptionResult | None,
    result: Result | None,
    currency: str,
    tokens_per_month: float,
    lengths: tuple[int, int],
) -> Verdict:
    if not cands or result is None:
        return Verdict(
            cheapest_self_hosted=None,
            self_hosted_monthly_cost=None,
            cheapest_api=best_api.name if best_api else None,
            api_monthly_cost=best_api.monthly_cost if best_api else None,
            break_even_tokens_per_month=None,
            break_even_reason=None,
            lines=("No configuration in the search meets the SLO with a price: see the exclusions.",),
        )
    top = cands[0]
    lines = [
        f"Cheapest self-hosted: {top.name} at {money(top.monthly_cost, currency)}/month"
        f" ({money(top.cost_per_million_tokens, currency)} per 1M tokens), {counted(top.replicas, 'replica')},"
        f" {counted(top.gpus, 'GPU')}, {top.utilisation:.0%} utilised."
    ]
    be_tokens = None
    reason = None
    if best_api is not None:
        gap = top.monthly_cost - best_api.monthly_cost
        side = "more" if gap > 0 else "less"
        lines.append(
            f"Cheapest API: {best_api.name} at {money(best_api.monthly_cost, currency)}/month;"
            f" self-hosting costs {money(abs(gap), currency)} a month {side}."
        )
        be = next((b for b in result.break_even if b.option == top.name and b.versus == best_api.name), None)
        if be is not None:
            be_tokens, reason = be.tokens_per_month, be.reason
            if be_tokens is None:
                lines.append(f"Break-even: never; {never_words(be, currency)}.")
            else:
                factor = be_tokens / tokens_per_month if tokens_per_month else float("nan")
                lines.append(
                    f"Break-even: self-hosting stays cheaper than {best_api.name} above {tokens(be_tokens)}"
                    f" tokens/month ({factor:,.1f}x today's volume)."
                )
    else:
        lines.append("The scenario has no API option to compare with.")
    if best_seat is not None:
        gap = top.monthly_cost - best_seat.monthly_cost
        lines.append(
            f"Cheapest seats: {best_seat.name} at {money(best_seat.monthly_cost, currency)}/month;"
            f" self-hosting costs {money(abs(gap), currency)} a month {'more' if gap > 0 else 'less'}."
        )
    tie = _ties(cands, result, lengths)
    if tie is not None:
        lines.append(tie.message)
    return Verdict(
        cheapest_self_hosted=top.name,
        self_hosted_monthly_cost=top.monthly_cost,
        cheapest_api=best_api.name if best_api else None,
        api_monthly_cost=best_api.monthly_cost if best_api else None,
        break_even_tokens_per_month=be_tokens,
        break_even_reason=reason,
        lines=tuple(lines),
        tie=tie,
    )


def _notes(found: Found, scenario: Scenario, models: list[ModelSpec]) -> list[str]:
    own = [o for o in scenario.options if isinstance(o, SelfHostedOption)]
    notes = [
        "Costs are month 1 at today's volume, as `report` shows them; replicas are sized for the peak with"
        " capacity from the serving simulation at the SLO's p95 targets (estimated, with the estimator's band).",
        "Rented instances and bought servers or workstations are paid whole, holding several replicas or spanned by one, as report"
        " prices them: an 8-GPU instance packs eight 1-GPU replicas, billed whole every hour.",
    ]
    if own:
        notes.append(
            "Operations (and power and hosting of bought hardware) are copied from the scenario's self-hosted"
            f" option of the same model, else from {own[0].name!r}."
        )
    else:
        notes.append("The scenario has no self-hosted option: no operations labour is counted.")
    if any(c.offer.pricing_type == "spot" for c in found.ranked[:DEFAULT_TOP]):
        notes.append("Spot and community rentals can be reclaimed by the provider; price them with that in mind.")
    return notes


def _warnings(result: Result | None, names: list[str]) -> tuple[str, ...]:
    """The report's warnings about the configurations listed; the idle-replicas warning said once for all those it
    applies to (it was one line per configuration, ten alike under a top 10)."""
    about = [w for w in (result.warnings if result else ()) if _about(w, names)]
    idle = {
        line: o.utilisation
        for o in (result.options if result else ())
        if o.utilisation is not None and (line := idle_line(o.name, o.utilisation)) in about
    }
    if len(idle) < 2:
        return tuple(about)
    first = min(about.index(line) for line in idle)
    kept = [w for w in about if w not in idle]
    kept.insert(first, idle_summary(list(idle.values()), listed=len(set(names))))
    return tuple(kept)


def _about(warning: str, names: Any) -> bool:
    return any(warning.startswith(f"{n}:") or n in warning for n in names)
