"""The recommend tables name a configuration as the verdict and the written scenario do."""

from __future__ import annotations

import datetime as dt

import pytest

from costcalc.analysis.recommend.request import Request
from costcalc.analysis.recommend.result import Recommendation
from costcalc.analysis.recommend.run import recommend
from costcalc.analysis.recommend.space import Constraints
from costcalc.render import recommend_cells, recommend_markdown, recommend_table
from costcalc.resolve.book import PriceSource
from costcalc.scenario.loaders import load_scenario
from tests.analysis.recommend.scenarios import TODAY, chat


@pytest.fixture(scope="module")
def rec() -> Recommendation:
    limits = Constraints(gpus=("l40s-48gb",), engines=("vllm",), max_gpus=1, acquisition="rent")
    request = Request(models=("gpt-oss-20b",), limits=limits, top=3)
    scenario = load_scenario(chat())
    return recommend(scenario, PriceSource(), request, today=dt.date.fromisoformat(TODAY), cache=None).recommendation


def test_the_tables_configuration_reads_as_the_verdicts_name(rec: Recommendation) -> None:
    # polish23: the verdict said 'gpt-oss-20b · 1x rtx-5090-32gb · trtllm mxfp4 · nvidia-rtx-5090' (the option name
    # --write-scenario writes) over a table row 'gpt-oss-20b mxfp4 · 1x rtx-5090-32gb · trtllm': two orders for one
    # configuration; the table, markdown and HTML now say it in the name's order, the offer after it
    top = rec.candidates[0]
    cell = recommend_cells.configuration(top)
    assert top.name == f"{cell} · {top.offer}"
    assert f"Cheapest self-hosted: {cell} · {top.offer} at " in rec.verdict.lines[0]
    assert cell in recommend_table.render(rec, width=160) and cell in recommend_markdown.render(rec)
