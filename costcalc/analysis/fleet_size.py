"""A self-hosted option sized at more GPUs than the largest AI cluster reported: said, with the input behind it."""

from __future__ import annotations

from costcalc.report.result import OptionResult

# xAI's Colossus (Memphis), "the biggest AI supercomputer ever", 200,000 NVIDIA H100 GPUs:
# https://www.newsbytesapp.com/news/business/elon-musks-xai-builds-worlds-largest-ai-supercomputer/tldr (2025-10-06).
# The tool's plausibility limit for one option's fleet: past it a throughput or volume typo is far likelier than a plan
# (a point of 1e-9 requests/s sized 4,629,629,630 GPUs, qa18), so it is warned about; larger clusters are planned, so
# it is not refused.
LARGEST_CLUSTER_GPUS = 200_000
LARGEST_CLUSTER = "xAI's Colossus, reported 2025-10-06"


def fleet_size_line(res: OptionResult) -> str | None:
    """'NAME: sized at N GPUs (R replicas of G), more than the 200,000 of the largest AI cluster reported (...); a
    replica serves X requests/s (Y output tokens/s) by its points: check options[NAME].throughput.points ...', or
    None for an option sized at LARGEST_CLUSTER_GPUS or fewer."""
    t = res.throughput
    if t is None or res.gpus is None or not res.replicas or res.gpus <= LARGEST_CLUSTER_GPUS:
        return None
    where = f"options[{res.name}].throughput"
    rates = f"{t.requests_per_s_per_replica:.3g} requests/s ({t.output_tokens_per_s_per_replica:.3g} output tokens/s)"
    if t.basis == "given":
        why = f"by its points: check {where}.points (requests_per_s, output_tokens_per_s: one replica's, per second)"
    elif t.basis == "measured":
        why = f"by its benchmark files: check those {where}.measured names (their rates are one replica's)"
    else:
        why = "as estimated, so the volume drives it: check workload.requests_per_day and the tokens per request"
    size = f"{res.gpus:,} GPUs ({res.replicas:,} replicas of {res.gpus // res.replicas:,})"
    largest = f"the {LARGEST_CLUSTER_GPUS:,} of the largest AI cluster reported ({LARGEST_CLUSTER})"
    return f"{res.name}: sized at {size}, more than {largest}; a replica serves {rates} {why}"
