"""One hostile case: the command, the files it meets, and what the contract expects of it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FILES = Path(__file__).resolve().parent / "files"
MARKER = "root:x:0:0:HOSTILE-MARKER-7f3a9c"  # the first line of a file outside the scenario folder
API_KEY = "sk-hostile-0123456789abcdefghijklmnopqrstuvwxyz"  # 46 characters, never to be shown
KEY_ENV = "HOSTILE_API_KEY"


@dataclass(frozen=True)
class Case:
    """A command run against hostile input, and the exit code the contract expects.

    argv may use {dir} (the case folder, also the working directory), {outside} (a folder beside it
    holding a file that must never be quoted) and {server} (the hostile server's base URL). `copy`
    names files under tests/hostile/files to put in the case folder; `files` writes text or bytes
    there; `prepare(folder)` builds what cannot be a committed file (big files, links, devices).
    Error cases (exit 2, 3, 70) must print exactly one `error:` line and change no file; cases with
    `writes` may change those paths (relative to the case folder) only. `check(run, folder)` adds
    case-specific assertions; `setup` runs in the child before the command (to plant a bug);
    `then` is a follow-up command that must succeed afterwards (the cache a bad update left is
    still usable); `alongside` runs concurrently with the command and must end as it does.
    """

    id: str
    argv: tuple[str, ...]
    exit: int = 2
    copy: tuple[str, ...] = ("base.yaml",)
    files: dict[str, str | bytes] = field(default_factory=dict)
    prepare: Callable[[Path], None] | None = None
    stdin: str | bytes | None = None  # bytes, or "zero" (/dev/zero), or "yes" (an endless `yes` pipe)
    error: str | None = None  # a substring the error line must contain
    stdout_has: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()
    cache_may_change: bool = False
    secrets: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    cpu_s: float = 5.0  # CPU seconds the command may use (the work bound: a spin or a blow-up exceeds it)
    wall_s: float = 30.0  # wall seconds before it counts as hung (generous: CI machines are shared)
    rss_mb: float = 300.0
    setup: Callable[[], None] | None = None
    check: Callable[[Any, Path], None] | None = None
    server: bool = False
    then: tuple[str, ...] = ()  # a second command run afterwards with the same environment; it must exit 0
    alongside: tuple[str, ...] = ()  # a command run at the same time as argv (in its own process)

    @property
    def category(self) -> str:
        """What the case attacks: the part of the id before the slash (surfaces.py says where it enters)."""
        return self.id.split("/", 1)[0]
