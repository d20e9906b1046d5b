"""One configuration, one band, said in the same words on every surface: report (terminal, --details, JSON, HTML,
markdown), simulate, estimate, estimate --cases and the Python API name the band and the held-out benchmarks it
rests on as bands.basis_words does ('vllm server band: 9 in 10 of 53 held-out benchmarks').

Before, only estimate said which band: the report's bullet read 'actual 0.58x to 1.73x the estimate in 9 of 10
benchmarks' and its assumption line 'throughput estimated, actual 0.58x-1.73x (vllm, mxfp4, 1x l40s-48gb)' (qa13).
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import costcalc
from costcalc.cli import app
from costcalc.throughput.calibration import CASE_COLUMNS
from costcalc.throughput.holdout import read_holdout
from costcalc.throughput.scoring import band_table
from tests.support.html_text import unwrapped

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = REPO_ROOT / "examples" / "startup-chatbot.yaml"
L40S = "gpt-oss-20b on a rented L40S"
# the L40S option's configuration as `estimate` takes it: the example's lengths and SLO
ESTIMATE = (
    *("--gpu", "l40s-48gb", "--model", "gpt-oss-20b", "--input-tokens", "1200", "--output-tokens", "250"),
    *("--ttft-p95-ms", "1500", "--min-output-tokens-per-s-per-user", "25"),
)


def _run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _flat(text: str) -> str:
    """The text as one line: a wrapped sentence's words joined again (terminal output at 80 columns)."""
    return " ".join(text.replace("│", " ").split())


@pytest.fixture(scope="module")
def words() -> str:
    """The vllm server band's words, its rows counted from the shipped held-out file (not by the code under test)."""
    rows = band_table(*read_holdout())["vllm/server"].rows
    return f"vllm server band: 9 in 10 of {rows:,} held-out benchmarks"


@pytest.fixture(scope="module")
def estimated() -> dict:
    """`estimate -f json` of the L40S option's configuration, its lengths and SLO."""
    return json.loads(_run("estimate", *ESTIMATE, "-f", "json"))


def test_estimate_quotes_the_vllm_server_band_for_the_capacity(estimated: dict, words: str) -> None:
    band = estimated["serving"]["band"]
    assert (band["applies"], band["scenario"]) == ("vllm/server", "server")
    assert f"({words})" in band["label"]


@pytest.mark.parametrize("columns", [80, 120])
def test_the_report_says_which_band_and_on_how_many_benchmarks(
    columns: int, words: str, estimated: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    report = ("report", str(EXAMPLE), "--today", "2026-12-06")
    plain = _run(*report)
    assert max(len(line) for line in plain.splitlines()) <= columns
    said = _flat(plain)
    for name in (L40S, "gpt-oss-120b on a rented H100"):  # the bullet under the table
        assert f"{name}: throughput estimated, actual " in said
    assert said.count(f"the estimate ({words}), ") == 2  # "which leaves its cost at ..." or "so $A to $B a month"
    details = _run(*report, "--details")
    assert max(len(line) for line in details.splitlines()) <= columns
    assert _flat(details).count(f"({words}); simulated serving") == 2  # the assumption lines
    # the option's own assumption lines sit under its name, said once (polish14)
    assert f"{L40S} - throughput estimated (vllm, mxfp4, 1x l40s-48gb), actual " in _flat(details)
    terminal = _run("estimate", *ESTIMATE)
    assert max(len(line) for line in terminal.splitlines()) <= min(columns, 100)
    assert f"({words})" in _flat(terminal)  # the capacity's label


def test_report_json_html_and_markdown_carry_the_band_and_its_basis(tmp_path: Path, words: str, estimated: dict):
    report = ("report", str(EXAMPLE), "--today", "2026-12-06")
    doc = json.loads(_run(*report, "-f", "json"))
    option = next(o for o in doc["options"] if o["name"] == L40S)
    throughput = option["throughput"]
    assert f"({words})" in throughput["detail"]
    basis = throughput["actual_range"]["band_basis"]
    expected = {k: v for k, v in estimated["serving"]["band"].items() if k not in ("concurrency", "label")}
    assert basis == expected  # the same band object as estimate's, without its load and label
    for fmt in ("html", "markdown"):
        text = unwrapped(_run(*report, "-f", fmt))
        assert text.count(f"({words})") >= 4, fmt  # two bullets and two assumption lines


def test_simulate_names_the_band_it_samples_from(words: str) -> None:
    out = _run("simulate", str(EXAMPLE), "--today", "2026-12-06", "--samples", "200", "--seed", "1")
    assert _flat(out).count("from the estimate's band: actual ") == 2
    assert _flat(out).count(f"the estimate ({words})") == 2


def test_estimate_cases_and_the_api_say_the_same_words(tmp_path: Path, words: str, estimated: dict) -> None:
    at = estimated["serving"]["band"]["concurrency"]  # the load the capacity's band is for
    cases = tmp_path / "cases.csv"
    with cases.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(CASE_COLUMNS)  # the columns a cases CSV needs, in calibration's order
        w.writerow(["l40s-48gb", 1, "gpt-oss-20b", "mxfp4", "vllm", 1200, 250, at, "output_tokens_per_s"])
    body = json.loads(_run("estimate", "--cases", str(cases), "-f", "json"))
    assert f"({words})" in body["cases"][0]["band"]["label"]
    api = costcalc.estimate_throughput(
        gpu="l40s-48gb", model="gpt-oss-20b", input_tokens=1200, output_tokens=250, concurrency=at
    )
    assert api.band is not None and f"({words})" in api.band["label"]
    result = costcalc.analyze(str(EXAMPLE), today="2026-12-06")
    info = next(o for o in result.options if o.name == L40S).throughput
    assert info is not None and f"({words})" in info.detail
    assert info.actual_range is not None and info.actual_range.band_basis is not None
    assert info.actual_range.band_basis.held_out_rows == band_table(*read_holdout())["vllm/server"].rows


def test_catalog_benchmarks_help_quotes_no_count_the_shipped_band_does_not_have(words: str) -> None:
    """The help of the command a report sends its reader to quoted 'vllm server band: 9 in 10 of 53 held-out
    benchmarks' while every report said 47 (the count moves with each refit): a reader checking the band against the
    help found a different number. It now names the band without a count, and any count it quotes is the band's."""
    text = _flat(_run("catalog", "benchmarks", "--help"))
    assert "vllm server band: 9 in 10 of N held-out benchmarks' is --engine vllm --class server" in text, text
    quoted = re.findall(r"vllm server band: 9 in 10 of [\d,]+ held-out benchmarks", text)
    assert all(q == words for q in quoted), (quoted, words)
