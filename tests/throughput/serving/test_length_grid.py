"""Capacity read between the capacity searches at the grid's lengths: the grid, when it is read, and how close."""

from __future__ import annotations

import pytest

from costcalc.analysis.length_capacity import LARGEST_ERROR, LARGEST_ERROR_BOTH
from costcalc.catalog import get_gpu, get_model
from costcalc.throughput.serving.capacity import Targets
from costcalc.throughput.serving.estimated import estimated_capacity
from costcalc.throughput.serving.length_grid import Corners, folded, interpolating, node, nodes_around, position

SLO = Targets(ttft_p95_ms=1500, min_output_tokens_per_s_per_user=25)  # startup-chatbot's


def capacity(input_tokens: float = 1200.0, output_tokens: int = 250, targets: Targets = SLO):
    """gpt-oss-20b on one L40S, as startup-chatbot serves it."""
    return estimated_capacity(
        get_gpu("l40s-48gb"),
        get_model("gpt-oss-20b"),
        engine="vllm",
        input_tokens=(input_tokens,),
        shares=(1.0,),
        output_tokens=output_tokens,
        targets=targets,
    )


def test_the_grid_has_eight_nodes_a_doubling_in_whole_tokens() -> None:
    # round(2^(k/8)): 2^(80/8) = 1024, 2^(81/8) = 1116.7, 2^(82/8) = 1217.75
    assert [node(k) for k in (80, 81, 82, 88)] == [1024, 1117, 1218, 2048]
    assert nodes_around(1200) == (1117, 1218) and nodes_around(1200.5) == (1117, 1218)
    assert nodes_around(1117) is None and nodes_around(2048) is None  # a node is searched
    assert nodes_around(1.5) == (1, 2) and nodes_around(1) is None
    assert nodes_around(14) == (13, 15)  # small nodes: round(2^(30/8)) = 13, round(2^(31/8)) = 15
    assert position(1117, 1117, 1218) == 0 and position(1218, 1117, 1218) == pytest.approx(1)


def test_outside_the_block_every_length_is_searched() -> None:
    cap = capacity(1200.0)
    assert cap.serving is not None and cap.serving.between is None


def test_between_two_nodes_capacity_is_read_from_their_searches_within_the_stated_error() -> None:
    for length in (700.0, 1200.0, 2000.0):
        searched = capacity(length).serving
        with interpolating("input") as record:
            read = capacity(length)
        assert record is not None and record.reads == 1
        assert searched is not None and read.serving is not None and read.serving.between is not None
        low, high = read.serving.between.requests_per_s
        assert min(low, high) * 0.97 < read.serving.requests_per_s < max(low, high) * 1.03
        assert read.serving.requests_per_s == pytest.approx(searched.requests_per_s, rel=LARGEST_ERROR)
        assert read.serving.meets_slo and read.serving.requests_per_s <= read.full_load.requests_per_s
        assert "interpolated between the capacity searches at" in read.serving.summary()


def test_a_node_reads_its_own_search_and_the_output_length_is_interpolated_alike() -> None:
    with interpolating("input") as record:
        at_node = capacity(1117.0)
    assert at_node is capacity(1117.0) and record is not None and record.reads == 0
    with interpolating("output") as record:
        read = capacity(output_tokens=250)  # between 235 and 256
    searched = capacity(output_tokens=250).serving
    assert read.serving is not None and read.serving.between is not None and searched is not None
    assert read.serving.between.lengths == (235, 256) and read.serving.between.along == "output"
    assert read.serving.requests_per_s == pytest.approx(searched.requests_per_s, rel=LARGEST_ERROR)


def test_a_mix_of_prompt_lengths_or_no_target_is_searched() -> None:
    with interpolating("input") as record:
        mixed = estimated_capacity(
            get_gpu("l40s-48gb"),
            get_model("gpt-oss-20b"),
            engine="vllm",
            input_tokens=(1000.0, 1400.0),
            shares=(0.5, 0.5),
            output_tokens=250,
            targets=SLO,
        )
        untargeted = capacity(1200.0, targets=Targets())
    assert record is not None and record.reads == 0
    assert mixed.serving is not None and mixed.serving.between is None
    assert untargeted.serving is not None and untargeted.serving.at is None


def test_where_a_node_misses_the_slo_the_length_is_searched() -> None:
    # a 150 ms TTFT p95: met at 1,117 prompt tokens on this L40S, missed at every load at 1,218 (found by scanning
    # the nodes from 1,024 up)
    tight = Targets(ttft_p95_ms=150)
    low, high = capacity(1117.0, targets=tight).serving, capacity(1218.0, targets=tight).serving
    assert low is not None and high is not None and low.meets_slo and not high.meets_slo
    with interpolating("input") as record:
        read = capacity(1200.0, targets=tight)
    assert record is not None and record.reads == 0
    assert read is capacity(1200.0, targets=tight)  # the search's own, cached


