"""The assumption line of what one request is: the workload's volume, lengths, prompt-cache shares and reasoning."""

from __future__ import annotations

from costcalc.models import Workload
from costcalc.words import counted, tokens


def request_line(workload: Workload) -> str:
    """'Workload (as given): 40,000 requests a day; each 1,200 input tokens, 50% read from a prompt cache; 250 output
    tokens': the inputs behind every API bill and the self-hosted sizing, which the header shows only as totals."""
    if workload.requests_per_day is not None:
        volume = f"{counted(workload.requests_per_day, 'request')} a day"
    else:
        assert workload.tokens_per_month is not None
        volume = f"{tokens(workload.tokens_per_month)} tokens a month"
    inputs = counted(workload.mean_input_tokens, "input token")
    if workload.input_length_buckets:
        mix = ", ".join(f"{b.share:.0%} at {b.input_tokens:,.0f}" for b in workload.input_length_buckets)
        inputs += f" on average ({mix})"
    cache = []
    if workload.cached_input_share:
        cache.append(f"{workload.cached_input_share:.0%} read from a prompt cache")
    if workload.cache_write_share:
        cache.append(f"{workload.cache_write_share:.0%} written to it")
    outputs = counted(workload.output_tokens, "output token")
    if workload.reasoning_tokens:
        outputs += f" plus {counted(workload.reasoning_tokens, 'reasoning token')} (billed and generated as output)"
    return f"Workload (as given): {volume}; each {', '.join([inputs, *cache])}; {outputs}."
