"""The README does not drift: its worked example is this version's output, and it documents every input key."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
START, END = "<!-- example:start -->", "<!-- example:end -->"
REF_START, REF_END = "<!-- reference:start -->", "<!-- reference:end -->"
REC_START, REC_END = "<!-- recommend:start -->", "<!-- recommend:end -->"
RECOMMEND_COMMAND = "costcalc recommend examples/startup-chatbot.yaml --top 3 -f markdown"


def _example_output() -> str:
    import costcalc
    from costcalc.pricing.book import PriceBook
    from costcalc.render import ReportFormat

    result = costcalc.analyze(
        str(ROOT / "examples" / "startup-chatbot.yaml"),
        prices=PriceBook.load(use_cache=False),
        today=dt.date(2026, 12, 5),
    )
    return ReportFormat.markdown.render(result)


def _check_block(start: str, end: str, fresh: str) -> None:
    text = README.read_text(encoding="utf-8")
    before, rest = text.split(start, 1)
    shown, after = rest.split(end, 1)
    if os.environ.get("UPDATE_README") == "1":
        README.write_text(before + start + fresh + end + after, encoding="utf-8")
        pytest.skip("README block rewritten")
    assert shown == fresh, "README is stale: run UPDATE_README=1 pytest tests/test_readme.py"


def test_worked_example_is_current_output() -> None:
    _check_block(START, END, "\n" + _example_output())


def _recommend_output() -> str:
    from costcalc.analysis.recommend.request import Request
    from costcalc.analysis.recommend.run import recommend
    from costcalc.pricing.book import PriceBook
    from costcalc.render import recommend_markdown
    from costcalc.resolve.book import PriceSource
    from costcalc.scenario.loaders import load_scenario

    scenario = load_scenario(str(ROOT / "examples" / "startup-chatbot.yaml"))
    prices = PriceSource(book=PriceBook.load(use_cache=False))
    outcome = recommend(scenario, prices, Request(top=3), today=dt.date(2026, 12, 5), cache=None)
    return f"\n`$ {RECOMMEND_COMMAND}`\n\n" + recommend_markdown.render(outcome.recommendation)


def test_recommend_example_is_current_output() -> None:
    _check_block(REC_START, REC_END, _recommend_output())


def test_input_reference_is_generated_from_the_models() -> None:
    from tests.support.readme_reference import reference_markdown

    _check_block(REF_START, REF_END, reference_markdown())


def test_every_input_key_is_documented() -> None:
    from pydantic import BaseModel

    import costcalc.models as models
    from costcalc.models.options import CustomGpu

    text = README.read_text(encoding="utf-8")
    classes = [getattr(models, n) for n in models.__all__] + [CustomGpu]
    missing = [
        f"{cls.__name__}.{name}"
        for cls in classes
        if isinstance(cls, type) and issubclass(cls, BaseModel)
        for name in cls.model_fields
        if f"| `{name}` |" not in text
    ]
    assert missing == []


def test_every_command_is_documented() -> None:
    from costcalc.cli import app

    text = README.read_text(encoding="utf-8")
    names = [c.name for c in app.registered_commands] + [g.name for g in app.registered_groups]
    assert names, "no commands registered"
    undocumented = [n for n in names if not re.search(rf"`costcalc {re.escape(n)}\b", text)]
    assert undocumented == []
