"""The serving simulation against a real llama.cpp server (tiny model, CPU): p95 TTFT and TPOT within a loose bound.

The CPU is shared with other work, so the server's speed drifts several-fold within seconds: the
simulation is fed the step times and speed spread measured during the rate level itself (see
tests/support/serving_check.py), the bound is loose, and a miss gets one more attempt (a stall of
the shared CPU can take the tail of one short sample; a simulation that is wrong misses both).
benchmarks/sim_vs_llama.py runs the longer check whose figures the report gives.
"""

from __future__ import annotations

import pytest

from costcalc.throughput.loadgen.target import Target
from costcalc.throughput.measure import MeasureConfig, measure
from tests.support.llama_server import MODEL_ALIAS as LLAMA_MODEL_ALIAS
from tests.support.serving_check import RateCheck, check_rate

pytestmark = [pytest.mark.llama_server, pytest.mark.slow]

INPUT_TOKENS = 100
OUTPUT_TOKENS = 64
REQUESTS = 120
LOAD = 0.4
# Simulated TTFT p95 within a factor of 4 of the measured one: on this shared 2-core machine (load
# average 8-15 while it was written) 17 runs of this check gave ratios of 0.24 to 1.1, the low ones
# when other work stalled the machine for a second or more (which the measured speed spread of
# ~40 ms windows does not reproduce). A simulation without its queue gives about 0.05.
TTFT_FACTOR = 4.0
TPOT_FACTOR = 2.0
ATTEMPTS = 2


def within(r: RateCheck) -> bool:
    p = r.during
    ttft, tpot = p.ttft_p95_ms / r.measured_ttft_p95_ms, p.tpot_p95_ms / r.measured_tpot_p95_ms
    return 1 / TTFT_FACTOR < ttft < TTFT_FACTOR and 1 / TPOT_FACTOR < tpot < TPOT_FACTOR


def test_simulated_p95s_track_the_measured_ones(llama_server_url: str) -> None:
    warm = Target(llama_server_url, LLAMA_MODEL_ALIAS, INPUT_TOKENS, OUTPUT_TOKENS)
    measure(MeasureConfig(warm, (1,), requests_per_level=4))
    checks = []
    for attempt in range(ATTEMPTS):
        r = check_rate(
            llama_server_url,
            LLAMA_MODEL_ALIAS,
            input_tokens=INPUT_TOKENS,
            output_tokens=OUTPUT_TOKENS,
            load=LOAD,
            requests=REQUESTS,
            calibration_requests=12,
            seed=attempt,
        )
        checks.append(r)
        assert r.requests == REQUESTS
        # the queue is real: the measured p95 is well above the first token on an idle server
        cal = r.during.calibration
        assert r.measured_ttft_p95_ms > 1.5 * (cal.prefill_fixed_ms + cal.prefill_ms_per_token * INPUT_TOKENS)
        if within(r):
            return
    pytest.fail(f"simulated p95s out of bounds in {ATTEMPTS} attempts: {checks}")
