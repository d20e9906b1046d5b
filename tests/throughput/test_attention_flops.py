"""Attention FLOPs from head widths: GQA, and MLA's prompt and decode paths."""

from __future__ import annotations

from costcalc.throughput.attention_flops import attention_flop_count, attention_head_widths
from tests.throughput.test_estimate import dense_8b, mla_moe


def test_mla_attention_widths_follow_vllms_two_paths():
    # prompts: multi-head attention, query.key over nope 128 + rope 64, values 128 wide
    assert attention_head_widths(mla_moe()) == (192, 128)
    # decode: the up-projection absorbed, multi-query attention over the 512 latent + 64 rope
    assert attention_head_widths(mla_moe(), decode=True) == (576, 512)
    assert attention_head_widths(dense_8b(), decode=True) == (128, 128)
    # DeepSeek V4's latent is the head (448 + 64 = 512): one MQA path, unchanged
    v4_like = mla_moe(head_dim=512, kv_lora_rank=448)
    assert attention_head_widths(v4_like) == attention_head_widths(v4_like, decode=True) == (512, 512)
    assert attention_flop_count(mla_moe(), 4, 1000, decode=True) == 2 * 61 * 128 * (576 + 512) * 1000 * 4
    assert attention_flop_count(dense_8b(), 4, 1000) == 2 * 2 * 32 * 32 * 128 * 1000 * 4
