"""The Recommendation built from the search and the Result its candidates were costed in."""

from __future__ import annotations

from typing import Any

from costcalc.analysis.fleet_size import PAST_LARGEST
from costcalc.analysis.recommend.custom import custom_gpus
from costcalc.analysis.recommend.request import DEFAULT_TOP, Request
from costcalc.analysis.recommend.result import Candidate, Exclusion, Recommendation, Reference, Search
from costcalc.analysis.recommend.search import REASON_HELP, REASONS, Costed, Found
from costcalc.analysis.recommend.space import Constraints
from costcalc.analysis.recommend.verdict import verdict
from costcalc.analysis.warnings import NO_SEAT, STALE_SHOWN_BY, idle_line, idle_summary, stale_line
from costcalc.catalog.specs import ModelSpec
from costcalc.models import Scenario, SelfHostedOption, Workload
from costcalc.report.estimate_words import cost_range
from costcalc.report.ranking import ranked
from costcalc.report.result import OptionResult, Result
from costcalc.resolve.scenario import request_shape
from costcalc.scenario.plausibility import unlikely_values
from costcalc.words import counted


def assemble(
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
    volume = result.workload.requests_per_month if result else 0.0
    seats = ranked((o for o in refs if o.kind == "subscription"), volume)  # those over their usage cap last
    best_seat = seats[0] if seats else None
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
            for o in ranked(refs, volume)
        ),
        verdict=verdict(
            cands,
            best_api,
            best_seat,
            result,
            currency,
            wl.tokens_per_month,
            (round(workload.mean_input_tokens), max(1, round(workload.billed_output_tokens))),
        ),
        notes=tuple(_notes(found, scenario, models)),
        warnings=_warnings(result, list(names.values()), scenario),
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
    return notes + list(custom_gpus(scenario).notes)


def _warnings(result: Result | None, names: list[str], scenario: Scenario) -> tuple[str, ...]:
    """The report's warnings about the configurations listed, and its plausibility warnings about the scenario, which
    every configuration rests on (scenario/plausibility.unlikely_values: steep or compounding growth, a count written
    '1.000'); first the prices past their age limit that the listed offers and the scenario's APIs and seats are
    costed at (report's stale-price line: recommend printed none, though its top 3 were an RTX 5090 priced as of
    2026-01-05, 336 days before 2026-12-07); the idle-replicas warning said once for all those it applies to (it was
    one line per configuration, ten alike under a top 10), the fleet-size line once, the first's, and report's line on
    a seat option with fewer seats than users (qa22 finding 18)."""
    override = scenario.stale_after_days
    stale = None if result is None else stale_line(result.stale_prices, override, STALE_SHOWN_BY)
    listed = [o for o in (result.options if result else ()) if o.name in names]
    # a warning whose subject is the model or GPU of a listed configuration (the published runs of the model's
    # architecture, the held-out benchmarks of the GPU's: bands.range_warnings) is about it too
    subjects = {s for o in listed for s in (o.model, o.gpu) if s}
    wide = set(unlikely_values(scenario))  # report's lines on the scenario itself: kept as report gives them
    own_words = None if result is None else stale_line(result.stale_prices, override)  # the report's, said above
    # the scenario's seats are the verdict's 'Cheapest seats': report's line on fewer seats than users is about them
    seats = {o.name for o in (result.options if result else ()) if o.kind == "subscription"}
    about = [
        w
        for w in (result.warnings if result else ())
        if w != own_words
        and (
            w in wide
            or _about(w, names)
            or w.split(":", 1)[0] in subjects
            or (NO_SEAT in w and w.split(":", 1)[0] in seats)
        )
    ]
    about = _one_fleet_line(about, names)
    idle = {
        line: o.utilisation
        for o in (result.options if result else ())
        if o.utilisation is not None and (line := idle_line(o.name, o.utilisation)) in about
    }
    first_lines = [stale] if stale is not None else []
    if len(idle) < 2:
        return (*first_lines, *about)
    first = min(about.index(line) for line in idle)
    kept = [w for w in about if w not in idle]
    kept.insert(first, idle_summary(list(idle.values()), listed=len(set(names))))
    return (*first_lines, *kept)


def _one_fleet_line(about: list[str], names: list[str]) -> list[str]:
    """The first listed configuration's fleet line (fleet_size: past the largest AI cluster), saying how many other
    configurations listed are past it too, in place of their own lines (alike under a top 10, one per offer)."""
    fleets = [w for w in about if PAST_LARGEST in w and any(w.startswith(f"{n}: sized at ") for n in names)]
    if len(fleets) < 2:
        return about
    others = counted(len(fleets) - 1, "other configuration")
    first = f"{fleets[0]}; {others} listed {'is' if len(fleets) == 2 else 'are'} sized past it too"
    return [first if w == fleets[0] else w for w in about if w not in fleets[1:]]


def _about(warning: str, names: Any) -> bool:
    return any(warning.startswith(f"{n}:") or n in warning for n in names)
