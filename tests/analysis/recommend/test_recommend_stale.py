"""recommend says when a listed offer is priced past its table's age limit, in report's words (audit19: the README's
recommend block ranked three RTX 5090 configurations on a purchase price as of 2026-01-05 and said nothing)."""

from __future__ import annotations

import datetime as dt

from costcalc.analysis.recommend.assemble import STALE_SHOWN_BY
from costcalc.analysis.recommend.request import Request
from costcalc.analysis.recommend.result import Recommendation
from costcalc.analysis.recommend.run import recommend
from costcalc.analysis.recommend.space import Constraints
from costcalc.resolve.book import PriceSource
from costcalc.scenario.loaders import load_scenario
from tests.analysis.recommend.scenarios import chat

TODAY = dt.date(2026, 12, 7)


def _recommend(limits: Constraints) -> Recommendation:
    request = Request(models=("gpt-oss-20b",), limits=limits, top=1)
    return recommend(load_scenario(chat()), PriceSource(), request, today=TODAY, cache=None).recommendation


def test_a_listed_offer_past_its_age_limit_is_warned_about_with_where_to_read_why() -> None:
    rec = _recommend(Constraints(gpus=("rtx-5090-32gb",), engines=("vllm",), max_gpus=1, acquisition="buy"))
    assert rec.candidates and rec.candidates[0].offer == "nvidia-rtx-5090"
    stale = [w for w in rec.warnings if "older than" in w]
    assert len(stale) == 1, rec.warnings
    # the card's price row and the data-centre table's useful life the purchase is depreciated over
    assert stale[0].startswith("2 prices older than 120 days: nvidia-rtx-5090 (2026-01-05), useful_life_months")
    assert stale[0].endswith(f"; {STALE_SHOWN_BY}")  # recommend shows no price dates: pricing show does
    assert rec.warnings[0] == stale[0]  # first, as in a report


def test_offers_within_their_age_limit_give_no_stale_price_line() -> None:
    rec = _recommend(
        Constraints(gpus=("l40s-48gb",), engines=("vllm",), max_gpus=1, acquisition="rent", providers=("crusoe",))
    )
    assert rec.candidates and rec.candidates[0].offer == "crusoe/l40s-48gb/on-demand"
    assert not [w for w in rec.warnings if "older than" in w], rec.warnings
