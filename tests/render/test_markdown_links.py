"""A web address in Markdown output is a working link (an autolink, taken literally), not one broken by the
backslashes that keep the rest of the text inert (`\\&` ended up in the link as %5C&)."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt  # CommonMark, as GitHub's cmark-gfm parses it (markdown-it-py comes with rich)

from costcalc.render.escape import markdown
from tests.support.cli import invoke
from tests.support.rental_source import renting_from

URL = "https://apexapps.example.com/api/v1/products/?limit=2000&currencyCode=USD&sort=_name_*desc*~x"
PARSER = MarkdownIt("commonmark").enable("table")


def _links(text: str) -> list[tuple[str, str]]:
    """(href, shown text) of every link the Markdown renders to."""
    out = PARSER.render(text)
    return [
        (html.unescape(h), html.unescape(re.sub("<[^>]+>", "", t)))
        for h, t in re.findall(r'<a href="([^"]*)">(.*?)</a>', out)
    ]


def _shown(text: str) -> str:
    """The text the Markdown shows (tags removed, entities read, the word joiner that stops mentions dropped)."""
    return html.unescape(re.sub("<[^>]+>", "", PARSER.render(text))).replace("\u2060", "").strip()


@pytest.mark.parametrize(
    ("text", "urls"),
    [
        (f"source: {URL} (read 2026-09-19)", [URL]),
        (f"(from {URL}).", [URL]),
        (
            "see https://en.wikipedia.org/wiki/Fold_(higher-order_function), then",
            ["https://en.wikipedia.org/wiki/Fold_(higher-order_function)"],
        ),
        ("two: http://a.test/x_y, https://b.test/@team?q=1!", ["http://a.test/x_y", "https://b.test/@team?q=1"]),
    ],
    ids=["query", "sentence-end", "brackets", "two"],
)
def test_an_address_is_a_link_to_itself_and_the_text_reads_as_written(text: str, urls: list[str]) -> None:
    md = markdown(text)
    assert _links(md) == [(u, u) for u in urls]
    assert _shown(md) == text


def test_the_rest_stays_inert() -> None:
    text = "![img](http://x.test/p.png) </details> **bold** @everyone _x_ a|b"
    md = markdown(text)
    assert _links(md) == [("http://x.test/p.png", "http://x.test/p.png")]  # the address only, never an image
    rendered = PARSER.render(md)
    assert "<img" not in rendered and "<strong>" not in rendered and "<em>" not in rendered
    assert "</details>" not in rendered and "@everyone" not in md
    assert _shown(md) == text


def test_an_address_in_a_table_cell_is_one_link_and_keeps_the_cell() -> None:
    row = f"| a | {markdown(URL + ' | not a cell')} |"
    out = PARSER.render("| x | y |\n|---|---|\n" + row + "\n")
    assert out.count("<td>") == 2
    assert _links("| x | y |\n|---|---|\n" + row + "\n") == [(URL, URL)]


def test_the_reports_markdown_links_its_sources(tmp_path: Path, base_scenario: dict[str, Any], today: Any) -> None:
    path, prices = renting_from(tmp_path, base_scenario, URL)
    code, out, err = invoke(
        "report", str(path), "--pricing", str(prices), "--today", today.isoformat(), "-f", "markdown"
    )
    assert code == 0, err
    assert (URL, URL) in _links(out)


@pytest.mark.parametrize("name", ["Plan #2 (see #12)", "gh-7 rollout", "GH-7 rollout"])
def test_a_name_with_an_issue_number_does_not_link_to_an_issue(name: str) -> None:
    """GitHub turns '#12' and 'GH-12' in a comment into a link to issue 12 of the repository; a scenario or option
    named 'Plan #2' would link to an unrelated issue. The text still shows as written."""
    out = markdown(name)
    assert not re.search(r"(?<![\w&])(#|gh-)\d", out, re.IGNORECASE), out
    assert _shown(out) == name


def test_a_hash_inside_a_word_or_before_letters_stays_as_written() -> None:
    assert markdown("C#7 build, issue#3, #hashtag") == "C#7 build, issue#3, #hashtag"
