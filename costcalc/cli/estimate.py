"""`costcalc estimate`: analytical throughput of one GPU + model + engine, or of a cases CSV."""

from __future__ import annotations

import math
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from costcalc.cli.options import terminal_width

if TYPE_CHECKING:
    from costcalc.catalog.specs import GpuSpec
    from costcalc.throughput.estimate import Estimate
    from costcalc.throughput.serving.capacity import Targets
    from costcalc.throughput.serving.estimated import EstimatedCapacity


class EstimateFormat(str, Enum):
    """Output formats: table/json for one estimate, csv/json for --cases."""

    table = "table"
    json = "json"
    csv = "csv"


MAX_TABLE_WIDTH = 100  # the table reads best no wider than this on a wide terminal

HELP = "Estimate a replica's throughput and latency from GPU and model specs (or every row of --cases CASES.csv)."


def register(app: typer.Typer) -> None:
    """Add the estimate command to the root app."""
    app.command("estimate", help=HELP)(_command)


def _command(
    *,
    gpu: Annotated[str | None, typer.Option(metavar="ID", help="catalog GPU id, e.g. h100-sxm-80gb")] = None,
    gpu_spec_file: Annotated[
        Path | None,
        typer.Option(
            "--gpu-spec",
            metavar="FILE",
            help="a GPU not in the catalog, instead of --gpu: a YAML file of a scenario's custom_gpu keys (name, like:"
            " a catalog GPU it resembles, memory_gb, memory_bandwidth_gb_s, bf16_tflops, ...)",
        ),
    ] = None,
    gpus: Annotated[int, typer.Option("--gpus", metavar="N", help="GPUs in one replica (tensor parallel)")] = 1,
    model: Annotated[str | None, typer.Option(metavar="ID", help="catalog model id, e.g. llama-3.3-70b")] = None,
    precision: Annotated[
        str | None,
        typer.Option(metavar="P", help="weights precision (default: the model's own), e.g. fp8, q4_k_m"),
    ] = None,
    engine: Annotated[str, typer.Option(metavar="ENGINE", help="trtllm, vllm, sglang, llamacpp or mlx")] = "vllm",
    engine_version: Annotated[
        str | None,
        typer.Option(
            metavar="RELEASE", help="the engine release: llamacpp a build tag such as b7079, vllm/sglang e.g. 0.6.3"
        ),
    ] = None,
    engine_args: Annotated[
        str | None,
        typer.Option(
            metavar="FLAGS",
            help="flags the server starts with, those the estimator reads, e.g. '-np 8' (llamacpp), "
            "'--max-num-seqs 64' (vllm); an unread flag is refused with the list",
        ),
    ] = None,
    input_tokens: Annotated[int | None, typer.Option(metavar="N", help="prompt tokens per request")] = None,
    output_tokens: Annotated[int | None, typer.Option(metavar="N", help="generated tokens per request")] = None,
    concurrency: Annotated[
        int | None, typer.Option(metavar="N", help="requests in flight (default: as many as fit)")
    ] = None,
    cases: Annotated[
        Path | None, typer.Option(metavar="FILE", help="CSV of cases to estimate row by row (batch mode)")
    ] = None,
    ttft_p95_ms: Annotated[
        float | None,
        typer.Option(
            metavar="MS", help="SLO: 95th-percentile time to first token, ms (adds the simulated capacity under it)"
        ),
    ] = None,
    min_output_tokens_per_s_per_user: Annotated[
        float | None,
        typer.Option(
            metavar="N", help="SLO: slowest decode speed per user, tokens/s, checked at TPOT p95 (adds the capacity)"
        ),
    ] = None,
    fmt: Annotated[
        EstimateFormat | None,
        typer.Option(
            "--format", "-f", help="table|json (single) or csv|json (--cases); default from -o", case_sensitive=False
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="write to FILE (only on success); its extension picks -f"),
    ] = None,
) -> None:
    """Wire options to the estimator and a renderer."""
    from costcalc.cli.formats import pick_format
    from costcalc.cli.output import check_writable
    from costcalc.errors import InputError
    from costcalc.render import estimate as render

    check_writable(None if output is None else str(output))
    default = EstimateFormat.csv if cases is not None else EstimateFormat.table
    fmt = pick_format(fmt, None if output is None else str(output), default)

    if cases is not None:
        if gpu_spec_file is not None:  # was ignored: every row estimated on its own catalog gpu
            raise InputError(
                "--cases estimates each row on its gpu column's catalog GPU; drop --gpu-spec", field="--gpu-spec"
            )
        if fmt == EstimateFormat.table:
            raise InputError("--cases writes csv or json; use --format csv or --format json", field="--format")
        from costcalc.analysis.cases import estimate_cases
        from costcalc.throughput.calibration import read_cases

        header, rows = read_cases(cases)
        done = estimate_cases(rows)
        text = (render.render_cases_json if fmt == EstimateFormat.json else render.render_cases_csv)(header, done)
        _emit(text, output)
        return

    if gpu is not None and gpu_spec_file is not None:
        raise InputError("give --gpu (a catalog id) or --gpu-spec (a file), not both", field="--gpu-spec")
    missing = [
        name
        for name, v in (
            ("--gpu", gpu if gpu_spec_file is None else str(gpu_spec_file)),
            ("--model", model),
            ("--input-tokens", input_tokens),
            ("--output-tokens", output_tokens),
        )
        if v is None
    ]
    if missing:
        raise InputError(f"missing {', '.join(missing)}; give them, or use --cases CASES.csv")
    if fmt == EstimateFormat.csv:
        raise InputError("a single estimate renders as table or json; csv is for --cases", field="--format")
    from costcalc.catalog import get_gpu, get_model
    from costcalc.errors import ThroughputError
    from costcalc.throughput.estimate import estimate_ids

    assert model is not None and input_tokens is not None and output_tokens is not None
    gpu_spec = (
        get_gpu(gpu or "", param="gpu")
        if gpu_spec_file is None
        else _custom_gpu(gpu_spec_file, model, precision, engine, engine_args, engine_version)
    )

    def estimated(parallelism: str | None = None) -> Estimate:
        assert model is not None and input_tokens is not None and output_tokens is not None
        return estimate_ids(
            gpu_spec,
            model,
            gpu_count=gpus,
            precision=precision,
            engine=engine,
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            concurrency=concurrency,
            engine_version=engine_version,
            engine_args=engine_args,
            parallelism=parallelism,
        )

    est = estimated()
    if not est.fits:
        raise ThroughputError(f"does not fit: {est.reason}{_fit_remedy(est, gpu_spec)}")
    serving = None
    if ttft_p95_ms is not None or min_output_tokens_per_s_per_user is not None:
        serving = _serving(
            gpu_spec,
            model,
            gpus,
            precision,
            est,
            input_tokens,
            output_tokens,
            ttft_p95_ms,
            min_output_tokens_per_s_per_user,
        )
        if serving.full_load.parallelism != est.parallelism:  # the layout chosen within the targets: every figure's
            est = estimated(serving.full_load.parallelism)
    from costcalc.analysis.estimate_band import estimate_band
    from costcalc.analysis.published_runs import estimate_runs
    from costcalc.bands import range_for, range_warnings
    from costcalc.cli.output import to_stderr
    from costcalc.resolve.custom_gpu import custom_words
    from costcalc.throughput.band_basis import band_basis

    spec = get_model(model)
    quoted = [est] if serving is None else [est, serving.banded]  # each estimate's engine and load class
    warned = (range_warnings(spec, gpu_spec, e.engine, e.band_scenario, e.precision) for e in quoted)
    for said in dict.fromkeys(w for each in warned for w in each):
        to_stderr(f"warning: {said}")
    if (custom := custom_words(gpu_spec)) is not None:  # where its figures come from, as the report's assumption says
        to_stderr(f"note: gpu {gpu_spec.id}: {custom}")
    if serving is not None and (
        half := _half_warning(gpu_spec, model, gpus, precision, est, (input_tokens, output_tokens), serving)
    ):
        to_stderr(f"warning: {half}")
    banded = estimate_band(est, spec, gpu_spec)  # as the Python API's estimate_throughput
    actual, basis = banded.actual, banded.basis
    served = None if serving is None else serving.banded  # the capacity's estimate: its engine, class, precision
    serving_actual = (
        None
        if serving is None or served is None
        else range_for(serving.error_band, spec, served.engine, served.band_scenario, gpu_spec, served.precision)
    )
    serving_basis = None if serving is None else band_basis(serving.banded)
    runs = estimate_runs(est, None if serving is None else serving.banded.band_scenario, gpu_spec)  # nearest its load
    text = (
        render.render_json(
            est,
            serving,
            actual=actual,
            serving_actual=serving_actual,
            basis=basis,
            serving_basis=serving_basis,
            runs=runs,
        )
        if fmt == EstimateFormat.json
        else render.render_table(
            est,
            serving,
            width=min(terminal_width(), MAX_TABLE_WIDTH),
            actual=actual,
            serving_actual=serving_actual,
            basis=basis,
            serving_basis=serving_basis,
            runs=runs,
            color=output is None and sys.stdout.isatty(),  # a terminal: folded source URLs link whole
        )
    )
    _emit(text, output)


