"""The HTML report in headless Chromium: charts drawn and nothing wider than the screen, desktop and phone."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from costcalc.analysis.curves import cost_curves
from costcalc.api import analyze, load_scenario, price_book
from costcalc.render import ReportFormat
from costcalc.render.svg.colors import PALETTE
from costcalc.resolve import resolve_scenario

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = {  # the CI example (guardrails, a payback) and the crowded one (five options, four break-evens)
    "support": ROOT / "examples" / "ci" / "scenarios" / "support-assistant.yaml",
    "internal": ROOT / "examples" / "internal-assistant.yaml",
}
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
  const shown = [...document.querySelectorAll('svg')].filter(s => s.getBoundingClientRect().width > 0);
  const svgs = shown.map(s => {
    const r = s.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)]; });
  // labels as drawn: no two overlap, none reaches past its chart (clipped)
  const overlaps = [], clipped = [];
  for (const s of shown) {
    const box = s.getBoundingClientRect();
    const texts = [...s.querySelectorAll('text')].map(t => [t.textContent, t.getBoundingClientRect()]);
    texts.forEach(([text, r], i) => {
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5)
        clipped.push(text);
      for (const [other, q] of texts.slice(i + 1))
        if (r.left < q.right && q.left < r.right && r.top < q.bottom && q.top < r.bottom) overlaps.push([text, other]);
    });
  }
  // every cell of the options table inside the screen, its text not cut
  const cells = [...document.querySelectorAll('table.options td')].filter(c => c.getBoundingClientRect().width > 0)
    .filter(c => c.getBoundingClientRect().right > w + 1 || c.getBoundingClientRect().left < 0
                 || c.scrollWidth > c.clientWidth + 1).map(c => c.textContent);
  const tables = [...document.querySelectorAll('.table-wrap')].map(t => t.scrollWidth - t.clientWidth);
  // each cost line of the options table (a text node between <br>s) in one line box, not 'uncached' over 'input $383'
  const split = [...document.querySelectorAll('table.options td.costs')].flatMap(c => [...c.childNodes])
    .filter(n => n.nodeType === 3 && n.textContent.trim())
    .filter(n => { const r = document.createRange(); r.selectNodeContents(n); return r.getClientRects().length > 1; })
    .map(n => n.textContent);
  const p = document.createElement('pre'); p.id = 'probe';
  p.textContent = JSON.stringify({scrollWidth: d.scrollWidth, clientWidth: w, svgs, over, tables, overlaps, clipped,
                                  cells, split});
  document.body.appendChild(p);
  if (parent !== window) parent.postMessage(p.textContent, '*');
});
</script>"""
# test-only style: show just the cost-versus-volume figure at the top, so its pixels are in the viewport
CHART_ONLY = "<style>main > :not(#cost-volume){display:none !important}</style>"
MIN_WINDOW_W = 500  # headless Chromium's narrowest window: a phone's page is shown in an iframe that wide


def frame(page: str, width: int, height: int) -> str:
    """A page showing `page` in an iframe of a phone's size, passing on the probe's message."""
    return (
        "<!DOCTYPE html><html><body style='margin:0'>"
        f"<iframe src='{page}' style='border:0;display:block;width:{width}px;height:{height}px'></iframe>"
        "<script>addEventListener('message', e => { const p = document.createElement('pre'); p.id = 'probe';"
        " p.textContent = e.data; document.body.appendChild(p); });</script></body></html>"
    )


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


@pytest.fixture(scope="module", params=list(EXAMPLES))
def page(tmp_path_factory, request) -> Path:
    from tests.conftest import TODAY

    scenario = load_scenario(str(EXAMPLES[request.param]))
    result = analyze(scenario, today=TODAY)
    resolved = resolve_scenario(scenario, price_book(scenario))
    marks = [b.tokens_per_month for b in result.break_even if b.tokens_per_month]
    html = ReportFormat.html.render(result, curves=cost_curves(resolved, include_tokens_per_month=marks))
    folder = tmp_path_factory.mktemp("browser")
    (folder / "report.html").write_text(html, encoding="utf-8")
    (folder / "probe.html").write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    (folder / "chart.html").write_text(html.replace("</head>", CHART_ONLY + "</head>"), encoding="utf-8")
    for name in ("report", "probe", "chart"):
        (folder / f"{name}-phone.html").write_text(frame(f"{name}.html", *WIDTHS["phone"]), encoding="utf-8")
    return folder


