"""Measure a live OpenAI-compatible endpoint: run the levels, summarise, build the result."""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from costcalc import limits
from costcalc.errors import ExternalError, InputError
from costcalc.throughput.loadgen.level import LevelProgress, LevelRun, run_level
from costcalc.throughput.loadgen.record import CONNECTION_REFUSED, MALFORMED_SSE, STREAM_ERROR, RequestRecord
from costcalc.throughput.loadgen.target import Target
from costcalc.throughput.percentiles import percentile
from costcalc.units import MS_PER_S

SCHEMA = "costcalc.measure/1"
TOOL = "costcalc-measure"
PERCENTILES = (50, 90, 95, 99)
DEFAULT_REQUESTS_PER_CONCURRENCY = 4  # --requests default: 4 rounds of the level's concurrency
MIN_DEFAULT_REQUESTS = 10
DEFAULT_RATE_LEVEL_S = 10.0  # a request-rate level without --requests or --duration sends this long

__all__ = [
    "SCHEMA",
    "MeasureConfig",
    "MeasureResult",
    "Target",
    "default_requests",
    "latency_stats",
    "measure",
    "percentile",
    "summarize_level",
]


@dataclass(frozen=True)
class MeasureConfig:
    """One measurement: the target, its levels (concurrencies, else request rates), and when each level ends.

    With request_rates, each level sends requests at Poisson arrival times of that rate (open loop,
    seeded) instead of keeping a number of requests in flight; concurrency_levels are then not run.
    """

    target: Target
    concurrency_levels: tuple[int, ...] = (1,)
    requests_per_level: int | None = None  # None with duration_s None: default_requests(c)
    duration_s_per_level: float | None = None
    save_requests: bool = False  # add every request's outcome and timings to each level
    request_rates: tuple[float, ...] = ()  # requests/s; non-empty: run these open-loop levels instead
    seed: int = 0  # of the Poisson arrival times

    def __post_init__(self) -> None:
        # each refusal names the field (the Python API's word); the command line says its flag (cli.errors.FLAGS)
        if any(not r > 0 or r == float("inf") for r in self.request_rates):
            raise InputError("give request rates > 0 per second, e.g. 0.5,1,2", param="request_rates")
        if not self.concurrency_levels or any(c < 1 for c in self.concurrency_levels):
            raise InputError("give one or more concurrency levels >= 1, e.g. 1,4,16", param="concurrency_levels")
        if max(self.concurrency_levels) > limits.MAX_LOAD_TEST_CONCURRENCY:  # a thread per request in flight
            raise InputError(
                f"{max(self.concurrency_levels):,} requests in flight is more than one load test holds (a thread per"
                f" request in flight; at most {limits.MAX_LOAD_TEST_CONCURRENCY:,}); measure a larger load from"
                " several machines",
                param="concurrency_levels",
            )
        if self.requests_per_level is not None and self.duration_s_per_level is not None:
            raise InputError(
                "give requests_per_level= or duration_s_per_level=, not both",
                param="requests_per_level",
                mentions=("requests_per_level", "duration_s_per_level"),
                named=True,
            )
        if self.requests_per_level is not None and self.requests_per_level < 1:
            raise InputError("must be >= 1", param="requests_per_level")
        duration_s = self.duration_s_per_level
        if duration_s is not None and not math.isfinite(duration_s):  # NaN passed `<= 0` and ran for ever
            raise InputError(f"must be a finite number of seconds, got {duration_s:g}", param="duration_s_per_level")
        if duration_s is not None and duration_s <= 0:
            raise InputError("must be > 0 seconds", param="duration_s_per_level")
        self._check_rates_finish()
        for name in ("input_tokens", "output_tokens"):
            if getattr(self.target, name) < 1:
                raise InputError("token counts must be >= 1", param=name)
        self._check_lengths()

    def _check_rates_finish(self) -> None:
        """Refuse a request-rate level whose requests arrive over more than MAX_MEASURE_LEVEL_S on average (without
        duration_s_per_level to end it): request_rates=(1e-12,) waited for its first arrival for ever."""
        if not self.request_rates or self.duration_s_per_level is not None:
            return
        slowest = min(self.request_rates)
        requests = self.requests_per_level or default_rate_requests(slowest)
        if requests / slowest > limits.MAX_MEASURE_LEVEL_S:
            raise InputError(
                f"{requests:,} requests at {slowest:g}/s arrive over {requests / slowest / 3600:,.0f} hours on average"
                f" (a level runs at most {limits.MAX_MEASURE_LEVEL_S / 3600:g} hours); give a higher rate, fewer"
                " requests_per_level= or a duration_s_per_level=",
                param="request_rates",
                mentions=("requests_per_level", "duration_s_per_level"),
            )

    def _check_lengths(self) -> None:
        """Refuse requests longer than any catalog model's context: each prompt is built in memory before it is sent
        (input_tokens=100000000000 grew past 800 MB before its one request)."""
        from costcalc.catalog import list_models
        from costcalc.words import count

        target = self.target
        longest = max(m.max_context_tokens for m in list_models())
        if target.input_tokens + target.output_tokens > longest:
            raise InputError(
                f"requests of {count(target.input_tokens + target.output_tokens)} tokens"
                f" ({count(target.input_tokens)} in, {count(target.output_tokens)} out) are longer than any model's"
                f" context (the catalog's longest is {count(longest)}); give the lengths of the requests to measure",
                param="output_tokens" if target.output_tokens > target.input_tokens else "input_tokens",
            )


