"""The README does not drift: its worked example and the figures its prose quotes are this version's output, and it
documents every input key, command and option."""

from __future__ import annotations

import datetime as dt
import functools
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


@functools.cache
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


FIGURE = re.compile(r"<!-- figure:([\w-]+) -->(.*?)<!-- /figure -->")


def _example_bullet() -> str:
    """The worked example's first estimated option's band clause, as its report words it."""
    found = re.search(r"throughput estimated, actual \S+ to \S+ the estimate \([^)]*\)", _example_output())
    assert found, "the worked example has no estimated option's band"
    return found.group(0)


def _example_range() -> str:
    found = re.search(r"actual (\S+ to \S+) the estimate", _example_bullet())
    assert found
    return found.group(1)


def _deepseek_r1_range() -> str:
    """The range of an architecture with published runs the estimator does not reproduce (unmodelled.json)."""
    import costcalc
    from costcalc.pricing.book import PriceBook
    from costcalc.render import ReportFormat

    hardware = {"gpu": "h200-sxm-141gb", "gpus_per_replica": 8, "acquisition": "rent", "hourly_usd": 3.5}
    scenario = {
        "version": 1,
        "workload": {"requests_per_day": 100000, "input_tokens": 1200, "output_tokens": 250},
        "options": [{"name": "R1", "kind": "self_hosted", "model": "deepseek-r1", "hardware": hardware}],
    }
    result = costcalc.analyze(scenario, prices=PriceBook.load(use_cache=False), today=dt.date(2026, 12, 5))
    found = re.search(
        r"actual (\S+ to \S+ the estimate, from published runs of .*? at \S+ and held-out benchmarks at \S+),",
        ReportFormat.markdown.render(result),
    )
    assert found, "no published-runs range in the report"
    return found.group(1)


def _architecture_bias() -> str:
    """The GPU architectures whose held-out benchmarks the shipped estimate misses one way (architecture_bias.py)."""
    from costcalc.throughput.architecture_bias import architecture_biases

    found = architecture_biases()
    said = "; ".join(
        f"{b.architecture} ({', '.join(b.gpus)}: {b.one_side} of {b.rows} {'below' if b.side == 'optimistic' else 'above'}"
        f" 1, median {b.median:.2f}x, {b.low:.2f}x-{b.high:.2f}x)"
        for b in found.values()
    )
    m = next(iter(found.values())).overall_median_error if found else None
    within = "" if m is None else f" against {1 / (1 + m):.3f}x-{1 + m:.3f}x"
    return (said or "none") + within


def _guardrail_lines(*args: str) -> list[str]:
    """The guardrail lines `costcalc report ARGS -f markdown --today 2026-12-05` prints (paths as from the repo root)."""
    from tests.support.cli import invoke

    code, out, err = invoke("report", *args, "-f", "markdown", "--today", "2026-12-05")
    assert code in (0, 1), err
    found = re.findall(r"^- :\w+: (?:pass|fail): (.*)$", out, flags=re.M)
    return [line.replace("\\", "").replace(f"{ROOT}/", "") for line in found]


def _guardrail_pass() -> str:
    return _guardrail_lines(str(ROOT / "examples" / "ci" / "scenarios" / "support-assistant.yaml"))[0]


def _guardrail_fail() -> str:
    return _guardrail_lines(str(ROOT / "examples" / "startup-chatbot.yaml"), "--fail-if", "monthly_cost > 200")[0]


def _vllm_server_basis() -> str:
    """The vllm server band's rows as `costcalc catalog benchmarks --engine vllm --class server` counts them."""
    from costcalc.analysis.benchmarks import band_benchmarks
    from costcalc.bands import actual_range

    found = band_benchmarks("vllm", "server")
    assert found.stats is not None
    low, high = actual_range(found.stats.p90)
    inside = sum(low <= r.actual_over_estimate <= high for r in found.rows)
    return f"{len(found.rows)} rows, p90 {found.stats.p90:.1%}, {inside} of them within {low:.2f}x-{high:.2f}x"


FIGURES = {
    "example-bullet": _example_bullet,
    "example-range": _example_range,
    "deepseek-r1-range": _deepseek_r1_range,
    "architecture-bias": _architecture_bias,
    "guardrail-pass": _guardrail_pass,
    "guardrail-fail": _guardrail_fail,
    "vllm-server-basis": _vllm_server_basis,
}


