"""How many requests/s can `costcalc measure` drive? Runs it against an instant local SSE endpoint.

The endpoint is an asyncio server in its own process (so it does not share the client's GIL)
that answers every POST at once with a short chunked SSE stream (a few token chunks, a usage
chunk, [DONE]). Whatever rate `measure` reaches against it is the client's ceiling on this
machine: a real server slower than that is measured faithfully.

    .venv/bin/python benchmarks/measure_client_rate.py [--requests 2000] [--runs 3] [--tokens 4]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import statistics
import time

CONCURRENCY_LEVELS = (1, 8, 32)
TOKENS_PER_STREAM = 4
READY_TIMEOUT_S = 10.0


def _sse_response(tokens: int) -> bytes:
    """One complete chunked HTTP/1.1 SSE response with `tokens` text chunks, prepared once."""
    events = []
    for i in range(tokens):
        finish = "length" if i == tokens - 1 else None
        chunk = {"choices": [{"index": 0, "delta": {"content": f" t{i}"}, "finish_reason": finish}]}
        events.append(b"data: " + json.dumps(chunk).encode() + b"\n\n")
    usage = {"prompt_tokens": 8, "completion_tokens": tokens}
    events.append(b"data: " + json.dumps({"choices": [], "usage": usage}).encode() + b"\n\n")
    events.append(b"data: [DONE]\n\n")
    body = b"".join(f"{len(e):X}\r\n".encode() + e + b"\r\n" for e in events) + b"0\r\n\r\n"
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
    return head + body


async def _serve_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, response: bytes) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            await reader.readexactly(length)
            writer.write(response)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


def _server_process(port_out: multiprocessing.connection.Connection, tokens: int) -> None:
    response = _sse_response(tokens)

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _serve_connection(reader, writer, response)

    async def main() -> None:
        server = await asyncio.start_server(serve, "127.0.0.1", 0, backlog=1024)
        port_out.send(server.sockets[0].getsockname()[1])
        async with server:
            await server.serve_forever()

    asyncio.run(main())


def main() -> None:
    """Print the median requests/s `measure` sustains at each concurrency level."""
    from costcalc.throughput.loadgen.target import Target
    from costcalc.throughput.measure import MeasureConfig, measure

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per level and run")
    parser.add_argument("--runs", type=int, default=3, help="runs per level (median reported)")
    parser.add_argument("--tokens", type=int, default=TOKENS_PER_STREAM, help="text chunks per streamed response")
    args = parser.parse_args()

    receive, send = multiprocessing.Pipe(duplex=False)
    server = multiprocessing.Process(target=_server_process, args=(send, args.tokens), daemon=True)
    server.start()
    try:
        if not receive.poll(READY_TIMEOUT_S):
            raise SystemExit("stub server did not start")
        url = f"http://127.0.0.1:{receive.recv()}"
        print(
            f"client ceiling against an instant SSE endpoint ({url}): {args.tokens} tokens a "
            f"stream, {args.requests} requests a run, median of {args.runs} runs"
        )
        print(f"{'concurrency':>11} {'req/s':>8} {'tokens/s':>9} {'runs (req/s)':>24} {'ttft p50 ms':>12}")
        for concurrency in CONCURRENCY_LEVELS:
            rates, token_rates, ttfts = [], [], []
            for _ in range(args.runs):
                target = Target(url, "bench", 8, args.tokens)
                config = MeasureConfig(target, (concurrency,), requests_per_level=args.requests)
                start = time.perf_counter()
                level = measure(config).levels[0]
                assert level["requests_failed"] == 0, level["errors"]
                assert time.perf_counter() - start >= level["duration_s"]
                rates.append(level["requests_per_s"])
                token_rates.append(level["output_tokens_per_s"])
                ttfts.append(level["ttft_ms"]["p50"])
            runs = ", ".join(f"{r:.0f}" for r in rates)
            print(
                f"{concurrency:>11} {statistics.median(rates):>8.0f} "
                f"{statistics.median(token_rates):>9.0f} {runs:>24} "
                f"{statistics.median(ttfts):>12.2f}"
            )
    finally:
        server.terminate()
        server.join()


if __name__ == "__main__":
    main()
