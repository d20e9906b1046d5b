"""Whether a tensor-parallel engine can split a model's attention heads evenly over a replica's GPUs."""

from __future__ import annotations

from costcalc.catalog.specs import ModelSpec

# vLLM refuses a tensor-parallel size that does not divide the attention heads ("Total number of attention heads
# (N) must be divisible by tensor parallel size (T)": ModelConfig.verify_with_parallel_config, vllm-project/vllm
# vllm/config/__init__.py @a4cd9d0d), and SGLang's attention layers assert the same (`assert self.total_num_heads
# % tp_size == 0`, sgl-project/sglang python/sglang/srt/models/llama.py @00239548). llama.cpp splits by layers and is
# not bound by it; TensorRT-LLM's rule was not read, so it is not checked.
HEAD_SPLIT_ENGINES = {
    "vllm": "https://github.com/vllm-project/vllm/blob/a4cd9d0d28bdb41db8dfe0acdafac2bf2f608630/vllm/config/__init__.py",
    "sglang": "https://github.com/sgl-project/sglang/blob/00239548f1cd1a06ca145a5447a86738090a48f1/"
    "python/sglang/srt/models/llama.py",
}
SUGGESTED_MAX_GPUS = 8  # the sizes suggested in the refusal go up to one 8-GPU server


def uneven_head_split(model: ModelSpec, gpu_count: int, engine: str) -> str | None:
    """Why `engine` cannot run `model` tensor-parallel over `gpu_count` GPUs (None: it can, or the rule is not known)."""
    source = HEAD_SPLIT_ENGINES.get(engine)
    if source is None or gpu_count <= 1 or model.attention_heads % gpu_count == 0:
        return None
    sizes = [n for n in range(1, SUGGESTED_MAX_GPUS + 1) if model.attention_heads % n == 0]
    listed = ", ".join(str(n) for n in sizes[:-1]) + f" or {sizes[-1]}" if len(sizes) > 1 else str(sizes[0])
    return (
        f"{engine} cannot split {model.id}'s {model.attention_heads} attention heads evenly over {gpu_count} GPUs "
        f"(the tensor-parallel size must divide them: {source}); use {listed} GPUs per replica"
    )