def _hex(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


@pytest.mark.parametrize("device", list(WIDTHS))
def test_charts_are_drawn_and_nothing_overflows(page: Path, device: str, tmp_path: Path) -> None:
    browser = _browser()
    image = _pil()
    width, height = WIDTHS[device]
    size = f"--window-size={max(width, MIN_WINDOW_W)},{height}"
    suffix = "-phone" if width < MIN_WINDOW_W else ""

    dom = _chromium(
        browser,
        size,
        "--run-all-compositor-stages-before-draw",
        "--virtual-time-budget=3000",
        "--dump-dom",
        (page / f"probe{suffix}.html").as_uri(),
        tmp=tmp_path,
    )
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom.stdout, flags=re.DOTALL)
    assert found, f"no probe output; chromium said: {dom.stderr[-500:]}"
    probe = json.loads(found.group(1).replace("&quot;", '"'))
    assert probe["clientWidth"] == width, probe  # the page laid out at the device's width
    assert probe["scrollWidth"] <= probe["clientWidth"], probe
    assert probe["over"] == [], probe
    assert probe["tables"] and max(probe["tables"]) <= 1, f"the options table needs scrolling: {probe}"
    assert len(probe["svgs"]) == 3  # one drawing of each chart shows: the wide one, or the phone one
    assert probe["overlaps"] == [], f"{device}: labels overlap: {probe['overlaps']}"
    assert probe["clipped"] == [], f"{device}: labels cut at a chart's edge: {probe['clipped']}"
    assert probe["cells"] == [], f"{device}: table cells cut or off screen: {probe['cells']}"
    if device == "desktop":  # a phone shows each option as a card, its cost lines wrapped to the card
        assert probe["split"] == [], f"cost lines broken over two lines: {probe['split']}"
    for w, h in probe["svgs"]:
        assert 0 < w <= probe["clientWidth"] and h > 0.25 * w, probe["svgs"]

    shot = tmp_path / f"{device}.png"
    _chromium(browser, size, f"--screenshot={shot}", (page / f"report{suffix}.html").as_uri(), tmp=tmp_path)
    full = image.open(shot).convert("RGB").crop((0, 0, width, height))
    small = np.asarray(full.resize((64, 64))).reshape(-1, 3)
    assert len(np.unique(small, axis=0)) > 8, "the page looks blank"

    chart_shot = tmp_path / f"{device}-chart.png"
    _chromium(browser, size, f"--screenshot={chart_shot}", (page / f"chart{suffix}.html").as_uri(), tmp=tmp_path)
    pixels = np.asarray(image.open(chart_shot).convert("RGB").crop((0, 0, width, height)), dtype=int).reshape(-1, 3)
    # each option's line is drawn in its colour (the palette in scenario order)
    for color in PALETTE[:4]:
        near = int((np.abs(pixels - np.array(_hex(color))).sum(axis=1) < 60).sum())
        assert near > width // 10, f"{device}: too few pixels of line colour {color} ({near})"


DEEPSEEK = """version: 1
name: DeepSeek on rented H200s
horizon_months: 12
workload: {requests_per_day: 200000, input_tokens: 3200, output_tokens: 800}
options:
  - {name: API, kind: api, model: openai/gpt-6-luna}
  - name: DeepSeek on 8 H200s
    kind: self_hosted
    model: deepseek-r1
    precision: fp8
    hardware: {offer: aws/p5en.48xlarge/on-demand/us-east-1, gpus_per_replica: 8, acquisition: rent}
"""


def _probe_on_phone(browser: str, html: str, probe_js: str, tmp_path: Path) -> dict[str, Any]:
    """What probe_js reports about `html` laid out in a phone-wide frame (a window can't be narrower than MIN_WINDOW_W)."""
    (tmp_path / "probe.html").write_text(html.replace("</body>", probe_js + "</body>"), encoding="utf-8")
    (tmp_path / "probe-phone.html").write_text(frame("probe.html", *WIDTHS["phone"]), encoding="utf-8")
    dom = _chromium(
        browser,
        f"--window-size={MIN_WINDOW_W},{WIDTHS['phone'][1]}",
        "--run-all-compositor-stages-before-draw",
        "--virtual-time-budget=3000",
        "--dump-dom",
        (tmp_path / "probe-phone.html").as_uri(),
        tmp=tmp_path,
    )
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom.stdout, flags=re.DOTALL)
    assert found, f"no probe output; chromium said: {dom.stderr[-500:]}"
    probe: dict[str, Any] = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    return probe


def test_a_warning_with_a_long_source_address_wraps_on_a_phone(tmp_path: Path) -> None:
    """The unmodelled-runs warning carries a long URL; on a 390 px phone it wraps inside its box."""
    from tests.conftest import TODAY

    browser = _browser()
    path = tmp_path / "ds.yaml"
    path.write_text(DEEPSEEK, encoding="utf-8")
    result = analyze(load_scenario(str(path)), today=TODAY)
    assert any("http" in w for w in result.warnings), result.warnings  # the case this test is about
    probe = _probe_on_phone(browser, ReportFormat.html.render(result), PROBE, tmp_path)
    assert probe["clientWidth"] == WIDTHS["phone"][0], probe
    assert probe["over"] == [], probe
    assert probe["scrollWidth"] <= probe["clientWidth"], probe


