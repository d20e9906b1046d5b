"""`costcalc measure`: load-test an OpenAI-compatible server; write its throughput and latency."""

from __future__ import annotations

import math
import os
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from costcalc.errors import InputError

if TYPE_CHECKING:
    import threading

EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells report for a Ctrl-C'd command

HELP = (
    "Load-test an OpenAI-compatible server (vLLM, SGLang, llama.cpp, TGI, Ollama) with streaming "
    "requests at one or more concurrency levels (or, with --rate, request rates: Poisson arrivals, open loop); "
    "write TTFT, TPOT, ITL, end-to-end latency and "
    "throughput per level as costcalc.measure/1 JSON (to -o FILE, else stdout). Failed requests "
    "are counted by class; exit 3 if none succeeded. Ctrl-C stops the run (requests in flight are "
    "abandoned and counted as requests_abandoned), writes what was measured and exits 130; a "
    "second Ctrl-C aborts without writing."
)


class Endpoint(str, Enum):
    """Which completion API to call."""

    chat = "chat"
    completions = "completions"


def register(app: typer.Typer) -> None:
    """Add the measure command to the root app."""
    app.command("measure", help=HELP)(_command)


def _command(
    *,
    base_url: Annotated[
        str, typer.Option(metavar="URL", help="server root, e.g. http://127.0.0.1:8000 (/v1 is added unless present)")
    ],
    model: Annotated[str, typer.Option(metavar="NAME", help="model name the server expects in requests")],
    api_key_env: Annotated[
        str | None,
        typer.Option(metavar="VAR", help="environment variable holding the API key (sent as Bearer; never shown)"),
    ] = None,
    concurrency: Annotated[
        str | None,
        typer.Option(
            metavar="N[,N...]", help="comma-separated concurrency levels, run in order, e.g. 1,4,16 (default 1)"
        ),
    ] = None,
    rate: Annotated[
        str | None,
        typer.Option(
            metavar="R[,R...]",
            help="request rates per second instead of concurrency levels: requests sent at Poisson arrival "
            "times (open loop), e.g. 0.5,1,2",
        ),
    ] = None,
    seed: Annotated[int, typer.Option(metavar="N", help="seed of the Poisson arrival times of --rate")] = 0,
    requests: Annotated[
        int | None, typer.Option(metavar="N", help="requests per level (default: max(10, 4 x concurrency))")
    ] = None,
    duration: Annotated[
        float | None, typer.Option(metavar="SECONDS", help="seconds per level, instead of --requests")
    ] = None,
    input_tokens: Annotated[
        int,
        typer.Option(
            metavar="N", help="prompt length in tokens (approximate; the server's count is kept when it reports usage)"
        ),
    ] = 512,
    output_tokens: Annotated[int, typer.Option(metavar="N", help="max_tokens of each request")] = 128,
    endpoint: Annotated[
        Endpoint, typer.Option(help="chat: /v1/chat/completions; completions: /v1/completions")
    ] = Endpoint.chat,
    ignore_eos: Annotated[
        bool,
        typer.Option(
            help="send ignore_eos so the server generates every output token; turn it off for "
            "servers that reject unknown fields"
        ),
    ] = True,
    timeout: Annotated[
        float, typer.Option(metavar="SECONDS", help="seconds of silence before a request counts as a timeout")
    ] = 300.0,
    request_timeout: Annotated[
        float,
        typer.Option(
            metavar="SECONDS", help="seconds one request may take in all (a server that trickles forever is cut there)"
        ),
    ] = 600.0,
    save_requests: Annotated[
        bool, typer.Option(help="also write every request's outcome, TTFT, end-to-end time and inter-token gaps")
    ] = False,
    output: Annotated[
        str | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="write the JSON result here (only after the run); - or none: stdout"
        ),
    ] = None,
) -> None:

    from costcalc.cli.output import check_writable, emit, stderr_console, to_stderr
    from costcalc.render import measure as render
    from costcalc.throughput.loadgen.target import CONNECT_TIMEOUT_S, Target
    from costcalc.throughput.measure import MeasureConfig, measure

    _check_base_url(base_url)
    if not model.strip():
        raise InputError("is empty; give the model name the server serves (its /v1/models lists them)", field="--model")
    for flag, seconds in (("--timeout", timeout), ("--request-timeout", request_timeout)):
        if not math.isfinite(seconds):  # NaN passed `<= 0`: every read timed out at once
            raise InputError(f"must be a finite number of seconds, got {seconds:g}", field=flag)
        if seconds <= 0:
            raise InputError("must be > 0 seconds", field=flag)
    check_writable(output)  # before the run, not after minutes of measuring
    target = Target(
        base_url=base_url.rstrip("/"),
        model=model,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        endpoint=endpoint.value,
        ignore_eos=ignore_eos,
        connect_timeout_s=min(CONNECT_TIMEOUT_S, timeout),
        read_timeout_s=timeout,
        request_timeout_s=request_timeout,
        api_key=_api_key(api_key_env),
    )
    if rate is not None and concurrency is not None:
        raise InputError("give --concurrency or --rate, not both")  # names both flags itself
    # MeasureConfig refuses what would run unbounded or aimless (levels past a load test's threads, a duration that is
    # not a finite time, rates that never finish, requests longer than any context) by parameter; cli.errors says
    # each by its flag: one check, read by the API and the command line alike
    config = MeasureConfig(
        target,
        _levels(concurrency or "1"),
        requests,
        duration,
        save_requests,
        request_rates=_rates(rate),
        seed=seed,
    )
    console = stderr_console()
    with _ctrl_c_sets() as stop, _progress_bar(console) as on_progress:
        result = measure(config, stop=stop, on_progress=on_progress)
    document = result.to_dict()
    if result.requests_completed == 0:  # only reachable when interrupted; measure raises otherwise
        to_stderr("interrupted before any request succeeded; nothing written")
        raise typer.Exit(EXIT_INTERRUPTED)
    emit(render.render_json(document), output)
    from costcalc.cli.options import terminal_width

    table = render.render_table(document, width=terminal_width())
    console.print(table, end="", markup=False, highlight=False, soft_wrap=True)
    for level in document["levels"]:
        if level.get("requests_in_one_chunk"):
            to_stderr(
                f"warning: {render.level_name(level)}: {level['requests_in_one_chunk']} of {level['requests_completed']}"
                " requests came back in one chunk (a proxy that buffers the stream, or a server that does not stream):"
                " their TPOT is not measured and TTFT is their whole time; measure the server directly"
            )
    if output not in (None, "-"):
        to_stderr(f"wrote {output}")
    if result.interrupted:
        to_stderr("interrupted: the results above are partial")
        raise typer.Exit(EXIT_INTERRUPTED)


