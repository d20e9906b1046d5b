"""Uncertain numbers: `{dist: triangular|normal|lognormal|uniform, ...}` in place of a number, parsed and sampled."""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from costcalc.engine.arrays import FloatArray
from costcalc.errors import InputError, did_you_mean
from costcalc.textsafe import shown, shown_name

PARAMS = {
    "triangular": ("low", "mode", "high"),
    "normal": ("mean", "sd"),
    "lognormal": ("median", "sigma"),
    "uniform": ("low", "high"),
}
CLIPS = ("min", "max")  # optional on every kind: samples are clipped into [min, max]
# Fields that are chosen, not uncertain: the horizon is the period every total is budgeted over (simulate summed each
# sample over its own horizon under one "12 mo" heading, and a single run took the centre)
CHOSEN = ("horizon_months",)


@dataclass(frozen=True)
class Distribution:
    """One uncertain input: its kind, parameters and optional clip bounds."""

    kind: str
    params: dict[str, float]
    min: float | None = None
    max: float | None = None

    @property
    def point(self) -> float:
        """The value a deterministic run uses: mode, mean, median, or the uniform's midpoint."""
        p = self.params
        value = {
            "triangular": lambda: p["mode"],
            "normal": lambda: p["mean"],
            "lognormal": lambda: p["median"],
            "uniform": lambda: (p["low"] + p["high"]) / 2,
        }[self.kind]()
        center: float = self._clip(np.array([value]))[0].item()
        return center

    def sample(self, rng: np.random.Generator, n: int) -> FloatArray:
        """n draws (float64), clipped to [min, max]; degenerate parameters give a constant."""
        p = self.params
        if self.kind == "triangular":
            if p["low"] == p["high"]:
                out = np.full(n, p["mode"], dtype=float)
            else:
                out = rng.triangular(p["low"], p["mode"], p["high"], n)
        elif self.kind == "normal":
            out = rng.normal(p["mean"], p["sd"], n)
        elif self.kind == "lognormal":
            out = p["median"] * np.exp(rng.normal(0.0, p["sigma"], n))
        else:
            out = rng.uniform(p["low"], p["high"], n)
        return self._clip(out)

    def _clip(self, values: FloatArray) -> FloatArray:
        lo = -np.inf if self.min is None else self.min
        hi = np.inf if self.max is None else self.max
        clipped: FloatArray = np.clip(values, lo, hi)
        return clipped

    def describe(self) -> str:
        """'triangular(low=1.5, mode=2.0, high=3.0)'."""
        inner = ", ".join(f"{k}={v:g}" for k, v in self.params.items())
        return f"{self.kind}({inner})"


@dataclass(frozen=True)
class Uncertain:
    """Where an uncertain number sits: its data path (for line numbers), shown path (for --set) and law."""

    data_path: tuple[Any, ...]
    path: str
    distribution: Distribution


def rng_for(seed: int | None, path: str) -> np.random.Generator:
    """An independent, stable stream per input: adding an input does not change the others' draws."""
    if seed is None:
        return np.random.default_rng()
    return np.random.default_rng([seed & 0xFFFFFFFF, zlib.crc32(path.encode("utf-8"))])


def parse_distribution(
    spec: dict[str, Any], *, where: str, file: str | None = None, line: int | None = None
) -> Distribution:
    """Validate a `{dist: ..., ...}` mapping; every problem is one InputError naming the field."""

    def fail(msg: str) -> InputError:
        return InputError(msg, file=file, line=line, field=where)

    kind = spec.get("dist")
    if kind not in PARAMS:
        hint = did_you_mean(str(kind), list(PARAMS)) or f"; use one of {', '.join(PARAMS)}"
        raise fail(f"unknown distribution {kind!r}{hint}")
    needed = PARAMS[kind]
    allowed = ("dist", *needed, *CLIPS)
    for key in spec:
        if key not in allowed:
            hint = (
                did_you_mean(str(key), list(allowed)) or f"; {kind} takes {', '.join(needed)} (and optional min, max)"
            )
            raise fail(f"unknown key {key!r} in a {kind} distribution{hint}")
    values: dict[str, float] = {}
    for key in (*needed, *CLIPS):
        if key not in spec:
            if key in needed:
                raise fail(f"a {kind} distribution needs {', '.join(needed)}; {key} is missing")
            continue
        value = spec[key]
        if isinstance(value, str):  # YAML 1.1 reads 3e5 as a string; pydantic takes it as a number, so do we
            try:
                value = float(value)
            except ValueError:
                pass
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise fail(f"{key} must be a number (got {shown(value)})")
        if not math.isfinite(value):  # a .nan or .inf passed the checks below and failed each sample unlocated
            raise fail(f"{key} must be a finite number (got {shown(value)}); write a plain number")
        values[key] = float(value)
    clip_min, clip_max = values.pop("min", None), values.pop("max", None)
    _check(kind, values, fail)
    if clip_min is not None and clip_max is not None and clip_min > clip_max:
        raise fail(f"min {clip_min:g} is above max {clip_max:g}")
    return Distribution(kind, values, clip_min, clip_max)


