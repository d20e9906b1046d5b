"""The HTML report's markup without the spans that keep flags and hyphenated ids on one line (render.escape.kept_whole),
for tests that look for a sentence in the page's source."""

from __future__ import annotations

import re

_KEPT_WHOLE = re.compile(r"<span class='nb'>([^<]*)</span>")


def unwrapped(page: str) -> str:
    """`page` with each <span class='nb'>WORD</span> as WORD."""
    return _KEPT_WHOLE.sub(r"\1", page)
