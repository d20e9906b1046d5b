"""The hostile corpus: every case runs the real CLI in a capped child process and must keep the contract.

The contract: the expected exit code; for a failure exactly one `error:` line on stderr; never a
traceback; no file changed (beyond what a successful case writes); within a time bound and a
memory bound (RLIMIT_AS on the child, and its peak resident memory measured); and no secret (an
API key, a line of a file outside the scenario folder) in stdout, stderr or any file written.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hostile.case import API_KEY, FILES, KEY_ENV, MARKER, Case
from tests.hostile.cases import CASES
from tests.support.contract import preload, run_cli

ERROR_EXITS = (2, 3, 70)
ALLOWED_EXITS = (0, 1, 2, 3, 70)
SECRET_WINDOW = 12  # no run of this many characters of a secret may appear (a cut or split key leaks too)


@pytest.fixture(scope="module")
def hostile_url() -> Iterator[str]:
    """The hostile server's base URL (one process for the whole module)."""
    from tests.support.hostile_server import serve_hostile

    with serve_hostile() as url:
        yield url


@pytest.fixture(scope="module", autouse=True)
def _preloaded() -> None:
    preload()


def _snapshot(*roots: Path) -> dict[str, tuple]:
    """Every path under the roots with what it is: a link's target, a file's size and digest."""
    out: dict[str, tuple] = {}
    for root in roots:
        if not root.exists():
            continue
        for path in [root, *root.rglob("*")]:
            if path.is_symlink():
                out[str(path)] = ("link", os.readlink(path))
            elif path.is_file():
                data = path.read_bytes()
                out[str(path)] = ("file", len(data), hashlib.sha256(data).hexdigest())
            elif path.is_dir():
                out[str(path)] = ("dir",)
            else:
                out[str(path)] = ("other",)
    return out


def _stdin(case: Case) -> tuple[bytes | int | None, subprocess.Popen | None]:
    if case.stdin == "zero":
        return os.open("/dev/zero", os.O_RDONLY), None
    if case.stdin == "yes":
        proc = subprocess.Popen(["yes"], stdout=subprocess.PIPE)
        assert proc.stdout is not None
        return proc.stdout.fileno(), proc
    if isinstance(case.stdin, str):
        return case.stdin.encode(), None
    return case.stdin, None


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_case(case: Case, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    folder = tmp_path / "case"
    outside = tmp_path / "outside"
    home = tmp_path / "home"
    for p in (folder, outside, home):
        p.mkdir()
    (outside / "secret.yaml").write_text(MARKER + "\n", encoding="utf-8")
    for name in case.copy:
        shutil.copy(FILES / name, folder / Path(name).name)
    for name, content in case.files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        (target.write_bytes if isinstance(content, bytes) else target.write_text)(content)
    if case.prepare is not None:
        case.prepare(folder)
    server = request.getfixturevalue("hostile_url") if case.server else ""
    argv = _expand(case.argv, folder, outside, server)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "COSTCALC_CACHE_DIR": str(home / "cache"),
        "TMPDIR": str(home / "tmp"),
        "COLUMNS": "120",
        "LANG": "C.UTF-8",
        KEY_ENV: API_KEY,
        **case.env,
    }
    (home / "tmp").mkdir()
    before = _snapshot(folder, outside)
    cache_before = _snapshot(home)
    stdin, feeder = _stdin(case)
    try:
        if case.alongside:
            run, other = _concurrently(argv, _expand(case.alongside, folder, outside, server), folder, env, case)
            assert other.code == case.exit and "Traceback" not in other.stderr, other
        else:
            run = run_cli(argv, cwd=folder, env=env, stdin=stdin, time_limit_s=case.wall_s, setup=case.setup)
    finally:
        if isinstance(stdin, int) and feeder is None:
            os.close(stdin)
        if feeder is not None:
            feeder.kill()
            feeder.wait()
    stderr_lines = [line for line in run.stderr.splitlines() if line.strip()]
    shown = f"exit {run.code}, {run.wall_s:.2f} s wall, {run.cpu_s:.2f} s CPU\nstderr:\n{run.stderr[-3000:]}\nstdout:\n{run.stdout[-1500:]!r}"

    # time and memory
    assert not run.timed_out, f"still running after {case.wall_s} s\n{shown}"
    assert run.cpu_s < case.cpu_s, f"used {run.cpu_s:.1f} s of CPU (bound {case.cpu_s} s)\n{shown}"
    assert run.rss_growth_mb < case.rss_mb, f"peak memory grew {run.rss_growth_mb:.0f} MB\n{shown}"
    # exit code and the one line
    assert "Traceback" not in run.stderr, shown
    assert run.code in ALLOWED_EXITS, shown
    assert run.code == case.exit, shown
    if case.exit in ERROR_EXITS:
        errors = [line for line in stderr_lines if line.startswith("error: ")]
        assert len(errors) == 1, shown
        assert len(errors[0]) <= 1100, f"error line of {len(errors[0])} characters"
        if case.error is not None:
            assert case.error in errors[0], shown
    for text in case.stdout_has:
        assert text in run.stdout.decode("utf-8", "replace"), shown
    # nothing written (or only what the case writes)
    after = _snapshot(folder, outside)
    changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
    allowed = {str(folder / w) for w in case.writes}
    assert changed <= allowed, f"changed {sorted(changed - allowed)}\n{shown}"
    cache_after = _snapshot(home)
    crash_logs = [Path(p) for p in cache_after if "costcalc-crash-" in p and p not in cache_before]
    assert bool(crash_logs) == (case.exit == 70), shown
    if not case.cache_may_change:
        cache_changed = {
            p for p in cache_before.keys() | cache_after.keys() if cache_before.get(p) != cache_after.get(p)
        }
        unexpected = {p for p in cache_changed if "costcalc-crash-" not in p and cache_after.get(p) != ("dir",)}
        assert unexpected == set(), shown
    # no secret anywhere the user or a CI log could see
    outputs = [run.stdout.decode("utf-8", "replace"), run.stderr]
    outputs += [Path(p).read_text("utf-8", "replace") for p in changed if Path(p).is_file()]
    outputs += [p.read_text("utf-8", "replace") for p in crash_logs]
    for secret in (API_KEY, MARKER, *case.secrets):
        windows = {secret[i : i + SECRET_WINDOW] for i in range(max(1, len(secret) - SECRET_WINDOW + 1))}
        for text in outputs:
            assert secret not in text, f"secret {secret[:12]}... shown\n{shown}"
            leaked = [w for w in windows if w in text]
            assert not leaked, f"part of secret {secret[:12]}... shown: {leaked[0]!r}\n{shown}"
    if case.check is not None:
        case.check(run, folder)
    if case.then:
        after = run_cli(_expand(case.then, folder, outside, server), cwd=folder, env=env, time_limit_s=case.wall_s)
        assert after.code == 0 and "Traceback" not in after.stderr, f"then: {after}"


def _expand(argv: tuple[str, ...], folder: Path, outside: Path, server: str) -> list[str]:
    return [a.format(dir=folder, outside=outside, server=server) for a in argv]


def _concurrently(first: list[str], second: list[str], folder: Path, env: dict, case: Case) -> tuple:
    """Both commands at once, each in its own forked process (the threads only wait for them)."""
    import threading

    runs: dict[int, object] = {}

    def go(i: int, argv: list[str]) -> None:
        runs[i] = run_cli(argv, cwd=folder, env=env, time_limit_s=case.wall_s)

    threads = [threading.Thread(target=go, args=(i, a)) for i, a in enumerate((first, second))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return runs[0], runs[1]
