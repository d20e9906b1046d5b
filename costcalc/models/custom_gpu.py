"""A GPU that is not in the catalog, given by its own figures and what it is like."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from costcalc.models.base import Input
from costcalc.models.engines import engine_key
from costcalc.models.gpu_memory import MemoryType, memory_type_key


class CustomGpu(Input):
    """A GPU that is not in the catalog: its own figures, and what it is like (a catalog GPU, or its vendor), which the
    estimator needs; without either its throughput is given (points or measured), not estimated."""

    name: str = Field(min_length=1, description="shown in reports")
    like: str | None = Field(
        default=None,
        description="a catalog GPU it is like, e.g. h100-sxm-80gb: the estimate takes that GPU's vendor, kernel"
        " architecture, interconnect, form factor, memory type, tensor formats and measured kernel shares of its"
        " peak; every figure below stays this GPU's own",
    )
    vendor: Literal["nvidia", "amd", "apple"] | None = Field(
        default=None, description="without like: whose kernels it runs (the engines that run on it)"
    )
    architecture: str | None = Field(
        default=None,
        description="without like: its kernel architecture, e.g. sm90, gfx942 (its fitted factors; default none)",
    )
    memory_gb: float = Field(gt=0, description="GPU memory as its vendor states it, which is GiB (80 for an H100 80GB)")
    memory_bandwidth_gb_s: float = Field(gt=0, description="memory bandwidth, GB/s")
    memory_type: MemoryType | None = Field(
        default=None,
        description="what its memory is: the estimator's fitted factors differ between HBM parts and GDDR or LPDDR"
        " ones; default like's, else HBM where its link is 200 GB/s or more",
    )
    bf16_tflops: float | None = Field(default=None, gt=0, description="dense BF16 tensor TFLOPS")
    fp8_tflops: float | None = Field(default=None, gt=0, description="dense FP8 tensor TFLOPS")
    fp4_tflops: float | None = Field(default=None, gt=0, description="dense FP4 tensor TFLOPS")
    int8_tops: float | None = Field(default=None, gt=0, description="dense INT8 tensor TOPS")
    interconnect_gb_s: float | None = Field(
        default=None,
        gt=0,
        description="GPU-to-GPU link per GPU, one direction, GB/s (NVLink, Infinity Fabric or PCIe); 200 and above"
        " is a scale-up link, below it PCIe (it prices tensor parallel's all-reduces); default like's, else PCIe",
    )
    sm_count: int | None = Field(
        default=None, gt=0, description="NVIDIA: streaming multiprocessors (llama.cpp's limits)"
    )
    boost_clock_mhz: float | None = Field(
        default=None, gt=0, description="NVIDIA: boost clock, MHz (llama.cpp's limits)"
    )
    tdp_w: float | None = Field(default=None, gt=0, description="board power at full load, W")
    idle_w: float | None = Field(default=None, ge=0, description="power when idle with a model loaded, W")

    @field_validator("vendor", "architecture", mode="before")
    @classmethod
    def _kind_key(cls, value: Any) -> Any:
        return engine_key(value) if isinstance(value, str) else value  # 'NVIDIA', 'SM90': as engine is read

    @field_validator("memory_type", mode="before")
    @classmethod
    def _memory_key(cls, value: Any) -> Any:
        return memory_type_key(value)  # 'hbm3e' is HBM3e
