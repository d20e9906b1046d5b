"""The hostile corpus: every case issue 12 lists, and their neighbours, one Case each, grouped by surface."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tests.hostile.case import FILES, Case

BASE = (FILES / "base.yaml").read_text(encoding="utf-8")
TODAY = ("--today", "2026-09-01")
REPORT = ("report", "base.yaml", *TODAY)


def _is_char_device(path: str):
    def check(run, folder: Path) -> None:
        real = path.format(dir=folder)
        assert stat.S_ISCHR(os.stat(real).st_mode), f"{real} is no longer a device"

    return check


ROOT = os.geteuid() == 0


def _device(name: str, minor: int) -> tuple[str, object]:
    """(path, prepare) of a /dev/null-like target. As root the case makes its own device node, so that
    a regression replaces that node and not the machine's /dev/null; others cannot replace /dev files."""
    if not ROOT:
        return f"/dev/{name}", None

    def prepare(folder: Path) -> None:
        os.mknod(folder / name, 0o666 | stat.S_IFCHR, os.makedev(1, minor))

    return f"{{dir}}/{name}", prepare


DEV_NULL, MAKE_NULL = _device("null", 3)
DEV_FULL, MAKE_FULL = _device("full", 7)


def _unchanged_scenario(run, folder: Path) -> None:
    assert (folder / "base.yaml").read_text(encoding="utf-8") == BASE


def _readonly_target() -> str:
    """A folder this process cannot write: a 0555 folder for a normal user; /sys's top (read-only) for root."""
    return "/sys/costcalc-report.json" if os.geteuid() == 0 else "{dir}/ro/report.json"


def _make_readonly(folder: Path) -> None:
    (folder / "ro").mkdir()
    (folder / "ro").chmod(0o555)


def _link_to_scenario(folder: Path) -> None:
    (folder / "link.txt").symlink_to(folder / "base.yaml")


def _planted_bug() -> None:
    """Make the table renderer raise an exception no code expects, carrying a secret in its message.

    rich's Table is patched (not a costcalc module) so the plant survives costcalc's own moves.
    """
    import rich.table

    def broken(*args, **kwargs):
        raise RuntimeError("unexpected state; key was " + os.environ["HOSTILE_API_KEY"])

    rich.table.Table.add_row = broken


OUTPUT = [
    Case(
        "output/o-is-the-scenario",
        (*REPORT, "-o", "base.yaml"),
        error="is an input of this run",
        check=_unchanged_scenario,
    ),
    Case(
        "output/o-is-the-workload-file",
        ("report", "with_refs.yaml", *TODAY, "-o", "usage.yaml"),
        copy=("with_refs.yaml", "usage.yaml", "rented.yaml"),
        error="is an input of this run",
    ),
    Case(
        "output/o-is-the-hardware-file",
        ("report", "with_refs.yaml", *TODAY, "-o", "rented.yaml"),
        copy=("with_refs.yaml", "usage.yaml", "rented.yaml"),
        error="is an input of this run",
    ),
    Case(
        "output/o-links-to-the-scenario",
        (*REPORT, "-o", "link.txt"),
        prepare=_link_to_scenario,
        error="is an input of this run",
        check=_unchanged_scenario,
    ),
    Case(
        "output/o-is-the-scenario-by-another-path",
        (*REPORT, "-o", "{dir}/./base.yaml"),
        error="is an input of this run",
    ),
    Case("output/o-dev-null", (*REPORT, "-o", DEV_NULL), exit=0, prepare=MAKE_NULL, check=_is_char_device(DEV_NULL)),
    Case(
        "output/o-dev-full",
        (*REPORT, "-o", DEV_FULL),
        exit=3,
        prepare=MAKE_FULL,
        error="No space left",
        check=_is_char_device(DEV_FULL),
    ),
    Case("output/o-readonly-folder", (*REPORT, "-o", _readonly_target()), prepare=_make_readonly),
    Case("output/o-a-folder", (*REPORT, "-o", "sub"), files={"sub/keep.txt": "x"}, error="is a folder"),
    Case("output/o-empty-name", (*REPORT, "-o", ""), error="empty file name"),
    Case("output/o-missing-folder", (*REPORT, "-o", "nope/report.txt"), error="does not exist"),
    Case("output/o-new-file-ok", (*REPORT, "-o", "report.txt"), exit=0, writes=("report.txt",)),
    Case(
        "output/diff-o-is-an-input",
        ("diff", "base.yaml", "other.yaml", *TODAY, "-o", "other.yaml"),
        files={"other.yaml": BASE},
        error="is an input of this run",
    ),
    Case(
        "output/lock-o-is-the-scenario",
        ("pricing", "lock", "base.yaml", "-o", "base.yaml"),
        error="is an input of this run",
    ),
    Case(
        "output/sweep-o-is-the-scenario",
        ("sweep", "base.yaml", "--vary", "workload.requests_per_day=1000:2000:3", "-o", "base.yaml"),
        error="is an input of this run",
    ),
]


def _crash_log_has_traceback(run, folder: Path) -> None:
    log = Path(run.stderr.rsplit("the traceback is in ", 1)[1].strip())
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "RuntimeError: unexpected state; key was ***" in text


CRASH = [
    Case(
        "crash/unexpected-exception",
        REPORT,
        exit=70,
        setup=_planted_bug,
        error="internal error (RuntimeError)",
        check=_crash_log_has_traceback,
    ),
]

READ = [
    Case("read/scenario-dev-zero", ("report", "/dev/zero", *TODAY), error="more than 5 MB"),
    Case("read/stdin-dev-zero", ("report", "-", *TODAY), stdin="zero", error="more than 5 MB"),
    Case("read/stdin-yes-pipe", ("report", "-", *TODAY), stdin="yes", error="more than 5 MB"),
    Case(
        "read/scenario-6mb",
        ("report", "big.yaml", *TODAY),
        prepare=lambda d: (d / "big.yaml").write_text("# " + "x" * 6_000_000),
        error="more than 5 MB",
    ),
    Case("read/scenario-a-folder", ("report", "sub", *TODAY), files={"sub/a.yaml": BASE}, error="is a folder"),
    Case(
        "read/scenario-symlink-loop",
        ("report", "loop.yaml", *TODAY),
        prepare=lambda d: os.symlink("loop.yaml", d / "loop.yaml"),
        error="symbolic link loop",
    ),
    Case("read/workload-flag-dev-zero", (*REPORT, "--workload", "/dev/zero"), error="more than 5 MB"),
]

CASES: list[Case] = [*OUTPUT, *CRASH, *READ]