def test_between_two_nodes_that_both_miss_the_slo_capacity_is_read_as_missed() -> None:
    tight = Targets(ttft_p95_ms=150)  # missed at every load at 1,218 and 1,328 prompt tokens
    searched = capacity(1250.0, targets=tight).serving
    with interpolating("input"):
        read = capacity(1250.0, targets=tight).serving
    assert searched is not None and not searched.meets_slo
    assert read is not None and not read.meets_slo and read.between is not None
    assert read.reason == "the SLO is missed at every load at both 1,218 and 1,328 input tokens"
    # the searches' own rates here move by up to 2% between lengths 1% apart (0.497 requests/s at 1,226 tokens, 0.507
    # at 1,234): the read rate lies between the two searches' and near the search at 1,250 (0.4875; read 0.4997)
    low, high = read.between.requests_per_s
    assert high < read.requests_per_s < low and read.requests_per_s == pytest.approx(searched.requests_per_s, rel=0.03)
    assert "cannot meet the SLO: the SLO is missed at every load at both 1,218" in read.summary()


def test_a_length_read_between_again_is_taken_from_the_cache_and_counted_again() -> None:
    # a simulation's samples of a length re-resolve the same whole-token lengths many times
    with interpolating("output") as first:
        once = capacity(1200.0, 263)
    with interpolating("output") as again:
        twice = capacity(1200.0, 263)
    assert once.serving is not None and once.serving.between is not None
    assert twice is once and first is not None and again is not None and first.reads == again.reads == 1


def test_a_pair_of_lengths_between_nodes_of_both_is_read_from_the_four_searches_around_it() -> None:
    searched = capacity(1180.0, 245).serving
    with interpolating("both") as record:
        read = capacity(1180.0, 245)  # 1,117 to 1,218 input tokens by 235 to 256 output tokens
    assert record is not None and record.reads == 1 and searched is not None and read.serving is not None
    between = read.serving.between
    assert isinstance(between, Corners) and between.lengths == (1117, 1218) and between.output_lengths == (235, 256)
    corners = [capacity(float(a), b).serving for a in (1117, 1218) for b in (235, 256)]
    assert between.corners == tuple(c.requests_per_s for c in corners if c is not None)
    assert between.requests_per_s == (min(between.corners), max(between.corners))
    assert read.serving.requests_per_s == pytest.approx(searched.requests_per_s, rel=LARGEST_ERROR_BOTH)
    assert read.serving.meets_slo and read.serving.requests_per_s <= read.full_load.requests_per_s
    assert (
        "interpolated between the capacity searches at 1,117 and 1,218 input tokens by 235 and 256 output tokens ("
        in (read.serving.summary())
    )


def test_a_pair_with_one_length_at_a_node_is_read_along_the_other_as_one_length_alone_is() -> None:
    with interpolating("both") as record:
        prompt_at_node = capacity(1117.0, 245)
        both_at_nodes = capacity(1117.0, 235)
    with interpolating("output"):
        output_alone = capacity(1117.0, 245)
    assert record is not None and record.reads == 1  # the pair of nodes is searched
    assert both_at_nodes is capacity(1117.0, 235) and prompt_at_node == output_alone
    assert prompt_at_node.serving is not None and prompt_at_node.serving.between is not None
    assert prompt_at_node.serving.between.along == "output" and prompt_at_node.serving.between.lengths == (
        235,
        245 + 11,
    )


def test_the_box_is_folded_along_the_output_then_the_prompt_and_its_words_name_all_four_searches() -> None:
    def mix(low: float, high: float, w: float) -> float:
        return low + w * (high - low)

    assert folded([1.0, 3.0], [0.25], mix) == 1.5
    # corners (input low, output low), (low, high), (high, low), (high, high); a quarter along the prompt, half along
    # the output: 2 at the low prompt, 6 at the high, then 3
    assert folded([1.0, 3.0, 5.0, 7.0], [0.25, 0.5], mix) == 3.0
    four = Corners("both", (1117, 1218), (2.0, 2.4), (235, 256), (2.4, 2.3, 2.1, 2.0))
    assert (
        four.missed()
        == "the SLO is missed at every load at all four of 1,117 and 1,218 input tokens by 235 and 256 output tokens"
    )
    assert four.words() == (
        "interpolated between the capacity searches at 1,117 and 1,218 input tokens by 235 and 256 output tokens"
        " (2 to 2.4 requests/s)"
    )
