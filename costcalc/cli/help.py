"""Help that reads like a Unix tool's: an Examples section on every command, real metavars, no `<bool>` on flags.

`tidy()` runs once on the built command tree (the root group calls it), so every command, including
one added later, gets the same treatment: its examples from EXAMPLES below, arguments shown by their
NAME alone, flags without a type, and an option whose metavar was not given shown as its choices
([table|json]) or its own name in capitals (--provider PROVIDER). Numbers and files name theirs (N, FILE).
"""

from __future__ import annotations

import re
from typing import Any

# command path -> (what it does, the command line); every command has at least one (tests walk them and parse
# each line against the command, so an example can't name an option that does not exist).
EXAMPLES: dict[str, tuple[tuple[str, str], ...]] = {
    "": (
        ("Start from a commented scenario", "costcalc init scenario.yaml"),
        ("Compare its options", "costcalc report scenario.yaml"),
        ("Any command's options and examples", "costcalc report --help"),
    ),
    "pricing": (
        ("Browse the shipped prices", "costcalc pricing list --kind rental --provider lambda"),
        ("Where one price comes from", "costcalc pricing show openai/gpt-6-luna"),
    ),
    "catalog": (
        ("GPUs and their specs", "costcalc catalog gpus"),
        ("Models and their architectures", "costcalc catalog models"),
        ("The benchmarks behind an error band", "costcalc catalog benchmarks --engine vllm --class server"),
    ),
    "report": (
        ("The answer, the table and the verdict", "costcalc report scenario.yaml"),
        ("Also the sources, price dates and a cost chart", "costcalc report scenario.yaml --details"),
        ("A self-contained HTML report (the extension picks the format)", "costcalc report scenario.yaml -o r.html"),
        ("What if usage grows 5% a month?", "costcalc report scenario.yaml --set workload.growth_per_month=0.05"),
        (
            "Fail a CI job (exit 1) when a limit is crossed",
            "costcalc report scenario.yaml --fail-if 'payback_months > 18'",
        ),
        ("Add the cheapest configurations to the HTML report", "costcalc report scenario.yaml --recommend -o r.html"),
    ),
    "recommend": (
        ("The cheapest ways to serve the scenario's workload", "costcalc recommend scenario.yaml"),
        (
            "Rented H100s only, at most 4 per replica",
            "costcalc recommend scenario.yaml --gpu h100 --max-gpus 4 --acquisition rent",
        ),
        ("Other models, as JSON", "costcalc recommend scenario.yaml --model qwen3-32b -f json"),
        (
            "Write the best three as a scenario for `report`",
            "costcalc recommend scenario.yaml --write-scenario best.yaml",
        ),
    ),
    "schema": (
        ("Print the JSON Schema", "costcalc schema"),
        ("Save it for your editor's YAML language server", "costcalc schema -o costcalc.schema.json"),
    ),
    "init": (
        ("Write a commented starter scenario, then report it", "costcalc init scenario.yaml"),
        ("Print it instead", "costcalc init"),
    ),
    "estimate": (
        (
            "One replica of Llama 3.3 70B on two H100s",
            "costcalc estimate --gpu h100-sxm-80gb --gpus 2 --model llama-3.3-70b --input-tokens 1800 --output-tokens 350",
        ),
        (
            "Capacity under an SLO, from a serving simulation (p95s)",
            "costcalc estimate --gpu h100-sxm-80gb --model gpt-oss-120b --input-tokens 1200 --output-tokens 250"
            " --ttft-p95-ms 1500 --min-output-tokens-per-s-per-user 25",
        ),
        ("Every row of a cases file, as CSV", "costcalc estimate --cases cases.csv -o estimates.csv"),
    ),
    "ingest": (
        ("Operating points of a vLLM benchmark run", "costcalc ingest vllm-bench.json"),
        ("Several tools' files at once, as JSON", "costcalc ingest guidellm.json genai-perf.json -o points.json"),
    ),
    "measure": (
        (
            "Load-test a local server at three concurrency levels",
            "costcalc measure --base-url http://127.0.0.1:8000 --model llama --concurrency 1,4,16 -o measured.json",
        ),
        (
            "Open-loop load: Poisson arrivals at 0.5, 1 and 2 requests/s, 60 s each",
            "costcalc measure --base-url http://127.0.0.1:8000 --model llama --rate 0.5,1,2 --duration 60 -o rates.json",
        ),
        (
            "An endpoint that needs a key (read from the environment)",
            "costcalc measure --base-url https://example.com --model m --api-key-env MY_KEY --duration 30",
        ),
    ),
    "diff": (
        ("Two versions of a scenario", "costcalc diff before.yaml after.yaml"),
        (
            "A pull-request comment from saved JSON reports",
            "costcalc diff base.json head.json -f markdown -o comment.md",
        ),
        (
            "Fail when the bill rises more than 10%",
            "costcalc diff base.json head.json --fail-if 'diff.monthly_cost_pct > 10'",
        ),
    ),
    "chart": (
        (
            "Break-even chart for a slide (PNG needs resvg-py: pip install 'resvg-py>=0.5')",
            "costcalc chart scenario.yaml -o breakeven.png",
        ),
        ("Cost breakdown as SVG", "costcalc chart scenario.yaml --kind breakdown -o breakdown.svg"),
    ),
    "sweep": (
        (
            "Cost from 1,000 to 1,000,000 requests a day (20 points, log-spaced)",
            "costcalc sweep scenario.yaml --vary workload.requests_per_day=1000:1000000:20:log",
        ),
        (
            "Who wins over traffic and output length (a matrix)",
            "costcalc sweep scenario.yaml --vary workload.requests_per_day=1e4,1e5,1e6 --vary workload.output_tokens=200,800",
        ),
        (
            "Every point to a file",
            "costcalc sweep scenario.yaml --vary workload.cached_input_share=0:0.9:10 -o sweep.csv",
        ),
    ),
    "sensitivity": (
        ("Which inputs move the answer most", "costcalc sensitivity scenario.yaml"),
        (
            "Only two inputs, as CSV",
            "costcalc sensitivity scenario.yaml --input workload.output_tokens --input workload.peak_to_average -f csv",
        ),
    ),
    "simulate": (
        ("P10/P50/P90 costs over the uncertain inputs", "costcalc simulate scenario.yaml --samples 20000 --seed 1"),
        ("Every sample to CSV", "costcalc simulate scenario.yaml -n 5000 --seed 1 -o samples.csv"),
    ),
    "ci": (
        (
            "In a pull request: the changed scenarios against the base branch",
            "git diff --name-only origin/main... -- 'scenarios/*.yaml' | costcalc ci origin/main costcalc-out",
        ),
        (
            "Named files, a guardrail, pinned prices",
            "costcalc ci origin/main out scenarios/a.yaml --fail-if 'diff.monthly_cost_pct > 10' --pricing-lock costcalc.lock.json",
        ),
    ),
    "pricing list": (
        ("Every API price of one provider", "costcalc pricing list --kind api --provider openai"),
        ("All rows as CSV", "costcalc pricing list -f csv -o prices.csv"),
    ),
    "pricing show": (
        ("One row with its source and date", "costcalc pricing show openai/gpt-6-luna"),
        ("As JSON", "costcalc pricing show openai/gpt-6-luna -f json"),
    ),
    "pricing lock": (
        ("Pin the prices a scenario uses", "costcalc pricing lock scenario.yaml -o costcalc.lock.json"),
        ("Then report with exactly those prices", "costcalc report scenario.yaml --pricing-lock costcalc.lock.json"),
    ),
    "pricing update": (
        ("See what a refresh would change", "costcalc pricing update --dry-run"),
        ("Refresh from genai-prices", "costcalc pricing update --source genai-prices"),
    ),
    "pricing validate": (
        ("Check your own price rows before using them", "costcalc pricing validate my-prices.csv"),
        ("Then layer them over the shipped ones", "costcalc report scenario.yaml --pricing my-prices.csv"),
        ("Check the shipped tables against their build dates", "costcalc pricing validate"),
    ),
    "catalog gpus": (
        ("The GPUs costcalc knows", "costcalc catalog gpus"),
        ("As CSV", "costcalc catalog gpus -f csv"),
    ),
    "catalog models": (
        ("The open-weight models costcalc knows", "costcalc catalog models"),
        ("As JSON", "costcalc catalog models -f json"),
    ),
    "catalog benchmarks": (
        ("The 53 rows behind 'vllm server band'", "costcalc catalog benchmarks --engine vllm --class server"),
        ("Every row with its source, for a spreadsheet", "costcalc catalog benchmarks -f csv -o benchmarks.csv"),
    ),
}


