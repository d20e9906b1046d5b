"""Terminal text fits its width: sentences wrap at spaces, and a source URL longer than a line is folded after a
slash (rejoined, the same URL); the JSON, Markdown and HTML reports keep every URL whole."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from costcalc.render.wrapping import fold, wrap
from tests.support.cli import invoke
from tests.support.rental_source import renting_from

LONG_URL = (
    "https://example.org/2026/01/19/data-centre-efficiency-flatlines-for-sixth-year-as-ai-power-demands-soar"
    "/appendix/table-7.html?edition=2026&format=long#row-12"
)  # 156 characters
HASHED = "github.com/someone/somerepo@27bcc25e6b1936055be7a93d6ea2d0f6a6d9d084"


def _url_pieces(lines: list[str], url: str) -> list[str]:
    """The pieces `url` was folded into: from the line it starts on, each next line's text until it is whole."""
    start = next(i for i, line in enumerate(lines) if url[:30] in line)
    pieces = [lines[start][lines[start].index(url[:30]) :].split(" ")[0]]
    for line in lines[start + 1 :]:
        if "".join(pieces) == url[: len("".join(pieces))] and len("".join(pieces)) >= len(url):
            break
        pieces.append(line.strip().split(" ")[0])
    return pieces


@pytest.mark.parametrize("width", [40, 80, 120])
def test_a_long_url_folds_after_slashes_and_rejoins_whole(width: int) -> None:
    text = f"rental acme/8x-h100: as of 2026-11-01, {LONG_URL} (read 2026-11-02)"
    lines = wrap(text, width, first="- ", rest="  ")
    assert max(len(line) for line in lines) <= width
    pieces = _url_pieces(lines, LONG_URL)
    assert "".join(pieces) == LONG_URL  # joined with nothing between them: the same URL
    assert len(pieces) > 1
    for piece, after in zip(pieces, pieces[1:]):  # each break where a URL reads naturally broken
        assert piece[-1] in "/-_.,;&" or after[0] in "@?#=", (piece, after)
    assert "https://" in pieces[0]  # never split inside the scheme


def test_fold_prefers_a_slash_then_other_separators_then_the_limit() -> None:
    assert fold("https://a.example/bbbb/cccc", 20, 20) == ["https://a.example/", "bbbb/cccc"]
    # after the last slash that fits; then before an '@'; a piece with no separator at all breaks at the limit
    assert fold(HASHED, 30, 45) == ["github.com/someone/", "somerepo", "@27bcc25e6b1936055be7a93d6ea2d0f6a6d9d084"]
    assert fold("x" * 25, 10, 10) == ["x" * 10, "x" * 10, "x" * 5]
    assert fold("https://abc.example", 9, 20) == ["https://", "abc.example"]  # never between the two slashes
    assert fold("short", 10, 10) == ["short"]


def test_words_and_ids_still_break_only_at_spaces() -> None:
    text = "gpt-oss-120b on a rented H100 costs 1,234.5 a month"
    assert wrap(text, 20) == ["gpt-oss-120b on a", "rented H100 costs", "1,234.5 a month"]


def test_a_count_stays_beside_the_word_after_it() -> None:
    """nightly-batch's capex line at 80 columns ended in '(1' with 'server), then ...' under it; a count now keeps
    the word after it on its line ('(1 server)', '48 months', '93.3M tokens'), unless the two are longer than a line."""
    text = (
        "Owned 8x H100 server, gpt-oss-120b needs $285,000 of capex up front (1 server), then $4,288/month to run;"
        " $825,509 cash over 48 months."
    )
    assert wrap(text, 80, first="• ", rest="  ") == [
        "• Owned 8x H100 server, gpt-oss-120b needs $285,000 of capex up front",
        "  (1 server), then $4,288/month to run; $825,509 cash over 48 months.",
    ]
    assert wrap("at 93.3M tokens a seat", 12) == ["at", "93.3M tokens", "a seat"]
    assert wrap("2,000 seats", 8) == ["2,000", "seats"]  # the pair is wider than a line: broken as before
    assert wrap("month 48", 6) == ["month", "48"]  # a count after its word breaks as before