def test_figures_the_prose_quotes_are_current_output() -> None:
    text = README.read_text(encoding="utf-8")
    assert {m.group(1) for m in FIGURE.finditer(text)} == set(FIGURES)
    fresh = FIGURE.sub(lambda m: f"<!-- figure:{m.group(1)} -->{FIGURES[m.group(1)]()}<!-- /figure -->", text)
    if os.environ.get("UPDATE_README") == "1":
        README.write_text(fresh, encoding="utf-8")
        pytest.skip("README figures rewritten")
    assert fresh == text, "README quotes stale figures: run UPDATE_README=1 pytest tests/test_readme.py"


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


def test_every_option_is_documented() -> None:
    import typer.main

    from costcalc.cli import app

    def commands(command: object, path: tuple[str, ...]) -> list[tuple[tuple[str, ...], object]]:
        subs = getattr(command, "commands", None)
        if subs is None:
            return [(path, command)]
        return [found for name, sub in subs.items() for found in commands(sub, (*path, name))]

    text = README.read_text(encoding="utf-8")
    undocumented = [
        f"costcalc {' '.join(path)} {name}"
        for path, command in commands(typer.main.get_command(app), ())
        for param in getattr(command, "params", [])
        if not getattr(param, "hidden", False)
        for name in [*param.opts, *getattr(param, "secondary_opts", [])]
        if name.startswith("--") and name != "--help" and not re.search(rf"{re.escape(name)}(?![\w-])", text)
    ]
    assert undocumented == []


def test_the_commands_said_to_take_set_are_those_that_do() -> None:
    import typer.main

    from costcalc.cli import app

    root = typer.main.get_command(app)
    subs = getattr(root, "commands", {})
    said = README.read_text(encoding="utf-8").split("- `--set PATH=VALUE` on ", 1)[1].split(" (", 1)[0]
    taking = {name for name, command in subs.items() if any("--set" in getattr(p, "opts", []) for p in command.params)}
    assert set(re.findall(r"`([a-z]+)`", said)) == taking


def test_every_exit_code_is_in_the_table() -> None:
    """qa16: costcalc exits 70 (a bug, with a crash log) and 130 (Ctrl-C), which the table did not list."""
    import costcalc.cli.crash
    import costcalc.cli.errors
    import costcalc.cli.measure
    import costcalc.errors

    codes = {
        value
        for module in (costcalc.cli.crash, costcalc.cli.errors, costcalc.cli.measure)
        for name, value in vars(module).items()
        if name.startswith("EXIT_") and isinstance(value, int)
    }
    codes |= {
        cls.exit_code
        for cls in vars(costcalc.errors).values()
        if isinstance(cls, type) and issubclass(cls, costcalc.errors.CostcalcError)
    }
    table = README.read_text(encoding="utf-8").split("### Exit codes", 1)[1].split("\n## ", 1)[0]
    listed = {int(code) for code in re.findall(r"^\| (\d+) \|", table, flags=re.M)}
    assert codes | {0, 1} == listed


def test_the_guardrail_and_set_examples_run_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """qa16: the guardrail example ran on a 'scenario.yaml' with a 'Self-hosted H100' no shipped scenario has, and the
    --set example named an option 'gpt-oss on H100' (exit 2: no option named ...)."""
    import shlex

    from tests.support.cli import invoke

    text = README.read_text(encoding="utf-8")
    block = text.split("compares a metric with a number", 1)[1].split("```bash\n", 1)[1].split("```", 1)[0]
    argv = shlex.split(block.replace("\\\n", " "))
    assert argv[:2] == ["costcalc", "report"] and "report.html" in argv
    monkeypatch.chdir(ROOT)
    argv[argv.index("report.html")] = str(tmp_path / "report.html")
    code, _, err = invoke(*argv[1:], "--today", "2026-12-05")
    assert code == 1, err  # the README says it exits 1 and still writes the report
    assert (tmp_path / "report.html").is_file()
    sentence = text.split("changes any field for one run, e.g.", 1)[1].split(".\n", 1)[0]
    examples = [shlex.split(s)[0] for s in re.findall(r"`--set ([^`]+)`", sentence)]
    assert len(examples) == 2
    for value in examples:
        code, _, err = invoke("report", "examples/startup-chatbot.yaml", "--set", value, "--today", "2026-12-05")
        assert code == 0, err