@dataclass
class MeasureResult:
    """Summaries of every level run so far; `interrupted` when Ctrl-C cut the run short."""

    config: MeasureConfig
    levels: list[dict[str, Any]] = field(default_factory=list)
    interrupted: bool = False

    @property
    def requests_completed(self) -> int:
        """Successful requests over all levels."""
        return sum(level["requests_completed"] for level in self.levels)

    @property
    def requests_failed(self) -> int:
        """Failed requests over all levels."""
        return sum(level["requests_failed"] for level in self.levels)

    def errors(self) -> dict[str, int]:
        """Error counts by class over all levels."""
        total: Counter[str] = Counter()
        for level in self.levels:
            total.update(level["errors"])
        return dict(sorted(total.items()))

    def to_dict(self) -> dict[str, Any]:
        """The costcalc.measure/1 document (no timestamps, no API key)."""
        target = self.config.target
        arrivals = {"arrivals": "poisson", "seed": self.config.seed} if self.config.request_rates else {}
        return {
            "schema": SCHEMA,
            "tool": TOOL,
            "model": target.model,
            "base_url": _without_credentials(target.base_url.rstrip("/")),
            "endpoint": urlsplit(target.url).path,
            "input_tokens_requested": target.input_tokens,
            "output_tokens_requested": target.output_tokens,
            "requests_per_level": self.config.requests_per_level,
            "duration_s_per_level": self.config.duration_s_per_level,
            **arrivals,
            "interrupted": self.interrupted,
            "levels": self.levels,
        }