def _api_key(env_var: str | None) -> str | None:
    """The API key from the named environment variable (the value itself is never shown)."""
    if env_var is None:
        return None
    key = os.environ.get(env_var, "")
    if not key:
        raise InputError(
            f"environment variable {env_var} is empty or not set; export it or drop the option", field="--api-key-env"
        )
    return key


def _levels(text: str) -> tuple[int, ...]:
    """'1,4,16' -> (1, 4, 16): the flag's text as whole numbers >= 1 (MeasureConfig bounds the largest)."""
    try:
        levels = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        levels = ()
    if not levels or min(levels) < 1:
        raise InputError(f"{text!r} is not a list of whole numbers >= 1; give e.g. 1,4,16", field="--concurrency")
    return levels


def _rates(text: str | None) -> tuple[float, ...]:
    """'0.5,1,2' -> (0.5, 1.0, 2.0) requests per second (None: no rates): the flag's text as rates > 0
    (MeasureConfig refuses a level that would not finish)."""
    if text is None:
        return ()
    try:
        rates = tuple(float(part) for part in text.split(",") if part.strip())
    except ValueError:
        rates = ()
    if not rates or not all(0 < r < float("inf") for r in rates):
        raise InputError(f"{text!r} is not a list of request rates > 0; give e.g. 0.5,1,2", field="--rate")
    return rates


