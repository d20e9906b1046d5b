"""The HTML report in headless Chromium: charts drawn and nothing wider than the screen, desktop and phone."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from costcalc.analysis.curves import cost_curves
from costcalc.api import analyze, load_scenario, price_book
from costcalc.render import ReportFormat
from costcalc.render.svg import PALETTE
from costcalc.resolve import resolve_scenario

pytestmark = pytest.mark.slow

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ci" / "scenarios" / "support-assistant.yaml"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
TIMEOUT_S = 60
BROWSERS = ("chromium", "chromium-browser", "google-chrome")
# test-only probe (the report itself has no scripts): measures layout after load and writes it into the DOM
PROBE = """<script>
addEventListener('load', () => {
  const d = document.documentElement, w = d.clientWidth;
  const inWrap = e => e.closest('.table-wrap') && !e.classList.contains('table-wrap');
  const over = [...document.querySelectorAll('main *')]
    .filter(e => !inWrap(e) && e.getBoundingClientRect().right > w + 1)
    .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')).slice(0, 8);
  const svgs = [...document.querySelectorAll('svg')].map(s => {
    const r = s.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)]; });
  const tables = [...document.querySelectorAll('.table-wrap')].map(t => t.scrollWidth - t.clientWidth);
  const p = document.createElement('pre'); p.id = 'probe';
  p.textContent = JSON.stringify({scrollWidth: d.scrollWidth, clientWidth: w, svgs, over, tables});
  document.body.appendChild(p);
});
</script>"""
# test-only style: show just the cost-versus-volume figure at the top, so its pixels are in the viewport
CHART_ONLY = "<style>main > :not(#cost-volume){display:none !important}</style>"


def _browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail("no chromium binary on PATH; .ci/install-chromium.sh installs Debian's chromium")
    pytest.skip("no chromium binary on PATH (apt-get install chromium, or .ci/install-chromium.sh)")


def _pil():
    try:
        from PIL import Image
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("Pillow is needed to read the screenshots")
        pytest.skip("Pillow is not installed; the screenshots cannot be read")
    return Image


def _chromium(browser: str, *args: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    cmd = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--no-first-run",
        "--disable-extensions",
        "--mute-audio",
        f"--user-data-dir={tmp / 'profile'}",
        *args,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    from tests.conftest import TODAY

    # the CI example: four options with long names, bought hardware with a payback, guardrails
    scenario = load_scenario(str(EXAMPLE))
    result = analyze(scenario, today=TODAY)
    resolved = resolve_scenario(scenario, price_book(scenario))
    marks = [b.tokens_per_month for b in result.break_even if b.tokens_per_month]
    html = ReportFormat.html.render(result, curves=cost_curves(resolved, include_tokens_per_month=marks))
    folder = tmp_path_factory.mktemp("browser")
    (folder / "report.html").write_text(html, encoding="utf-8")
    (folder / "probe.html").write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    (folder / "chart.html").write_text(html.replace("</head>", CHART_ONLY + "</head>"), encoding="utf-8")
    return folder


def _hex(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


@pytest.mark.parametrize("device", list(WIDTHS))
def test_charts_are_drawn_and_nothing_overflows(page: Path, device: str, tmp_path: Path) -> None:
    browser = _browser()
    image = _pil()
    width, height = WIDTHS[device]
    size = f"--window-size={width},{height}"

    dom = _chromium(
        browser,
        size,
        "--run-all-compositor-stages-before-draw",
        "--virtual-time-budget=3000",
        "--dump-dom",
        (page / "probe.html").as_uri(),
        tmp=tmp_path,
    )
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom.stdout, flags=re.DOTALL)
    assert found, f"no probe output; chromium said: {dom.stderr[-500:]}"
    probe = json.loads(found.group(1).replace("&quot;", '"'))
    assert probe["scrollWidth"] <= probe["clientWidth"], probe
    assert probe["over"] == [], probe
    assert probe["tables"] and max(probe["tables"]) <= 1, f"the options table needs scrolling: {probe}"
    assert len(probe["svgs"]) == 3
    for w, h in probe["svgs"]:
        assert 0 < w <= probe["clientWidth"] and h > 0.25 * w, probe["svgs"]

    shot = tmp_path / f"{device}.png"
    _chromium(browser, size, f"--screenshot={shot}", (page / "report.html").as_uri(), tmp=tmp_path)
    full = image.open(shot).convert("RGB")
    assert full.size == (width, height)
    small = np.asarray(full.resize((64, 64))).reshape(-1, 3)
    assert len(np.unique(small, axis=0)) > 8, "the page looks blank"

    chart_shot = tmp_path / f"{device}-chart.png"
    _chromium(browser, size, f"--screenshot={chart_shot}", (page / "chart.html").as_uri(), tmp=tmp_path)
    pixels = np.asarray(image.open(chart_shot).convert("RGB"), dtype=int).reshape(-1, 3)
    # each option's line is drawn in its colour (the palette in scenario order)
    for color in PALETTE[:4]:
        near = int((np.abs(pixels - np.array(_hex(color))).sum(axis=1) < 60).sum())
        assert near > width // 10, f"{device}: too few pixels of line colour {color} ({near})"