def _check(kind: str, v: dict[str, float], fail: Any) -> None:
    if kind == "triangular" and not v["low"] <= v["mode"] <= v["high"]:
        raise fail("a triangular distribution needs low <= mode <= high")
    if kind == "uniform" and v["low"] > v["high"]:
        raise fail("a uniform distribution needs low <= high")
    if kind == "normal" and v["sd"] < 0:
        raise fail("sd must be >= 0")
    if kind == "lognormal" and (v["median"] <= 0 or v["sigma"] < 0):
        raise fail("a lognormal distribution needs median > 0 and sigma >= 0")


def split_uncertain(
    data: Any, *, origin: str | None = None, lines: dict[tuple[Any, ...], int] | None = None
) -> tuple[Any, list[Uncertain]]:
    """A copy of scenario data with each `{dist: ...}` replaced by its point value, and the uncertain inputs found.

    Call this on the raw YAML data before validation, so the models need not know about distributions.
    """
    found: list[Uncertain] = []
    lines = lines or {}

    def walk(node: Any, path: tuple[Any, ...], shown: str) -> Any:
        if isinstance(node, dict):
            if "dist" in node:
                dist = parse_distribution(node, where=shown, file=origin, line=lines.get(path))
                if shown in CHOSEN:
                    raise InputError(_chosen(shown, dist), file=origin, line=lines.get(path), field=shown)
                found.append(Uncertain(path, shown, dist))
                return dist.point
            return {k: walk(v, (*path, k), f"{shown}.{k}" if shown else str(k)) for k, v in node.items()}
        if isinstance(node, list):
            out = []
            for i, item in enumerate(node):
                name = item.get("name") if isinstance(item, dict) else None
                label = f"{shown}[{shown_name(name)}]" if isinstance(name, str) else f"{shown}[{i}]"
                out.append(walk(item, (*path, i), label))
            return out
        return node

    return walk(data, (), ""), found


def _chosen(path: str, dist: Distribution) -> str:
    """Why a distribution on a chosen field is refused, and what to write instead."""
    return (
        f"a {dist.kind} distribution here, but {path} is the period every total is budgeted over, not an uncertain"
        f" input; write one number of months (e.g. {max(1, round(dist.point))}), try another with `--set {path}=N`, or"
        f" see how the totals move with it with `costcalc sensitivity --input {path}`"
    )


def drawn(exc: InputError, uncertain: Sequence[Uncertain]) -> InputError:
    """An error about a field the scenario gives a distribution, saying that its value is the distribution's centre,
    which a single run takes (`gpus_per_replica: {dist: uniform, low: 1, high: 4}` was told '(got 2.5); write a whole
    number' of a 2.5 the user never wrote); `simulate` rounds each draw of a whole-number field, the centre must be
    whole already."""
    law = next((u for u in uncertain if u.path == exc.field), None)
    if law is None:
        return exc
    kind, centre = law.distribution.kind, law.distribution.point
    why = f"{law.path} is a {kind} distribution, and a single run takes its centre, {centre:g}"
    if "whole number" in exc.detail:
        why += "; give it a whole centre (simulate rounds each draw)"
    return exc.moved(f"{exc.detail} ({why})", file=exc.file, line=exc.line)
