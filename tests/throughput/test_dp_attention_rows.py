"""The calibration rows whose notes give SGLang's data-parallel attention flags state them in engine_args."""

from __future__ import annotations

import csv

from costcalc.throughput.calibration import CALIBRATION_CSV
from costcalc.throughput.serving.scheduler import parse_server_args


def _ranks(text: str, version: str | None) -> int:
    return parse_server_args("sglang", text).attention_ranks(8, version)


def test_calibration_rows_state_the_flags_their_notes_give():
    with open(CALIBRATION_CSV, newline="") as fh:
        rows = {r["case_id"]: r for r in csv.DictReader(fh)}
    for case in ("tp-292", "tp-293", "tp-294", "tp-295", "tp-296"):
        assert "--enable-dp-attention --dp 8" in rows[case]["notes"]
        assert _ranks(rows[case]["engine_args"], rows[case]["engine_version"]) == 8
    # notes with --enable-dp-attention but no --dp: SGLang ran tensor-parallel attention
    for case in ("tp-271", "tp-277", "tp-278", "tp-279", "tp-280"):
        assert "--enable-dp-attention" in rows[case]["engine_args"]
        assert _ranks(rows[case]["engine_args"], rows[case]["engine_version"]) == 1
