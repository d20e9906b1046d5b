"""Result.options_frame() and `costcalc report -f csv` are one table: the same columns, the same figures."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

import costcalc
from tests.conftest import TODAY
from tests.support.cli import invoke

EXAMPLES_DAY = "2026-12-06"  # the examples' prices are all valid on it (some were not yet on TODAY)
EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_the_notebooks_options_frame_is_the_reports_csv(path: Path) -> None:
    """options_frame had 17 columns (no cost lines, throughput, actual range, cost at either end, break-even,
    payback, cheapest; `utilisation` where the CSV says utilisation_share): a notebook could not read the CLI's
    figures. Now every CSV column is there with the same value (the CSV at 6 decimals, yes/no for cheapest)."""
    code, out, err = invoke("report", str(path), "--today", EXAMPLES_DAY, "-f", "csv")
    assert code == 0, err
    csv = pd.read_csv(io.StringIO(out)).set_index("option")
    frame = costcalc.analyze(costcalc.load_scenario(str(path)), today=EXAMPLES_DAY).options_frame()
    assert list(frame.index) == list(csv.index)
    assert [c for c in frame.columns if c != "utilisation"] == list(csv.columns)
    for column in csv.columns:
        got, want = frame[column], csv[column]
        if column == "cheapest":
            assert list(got) == [w == "yes" for w in want]
        elif column in ("published_runs_exact", "over_usage_cap"):  # yes / no where it applies, empty elsewhere
            assert [None if g is None else "yes" if g else "no" for g in got] == [
                w if isinstance(w, str) else None for w in want
            ]
        elif pd.api.types.is_numeric_dtype(want):
            assert pd.to_numeric(got).tolist() == pytest.approx(want.tolist(), nan_ok=True, abs=1e-6), column
        else:
            assert [g if isinstance(g, str) else None for g in got] == [w if isinstance(w, str) else None for w in want]


def test_utilisation_keeps_its_earlier_name(base_scenario: dict) -> None:
    frame = costcalc.analyze(base_scenario, today=TODAY).options_frame()
    assert frame["utilisation"].equals(frame["utilisation_share"])


def test_every_option_names_the_price_rows_behind_its_figures() -> None:
    """The CSV (and options_frame) carried every figure but not one price row: a spreadsheet could not tell which
    row, of which date, a cost came from, nor that three of internal-assistant's owned server's rows were past their
    table's limit (the JSON's prices[].stale). Now `prices` names each row with its date (', stale' where past the
    limit) and `price_sources` its source, in the JSON's order."""
    path = Path(__file__).resolve().parents[2] / "examples/internal-assistant.yaml"
    code, out, err = invoke("report", str(path), "--today", "2026-12-07", "-f", "csv")
    assert code == 0, err
    csv = pd.read_csv(io.StringIO(out)).set_index("option")
    result = costcalc.analyze(costcalc.load_scenario(str(path)), today="2026-12-07")
    for o in result.options:
        want = "; ".join(f"{p.table} {p.id} (as of {p.as_of}{', stale' if p.stale else ''})" for p in o.prices)
        assert csv.loc[o.name, "prices"] == want
        assert csv.loc[o.name, "price_sources"] == " | ".join(p.source for p in o.prices)
    owned = csv.loc["Llama 3.3 70B on owned H100s", "prices"]
    assert owned.count(", stale)") == 3 and "hardware hgx-h100-8gpu-server-2026 (as of 2026-05-04, stale)" in owned


def test_an_estimated_option_says_whether_a_published_run_measured_its_configuration() -> None:
    """The report's CSV had the band's range but not whether anyone measured the configuration (analysis/
    published_runs.py; the JSON's throughput.published_runs): now `published_runs_exact` and `published_runs`, the
    summary in words, for each estimated option, empty for the others."""
    path = Path(__file__).resolve().parents[2] / "examples/startup-chatbot.yaml"
    code, out, err = invoke("report", str(path), "--today", EXAMPLES_DAY, "-f", "csv")
    assert code == 0, err
    csv = pd.read_csv(io.StringIO(out)).set_index("option")
    l40s, h100 = csv.loc["gpt-oss-20b on a rented L40S"], csv.loc["gpt-oss-120b on a rented H100"]
    assert l40s["published_runs_exact"] == "no" and l40s["published_runs"].startswith(
        "no published run of vllm on l40s"
    )
    assert h100["published_runs_exact"] == "yes"
    assert " published runs of gpt-oss-120b with vllm on h100-sxm-80gb measured " in f" {h100['published_runs']}"
    assert pd.isna(csv.loc["GPT-6 Luna", "published_runs"])