def epilog(path: str) -> str | None:
    """The Examples section of one command (rich markup; user-facing brackets escaped)."""
    from rich.markup import escape

    found = EXAMPLES.get(path)
    if not found:
        return None
    lines = ["[bold]Examples[/bold]"]
    for what, line in found:
        lines.append(escape(what) if what.endswith(("?", ":")) else f"{escape(what)}:")
        lines += [f"  [cyan]{escape(part)}[/cyan]" for part in shell_lines(line)]
    return "\n".join(lines)


# a choice list wider than this ('[table|json|csv]' is not) can fold mid-word in an 80-column help's middle column
# ('[table|csv|json|parqu' / 'et]', '[chat|completio' / 'ns]'): it is shown as its name (FORMAT), its help opening
# with the choices where it does not name them already
CHOICES_WIDTH = 16
EXAMPLE_WIDTH = 72  # an example's lines, indented, fit an 80-column help page's panel


def shell_lines(command: str, width: int = EXAMPLE_WIDTH) -> list[str]:
    """A command line broken at spaces into lines of at most `width` characters, each but the last ending in ' \\'
    and the rest indented, so that it pastes into a shell as one command (the help's own wrapping broke a long
    example at any space, and its second line ran as a command of its own). Quoted text, and a flag with its
    value, stay whole."""
    import shlex

    words = shlex.split(command, posix=False)  # keeps the quotes: 'payback_months > 18' is one word
    units: list[str] = []  # a flag stays with its value: '--rate 0.5,1,2' is never split
    for word in words:
        if units and units[-1].startswith("-") and " " not in units[-1] and not word.startswith("-"):
            units[-1] += f" {word}"
        else:
            units.append(word)
    lines: list[str] = []
    current = ""
    for word in units:
        candidate = f"{current} {word}" if current else word
        if current and len(candidate) + 2 > width:
            lines.append(f"{current} \\")
            current = f"    {word}"
        else:
            current = candidate
    return [*lines, current]


