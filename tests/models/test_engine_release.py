"""An engine_version is a release as the engine's packages number it; a typo is refused, not read by its digits."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from costcalc.models.options import check_release

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("typo", ["0.2O.0", "O.20.0", "0.20.0x", "0.6.3rc", "0.6.3.post", "latest", "0.20 .0"])
def test_a_mistyped_release_is_refused(typo: str) -> None:
    # '0.2O.0' was read as vLLM 0.2: the V0 engine's defaults (256 sequences), 372 -> 256 sequences on an H100
    with pytest.raises(ValueError, match=r"write the vllm release as a release number such as 0\.6\.3"):
        check_release("vllm", typo)


def test_every_release_the_calibration_states_is_taken() -> None:
    stated = {
        (row.get("engine_version") or "").strip()
        for path in (ROOT / "costcalc" / "throughput").glob("calibration*.csv")
        for row in csv.DictReader(path.open(encoding="utf-8"))
        if row.get("engine") in ("vllm", "sglang")
    } - {""}
    assert len(stated) > 10
    for release in sorted(stated) + ["v0.20.0", "0.20", "0.20.0rc1", "1.0.0"]:
        check_release("vllm", release)
