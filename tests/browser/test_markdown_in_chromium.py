"""The Markdown report as a pull-request comment shows it: parsed as GitHub does (CommonMark tables), styled as
GitHub styles a comment's tables (as wide as their content, at most the comment's width, scrolling beyond it), in a
comment 760 px wide; every table fits without scrolling, its cells of figures kept whole (test_markdown_as_read)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from costcalc.api import analyze, load_scenario
from costcalc.render import report_markdown
from tests.browser.test_html_in_chromium import _browser, _chromium

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
TODAY = "2026-12-06"  # the examples' prices are all valid on it
COMMENT_PX = 760  # a pull-request comment's body on a desktop screen
STYLE = (  # GitHub's markdown-body rules that size a table
    "body{margin:0;font:14px/1.5 -apple-system,'Segoe UI','Noto Sans',Helvetica,Arial,sans-serif}"
    f".comment{{width:{COMMENT_PX}px}}"
    "table{border-collapse:collapse;display:block;width:max-content;max-width:100%;overflow:auto}"
    "td,th{padding:6px 13px;border:1px solid #d0d7de}"
)
PROBE = """<script>addEventListener('load', () => {
  const p = document.createElement('pre'); p.id = 'probe';
  p.textContent = JSON.stringify([...document.querySelectorAll('table')].map(t => t.scrollWidth - t.clientWidth));
  document.body.appendChild(p); });</script>"""


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_table_of_the_comment_fits_it(path: Path, tmp_path: Path) -> None:
    browser = _browser()
    text = report_markdown.render(analyze(load_scenario(str(path)), today=TODAY))
    body = MarkdownIt("commonmark").enable("table").render(text)
    page = tmp_path / "comment.html"
    page.write_text(
        f"<!DOCTYPE html><meta charset='utf-8'><style>{STYLE}</style><div class='comment'>{body}</div>{PROBE}",
        encoding="utf-8",
    )
    dom = _chromium(browser, "--window-size=1000,800", "--dump-dom", page.as_uri(), tmp=tmp_path)
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom.stdout, flags=re.DOTALL)
    assert found, f"no probe output; chromium said: {dom.stderr[-500:]}"
    overflow = json.loads(found.group(1))
    assert len(overflow) == 2 and max(overflow) <= 1, overflow  # px a table would scroll by
