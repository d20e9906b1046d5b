"""The pull-request comment of `costcalc ci`: one Markdown section per scenario, fitted to a comment's size limit."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from costcalc.render import diff_markdown, report_markdown
from costcalc.render.diff_markdown import MARKER  # the comment CI finds and updates
from costcalc.words import counted

GITHUB_LIMIT_CHARS = 65_536  # GitHub refuses a longer comment body ("Body is too long"); GitLab allows more
_FOLDED = re.compile(r"\n<details>.*?</details>\n?", re.DOTALL)


@dataclass(frozen=True)
class Section:
    """One scenario's part of the comment: its file, its Markdown, and whether a guardrail failed or it broke."""

    file: str
    markdown: str
    failed: bool = False


def render(sections: Sequence[Section], footer: str, *, limit_chars: int = GITHUB_LIMIT_CHARS) -> str:
    """The comment, starting with MARKER. When every section in full is over `limit_chars`, the folded <details>
    blocks go first (the artifact's HTML reports hold them), then whole sections, failed ones kept first, and a line
    names the files left out, so the comment is never refused for its size."""
    if not sections:
        return f"{MARKER}\nNo scenario file changed.\n"
    full = _join([s.markdown for s in sections], footer)
    if len(full) <= limit_chars:
        return full
    folded = [_folded(s.markdown) for s in sections]
    if len(_join(folded, footer)) <= limit_chars:
        return _join(folded, footer)
    order = sorted(range(len(sections)), key=lambda i: not sections[i].failed)  # failures first, else file order
    kept: list[int] = []
    for i in order:
        left_out = [sections[j].file for j in order if j != i and j not in kept]
        if len(_join([folded[k] for k in sorted([*kept, i])], _left_out(left_out) + footer)) <= limit_chars:
            kept.append(i)
    left = [sections[j].file for j in order if j not in kept]
    return _join([folded[k] for k in sorted(kept)], _left_out(left) + footer)


# where a section's stale-price warning points to the price dates: its folded sources, which folding removes
_POINTERS = tuple(f"(under {m.SOURCES_TITLE} below)" for m in (diff_markdown, report_markdown))
FOLDED_POINTER = "(in its HTML report, with the sources)"


def _folded(markdown: str) -> str:
    """A section without its folded <details> blocks, its warnings pointing to the HTML report for the price dates
    (they said 'under Sources, price dates and assumptions below', no longer there)."""
    text = _FOLDED.sub("\n", markdown).rstrip()
    for pointer in _POINTERS:
        text = text.replace(pointer, FOLDED_POINTER)
    return text + "\n\n_Details folded out to fit one comment: see the HTML report._"


def _join(parts: Sequence[str], footer: str) -> str:
    return f"{MARKER}\n" + "\n\n".join([*parts, footer]) + "\n"


def _left_out(files: Sequence[str]) -> str:
    if not files:
        return ""
    shown = ", ".join(f"`{f}`" for f in files[:50]) + (f" and {len(files) - 50} more" if len(files) > 50 else "")
    left = counted(len(files), "more scenario", "more scenarios")
    return f":warning: {left} did not fit in one comment: {shown}; see their HTML reports.\n\n"
