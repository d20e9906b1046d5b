"""Capacity of one replica at the workload's lengths and SLO: given points, benchmark files, or the estimator."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from costcalc.bands import ActualRange, range_cited, range_for, range_warnings
from costcalc.catalog.specs import GpuSpec, ModelSpec
from costcalc.errors import InputError, ThroughputError
from costcalc.models import SelfHostedOption, ThroughputPoint, Workload
from costcalc.resolve.measured_model import other_model_warnings
from costcalc.throughput.points import LatencyStats, OperatingPoint
from costcalc.throughput.serving.release_support import V0_DEFAULTS, runs_v0
from costcalc.throughput.serving.server_args import ServerArgs

if TYPE_CHECKING:
    from costcalc.throughput.estimate import Estimate
    from costcalc.throughput.serving.capacity import ServingCapacity


@dataclass(frozen=True)
class ThroughputBasis:
    """Where a replica's capacity came from and what it is at the workload's lengths.

    ttft_p95_ms and tpot_p95_ms are 95th percentiles or None: a report that gave another
    statistic leaves them None, and `warnings` names the one the SLO was checked against.
    """

    kind: str  # "measured", "given" or "estimated"
    requests_per_s: float
    output_tokens_per_s: float
    concurrency: float | None  # requests in flight (the simulation's time average where simulated)
    ttft_p95_ms: float | None
    tpot_p95_ms: float | None
    meets_slo: bool
    detail: str  # says how the capacity was found and which percentile met which SLO target
    error_band: float | None = None  # estimator's p90 factor error (scoring.factor_error), as a fraction
    warnings: tuple[str, ...] = ()
    # where no point meets the SLO because the chosen one lacks a latency a target needs (points or a benchmark with
    # no TTFT): what it lacks and how to give it, which the report's warning says instead of a missed target
    slo_unchecked: str | None = None
    # actual capacity as factors of this one, 9 times in 10: the band, widened to published runs of the
    # architecture the estimator does not model yet (costcalc/bands.py); None unless estimated
    actual_range: ActualRange | None = None
    # what was estimated, where estimated: the engine, precision and load class the band quotes (the published runs
    # nearest it are found by these: analysis/published_runs.py)
    engine: str | None = None
    precision: str | None = None
    load_class: str | None = None
    # where estimated, the replica's layout in the detail's words: 'one GPU', 'tensor parallel as stated', 'pipeline
    # parallel, the layout chosen as serving more within the SLO' (a sweep says it at each point: analysis/layouts.py)
    layout: str | None = None


def resolve_throughput(
    opt: SelfHostedOption, gpu: GpuSpec, model: ModelSpec, gpus: int, workload: Workload
) -> ThroughputBasis:
    """Pick and adapt the operating point a self-hosted option is sized with."""
    from costcalc.throughput import curve

    t = opt.throughput
    where = f"options[{opt.name}].throughput"
    input_tokens = workload.mean_input_tokens
    output_tokens = workload.billed_output_tokens
    slo = workload.slo
    _check_context(opt, model, workload)
    _check_release(opt, model)
    if t is None or t.estimate:
        return _estimated(opt, gpu, model, gpus, workload, where)
    if t.points is not None:
        points = [_point(p, i) for i, p in enumerate(t.points)]
        kind, origin = "given", "points in the scenario"
        skipped: list[str] = []
    else:
        paths = [t.measured] if isinstance(t.measured, str) else list(t.measured or ())
        try:
            points, skipped = _read_measured(paths)
        except ThroughputError as exc:  # the benchmark file's fault, said at the scenario line that names the file
            at = f"{exc.file}:{exc.line}" if exc.file and exc.line else exc.file or ""
            raise exc.moved(f"{at}: {exc.detail}" if at else exc.detail, field=f"{where}.measured") from None
        kind, origin = "measured", ", ".join(paths)
        skipped += other_model_warnings(points, model)
    pick = curve.pick_for_workload(
        points,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        ttft_p95_ms=slo.ttft_p95_ms,
        min_output_tokens_per_s_per_user=slo.min_output_tokens_per_s_per_user,
        shape=_estimator_shape(opt, gpu, model, gpus, where),
    )
    scaled = pick.point
    if scaled.requests_per_s <= 0:
        raise ThroughputError("the chosen operating point serves no requests", field=where)
    c = scaled.concurrency
    shown = f"{origin}{_run_words(scaled, len(paths))}" if kind == "measured" else origin
    detail = f"{kind} ({shown}; concurrency {c:g})" if c is not None else f"{kind} ({shown})"
    measured_lengths = {(p.input_tokens, p.output_tokens) for p in points}
    if measured_lengths != {(input_tokens, output_tokens)}:
        shown = ", ".join(dict.fromkeys(f"{i:.0f}/{o:.0f}" for i, o in sorted(measured_lengths)))  # 511.5 reads 512
        detail += f"; scaled from {shown} to {input_tokens:.0f}/{output_tokens:.0f} tokens in/out"
    if pick.meets_slo and pick.checks:
        detail += f"; SLO met: {', '.join(pick.checks)}"
    if slo.ttft_p95_ms is None and slo.min_output_tokens_per_s_per_user is None:
        detail += "; no latency target: the highest-throughput point"
    warnings = tuple(f"{opt.name}: {why}" for why in skipped) + tuple(
        f"{opt.name}: {origin} gives no {metric} p95 at the chosen point; the SLO was checked against its {stat}"
        for metric, stat in pick.fallbacks
    )
    return ThroughputBasis(
        kind=kind,
        requests_per_s=scaled.requests_per_s,
        output_tokens_per_s=scaled.output_tokens_per_s,
        concurrency=c,
        ttft_p95_ms=scaled.ttft_ms.p95,
        tpot_p95_ms=scaled.tpot_ms.p95,
        meets_slo=pick.meets_slo,
        detail=detail if pick.meets_slo else f"{detail}; NO point {pick.reason.removeprefix('no point ')}",
        warnings=warnings,
        slo_unchecked=None if pick.meets_slo else _unchecked(pick.point, workload, kind, origin),
    )


def _run_words(point: OperatingPoint, files: int) -> str:
    """': costcalc-measure, model example-org/example-8b': the tool and the model name the measured file records for
    the chosen point (the file it came from first where several were given), so a reader can check the measurement
    is a run of the option's model; '' where the file records neither."""
    said = [point.tool] if point.tool != "unknown" else []
    if point.model is not None:
        said.append(f"model {point.model}")
    if not said:
        return ""
    return f"{'; chosen point from ' + point.source if files > 1 else ''}: {', '.join(said)}"


