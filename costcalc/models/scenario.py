"""A scenario: one workload, the options to compare, the horizon, and price overrides."""

from __future__ import annotations

from typing import Any

from pydantic import Field, PrivateAttr, field_validator, model_validator

from costcalc.errors import InputError
from costcalc.models.base import Input
from costcalc.models.options import Option
from costcalc.models.pricing import Currency, PriceOverride
from costcalc.models.workload import Workload

SCENARIO_VERSION = 1
MAX_OPTIONS = 1000  # a comparison of more is not a decision any report can show


class Scenario(Input):
    """The top of a scenario file (version 1)."""

    version: int = Field(description="scenario format version; 1")
    name: str = Field(default="Unnamed scenario", min_length=1, max_length=200, description="title of the report")
    horizon_months: int = Field(default=36, ge=1, le=240, description="months shown in the timeline and payback")
    workload: Workload | str = Field(description="a usage profile, or a path to a usage YAML file")
    options: tuple[Option, ...] = Field(
        min_length=1, description="the options to compare (api, subscription, self_hosted)"
    )
    stale_after_days: int | None = Field(
        default=None,
        gt=0,
        description="prices older than this many days are flagged; default: each table's limit in"
        " pricing/freshness.csv (API rows 60, others 120)",
    )
    discount_rate_per_year: float = Field(
        default=0.0,
        ge=0,
        le=1,
        description="yearly rate for NPV, discounted payback and IRR; also the default cost of capital of bought"
        " hardware (0 = money now and later count the same)",
    )
    fiscal_year_start_month: int = Field(
        default=1, ge=1, le=12, description="calendar month a fiscal year starts in (1 = January), for the budget view"
    )
    pricing: tuple[PriceOverride, ...] = Field(default=(), description="negotiated prices layered over the tables")
    currency: Currency | str = Field(default="USD", description="USD, or {code, per_usd, as_of, source}")
    guardrails: tuple[str, ...] = Field(
        default=(),
        description="conditions that fail `report`/`diff` (exit 1), as for --fail-if, e.g. 'payback_months > 18'",
    )
    variants: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="named what-ifs, NAME: {PATH: VALUE, ...} as for --set; `costcalc sweep` reports them side by side",
    )
    _origin: str | None = PrivateAttr(default=None)  # file the scenario was read from
    _lines: dict[str, int] = PrivateAttr(default_factory=dict)  # field path as shown in errors → line
    _uncertain: tuple[Any, ...] = PrivateAttr(default=())  # {dist: ...} inputs, here at their point values
    _set_by: dict[str, str] = PrivateAttr(default_factory=dict)  # field path as shown → the 'PATH=VALUE' typed
    # field path as shown → a number the file wrote with a dot before three digits ('1.000'; plausibility)
    _written: dict[str, str] = PrivateAttr(default_factory=dict)
    # a part read from its own file ('workload', 'options[A].hardware') → (that file, its keys' lines)
    _files: dict[str, tuple[str, dict[str, int]]] = PrivateAttr(default_factory=dict)

    def locate(self, field: str | None) -> tuple[str | None, int | None]:
        """(file, line) of a field path such as 'options[GPT-5].model', for errors found after loading."""
        if not field:
            return self._origin, None
        for at, (file, lines) in self._files.items():  # a key of a referenced file: that file's line
            if field.startswith(at + "."):
                probe = field[len(at) + 1 :]
                while probe and probe not in lines:
                    probe = probe.rsplit(".", 1)[0] if "." in probe else ""
                return file, lines.get(probe)
        probe = field
        while probe:
            if probe in self._lines:
                return self._origin, self._lines[probe]
            cut = max(probe.rfind("."), probe.rfind("["))
            probe = probe[:cut] if cut > 0 else ""
        return self._origin, None

    def blamed(self, exc: InputError) -> InputError:
        """An error found after loading, at the scenario's field it names: the `--set PATH=VALUE` that set the field
        (or a parent of it), else the file's line; itself when it names a place already, or no field of the
        scenario."""
        if exc.file is not None or not exc.field or exc.param is not None or exc.field.startswith("--"):
            return exc
        typed = self.set_by(exc.field)
        if typed is not None:  # the override's value is wrong, not the file's line it replaced
            return type(exc)(exc.detail, param="overrides", item=typed, mentions=exc.mentions)
        file, line = self.locate(exc.field)
        return exc if file is None else exc.moved(file=file, line=line, field=exc.field)

    def set_by(self, field: str | None) -> str | None:
        """The 'PATH=VALUE' override the user typed (--set, overrides=) that set this field or a parent, or None."""
        probe = field or ""
        while probe:
            if probe in self._set_by:
                return self._set_by[probe]
            cut = max(probe.rfind("."), probe.rfind("["))
            probe = probe[:cut] if cut > 0 else ""
        return None

    @field_validator("version")
    @classmethod
    def _version(cls, version: int) -> int:
        # a field's own check, so the refusal names the field and an override that set it (`--set version=0` was
        # blamed on the file's line 4)
        if version != SCENARIO_VERSION:
            raise ValueError(f"unsupported version; this costcalc reads version {SCENARIO_VERSION}")
        return version

    @model_validator(mode="after")
    def _check(self) -> Scenario:
        if len(self.options) > MAX_OPTIONS:
            raise ValueError(f"{len(self.options)} options; a scenario compares at most {MAX_OPTIONS}")
        seen: set[str] = set()
        for opt in self.options:
            if opt.name in seen:
                raise ValueError(f"duplicate option name {opt.name!r}; option names must be unique")
            seen.add(opt.name)
        from costcalc.errors import InputError
        from costcalc.models.guardrails import parse

        for i, text in enumerate(self.guardrails):
            try:
                parse(text, origin=f"guardrails[{i}]")
            except InputError as exc:
                raise ValueError(exc.detail) from None
        return self