def _fit_remedy(est: Estimate, gpu: GpuSpec) -> str:
    """What fixes a configuration that does not fit, as the report's line for it says (resolve.throughput._unserved):
    more GPUs or a lower precision where memory is short; the flag for the GPU counts an uneven head split lists;
    nothing where the reason names its own fix (a stated flag's '; raise it') or no GPU count fixes it (the engine
    cannot run it: its own remedy); shorter requests where they are longer than the model's context."""
    from costcalc.catalog import get_model
    from costcalc.throughput.estimate import configuration_refusal
    from costcalc.throughput.tensor_split import uneven_head_split

    spec = get_model(est.model)
    if est.input_tokens + est.output_tokens > spec.max_context_tokens:
        return "; shorten the requests (--input-tokens, --output-tokens)"
    if uneven_head_split(spec, est.gpu_count, est.engine):
        return " (--gpus)"  # its reason ends 'use 1, 2, 4 or 8 GPUs per replica': the flag that sets them
    if "; " in (est.reason or "") or configuration_refusal(gpu, spec, est.gpu_count, est.engine, est.precision):
        return ""
    return "; use more GPUs per replica (--gpus) or a lower precision (--precision)"


def _serving(
    gpu: GpuSpec,
    model: str,
    gpus: int,
    precision: str | None,
    est: Estimate,
    input_tokens: int,
    output_tokens: int,
    ttft_p95_ms: float | None,
    min_speed: float | None,
) -> EstimatedCapacity:
    """The serving simulation's capacity under the SLO (the one path the report also reads) of the server `est`
    estimates: its engine, release and engine arguments."""
    from costcalc.catalog import get_model
    from costcalc.errors import InputError
    from costcalc.throughput.serving.capacity import Targets
    from costcalc.throughput.serving.estimated import estimated_capacity

    for name, value in (("--ttft-p95-ms", ttft_p95_ms), ("--min-output-tokens-per-s-per-user", min_speed)):
        if value is not None and not math.isfinite(value):  # inf was taken as a target: 'TTFT p95 384 ms <= inf ms'
            raise InputError(f"must be a finite number, got {value:g}", field=name)
        if value is not None and value <= 0:
            raise InputError("must be > 0", field=name)
    if output_tokens < 1:
        raise InputError("the serving simulation needs at least 1 output token", field="--output-tokens")
    args = _serving_args(model, gpus, precision, est, input_tokens, output_tokens, Targets(ttft_p95_ms, min_speed))
    return estimated_capacity(gpu, get_model(model), **args)


