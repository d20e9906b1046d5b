"""Peer check: costcalc bills a standard request like genai-prices' own calc_price for every row both price."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from costcalc.engine.api import api_cost_lines_per_request
from costcalc.engine.shape import RequestShape
from costcalc.models import ApiOption, Workload
from costcalc.pricing.book import PriceBook
from costcalc.pricing.build.genai import VARIANT_TIERS
from costcalc.pricing.build.pins import GENAI_PRICES
from costcalc.pricing.schema import ApiPrice
from costcalc.pricing.tables import read_csv
from costcalc.resolve.prices import api_rates

genai_prices = pytest.importorskip("genai_prices")  # a test dependency (pyproject [test])

PRICING = Path(__file__).resolve().parents[2] / "pricing"
TOLERANCE = 0.01
# A standard request: 2,000 input tokens, half of them cache reads, 500 output tokens
SHAPE = RequestShape(buckets=((2000.0, 1.0),), output_tokens=500.0, cached_input_share=0.5)
WORKLOAD = Workload(requests_per_day=1, input_tokens=2000, output_tokens=500, cached_input_share=0.5)
PEAK_HOUR = dt.time(8, 0, tzinfo=dt.UTC)  # DeepSeek's standard price applies on weekdays 06:00-10:00 UTC


def _selection() -> dict[str, dict[str, str]]:
    with (PRICING / "build" / "selection.csv").open(encoding="utf-8") as fh:
        return {line["id"]: line for line in csv.DictReader(fh)}


def _weekday_in(row: ApiPrice) -> dt.date:
    """A weekday on which the row applies: its first day, else its last, else the table's build date."""
    day = row.valid_from or row.valid_until or dt.date(2026, 11, 20)
    step = -1 if row.valid_until is not None and day == row.valid_until else 1
    while day.weekday() >= 5:
        day += dt.timedelta(days=step)
    return day


def _pairs() -> list[tuple[ApiPrice, str]]:
    """(shipped row, genai-prices entry) for every row genai-prices also prices."""
    lines = _selection()
    rows = [r for r in read_csv("api", PRICING / "api.csv") if isinstance(r, ApiPrice)]
    return [(r, lines[r.series]["genai_prices"]) for r in rows if lines.get(r.series, {}).get("genai_prices")]


def costcalc_usd(row: ApiPrice, day: dt.date, tier: str = "standard") -> float:
    """costcalc's bill for the standard request, through the same lookup and engine a report uses."""
    book = PriceBook(on=day)
    book.add("api", [row], "shipped")
    option = ApiOption(name="peer", kind="api", model=row.series, off_peak_share=0, service_tier=tier)
    rates, _, _ = api_rates(option, book, WORKLOAD)
    return float(sum(api_cost_lines_per_request(rates, SHAPE).values()))


def _genai_model(entry: str) -> tuple[object, object]:
    from genai_prices.data import providers

    provider_id, ref = entry.split("/", 1)
    provider = next(p for p in providers if p.id == provider_id)
    model = next((m for m in provider.models if m.id == ref), None) or provider.find_model(ref)
    assert model is not None, entry
    return provider, model


def _genai_has_tier(entry: str, tier: str) -> bool:
    """Whether genai-prices itself prices the tier (else the build took it from litellm, and the row says so)."""
    _, model = _genai_model(entry)
    whens = [v.when for v in model.price_variants or ()]  # type: ignore[attr-defined]
    return any(c in whens for c in VARIANT_TIERS[tier])


def genai_usd(entry: str, day: dt.date, tier: str = "standard") -> float:
    """genai-prices' own calc_price for the standard request at 08:00 UTC that day, in the tier's request context."""
    provider, model = _genai_model(entry)
    usage = genai_prices.Usage(input_tokens=2000, cache_read_tokens=1000, output_tokens=500)
    at = dt.datetime.combine(day, PEAK_HOUR)
    context = None
    if tier != "standard":  # the context the build read the tier from: priority, else fast
        whens = [v.when for v in model.price_variants or ()]  # type: ignore[attr-defined]
        context = next(c for c in VARIANT_TIERS[tier] if c in whens)
    price = model.calc_price(usage, provider, genai_request_timestamp=at, price_context=context)  # type: ignore[attr-defined]
    return float(price.total_price)


def test_the_installed_genai_prices_is_the_pinned_release() -> None:
    assert genai_prices.__version__ == GENAI_PRICES.version


def test_every_row_genai_prices_also_prices_bills_the_same_within_1_percent() -> None:
    lines = _selection()
    pairs = _pairs()
    agree, differ = [], []
    for row, entry in pairs:
        day = _weekday_in(row)
        ours, theirs = costcalc_usd(row, day), genai_usd(entry, day)
        (agree if abs(ours - theirs) <= TOLERANCE * theirs else differ).append((row.id, ours, theirs))
    # the only rows allowed to differ are those the selection ships from litellm instead, with a reason
    chosen_otherwise = {i for i, line in lines.items() if line["primary"] == "litellm" and line["note"]}
    unexplained = [d for d in differ if d[0].split("@")[0] not in chosen_otherwise]
    assert unexplained == []
    assert len(pairs) >= 300 and len(agree) / len(pairs) >= 0.99, (len(agree), len(pairs))


@pytest.mark.parametrize("tier", ["flex", "priority"])
def test_every_tier_row_genai_prices_also_prices_bills_the_same_within_1_percent(tier: str) -> None:
    with_tier = [(r, e) for r, e in _pairs() if getattr(r, f"{tier}_input_usd_per_mtok") is not None]
    pairs = [(r, e) for r, e in with_tier if _genai_has_tier(e, tier)]
    # the others got the tier from litellm at the same standard price, and their notes name it
    taken = [r.notes or "" for r, e in with_tier if (r, e) not in pairs]
    assert all(
        " prices from litellm" in note and tier in note.split(" prices from litellm")[0].split("; ")[-1]
        for note in taken
    ), taken
    differ = []
    for row, entry in pairs:
        day = _weekday_in(row)
        ours, theirs = costcalc_usd(row, day, tier), genai_usd(entry, day, tier)
        if abs(ours - theirs) > TOLERANCE * theirs:
            differ.append((row.id, ours, theirs))
    assert len(pairs) >= 20 and differ == [], differ


def test_the_tier_check_catches_a_wrong_cached_price() -> None:
    row, entry = next((r, e) for r, e in _pairs() if r.series == "openai/gpt-6-luna" and r.valid_from)
    day = _weekday_in(row)
    wrong = ApiPrice.model_validate(row.model_dump() | {"flex_cached_input_usd_per_mtok": 0.05})
    theirs = genai_usd(entry, day, "flex")
    assert abs(costcalc_usd(row, day, "flex") - theirs) <= TOLERANCE * theirs
    assert abs(costcalc_usd(wrong, day, "flex") - theirs) > TOLERANCE * theirs


def test_the_check_catches_a_wrong_price() -> None:
    row, entry = next((r, e) for r, e in _pairs() if r.series == "google/gemini-3.6-flash" and r.valid_from)
    day = _weekday_in(row)
    wrong = ApiPrice.model_validate(row.model_dump() | {"output_usd_per_mtok": row.output_usd_per_mtok * 1.05})
    theirs = genai_usd(entry, day)
    assert abs(costcalc_usd(row, day) - theirs) <= TOLERANCE * theirs
    assert abs(costcalc_usd(wrong, day) - theirs) > TOLERANCE * theirs
