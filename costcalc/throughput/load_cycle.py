"""A concurrency level's closed-loop timing (TTFT, TPOT, cycle) on a Rig, and the layout chosen at full load."""

from __future__ import annotations

from dataclasses import dataclass

from costcalc.catalog.specs import GpuSpec
from costcalc.throughput.rig import Rig
from costcalc.throughput.timing import decode_step_s, prefill_s

MAX_PREFILL_UTILISATION = 0.99  # keeps the queueing term finite
LAYOUT_WORDS = {"single": "one GPU", "tp": "tensor parallel", "pp": "pipeline parallel"}
MULTI_GPU_LAYOUTS = ("tp", "pp")  # every replica of more than one GPU can take either, over whatever link it has


@dataclass(frozen=True)
class Load:
    """Timing of one concurrency level."""

    ttft_s: float
    tpot_s: float
    decode_step_s: float
    cycle_s: float  # time in which each of the `concurrency` users completes one request


def load_cycle(rig: Rig, batch: int, input_tokens: int, output_tokens: int, mode: str) -> Load:
    """Closed loop with `batch` users, continuous batching and prefill interleaved with decode.

    In one cycle every user gets one request done: O decode steps at the full batch, its own
    prefill (latency) and the batched prefill cost of the others' prompts, which stalls decode.
    TTFT adds the running decode step and the queue of other prompts waiting for prefill (at most
    the other batch - 1 prompts).
    """
    context = input_tokens + output_tokens / 2
    t_dec = decode_step_s(rig, batch, context, mode) if output_tokens > 0 else 0.0
    p_latency, p_cost = prefill_s(rig, input_tokens, mode)
    stall = (batch - 1) * p_cost
    # each user also spends the request overhead (HTTP, tokenising) outside the GPU per request
    cycle = output_tokens * t_dec + p_latency + stall + rig.request_overhead_s
    tpot = t_dec + (stall / output_tokens if output_tokens > 0 else 0.0)
    ttft = p_latency + rig.request_overhead_s
    if batch > 1:
        # wait for the running step, then queue behind other prompts: M/D/1 mean wait with the
        # prefill share of the replica's time as utilisation, at most the other batch - 1 prompts
        # (a closed loop has no more in flight; unbounded, one-token answers waited 16x their stay)
        busy = min(batch * p_cost / cycle, MAX_PREFILL_UTILISATION) if cycle > 0 else 0.0
        ttft += t_dec + min(busy / (2 * (1 - busy)), batch - 1) * p_cost
    return Load(ttft_s=ttft, tpot_s=tpot, decode_step_s=t_dec, cycle_s=cycle)


def layouts(gpu: GpuSpec, n: int) -> tuple[str, ...]:
    """The parallel layouts a replica of n GPUs can take: 'single' on one GPU, else tensor or pipeline parallel over
    whatever link it has (the link prices the communication, it allows both): under an SLO the serving simulation's
    capacity is chosen among them (serving.estimated), so the same card on a faster link never serves less."""
    if n == 1:
        return ("single",)
    return MULTI_GPU_LAYOUTS


def layout_named(gpu: GpuSpec, n: int, layout: str) -> str:
    """', pipeline parallel' where the GPUs take more than one layout (a report's configuration says which it is costed
    at), else ''."""
    return f", {LAYOUT_WORDS[layout]}" if len(layouts(gpu, n)) > 1 else ""


def choose_mode(rig: Rig, max_conc: int, inp: int, out: int) -> str:
    """The layout serving more at full load where none is given: of tensor and pipeline parallel on every multi-GPU
    replica, over whatever link it has (the link prices tensor parallel's all-reduces), so the same card on a faster
    link never estimates less; 'single' on one GPU. A calibration row states the layout it measured instead, and
    engine arguments stating one (-tp 8) are taken as stated (ServerArgs.layout).

    Chosen at the load given: estimate() gives the server's full load, or the requests it runs at once where a
    concurrency is asked; a replica serving a curve of loads keeps the one chosen at its full load.
    """
    choices = layouts(rig.gpu, rig.n)
    if len(choices) == 1:
        return choices[0]
    tp = load_cycle(rig, max_conc, inp, out, "tp").cycle_s
    pp = load_cycle(rig, max_conc, inp, out, "pp").cycle_s
    return "pp" if pp < tp else "tp"


def chosen_words(rig: Rig, mode: str, batch: int, most: int, inp: int, out: int) -> str:
    """Why an estimate runs the layout choose_mode took at `batch` requests at once (`most`: the server's full load):
    'tensor parallel, serving more than pipeline parallel at 1 request at once; at full load (1,024 at once) pipeline
    parallel serves more', so estimates at two loads say why their layouts differ."""
    other = LAYOUT_WORDS["pp" if mode == "tp" else "tp"]
    said = f"{LAYOUT_WORDS[mode]}, serving more than {other} at"
    if batch >= most:
        return f"{said} full load ({batch:,} at once)"
    at = f"{batch:,} {'request' if batch == 1 else 'requests'} at once"
    full = choose_mode(rig, most, inp, out)
    if full == mode:
        return f"{said} {at}, as at full load ({most:,} at once)"
    return f"{said} {at}; at full load ({most:,} at once) {LAYOUT_WORDS[full]} serves more"


def stated_words(mode: str, said: str) -> str:
    """Why an estimate runs the layout its engine arguments state: 'tensor parallel, as the engine arguments state
    (-tp 8)'."""
    return f"{LAYOUT_WORDS[mode]}, as the engine arguments state ({said})"
