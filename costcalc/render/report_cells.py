"""The cells of the options table, in words: one place for the terminal, Markdown and HTML reports."""

from __future__ import annotations

from costcalc.render.numbers import LINE_LABELS, share, short_money, tokens
from costcalc.report.money_words import percent
from costcalc.report.result import OptionResult, Result
from costcalc.report.tie import same_cost
from costcalc.words import counted

KINDS = {"api": "api", "self_hosted": "self-hosted", "subscription": "seats"}


TIMES_FROM = 2.0  # from twice the cheapest, 'vs cheapest' says a multiple ('2.8x'), not a share more ('+184%')
WHOLE_TIMES_FROM = 10.0  # '9.7x', then '15x'
SAME = "same"  # costs what the cheapest does (an exact tie)
OVER_CAP = "over usage cap"  # seats that may not carry today's volume (report/ranking.py): no share of the cheapest


def versus(result: Result, option: OptionResult) -> str:
    """'cheapest', 'same', '+0.2%', '+86%', '2.8x' or '65x': the option's monthly cost against the cheapest's, the same
    (report/tie.same_cost; was '+0.00%'), a share more below twice it and a multiple from there (one notation a
    column: '+750%' above '15x' read as two); 'over usage cap' for seats their numeric usage cap holds below today's
    volume, where the cheapest may carry it."""
    best = result.option(result.cheapest).monthly_cost
    if option.name == result.cheapest:
        return "cheapest"
    if not result.carries(option) and result.carries(result.option(result.cheapest)):
        return OVER_CAP
    if same_cost(result.option(result.cheapest), [option]):
        return SAME
    if best <= 0:
        return "-"
    times = option.monthly_cost / best
    if times < TIMES_FROM:
        return f"+{percent(times - 1)}"
    return f"{times:.1f}x" if round(times, 1) < WHOLE_TIMES_FROM else f"{times:,.0f}x"


def break_even(result: Result, option: OptionResult) -> str:
    """'212B tok/mo', '38.1B tok/mo, payback m25', 'never' or '-': break-even against the cheapest API."""
    be = result.headline_break_even(option.name)
    if be is None:
        return "-"
    if be.tokens_per_month is None:
        return "never"
    text = f"{tokens(be.tokens_per_month)} tok/mo"
    if option.acquisition == "buy":
        text += f", payback m{be.payback_months}" if be.payback_months is not None else ", no payback"
    return text


def sizing(option: OptionResult, *, instances_below: bool = False, replicas_said: bool = False) -> str:
    """'3x8 GPUs, 43.1% used', '8 GPUs in 1 instance, 13% used', '2,000 seats' or ''; `instances_below` puts a
    rental's instances on a line of their own ('8 GPUs, 13% used' over 'in 1 instance'), for a narrow column;
    `replicas_said` says replicas of more than one GPU in words ('24 GPUs, 3 replicas of 8, 43.1% used'), where a
    reader may not know the terminal's '3x8'."""
    if option.kind == "subscription" and option.seats:
        return counted(option.seats, "seat")
    if option.kind != "self_hosted" or option.replicas is None or option.gpus is None:
        return ""
    per = option.gpus // option.replicas if option.replicas else option.gpus
    if per == 1:
        gpus = counted(option.gpus, "GPU")
    elif replicas_said:
        gpus = f"{counted(option.gpus, 'GPU')}, {counted(option.replicas, 'replica')} of {per:,}"
    else:
        gpus = f"{option.replicas:,}x{per:,} GPUs"
    used = f"{share(option.utilisation)} used"
    if option.instances is None:
        return f"{gpus}, {used}"
    if instances_below:
        return f"{gpus}, {used}\nin {instances(option)}"
    return f"{gpus} in {instances(option)}, {used}"


def instances(option: OptionResult) -> str:
    """'1 instance', '9 instances' (a rental billed by the whole instance) or ''."""
    n = option.instances
    return "" if n is None else f"{n:,} instance{'' if n == 1 else 's'}"


def cost_lines(option: OptionResult, currency: str, count: int = 2) -> list[str]:
    """The `count` largest cost lines, e.g. ['GPU rental $110k', 'labour $7.8k'], in one money spelling for every format;
    the largest saving or discount (a negative line) always among them, in place of the last: coding-assistant's
    'Claude Sonnet 5.5 with 15% negotiated discount' read 'output $25.6k, uncached input $21.4k' as the undiscounted
    option beside it did, at $58,924 against $69,323, with nothing saying why."""
    lines = sorted(((k, v) for k, v in option.breakdown.items() if abs(v) >= 0.005), key=lambda kv: -abs(kv[1]))
    items = lines[:count]
    credit = next((kv for kv in lines if kv[1] < 0), None)
    if credit is not None and credit not in items and count > 1:
        items = [*items[: count - 1], credit]
    return [f"{LINE_LABELS.get(k, k)} {short_money(v, currency)}" for k, v in items]


def largest_costs(option: OptionResult, currency: str) -> str:
    """The two largest cost lines, e.g. 'GPU rental $110k, labour $7.8k'."""
    return ", ".join(cost_lines(option, currency))
