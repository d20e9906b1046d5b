"""An error found after a scenario loaded, moved to where the user wrote the field: the --set, else the file's line."""

from __future__ import annotations

from costcalc.errors import InputError
from costcalc.models import Scenario


def at_scenario(exc: InputError, scenario: Scenario) -> InputError:
    """An error found after loading, at the scenario's field it names: the `--set PATH=VALUE` that set the field (or
    a parent of it), else the file's line; itself when it names a place already, or no field of the scenario."""
    if exc.file is not None or not exc.field or exc.param is not None or exc.field.startswith("--"):
        return exc
    typed = scenario.set_by(exc.field)
    if typed is not None:  # the override's value is wrong, not the file's line it replaced
        return type(exc)(exc.detail, param="overrides", item=typed, mentions=exc.mentions)
    file, line = scenario.locate(exc.field)
    return exc if file is None else exc.moved(file=file, line=line, field=exc.field)
