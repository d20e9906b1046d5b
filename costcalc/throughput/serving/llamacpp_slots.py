"""llama-server's slots as its command line sets them: sequences at once (-np) and the context each may hold (-c, -kvu)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from costcalc.words import count

# llama-server decodes at most one sequence per slot; a request that finds every slot busy waits in
# the server's queue (deferred) until a slot is released. Read 2026-12-06:
# - `-np/--parallel N` sets the slot count and `-c/--ctx-size N` the context in tokens (0: the
#   model's training context). Without a unified KV cache each slot gets n_ctx / n_parallel tokens:
#   `const int32_t n_ctx_slot = n_ctx / params_base.n_parallel;` in server_context::init of
#   tools/server/server.cpp, the code of the 2025 builds (b5540, the build inference-bench ran, is of
#   2025-05); the same split is now in llama-context.cpp (n_ctx_seq = n_ctx / n_seq_max unless
#   kv_unified; janhq/jan#8534, 2026-07-27, quoting it).
# - `-kvu/--kv-unified` (llama.cpp#14363, "llama : add high-throughput mode", 2025-07) makes one KV
#   buffer shared by all sequences: each slot may use the whole context, and the slots together
#   hold at most -c tokens (llama.cpp#16736: "share the entire context -c N among all parallel slots").
# - Default slot count: 1 (common_params.n_parallel = 1) until llama.cpp#16736 ("server : support
#   unified cache across slots", opened 2025-10-23), which made it -1 = auto: 4 slots with the unified
#   cache ("n_parallel is set to auto, using n_parallel = 4 and kv_unified = true", tools/server;
#   b7079 of 2025-11-16 starts 4 slots unasked, llama.cpp#17300). A stated -np N keeps the split cache
#   unless -kvu is stated too (llama.cpp#17997: "default: enabled if number of slots is auto").
# - The build that first shipped #16736 is not pinned here (the release list could not be read): b5540
#   (2025-05, inference-bench's) predates it, b7079 (2025-11-16, llama.cpp#17300) is the first build
#   seen starting 4 slots unasked. A configuration that states no -np runs what llama-server runs
#   unasked: 4 slots with one cache today, 1 slot for a build given as bNNNN below b7079 (builds
#   between #16736's release and b7079 are counted as 1 slot too: a known gap).
AUTO_SLOTS = 4
PRE_AUTO_SLOTS = 1
FIRST_BUILD_SEEN_WITH_AUTO_SLOTS = 7079
_SLOT_FLAGS = frozenset({"-np", "--parallel"})
_CONTEXT_FLAGS = frozenset({"-c", "--ctx-size"})
_UNIFIED_ON = frozenset({"-kvu", "--kv-unified"})
_UNIFIED_OFF = frozenset({"--no-kv-unified"})
# `-b/--batch-size N`: the most tokens (one per generating slot, then prompt tokens) one server step
# carries, default 2048 (tools/server/README.md; scheduler.LLAMACPP_TOKENS_PER_STEP)
_BATCH_FLAGS = frozenset({"-b", "--batch-size"})


@dataclass(frozen=True)
class Slots:
    """What a llama-server command line states about its slots."""

    slots: int | None  # sequences decoded at once (None: not stated)
    context_tokens: int | None  # -c: the context all slots share or split (None or 0: the model's own)
    unified: bool  # one KV cache for all slots (-kvu, or -np auto), else -c split evenly between them

    def context_per_seq_tokens(self, model_context_tokens: int) -> int:
        """Prompt + output tokens one slot holds: the whole context if unified, else its even share."""
        context = self.context_tokens or model_context_tokens
        return context if self.unified else context // (self.slots or 1)

    def kv_pool_tokens(self, model_context_tokens: int) -> int | None:
        """Tokens all running sequences hold together in the unified cache (None: split, each slot its own)."""
        return (self.context_tokens or model_context_tokens) if self.unified else None


def _whole(flag: str, word: str, least: int) -> int:
    """The integer after a flag, at least `least`; ValueError naming the flag otherwise."""
    try:
        value = int(word)
    except ValueError:
        raise ValueError(f"{flag} needs a whole number, got {word!r}") from None
    if value < least:
        raise ValueError(f"{flag} needs a whole number of at least {least}, got {value}")
    return value


def parse_slots(words: list[str]) -> Slots | None:
    """Slots from llama-server's flags ('-np 4 -c 16384', '--parallel 2 --kv-unified'; '-np -1' = auto);
    None when the line states neither a slot count nor a context."""
    slots: int | None = None
    context: int | None = None
    unified: bool | None = None
    for i, word in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if word in _SLOT_FLAGS:
            slots = _whole(word, nxt, -1)
            if slots == 0:
                raise ValueError(f"{word} needs a slot count of at least 1, or -1 for auto, got 0")
        elif word in _CONTEXT_FLAGS:
            context = _whole(word, nxt, 0)
        elif word in _UNIFIED_ON:
            unified = True
        elif word in _UNIFIED_OFF:
            unified = False
    if slots is None and context is None:
        return None
    if slots == -1:  # auto: 4 slots sharing one cache, unless the cache is split explicitly
        return Slots(AUTO_SLOTS, context, unified is not False)
    return Slots(slots, context, bool(unified))


def slot_limits(
    slots: Slots,
    model_context_tokens: int,
    longest_request_tokens: float,
    kv_gb: float,
    kv_need_gb: Callable[[float], float],
) -> tuple[float, str | None]:
    """(the KV cache the replica's sequences share, None), or (kv_gb, why the longest request cannot run).

    A request longer than one slot's context cannot be served as stated; a unified cache holds at
    most its -c tokens for all running sequences together (a split one gives each slot its share, so
    the slot count alone limits them).
    """
    why = too_long(slots, model_context_tokens, longest_request_tokens)
    if why is not None:
        return kv_gb, why
    pool = slots.kv_pool_tokens(model_context_tokens)
    return (kv_gb, None) if pool is None else (min(kv_gb, kv_need_gb(pool)), None)


def too_long(slots: Slots, model_context_tokens: int, longest_request_tokens: float) -> str | None:
    """Why a request of `longest_request_tokens` (prompt + output) cannot run in one slot (None: it fits)."""
    per_seq = slots.context_per_seq_tokens(model_context_tokens)
    if longest_request_tokens <= per_seq:
        return None
    shown = f"{count(slots.context_tokens or model_context_tokens)} tokens"
    how = "shared by the slots" if slots.unified else f"split between {slots.slots or 1} slots"
    return (
        f"requests of up to {count(longest_request_tokens)} tokens (prompt + output) do not fit llama-server's "
        f"{count(per_seq)}-token slot context ({shown} of context {how}); raise -c/--ctx-size"
    )


def _build(version: str | None) -> int | None:
    """The build number of a llama.cpp release tag ('b5540' -> 5540; None: not a build tag or not given)."""
    match = re.fullmatch(r"\s*b(\d+)\s*", version or "")
    return int(match.group(1)) if match else None


def unasked_slots(version: str | None = None) -> int:
    """Slots llama-server starts without -np: 4 today, 1 for a build before llama.cpp#16736's default."""
    build = _build(version)
    return PRE_AUTO_SLOTS if build is not None and build < FIRST_BUILD_SEEN_WITH_AUTO_SLOTS else AUTO_SLOTS


def with_release_default(stated: Slots | None, version: str | None) -> Slots:
    """The slots a llama-server runs: a stated -np as given, else the release's default count (auto: with
    one shared cache unless the line splits it; before #16736: one slot holding the whole context)."""
    if stated is not None and stated.slots is not None:
        return stated
    slots = unasked_slots(version)
    context = None if stated is None else stated.context_tokens
    unified = slots == AUTO_SLOTS or (stated is not None and stated.unified)
    return Slots(slots, context, unified)


def parse_batch_size(words: list[str]) -> int | None:
    """Tokens per server step from llama-server's -b/--batch-size (None: not stated; the last where stated twice)."""
    value = None
    for i, word in enumerate(words):
        if word in _BATCH_FLAGS:
            value = _whole(word, words[i + 1] if i + 1 < len(words) else "", 1)
    return value