def _unchecked(point: OperatingPoint, workload: Workload, kind: str, origin: str) -> str | None:
    """'its throughput points give no TTFT, so the SLO's TTFT target cannot be checked ... (add ttft_p95_ms to each
    point)': where the chosen point lacks a latency an SLO target needs; None where it has them (a miss is a miss)."""
    from costcalc.throughput import curve

    slo = workload.slo
    lacking = []
    if slo.ttft_p95_ms is not None and point.ttft_ms.nearest(curve.SLO_PERCENTILE)[0] is None:
        lacking.append(("TTFT", "ttft_p95_ms"))
    if slo.min_output_tokens_per_s_per_user is not None and curve.per_user_tokens_per_s(point)[0] is None:
        lacking.append(("TPOT", "tpot_p95_ms"))
    if not lacking:
        return None
    names = " or ".join(name for name, _ in lacking)
    targets = "latency targets" if len(lacking) > 1 else f"{lacking[0][0]} target"
    if kind == "given":
        fix = f"add {' and '.join(key for _, key in lacking)} to each point"
        whose = "its throughput points give"
    else:
        fix = "measure with a tool that reports it, such as `costcalc measure`"
        whose = f"its benchmark results ({origin}) give"
    return f"{whose} no {names}, so the SLO's {targets} cannot be checked; costs assume the point as given ({fix})"


def _read_measured(paths: list[str]) -> tuple[list[OperatingPoint], list[str]]:
    """The benchmark files' points and what reading them skipped (a level where no request completed), as
    `costcalc ingest` says it: the reader's Python warnings went to stderr as 'ingest.py:184: IngestWarning: ...'
    with a source line."""
    import warnings

    from costcalc.throughput.ingest import IngestWarning, read_many

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", IngestWarning)
        points = read_many(paths)
    return points, [str(w.message) for w in caught if issubclass(w.category, IngestWarning)]


def misses_at_every_load(
    opt: SelfHostedOption, gpu: GpuSpec, model: ModelSpec, gpus: int, workload: Workload
) -> str | None:
    """Why an estimated option's replica misses the SLO at every load, from one simulated run; None otherwise.

    It is the first run of the capacity search resolve_throughput makes for the option (None also when the
    option is not estimated, does not fit or has no target), so a miss here is a miss there, at a tenth the cost.
    """
    from costcalc.throughput.serving.estimated import estimated_lowest_load

    t = opt.throughput
    if t is not None and not t.estimate:
        return None
    first = estimated_lowest_load(gpu, model, **_estimator_args(opt, gpus, workload, model))
    return None if first is None else first.reason


