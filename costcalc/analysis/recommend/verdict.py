"""Recommend's verdict: the cheapest configuration against the cheapest API and seats, break-even, ties."""

from __future__ import annotations

from collections.abc import Sequence

from costcalc.analysis.recommend.result import Candidate, Tie, Verdict
from costcalc.report.estimate_words import never_words, runs_cost_words
from costcalc.report.money_words import money, money_change
from costcalc.report.result import OptionResult, Result
from costcalc.report.seat_load import seat_load
from costcalc.report.tie import find_tie
from costcalc.words import counted, tokens


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


def verdict(
    cands: Sequence[Candidate],
    best_api: OptionResult | None,
    best_seat: OptionResult | None,
    result: Result | None,
    currency: str,
    tokens_per_month: float,
    lengths: tuple[int, int],
) -> Verdict:
    """The verdict lines: the cheapest configuration against the cheapest API and seats, break-even, a tie."""
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
    runs = top.throughput.published_runs
    if runs is not None:  # has anyone measured it: the published runs nearest its configuration
        from costcalc.report.run_evidence import runs_said

        costed = next((o for o in result.options if o.name == top.name), None)  # the Result costs each candidate
        cost = runs_cost_words(costed, currency) if costed else ""  # where the runs disagree with its range
        lines.append(f"Published runs: {runs_said(runs, top.throughput.allowed_range())}{cost}.")
    be_tokens = None
    reason = None
    if best_api is not None:
        gap = top.monthly_cost - best_api.monthly_cost
        side = "more" if gap > 0 else "less"
        lines.append(
            f"Cheapest API: {best_api.name} at {money(best_api.monthly_cost, currency)}/month;"
            f" self-hosting costs {money_change(best_api.monthly_cost, top.monthly_cost, currency, signed=False)}"
            f" a month {side}."
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
        over = (  # as report's headline says it (report/ranking.py)
            ""
            if result.carries(best_seat)
            else f", which cannot carry today's volume: {seat_load(result, best_seat.name, tokens_per_month)}"
        )
        lines.append(
            f"Cheapest seats: {best_seat.name} at {money(best_seat.monthly_cost, currency)}/month{over};"
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
