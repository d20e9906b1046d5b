"""Analytical throughput estimate of one serving replica: prefill, decode and TP/PP at the load its memory fit allows."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from costcalc.catalog.specs import GpuSpec, ModelSpec
from costcalc.errors import InputError, did_you_mean
from costcalc.models.options import engine_key
from costcalc.throughput import arguments as args
from costcalc.throughput import memory as mem
from costcalc.throughput.factors import (
    ENGINE_VENDORS,
    ENGINES,
    Factors,
    load_factors,
    scenario_class,
)
from costcalc.throughput.factors import (
    error_band as band_for,
)
from costcalc.throughput.kernel_support import missing_kernel
from costcalc.throughput.load_cycle import choose_mode, chosen_words, layouts, load_cycle, stated_words
from costcalc.throughput.memory_fit import (
    MemoryFit,
    memory_fit,
    server_memory_share,
    step_tokens_budget,
)
from costcalc.throughput.points import LatencyStats, OperatingPoint
from costcalc.throughput.rig import make_rig
from costcalc.throughput.serving.engine_args import EngineArgs, engine_arguments, waiting_note
from costcalc.throughput.serving.llamacpp_slots import Slots, too_long, with_release_default
from costcalc.throughput.serving.scheduler import release_defaults
from costcalc.throughput.serving.server_args import CONTEXT_FLAG, MEMORY_SHARE_FLAG, STEP_TOKENS_FLAG, ServerArgs
from costcalc.throughput.tensor_split import uneven_head_split
from costcalc.throughput.tensor_tflops import checkpoint_quantization
from costcalc.units import MS_PER_S
from costcalc.words import count

# an Estimate's figures timing the gap between output tokens, which a one-token answer does not have (the closed
# loop's figure there is the whole request's time spread over no gap: 16 s at full load, Estimate.one_token)
GAP_FIELDS = ("tpot_ms", "output_tokens_per_s_per_user")


@dataclass(frozen=True)
class Estimate:
    """Estimated operating point of one replica (all its GPUs) at one concurrency."""

    fits: bool
    reason: str | None
    gpu: str
    gpu_count: int
    model: str
    precision: str
    engine: str
    input_tokens: int
    output_tokens: int
    parallelism: str  # "tp" (tensor parallel), "pp" (pipeline parallel) or "single"
    concurrency: int
    max_concurrency: int
    output_tokens_per_s: float  # whole replica
    requests_per_s: float
    prefill_tokens_per_s: float  # input tokens the replica processes per second at this load
    decode_tokens_per_s: float  # output tokens/s of the decode steps alone (prefill excluded)
    ttft_ms: float
    tpot_ms: float
    output_tokens_per_s_per_user: float
    weights_gb: float
    kv_cache_gb_per_request: float  # at input + output tokens of context
    memory_used_gb: float
    memory_total_gb: float
    meets_slo: bool = True
    error_band: float | None = None  # calibration p90 factor error (scoring.factor_error), as a fraction
    # the calibration scenario class this load stands for, which picked error_band: "offline" (as many as fit),
    # "server" (a fixed load) or "single" (one request at a time); factors.scenario_class
    band_scenario: str = "offline"
    # requests asked for in flight beyond the server's limit (llama-server's slots, a stated --max-num-seqs): they
    # wait in its queue (estimate's server=True), and the line saying so and how to run them all
    requests_waiting: int = 0
    waiting_note: str | None = None
    # the engine release and the engine arguments as a user stated them, read (estimate_ids: estimate, the Python API)
    engine_version: str | None = None
    engine_args: str | None = None
    # why the estimate runs its layout: chosen (load_cycle.chosen_words) or stated by the engine arguments (-tp 8:
    # load_cycle.stated_words); None: one GPU, or the layout given
    layout_chosen: str | None = None

    @property
    def one_token(self) -> bool:
        """True where an answer has one token (or none): no gap between tokens, so the GAP_FIELDS time nothing (the
        estimate table says "none: one-token answers"; its JSON and the Python API null)."""
        return self.output_tokens <= 1

    def to_operating_point(self) -> OperatingPoint:
        """This estimate as an OperatingPoint (tool='estimate'); ThroughputError if it won't fit."""
        from costcalc.errors import ThroughputError

        if not self.fits:
            raise ThroughputError(f"cannot estimate throughput: {self.reason}")
        return OperatingPoint(
            requests_per_s=self.requests_per_s,
            output_tokens_per_s=self.output_tokens_per_s,
            input_tokens=float(self.input_tokens),
            output_tokens=float(self.output_tokens),
            concurrency=float(self.concurrency),
            # closed-loop means: the serving simulation (costcalc.throughput.serving) gives percentiles
            ttft_ms=LatencyStats(mean=self.ttft_ms),
            tpot_ms=LatencyStats(mean=self.tpot_ms),
            model=self.model,
            tool="estimate",
            source="estimate",
        )


