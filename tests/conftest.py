"""Shared fixtures: every test's user state lives in a temporary folder; scenarios are written to tmp_path."""

from __future__ import annotations

import copy
import datetime as dt
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

TODAY = dt.date(2026, 9, 1)  # fixed "today" so staleness checks are deterministic


@pytest.fixture(autouse=True)
def isolated_user_state(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the price cache, HOME and the XDG folders at a fresh temporary folder for every test.

    A separate folder (not tmp_path itself) so tests that list tmp_path see only their own files.
    """
    home = tmp_path_factory.mktemp("user-state")
    monkeypatch.setenv("COSTCALC_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("COLUMNS", "120")  # rich and shutil read it: stable table widths
    monkeypatch.delenv("NO_COLOR", raising=False)
    return home


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[..., Path]:
    """write_yaml(content, name='scenario.yaml') → path; content is YAML text (dedented) or a dict."""

    def write(content: str | dict[str, Any], name: str = "scenario.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            text = textwrap.dedent(content).lstrip("\n")
        else:
            text = yaml.safe_dump(content, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        return path

    return write


# A scenario whose every price is explicit (no shipped table is consulted for a number):
# 100,000 requests/day of 1,000 input + 250 output tokens.
BASE_SCENARIO: dict[str, Any] = {
    "version": 1,
    "name": "Hand-checkable scenario",
    "horizon_months": 12,
    "workload": {
        "requests_per_day": 100_000,
        "input_tokens": 1000,
        "output_tokens": 250,
        "peak_to_average": 2.0,
        "users": 200,
    },
    "options": [
        {
            "name": "Explicit API",
            "kind": "api",
            "prices": {"input_usd_per_mtok": 1.0, "output_usd_per_mtok": 4.0},
        },
        {
            "name": "Rented GPUs",
            "kind": "self_hosted",
            "model": "llama-3.1-8b",
            "hardware": {"gpu": "h100-sxm-80gb", "acquisition": "rent", "hourly_usd": 2.0},
            "throughput": {
                "points": [
                    {
                        "input_tokens": 1000,
                        "output_tokens": 250,
                        "requests_per_s": 5.0,
                        "concurrency": 32,
                    }
                ]
            },
            "operations": {"engineer_hours_per_month": 10, "hourly_rate_usd": 100},
        },
        {"name": "Seats", "kind": "subscription", "usd_per_seat_month": 25.0},
    ],
}


@pytest.fixture
def base_scenario() -> dict[str, Any]:
    """A fresh deep copy of BASE_SCENARIO (explicit prices, given throughput) to edit freely."""
    return copy.deepcopy(BASE_SCENARIO)


@pytest.fixture
def today() -> dt.date:
    """The fixed date passed as analyze(today=) / --today."""
    return TODAY
