"""Rendering a costcalc.measure/1 document: JSON round-trips, the table shows every level."""

from __future__ import annotations

import json

import pytest

from costcalc.render.measure import render_json, render_table

STATS = {"mean": 12.5, "p50": 10.0, "p90": 20.0, "p95": 25.0, "p99": 30.0}
EMPTY_STATS = dict.fromkeys(STATS)
DOC = {
    "schema": "costcalc.measure/1",
    "model": "m",
    "base_url": "http://127.0.0.1:1",
    "input_tokens_requested": 8,
    "output_tokens_requested": 4,
    "interrupted": True,
    "levels": [
        {
            "concurrency": 1,
            "requests_completed": 3,
            "requests_failed": 1,
            "errors": {"http_503": 1},
            "error_examples": {"http_503": "overloaded"},
            "duration_s": 1.5,
            "requests_per_s": 2.0,
            "output_tokens_per_s": 8.0,
            "input_tokens_mean": 8.0,
            "output_tokens_mean": 4.0,
            "ttft_ms": STATS,
            "tpot_ms": STATS,
            "itl_ms": STATS,
            "e2e_ms": STATS,
        },
        {
            "concurrency": 64,
            "requests_completed": 0,
            "requests_failed": 2,
            "errors": {"timeout": 2},
            "error_examples": {},
            "duration_s": 3.0,
            "requests_per_s": 0.0,
            "output_tokens_per_s": 0.0,
            "input_tokens_mean": None,
            "output_tokens_mean": None,
            "ttft_ms": EMPTY_STATS,
            "tpot_ms": EMPTY_STATS,
            "itl_ms": EMPTY_STATS,
            "e2e_ms": EMPTY_STATS,
        },
    ],
}


def test_json_round_trips_in_document_order() -> None:
    text = render_json(DOC)
    assert json.loads(text) == DOC
    assert list(json.loads(text)) == list(DOC)
    assert text.endswith("}\n")


def test_table_has_a_row_per_level_and_a_line_per_error() -> None:
    text = render_table(DOC, width=160)
    assert "(interrupted: partial)" in text
    lines = text.splitlines()
    rows = [line.split() for line in lines[lines.index(next(x for x in lines if x.startswith("───"))) + 1 :][:2]]
    # conc, ok, failed, req/s, out tok/s, in tok, out tok, TTFT p50, TTFT p95, TPOT p50, ITL p95, e2e p95
    assert rows[0] == ["1", "3", "1", "2", "8", "8", "4", "10", "25", "10", "25", "25"]
    assert rows[1][:3] == ["64", "0", "2"] and rows[1][5:] == ["-"] * 7
    assert "concurrency 1: 1 x http_503 (overloaded)" in text
    assert "concurrency 64: 2 x timeout\n" in text


@pytest.mark.parametrize("width", [40, 80, 120, 200])
def test_table_fits_the_width_and_keeps_the_key_columns(width: int) -> None:
    text = render_table(DOC, width=width)
    assert max(len(line) for line in text.splitlines()) <= width
    lines = text.splitlines()
    header = lines[lines.index(next(x for x in lines if x.startswith("───"))) - 1].split()
    assert {"conc", "ok", "failed", "tok/s", "p95"} <= set(header)
    assert (width >= 120) == ("in" in header)  # prompt length: dropped on a narrow terminal only
