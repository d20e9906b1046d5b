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
from costcalc.report.run_evidence import beyond_words
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
    assert rec.to_dict()["schema_version"] == "1.8"


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


def test_the_nearest_runs_cell_says_the_runs_precision_where_none_ran_the_candidates() -> None:
    """qa21 finding 2: an fp8 Qwen3 32B on an H100 read "exact: 5" where its 5 runs are bf16 (its verdict line said
    "of qwen3-32b at bf16"); the cell now says it as the words do, from the level's other_precision (JSON 1.8)."""
    from costcalc.render import recommend_csv, recommend_markdown

    scenario = chat()
    scenario["options"][2] |= {
        "model": "qwen3-32b",
        "hardware": {"gpu": "h100-sxm-80gb", "acquisition": "rent", "hourly_usd": 2.5},
    }
    limits = Constraints(gpus=("h100-sxm-80gb",), engines=("vllm",), max_gpus=1, precisions=("fp8", "bf16"))
    request = Request(models=("qwen3-32b",), limits=limits, top=20)
    found = recommend(load_scenario(scenario), PriceSource(), request, today=dt.date.fromisoformat(TODAY), cache=None)
    rec = found.recommendation
    by_precision = {c.precision: c for c in rec.candidates}
    fp8, bf16 = (by_precision[p].throughput.published_runs for p in ("fp8", "bf16"))
    assert fp8 is not None and bf16 is not None and fp8.exact
    level = fp8.levels[0]
    assert (level.match, level.other_precision, bf16.levels[0].other_precision) == ("gpu_engine_model", "bf16", None)
    assert f"| exact at bf16: {level.runs} |" in recommend_markdown.render(rec)
    assert f"| exact: {level.runs} |" in recommend_markdown.render(rec)  # the bf16 candidate: runs of its own
    rows = {r["precision"]: r for r in csv.DictReader(io.StringIO(recommend_csv.render(rec)))}
    assert rows["fp8"]["published_runs_nearest"] == f"exact at bf16: {level.runs}"
    # qa21 finding 14: the CSV kept the summary ('5 published runs ... measured 0.46x-0.80x') where report -f csv and
    # the verdict say the runs lie below the range: now the same words from the same function
    said = beyond_words(fp8, by_precision["fp8"].throughput.allowed_range())
    assert said.startswith(
        f"{level.runs} of {level.runs} published runs of qwen3-32b at bf16 with vllm on h100-sxm-80gb"
    )
    assert rows["fp8"]["published_runs_summary"] == said
    assert rec.verdict.lines[1].startswith(f"Published runs: {said}")
    candidates = rec.to_dict()["candidates"]
    assert {c["throughput"]["published_runs"]["levels"][0]["other_precision"] for c in candidates} == {"bf16", None}


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


def test_a_cell_naming_its_runs_precisions_wraps_rather_than_push_columns_out(rec: Recommendation) -> None:
    """internal-assistant's recommend at 120 columns kept "Nearest runs" and "vs seats" with "model+engine: 11"; its
    "model+engine at bf16 or fp8: 11" dropped both. The cell wraps at spaces onto the offer's line instead."""
    from costcalc.render import recommend_table

    def table(precision: str | None) -> str:
        cands = []
        for c in rec.candidates:
            runs = c.throughput.published_runs
            assert runs is not None
            levels = (runs.levels[0].model_copy(update={"other_precision": precision}), *runs.levels[1:])
            throughput = c.throughput.model_copy(update={"published_runs": runs.model_copy(update={"levels": levels})})
            cands.append(c.model_copy(update={"throughput": throughput}))
        return recommend_table.candidates_table(tuple(cands), "USD", 120, title="t", color=False)

    plain, long = table(None), table("bf16 or fp8")
    assert "model+engine at bf16 or fp8" not in long and "model+engine at" in long and "bf16 or fp8: " in long
    assert plain.split("─")[0].split() == long.split("─")[0].split()  # the same columns shown
    assert len(plain.splitlines()) == len(long.splitlines())  # on the offer's line: no row grows
