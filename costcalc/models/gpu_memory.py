"""What a GPU's memory is: the names the GPU catalog's memory_type column and a custom_gpu's memory_type take."""

from __future__ import annotations

from typing import Any, Literal, get_args

# As vendors' datasheets name them: HBM stacks (datacenter modules and server cards), GDDR (graphics cards), LPDDR
# shared with a CPU (DGX Spark's GB10), Apple silicon's unified memory. The estimator's class follows it
# (throughput/factors.gpu_class).
MemoryType = Literal["HBM2", "HBM2e", "HBM3", "HBM3e", "GDDR6", "GDDR6X", "GDDR7", "LPDDR5X", "unified"]
MEMORY_TYPES: tuple[str, ...] = get_args(MemoryType)


def memory_type_key(written: Any) -> Any:
    """A memory type as written, case and surrounding spaces aside ('hbm3e' is 'HBM3e'); anything else unchanged, for
    the field's own refusal."""
    if not isinstance(written, str):
        return written
    by_key = {t.lower(): t for t in MEMORY_TYPES}
    return by_key.get(written.strip().lower(), written)