def _serving_args(
    model: str, gpus: int, precision: str | None, est: Estimate, input_tokens: int, output_tokens: int, targets: Targets
) -> dict[str, Any]:
    """estimated_capacity's arguments for a replica of `gpus` GPUs running the server `est` estimates."""
    from costcalc.catalog import get_model
    from costcalc.throughput.serving.engine_args import engine_arguments

    stated = engine_arguments(est.engine, est.engine_args, est.engine_version, gpus, get_model(model))  # as est read
    return {
        "gpu_count": gpus,
        "precision": precision,
        "engine": est.engine,
        "input_tokens": (float(input_tokens),),
        "shares": (1.0,),
        "output_tokens": output_tokens,
        "targets": targets,
        "engine_version": est.engine_version,
        "server_args": None if stated is None else stated.server,
    }


def _half_warning(
    gpu: GpuSpec,
    model: str,
    gpus: int,
    precision: str | None,
    est: Estimate,
    lengths: tuple[int, int],
    found: EstimatedCapacity,
) -> str | None:
    """The report's half-replica line (analysis.fewer_gpus) for this configuration, with --gpus as its fix: where a
    replica of half the GPUs meets the SLO and serves at least as much as `found` (the capacity under it)."""
    from costcalc.analysis.fewer_gpus import half_sentence
    from costcalc.catalog import get_model
    from costcalc.errors import InputError
    from costcalc.resolve.throughput import half_serves_more

    serving = found.serving
    if serving is None or gpus < 2 or gpus % 2:
        return None
    try:
        args = _serving_args(model, gpus // 2, precision, est, *lengths, serving.targets)
    except InputError:  # flags stated for this GPU count ('--tensor-parallel-size 2')
        return None
    half = half_serves_more(gpu, get_model(model), args, serving.requests_per_s, serving.meets_slo)
    if half is None:
        return None
    return half_sentence(half, gpus, serving.requests_per_s, serving.meets_slo, model, f"--gpus {half.gpus}")


def _custom_gpu(
    path: Path, model: str, precision: str | None, engine: str, engine_args: str | None, engine_version: str | None
) -> GpuSpec:
    """The GPU a --gpu-spec file states, checked as a scenario's custom_gpu is (what it is like, the tensor rates the
    estimate at `precision` with `engine` and its --engine-args' KV cache runs at): an error names the file, the key's
    line and the fix."""
    from costcalc.catalog import get_model
    from costcalc.errors import InputError
    from costcalc.resolve.custom_gpu import estimable_spec, stated_kv_cache_dtype
    from costcalc.scenario.gpu_spec import read_gpu_spec
    from costcalc.throughput.estimate import check_engine
    from costcalc.throughput.memory import check_precision

    stated, doc = read_gpu_spec(str(path))
    prec = check_precision(precision if precision is not None else get_model(model, param="model").native_precision)
    eng = check_engine(engine)  # a flag's error is the flag's, not the file's
    kv_cache = stated_kv_cache_dtype(eng, engine_args, engine_version)
    try:
        return estimable_spec(stated, "", prec, eng, source=f"--gpu-spec {doc.origin}", kv_cache_dtype=kv_cache)
    except InputError as exc:  # a key of the file: its line (a key it lacks: the file's first)
        line = doc.line_of(((exc.field or ""),)) or 1
        raise exc.moved(file=doc.origin, line=line, field=exc.field) from None


def _emit(text: str, output: Path | None) -> None:
    from costcalc.cli.output import emit

    emit(text, None if output is None else str(output))
