"""File references in a scenario (`workload: usage.yaml`, `hardware: gpus.yaml`, benchmark files): made absolute, loaded."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from costcalc.errors import InputError
from costcalc.models import Hardware, Workload
from costcalc.scenario.overrides import set_path
from costcalc.scenario.validate import validate
from costcalc.scenario.yamlio import parse, read_text

Overrides = list[tuple[list[Any], Any, str]]


def load_workload(path: str, overrides: Overrides = ()) -> Workload:  # type: ignore[assignment]
    """A usage profile from its own YAML file (with parsed overrides applied)."""
    return _load_part(Workload, path, overrides)


def load_hardware(path: str, overrides: Overrides = ()) -> Hardware:  # type: ignore[assignment]
    """A hardware spec from its own YAML file (with parsed overrides applied)."""
    return _load_part(Hardware, path, overrides)


def _load_part(model: type[BaseModel], path: str, overrides: Overrides) -> Any:
    shown = os.path.relpath(path)
    text, origin = read_text(path if shown.startswith("..") else shown)
    doc = parse(text, origin)
    if overrides and not isinstance(doc.data, dict):
        raise InputError("expected a mapping of keys", file=origin, line=1)
    for parts, value, label in overrides:
        set_path(doc.data, parts, value, label, root=model)
    return validate(model, doc.data, doc)


def resolve_references(data: dict[str, Any], into_files: dict[tuple[Any, ...], Overrides]) -> dict[str, Any]:
    """Replace `workload: FILE` and `hardware: FILE` (absolute paths by now) with the models loaded from them."""
    data = dict(data)
    if isinstance(data.get("workload"), str):
        data["workload"] = load_workload(data["workload"], into_files.get(("workload",), []))
    options = data.get("options")
    if isinstance(options, list):
        data["options"] = [
            {**opt, "hardware": load_hardware(opt["hardware"], into_files.get(("options", i, "hardware"), []))}
            if isinstance(opt, dict) and opt.get("kind") == "self_hosted" and isinstance(opt.get("hardware"), str)
            else opt
            for i, opt in enumerate(options)
        ]
    return data


def absolute_references(data: dict[str, Any], base: Path) -> dict[str, Any]:
    """A copy with workload, hardware and benchmark file paths made absolute against the scenario's folder."""

    def absolute(p: Any) -> Any:
        if not isinstance(p, str):
            return p
        path = Path(p).expanduser()
        return str(path if path.is_absolute() else (base / path).resolve())

    data = dict(data)
    if isinstance(data.get("workload"), str):
        data["workload"] = absolute(data["workload"])
    options = data.get("options")
    if isinstance(options, list):
        fixed = []
        for opt in options:
            if isinstance(opt, dict):
                opt = dict(opt)
                if isinstance(opt.get("hardware"), str):
                    opt["hardware"] = absolute(opt["hardware"])
                throughput = opt.get("throughput")
                if isinstance(throughput, dict) and "measured" in throughput:
                    m = throughput["measured"]
                    opt["throughput"] = {
                        **throughput,
                        "measured": [absolute(x) for x in m] if isinstance(m, list) else absolute(m),
                    }
            fixed.append(opt)
        data["options"] = fixed
    return data
