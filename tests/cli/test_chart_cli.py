"""`costcalc chart`: the HTML report's SVG charts as standalone SVG (no extra needed) or PNG files for slides."""

from __future__ import annotations

import io
import os
import xml.etree.ElementTree as ET

import pytest
from typer.testing import CliRunner

from costcalc.cli import app

TODAY = "2026-09-01"
NS = {"s": "http://www.w3.org/2000/svg"}


def _run(*args: str):
    return CliRunner().invoke(app, list(args))


def _pil():
    try:
        from PIL import Image
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("Pillow is needed to read the PNG charts")
        pytest.skip("Pillow is not installed")
    return Image


def _resvg() -> None:
    try:
        import resvg_py  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("resvg-py (the 'chart' extra) is needed for PNG charts")
        pytest.skip("resvg-py is not installed (pip install 'resvg-py>=0.5')")


def test_breakeven_svg_marks_the_computed_volume(write_yaml, base_scenario, today):
    from costcalc.api import analyze

    path = str(write_yaml(base_scenario))
    r = _run("chart", path, "--kind", "breakeven", "--today", TODAY)
    assert r.exit_code == 0, r.stderr
    root = ET.fromstring(r.stdout)
    be = analyze(path, today=today).headline_break_even("Rented GPUs")
    marker = root.find(".//s:circle[@class='break-even'][@data-option='Rented GPUs']", NS)
    # $2,460 / $0.002 per request = 1.23M requests/month x 1,250 tokens
    assert float(marker.get("data-volume")) == pytest.approx(be.tokens_per_month) == pytest.approx(1_230_000 * 1250)
    assert float(marker.get("data-cost")) == pytest.approx(2460.0)
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts[0] == base_scenario["name"]  # the scenario's name as title
    assert {o["name"] for o in base_scenario["options"]} <= set(texts)  # the legend, inside the file


def test_svg_is_deterministic_and_needs_no_extra(write_yaml, base_scenario, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_extras(name, *args, **kwargs):  # neither matplotlib nor resvg may be needed for SVG
        if name.split(".")[0] in ("matplotlib", "resvg_py"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_extras)
    path = str(write_yaml(base_scenario))
    first = _run("chart", path, "-k", "cumulative", "-f", "SVG", "--today", TODAY)
    second = _run("chart", path, "-k", "cumulative", "-f", "svg", "--today", TODAY)
    assert first.exit_code == 0, first.stderr
    assert first.stdout == second.stdout
    ET.fromstring(first.stdout)


@pytest.mark.parametrize("kind", ["breakeven", "cumulative", "breakdown"])
def test_png_file_is_drawn(write_yaml, base_scenario, tmp_path, kind):
    _resvg()
    image = _pil()
    out = tmp_path / f"{kind}.png"
    r = _run("chart", str(write_yaml(base_scenario)), "--kind", kind, "-o", str(out), "--today", TODAY)
    assert r.exit_code == 0, r.stderr
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    png = image.open(io.BytesIO(data)).convert("RGB")
    assert png.size[0] == 1920  # 960 px at 2x
    colours = png.getcolors(png.size[0] * png.size[1]) or []
    assert len(colours) > 8, "the chart looks blank"
    dark = sum(n for n, (r_, g, b) in colours if r_ + g + b < 200)  # the title and labels are near-black text
    assert dark > 2_000, "no text drawn"


def test_bad_suffix_is_an_input_error(write_yaml, base_scenario, tmp_path):
    r = _run("chart", str(write_yaml(base_scenario)), "-o", str(tmp_path / "x.pdf"))
    assert r.exit_code == 2 and "write a .svg or .png file" in r.stderr


def test_format_must_agree_with_the_file(write_yaml, base_scenario, tmp_path):
    r = _run("chart", str(write_yaml(base_scenario)), "-f", "png", "-o", str(tmp_path / "x.svg"))
    assert r.exit_code == 2 and "names the svg format" in r.stderr


def test_tornado_bars_span_the_sensitivity_results(write_yaml, base_scenario):
    from costcalc.analysis.sensitivity import TORNADO_ROWS
    from costcalc.analysis.sensitivity import tornado as sensitivity_tornado

    path = str(write_yaml(base_scenario))
    tornado = sensitivity_tornado(path)
    assert 0 < len(tornado.rows) <= TORNADO_ROWS
    r = _run("chart", path, "--kind", "tornado", "--today", TODAY)
    assert r.exit_code == 0, r.stderr
    bars = ET.fromstring(r.stdout).findall(".//s:rect[@class='bar']", NS)
    got = sorted((float(b.get("data-low")), float(b.get("data-high"))) for b in bars)
    want = sorted((lo, hi) for _, lo, hi in tornado.rows)
    assert [v for pair in got for v in pair] == pytest.approx([v for pair in want for v in pair])


def test_tornado_of_a_scenario_with_both_kinds_is_framed_as_what_self_hosting_saves(write_yaml, base_scenario):
    path = str(write_yaml(base_scenario))
    r = _run("chart", path, "--kind", "tornado", "--today", TODAY)
    assert r.exit_code == 0, r.stderr
    texts = [t.text or "" for t in ET.fromstring(r.stdout).iter("{http://www.w3.org/2000/svg}text")]
    assert any(t.startswith("base: self-hosting ") for t in texts), texts
    assert any(t.startswith(("saves ", "costs ", "from ")) for t in texts), texts
    assert any(": " in t and "options[" not in t for t in texts)  # labels in words ("Llama 3.3 70B: minimum replicas")


def test_png_without_resvg_is_refused_before_the_analysis(write_yaml, base_scenario, tmp_path, monkeypatch):
    # the refusal came after the whole analysis: 19 s for a tornado of the internal-assistant example
    import importlib.util

    import costcalc.analysis.run

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "resvg_py" else real_find_spec(name, *a)
    )

    def no_analysis(*args, **kwargs):
        raise AssertionError("the scenario was analysed before the missing extra was named")

    monkeypatch.setattr(costcalc.analysis.run, "evaluate", no_analysis)
    out = tmp_path / "c.png"
    result = _run("chart", str(write_yaml(base_scenario)), "--kind", "tornado", "-o", str(out))
    assert result.exit_code == 2, result.output
    assert (
        result.stderr
        == "error: -o: PNG charts need resvg-py: pip install 'resvg-py>=0.5'; or write SVG (-o FILE.svg)\n"
    )
    assert not out.exists()
