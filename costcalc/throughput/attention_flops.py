"""FLOPs of attention per token and attended position from a model's head widths (GQA, MLA's two paths)."""

from __future__ import annotations

from costcalc.catalog.specs import ModelSpec
from costcalc.units import FLOPS_PER_MAC


def attention_head_widths(model: ModelSpec, *, decode: bool = False) -> tuple[int, int]:
    """(query.key width, value width) one attention head multiplies per attended position.

    Grouped-query attention: head_dim each. MLA whose latent is up-projected per head (DeepSeek
    V2/V3: head_dim is the value head, queries and keys add the rope part) runs two ways (vLLM's MLA
    common components, vllm/model_executor/layers/attention/mla_attention.py, module docstring):
    prompts take the "compute friendly" path, multi-head attention with a query.key width of
    nope + rope (128 + 64) and the value head (128); decode takes the "data-movement friendly" path,
    the up-projection absorbed into the query, multi-query attention over the cached latent itself
    with a query.key width of kv_lora_rank + rope (512 + 64) and a value width of kv_lora_rank (512).
    Where the latent is the head (DeepSeek V4: head_dim = kv_lora_rank + rope) both paths are that MQA.
    """
    rope = model.qk_rope_head_dim or 0
    if not model.kv_lora_rank or model.kv_lora_rank + rope == model.head_dim:
        return model.head_dim, model.head_dim
    if decode:
        return model.kv_lora_rank + rope, model.kv_lora_rank
    return model.head_dim + rope, model.head_dim


def attention_flop_count(model: ModelSpec, tokens: float, context: float, *, decode: bool = False) -> float:
    """FLOPs of attention for `tokens` tokens each attending to `context` positions.

    QK^T and PV: 2 * heads * (query.key width + value width) FLOPs per token per attended position
    per attention layer (attention_head_widths; hybrids: only the kv_cache_layers run softmax
    attention over the context). decode: the step's tokens are single decode tokens.
    """
    qk_width, v_width = attention_head_widths(model, decode=decode)
    return FLOPS_PER_MAC * model.attention_layers * model.attention_heads * (qk_width + v_width) * context * tokens