def _without_credentials(url: str) -> str:
    """The URL with any user:password@ part removed (it must not land in a result file)."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]).geturl()


def default_requests(concurrency: int) -> int:
    """Requests per level when neither --requests nor --duration is given."""
    return max(MIN_DEFAULT_REQUESTS, DEFAULT_REQUESTS_PER_CONCURRENCY * concurrency)


def default_rate_requests(rate_per_s: float) -> int:
    """Requests per request-rate level when neither --requests nor --duration is given: 10 s of arrivals."""
    return max(MIN_DEFAULT_REQUESTS, math.ceil(DEFAULT_RATE_LEVEL_S * rate_per_s))


def latency_stats(values_ms: Sequence[float]) -> dict[str, float | None]:
    """{mean, p50, p90, p95, p99} in milliseconds; all None when there are no values."""
    keys = ["mean", *(f"p{p}" for p in PERCENTILES)]
    if not values_ms:
        return dict.fromkeys(keys)
    ordered = sorted(values_ms)
    stats: dict[str, float | None] = {"mean": sum(ordered) / len(ordered)}
    for p in PERCENTILES:
        stats[f"p{p}"] = percentile(ordered, p)
    return stats


def summarize_level(run: LevelRun, target: Target, *, save_requests: bool = False) -> dict[str, Any]:
    """One level of the result document from its raw request records."""
    ok = [r for r in run.records if r.ok]
    failed = [r for r in run.records if not r.ok]
    errors = Counter(r.error for r in failed if r.error)
    duration_s = run.duration_s
    output_total = sum(r.output_tokens for r in ok)
    input_known = [r.usage_prompt_tokens for r in ok if r.usage_prompt_tokens is not None]
    ttft_ms = [(r.first_token_s - r.start_s) * MS_PER_S for r in ok if r.first_token_s is not None]
    e2e_ms = [(r.end_s - r.start_s) * MS_PER_S for r in ok]
    # A request whose text came in one chunk (a buffering proxy, or a server that does not stream) shows no decode
    # time: its first chunk is its last, so (end - first) / (tokens - 1) would read ~0 ms a token
    one_chunk = [r for r in ok if len(r.token_times_s) == 1 and r.output_tokens > 1]
    tpot_ms = [
        (r.end_s - r.first_token_s) * MS_PER_S / (r.output_tokens - 1)
        for r in ok
        if r.first_token_s is not None and r.output_tokens > 1 and len(r.token_times_s) > 1
    ]
    itl_ms = [
        (later - earlier) * MS_PER_S
        for r in ok
        for earlier, later in zip(r.token_times_s, r.token_times_s[1:], strict=False)
    ]
    usage_output = sum(1 for r in ok if r.usage_completion_tokens is not None)
    level: dict[str, Any] = {"concurrency": run.concurrency}
    if run.request_rate_per_s is not None:  # an open-loop level: Poisson arrivals at this rate
        level["request_rate_per_s"] = run.request_rate_per_s
    level |= {
        "requests_completed": len(ok),
        "requests_failed": len(failed),
        "requests_abandoned": run.abandoned,
        "errors": dict(sorted(errors.items())),
        "error_examples": _error_examples(failed, target),
        "duration_s": duration_s,
        "requests_per_s": len(ok) / duration_s if duration_s > 0 else 0.0,
        "output_tokens_per_s": output_total / duration_s if duration_s > 0 else 0.0,
        "input_tokens_mean": _input_tokens_mean(ok, target),
        "output_tokens_mean": output_total / len(ok) if ok else None,
        "input_tokens_counted_by": _counted_by(len(input_known), len(ok), "requested"),
        "output_tokens_counted_by": _counted_by(usage_output, len(ok), "stream_chunks"),
        "ttft_ms": latency_stats(ttft_ms),
        "tpot_ms": latency_stats(tpot_ms),
        "itl_ms": latency_stats(itl_ms),
        "e2e_ms": latency_stats(e2e_ms),
    }
    if one_chunk:
        level["requests_in_one_chunk"] = len(one_chunk)  # no TPOT measured for them
    if save_requests:
        origin_s = min((r.start_s for r in run.records), default=0.0)
        level["requests"] = [_request_row(r, origin_s) for r in run.records]
    return level


def _request_row(record: RequestRecord, origin_s: float) -> dict[str, Any]:
    """One request's outcome; times in ms, `start_ms` from the level's first request."""

    def ms(later: float | None, earlier: float) -> float | None:
        return None if later is None else (later - earlier) * MS_PER_S

    gaps = zip(record.token_times_s, record.token_times_s[1:], strict=False)
    return {
        "start_ms": ms(record.start_s, origin_s),
        "error": record.error,
        "ttft_ms": ms(record.first_token_s, record.start_s),
        "e2e_ms": ms(record.end_s, record.start_s),
        "output_tokens": record.output_tokens,
        "input_tokens": record.usage_prompt_tokens,
        "itl_ms": [ms(later, earlier) for earlier, later in gaps],
    }


def _input_tokens_mean(ok: list[RequestRecord], target: Target) -> float | None:
    """Mean prompt tokens: the server's count where it reported usage, else the requested one."""
    if not ok:
        return None
    counts = [r.usage_prompt_tokens if r.usage_prompt_tokens is not None else target.input_tokens for r in ok]
    return sum(counts) / len(counts)


def _counted_by(from_usage: int, total: int, fallback: str) -> str | None:
    if total == 0:
        return None
    if from_usage == total:
        return "server_usage"
    return fallback if from_usage == 0 else "mixed"


