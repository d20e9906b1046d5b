"""The wheel carries the shipped tables: install it into a fresh venv and run `costcalc report` elsewhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("costcalc-*.whl")
    return found


def test_wheel_contains_pricing_tables_and_catalogs(wheel: Path) -> None:
    import zipfile

    names = set(zipfile.ZipFile(wheel).namelist())
    for table in ("api", "seats", "rental", "hardware", "datacenter"):
        assert f"costcalc/_pricing/{table}.csv" in names
    assert "costcalc/catalog/gpus.csv" in names
    assert "costcalc/catalog/models.csv" in names
    assert "costcalc/templates/starter.yaml" in names
    assert "costcalc/py.typed" in names  # type checkers read the package's own annotations (PEP 561)


def test_installed_wheel_reports_from_an_unrelated_folder(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    target = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    # install the wheel without dependencies (no network); the dependencies come from this test's
    # environment through PYTHONPATH, which holds no costcalc (an editable install is a .pth file,
    # and .pth files on PYTHONPATH are not processed)
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    scenario = elsewhere / "s.yaml"
    scenario.write_text(
        "version: 1\n"
        "workload: {requests_per_day: 10000, input_tokens: 1000, output_tokens: 200}\n"
        "options:\n"
        "  - {name: Mini, kind: api, model: openai/gpt-6-luna}\n"
        "  - name: Rented\n"
        "    kind: self_hosted\n"
        "    model: gpt-oss-20b\n"
        "    hardware: {gpu: h100-sxm-80gb, acquisition: rent, hourly_usd: 2.0}\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": sysconfig.get_paths()["purelib"], "COSTCALC_CACHE_DIR": str(tmp_path / "cache")}
    where = subprocess.run(
        [str(python), "-c", "import costcalc.pricing.tables as t; print(t.shipped_dir())"],
        cwd=elsewhere,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert where.startswith(str(target)), where
    run = subprocess.run(
        [str(python), "-m", "costcalc", "report", str(scenario), "--format", "json"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    names = [o["name"] for o in report["options"]]
    assert names == ["Mini", "Rented"]
    mini = report["options"][0]
    assert mini["prices"][0]["id"].split("@")[0] == "openai/gpt-6-luna"  # a dated row of the series
    assert mini["prices"][0]["origin"] == "shipped"
    assert mini["monthly_cost"] > 0
    # the CI step ships inside the wheel: `costcalc ci` in a folder that holds nothing of this repository
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=elsewhere, check=True, capture_output=True)
    subprocess.run(  # a base commit without s.yaml: `ci` refuses a BASE_REF that names no commit
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "base"],
        cwd=elsewhere,
        check=True,
        capture_output=True,
    )
    ci = subprocess.run(
        [str(python), "-m", "costcalc", "ci", "HEAD", "out", "s.yaml"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert ci.returncode == 0, ci.stderr  # s.yaml is new (no base commit): reported, no guardrail
    comment = (elsewhere / "out" / "comment.md").read_text(encoding="utf-8")
    assert comment.startswith("<!-- costcalc-report -->\n### LLM cost report: ")
    assert (elsewhere / "out" / "s.html").is_file()
