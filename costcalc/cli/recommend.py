"""`costcalc recommend`: search configurations for the cheapest way to self-host a scenario's workload (wiring only)."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import typer

from costcalc.cli.formats import FORMAT_HELP, pick_format
from costcalc.cli.options import (
    AllowOutsideOpt,
    OutputOpt,
    PricingLockOpt,
    PricingOpt,
    ScenarioArg,
    SetOpt,
    TodayOpt,
    WorkloadOpt,
    parse_day,
    terminal_width,
)

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

PROGRESS_AFTER_S = 1.0  # the bar appears only when the search runs longer than this


class RecommendFormat(str, Enum):
    """Output formats of `costcalc recommend`."""

    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"

    def render(self, rec: object, *, width: int = 120, color: bool = False) -> str:
        """Render a Recommendation in this format."""
        import importlib

        module = importlib.import_module(f"costcalc.render.recommend_{self.value}")
        text: str = (
            module.render(rec, width=width, color=color) if self is RecommendFormat.table else module.render(rec)
        )
        return text


def register(app: typer.Typer) -> None:
    """Add the recommend command to the root app."""
    app.command(
        "recommend",
        help="Search models x GPUs x GPU counts x precisions x engines x offers for the cheapest way to serve the"
        " scenario's workload within its SLO; rank them, show the cost-versus-latency frontier and the verdict"
        " against the scenario's APIs, and write the best as a scenario for `report`.",
    )(recommend_command)


class _Progress:
    """A rich bar on stderr, shown only on a terminal and only once the search has run PROGRESS_AFTER_S."""

    def __init__(self) -> None:
        from costcalc.cli.output import stderr_console

        self.console = stderr_console()
        self.started = time.monotonic()
        self.fitting = 0
        self.bar: Progress | None = None
        self.task: TaskID | None = None

    def total(self, count: int) -> None:
        self.fitting = count

    def step(self, done: int) -> None:
        if not self.console.is_terminal:
            return
        if self.bar is None:
            if time.monotonic() - self.started < PROGRESS_AFTER_S:
                return
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            bar = Progress(
                TextColumn("recommend: simulating serving"),
                BarColumn(),
                TextColumn("{task.completed} of at most {task.total} configurations"),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
            )
            bar.start()
            self.bar, self.task = bar, bar.add_task("simulate", total=self.fitting or None)
        if self.task is not None:
            self.bar.update(self.task, completed=done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


@contextmanager
def _progress() -> Iterator[_Progress]:
    bar = _Progress()
    try:
        yield bar
    finally:
        bar.close()


def recommend_command(
    scenario: ScenarioArg,
    model: Annotated[
        list[str] | None,
        typer.Option(
            "--model", metavar="ID", help="model to search (repeatable); default: the scenario's self-hosted ones"
        ),
    ] = None,
    gpu: Annotated[
        list[str] | None, typer.Option("--gpu", metavar="ID", help="only these catalog GPUs (repeatable)")
    ] = None,
    max_gpus: Annotated[int, typer.Option("--max-gpus", metavar="N", help="at most N GPUs per replica")] = 8,
    acquisition: Annotated[
        str | None, typer.Option("--acquisition", metavar="rent|buy", help="only rented, or only bought, hardware")
    ] = None,
    provider: Annotated[
        list[str] | None,
        typer.Option("--provider", metavar="NAME", help="only rentals from these providers (repeatable)"),
    ] = None,
    engine: Annotated[
        list[str] | None,
        typer.Option("--engine", metavar="NAME", help="only these engines: vllm, sglang, trtllm, llamacpp, mlx"),
    ] = None,
    precision: Annotated[
        list[str] | None,
        typer.Option("--precision", metavar="NAME", help="only these weight precisions, e.g. fp8, int4 (repeatable)"),
    ] = None,
    top: Annotated[int, typer.Option("--top", metavar="N", help="how many ranked configurations to show")] = 10,
    exhaustive: Annotated[
        bool,
        typer.Option(
            "--exhaustive",
            help="simulate every configuration that fits (slow), not only those that could make the top N",
        ),
    ] = False,
    write_scenario: Annotated[
        str | None,
        typer.Option(
            "--write-scenario",
            metavar="FILE",
            help="write a scenario with the top configurations beside the scenario's APIs and seats, for `report`",
        ),
    ] = None,
    write_top: Annotated[
        int, typer.Option("--write-top", metavar="K", help="configurations --write-scenario writes")
    ] = 3,
    format: Annotated[
        RecommendFormat | None,
        typer.Option("--format", "-f", help=FORMAT_HELP.format(default="table"), case_sensitive=False),
    ] = None,
    output: OutputOpt = None,
    set_: SetOpt = None,
    workload: WorkloadOpt = None,
    pricing: PricingOpt = None,
    pricing_lock: PricingLockOpt = None,
    today: TodayOpt = None,
    allow_outside: AllowOutsideOpt = False,
) -> None:
    """Wiring only: load → recommend → render → write (the scenario file only after success)."""
    from costcalc.analysis.recommend.request import Request
    from costcalc.analysis.recommend.run import recommend
    from costcalc.analysis.recommend.space import Constraints
    from costcalc.cli.output import check_writable, emit, same_file, to_stderr
    from costcalc.errors import InputError
    from costcalc.models.options import engine_key
    from costcalc.pricing.cache import cache_dir
    from costcalc.render import recommend_scenario
    from costcalc.resolve.book import PriceSource
    from costcalc.scenario.loaders import ScenarioSource
    from costcalc.scenario.references import set_allow_outside

    set_allow_outside(allow_outside)
    if write_scenario == "-" and output in (None, "-"):  # the two would run together on stdout
        raise InputError(
            "stdout holds the ranked configurations; name a file for the scenario, or send the ranking to -o FILE",
            field="--write-scenario",
        )
    check_writable(output)
    check_writable(write_scenario, "--write-scenario")
    if output is not None and write_scenario is not None and same_file(output, write_scenario):
        raise InputError(
            f"{write_scenario} is also -o; the ranking would replace the scenario, give each its own file",
            field="--write-scenario",
        )
    fmt = pick_format(format, output, RecommendFormat.table)
    day = parse_day(today)
    if write_top < 1:
        raise InputError("must be at least 1", field="--write-top")
    if acquisition is not None and acquisition not in ("rent", "buy"):
        raise InputError(f"rent or buy, not {acquisition!r}", field="--acquisition")
    source = ScenarioSource.load(scenario, overrides=set_ or (), workload_file=workload)
    prices = PriceSource(tuple(pricing or ()), pricing_lock, today=day)
    prices.for_scenario(source.build())  # the price files read now (kept for the search): they are inputs too
    check_writable(output)  # again, now the scenario and the files it names are known inputs: before the search
    check_writable(write_scenario, "--write-scenario")
    limits = Constraints(
        gpus=tuple(gpu or ()),
        max_gpus=max_gpus,
        acquisition=acquisition,
        providers=tuple(provider or ()),
        engines=tuple(engine_key(e) for e in engine or ()),
        precisions=tuple(p.lower() for p in precision or ()),
    )
    request = Request(models=tuple(model or ()), limits=limits, top=top, exhaustive=exhaustive)
    with _progress() as bar:
        outcome = recommend(
            source.build(),
            prices,
            request,
            today=day,
            cache=cache_dir(),
            on_total=bar.total,
            on_step=bar.step,
        )
    rec = outcome.recommendation
    cached = rec.search.simulated_configurations - outcome.newly_simulated
    to_stderr(
        f"recommend: {rec.search.candidates:,} candidates; {rec.search.simulated_configurations:,} configurations"
        f" sized by the serving simulation ({cached:,} from the capacity cache)"
    )
    tty = output is None and sys.stdout.isatty()
    text = fmt.render(rec, width=terminal_width(), color=tty)
    scenario_text = None
    if write_scenario is not None:
        if not rec.candidates:
            raise InputError("no configuration meets the SLO with a price: nothing to write", field="--write-scenario")
        doc, dropped = outcome.scenario_doc(write_top)
        command = (
            "costcalc recommend " + " ".join(sys.argv[2:]) if sys.argv[1:2] == ["recommend"] else "costcalc recommend"
        )
        scenario_text = recommend_scenario.render(doc, source=scenario, command=command, dropped=dropped)
    if scenario_text is not None:  # the file first: when it cannot be written, stdout holds nothing either
        emit(scenario_text, write_scenario, "--write-scenario")
    emit(text, output)
    if scenario_text is not None:
        to_stderr(f"wrote {write_scenario}: the top {min(write_top, len(rec.candidates))} configurations")
    for line in rec.warnings:
        to_stderr(f"warning: {line}")
