"""Flags, ids and dates in the HTML report's sentences are kept on one line (render.escape.kept_whole); a browser
breaks a line after a hyphen, and on a 390 px phone '--details' read '--' over 'details' (tests/browser checks the
laid-out page)."""

from __future__ import annotations

import html
import re

from costcalc.render.escape import WHOLE_WORD_CHARS, kept_whole, xml_prose


def _text(marked: str) -> str:
    return html.unescape(re.sub(r"<[^>]*>", "", marked))


def test_flags_ids_and_dates_sit_in_nowrap_spans() -> None:
    out = xml_prose("check the report day (--today): gpt-oss-120b as of 2027-03-01, or -ctk q8_0")
    for word in ("(--today):", "gpt-oss-120b", "2027-03-01,", "-ctk"):
        assert f"<span class='nb'>{word}</span>" in out
    assert "<span class='nb'>q8_0</span>" not in out  # no hyphen: breaks as any word


def test_the_text_is_unchanged_and_escaped() -> None:
    said = "a <b> & 'c-d' \"e-f\"  two  spaces"
    out = xml_prose(said)
    assert _text(out) == said
    assert "<b>" not in out and "&lt;b&gt;" in out


def test_addresses_and_long_words_still_break_and_tags_stay_whole() -> None:
    url = "https://www.example.com/a-long-path-of-words"
    long_word = "x-" * (WHOLE_WORD_CHARS // 2 + 1)
    out = xml_prose(f"see {url} and {long_word}")
    assert "nb" not in out
    assert kept_whole("<code>costcalc measure --base-url</code>") == (
        "<code>costcalc measure <span class='nb'>--base-url</span></code>"
    )
    assert kept_whole("<span class='tie-note'>x</span>") == "<span class='tie-note'>x</span>"


def test_a_price_id_with_slashes_is_kept_whole() -> None:
    assert xml_prose("lambda/1x-h100-sxm/on-demand:") == "<span class='nb'>lambda/1x-h100-sxm/on-demand:</span>"