def check_engine(engine: str) -> str:
    """Lower-cased engine, or InputError listing the valid values."""
    key = engine_key(engine)
    if key not in ENGINES:
        raise InputError(
            f"unknown engine {engine!r}{did_you_mean(key, ENGINES)}; valid: {', '.join(ENGINES)}",
            param="engine",
        )
    return key


def _unsupported(gpu: GpuSpec, engine: str) -> str | None:
    if gpu.vendor == "custom":  # a scenario's custom_gpu that says neither what it is like nor its vendor
        return (
            "not estimated on a custom GPU that says neither what it is like nor its vendor; add like: a catalog GPU"
            " (e.g. h100-sxm-80gb) or vendor: nvidia, amd or apple, or give throughput.points or throughput.measured"
        )
    vendors = ENGINE_VENDORS[engine]
    if gpu.vendor.lower() not in vendors:
        return f"{engine} does not run on {gpu.vendor} GPUs (runs on: {', '.join(sorted(vendors))})"
    return None


def configuration_refusal(gpu: GpuSpec, model: ModelSpec, gpu_count: int, engine: str, precision: str) -> str | None:
    """Why the engine cannot run this configuration at all, whatever the memory (None: it can, as far as is known).

    Each reason names its own remedy where one exists; a memory shortfall is the other kind of refusal.
    """
    return (
        _unsupported(gpu, engine)
        or uneven_head_split(model, gpu_count, engine)
        or missing_kernel(gpu, engine, precision)
    )


def _not_fit(
    gpu: GpuSpec,
    model: ModelSpec,
    n: int,
    precision: str,
    engine: str,
    inp: int,
    out: int,
    fit: MemoryFit,
    reason: str,
    band: float | None,
    scenario: str,
) -> Estimate:
    return Estimate(
        fits=False,
        reason=reason,
        gpu=gpu.id,
        gpu_count=n,
        model=model.id,
        precision=precision,
        engine=engine,
        input_tokens=inp,
        output_tokens=out,
        parallelism="single" if n == 1 else "tp",
        concurrency=0,
        max_concurrency=0,
        output_tokens_per_s=0.0,
        requests_per_s=0.0,
        prefill_tokens_per_s=0.0,
        decode_tokens_per_s=0.0,
        ttft_ms=math.inf,
        tpot_ms=math.inf,
        output_tokens_per_s_per_user=0.0,
        weights_gb=fit.weights_gb,
        kv_cache_gb_per_request=fit.kv_gb_per_request,
        memory_used_gb=fit.weights_gb,
        memory_total_gb=fit.total_gb,
        meets_slo=False,
        error_band=band,
        band_scenario=scenario,
    )