def test_a_long_tornado_label_wraps_and_keeps_throughput_on_a_phone(tmp_path: Path) -> None:
    """report --sensitivity on a 390 px phone: the estimated throughput's label ('gpt-oss-20b on a rented L40S:
    throughput against its estimate (9-in-10 range)') was cut in the middle, so "throughput" did not show; now it
    takes two lines, which neither overlap anything nor reach past the chart."""
    from typer.testing import CliRunner

    from costcalc.cli import app
    from tests.conftest import TODAY

    browser = _browser()
    html_path = tmp_path / "report.html"
    scenario = ROOT / "examples" / "startup-chatbot.yaml"
    args = ["report", str(scenario), "-f", "html", "--sensitivity", "-o", str(html_path), "--today", TODAY.isoformat()]
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0, r.output
    html = html_path.read_text(encoding="utf-8")
    probe_js = PROBE.replace(
        "const p = document.createElement('pre');",
        "const labels = [...document.querySelectorAll('svg')].filter(s => s.getBoundingClientRect().width > 0)"
        ".filter(s => s.classList.contains('chart-tornado')).flatMap(s => [...s.querySelectorAll('text')])"
        ".map(t => t.textContent);\n  const p = document.createElement('pre');",
    ).replace("clipped,\n", "clipped, labels,\n")
    assert "labels," in probe_js
    probe = _probe_on_phone(browser, html, probe_js, tmp_path)
    assert probe["clientWidth"] == WIDTHS["phone"][0], probe
    labels = probe["labels"]  # the tornado drawn on the phone
    assert "throughput against its estimate (9-in-10 range)" in labels, labels
    assert "gpt-oss-20b on a rented L40S:" in labels, labels
    assert probe["overlaps"] == [], probe["overlaps"]
    assert probe["clipped"] == [], probe["clipped"]
    assert probe["over"] == [] and probe["scrollWidth"] <= probe["clientWidth"], probe


# test-only probe: every word with a hyphen (a flag, an id, a date) of the page's sentences, outside web addresses,
# on one line; the folded sources opened first
WHOLE_WORDS_PROBE = """<script>
addEventListener('load', () => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const broken = [], seen = [];
  for (const box of document.querySelectorAll('.verdict, .warnings, .sources')) {
    const walk = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
      for (const m of node.textContent.matchAll(/\\S*-\\S*/g)) {
        if (m[0].includes('://') || m[0].length > 35) continue;
        const r = document.createRange(); r.setStart(node, m.index); r.setEnd(node, m.index + m[0].length);
        const tops = new Set([...r.getClientRects()].filter(q => q.width > 0).map(q => Math.round(q.top)));
        seen.push(m[0]);
        if (tops.size > 1) broken.push(m[0]);
      }
    }
  }
  const p = document.createElement('pre'); p.id = 'probe';
  p.textContent = JSON.stringify({clientWidth: document.documentElement.clientWidth, broken, seen});
  document.body.appendChild(p);
  if (parent !== window) parent.postMessage(p.textContent, '*');
});
</script>"""


def test_flags_ids_and_dates_do_not_break_at_their_hyphens_on_a_phone(tmp_path: Path) -> None:
    """qa17 / polish18: at 390 px the warning's '--details' broke into '--' over 'details' (a browser may break a line
    after a hyphen); so did '(--today)', '2027-03-01' and 'genai-perf'. Each such word now keeps to one line (a
    nowrap span, render.escape.kept_whole); web addresses still wrap where they must. (The verdict no longer says
    'genai-perf)'; its published-runs sentence's 'h100-sxm-80gb;' is the id before punctuation now.)"""
    from tests.conftest import TODAY

    browser = _browser()
    text = (ROOT / "examples" / "internal-assistant.yaml").read_text(encoding="utf-8")
    # a rate dated after the report day: the warning ends '(--today)'
    path = tmp_path / "flags.yaml"
    path.write_text(text + "currency: {code: EUR, per_usd: 0.92, as_of: 2027-03-01, source: ECB}\n", encoding="utf-8")
    result = analyze(load_scenario(str(path)), today=TODAY)
    assert any(w.endswith("(--today)") for w in result.warnings), result.warnings  # the case this test is about
    probe = _probe_on_phone(browser, ReportFormat.html.render(result), WHOLE_WORDS_PROBE, tmp_path)
    assert probe["clientWidth"] == WIDTHS["phone"][0], probe
    assert "(--today)" in probe["seen"] and "h100-sxm-80gb;" in probe["seen"], probe["seen"]
    assert probe["broken"] == [], probe["broken"]
