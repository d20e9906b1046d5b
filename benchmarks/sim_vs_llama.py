"""The serving simulation against a real llama.cpp server: p95 TTFT and TPOT, measured vs simulated, per rate.

Run: .venv/bin/python benchmarks/sim_vs_llama.py [--requests 300] [--loads 0.25,0.45,0.65] [--repeat 1]
Needs llama-cpp-python[server] and gguf (.ci/install-llama-server.sh). Starts the tests' llama.cpp
server on the tiny in-code model (CPU, one thread), then for each load: measures the step times at
concurrency 1 (TTFT p50 at two prompt lengths -> prefill fixed + per token; TPOT p50 -> the decode
step; the server runs one request at a time, so batch size 1 is the only one), runs `costcalc
measure --rate` at load x the calibrated capacity (Poisson arrivals, open loop), and simulates the
same rate two ways: "before" with the step times (and speed spread) measured at concurrency 1
just before; "during" with the step times and speed spread measured from the level's own requests.
Each simulation runs as many Poisson arrivals as the level into an idle server, 25 times; the
prediction is the median of their p95s. Prints one row per rate (p95 and error = simulated / measured - 1 of each) and the median
absolute errors.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from costcalc.throughput.loadgen.target import Target  # noqa: E402
from costcalc.throughput.measure import MeasureConfig, measure  # noqa: E402
from tests.support.llama_server import MODEL_ALIAS, llama_server  # noqa: E402
from tests.support.serving_check import check_rate  # noqa: E402
from tests.support.tiny_gguf import write_tiny_llama  # noqa: E402

INPUT_TOKENS = 100
OUTPUT_TOKENS = 64
WARMUP_REQUESTS = 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="requests per rate")
    parser.add_argument("--loads", default="0.25,0.45,0.65", help="rates as shares of the calibrated capacity")
    parser.add_argument("--repeat", type=int, default=1, help="rounds over the loads")
    parser.add_argument("--calibration-requests", type=int, default=20)
    parser.add_argument("--input-tokens", type=int, default=INPUT_TOKENS)
    parser.add_argument("--output-tokens", type=int, default=OUTPUT_TOKENS)
    args = parser.parse_args()
    loads = [float(x) for x in args.loads.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        model = write_tiny_llama(Path(tmp) / "tiny.gguf")
        with llama_server(model, Path(tmp) / "server.log") as url:
            warm = Target(url, MODEL_ALIAS, args.input_tokens, args.output_tokens)
            measure(MeasureConfig(warm, (1,), requests_per_level=WARMUP_REQUESTS))
            print(
                f"{'load':>5} {'req/s':>6} {'n':>5} | TTFT p95 ms: {'meas':>7} {'before':>13} {'during':>13}"
                f" | TPOT p95 ms: {'meas':>6} {'before':>12} {'during':>12}"
            )
            for round_ in range(args.repeat):
                for load in loads:
                    r = check_rate(
                        url,
                        MODEL_ALIAS,
                        input_tokens=args.input_tokens,
                        output_tokens=args.output_tokens,
                        load=load,
                        requests=args.requests,
                        calibration_requests=args.calibration_requests,
                        seed=round_,
                    )
                    rows.append(r)
                    preds = (r.before, r.during)
                    ttft = " ".join(f"{p.ttft_p95_ms:7.1f} {r.errors(p)[0]:+5.0%}" for p in preds)
                    tpot = " ".join(f"{p.tpot_p95_ms:6.2f} {r.errors(p)[1]:+5.0%}" for p in preds)
                    print(
                        f"{load:5.2f} {r.rate_per_s:6.2f} {r.requests:5d} | TTFT p95 ms: {r.measured_ttft_p95_ms:7.1f}"
                        f" {ttft} | TPOT p95 ms: {r.measured_tpot_p95_ms:6.2f} {tpot}",
                        flush=True,
                    )
    for name in ("before", "during"):
        errs = [r.errors(getattr(r, name)) for r in rows]
        print(
            f"median |error| ({name}): TTFT p95 {statistics.median(abs(e[0]) for e in errs):.0%},"
            f" TPOT p95 {statistics.median(abs(e[1]) for e in errs):.0%} over {len(rows)} rates"
        )


if __name__ == "__main__":
    main()
