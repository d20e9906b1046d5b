"""Fuzzing the scenario loader: Hypothesis builds YAML trees (and raw YAML text) around a valid scenario;
`costcalc report` on them exits 0 with finite JSON, or 2 with exactly one `error:` line, and nothing else.

The CI run is derandomized (the same examples each time, so a failure is reproducible and never
blocks someone else's merge by chance); COSTCALC_FUZZ_EXAMPLES sets how many, and
COSTCALC_FUZZ_RANDOM=1 draws fresh ones (how the corpus of the hostile report was searched).
"""

from __future__ import annotations

import copy
import json
import math
import os
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.hostile.case import FILES

BASE: dict[str, Any] = yaml.safe_load((FILES / "base.yaml").read_text(encoding="utf-8"))
EXAMPLES = int(os.environ.get("COSTCALC_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("COSTCALC_FUZZ_RANDOM") != "1",
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)

# Text a user (or an attacker) might put anywhere: markup, escapes, look-alikes, paths, formulas.
NASTY_TEXT = st.sampled_from(
    [
        "",
        " ",
        "Costs [/]",
        "[bold]x[/bold]",
        "\x1b]0;title\x07",
        "H100\u200b",
        "\u202eevil",
        '=HYPERLINK("x")',
        "../outside/secret.yaml",
        "/dev/zero",
        "usage.yaml",
        "nan",
        "1e400",
        "true",
        "api",
        "self_hosted",
        "subscription",
        "openai/gpt-5-mini",
        "h100-sxm-80gb",
        "llama-3.1-8b",
        "x" * 5000,
    ]
)
NASTY_NUMBERS = st.sampled_from(
    [0, -1, 1, 0.5, -0.0, 1e-300, 1e308, 2**63, 10**30, 10**400, math.inf, -math.inf, math.nan]
)
LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | NASTY_NUMBERS
    | st.text(max_size=30)
    | NASTY_TEXT
)


def _schema_keys() -> list[str]:
    """Every property name in the scenario schema: added keys are mostly real ones, so a case gets past
    the unknown-key check and reaches the checks (and the engine) behind it."""
    from costcalc.models import Scenario

    keys: set[str] = set()
    stack: list[Any] = [Scenario.model_json_schema()]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("properties"), dict):
                keys.update(node["properties"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return sorted(keys)


KEYS = st.sampled_from(_schema_keys()) | st.text(max_size=12) | NASTY_TEXT
VALUES = st.recursive(
    LEAVES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)


def _tweak(draw: st.DrawFn, value: Any) -> Any:
    """A value of the same kind as the one it replaces, four times in five: numbers scaled or swapped for an
    extreme, strings swapped for hostile text; otherwise (and for anything else) an arbitrary tree."""
    same_kind = draw(st.integers(0, 4)) > 0
    if isinstance(value, (int, float)) and not isinstance(value, bool) and same_kind:
        return draw(
            NASTY_NUMBERS
            | st.sampled_from([value * 1e9, value * 1e-9, -value, value + 1e-12, value * 2, value // 2])
            | st.floats(allow_nan=True, allow_infinity=True)
        )
    if isinstance(value, str) and same_kind:
        return draw(NASTY_TEXT | st.text(max_size=30))
    return draw(VALUES)


def _slots(tree: Any) -> list[tuple[Any, Any]]:
    """Every (container, key) in the tree, in document order: each value is as likely to be changed."""
    out: list[tuple[Any, Any]] = []
    keys = list(tree) if isinstance(tree, dict) else range(len(tree)) if isinstance(tree, list) else []
    for key in keys:
        out.append((tree, key))
        out.extend(_slots(tree[key]))
    return out


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    """The base scenario with one to three of its values tweaked or replaced, keys removed, or keys added.

    Mostly one value changed in place, so that many cases pass validation and reach the engine with an
    odd value; every sixth change or so removes a key or adds one (a schema name, else any text).
    """
    data = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 3))):
        parent, key = draw(st.sampled_from(_slots(data)))
        node = parent[key]
        action = draw(st.sampled_from(["tweak"] * 4 + ["delete", "add"]))
        if action == "delete" and isinstance(parent, dict):
            del parent[key]
        elif action == "add":
            target = node if isinstance(node, dict) else parent
            if isinstance(target, dict):
                target[draw(KEYS)] = draw(VALUES)
        else:
            parent[key] = _tweak(draw, node)
    return data


SNIPPETS = st.sampled_from(
    [
        "&a ",
        "*a",
        "<<: *a\n",
        "!!python/object:os.system ",
        "!!binary aGVsbG8=",
        "!!str ",
        "? [1, 2]\n: x\n",
        "---\n",
        "\t",
        "\ufeff",
        "{",
        "]",
        "'",
        '"\\e[2J"',
        "- ",
        ": ",
        "#",
        "%YAML 1.1\n",
        "a: &x [*x]\n",
        "[" * 70,
        "1e999",
        ".inf",
        "9" * 500,
    ]
)


@st.composite
def mangled_text(draw: st.DrawFn) -> str:
    """The base scenario's YAML with snippets spliced in at random places."""
    text = yaml.safe_dump(BASE, sort_keys=False)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(SNIPPETS) + text[at:]
    return text


def _report(path: Path) -> tuple[int, str, str]:
    from costcalc.cli import app

    result = CliRunner().invoke(app, ["report", str(path), "--today", "2026-09-01", "-f", "json"])
    return result.exit_code, result.stdout, result.stderr


def _finite(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_finite(v) for v in value.values())
    if isinstance(value, list):
        return all(_finite(v) for v in value)
    return True


def _check(code: int, stdout: str, stderr: str) -> None:
    assert code in (0, 2), f"exit {code}\n{stderr[-2000:]}"
    assert "Traceback" not in stderr
    if code == 2:
        lines = [line for line in stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("error: "), stderr[-2000:]
        assert stdout == ""
    else:
        report = json.loads(stdout)
        assert _finite(report), "a non-finite number in the JSON report"


@FUZZ
@given(data=mutated())
def test_fuzzed_yaml_tree_exits_0_or_2(data: dict[str, Any], tmp_path_factory: Any) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "usage.yaml").write_text(yaml.safe_dump(BASE["workload"]), encoding="utf-8")
    path = folder / "s.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    _check(*_report(path))


@FUZZ
@given(text=mangled_text())
def test_fuzzed_yaml_text_exits_0_or_2(text: str, tmp_path_factory: Any) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "s.yaml"
    path.write_text(text, encoding="utf-8")
    _check(*_report(path))
