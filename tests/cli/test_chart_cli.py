"""`costcalc chart`: matplotlib charts for slides, checked for their data, written as SVG or PNG."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET

import pytest
import typer
from typer.testing import CliRunner

from costcalc.cli import chart as chart_cli

TODAY = "2026-09-01"


@pytest.fixture(autouse=True)
def _matplotlib():
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("matplotlib (the 'chart' extra) is needed for the chart tests")
        pytest.skip("matplotlib is not installed (pip install 'costcalc[chart]')")


def _run(*args: str):
    app = typer.Typer()
    chart_cli.register(app)

    @app.callback()
    def cb() -> None:
        pass

    return CliRunner().invoke(app, list(args))


@pytest.fixture
def analysed(base_scenario, today):
    from costcalc.api import analyze_with_curves, load_scenario

    return analyze_with_curves(load_scenario(base_scenario), today=today)


def test_breakeven_figure_marks_the_computed_volume(analysed):
    from costcalc.render.chart_mpl import figure

    result, curves = analysed
    fig = figure(result, kind="breakeven", curves=curves)
    ax = fig.axes[0]
    lines = {line.get_gid(): line for line in ax.get_lines()}
    be = result.headline_break_even("Rented GPUs")
    marker = lines["break-even:Rented GPUs"]
    # $2,460 / $0.002 per request = 1.23M requests/month x 1,250 tokens
    assert marker.get_xdata()[0] == pytest.approx(be.tokens_per_month) == pytest.approx(1_230_000 * 1250)
    assert marker.get_ydata()[0] == pytest.approx(2460.0)
    assert list(lines["current-volume"].get_xdata()) == pytest.approx([result.workload.tokens_per_month] * 2)
    assert ax.get_xscale() == "log"
    assert {f"curve:{o.name}" for o in result.options} <= set(lines)


def test_cumulative_figure_ends_at_the_horizon_totals(analysed):
    from costcalc.render.chart_mpl import figure

    result, _ = analysed
    ax = figure(result, kind="cumulative").axes[0]
    lines = {line.get_gid(): line for line in ax.get_lines()}
    for o in result.options:
        assert lines[f"curve:{o.name}"].get_ydata()[-1] == pytest.approx(result.timeline.cumulative_cash[o.name][-1])


def test_svg_to_stdout_is_parseable_and_deterministic(write_yaml, base_scenario):
    path = str(write_yaml(base_scenario))
    first = _run("chart", path, "--kind", "breakeven", "--today", TODAY)
    second = _run("chart", path, "--kind", "breakeven", "--today", TODAY)
    assert first.exit_code == 0, first.stderr
    root = ET.fromstring(first.stdout)
    ids = {e.get("id") for e in root.iter()}
    assert "break-even:Rented GPUs" in ids and "current-volume" in ids
    assert first.stdout == second.stdout


@pytest.mark.parametrize("kind", ["breakdown", "cumulative"])
def test_png_file(write_yaml, base_scenario, tmp_path, kind):
    out = tmp_path / f"{kind}.png"
    r = _run("chart", str(write_yaml(base_scenario)), "--kind", kind, "-o", str(out), "--today", TODAY)
    assert r.exit_code == 0, r.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bad_suffix_is_an_input_error(write_yaml, base_scenario, tmp_path):
    from costcalc.cli import app

    r = CliRunner().invoke(app, ["chart", str(write_yaml(base_scenario)), "-o", str(tmp_path / "x.pdf")])
    assert r.exit_code == 2 and "write a .svg or .png file" in r.stderr


def test_tornado_bars_span_the_sensitivity_results(write_yaml, base_scenario, today):
    from costcalc.analysis.sensitivity import TORNADO_ROWS
    from costcalc.analysis.sensitivity import tornado as sensitivity_tornado
    from costcalc.api import analyze
    from costcalc.render.chart_mpl import figure

    path = str(write_yaml(base_scenario))
    tornado = sensitivity_tornado(path)
    assert 0 < len(tornado.rows) <= TORNADO_ROWS
    ax = figure(analyze(path, today=today), kind="tornado", tornado=tornado).axes[0]
    bars = {p.get_y(): p for p in ax.patches}
    assert len(bars) == len(tornado.rows)
    spans = sorted((p.get_x(), p.get_x() + p.get_width()) for p in ax.patches)
    expected = sorted((min(lo, hi), max(lo, hi)) for _, lo, hi in tornado.rows)
    assert [v for pair in spans for v in pair] == pytest.approx([v for pair in expected for v in pair])
    r = _run("chart", path, "--kind", "tornado", "--today", TODAY)
    assert r.exit_code == 0, r.stderr
    assert "tornado-bars" in r.stdout