def chosen_layout_miss(
    opt: SelfHostedOption, gpu: GpuSpec, model: ModelSpec, gpus: int, workload: Workload
) -> str | None:
    """Why the layout an estimated option's capacity is chosen at misses the SLO, as its report says it (the capacity
    search at each layout that can win); misses_at_every_load's one run is the full-load layout's, which on PCIe cards
    may be another (4 RTX 4090s, qwen3-32b, 8,000-token prompts, TTFT p95 500 ms: 3,977 ms there, 1,700 ms at the
    layout chosen). None where it meets the SLO, does not fit or has no target."""
    from costcalc.throughput.serving.estimated import estimated_capacity

    cap = estimated_capacity(gpu, model, **_estimator_args(opt, gpus, workload, model))
    return None if cap.serving is None or cap.serving.meets_slo else cap.serving.reason


@dataclass(frozen=True)
class HalfReplica:
    """A replica of half an option's GPUs that meets the SLO and serves at least as much within it as the option's own."""

    gpus: int
    requests_per_s: float


def half_replica_serves_more(
    opt: SelfHostedOption, gpu: GpuSpec, model: ModelSpec, gpus: int, workload: Workload, own: ThroughputBasis
) -> HalfReplica | None:
    """The replica of half an estimated option's GPUs where it fits, meets the SLO and serves at least as much as
    `own` (the option's capacity) within it; None otherwise (one GPU or an odd count, given or measured throughput, a
    half that does not fit, that its engine arguments do not suit, or that misses the SLO too: where both miss at
    every load, neither figure is a capacity).

    A small model split over more GPUs can pay more in their exchange than the split saves (llama.cpp, llama-3.2-3b
    on 2 B200s, 1,000 / 200 tokens: 7.63 requests/s within a 1.5 s TTFT p95 against 7.87 on one). The half's
    full-load throughput, the upper end of its capacity, is read first: where it is below `own` no search runs."""
    t = opt.throughput
    if (t is not None and not t.estimate) or gpus < 2 or gpus % 2:
        return None
    try:
        args = _estimator_args(opt, gpus // 2, workload, model)
    except InputError:  # flags stated for the option's own GPU count ('--tensor-parallel-size 2')
        return None
    return half_serves_more(gpu, model, args, own.requests_per_s, own.meets_slo)


def half_serves_more(
    gpu: GpuSpec, model: ModelSpec, half_args: dict[str, Any], own_requests_per_s: float, own_meets_slo: bool
) -> HalfReplica | None:
    """half_replica_serves_more for the serving simulation's arguments of the half replica (`half_args`, as
    estimated_capacity takes them), against a capacity of `own_requests_per_s` (meeting the SLO or not): `costcalc
    estimate` asks it too."""
    from costcalc.throughput.serving.capacity import Targets
    from costcalc.throughput.serving.estimated import estimated_capacity

    full = estimated_capacity(gpu, model, **{**half_args, "targets": Targets()})
    if full.serving is None or full.full_load.requests_per_s < own_requests_per_s:
        return None
    serving = estimated_capacity(gpu, model, **half_args).serving
    if serving is None or not serving.meets_slo or (own_meets_slo and serving.requests_per_s < own_requests_per_s):
        return None
    return HalfReplica(half_args["gpu_count"], serving.requests_per_s)


def _estimator_args(opt: SelfHostedOption, gpus: int, workload: Workload, model: ModelSpec) -> dict[str, Any]:
    """The serving simulation's arguments for an estimated option: its configuration, lengths and SLO."""
    from costcalc.throughput.serving.capacity import Targets

    inputs, shares = zip(*workload.buckets, strict=True)
    return {
        "gpu_count": gpus,
        "precision": opt.precision,
        "engine": opt.engine,
        "engine_version": opt.engine_version,
        "server_args": _server_args(opt, gpus, model),
        "input_tokens": tuple(float(i) for i in inputs),
        "shares": tuple(float(s) for s in shares),
        "output_tokens": max(1, round(workload.billed_output_tokens)),
        "targets": Targets(workload.slo.ttft_p95_ms, workload.slo.min_output_tokens_per_s_per_user),
    }


def _server_args(opt: SelfHostedOption, gpus: int, model: ModelSpec) -> ServerArgs | None:
    """The option's engine arguments as the estimator reads them for a replica of `gpus` GPUs serving `model` (checked
    when the scenario loaded; None: none)."""
    from costcalc.throughput.serving.engine_args import engine_arguments

    try:
        stated = engine_arguments(opt.engine, opt.engine_args, opt.engine_version, gpus, model)
    except InputError as exc:  # a Scenario built in Python, not loaded: at the option's field
        raise InputError(exc.detail, field=f"options[{opt.name}].engine_args") from None
    return None if stated is None else stated.server


def _chosen_at(serving: ServingCapacity) -> str:
    """Where an unstated layout was chosen as serving more: ' within the SLO' (the capacity searched at each layout:
    serving.estimated), ' at full load' (no target: load_cycle.choose_mode), '' where no layout meets the SLO (the
    capacity where its miss grows least)."""
    if serving.at is None:
        return " at full load"
    return " within the SLO" if serving.meets_slo else ""


def _estimated(
    opt: SelfHostedOption, gpu: GpuSpec, model: ModelSpec, gpus: int, workload: Workload, where: str
) -> ThroughputBasis:
    from costcalc.throughput.load_cycle import LAYOUT_WORDS, layout_named
    from costcalc.throughput.serving.engine_args import flags_only
    from costcalc.throughput.serving.estimated import estimated_capacity

    args = _estimator_args(opt, gpus, workload, model)
    output_tokens = args["output_tokens"]
    cap = estimated_capacity(gpu, model, **args)
    est, serving = cap.full_load, cap.serving
    if serving is None:
        raise _unserved(opt, gpu, model, est, args, where)
    banded = cap.banded  # the estimate whose band the capacity quotes: its engine and load class pick the gap too
    actual = range_for(cap.error_band, model, banded.engine, banded.band_scenario, gpu, banded.precision)
    band = "" if actual is None else f", actual {range_cited(actual)}"  # which band, on how many benchmarks
    warnings = range_warnings(model, gpu, banded.engine, banded.band_scenario, banded.precision)  # why it is widened
    release = "" if opt.engine_version is None else f" {opt.engine_version}"  # the release it runs, as stated
    if runs_v0(opt.engine, opt.engine_version):  # why its steps and sequences differ from today's release's
        release += f" {V0_DEFAULTS}"
    # the flags as stated, less a pasted command's program words and model (the engine and model are named already)
    flags = "" if args["server_args"] is None or opt.engine_args is None else flags_only(opt.engine, opt.engine_args)
    flags = f" {flags}" if flags else ""
    layout = layout_named(gpu, gpus, est.parallelism)  # a multi-GPU replica's layout: as stated, else chosen
    if layout:
        stated = args["server_args"] is not None and args["server_args"].layout(gpus) is not None
        layout += " as stated" if stated else f", the layout chosen as serving more{_chosen_at(serving)}"
    config = f"{opt.engine}{release}{flags}, {est.precision}, {gpus}x {gpu.id}{layout}"
    estimated_as = {
        "engine": banded.engine,
        "precision": est.precision,
        "load_class": banded.band_scenario,
        "layout": layout.removeprefix(", ") or LAYOUT_WORDS[est.parallelism],  # one GPU: no layout to say in detail
    }
    at = serving.at
    if at is None:  # no latency target: the estimator's full-load throughput
        return ThroughputBasis(
            kind="estimated",
            requests_per_s=est.requests_per_s,
            output_tokens_per_s=est.output_tokens_per_s,
            concurrency=est.concurrency,
            ttft_p95_ms=None,
            tpot_p95_ms=None,
            meets_slo=True,
            detail=f"estimated ({config}, concurrency {est.concurrency}){band}; {serving.summary()}",
            error_band=est.error_band,
            warnings=warnings,
            actual_range=actual,
            **estimated_as,
        )
    return ThroughputBasis(
        kind="estimated",
        requests_per_s=serving.requests_per_s,
        output_tokens_per_s=serving.requests_per_s * output_tokens,
        concurrency=at.mean_in_flight,
        ttft_p95_ms=at.ttft_ms.p95,
        tpot_p95_ms=at.tpot_ms.p95 if output_tokens > 1 else None,
        meets_slo=serving.meets_slo,
        detail=f"estimated ({config}){band}; {serving.summary()}",
        error_band=cap.error_band,
        warnings=warnings,
        actual_range=actual,
        **estimated_as,
    )


def _check_release(opt: SelfHostedOption, model: ModelSpec) -> None:
    """A stated engine release that came out before the model cannot serve it (serving/release_support.py)."""
    from costcalc.throughput.serving.release_support import unserved

    why = unserved(opt.engine, opt.engine_version, model)
    if why is not None:
        raise InputError(why, field=f"options[{opt.name}].engine_version")


def _check_context(opt: SelfHostedOption, model: ModelSpec, workload: Workload) -> None:
    """A mean request longer than the model's context is the workload's fault for this option, not its hardware's
    (more GPUs or a lower precision do not lengthen a context): said at the workload's input length."""
    inputs, outputs = max(1, round(workload.mean_input_tokens)), max(1, round(workload.billed_output_tokens))
    if inputs + outputs <= model.max_context_tokens:
        return
    field = "workload.input_length_buckets" if workload.input_length_buckets else "workload.input_tokens"
    raise ThroughputError(
        f"requests of {inputs + outputs:,} tokens ({inputs:,} in, {outputs:,} out) are longer than {model.id} takes"
        f" ({model.max_context_tokens:,} tokens of context; option {opt.name!r}); shorten them, or self-host a model"
        " with a longer context",
        field=field,
    )


def _unserved(
    opt: SelfHostedOption, gpu: GpuSpec, model: ModelSpec, est: Estimate, args: dict[str, Any], where: str
) -> ThroughputError:
    """Why the option's replica serves no request, at the field to change: its engine_args where the replica fits
    without them (a limit or memory share they state: their line, or the --set that set them), else its throughput,
    with the remedy more GPUs or a lower precision buy (none where the engine cannot run the configuration at all)."""
    from costcalc.throughput.estimate import configuration_refusal
    from costcalc.throughput.serving.capacity import Targets
    from costcalc.throughput.serving.estimated import estimated_capacity

    reason = est.reason or ""
    if args["server_args"] is not None:
        unstated = estimated_capacity(gpu, model, **{**args, "server_args": None, "targets": Targets()})
        if unstated.serving is not None:
            stated = " ".join((opt.engine_args or "").split())
            # a refusal naming a stated flag ends with its own remedy ('exceed --max-model-len 100; raise it')
            fix = f"; the replica fits without its engine_args ({stated!r}): change or drop them"
            fix = "" if "; " in reason else fix
            return ThroughputError(f"{reason}{fix}", field=f"options[{opt.name}].engine_args")
    refused = configuration_refusal(gpu, model, args["gpu_count"], est.engine, est.precision)
    hint = "" if refused else "; use more GPUs per replica or a lower precision"  # memory is what more GPUs buy
    return ThroughputError(f"{reason}{hint}", field=where)


def _estimator_shape(opt: SelfHostedOption, gpu: GpuSpec, model: ModelSpec, gpus: int, where: str):  # type: ignore[no-untyped-def]
    """Relative capacity vs lengths from the estimator, for adapting measured points; None if it cannot. Lengths
    the model cannot take are an error at `where`, the option's throughput."""
    from costcalc.throughput.estimate import estimate

    server_args = _server_args(opt, gpus, model)

    def shape(input_tokens: float, output_tokens: float) -> float:
        est = estimate(
            gpu,
            model,
            gpu_count=gpus,
            precision=opt.precision,
            engine=opt.engine,
            input_tokens=max(1, round(input_tokens)),
            output_tokens=max(1, round(output_tokens)),
            engine_version=opt.engine_version,
            server_args=server_args,
        )
        if not est.fits:
            raise ThroughputError(f"cannot scale its points to the workload's lengths: {est.reason}", field=where)
        return est.requests_per_s

    try:
        shape(256, 256)
    except ThroughputError:
        return None
    return shape


def _point(p: ThroughputPoint, index: int) -> OperatingPoint:
    rps = p.requests_per_s if p.requests_per_s is not None else p.output_tokens_per_s / p.output_tokens  # type: ignore[operator]
    otps = p.output_tokens_per_s if p.output_tokens_per_s is not None else rps * p.output_tokens
    return OperatingPoint(
        requests_per_s=rps,
        output_tokens_per_s=otps,
        input_tokens=p.input_tokens,
        output_tokens=p.output_tokens,
        concurrency=p.concurrency,
        ttft_ms=LatencyStats(p95=p.ttft_p95_ms),
        tpot_ms=LatencyStats(p50=p.tpot_ms, p95=p.tpot_p95_ms),
        tool="scenario",
        source=f"points[{index}]",
    )
