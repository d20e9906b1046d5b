"""Value-to-pixel scales and their ticks."""

from __future__ import annotations

import pytest

from costcalc.render.svg.scales import LogScale


def test_log_scale_and_its_ticks():
    scale = LogScale(1e6, 1e9, 0, 300)
    assert scale(1e6) == 0 and scale(1e9) == pytest.approx(300) and scale(1e7) == pytest.approx(100)
    assert LogScale(3e6, 2e7, 0, 1).ticks() == [5e6, 1e7, 2e7]