class _ctrl_c_sets:
    """Context manager: the first Ctrl-C sets a threading.Event; a second one interrupts hard."""

    def __enter__(self) -> threading.Event:
        import signal
        import threading

        self.stop = threading.Event()
        self.previous: Any = None
        if threading.current_thread() is threading.main_thread():

            def handler(signum: int, frame: object) -> None:
                self.stop.set()
                signal.signal(signal.SIGINT, signal.default_int_handler)

            self.previous = signal.signal(signal.SIGINT, handler)
        return self.stop

    def __exit__(self, *exc: object) -> None:
        import signal

        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)


class _progress_bar:
    """Context manager yielding an on_progress callback that drives a rich progress bar."""

    def __init__(self, console: Any) -> None:
        self.console = console

    def __enter__(self) -> Any:
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(
            TextColumn("level {task.fields[concurrency]:>6}"),
            BarColumn(),
            TextColumn("{task.fields[completed_ok]} ok, {task.fields[failed]} failed"),
            TimeElapsedColumn(),
            console=self.console,
            transient=False,
        )
        self.tasks: dict[Any, Any] = {}
        self.progress.__enter__()
        return self.update

    def update(self, snap: Any) -> None:
        """Show one LevelProgress snapshot."""
        key = snap.concurrency if snap.request_rate_per_s is None else f"{snap.request_rate_per_s:g}/s"
        if key not in self.tasks:
            total = snap.target_requests if snap.target_requests is not None else snap.target_duration_s
            self.tasks[key] = self.progress.add_task("", total=total, concurrency=key, completed_ok=0, failed=0)
        done = (
            snap.completed + snap.failed
            if snap.target_requests is not None
            else min(snap.elapsed_s, snap.target_duration_s or 0.0)
        )
        self.progress.update(self.tasks[key], completed=done, completed_ok=snap.completed, failed=snap.failed)

    def __exit__(self, *exc: object) -> None:
        self.progress.__exit__(None, None, None)


def _check_base_url(base_url: str) -> None:
    """InputError (--base-url) unless `base_url` is an http(s) URL that requests can send to: a host with a space,
    an unclosed IPv6 bracket or a port past 65535 crashed (exit 70) or printed each worker thread's traceback."""
    from urllib.parse import urlsplit, urlunsplit

    from requests.exceptions import InvalidURL
    from requests.models import PreparedRequest

    from costcalc.textsafe import shown
    from costcalc.throughput.loadgen.target import ENDPOINT_PATHS

    if not base_url.startswith(("http://", "https://")):
        raise InputError(
            f"{shown(base_url)} is not an http(s) URL; give e.g. http://127.0.0.1:8000", field="--base-url"
        )
    try:
        PreparedRequest().prepare_url(base_url, None)
    except (InvalidURL, ValueError) as exc:
        why = str(exc).removeprefix("Failed to parse: ")
        raise InputError(
            f"{shown(base_url)} is not a URL a request can be sent to ({why}); give e.g. http://127.0.0.1:8000",
            field="--base-url",
        ) from None
    parts = urlsplit(base_url)
    path = parts.path.rstrip("/")
    root = urlunsplit((parts.scheme, parts.netloc, path, "", ""))
    for endpoint in ENDPOINT_PATHS.values():  # the endpoint's own URL, as curl examples write it: qa23
        if path.endswith(endpoint):
            root = root.removesuffix(endpoint)
            raise InputError(
                f"{shown(base_url)} is the endpoint's URL, to which /v1{endpoint} would be added again; give the"
                f" server root: {shown(root.removesuffix('/v1'))} (--endpoint picks the path)",
                field="--base-url",
            )
    if parts.query or parts.fragment:
        raise InputError(
            f"{shown(base_url)} has a query or fragment, which the endpoint's path would follow; give the server root:"
            f" {shown(root)}",
            field="--base-url",
        )
