"""A source's web address longer than the terminal is folded after its slashes (never past 80 columns); on a colour
terminal every folded piece is a hyperlink (OSC 8) to the whole address, so it stays one link to click. Piped
output is unchanged, and Markdown and HTML keep the full address."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from costcalc.api import analyze
from costcalc.render import report_markdown, report_table
from costcalc.render.wrapping import linked, wrap
from costcalc.report.result import Result

TOMS = (
    "https://www.tomshardware.com/pc-components/gpus/nvidia-raises-rtx-pro-6000-blackwell-gpu-pricing-to-usd13-250-55"
    "-percent-increase-over-msrp-in-a-years-time"
)  # the source of the RTX PRO 6000's price: 155 characters
LINK = re.compile("\x1b\\]8;[^;]*;([^\x1b]*)\x1b\\\\([^\x1b]*)\x1b\\]8;;\x1b\\\\")
STYLES = re.compile("\x1b\\[[0-9;]*m")


@pytest.fixture(scope="module")
def result() -> Result:
    scenario = {
        "version": 1,
        "name": "Long source addresses",
        "workload": {"requests_per_day": 20_000, "input_tokens": 1000, "output_tokens": 200},
        "options": [
            {"name": "Luna", "kind": "api", "model": "openai/gpt-6-luna"},
            {
                "name": "Owned",
                "kind": "self_hosted",
                "model": "gpt-oss-20b",
                "hardware": {
                    "gpu": "rtx-pro-6000-96gb",
                    "offer": "nvidia-rtx-pro-6000-blackwell",
                    "acquisition": "buy",
                },
                "power": {"idle_w_per_gpu": 30},
            },
        ],
    }
    return analyze(scenario, today=dt.date(2026, 12, 5))


def test_a_long_address_folds_within_80_columns_and_links_whole(result: Result) -> None:
    plain = report_table.render(result, width=80, details=True)
    assert all(len(line) <= 80 for line in plain.splitlines())
    folded = [line for line in plain.splitlines() if "tomshardware" in line or "increase-over-msrp" in line]
    assert len(folded) >= 2  # the address did not fit one line
    coloured = report_table.render(result, width=80, details=True, color=True)
    pieces = [(url, text) for url, text in LINK.findall(coloured) if "tomshardware" in url]
    assert [url for url, _ in pieces] == [TOMS] * len(pieces) and len(pieces) >= 2
    assert "".join(text for _, text in pieces) == TOMS
    shown = STYLES.sub("", LINK.sub(lambda m: m.group(2), coloured))
    sources = plain.index("Sources and assumptions")
    assert shown[shown.index("Sources and assumptions") :] == plain[sources:]  # the same text, now linked
    assert "\x1b]8;" not in plain
    assert f"<{TOMS}>" in report_markdown.render(result)


def test_linked_lines_are_wraps_lines() -> None:
    text = f"hardware x: as of 2026-09-19, {TOMS} (as recorded in a note), and https://a.example/b."
    lines = linked(text, 60, first="- ", rest="  ")
    assert ["".join(t for t, _ in line) for line in lines] == wrap(text, 60, first="- ", rest="  ")
    urls = {url for line in lines for _, url in line if url}
    assert urls == {TOMS, "https://a.example/b"}  # the full stop after the last address is no part of it
    assert "".join(t for line in lines for t, url in line if url == TOMS) == TOMS


def _links(text: str) -> dict[str, str]:
    """Each linked piece's text and the address it links to."""
    return {piece: url for url, piece in LINK.findall(text)}


def test_an_estimates_published_run_address_links_whole_on_a_terminal() -> None:
    # `costcalc estimate --gpu h100-sxm-80gb --model llama-3.1-8b ...` at 80 columns folded the closest run's source
    # (github.com/FreedomIntelligence/AccelMark/blob/.../result.json) over three lines with no link: a terminal that
    # finds addresses in text opened the first piece. Each piece now links to the whole; piped, the text is as before.
    from costcalc.analysis.estimate_band import estimate_band
    from costcalc.analysis.published_runs import estimate_runs
    from costcalc.catalog import get_gpu, get_model
    from costcalc.render.estimate import render_table
    from costcalc.throughput.estimate import estimate

    gpu, model = get_gpu("h100-sxm-80gb"), get_model("llama-3.1-8b")
    est = estimate(gpu, model, input_tokens=1000, output_tokens=200)
    banded = estimate_band(est, model, gpu)  # as `costcalc estimate` builds its table
    args = {"actual": banded.actual, "basis": banded.basis, "runs": estimate_runs(est, None, gpu), "width": 80}
    plain = render_table(est, **args)
    shown = render_table(est, **args, color=True)
    assert STYLES.sub("", LINK.sub(r"\2", shown)) == plain
    folded = [url for piece, url in _links(shown).items() if piece != url]
    assert folded and all(plain.count(url) == 0 for url in folded)  # each folded in the text, linked whole


def test_a_price_rows_folded_source_links_whole_on_a_terminal() -> None:
    # `costcalc pricing show colocation_usd_per_kw_month` at 80 columns folded its source after 'colocation/' with no
    # link; each piece now links to the whole address; piped, the text is as before
    from costcalc.render.pricing import render_show
    from costcalc.resolve.book import PriceSource

    row = PriceSource((), today=dt.date(2026, 12, 7)).tables().get("datacenter", "colocation_usd_per_kw_month")
    assert row is not None and len(row.row.source) > 80
    plain = render_show("datacenter", row, width=80)
    shown = render_show("datacenter", row, width=80, color=True)
    assert STYLES.sub("", LINK.sub(r"\2", shown)) == plain
    assert set(_links(shown).values()) == {row.row.source} and len(_links(shown)) >= 2
