"""MLX's chunked prefill over sliding-window attention layers (mlx-lm: masked chunks, no block skipping)."""

from __future__ import annotations

from costcalc.catalog.specs import ModelSpec

# mlx-lm's server prefills a prompt in steps of this many tokens (mlx_lm/server.py v0.31.3,
# --prefill-step-size default 2048; generate_step's prefill_step_size default is the same).
MLX_PREFILL_STEP_TOKENS = 2048
# How a sliding-window layer runs a prompt step there (mlx-lm v0.31.3; read 2026-12-06): its
# RotatingKVCache(max_size=window) keeps window - 1 earlier positions and appends the step's N
# (cache.py RotatingKVCache._update_concat: "the largest size is max_size + S - 1"); its mask is an
# array whenever kept + N > window (RotatingKVCache.make_mask -> create_causal_mask), and mlx's
# fused attention skips key blocks only for the "causal" mode (steel_attention.h: kb_lim is cut
# only under do_causal; an array mask is applied to every key block). So each of the step's N
# queries scores kept + N keys, kept = min(offset, window - 1); a step that fits the window takes
# the "causal" mode (kept + N / 2 on average). Full-attention layers take the "causal" mode:
# T^2 / 2 over a prompt of T, the count the estimator makes for every layer.
KEPT_BEHIND_WINDOW = 1  # the cache keeps window - 1 earlier positions


def sliding_layer_scores(tokens: int, window: int, step: int = MLX_PREFILL_STEP_TOKENS) -> float:
    """Query-key scores one sliding-window layer computes over a prompt of `tokens` on MLX."""
    total, offset = 0.0, 0
    while offset < tokens:
        n = min(step, tokens - offset)
        kept = min(offset, window - KEPT_BEHIND_WINDOW)
        # an array mask scores every key; within the window the "causal" mode skips the upper half
        total += n * (kept + n) if kept + n > window else n * (kept + n / 2)
        offset += n
    return total


def prompt_attention_scale(model: ModelSpec, tokens: int) -> float:
    """MLX's attention scores over a prompt relative to every layer scoring tokens^2 / 2 (causal).

    1 for models without sliding-window layers. gpt-oss (half its layers on a 128-token window):
    about 1.05 at 4K tokens (a 2048-token step scores its whole square) and 0.63 at 16K.
    """
    window, swa = model.sliding_window_tokens, model.sliding_window_layers
    if not window or not swa or tokens <= 0:
        return 1.0
    layers = model.attention_layers
    swa = min(swa, layers)
    causal = tokens * tokens / 2
    return ((layers - swa) * causal + swa * sliding_layer_scores(tokens, window)) / (layers * causal)


def chunks_sliding_prefill(engine: str) -> bool:
    """Whether the engine's prompt attention follows mlx-lm's chunked sliding-window prefill."""
    return engine == "mlx"