def test_a_quoted_command_stays_on_one_line() -> None:
    """`pricing lock` said 'use: costcalc report examples/internal-assistant.yaml' / '--pricing-lock lock.yaml' on an
    80-column terminal: pasted, the two lines run as two commands. A backtick quote that fits a line is kept whole
    ('`costcalc pricing show ID`' in the stale-price warnings too); a quote longer than a line breaks as before."""
    text = (
        "locked 9 prices in lock.yaml; use: `costcalc report examples/internal-assistant.yaml --pricing-lock lock.yaml`"
    )
    assert wrap(text, 80, rest="  ") == [
        "locked 9 prices in lock.yaml; use:",
        "  `costcalc report examples/internal-assistant.yaml --pricing-lock lock.yaml`",
    ]
    assert wrap("see `a b c d e f`", 8) == ["see `a b", "c d e f`"]  # longer than a line: broken at spaces


WIDE = "Ünïcödé 名前のサーバー llama.cpp"  # each CJK character takes two columns of a terminal


@pytest.mark.parametrize("width", [40, 80])
def test_wide_characters_take_two_columns(width: int) -> None:
    """qa15: an option named 'Ünïcödé 名前 llama.cpp' made `report --details` lines of 82 columns at COLUMNS=80: the
    wrap counted characters, and a CJK character fills two columns."""
    text = f"{WIDE} is cheaper than API A from 581M tokens/month; today's volume is above that. " * 3
    lines = wrap(text.strip(), width, first="• ", rest="  ")
    assert max(cell_len(line) for line in lines) <= width
    assert " ".join(line[2:] for line in lines) == text.strip()  # the same words, nothing cut or added
    assert max(cell_len(line) for line in wrap(f"- {WIDE}{'名' * 60}", width)) <= width  # folded too


def _scenario(tmp_path: Path, base_scenario: dict[str, Any]) -> tuple[Path, Path]:
    """The base scenario renting its GPU from a one-row price file whose source is LONG_URL."""
    return renting_from(tmp_path, base_scenario, LONG_URL)


@pytest.mark.parametrize("columns", [80, 120])
def test_the_report_details_fit_the_terminal_and_keep_the_url(
    tmp_path: Path, base_scenario: dict[str, Any], today: Any, monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    path, prices = _scenario(tmp_path, base_scenario)
    args = ("report", str(path), "--pricing", str(prices), "--today", today.isoformat())
    code, out, err = invoke(*args, "--details")
    assert code == 0, err
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= columns
    assert "".join(_url_pieces(lines, LONG_URL)) == LONG_URL
    code, out, err = invoke(*args, "-f", "json")
    assert code == 0, err
    assert [p["source"] for o in json.loads(out)["options"] for p in o.get("prices", [])] == [LONG_URL]
    for fmt in ("markdown", "html"):
        code, out, err = invoke(*args, "-f", fmt)
        assert code == 0, err
        text = html.unescape(out) if fmt == "html" else out.replace("\\&", "&")  # as a browser or Markdown shows it
        assert LONG_URL in text, fmt  # whole, on one line


@pytest.mark.parametrize("columns", [80, 120])
def test_pricing_show_fits_the_terminal(
    tmp_path: Path, base_scenario: dict[str, Any], monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    _, prices = _scenario(tmp_path, base_scenario)
    code, out, err = invoke("pricing", "show", "acme/1x-h100", "--pricing", str(prices))
    assert code == 0, err
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= columns
    assert "".join(_url_pieces(lines, LONG_URL)) == LONG_URL


def test_a_separator_between_two_long_urls_starts_the_next_line_not_its_own() -> None:
    """qa15: coding-assistant's `report --details` at 80 columns had a line holding only '  ;' between two source URLs
    too long to share a line with it; it now starts the next URL's line, as '; https://...' does when it fits."""
    second = LONG_URL.replace("example.org", "example.net")
    lines = wrap(
        f"gpu h100-sxm-80gb: as of 2026-11-26, {LONG_URL} ; {second} ; https://a.example/b", 80, first="- ", rest="  "
    )
    assert all(line.strip() != ";" for line in lines)
    assert max(len(line) for line in lines) <= 80
    assert "".join(_url_pieces(lines, second)) == second
    assert lines[-1] == "  ; https://a.example/b"
    joined = " ".join(line.strip() for line in lines)
    assert joined.count(" ; ") == 2
