"""An option that serves an open-weight model on rented or owned GPUs."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator

from costcalc.models.base import Input
from costcalc.models.engines import check_release, engine_key
from costcalc.models.hardware import Hardware
from costcalc.models.option_fields import Name, OneOffCost, OneOffs
from costcalc.models.running_costs import Hosting, Operations, Power
from costcalc.models.throughput import Throughput


class SelfHostedOption(Input):
    """Serve an open-weight model on rented or owned GPUs."""

    name: str = Name
    kind: Literal["self_hosted"] = Field(description="self_hosted: serve an open-weight model")
    model: str = Field(description="catalog model id, e.g. gpt-oss-120b")
    precision: str | None = Field(
        default=None,
        description="weights: bf16, fp16, fp8, fp4, mxfp4, int8, int4, q8_0, q4_0, q4_k_m; default the model's native one",
    )
    engine: Literal["vllm", "sglang", "trtllm", "llamacpp", "mlx"] = Field(default="vllm", description="serving engine")
    engine_version: str | None = Field(
        default=None,
        description="the engine release the server runs: llamacpp a build tag such as b7079 (before b7079 "
        "llama-server starts 1 slot without -np, since then 4), vllm or sglang a release such as 0.6.3; default today's",
    )
    engine_args: str | None = Field(
        default=None,
        max_length=1000,
        description="flags the server is started with, those the estimator reads (another is refused with the list),"
        " e.g. llamacpp -np 8, vllm --max-num-seqs 64, sglang --enable-dp-attention --dp 8; default none (the"
        " release's defaults)",
    )
    hardware: Hardware | str = Field(description="a hardware mapping, or a path to a hardware YAML file")
    throughput: Throughput | None = Field(default=None, description="how fast a replica serves; default: estimated")
    power: Power = Field(default_factory=Power, description="electricity of owned hardware")
    hosting: Hosting = Field(default_factory=Hosting, description="colocation of owned hardware")
    operations: Operations = Field(default_factory=Operations, description="labour running the service")
    one_off_costs: tuple[OneOffCost, ...] = OneOffs

    @field_validator("engine", mode="before")
    @classmethod
    def _engine(cls, value: Any) -> Any:
        return engine_key(value) if isinstance(value, str) else value

    @field_validator("engine_version", mode="before")
    @classmethod
    def _bare_build(cls, value: Any, info: ValidationInfo) -> Any:
        """A llama.cpp build written as a bare number (YAML reads `engine_version: 7079` as one): the tag's form at
        once, rather than 'put it in quotes' and then the tag's form."""
        if info.data.get("engine") == "llamacpp" and isinstance(value, int) and not isinstance(value, bool):
            raise ValueError(f"write the llamacpp release as a build tag such as b{value}")
        return value

    @field_validator("engine_version")
    @classmethod
    def _release(cls, value: str | None, info: ValidationInfo) -> str | None:
        engine = info.data.get("engine")
        if value is None or engine is None:
            return value
        check_release(engine, value)
        return value