def tidy(group: Any, prefix: str = "") -> None:
    """Examples and metavars for every command under `group` (recursively), and for the group itself."""
    group.epilog = group.epilog or epilog(prefix.strip())
    _tidy_params(group)
    for name, command in getattr(group, "commands", {}).items():
        path = f"{prefix}{name}"
        if hasattr(command, "commands"):
            tidy(command, prefix=f"{path} ")
            continue
        command.epilog = command.epilog or epilog(path)
        _tidy_params(command)


def _tidy_params(command: Any) -> None:
    for param in command.params:
        if param.param_type_name == "argument":
            param.metavar = param.metavar or param.name.upper()
            param.display_type_rich = _no_type  # SCENARIO, FILE: the name says what goes there
        elif getattr(param, "is_flag", False):
            param.metavar = ""
        elif param.metavar is None:
            param.metavar = _metavar(param)
            if len(param.metavar) > CHOICES_WIDTH:  # a long list of choices: named, the choices said in its help
                choices = _choices(param)
                if not all(re.search(rf"\b{re.escape(c)}\b", param.help or "") for c in choices):  # unless said
                    param.help = (
                        f"one of {_listed(choices)}: {param.help}" if param.help else f"one of {_listed(choices)}"
                    )
                param.metavar = _named(param)
    make_help = command.get_help_option

    def get_help_option(ctx: Any) -> Any:
        option = make_help(ctx)
        if option is not None:
            option.metavar = ""  # a flag: no `<bool>`
            if not getattr(option.callback, "leaves_quietly", False):  # click keeps the option: wrap it once
                option.callback = _leaving_quietly(option.callback)
        return option

    command.get_help_option = get_help_option


