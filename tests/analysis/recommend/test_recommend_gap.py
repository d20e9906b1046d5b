"""recommend's 'vs best API' and its verdict read as the figures beside them subtract: $917 against GPT-6 Luna's
$232 is '+$685' (qa9: '+$684', the difference of the unrounded $916.54 and $232.38)."""

from __future__ import annotations

import datetime as dt

import pytest

from costcalc.analysis.recommend.request import Request
from costcalc.analysis.recommend.run import recommend
from costcalc.analysis.recommend.space import Constraints
from costcalc.render import recommend_html, recommend_markdown, recommend_table
from costcalc.resolve.book import PriceSource
from costcalc.scenario.loaders import load_scenario
from tests.analysis.recommend.scenarios import TODAY, chat


@pytest.fixture(scope="module")
def rec():  # type: ignore[no-untyped-def]
    limits = Constraints(gpus=("l4-24gb", "l40s-48gb"), engines=("vllm",), max_gpus=2, acquisition="rent")
    request = Request(models=("gpt-oss-20b",), limits=limits, top=1)
    return recommend(load_scenario(chat()), PriceSource(), request, today=dt.date.fromisoformat(TODAY), cache=None)


@pytest.mark.parametrize("fmt", ["table", "markdown", "html"])
def test_the_gap_cell_is_the_difference_of_the_shown_costs(rec, fmt: str) -> None:  # type: ignore[no-untyped-def]
    r = rec.recommendation
    top = r.candidates[0]
    moved = top.model_copy(update={"monthly_cost": 916.542, "gap_to_cheapest_api": 916.542 - 232.383})
    text = {
        "table": lambda x: recommend_table.render(x, width=200),
        "markdown": recommend_markdown.render,
        "html": recommend_html.render,
    }[fmt](r.model_copy(update={"candidates": (moved,)}))
    assert "+$685" in text and "+$684" not in text


def test_the_verdict_says_the_difference_of_its_own_figures(rec) -> None:  # type: ignore[no-untyped-def]
    """'at $917/month ...; Cheapest API: ... at $232/month; self-hosting costs $685 a month more' (was $684)."""
    from costcalc.analysis.recommend.verdict import verdict
    from costcalc.api import analyze

    result = analyze(chat(), today=dt.date.fromisoformat(TODAY))
    api = next(o for o in result.options if o.kind == "api").model_copy(update={"monthly_cost": 232.383})
    top = rec.recommendation.candidates[0].model_copy(update={"monthly_cost": 916.542})
    lines = verdict([top], api, None, result, "USD", 1e9, (1000, 250)).lines
    assert "at $917/month" in lines[0]
    line = next(x for x in lines if x.startswith("Cheapest API"))
    assert "at $232/month; self-hosting costs $685 a month more." in line, line
