"""Each option's assumptions give the unit prices the engine bills with, so a finance lead checks a cost line without a
second command: per-token rates, seat price, GPU-hour rate (with the month's GPU-hours), purchase price; each with the
row it comes from (before, only the row's id, date and source: the figures needed `costcalc pricing show ID`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from costcalc.api import analyze
from costcalc.pricing.tables import shipped
from tests.support.currency_scenario import TEST_PER_USD, api_vs_rented

ROOT = Path(__file__).resolve().parents[2]
TODAY = "2026-12-06"


def _line(said: tuple[str, ...], start: str) -> str:
    found = [a for a in said if a.startswith(start)]
    assert len(found) == 1, (start, said)
    return found[0]


def test_the_readme_examples_unit_prices_are_its_rows() -> None:
    result = analyze(ROOT / "examples/startup-chatbot.yaml", today=TODAY)
    said = result.assumptions
    assert _line(said, "GPT-6 Luna: per 1M tokens ") == (
        "GPT-6 Luna: per 1M tokens $0.10 input, $0.01 cached input, $0.50 output (api openai/gpt-6-luna@2026-10-14)"
    )
    rental = next(r for r in shipped("rental") if r.id == "lambda/1x-h100-sxm/on-demand")
    line = _line(said, "gpt-oss-120b on a rented H100: GPU rental ")
    billed = result.option("gpt-oss-120b on a rented H100").breakdown["gpu_rental"]
    assert line == (
        f"gpt-oss-120b on a rented H100: GPU rental ${billed:,.0f} a month = 730 GPU-hours at"
        f" ${rental.usd_per_gpu_hour:.2f} per GPU-hour (rental lambda/1x-h100-sxm/on-demand)"
    )


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_option_has_its_unit_price_and_rentals_multiply_out(path: Path) -> None:
    result = analyze(path, today=TODAY)
    for o in result.options:
        heads = {"api": ("per 1M tokens ",), "subscription": (f"{o.seats or 0:,.0f} seats at ",)}.get(
            o.kind, ("GPU rental ", "rented at ", "bought at ", "leased at ")
        )
        found = [a for a in result.assumptions if a.startswith(tuple(f"{o.name}: {h}" for h in heads))]
        assert len(found) == 1, (o.name, found)
        line = found[0]
        if o.kind == "self_hosted" and (m := re.search(r"= ([\d,]+) GPU-hours at \$([\d.]+) per GPU-hour", line)):
            hours, rate = float(m[1].replace(",", "")), float(m[2])
            assert hours * rate == pytest.approx(o.breakdown["gpu_rental"], rel=0.01), line


def test_a_rental_in_euros_and_a_given_rate() -> None:
    result = analyze(api_vs_rented("Euro rental", "EUR", hourly_usd=2.0), today=TODAY)
    line = _line(result.assumptions, "Rented: GPU rental ")
    assert line.endswith(f"GPU-hours at €{2.0 * TEST_PER_USD:.2f} per GPU-hour (as given)"), line


def test_seats_and_bought_hardware() -> None:
    result = analyze(ROOT / "examples/internal-assistant.yaml", today=TODAY)
    said = result.assumptions
    business = next(r for r in shipped("seats") if r.id == "openai/chatgpt-business")
    assert (  # the plan's usage cap as published beside its price (no number: words), or that none is recorded
        "ChatGPT Business seats: 2,000 seats at $20.00 a seat a month (seats openai/chatgpt-business); usage cap as"
        f" published: '{business.usage_cap}'" in said
    )
    assert (
        "Microsoft 365 Copilot seats: 2,000 seats at $30.00 a seat a month (seats microsoft/m365-copilot); no usage cap"
        " recorded" in said
    )
    server = next(r for r in shipped("hardware") if r.id == "hgx-h100-8gpu-server-2026")
    assert (
        f"Llama 3.3 70B on owned H100s: bought at ${server.price_usd:,.0f} a server (hardware hgx-h100-8gpu-server-2026)"
        in said
    )


def test_instance_hours_multiply_out_to_the_rental() -> None:
    """nightly-batch's night instances said '182 instance-hours in the month' beside a rental of 1,460 GPU-hours
    (182.5 x 8): the half hour was rounded away (to even)."""
    result = analyze(ROOT / "examples/nightly-batch.yaml", today=TODAY)
    line = _line(result.assumptions, "Rented H100s only at night: month 1 bills ")
    hours = float(re.search(r"; ([\d,.]+) instance-hours in the month", line)[1].replace(",", ""))  # type: ignore[index]
    rental = next(r for r in shipped("rental") if r.id == "lambda/8x-h100-sxm/on-demand")
    billed = result.option("Rented H100s only at night").breakdown["gpu_rental"]
    assert hours * 8 * rental.usd_per_gpu_hour == pytest.approx(billed), line


def test_a_card_bought_by_the_gpu_reads_a_gpu() -> None:
    """support-assistant's owned H100 cards read 'bought at $30,000 a gpu'."""
    result = analyze(ROOT / "examples/ci/scenarios/support-assistant.yaml", today=TODAY)
    card = next(r for r in shipped("hardware") if r.id == "nvidia-h100-sxm-80gb")
    line = f"gpt-oss-120b on owned H100s: bought at ${card.price_usd:,.0f} a GPU (hardware nvidia-h100-sxm-80gb)"
    assert line in result.assumptions


def test_every_tier_price_the_bill_uses_is_in_the_line() -> None:
    """A long-context tier and off-peak hours bill cache reads and writes at their own prices: the line gives them,
    as the bill fills them in (before, 'above 272,000 input tokens $4.00 input, $15.00 output' left out the $0.20
    cached input and $5.00 cache writes that coding-assistant's 300,000-token prompts pay, 85% of them cached, and
    DeepSeek's off-peak line the $0.003 its cached input pays)."""
    sol = next(r for r in shipped("api") if r.id == "openai/gpt-6.1-sol@2026-10-14")
    assert sol.long_context_cached_input_usd_per_mtok == 0.2 and sol.cache_write_30m_usd_per_mtok == 2.5
    said = analyze(ROOT / "examples/coding-assistant.yaml", today=TODAY).assumptions
    assert _line(said, "GPT-6.1 Sol: per 1M tokens ") == (
        "GPT-6.1 Sol: per 1M tokens $2.00 input, $0.10 cached input, $2.50 cache writes, $10.00 output, above 272,000"
        " input tokens $4.00 input, $0.20 cached input, $5.00 cache writes, $15.00 output (api"
        " openai/gpt-6.1-sol@2026-10-14)"
    )
    flash = next(r for r in shipped("api") if r.id == "deepseek/deepseek-flash")
    assert flash.off_peak_cached_input_usd_per_mtok in (None, 0.003), "the row's own price, or half of $0.006"
    said = analyze(ROOT / "examples/internal-assistant.yaml", today=TODAY).assumptions
    assert _line(said, "DeepSeek V4 Flash API: per 1M tokens ") == (
        "DeepSeek V4 Flash API: per 1M tokens $0.30 input, $0.006 cached input, $1.20 output, off-peak $0.15 input,"
        " $0.003 cached input, $0.60 output (api deepseek/deepseek-flash)"
    )