def _leaving_quietly(show_help: Any) -> Any:
    """The help option's callback, ending with exit 0 when the reader of stdout left early (`costcalc report --help
    | head -1`), as a result does (cli.output): rich answers the closed pipe with exit 1, the guardrails' code."""
    import os
    import sys

    import typer

    def callback(ctx: Any, param: Any, value: Any) -> Any:
        if value and not ctx.resilient_parsing:
            _fold_long_words()
        try:
            return show_help(ctx, param, value)
        except (SystemExit, BrokenPipeError) as exc:
            if isinstance(exc, SystemExit) and exc.code != 1:
                raise
            devnull = os.open(os.devnull, os.O_WRONLY)  # (rich has done this already; a plain write has not)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(0) from None
        except OSError as exc:  # a full disk or a device that refuses it: one line and exit 3, as for a result
            from costcalc.cli.output import to_stderr, write_error  # (not cli.errors.fail: it imports this module)

            error = write_error(exc, "<stdout>")
            to_stderr(f"error: {error}")
            raise typer.Exit(error.exit_code) from None

    callback.leaves_quietly = True  # type: ignore[attr-defined]
    return callback


def _fold_long_words() -> None:
    """Help's tables fold a word longer than its column onto the next line instead of cutting it with '…' (typer's
    option tables cut at 80 columns: `--min-output-tokens-per…`, `--request-time…`, `PATH=START:STOP[:STEPS][…`, so
    a flag could not be read whole); typer's own type column folds already. Done when help is shown: no rich import
    on other runs."""
    try:
        from typer import rich_utils
    except ImportError:  # typer without rich: click's plain help, which wraps
        return
    table = getattr(rich_utils, "Table", None)
    if table is None or getattr(table, "folds_long_words", False):
        return

    class FoldingTable(table):  # type: ignore[misc, valid-type]
        folds_long_words = True

        def add_row(self, *renderables: Any, **kwargs: Any) -> None:
            while len(self.columns) < len(renderables):  # columns typer leaves to add_row: folding ones
                self.add_column(overflow="fold")
            for cell in renderables:  # the help cell is a Columns of texts, each cut on its own unless told
                for text in (cell, *getattr(cell, "renderables", ())):
                    if hasattr(text, "overflow") and text.overflow in (None, "ellipsis"):
                        text.overflow = "fold"
            super().add_row(*renderables, **kwargs)

    rich_utils.Table = FoldingTable  # type: ignore[misc]


def _metavar(param: Any) -> str:
    """The choices as [a|b|c] for a choice, else the option's own name in capitals (--provider PROVIDER)."""
    if choices := _choices(param):
        return "[" + "|".join(choices) + "]"
    return _named(param)


def _choices(param: Any) -> list[str]:
    """A choice option's choices as typed (none for any other option)."""
    kind = getattr(param, "type", None) or getattr(param, "type_descriptor", None)  # click, or typer >= 0.25
    return [str(getattr(c, "value", c)) for c in getattr(kind, "choices", None) or ()]


def _named(param: Any) -> str:
    """The option's own name in capitals: --provider PROVIDER, --format FORMAT."""
    longest: str = max(param.opts, key=len).lstrip("-")
    return longest.upper().replace("-", "_")


def _listed(words: list[str]) -> str:
    """'table, csv, json or parquet'."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def _no_type(ctx: Any) -> None:
    return None
