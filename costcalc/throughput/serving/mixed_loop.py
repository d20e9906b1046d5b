"""The event loop of batching._Run.go, specialised to a chunked, mixed scheduler under open arrivals; go is the reference.

Capacity searches run this loop (vLLM V1 and llama.cpp batch prompt chunks into the steps of running decodes), so it
does go's float operations in go's order with fewer checks a step. batching._Run.go defines every time; the tests
(tests/throughput/serving/test_mixed_loop.py) compare this loop with it bit for bit on random replicas and draws, and a
change to one is made to both.
"""

from __future__ import annotations

import functools
import heapq
import math
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from costcalc.throughput.serving.batching import _Run

# A run of this many identical prefill-chunk steps or more (one prompt in prefill, a chunk filling each step, no decode
# finishing: a token budget far below the prompt, '--max-num-batched-tokens 2' or llama-server's '-b 1') is taken as
# one iteration, its costs summed in closed form (the chunk costs telescope; the decodes' context grows by one a step);
# shorter runs step one by one, as every calibration row's do.
REPEAT_STEPS = 256


def go_mixed(
    run: _Run,
    limits: tuple[float | None, float | None],
    max_misses: int,
    budget: int,
    cost: list[float],
    alone: Callable[[int], float],
) -> bool:
    """run.go where the scheduler mixes prompt chunks with decodes (Prefill.MIXED_CHUNKED), one decode step a scheduler
    call, a whole token budget a step, the speed steady and the arrivals open (run.released None); True if stopped early.

    budget: tokens a step; cost: prefill_cost at every whole token count up to the longest prompt; alone: prefill_alone.
    Three kinds of step take most of a run and have short paths here: a decode-only jump with nothing waiting or in
    prefill; one waiting request admitted with nothing in prefill; the last chunk of the one prompt in prefill with
    nobody waiting. Every other step takes go's general path, written alike.
    """
    steps, sched = run.steps, run.sched
    prompts, outs, kv_need = run.prompts, run.outs, run.kv_need
    # the arrival times and a nan after the last: `arrivals[nxt] <= t` and `< inf` are then False past the end, as
    # go's `nxt < n and ...` has them, without that test a step
    arrivals = [*run.arrivals, math.nan]
    first, finish = run.first, run.finish
    lo, hi = run.first_counted, run.end_counted
    ttft_limit, tpot_limit = limits
    ttft_misses = tpot_misses = 0
    to_finish = hi - lo
    n = len(run.arrivals)
    max_seqs, kv_cap = sched.max_seqs, sched.kv_gb
    decode_s, decode_slope = steps.decode_s, steps.decode_s_per_context_token
    slack, linear = steps.decode_weight_slack_s, steps.prefill_linear_s_per_token

    t = 0.0
    # arrived and not admitted: requests head .. nxt - 1 (go's `waiting`: the arrivals are in id order, and admitted
    # first come first served)
    head = nxt = 0
    filling: list[int] = []  # admitted, prompt partly processed (FCFS order)
    filled = [0] * n  # prompt tokens processed per request
    # the running sequences, first to finish first: (decode step at which it finishes, id). Where every answer has one
    # length they finish in the order they started decoding, and those that started in one step in id order (the
    # order they started in), so a queue pops them in the order go's heap does, for less
    running: deque[tuple[int, int]] | list[tuple[int, int]]
    if run.one_output_length:
        queue: deque[tuple[int, int]] = deque()
        running, push, pop = queue, queue.append, queue.popleft
    else:
        heap: list[tuple[int, int]] = []
        running, push, pop = heap, functools.partial(heapq.heappush, heap), functools.partial(heapq.heappop, heap)
    joined = [0] * n  # decode step at which each sequence started decoding
    dstep = 0  # decode steps so far
    sum_prompt = 0  # prompt tokens of the running sequences
    sum_start = 0  # dstep at which each running sequence joined, summed
    kv_used = 0.0
    busy = 0.0
    ceil, inf = math.ceil, math.inf

    while to_finish > 0:
        while arrivals[nxt] <= t:
            nxt += 1
        b = len(running)
        if head == nxt and not filling:
            if not b:
                if nxt >= n or arrivals[nxt] == inf:
                    break  # nothing left to serve (only when the counted requests cannot finish)
                t = arrivals[nxt]
                continue
            # decode-only: jump to the next finish, or to the step in which the next arrival can be admitted
            ctx = (sum_prompt + b * (1 + dstep) - sum_start) / b
            k = running[0][0] - dstep
            if b < max_seqs and arrivals[nxt] < inf:
                until = ceil((arrivals[nxt] - t) / (decode_s[b] + decode_slope[b] * ctx))
                k = until if until < k else k  # max(1, min(k, until))
                k = k if k > 1 else 1
            dt = k * (decode_s[b] + decode_slope[b] * (ctx + (k - 1) / 2))
            t += dt
            busy += b * dt
            dstep += k
            while running and running[0][0] <= dstep:
                _, rid = pop()
                finish[rid] = t
                kv_used -= kv_need[rid]
                sum_prompt -= prompts[rid]
                sum_start -= joined[rid]
                if lo <= rid < hi:
                    to_finish -= 1
                    out = outs[rid]
                    if tpot_limit is not None and out > 1 and (t - first[rid]) / (out - 1) > tpot_limit:
                        tpot_misses += 1
            if tpot_misses > max_misses:
                break
            continue
        # one prompt's work and nothing else: the one waiting request, none in prefill, where a sequence slot, the cache
        # (unless nothing runs) and the budget have room; or a chunk of the one prompt in prefill, none waiting (unless
        # it starts a run of REPEAT_STEPS identical steps)
        rid = -1
        if not filling:
            if nxt - head == 1 and b < max_seqs and b < budget:
                rid = head
                need = kv_need[rid]
                if b and kv_used + need > kv_cap:
                    rid = -1
                else:
                    head += 1
                    kv_used += need
                    done = 0
        elif head == nxt and len(filling) == 1 and b < budget:
            rid = filling[0]
            done = filled[rid]
            repeat = int((prompts[rid] - done - 1) // (budget - b))
            if b:
                left = running[0][0] - dstep
                repeat = left if left < repeat else repeat  # min(repeat, left)
            if repeat >= REPEAT_STEPS:
                rid = -1
        if rid >= 0:
            size = prompts[rid]
            rest = size - done
            take = budget - b if budget - b < rest else rest  # min(rest, room)
            chunks = 0.0 + (cost[done + take] - cost[done] if done else cost[take])
            if b:
                ctx = (sum_prompt + b * (1 + dstep) - sum_start) / b
                hidden = take * linear
                saving = (hidden if hidden < slack[b] else slack[b]) if slack else 0.0
                dt = decode_s[b] + decode_slope[b] * ctx + chunks - saving
                t += dt
                busy += (b + 1) * dt
                dstep += 1
                while running and running[0][0] <= dstep:
                    _, done_rid = pop()
                    finish[done_rid] = t
                    kv_used -= kv_need[done_rid]
                    sum_prompt -= prompts[done_rid]
                    sum_start -= joined[done_rid]
                    if lo <= done_rid < hi:
                        to_finish -= 1
                        out = outs[done_rid]
                        if tpot_limit is not None and out > 1 and (t - first[done_rid]) / (out - 1) > tpot_limit:
                            tpot_misses += 1
            else:
                dt = alone(take) + chunks  # a prefill step without decodes
                t += dt
                busy += dt
            if take < rest:  # its prompt longer than the room: (still) in prefill
                filled[rid] = done + take
                if not done:
                    filling.append(rid)
            else:  # its prompt done: the first token, then decodes
                if done:
                    filling.pop()
                first[rid] = t
                if lo <= rid < hi and ttft_limit is not None and t - arrivals[rid] > ttft_limit:
                    ttft_misses += 1
                out = outs[rid]
                if out == 1:
                    finish[rid] = t
                    kv_used -= kv_need[rid]
                    if lo <= rid < hi:
                        to_finish -= 1
                else:
                    joined[rid] = dstep
                    push((dstep + out - 1, rid))
                    sum_prompt += size
                    sum_start += dstep
            if ttft_misses > max_misses or tpot_misses > max_misses:
                break
            continue
        # --- the general step (go's): chunks of the prompts in prefill, then newly admitted ones
        room = budget - b
        chunks = 0.0
        tokens = 0
        completed: list[int] = []
        repeat = 1  # identical prefill-chunk steps this iteration runs (REPEAT_STEPS)
        if room > 0 and len(filling) == 1:
            rid = filling[0]
            repeat = int((prompts[rid] - filled[rid] - 1) // room)
            if b:
                left = running[0][0] - dstep
                repeat = left if left < repeat else repeat  # min(repeat, left)
            repeat = repeat if repeat >= REPEAT_STEPS else 1
        if repeat > 1:
            rid = filling[0]
            done = filled[rid]
            chunks = cost[done + repeat * room] - cost[done]
            filled[rid] = done + repeat * room
            tokens = room
        elif room > 0:
            for rid in filling:
                if room <= 0:
                    break
                done = filled[rid]
                rest = prompts[rid] - done
                take = room if room < rest else rest  # min(rest, room)
                chunks += cost[done + take] - cost[done]
                filled[rid] = done + take
                room -= take
                tokens += take
                if filled[rid] == prompts[rid]:
                    completed.append(rid)
            while room > 0 and head < nxt and b + len(filling) < max_seqs:
                rid = head
                need = kv_need[rid]
                if kv_used + need > kv_cap and (b or filling):
                    break
                size = prompts[rid]
                head += 1
                kv_used += need
                filling.append(rid)
                take = room if room < size else size  # min(size, room)
                chunks += cost[take]
                filled[rid] = take
                room -= take
                tokens += take
                if take == size:
                    completed.append(rid)
        if tokens == 0 and b == 0:
            if nxt >= n or arrivals[nxt] == inf:
                break
            t = arrivals[nxt]
            continue
        if not b:
            dt = repeat * alone(tokens) + chunks  # prefill steps without decodes
            decoded = 0
        elif tokens:
            # one forward over decodes and prompt chunks (go says how)
            ctx = (sum_prompt + b * (1 + dstep) - sum_start) / b
            hidden = tokens * linear
            saving = (hidden if hidden < slack[b] else slack[b]) if slack else 0.0
            if repeat == 1:
                dt = decode_s[b] + decode_slope[b] * ctx + chunks - saving
            else:
                dt = repeat * (decode_s[b] - saving) + decode_slope[b] * repeat * (ctx + (repeat - 1) / 2) + chunks
            decoded = repeat
        else:
            # decode-only while prompts wait for a sequence slot, the cache or the token budget
            ctx = (sum_prompt + b * (1 + dstep) - sum_start) / b
            k = running[0][0] - dstep
            if b < max_seqs and head == nxt and arrivals[nxt] < inf:
                until = ceil((arrivals[nxt] - t) / (decode_s[b] + decode_slope[b] * ctx))
                k = until if until < k else k  # max(1, min(k, until))
                k = k if k > 1 else 1
            dt = k * (decode_s[b] + decode_slope[b] * (ctx + (k - 1) / 2))
            decoded = k
        t += dt
        busy += (b + len(filling)) * dt
        if decoded:
            dstep += decoded
            while running and running[0][0] <= dstep:
                _, rid = pop()
                finish[rid] = t
                kv_used -= kv_need[rid]
                sum_prompt -= prompts[rid]
                sum_start -= joined[rid]
                if lo <= rid < hi:
                    to_finish -= 1
                    out = outs[rid]
                    if tpot_limit is not None and out > 1 and (t - first[rid]) / (out - 1) > tpot_limit:
                        tpot_misses += 1
        for rid in completed:
            filling.remove(rid)
            first[rid] = t
            if lo <= rid < hi and ttft_limit is not None and t - arrivals[rid] > ttft_limit:
                ttft_misses += 1
            out = outs[rid]
            if out == 1:
                finish[rid] = t
                kv_used -= kv_need[rid]
                if lo <= rid < hi:
                    to_finish -= 1
                continue
            joined[rid] = dstep
            push((dstep + out - 1, rid))
            sum_prompt += prompts[rid]
            sum_start += dstep
        if ttft_misses > max_misses or tpot_misses > max_misses:
            break
    run.t, run.in_flight_s = t, busy
    return ttft_misses > max_misses or tpot_misses > max_misses
