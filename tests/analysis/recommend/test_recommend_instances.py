"""recommend's sizing says a rental's whole instances and a purchase's whole servers, read from the Result it
costed its candidates in (the number `report` shows for the same option), in every format."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import costcalc
from costcalc.analysis.recommend.request import Request
from costcalc.analysis.recommend.run import Outcome, recommend
from costcalc.analysis.recommend.space import Constraints
from costcalc.render import recommend_cells, recommend_json, recommend_markdown, recommend_table
from costcalc.resolve.book import PriceSource
from costcalc.scenario.loaders import load_scenario
from tests.analysis.recommend.scenarios import TODAY, chat

DAY = dt.date.fromisoformat(TODAY)


@pytest.fixture(scope="module")
def outcome() -> Outcome:
    """gpt-oss-20b on 1 L40S a replica, under every L40S offer: 1-GPU offers (by the GPU) and 4- and 8-GPU
    instances (whole instances)."""
    limits = Constraints(gpus=("l40s-48gb",), engines=("vllm",), max_gpus=1, acquisition="rent")
    request = Request(models=("gpt-oss-20b",), limits=limits, top=40, exhaustive=True)
    return recommend(load_scenario(chat()), PriceSource(), request, today=DAY, cache=None)


def test_each_candidates_instances_are_what_report_bills(outcome: Outcome) -> None:
    cands = outcome.recommendation.candidates
    doc, _ = outcome.scenario_doc(top=len(cands))
    result = costcalc.analyze(doc, today=DAY)
    by_name = {c.name: c for c in cands}
    for name, c in by_name.items():
        assert c.instances == result.option(name).instances, name
    multi = [c for c in cands if c.instances is not None]
    assert multi and any(c.instances is None for c in cands), "the slice should hold both kinds of offer"
    for c in multi:  # 1-GPU replicas packed into the instance: at least one, and no more than the GPUs
        assert 1 <= c.instances <= c.gpus


def test_every_format_says_the_instances(outcome: Outcome) -> None:
    rec = outcome.recommendation
    c = next(c for c in rec.candidates if c.instances is not None)
    shown = c.model_copy(
        update={"instances": 7, "rank": 1}
    )  # a renderer counting them itself would show another number
    rec = rec.model_copy(update={"candidates": (shown,), "pareto": ()})
    assert recommend_cells.sizing(shown) == f"{c.replicas} / {c.gpus} / {c.utilisation:.0%} in 7 instances"
    assert f"| {c.replicas} / {c.gpus} / {c.utilisation:.0%} in 7 instances |" in recommend_markdown.render(rec)
    assert json.loads(recommend_json.render(rec))["candidates"][0]["instances"] == 7
    lines = recommend_table.render(rec, width=200).splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("1 "))
    column = lines[row].index(f"{c.replicas} / {c.gpus} / ")
    assert lines[row + 1][column:].startswith("in 7 instances")  # on a line of its own, as report's Sizing


def test_a_per_gpu_rental_says_no_instances(outcome: Outcome) -> None:
    c = next(c for c in outcome.recommendation.candidates if c.instances is None)
    assert recommend_cells.sizing(c) == f"{c.replicas} / {c.gpus} / {c.utilisation:.0%}"


def test_the_headline_gives_the_peak_to_three_figures(outcome: Outcome) -> None:
    # a peak derived from a 24-hour load profile is a long float (2.1401369...); the headline is read, not parsed
    rec = outcome.recommendation
    rec = rec.model_copy(update={"workload": rec.workload.model_copy(update={"peak_to_average": 2.140136986})})
    assert " · peak 2.14x mean · " in recommend_table.headline(rec)[1]


@pytest.fixture(scope="module")
def bought() -> Outcome:
    """gpt-oss-20b on 1 H100 a replica, bought: the single card (nvidia-h100-sxm-80gb) and the 8-GPU servers."""
    limits = Constraints(gpus=("h100-sxm-80gb",), engines=("vllm",), max_gpus=1, acquisition="buy")
    request = Request(models=("gpt-oss-20b",), limits=limits, top=40, exhaustive=True)
    return recommend(load_scenario(chat()), PriceSource(), request, today=DAY, cache=None)


def test_a_bought_servers_count_is_what_report_buys(bought: Outcome) -> None:
    """A purchase of an 8-GPU server shows its servers (as report counts them), a card bought by itself none: its
    'servers' would be its GPUs (the Result counts 1-GPU units as servers)."""
    cands = bought.recommendation.candidates
    doc, _ = bought.scenario_doc(top=len(cands))
    result = costcalc.analyze(doc, today=DAY)
    servers = [c for c in cands if c.servers is not None]
    cards = [c for c in cands if c.offer == "nvidia-h100-sxm-80gb"]
    assert servers and cards, "the slice should hold both kinds of purchase"
    for c in servers:
        assert c.servers == result.option(c.name).servers and 1 <= c.servers <= c.gpus, c.name
        assert recommend_cells.sizing(c).endswith(f" in {c.servers} server{'' if c.servers == 1 else 's'}")
    for c in cards:
        assert c.servers is None and recommend_cells.sizing(c) == f"{c.replicas} / {c.gpus} / {c.utilisation:.0%}"


def test_every_format_says_the_servers(bought: Outcome) -> None:
    rec = bought.recommendation
    c = next(c for c in rec.candidates if c.servers is not None)
    shown = c.model_copy(update={"servers": 3, "rank": 1})  # a renderer counting them itself would show another
    rec = rec.model_copy(update={"candidates": (shown,), "pareto": ()})
    assert f"| {c.replicas} / {c.gpus} / {c.utilisation:.0%} in 3 servers |" in recommend_markdown.render(rec)
    assert json.loads(recommend_json.render(rec))["candidates"][0]["servers"] == 3
    lines = recommend_table.render(rec, width=200).splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("1 "))
    column = lines[row].index(f"{c.replicas} / {c.gpus} / ")
    assert lines[row + 1][column:].startswith("in 3 servers")


@pytest.fixture(scope="module")
def desks() -> Outcome:
    """gpt-oss-20b bought on workstations (a DGX Spark, a Mac Studio), one a replica; power from the scenario's
    option of the model (the catalog has no idle power for either)."""
    scenario = chat()
    scenario["options"][2]["power"] = {"max_w_per_gpu": 270, "idle_w_per_gpu": 10}
    limits = Constraints(gpus=("dgx-spark-gb10", "apple-m3-ultra"), engines=("llamacpp",), acquisition="buy")
    request = Request(models=("gpt-oss-20b",), limits=limits, top=40, exhaustive=True)
    return recommend(load_scenario(scenario), PriceSource(), request, today=DAY, cache=None)


def test_a_bought_workstation_is_counted_in_workstations_not_servers(desks: Outcome) -> None:
    """Three DGX Sparks said 'in 3 servers'; they are workstations, as report counts them."""
    cands = desks.recommendation.candidates
    doc, _ = desks.scenario_doc(top=len(cands))
    result = costcalc.analyze(doc, today=DAY)
    assert {c.offer for c in cands} == {"nvidia-dgx-spark", "apple-mac-studio-m3-ultra"}
    for c in cands:
        assert c.servers is None and c.workstations == result.option(c.name).workstations, c.name
        assert c.workstations is not None and c.workstations >= c.replicas, c.name
        plural = "" if c.workstations == 1 else "s"
        assert recommend_cells.sizing(c).endswith(f" in {c.workstations} workstation{plural}"), c.name


def test_every_format_says_the_workstations(desks: Outcome) -> None:
    rec = desks.recommendation
    c = rec.candidates[0]
    shown = c.model_copy(update={"workstations": 3, "rank": 1})  # a renderer counting them itself would show another
    rec = rec.model_copy(update={"candidates": (shown,), "pareto": ()})
    assert f"| {c.replicas} / {c.gpus} / {c.utilisation:.0%} in 3 workstations |" in recommend_markdown.render(rec)
    doc = json.loads(recommend_json.render(rec))
    assert doc["schema_version"] == "1.8"
    assert (doc["candidates"][0]["workstations"], doc["candidates"][0]["servers"]) == (3, None)
    lines = recommend_table.render(rec, width=200).splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("1 "))
    column = lines[row].index(f"{c.replicas} / {c.gpus} / ")
    assert lines[row + 1][column:].startswith("in 3 workstations")
    assert "in 3 servers" not in "\n".join(lines)
