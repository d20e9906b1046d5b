"""GPU and open-weight model catalogs: shipped CSV data with id lookups."""

from costcalc.catalog.lookup import (
    get_gpu,
    get_model,
    list_gpus,
    list_models,
    load_gpus,
    load_models,
    read_catalog,
)
from costcalc.catalog.specs import GpuSpec, ModelSpec

__all__ = [
    "GpuSpec",
    "ModelSpec",
    "get_gpu",
    "get_model",
    "list_gpus",
    "list_models",
    "load_gpus",
    "load_models",
    "read_catalog",
]
