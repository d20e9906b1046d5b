"""A GPU spec file (`costcalc estimate --gpu-spec FILE`): a scenario's custom_gpu keys in a YAML file of their own."""

from __future__ import annotations

from costcalc.errors import InputError
from costcalc.models.options import CustomGpu
from costcalc.scenario.validate import validate
from costcalc.scenario.yamlio import YamlDoc, parse, read_text

HELD = "a scenario's custom_gpu keys (name, like, memory_gb, memory_bandwidth_gb_s, bf16_tflops, ...)"


def read_gpu_spec(path: str) -> tuple[CustomGpu, YamlDoc]:
    """The custom GPU a spec file states, with its parsed document (the lines of its keys, for later errors)."""
    text, origin = read_text(path)
    doc = parse(text, origin, if_empty=f"write {HELD}")
    if not isinstance(doc.data, dict):
        raise InputError(f"expected a mapping of {HELD}", file=origin)
    if list(doc.data) == ["custom_gpu"] and isinstance(doc.data["custom_gpu"], dict):  # copied with its heading
        raise InputError(
            "its keys sit under 'custom_gpu:', but a GPU spec file holds them alone; delete the 'custom_gpu:' line and"
            " unindent the rest",
            file=origin,
            line=doc.line_of(("custom_gpu",)),
        )
    return validate(CustomGpu, doc.data, doc), doc
