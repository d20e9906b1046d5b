"""GpuSpec and ModelSpec: what the engine and the estimator need to know of a GPU or a model."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from costcalc.models.gpu_memory import MemoryType


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    source: str = Field(min_length=4)
    as_of: dt.date
    notes: str | None = None


class GpuSpec(_Spec):
    """One accelerator (or one Apple/GB10 system-on-chip); dense tensor TFLOPS, decimal GB/s."""

    vendor: str  # nvidia, amd, apple
    memory_gb: float = Field(gt=0)  # as the vendor states it, which is GiB (an "80 GB" H100 has 80 GiB)
    memory_bandwidth_gb_s: float = Field(gt=0)
    memory_type: MemoryType | None = None  # what its memory is (models/gpu_memory.py); None: a custom GPU not saying
    bf16_tflops: float | None = Field(default=None, gt=0)  # dense, no sparsity
    fp8_tflops: float | None = Field(default=None, gt=0)
    fp4_tflops: float | None = Field(default=None, gt=0)
    int8_tops: float | None = Field(default=None, gt=0)
    tdp_w: float | None = Field(default=None, gt=0)
    idle_w: float | None = Field(default=None, ge=0)
    interconnect_gb_s: float | None = Field(default=None, gt=0)  # per GPU, one direction (NVLink/IF/PCIe)
    # datacenter: an SXM/OAM module or a server PCIe card, run in a server room; workstation: a desktop or
    # workstation card, an Apple machine or a DGX Spark, run on a desk (owned hardware's default site)
    form_factor: Literal["datacenter", "workstation"] | None = None
    # streaming multiprocessors enabled on this part (NVIDIA), and the boost clock its vendor states:
    # the estimator bounds latency-bound mat-vec kernels by SM count (memory-level parallelism per SM)
    # and SM-issue-bound quantised GEMMs by SMs x clock. None = not sourced (the estimator falls back).
    sm_count: int | None = Field(default=None, gt=0)
    boost_clock_mhz: float | None = Field(default=None, gt=0)

    @property
    def measured_as(self) -> str | None:
        """The catalog GPU whose measured kernel rates (matmul and attention shares of its peak) stand for this one:
        its own id; a custom GPU's `like` (None without one)."""
        return self.id

    def has_tensor(self, rate: str) -> bool:
        """Whether the GPU has tensor cores of a format ('fp8_tflops', 'fp4_tflops', 'int8_tops'): a catalog GPU
        where it states the rate; a custom GPU also where the GPU it is like has them (its kind, not its figure)."""
        return bool(getattr(self, rate))


class CustomGpuSpec(GpuSpec):
    """A scenario's custom_gpu: its own figures, and the kind (vendor, kernel architecture, link, form factor) of the
    catalog GPU it is `like`, or as stated; vendor "custom" where it says neither (the estimator refuses it)."""

    like: str | None = None  # the catalog GPU id it is like
    architecture: str | None = None  # its kernel architecture ('sm90'): like's, or stated; None: not known
    # what it took from `like` rather than from its own keys: 'vendor', 'architecture', 'interconnect_gb_s', ...
    taken: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()  # the tensor rates its like GPU has ('fp8_tflops', ...): the formats it takes

    @property
    def measured_as(self) -> str | None:
        """`like`: the catalog GPU whose measured kernel shares of its peak stand for this one (None: none)."""
        return self.like

    def has_tensor(self, rate: str) -> bool:
        """Stated (its rate given), or a format of the GPU it is like."""
        return bool(getattr(self, rate)) or rate in self.formats


class ModelSpec(_Spec):
    """An open-weight model's architecture, from its own config (Hugging Face config.json)."""

    hf_repo: str
    total_params_b: float = Field(gt=0)  # billions
    active_params_b: float = Field(gt=0)  # per token (= total for dense models); per generated token
    # per prompt token where prefill runs less of the stack than decode (DeepSeek V4.1's causal
    # encoder-decoder: a prompt runs the encoder half only); None = active_params_b
    prefill_active_params_b: float | None = Field(default=None, gt=0)
    layers: int = Field(gt=0)
    hidden_size: int = Field(gt=0)
    attention_heads: int = Field(gt=0)
    kv_heads: int = Field(gt=0)
    head_dim: int = Field(gt=0)
    experts: int | None = Field(default=None, gt=0)  # routed experts per MoE layer
    experts_per_token: int | None = Field(default=None, gt=0)
    shared_experts: int | None = Field(default=None, ge=0)
    vocab_size: int = Field(gt=0)
    max_context_tokens: int = Field(gt=0)
    native_precision: str  # bf16, fp8, mxfp4, ...
    # the model's own FP8 checkpoint scales its weights per block of this many rows x columns (config.json's
    # quantization_config weight_block_size: DeepSeek-V3's '128x128'); None = per-tensor scales or not stated.
    # Every engine loads such a checkpoint block-scaled unasked (tensor_tflops.checkpoint_quantization)
    fp8_weight_block_size: str | None = Field(default=None, pattern=r"^[1-9][0-9]*x[1-9][0-9]*$")
    kv_lora_rank: int | None = Field(default=None, gt=0)  # MLA (DeepSeek): latent KV width
    qk_rope_head_dim: int | None = Field(default=None, gt=0)  # MLA: decoupled rope key width
    # MLA: width of the query's low-rank latent (q_a_proj's output); None = queries not compressed or not stated
    q_lora_rank: int | None = Field(default=None, gt=0)
    sliding_window_tokens: int | None = Field(default=None, gt=0)
    sliding_window_layers: int | None = Field(default=None, ge=0)  # how many layers use the window
    # layers with a standard (growing) KV cache; None = all `layers`. Hybrids (Mamba-2, linear
    # attention, attention-free NAS blocks) keep a fixed-size state or nothing in the others.
    kv_cache_layers: int | None = Field(default=None, ge=0)
    # decimal MB of fixed-size recurrent state one sequence holds over all its non-attention
    # layers (Mamba-2 SSM + conv state), at the cache dtype the config names; None = none/unknown
    recurrent_state_mb: float | None = Field(default=None, ge=0)
    # DeepSeek V4's compressed attention: decimal bytes of compressed KV rows (and their indexer keys)
    # one context token adds, summed over the compressed layers, in the engines' fixed cache format;
    # the sliding window every layer also keeps is the sliding_window_* columns. None = no such cache.
    compressed_kv_bytes_per_token: float | None = Field(default=None, gt=0)
    release_date: dt.date | None = None

    @field_validator("kv_cache_layers")
    @classmethod
    def _kv_cache_layers_within_layers(cls, value: int | None, info: ValidationInfo) -> int | None:
        layers = info.data.get("layers")
        if value is not None and layers is not None and value > layers:
            raise ValueError(f"kv_cache_layers {value} exceeds layers {layers}")
        return value

    @field_validator("prefill_active_params_b")
    @classmethod
    def _prefill_within_decode(cls, value: float | None, info: ValidationInfo) -> float | None:
        active = info.data.get("active_params_b")
        if value is not None and active is not None and value > active:
            raise ValueError(f"prefill_active_params_b {value} exceeds active_params_b {active}")
        return value

    @property
    def prefill_share(self) -> float:
        """Share of a generated token's forward pass that a prompt token runs (1 unless prefill stops early)."""
        if self.prefill_active_params_b is None:
            return 1.0
        return self.prefill_active_params_b / self.active_params_b

    @property
    def attention_layers(self) -> int:
        """Layers that hold a KV cache and run softmax attention (all of them unless hybrid)."""
        return self.layers if self.kv_cache_layers is None else self.kv_cache_layers
