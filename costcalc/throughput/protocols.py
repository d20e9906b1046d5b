"""Benchmark protocols: a published serving figure predicted the way its benchmark measured it.

A served benchmark (vllm bench serve, AIPerf, genai-perf) sends requests over HTTP in one of three
ways and divides the tokens by the benchmark's duration:
- burst: all N prompts at t=0 (no rate limit, no concurrency cap); the duration runs until the
  last request finishes, so it holds the prefill of every prompt and the drain as the batch empties;
- closed_loop: C clients each send their next prompt when the last one finishes (--max-concurrency);
- rate: Poisson arrivals at a request rate (--request-rate), N prompts (the draw scaled to span
  exactly (N - 1) / rate, since the benchmark's own draw is unknown).
An in-process benchmark that queues all N requests at once (trtllm-bench throughput) is `queued`:
a burst without the HTTP round trip; one whose C clients await the engine's async generate in its
own process is `in_process_loop` (costcalc.throughput.inprocess): a closed loop without it. All five
run through the serving simulation (costcalc.throughput.serving) with the estimator's step times;
in_process benchmarks of a fixed batch or of unstated size (llama-bench, llama-batched-bench, mlx_lm)
are the estimator's own steady-state formula (costcalc.throughput.estimate).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from costcalc.catalog.specs import GpuSpec, ModelSpec
from costcalc.throughput.factors import Factors
from costcalc.throughput.inprocess import IN_PROCESS_LOOP, delivery_delay_steps
from costcalc.throughput.serving.server_args import ServerArgs
from costcalc.units import MS_PER_S

PROTOCOLS: tuple[str, ...] = ("in_process", "queued", "burst", "closed_loop", "rate", IN_PROCESS_LOOP)
SIMULATED_PROTOCOLS = frozenset({"queued", "burst", "closed_loop", "rate", IN_PROCESS_LOOP})
CLOSED_LOOPS = frozenset({"closed_loop", IN_PROCESS_LOOP})  # clients that send when their last request ends
HTTP_PROTOCOLS = frozenset({"burst", "closed_loop", "rate"})  # a client's round trip per request
# fixed: every request has the row's lengths (a random dataset at fixed lengths, or a stated mean);
# sharegpt: the ShareGPT length mix of SHAREGPT_LENGTHS (the pairs vLLM's benchmark draws from, by quantile) scaled
# to the row's mean lengths;
# uniform: lengths spread evenly from 1 to twice the row's mean (a random dataset drawn from 1 up to
# its stated maximum: sglang.bench_serving / vllm bench serve --random-range-ratio 0)
DATASETS: tuple[str, ...] = ("fixed", "sharegpt", "uniform")
SHAREGPT_LENGTHS = Path(__file__).with_name("sharegpt_lengths.json")
# A closed loop whose source gives no prompt count runs this many requests per client: enough for
# the steady state to dominate the start (everyone prefilling at once) and the drain.
DEFAULT_REQUESTS_PER_CLIENT = 10
RATE_SEED = 0  # arrivals of a rate protocol: one seeded Poisson draw
UNIFORM_SEED = 0  # the order of a uniform dataset's lengths (prompts and outputs shuffled independently)
SHAREGPT_SEED = 0  # the order a ShareGPT mix's requests are sent in (one seeded shuffle of its pairs)


@dataclass(frozen=True)
class Protocol:
    """How a benchmark loaded the server: its kind, prompt count, concurrency or rate, and length mix."""

    kind: str
    num_prompts: int | None = None
    concurrency: int | None = None  # closed-loop clients
    rate_per_s: float | None = None
    dataset: str = "fixed"

    def __post_init__(self) -> None:
        if self.kind not in PROTOCOLS:
            raise ValueError(f"unknown protocol {self.kind!r}; valid: {', '.join(PROTOCOLS)}")
        if self.dataset not in DATASETS:
            raise ValueError(f"unknown dataset {self.dataset!r}; valid: {', '.join(DATASETS)}")
        if self.kind in {"burst", "queued"} and not self.num_prompts:
            raise ValueError(f"a {self.kind} benchmark needs num_prompts")
        if self.kind in CLOSED_LOOPS and not self.concurrency:
            raise ValueError("a closed loop needs its concurrency")
        if self.kind == "rate" and not (self.rate_per_s and self.num_prompts):
            raise ValueError("a rate protocol needs request_rate and num_prompts")

    def requests(self) -> int:
        """Prompts the benchmark sends (a closed loop without a stated count: DEFAULT_REQUESTS_PER_CLIENT each)."""
        if self.num_prompts:
            return self.num_prompts
        assert self.concurrency is not None
        return self.concurrency * DEFAULT_REQUESTS_PER_CLIENT


@dataclass(frozen=True)
class BenchmarkRun:
    """What a served benchmark reports: tokens over its duration, and mean TTFT and TPOT."""

    requests: int
    output_tokens: int
    duration_s: float
    mean_ttft_ms: float
    mean_tpot_ms: float
    mean_e2e_latency_ms: float = 0.0  # from sending a request to its last token, mean over requests

    @property
    def output_tokens_per_s(self) -> float:
        """Output tokens over the benchmark's duration (vllm bench serve's 'Output token throughput')."""
        return self.output_tokens / self.duration_s if self.duration_s > 0 else 0.0


@functools.cache
def _sharegpt_sample() -> tuple[np.ndarray, np.ndarray]:
    raw = json.loads(SHAREGPT_LENGTHS.read_text(encoding="utf-8"))
    return np.asarray(raw["input_tokens"], dtype=float), np.asarray(raw["output_tokens"], dtype=float)


def request_lengths(
    dataset: str, requests: int, input_tokens: int, output_tokens: int
) -> tuple[np.ndarray, np.ndarray]:
    """(prompt tokens, output tokens) of each request, integers >= 1, with the given means.

    sharegpt takes the expected mix of `requests` draws from the pairs vLLM's benchmark samples (SHAREGPT_LENGTHS,
    sorted by answer length): the pair at each rank (i + 1/2) / requests, in a seeded shuffled order, so a burst of
    1,000 prompts carries the longest answers such a draw holds (a long request decodes alone at the end of a burst,
    and its length sets the drain), a run of 100 fewer; then it scales prompts and outputs to the row's means
    (tokenisers and answers differ between models; the shape of the mix is what the drain depends on). The
    benchmark's own draw is unknown, as a rate protocol's arrivals are. uniform spreads each length evenly over
    1 .. 2 x mean - 1 (mean exactly the row's) in a seeded shuffled order.
    """
    if dataset == "fixed":
        return np.full(requests, max(input_tokens, 1)), np.full(requests, max(output_tokens, 1))
    if dataset == "uniform":
        rng = np.random.default_rng(UNIFORM_SEED)

        def spread(mean: int) -> np.ndarray:
            top = max(2 * mean - 1, 1)
            return rng.permutation(np.rint(np.linspace(1, top, requests))).astype(np.int64)

        return spread(input_tokens), spread(output_tokens)
    ins, outs = _sharegpt_sample()
    ranks = np.floor((np.arange(requests) + 0.5) / requests * len(ins)).astype(np.int64)
    order = np.random.default_rng(SHAREGPT_SEED).permutation(requests)
    ins, outs = ins[ranks][order], outs[ranks][order]
    scaled_in = np.rint(ins * input_tokens / ins.mean()) if ins.mean() > 0 else ins
    scaled_out = np.rint(outs * output_tokens / outs.mean()) if outs.mean() > 0 else outs
    return np.maximum(scaled_in, 1).astype(np.int64), np.maximum(scaled_out, 1).astype(np.int64)


def run_benchmark(
    gpu: GpuSpec,
    model: ModelSpec,
    protocol: Protocol,
    *,
    gpu_count: int = 1,
    precision: str | None = None,
    engine: str = "vllm",
    input_tokens: int,
    output_tokens: int,
    factors: Factors | None = None,
    expert_parallel: bool = False,
    engine_version: str | None = None,
    server_args: ServerArgs | None = None,
    parallelism: str | None = None,
) -> tuple[BenchmarkRun | None, str | None]:
    """(the simulated benchmark, None), or (None, why the configuration cannot run).

    engine_version: the engine release the benchmark ran, whose scheduler defaults the replica
    uses (None: the current release's); server_args: the scheduler flags its server was started
    with, which replace those defaults; parallelism: the layout its GPUs ran (None: the one serving
    more at full load, load_cycle.choose_mode).
    """
    from costcalc.throughput.serving.batching import Draw, serve
    from costcalc.throughput.serving.replica import build_replica

    if protocol.kind not in SIMULATED_PROTOCOLS:
        raise ValueError(f"{protocol.kind} benchmarks are estimated directly, not simulated")
    n = protocol.requests()
    prompts, outputs = request_lengths(protocol.dataset, n, input_tokens, output_tokens)
    clients = protocol.concurrency if protocol.kind in CLOSED_LOOPS else None
    replica = build_replica(
        gpu,
        model,
        gpu_count=gpu_count,
        precision=precision,
        engine=engine,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        max_prompt_tokens=float(prompts.max()),
        max_context_tokens=float((prompts + outputs).max()),
        max_seqs=clients,
        factors=factors,
        expert_parallel=expert_parallel,
        engine_version=engine_version,
        server_args=server_args,
        parallelism=parallelism,
    )
    if replica.scheduler is None or replica.steps is None:
        return None, replica.full_load.reason
    steps = replica.steps
    # the HTTP round trip before the replica sees a request (none in process)
    trip_s = steps.request_overhead_s if protocol.kind in HTTP_PROTOCOLS else 0.0
    if protocol.kind == "rate":
        assert protocol.rate_per_s is not None
        rng = np.random.default_rng(RATE_SEED)
        arrivals = np.cumsum(rng.standard_exponential(n))
        arrivals -= arrivals[0]  # the benchmark's clock starts with its first request
        # Poisson gaps, scaled so the draw sends at exactly the stated rate: the benchmark's own draw
        # is unknown, and one draw of a few hundred gaps can span 10-20% more or less time than
        # n / rate, which would move a lightly loaded run's tokens/s by as much
        if n > 1 and arrivals[-1] > 0:
            arrivals *= (n - 1) / protocol.rate_per_s / arrivals[-1]
    else:
        arrivals = np.zeros(n)
    served = serve(
        steps,
        replica.scheduler,
        Draw(arrivals, prompts, slice(0, n), outputs),
        int(output_tokens),
        clients=clients,
        client_gap_s=trip_s,
    )
    if np.isnan(served.finish_s).any():
        return None, "the simulated replica could not finish every request"
    sent = served.arrivals_s if served.arrivals_s is not None else arrivals
    # the client's clock: each request is sent one round trip before the replica admits it; an
    # in-process client of vLLM V0 sees its first token a decode step later (inprocess.py)
    late_s = np.zeros(n)
    delay_steps = delivery_delay_steps(engine, engine_version) if protocol.kind == IN_PROCESS_LOOP else 0
    if delay_steps:
        batch = min(clients or 1, steps.max_batch)
        late_s = delay_steps * np.array([steps.decode(batch, float(p)) for p in prompts])
    ttft_ms = (served.first_token_s - sent + trip_s + late_s) * MS_PER_S
    multi = outputs > 1
    tpot_ms = (served.finish_s - served.first_token_s)[multi] / (outputs[multi] - 1) * MS_PER_S
    e2e_ms = (served.finish_s - sent + trip_s) * MS_PER_S
    duration = float(np.max(served.finish_s)) + trip_s
    return (
        BenchmarkRun(
            requests=n,
            output_tokens=int(outputs.sum()),
            duration_s=duration,
            mean_ttft_ms=float(ttft_ms.mean()),
            mean_tpot_ms=float(tpot_ms.mean()) if tpot_ms.size else 0.0,
            mean_e2e_latency_ms=float(e2e_ms.mean()),
        ),
        None,
    )
