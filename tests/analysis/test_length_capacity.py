"""What-ifs over a request length asked to interpolate: capacity read between the grid's searches, and said so."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from costcalc.analysis.length_capacity import (
    LARGEST_ERROR,
    LARGEST_ERROR_BOTH,
    NOTHING_TO_INTERPOLATE,
    interpolated_along,
    interpolation_note,
    searches_hint,
)
from costcalc.api import analyze, load_scenario, simulate, sweep

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "startup-chatbot.yaml"
TODAY = dt.date(2026, 12, 7)


def test_request_lengths_alone_are_interpolated_along() -> None:
    assert interpolated_along(["workload.input_tokens"]) == "input"
    assert interpolated_along(["workload.output_tokens"]) == "output"
    assert interpolated_along(["workload.reasoning_tokens"]) == "output"
    assert interpolated_along(["workload.output_tokens", "workload.reasoning_tokens"]) == "output"  # their sum
    assert interpolated_along(["workload.input_tokens", "workload.output_tokens"]) == "both"
    assert interpolated_along(["workload.reasoning_tokens", "workload.input_tokens"]) == "both"
    assert interpolated_along(["workload.input_tokens", "options[4].hardware.gpus_per_replica"]) is None
    assert interpolated_along(["options[0].model"]) is None and interpolated_along([]) is None


def test_the_note_says_where_and_how_close() -> None:
    assert interpolation_note(["workload.input_tokens"], 38, 40) == (
        "interpolate_lengths: capacity under the SLO at 38 of the 40 values of workload.input_tokens is interpolated"
        f" between capacity searches at lengths 9% apart, within {LARGEST_ERROR:.1%} of a search at each value on the"
        " shipped examples (the others are grid lengths, searched, or lie where the searches either side differ in"
        " kind); near a replica boundary that can move a cost by a whole replica: explore with it, quote `report --set"
        " workload.input_tokens=VALUE` (or the run without it), which searches there"
    )
    every = interpolation_note(["workload.input_tokens"], 9, 9)
    assert "at 9 of the 9 values" in every and "the others" not in every
    assert interpolation_note(["workload.input_tokens"], 0, 3) == (
        "interpolate_lengths: no capacity at the 3 values of workload.input_tokens could be read between searches"
        " (grid lengths, a mix of prompt lengths, no estimated option under a latency target, or searches either side"
        " that differ in kind): each is costed as report --set costs it"
    )


def test_where_the_input_and_output_lengths_vary_together_the_note_says_pairs_and_their_error() -> None:
    both = ["workload.input_tokens", "workload.output_tokens"]
    assert interpolation_note(both, 20, 25) == (
        "interpolate_lengths: capacity under the SLO at 20 of the 25 pairs of values of workload.input_tokens and"
        " workload.output_tokens is interpolated between capacity searches at lengths 9% apart, within"
        f" {LARGEST_ERROR_BOTH:.1%} of a search at each pair on the shipped examples (the others are grid lengths,"
        " searched, or lie where the searches either side differ in kind); near a replica boundary that can move a"
        " cost by a whole replica: explore with it, quote `report --set workload.input_tokens=VALUE --set"
        " workload.output_tokens=VALUE` (or the run without it), which searches there"
    )
    assert interpolation_note(both, 0, 4).startswith(
        "interpolate_lengths: no capacity at the 4 pairs of values of workload.input_tokens and workload.output_tokens"
    )


def _monthly(value: int) -> dict[str, float]:
    result = analyze(EXAMPLE, overrides=[f"workload.input_tokens={value}"], today=TODAY)
    return {o.name: o.monthly_cost for o in result.options}


VALUES = [1117, 1150, 1180, 1218]  # two grid lengths and two between them


def test_a_sweep_asked_to_interpolate_reads_capacity_between_grid_lengths_and_says_so() -> None:
    frame = sweep(
        EXAMPLE, [f"workload.input_tokens={','.join(map(str, VALUES))}"], today=TODAY, interpolate_lengths=True
    )
    assert [w for w in frame.attrs["warnings"] if w.startswith("interpolate_lengths")] == [
        interpolation_note(["workload.input_tokens"], 2, 4)
    ]
    for i, value in enumerate(VALUES):
        for name, cost in _monthly(value).items():
            got = frame[f"monthly_cost[{name}]"].iloc[i]
            if value in (1117, 1218):  # a grid length: the search's own figures, as report --set gives them
                assert got == pytest.approx(cost, rel=1e-12)
            else:
                assert got == pytest.approx(cost, rel=LARGEST_ERROR)


def test_unasked_every_length_is_searched_as_report_does() -> None:
    frame = sweep(EXAMPLE, [f"workload.input_tokens={','.join(map(str, VALUES))}"], today=TODAY)
    assert not [w for w in frame.attrs["warnings"] if "interpolat" in w]
    for i, value in enumerate(VALUES):
        for name, cost in _monthly(value).items():
            assert frame[f"monthly_cost[{name}]"].iloc[i] == pytest.approx(cost, rel=1e-12)


PAIRS = [(1117, 235), (1150, 235), (1117, 245), (1180, 245)]  # the grid's, along one length, and between four


def test_a_sweep_of_the_input_and_output_lengths_together_reads_capacity_between_grid_pairs() -> None:
    frame = sweep(
        EXAMPLE,
        ["workload.input_tokens=1117,1150,1180", "workload.output_tokens=235,245"],
        today=TODAY,
        interpolate_lengths=True,
    )
    assert [w for w in frame.attrs["warnings"] if w.startswith("interpolate_lengths")] == [
        interpolation_note(["workload.input_tokens", "workload.output_tokens"], 5, 6)
    ]
    for inputs, outputs in PAIRS:
        row = frame[(frame["workload.input_tokens"] == inputs) & (frame["workload.output_tokens"] == outputs)]
        result = analyze(
            EXAMPLE, overrides=[f"workload.input_tokens={inputs}", f"workload.output_tokens={outputs}"], today=TODAY
        )
        for option in result.options:
            got = row[f"monthly_cost[{option.name}]"].iloc[0]
            if (inputs, outputs) == (1117, 235):  # a pair of grid lengths: the search's own figures
                assert got == pytest.approx(option.monthly_cost, rel=1e-12)
            else:
                assert got == pytest.approx(option.monthly_cost, rel=LARGEST_ERROR_BOTH)


def test_asked_where_no_length_alone_is_varied_it_says_nothing_was() -> None:
    frame = sweep(EXAMPLE, ["workload.requests_per_day=1000,2000"], today=TODAY, interpolate_lengths=True)
    assert NOTHING_TO_INTERPOLATE in frame.attrs["warnings"]


def test_a_simulation_asked_to_interpolate_a_sampled_output_length_notes_it(tmp_path: Path) -> None:
    text = EXAMPLE.read_text()
    assert "  output_tokens: 250 " in text
    path = tmp_path / "sampled.yaml"
    path.write_text(text.replace("  output_tokens: 250 ", "  output_tokens: {dist: normal, mean: 250, sd: 20}  "))
    sim = simulate(path, samples=200, seed=1, throughput_band=False, today=TODAY, interpolate_lengths=True)
    assert any(n.startswith("interpolate_lengths: capacity under the SLO at ") for n in sim.notes)
    plain = simulate(path, samples=20, seed=1, throughput_band=False, today=TODAY)
    assert not any("interpolat" in n for n in plain.notes)


def test_many_lengths_not_asked_to_interpolate_are_announced_before_the_run() -> None:
    from costcalc.analysis.sweep import sweep as analysis_sweep

    said: list[str] = []
    analysis_sweep(EXAMPLE, ["workload.input_tokens=1000:1010:11"], today=TODAY, notice=said.append)
    assert said == []  # 11 values: searched without a word
    many = {"workload.input_tokens": list(range(1000, 1201))}  # 201 whole values
    hint = searches_hint(load_scenario(EXAMPLE), ["workload.input_tokens"], [many["workload.input_tokens"]])
    assert hint is not None and hint.startswith(
        "201 distinct values of workload.input_tokens: each is a capacity search"
    )
    assert "--interpolate-lengths reads capacity between searches at lengths 9% apart" in hint
    few = list(range(1000, 1200))  # 200 values: no word
    assert searches_hint(load_scenario(EXAMPLE), ["workload.input_tokens"], [few]) is None
    assert searches_hint(load_scenario(EXAMPLE), ["workload.requests_per_day"], [list(range(1000, 1201))]) is None
    both = ["workload.input_tokens", "workload.output_tokens"]
    pairs = searches_hint(load_scenario(EXAMPLE), both, [[1000, 1001] * 101, list(range(200, 402))])
    assert pairs is not None and pairs.startswith(
        "202 distinct pairs of values of workload.input_tokens and workload.output_tokens: each is a capacity search"
    )
    assert searches_hint(load_scenario(EXAMPLE), both, [[1000] * 202, [250, 251] * 101]) is None  # 2 pairs
    # 15 x 15 pairs over 600-2,400 input by 125-500 output tokens: the flag would search at 18 x 18 pairs of grid
    # lengths, more than the 225 pairs themselves: no word (it would not spare searches)
    inputs, outputs = np.repeat(np.linspace(600, 2400, 15), 15), np.tile(np.linspace(125, 500, 15), 15)
    assert searches_hint(load_scenario(EXAMPLE), both, [inputs, outputs]) is None