def estimate(
    gpu: GpuSpec,
    model: ModelSpec,
    *,
    gpu_count: int = 1,
    precision: str | None = None,
    engine: str = "vllm",
    input_tokens: int,
    output_tokens: int,
    concurrency: int | None = None,
    factors: Factors | None = None,
    expert_parallel: bool = False,
    quantization: str | None = None,
    kv_cache_dtype: str | None = None,
    engine_version: str | None = None,
    server: bool = False,
    server_args: ServerArgs | None = None,
    parallelism: str | None = None,
) -> Estimate:
    """Estimate one replica of `gpu_count` GPUs serving `model` at a concurrency.

    concurrency None means as many requests as fit (the throughput-optimal load; for llama.cpp as many as
    llama-server's default slots, serving.llamacpp_slots.unasked_slots). A configuration
    that does not fit returns fits=False with a plain reason; bad names raise InputError.
    expert_parallel splits a mixture of experts' routed experts whole over the GPUs (all-to-all
    token exchange) instead of sharding every expert by tensor parallelism. quantization: the
    checkpoint's quantisation method as vLLM loads it, where it keeps parts at 16 bit
    (memory.FFN_ONLY_QUANTIZATION: Meta's FP8 checkpoints); None: every dense weight at the precision.
    kv_cache_dtype: the KV cache's dtype where the server ran with a stated one (memory.kv_bytes_per_value).
    engine_version: the engine release that ran (None: today's), as the serving simulation's replica reads it: a
    llama.cpp build's unasked slots (1 before b7079) and the step physics that depend on the release (make_rig).
    server: the requests reach llama-server started without -np (the CLI, the API): a concurrency above its unasked
    slots runs the slots, which are its full load, and the rest wait (requests_waiting); False: the concurrency runs
    at once, as an in-process harness (llama-batched-bench -npl) runs it. server_args: the flags the server was
    started with (serving.engine_args): a stated --max-num-seqs or llama-server -np caps the full load (requests above
    it wait), -c the slots' context, --max-model-len the longest request, --quantization / --kv-cache-dtype stand
    where quantization / kv_cache_dtype are not given, and SGLang's --enable-dp-attention --dp N runs N
    data-parallel attention ranks (dp_attention, at engine_version's rule), TensorRT-LLM's --enable_attention_dp one a GPU. parallelism: the layout the GPUs run, one
    of load_cycle.layouts ('tp' or 'pp' on several GPUs: the serving simulation's choice under an SLO,
    serving.estimated); None: the one server_args states (-tp 8, -pp 8: ServerArgs.layout, InputError where it cannot
    run on gpu_count), else the one serving more at the load run, the concurrency (capped at what the server runs) or
    its own full load (load_cycle.choose_mode).
    """
    f = factors or load_factors()
    prec = mem.check_precision(args.text(precision, "precision") if precision is not None else model.native_precision)
    eng = check_engine(args.text(engine, "engine"))
    args.number(gpu_count, "gpu_count", least=1, whole=True)
    args.number(input_tokens, "input_tokens", least=0)
    if args.number(output_tokens, "output_tokens", least=0) == 0 and input_tokens == 0:
        raise InputError(
            "a request of 0 prompt and 0 output tokens does no work; give at least one token", param="output_tokens"
        )
    if concurrency is not None:
        args.number(concurrency, "concurrency", least=1)
    if parallelism is not None and parallelism not in (choices := layouts(gpu, gpu_count)):
        raise InputError(
            f"a replica of {gpu_count}x {gpu.id} takes the layout {' or '.join(choices)}, not {parallelism!r}",
            param="parallelism",
        )
    stated = server_args or ServerArgs()
    try:  # the layout the engine arguments state (-tp 8, -pp 8), where none is given; None: chosen below
        stated_layout = None if parallelism is not None else stated.layout(gpu_count)
    except ValueError as exc:
        raise InputError(str(exc), param="engine_args") from None
    # as stated, else as the catalog says the model's own checkpoint is loaded (block-scaled FP8: DeepSeek-V3 / R1)
    quantization = checkpoint_quantization(
        model, prec, quantization if quantization is not None else stated.quantization
    )
    kv_cache_dtype = kv_cache_dtype if kv_cache_dtype is not None else stated.kv_cache_dtype
    context = input_tokens + output_tokens
    attention_dp = stated.attention_ranks(gpu_count, engine_version)  # data-parallel attention (dp_attention)
    share = server_memory_share(eng, engine_version, stated.memory_fraction, gpu, gpu_count, attention_dp)
    said = None if stated.memory_fraction is None else f"{MEMORY_SHARE_FLAG[eng]} {stated.memory_fraction:g}"
    older = release_defaults(
        eng, engine_version, stated.max_model_len or model.max_context_tokens, stated.chunked_prefill
    )
    budget = step_tokens_budget(eng, gpu, f, older, stated)
    step_said = (
        STEP_TOKENS_FLAG.get(eng) if stated.tokens_per_step else None
    )  # the flag that set the budget, if one did
    fit = memory_fit(
        gpu,
        model,
        gpu_count,
        prec,
        eng,
        f,
        context,
        quantization,
        kv_cache_dtype,
        attention_dp,
        share,
        said,
        budget,
        step_said,
    )
    slots = with_release_default(stated.llamacpp_slots, engine_version) if eng == "llamacpp" else None
    reason = (
        configuration_refusal(gpu, model, gpu_count, eng, prec)
        or fit.reason
        or stated_refusal(stated, slots, model, context, eng)
    )
    if reason is not None:
        scenario = scenario_class(concurrency)
        band = band_for(f, eng, scenario)
        return _not_fit(gpu, model, gpu_count, prec, eng, input_tokens, output_tokens, fit, reason, band, scenario)
    rig = make_rig(
        gpu,
        model,
        gpu_count,
        prec,
        eng,
        f,
        expert_parallel=expert_parallel,
        quantization=quantization,
        kv_cache_dtype=kv_cache_dtype,
        engine_version=engine_version,
        attention_dp=attention_dp,
    )
    # as many requests as fit, or as many as the server runs at once: llama-server's slots (stated, else its release's
    # unasked ones), a stated --max-num-seqs, else an older release's default (vLLM V0's 256)
    room = fit.max_concurrency
    if slots is not None and stated.llamacpp_slots is not None:  # a stated -c: one shared cache holds so many
        pool = slots.kv_pool_tokens(model.max_context_tokens)
        room = room if pool is None else max(1, min(room, pool // context))
    limit = slots.slots if slots is not None else stated.max_seqs
    if limit is None and older is not None:  # a vLLM release before 0.8.0 runs V0's 256 sequences unasked
        limit = older.max_seqs
    most = room if limit is None else min(room, limit)
    batch = most if concurrency is None else min(concurrency, room)
    waiting, note = 0, None
    # the server runs its limit and the rest wait in its queue; an in-process llama.cpp harness runs them all
    if batch > most and (server or eng != "llamacpp"):
        if most == limit:
            waiting = (concurrency or batch) - most
            asked = stated.max_seqs is not None if slots is None else _np_stated(stated)
            note = waiting_note(eng, most + waiting, most, asked)
        batch = most
    scenario = scenario_class(batch, most)
    # unless the layout is given or the engine arguments state it, the one serving more at the load run: the server's
    # own full load without a concurrency (a batch limit below what fits can turn the choice), else the requests it
    # runs at once (one user on 8 H200s runs tensor parallel, though a full server of them serves more pipeline
    # parallel)
    mode = parallelism or stated_layout or choose_mode(rig, batch, input_tokens, output_tokens)
    chosen = None
    if stated_layout is not None and gpu_count > 1:
        chosen = stated_words(mode, stated.parallel_said)
    elif parallelism is None and gpu_count > 1:
        chosen = chosen_words(rig, mode, batch, most, input_tokens, output_tokens)
    load = load_cycle(rig, batch, input_tokens, output_tokens, mode)
    requests_per_s = batch / load.cycle_s if load.cycle_s > 0 else 0.0
    return Estimate(
        fits=True,
        reason=None,
        gpu=gpu.id,
        gpu_count=gpu_count,
        model=model.id,
        precision=prec,
        engine=eng,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        parallelism=mode,
        concurrency=batch,
        max_concurrency=fit.max_concurrency,
        output_tokens_per_s=requests_per_s * output_tokens,
        requests_per_s=requests_per_s,
        prefill_tokens_per_s=requests_per_s * input_tokens,
        decode_tokens_per_s=batch / load.decode_step_s if load.decode_step_s > 0 else 0.0,
        ttft_ms=load.ttft_s * MS_PER_S,
        tpot_ms=load.tpot_s * MS_PER_S,
        output_tokens_per_s_per_user=MS_PER_S / (load.tpot_s * MS_PER_S) if load.tpot_s > 0 else 0.0,
        weights_gb=fit.weights_gb,
        kv_cache_gb_per_request=fit.kv_gb_per_request,
        memory_used_gb=fit.weights_gb + batch * fit.kv_gb_per_request,
        memory_total_gb=fit.total_gb,
        meets_slo=True,
        error_band=band_for(f, eng, scenario),
        band_scenario=scenario,
        requests_waiting=waiting,
        waiting_note=note,
        layout_chosen=chosen,
    )


def _np_stated(stated: ServerArgs) -> bool:
    """Whether llama-server's slot count was stated (-np), not its release's unasked count."""
    return stated.llamacpp_slots is not None and stated.llamacpp_slots.slots is not None


def stated_refusal(
    stated: ServerArgs, slots: Slots | None, model: ModelSpec, context_tokens: float, engine: str
) -> str | None:
    """Why a request of `context_tokens` (prompt + output) cannot run on a server started so: beyond --max-model-len
    (SGLang's --context-length), or longer than one llama-server slot's context (None: it can)."""
    if stated.max_model_len is not None and context_tokens > stated.max_model_len:
        return (
            f"requests of {count(context_tokens)} tokens (prompt + output) exceed"
            f" {CONTEXT_FLAG.get(engine, '--max-model-len')} {count(stated.max_model_len)}; raise it"
        )
    return None if slots is None else too_long(slots, model.max_context_tokens, context_tokens)


def estimate_ids(
    gpu: str | GpuSpec,
    model: str,
    *,
    gpu_count: int = 1,
    precision: str | None = None,
    engine: str = "vllm",
    input_tokens: int,
    output_tokens: int,
    concurrency: int | None = None,
    server: bool = True,
    engine_version: str | None = None,
    engine_args: str | None = None,
    parallelism: str | None = None,
) -> Estimate:
    """estimate() for catalog ids (`gpu` also a GpuSpec: a custom GPU's): an unknown id is an InputError naming `gpu`
    or `model` (the API and the CLI);
    server: the requests reach llama-server's slots (estimate's server). engine_version: the release the server runs
    and engine_args the flags it was started with, as a user states them (checked: serving.engine_args);
    parallelism: the layout (estimate's; the CLI's under an SLO: the one its capacity was chosen at)."""
    from costcalc.catalog import get_gpu, get_model
    from costcalc.throughput.serving.release_support import unserved

    gpu_spec = gpu if isinstance(gpu, GpuSpec) else get_gpu(gpu, param="gpu")
    spec = get_model(model, param="model")
    eng, version, stated = engine_configuration(engine, engine_version, engine_args, gpu_count, spec)
    if (why := unserved(eng, version, spec)) is not None:  # a release before the model cannot load it
        raise InputError(why, param="engine_version")
    est = estimate(
        gpu_spec,
        spec,
        gpu_count=gpu_count,
        precision=precision,
        engine=eng,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        concurrency=concurrency,
        server=server,
        engine_version=version,
        server_args=None if stated is None else stated.server,
        parallelism=parallelism,
    )
    return replace(est, engine_version=version, engine_args=None if stated is None else stated.text)


def engine_configuration(
    engine: str,
    engine_version: str | None,
    engine_args: str | None,
    gpu_count: int | None = None,
    model: ModelSpec | None = None,
) -> tuple[str, str | None, EngineArgs | None]:
    """(engine, release, engine arguments) as a user states them, each checked: the engine's name, its release's form
    (models.options.check_release: a scenario option's own check) and the flags the estimator reads for it, on
    `gpu_count` GPUs serving `model` where known."""
    from costcalc.models.options import check_release

    eng = check_engine(args.text(engine, "engine"))
    version = None if engine_version is None else args.text(engine_version, "engine_version")
    if version is not None:
        try:
            check_release(eng, version)
        except ValueError as exc:
            raise InputError(f"{exc} (got {version!r})", param="engine_version") from None
    text = None if engine_args is None else args.text(engine_args, "engine_args")
    return eng, version, engine_arguments(eng, text, version, gpu_count, model)
