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


def _example_output() -> str:
    import costcalc
    from costcalc.pricing.book import PriceBook
    from costcalc.render import ReportFormat

    result = costcalc.analyze(
        str(ROOT / "examples" / "startup-chatbot.yaml"),
        prices=PriceBook.load(use_cache=False),
        today=dt.date(2026, 11, 26),
    )
    return ReportFormat.markdown.render(result)


def test_worked_example_is_current_output() -> None:
    text = README.read_text(encoding="utf-8")
    before, rest = text.split(START, 1)
    shown, after = rest.split(END, 1)
    fresh = "\n" + _example_output()
    if os.environ.get("UPDATE_README") == "1":
        README.write_text(before + START + fresh + END + after, encoding="utf-8")
        pytest.skip("README example rewritten")
    assert shown == fresh, "README example is stale: run UPDATE_README=1 pytest tests/test_readme.py"


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
