"""The shipped api.csv is exactly what the build makes from the pinned wheels (offline, once downloaded)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from costcalc.pricing.build import API_MAX_AGE_DAYS, BUILD_HOW, Inputs, build, freshness_csv

REPO = Path(__file__).resolve().parents[3]
PRICING = REPO / "pricing"
HINT = "fetch them with `python -m costcalc.pricing.build --download --wheels .ci/wheels` (.ci/run does)"


@pytest.fixture(scope="module")
def wheels() -> Path:
    folder = Path(os.environ.get("COSTCALC_PRICING_WHEELS", REPO / ".ci" / "wheels"))
    if not any(folder.glob("*.whl")):
        message = f"no pinned wheels in {folder}; {HINT}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true: {message}")
        pytest.skip(message)
    return folder


def test_the_build_reproduces_the_shipped_files_byte_for_byte(wheels: Path) -> None:
    out = build(Inputs(wheels, PRICING / "build"))
    assert out.api_csv == (PRICING / "api.csv").read_text(encoding="utf-8")
    assert out.disagreements_csv == (PRICING / "build" / "disagreements.csv").read_text(encoding="utf-8")
    current = (PRICING / "freshness.csv").read_text(encoding="utf-8")
    assert freshness_csv(current, "api", out.built_on, API_MAX_AGE_DAYS, BUILD_HOW) == current