def _error_examples(failed: list[RequestRecord], target: Target) -> dict[str, str]:
    """The first message seen for each error class, with the API key and URL password masked (again)."""
    from costcalc.masking import mask
    from costcalc.throughput.loadgen.target import secrets_of

    secrets = secrets_of(target)
    examples: dict[str, str] = {}
    for record in failed:
        if record.error and record.error not in examples:
            examples[record.error] = mask(record.error_detail, secrets)
    return dict(sorted(examples.items()))


def measure(
    config: MeasureConfig,
    *,
    stop: threading.Event | None = None,
    on_progress: Callable[[LevelProgress], None] | None = None,
    on_level: Callable[[dict[str, Any]], None] | None = None,
) -> MeasureResult:
    """Run every level (concurrencies, or request rates) in order and return the result.

    Setting `stop` (the CLI does on Ctrl-C) ends the run: the current level keeps what finished
    and the result is marked interrupted. Raises ExternalError when no request succeeded at all
    (unless interrupted: then the caller sees an empty, interrupted result).
    """
    stop = stop or threading.Event()
    result = MeasureResult(config)
    first_variant = 0
    levels: list[tuple[str, float]] = (
        [("rate", r) for r in config.request_rates]
        if config.request_rates
        else [("concurrency", c) for c in config.concurrency_levels]
    )
    for kind, value in levels:
        if stop.is_set():
            break
        requests = config.requests_per_level
        if requests is None and config.duration_s_per_level is None:
            requests = default_rate_requests(value) if kind == "rate" else default_requests(int(value))
        if kind == "rate":
            from costcalc.throughput.openloop import run_rate_level

            run = run_rate_level(
                config.target,
                value,
                requests=requests,
                duration_s=config.duration_s_per_level,
                seed=config.seed,
                stop=stop,
                on_progress=on_progress,
                first_variant=first_variant,
            )
        else:
            run = run_level(
                config.target,
                int(value),
                requests=requests,
                duration_s=config.duration_s_per_level,
                stop=stop,
                on_progress=on_progress,
                first_variant=first_variant,
            )
        first_variant += len(run.records) + run.abandoned
        if run.records or not run.stopped:
            level = summarize_level(run, config.target, save_requests=config.save_requests)
            result.levels.append(level)
            if on_level is not None:
                on_level(level)
        if run.stopped:
            result.interrupted = True
            break
        if result.requests_completed == 0 and _refused_every_connection(run):
            break  # no server listens there: the next levels would be refused as well (a level of 60 s each)
    if result.requests_completed == 0 and not result.interrupted:
        raise ExternalError(_nothing_succeeded(result), mentions=("base_url", "model"))
    return result


def _refused_every_connection(run: LevelRun) -> bool:
    """Whether every request of a level found no server listening (each one's connection refused)."""
    return bool(run.records) and all(r.error == CONNECTION_REFUSED for r in run.records)


def _nothing_succeeded(result: MeasureResult) -> str:
    target = result.config.target
    counts = result.errors()
    errors = ", ".join(f"{name}: {count}" for name, count in counts.items())
    return (
        f"{_without_credentials(target.url)}: no request succeeded ({result.requests_failed} failed: {errors})"
        f"{_server_said(result, counts)}; nothing written. Check base_url=, model=, the API key and that the server is up."
    )


def _server_said(result: MeasureResult, counts: dict[str, int]) -> str:
    """'; the server said (http_404): ...' with the first answer of the commonest class the server itself sent (an
    HTTP error body, an error event, a body that is no stream: 'The model `x` does not exist'), masked; else the
    commonest class's own reason ('; stream_cut: [DONE] arrived before any finish_reason: generation cut short',
    '; connection_error: ... Name or service not known', which 'stream_cut: 3' alone did not say: qa23); else ''."""
    said = [name for name in counts if name.startswith("http_") or name in (STREAM_ERROR, MALFORMED_SSE)]
    name = max(said or counts, key=lambda n: counts[n], default="")
    example = next((level["error_examples"][name] for level in result.levels if name in level["error_examples"]), "")
    if not example:
        return ""
    return f"; the server said ({name}): {example}" if said else f"; {name}: {example}"
