"""recommend says for its cheapest configuration whether anyone has measured it (analysis/published_runs.py), and
each candidate's JSON carries the published runs nearest it: before, recommend ranked an RTX 5090 with TensorRT-LLM
first with nothing but a band behind its capacity, though no published run of TensorRT-LLM on an RTX 5090 exists."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from costcalc.analysis.recommend.request import Request
from costcalc.analysis.recommend.result import Recommendation
from costcalc.analysis.recommend.run import recommend
from costcalc.analysis.recommend.space import Constraints
from costcalc.resolve.book import PriceSource
from costcalc.scenario.loaders import load_scenario
from tests.analysis.recommend.scenarios import TODAY, chat


@pytest.fixture(scope="module")
def rec() -> Recommendation:
    limits = Constraints(gpus=("l40s-48gb",), engines=("vllm",), max_gpus=1, acquisition="rent")
    request = Request(models=("gpt-oss-20b",), limits=limits, top=2)
    return recommend(
        load_scenario(chat()), PriceSource(), request, today=dt.date.fromisoformat(TODAY), cache=None
    ).recommendation


def test_the_verdict_says_the_published_runs_nearest_the_cheapest(rec: Recommendation) -> None:
    top = rec.candidates[0]
    runs = top.throughput.published_runs
    assert runs is not None and not runs.exact
    assert runs.summary.startswith("no published run of vllm on l40s-48gb; nearest: gpt-oss-20b with vllm on other")
    assert rec.verdict.lines[1] == f"Published runs: {runs.summary}."
    every = rec.to_dict()["candidates"]
    assert all(c["throughput"]["published_runs"]["summary"] for c in every)
    assert rec.to_dict()["schema_version"] == "1.7"


def test_each_format_says_what_the_nearest_runs_share_with_each_candidate(rec: Recommendation) -> None:
    from costcalc.render import recommend_csv, recommend_html, recommend_markdown, recommend_table

    level = rec.candidates[0].throughput.published_runs.levels[0]  # type: ignore[union-attr]
    cell = f"model+engine: {level.runs}"  # gpt-oss-20b with vllm ran on other GPUs, never on an L40S
    assert level.match == "model_engine"
    markdown = recommend_markdown.render(rec)
    assert "| Basis | Nearest runs | vs cheapest API |" in markdown and f"| {cell} |" in markdown
    assert f"<td data-label='Nearest runs'>{cell}</td>" in recommend_html.render(rec)
    first = next(csv.DictReader(io.StringIO(recommend_csv.render(rec))))
    assert first["published_runs_nearest"] == cell
    assert first["published_runs_summary"] == rec.candidates[0].throughput.published_runs.summary  # type: ignore[union-attr]
    table = recommend_table.candidates_table(rec.candidates, "USD", 200, title="t", color=False)
    assert "Nearest runs" in table and cell in table


def test_a_narrower_table_keeps_the_nearest_runs_before_the_sizing(rec: Recommendation) -> None:
    """Which candidates rest on runs of their own configuration is what a tie's reader weighs; the replicas, GPUs and
    utilisation of the cheapest are in the verdict. The sizing column now gives way first (the nearest runs used to,
    gone below 140 columns on the README's chatbot)."""
    from costcalc.render import recommend_table

    def shown(width: int) -> str:
        """The table's column headers at `width` (the lines above its rule)."""
        text = recommend_table.candidates_table(rec.candidates, "USD", width, title="t", color=False)
        return " ".join(text.split("─")[0].split())

    assert "Nearest runs" in shown(200) and "Repl./GPUs/util." in shown(200)
    sizing_gone = [w for w in range(60, 200) if "Repl./GPUs/util." not in shown(w)]
    runs_gone = [w for w in range(60, 200) if "Nearest runs" not in shown(w)]
    assert runs_gone and max(runs_gone) < max(sizing_gone)  # the sizing gives way at wider terminals
