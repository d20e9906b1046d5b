"""What a type checker sees of the public API: `import costcalc` names concrete types, and loads no api.py at run time."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

import costcalc

ROOT = Path(__file__).resolve().parent.parent

# name -> the return type mypy must reveal for it (DataFrames need pandas-stubs, which the test extra installs;
# without them pandas is Any to a checker and those two are not checked)
RETURNS = {
    "load_scenario": "costcalc.models.scenario.Scenario",
    "analyze": "costcalc.report.result.Result",
    "estimate_throughput": "costcalc.analysis.estimate_band.BandedEstimate",
    "sweep": "pandas.core.frame.DataFrame",
    "sensitivity": "pandas.core.frame.DataFrame",
    "simulate": "costcalc.analysis.simulate.Simulation",
}
CLASSES = {
    "Result": "costcalc.report.result.Result",
    "Scenario": "costcalc.models.scenario.Scenario",
    "PriceBook": "costcalc.pricing.book.PriceBook",
    "InputError": "costcalc.errors.InputError",
    "CostcalcError": "costcalc.errors.CostcalcError",
}


def _installed(distribution: str) -> bool:
    from importlib.metadata import PackageNotFoundError, version

    try:
        version(distribution)
    except PackageNotFoundError:
        return False
    return True


def _type_checking_names() -> dict[str, str]:
    """name -> module, of the `from M import N as N` lines under `if TYPE_CHECKING:` in costcalc/__init__.py."""
    tree = ast.parse((ROOT / "costcalc" / "__init__.py").read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for imp in node.body:
                assert isinstance(imp, ast.ImportFrom) and imp.module is not None
                for alias in imp.names:
                    assert alias.asname == alias.name, "re-export explicitly: `import N as N`"
                    out[alias.name] = imp.module
    return out


def test_type_checkers_see_every_lazy_name_from_its_module() -> None:
    assert _type_checking_names() == costcalc._LAZY


def test_import_costcalc_loads_neither_the_facade_nor_pandas() -> None:
    code = "import sys, costcalc; print(sorted(m for m in ('costcalc.api', 'pandas') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT).stdout
    assert out.strip() == "[]"


def test_the_package_is_marked_typed() -> None:
    assert (ROOT / "costcalc" / "py.typed").is_file()


@pytest.mark.slow
def test_mypy_reveals_concrete_types_for_the_public_api(tmp_path: Path) -> None:
    mypy_api = pytest.importorskip("mypy.api")
    frames = {n for n, shown in RETURNS.items() if shown.startswith("pandas.")}
    returns = RETURNS if _installed("pandas-stubs") else {n: t for n, t in RETURNS.items() if n not in frames}
    user = tmp_path / "user.py"
    names = [*returns, *CLASSES]
    user.write_text("import costcalc\n" + "".join(f"reveal_type(costcalc.{n})\n" for n in names), encoding="utf-8")
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\nignore_missing_imports = True\n", encoding="utf-8")
    stdout, stderr, status = mypy_api.run(
        ["--config-file", str(config), "--cache-dir", str(tmp_path / "cache"), "--no-error-summary", str(user)]
    )
    assert status == 0, stdout + stderr
    revealed = re.findall(r'Revealed type is "(.*)"', stdout)
    assert len(revealed) == len(names), stdout
    for name, shown in zip(names, revealed, strict=True):
        if name in returns:
            assert shown.rsplit("-> ", 1)[-1] == returns[name], (name, shown)
        else:
            assert shown.startswith("def") and shown.endswith(f"-> {CLASSES[name]}"), (name, shown)
