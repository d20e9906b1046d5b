"""Output streams whose encoding cannot hold the tables' characters get UTF-8, as -o files do (qa18)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "examples" / "startup-chatbot.yaml"


@pytest.mark.parametrize("encoding", ["ascii", "cp1252"])  # PYTHONIOENCODING=ascii; `> out.txt` on Windows
@pytest.mark.parametrize(
    ("args", "has"),
    [
        (["report", str(SCENARIO), "--today", "2026-12-06"], "·"),  # the headline's separators
        (["catalog", "gpus"], "─"),  # a table's rule
        (["report", "--help"], "─"),
    ],
    ids=["report", "catalog", "help"],
)
def test_a_stream_in_another_encoding_gets_utf8(encoding: str, args: list[str], has: str, tmp_path: Path) -> None:
    """qa18: a stdout encoded as ASCII or cp1252 crashed every table on its first '·' or '─' (UnicodeEncodeError,
    exit 70, a crash log)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": encoding, "COSTCALC_CACHE_DIR": str(tmp_path)}
    run = subprocess.run([sys.executable, "-m", "costcalc", *args], capture_output=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr.decode("utf-8", "replace")
    assert has in run.stdout.decode("utf-8")
