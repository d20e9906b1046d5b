"""An error found after a scenario loaded, moved to where the user wrote the field: the --set, else the file's line."""

from __future__ import annotations

from costcalc.errors import InputError
from costcalc.models import Scenario


def at_scenario(exc: InputError, scenario: Scenario) -> InputError:
    """An error found after loading, at the scenario's field it names: the `--set PATH=VALUE` that set the field (or
    a parent of it), else the file's line; itself when it names a place already, or no field of the scenario."""
    return scenario.blamed(exc)
