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

READ += [
    Case(
        "read/workload-ref-dev-zero",
        ("report", "s.yaml", *TODAY, "--allow-outside"),
        files={"s.yaml": BASE.replace("workload:\n", "workload: /dev/zero\nunused:\n")},
        copy=(),
        error="more than 5 MB",
    ),
    Case("read/pricing-dev-zero", (*REPORT, "--pricing", "/dev/zero"), error="more than 20 MB"),
    Case("read/pricing-lock-dev-zero", (*REPORT, "--pricing-lock", "/dev/zero"), error="more than 20 MB"),
    Case(
        "read/pricing-validate-dev-zero",
        ("pricing", "validate", "/dev/zero", "--table", "api"),
        error="more than 20 MB",
    ),
    Case("read/ingest-dev-zero", ("ingest", "/dev/zero"), error="more than 64 MB", cpu_s=15),
    Case("read/diff-dev-zero", ("diff", "/dev/zero", "base.yaml", *TODAY), error="more than 5 MB"),
    Case(
        "read/diff-json-dev-zero",
        ("diff", "zero.json", "base.yaml", *TODAY),
        prepare=lambda d: os.symlink("/dev/zero", d / "zero.json"),
        error="more than 20 MB",
    ),
    Case("read/estimate-cases-dev-zero", ("estimate", "--cases", "/dev/zero", "-f", "csv"), error="more than 20 MB"),
    Case("read/set-file-missing", (*REPORT, "--set", "workload=nope.yaml"), error="file not found"),
]


def _write(name: str, text: str):
    def prepare(folder: Path) -> None:
        (folder / name).write_text(text, encoding="utf-8")

    return prepare


def _many_options(folder: Path) -> None:
    option = "  - name: Option {i}\n    kind: api\n    prices: {{input_usd_per_mtok: 1.0, output_usd_per_mtok: 4.0}}\n"
    head = BASE.split("options:")[0] + "options:\n"
    text = head + "".join(option.format(i=i) for i in range(25_000))  # about 2.3 MB
    (folder / "many.yaml").write_text(text, encoding="utf-8")


def _not_in_error(run, *texts: str) -> None:
    for text in texts:
        assert text not in run.stderr, f"{text!r} in the error: refused for the wrong reason"


def _deep_block(folder: Path) -> None:
    lines = ["workload:"] + [" " * (i + 2) + f"k{i}:" for i in range(500)]
    (folder / "deep.yaml").write_text("\n".join(lines) + " 1\n", encoding="utf-8")


DEEP_JSON = "[" * 100_000 + "]" * 100_000

PARSE = [
    Case(
        "parse/recursive-alias",
        ("report", "recursive_alias.yaml", *TODAY),
        copy=("parse/recursive_alias.yaml",),
        error="recursive structure",
    ),
    Case(
        "parse/recursive-alias-short",
        ("report", "recursive_alias_short.yaml", *TODAY),
        copy=("parse/recursive_alias_short.yaml",),
        error="recursive structure",
    ),
    Case(
        "parse/nesting-500-flow",
        ("report", "deep_flow.yaml", *TODAY),
        copy=("parse/deep_flow.yaml",),
        error="nested more than 64 levels",
    ),
    Case(
        "parse/nesting-500-block",
        ("report", "deep.yaml", *TODAY),
        prepare=_deep_block,
        error="nested more than 64 levels",
    ),
    Case("parse/nul-byte", ("report", "nul_byte.yaml", *TODAY), copy=("parse/nul_byte.yaml",), error="U+0000"),
    Case("parse/esc-byte", ("report", "esc_byte.yaml", *TODAY), copy=("parse/esc_byte.yaml",), error="U+001B"),
    Case("parse/nul-on-stdin", ("report", "-", *TODAY), copy=(), stdin=b"version: 1\x00\n", error="U+0000"),
    Case(
        "parse/int-5000-digits",
        ("report", "bigint_5000_digits.yaml", *TODAY),
        copy=("parse/bigint_5000_digits.yaml",),
        error="5,000 digits",
    ),
    Case(
        "parse/int-399-digits",
        ("report", "bigint_400_digits.yaml", *TODAY),
        copy=("parse/bigint_400_digits.yaml",),
        error="requests_per_day",
    ),
    Case(
        "parse/int-5000-digits-in-set",
        (*REPORT, "--set", "workload.requests_per_day=" + "9" * 5000),
        error="5,000 digits",
    ),
    Case(
        "parse/nesting-in-set",
        (*REPORT, "--set", "workload.users=" + "[" * 500 + "]" * 500),
        error="nested more than 64",
    ),
    Case(
        "parse/symlink-loop-reference",
        ("report", "s.yaml", *TODAY),
        copy=(),
        files={"s.yaml": BASE.replace("workload:\n", "workload: loop.yaml\nunused:\n")},
        prepare=lambda d: os.symlink("loop.yaml", d / "loop.yaml"),
        error="symbolic link loop",
    ),
    *(
        Case(
            "output/o-symlink-loop" if name == "o" else f"parse/symlink-loop-{name}",
            argv,
            prepare=lambda d: os.symlink("loop", d / "loop"),
            error="symbolic link",  # "a symbolic link loop" (reads), the OS's "Too many levels of ..." (-o)
        )
        for name, argv in (
            ("pricing", (*REPORT, "--pricing", "loop")),
            ("pricing-lock", (*REPORT, "--pricing-lock", "loop")),
            ("pricing-validate", ("pricing", "validate", "loop")),
            ("ingest", ("ingest", "loop")),
            ("diff", ("diff", "loop", "base.yaml", *TODAY)),
            ("workload-flag", (*REPORT, "--workload", "loop")),
            ("o", (*REPORT, "-o", "loop")),
        )
    ),
    Case(
        "parse/25000-options-2mb",
        ("report", "many.yaml", *TODAY),
        prepare=_many_options,
        error="more than 50,000 values",
        check=lambda run, folder: _not_in_error(run, "alias", "anchor"),
        cpu_s=10,
    ),
    Case(
        "parse/string-4.9mb",
        ("report", "big.yaml", *TODAY),
        prepare=_write("big.yaml", BASE.replace("name: Hostile base", 'name: "' + "A" * 4_900_000 + '"')),
        error="name",
        cpu_s=10,
    ),
    Case(
        "parse/string-4.9mb-in-number",
        ("report", "big.yaml", *TODAY),
        prepare=_write(
            "big.yaml", BASE.replace("requests_per_day: 100000", 'requests_per_day: "' + "A" * 4_900_000 + '"')
        ),
        error="requests_per_day",
        cpu_s=10,
    ),
    Case(
        "parse/ingest-deep-json",
        ("ingest", "deep.json"),
        prepare=_write("deep.json", DEEP_JSON),
        error="nested too deeply",
    ),
    Case("parse/ingest-deep-yaml", ("ingest", "deep.yaml"), copy=("ingest/deep.yaml",), error="nested more than 64"),
    Case(
        "parse/ingest-recursive-alias",
        ("ingest", "recursive_alias.yaml"),
        copy=("ingest/recursive_alias.yaml",),
        error="recursive structure",
    ),
    Case("parse/ingest-int-5000-digits", ("ingest", "bigint.json"), copy=("ingest/bigint.json",), error="5,000 digits"),
    Case(
        "parse/diff-deep-json",
        ("diff", "deep.json", "base.yaml", *TODAY),
        prepare=_write("deep.json", DEEP_JSON),
        error="nested too deeply",
    ),
    Case(
        "parse/pricing-cell-200kb",
        (*REPORT, "--pricing", "p.csv"),
        prepare=_write(
            "p.csv",
            "id,provider,model,input_usd_per_mtok,output_usd_per_mtok,source,as_of\nx,y,z,1,2,"
            + "s" * 200_000
            + ",2026-08-01\n",
        ),
        error="larger than 128 KB",
    ),
    Case(
        "parse/pricing-validate-cell-200kb",
        ("pricing", "validate", "p.csv"),
        prepare=_write(
            "p.csv",
            "id,provider,model,input_usd_per_mtok,output_usd_per_mtok,source,as_of\nx,y,z,1,2,"
            + "s" * 200_000
            + ",2026-08-01\n",
        ),
        error="larger than 128 KB",
    ),
    Case(
        "parse/estimate-cases-cell-200kb",
        ("estimate", "--cases", "c.csv", "-f", "csv"),
        prepare=_write("c.csv", "gpu,model\n" + "g" * 200_000 + ",m\n"),
        error="larger than 128 KB",
    ),
    Case(
        "parse/pricing-validate-deep-yaml",
        ("pricing", "validate", "deep.yaml"),
        copy=("pricing/deep.yaml",),
        error="nested more than 64",
    ),
    Case(
        "parse/lock-deep-json",
        (*REPORT, "--pricing-lock", "lock.json"),
        prepare=_write("lock.json", '{"version": 1, "rows": ' + DEEP_JSON + "}"),
        error="nested too deeply",
    ),
    Case(
        "parse/lock-int-5000-digits",
        (*REPORT, "--pricing-lock", "lock_bigint.json"),
        copy=("base.yaml", "pricing/lock_bigint.json"),
        error="5,000 digits",
    ),
]


def _with(old: str, new: str) -> dict[str, str]:
    """The base scenario with one text replaced, as s.yaml."""
    assert old in BASE, old
    return {"s.yaml": BASE.replace(old, new)}


SCEN = ("report", "s.yaml", *TODAY)
RPD = "requests_per_day: 100000"
API_CSV_HEAD = "id,provider,model,input_usd_per_mtok,output_usd_per_mtok,source,as_of\n"


def _lock(value: str) -> str:
    return (
        '{"version": 1, "rows": [{"table": "api", "origin": "lock", "id": "openai/gpt-5-mini", "provider": "openai",'
        ' "model": "gpt-5-mini", "input_usd_per_mtok": ' + value + ', "output_usd_per_mtok": 2.0,'
        ' "source": "https://example.test", "as_of": "2026-08-01"}]}'
    )


NUMBERS = [
    Case(
        "numbers/requests-per-day-inf", SCEN, copy=(), files=_with(RPD, "requests_per_day: .inf"), error="finite number"
    ),
    Case(
        "numbers/requests-per-day-nan", SCEN, copy=(), files=_with(RPD, "requests_per_day: .nan"), error="finite number"
    ),
    Case(
        "numbers/requests-per-day-1e308",
        SCEN,
        copy=(),
        files=_with(RPD, "requests_per_day: 1.0e+308"),
        error="beyond any real figure",
    ),
    Case(
        "numbers/requests-per-day-true",
        SCEN,
        copy=(),
        files=_with(RPD, "requests_per_day: true"),
        error="expected a number, got true",
    ),
    Case(
        "numbers/requests-per-day-yes",
        SCEN,
        copy=(),
        files=_with(RPD, "requests_per_day: yes"),
        error="expected a number, got true",
    ),
    Case(
        "numbers/peak-to-average-inf",
        SCEN,
        copy=(),
        files=_with("peak_to_average: 2.0", "peak_to_average: .inf"),
        error="finite number",
    ),
    Case(
        "numbers/peak-to-average-1e308",
        SCEN,
        copy=(),
        files=_with("peak_to_average: 2.0", "peak_to_average: 1.0e+308"),
        error="beyond any real figure",
    ),
    Case(
        "numbers/set-requests-per-day-1e308",
        (*REPORT, "--set", "workload.requests_per_day=1e308"),
        error="beyond any real figure",
    ),
    Case(
        "numbers/set-requests-per-day-inf", (*REPORT, "--set", "workload.requests_per_day=.inf"), error="finite number"
    ),
    Case("numbers/set-peak-1e400", (*REPORT, "--set", "workload.peak_to_average=1e400"), error="finite number"),
    Case("numbers/set-true", (*REPORT, "--set", "workload.users=true"), error="expected a number, got true"),
    Case(
        "numbers/min-replicas-1e20",
        SCEN,
        copy=(),
        files=_with("acquisition: rent,", "acquisition: rent, min_replicas: 1.0e+20,"),
        error="min_replicas",
    ),
    Case(
        "numbers/min-replicas-1e12",
        SCEN,
        copy=(),
        files=_with("acquisition: rent,", "acquisition: rent, min_replicas: 1000000000000,"),
        error="replicas is beyond",
    ),
    Case(
        "numbers/hourly-usd-inf",
        SCEN,
        copy=(),
        files=_with("hourly_usd: 2.0", "hourly_usd: .inf"),
        error="finite number",
    ),
    Case(
        "numbers/hourly-usd-1e12",
        SCEN,
        copy=(),
        files=_with("hourly_usd: 2.0", "hourly_usd: 1.0e+12"),
        error="beyond any real figure",
    ),
    Case(
        "numbers/price-per-mtok-inf",
        SCEN,
        copy=(),
        files=_with("input_usd_per_mtok: 1.0", "input_usd_per_mtok: .inf"),
        error="finite number",
    ),
    Case(
        "numbers/hourly-profile-true",
        SCEN,
        copy=(),
        files=_with(
            "users: 200",
            "users: 200\n  hourly_profile: [true, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]",
        ),
        error="hourly_profile[0]",
    ),
    Case(
        "numbers/currency-rate-inf",
        SCEN,
        copy=(),
        files=_with(
            "horizon_months: 12",
            "horizon_months: 12\ncurrency: {code: EUR, per_usd: .inf, as_of: 2026-08-01, source: https://example.test}",
        ),
        error="finite number",
    ),
    Case(
        "numbers/currency-rate-1e300",
        SCEN,
        copy=(),
        files=_with(
            "horizon_months: 12",
            "horizon_months: 12\ncurrency: {code: EUR, per_usd: 1.0e+300, as_of: 2026-08-01, source: https://example.test}",
        ),
        error="exchange rate",
    ),
    Case(
        "numbers/throughput-point-inf",
        SCEN,
        copy=(),
        files=_with("requests_per_s: 5.0", "requests_per_s: .inf"),
        error="finite number",
    ),
    Case(
        "numbers/pricing-file-inf",
        (*REPORT, "--pricing", "p.csv"),
        files={"p.csv": API_CSV_HEAD + "openai/gpt-5-mini,openai,gpt-5-mini,inf,2,https://example.test,2026-08-01\n"},
        error="finite number",
    ),
    Case(
        "numbers/pricing-validate-inf",
        ("pricing", "validate", "p.csv"),
        files={"p.csv": API_CSV_HEAD + "acme/a,acme,a,inf,2,https://example.test,2026-08-01\n"},
        error="finite number",
    ),
    Case(
        "numbers/pricing-validate-nan",
        ("pricing", "validate", "p.csv"),
        files={"p.csv": API_CSV_HEAD + "acme/a,acme,a,nan,2,https://example.test,2026-08-01\n"},
        error="finite number",
    ),
    Case(
        "numbers/pricing-validate-1e12",
        ("pricing", "validate", "p.csv"),
        files={"p.csv": API_CSV_HEAD + "acme/a,acme,a,1e12,2,https://example.test,2026-08-01\n"},
        error="beyond any real price",
    ),
    Case(
        "numbers/pricing-inf-with-fail-if",
        (*REPORT, "--pricing", "p.csv", "--fail-if", "monthly_cost > 500"),
        files={"p.csv": API_CSV_HEAD + "acme/a,acme,a,inf,2,https://example.test,2026-08-01\n"},
        error="finite number",
    ),
    Case(
        "numbers/lock-row-infinity",
        (*REPORT, "--pricing-lock", "lock.json"),
        files={"lock.json": _lock("Infinity")},
        error="Infinity is not a number JSON allows",
    ),
    Case(
        "numbers/lock-row-1e12",
        (*REPORT, "--pricing-lock", "lock.json"),
        files={"lock.json": _lock("1e12")},
        error="beyond any real price",
    ),
    Case(
        "numbers/lock-row-true",
        (*REPORT, "--pricing-lock", "lock.json"),
        files={"lock.json": _lock("true")},
        error="input_usd_per_mtok",
    ),
    Case(
        "numbers/measured-nan",
        SCEN,
        copy=(),
        files={
            **_with(
                "points:\n        - {input_tokens: 1000, output_tokens: 250, requests_per_s: 5.0, concurrency: 32}",
                "measured: m.json",
            ),
            "m.json": '{"schema": "costcalc.measure/1", "levels": [{"concurrency": 4, "requests_completed": 4, "requests_failed": 0, "requests_per_s": NaN, "output_tokens_per_s": 100}]}',
        },
        error="is not a finite number",
    ),
    Case(
        "numbers/ingest-infinity",
        ("ingest", "m.json"),
        files={
            "m.json": '{"schema": "costcalc.measure/1", "levels": [{"concurrency": 4, "requests_completed": 4, "requests_failed": 0, "requests_per_s": Infinity, "output_tokens_per_s": 100}]}'
        },
        error="is not a finite number",
    ),
    Case(
        "numbers/ingest-absurd-throughput",
        ("ingest", "m.json"),
        files={
            "m.json": '{"schema": "costcalc.measure/1", "levels": [{"concurrency": 4, "requests_completed": 4, "requests_failed": 0, "requests_per_s": 2, "output_tokens_per_s": 1e15, "input_tokens_mean": 100, "output_tokens_mean": 1e15}]}'
        },
        error="not a plausible measurement",
    ),
    Case(
        "numbers/ingest-negative-latency",
        ("ingest", "m.json"),
        files={
            "m.json": '{"schema": "costcalc.measure/1", "levels": [{"concurrency": 4, "requests_completed": 4, "requests_failed": 0, "requests_per_s": 2, "output_tokens_per_s": 200, "input_tokens_mean": 100, "output_tokens_mean": 100, "ttft_ms": {"p50": -5}}]}'
        },
        error="not a plausible measurement",
    ),
    Case(
        "numbers/options-1001",
        ("report", "many.yaml", *TODAY),
        prepare=lambda d: (d / "many.yaml").write_text(
            BASE.split("options:")[0]
            + "options:\n"
            + "".join(
                f"  - {{name: O{i}, kind: api, prices: {{input_usd_per_mtok: 1, output_usd_per_mtok: 4}}}}\n"
                for i in range(1001)
            )
        ),
        error="at most 1000",
    ),
]


def _nothing_of(path: str):
    """No line of a real file outside the scenario folder (8 characters or more of it) reaches an output."""

    def check(run, folder: Path) -> None:
        shown = run.stdout.decode("utf-8", "replace") + run.stderr
        for line in Path(path).read_text(encoding="utf-8", errors="replace").splitlines():
            for part in {line.strip(), line.strip()[:8]}:
                assert len(part) < 8 or part not in shown, f"{part!r} of {path} shown"

    return check


OUTSIDE_WORKLOAD = _with("workload:\n", "workload: ../outside/secret.yaml\nunused:\n")

REFERENCES = [
    Case(
        "references/workload-etc-passwd",
        SCEN,
        copy=(),
        files=_with("workload:\n", "workload: ../../../../../../../../etc/passwd\nunused:\n"),
        error="outside the scenario's folder",
    ),
    Case(
        "references/workload-etc-passwd-allowed-not-quoted",
        (*SCEN, "--allow-outside"),
        copy=(),
        files=_with("workload:\n", "workload: ../../../../../../../../etc/passwd\nunused:\n"),
        error="expected a mapping",
        check=_nothing_of("/etc/passwd"),
    ),
    Case(
        "references/set-workload-etc-passwd-allowed-not-quoted",
        (*REPORT, "--allow-outside", "--set", "workload=../../../../../../../../etc/passwd"),
        error="expected a mapping",
        check=_nothing_of("/etc/passwd"),
    ),
    Case(
        "references/workload-outside-file", SCEN, copy=(), files=OUTSIDE_WORKLOAD, error="outside the scenario's folder"
    ),
    Case(
        "references/workload-absolute-outside",
        SCEN,
        copy=(),
        files=_with("workload:\n", "workload: /etc/hostname\nunused:\n"),
        error="outside the scenario's folder",
    ),
    Case(
        "references/set-workload-outside",
        (*REPORT, "--set", "workload=../outside/secret.yaml"),
        error="outside the scenario's folder",
    ),
    Case(
        "references/hardware-outside",
        SCEN,
        copy=(),
        files=_with(
            "hardware: {gpu: h100-sxm-80gb, acquisition: rent, hourly_usd: 2.0}", "hardware: ../outside/secret.yaml"
        ),
        error="outside the scenario's folder",
    ),
    Case(
        "references/measured-outside",
        SCEN,
        copy=(),
        files=_with(
            "points:\n        - {input_tokens: 1000, output_tokens: 250, requests_per_s: 5.0, concurrency: 32}",
            "measured: ../outside/secret.yaml",
        ),
        error="outside the scenario's folder",
    ),
    Case(
        "references/symlink-pointing-outside",
        SCEN,
        copy=(),
        files=_with("workload:\n", "workload: link.yaml\nunused:\n"),
        prepare=lambda d: os.symlink(d.parent / "outside" / "secret.yaml", d / "link.yaml"),
        error="outside the scenario's folder",
    ),
    Case(
        "references/allowed-outside-not-quoted",
        (*SCEN, "--allow-outside"),
        copy=(),
        files=OUTSIDE_WORKLOAD,
        error="expected a mapping",
    ),
    Case(
        "references/allowed-outside-set-not-quoted",
        (*REPORT, "--allow-outside", "--set", "workload=../outside/secret.yaml"),
        error="expected a mapping",
    ),
    Case(
        "references/workload-flag-file-not-quoted",
        (*REPORT, "--workload", "{outside}/secret.yaml"),
        error="expected a mapping",
    ),
    Case(
        "references/stdin-scenario-reference-outside",
        ("report", "-", *TODAY),
        copy=(),
        stdin=BASE.replace("workload:\n", "workload: ../outside/secret.yaml\nunused:\n"),
        error="outside the scenario's folder",
    ),
    Case(
        "references/sweep-reference-outside",
        ("sweep", "s.yaml", "--vary", "workload.users=1:2:2"),
        copy=(),
        files=_with(
            "hardware: {gpu: h100-sxm-80gb, acquisition: rent, hourly_usd: 2.0}", "hardware: ../outside/secret.yaml"
        ),
        error="outside the scenario's folder",
    ),
]

LONG_GUARD = "monthly_cost[" + " " * 4000 + "] > 5"
GUARD_5000 = "monthly_cost" + " " * 4987 + "x"  # 5,000 characters: whitespace runs are what regexes backtrack on
GUARDRAILS = [
    Case("guardrails/fail-if-4kb", (*REPORT, "--fail-if", LONG_GUARD), error="longer than 500 characters", cpu_s=3),
    Case(
        "guardrails/fail-if-5000-chars",
        (*REPORT, "--fail-if", GUARD_5000),
        error="longer than 500 characters",
        cpu_s=3,
    ),
    Case(
        "guardrails/fail-if-499-chars-backtracking-shape",
        (*REPORT, "--fail-if", "monthly_cost[" + " " * 480 + "x"),
        error="no closing ]",
        cpu_s=3,
    ),
    Case(
        "guardrails/fail-if-long-number",
        (*REPORT, "--fail-if", "monthly_cost > " + "1" * 450 + "x"),
        error="is not a number",
        cpu_s=3,
    ),
    Case(
        "guardrails/scenario-guardrail-4kb",
        SCEN,
        copy=(),
        files=_with("horizon_months: 12", "horizon_months: 12\nguardrails: ['" + LONG_GUARD + "']"),
        error="longer than 500 characters",
        cpu_s=3,
    ),
    Case(
        "guardrails/scenario-guardrail-5000-chars",
        SCEN,
        copy=(),
        files=_with("horizon_months: 12", "horizon_months: 12\nguardrails: ['" + GUARD_5000 + "']"),
        error="guardrails[0]: String should have at most 4096 characters",  # any scenario text's cap comes first
        cpu_s=3,
    ),
    Case(
        "guardrails/scenario-guardrail-5000-chars-simulate",
        ("simulate", "s.yaml", "-n", "100"),
        copy=(),
        files=_with("horizon_months: 12", "horizon_months: 12\nguardrails: ['" + GUARD_5000 + "']"),
        error="guardrails[0]: String should have at most 4096 characters",  # any scenario text's cap comes first
        cpu_s=3,
    ),
    Case(
        "guardrails/scenario-guardrail-5000-chars-lock",
        ("pricing", "lock", "s.yaml", "-o", "lock.json"),
        copy=(),
        files=_with("horizon_months: 12", "horizon_months: 12\nguardrails: ['" + GUARD_5000 + "']"),
        error="guardrails[0]: String should have at most 4096 characters",  # any scenario text's cap comes first
        cpu_s=3,
    ),
    Case(
        "guardrails/scenario-guardrail-4kb-sweep",
        ("sweep", "s.yaml", "--vary", "workload.users=1:2:2"),
        copy=(),
        files=_with("horizon_months: 12", "horizon_months: 12\nguardrails: ['" + LONG_GUARD + "']"),
        error="longer than 500 characters",
        cpu_s=3,
    ),
    Case(
        "guardrails/diff-fail-if-4kb",
        ("diff", "base.yaml", "base.yaml", *TODAY, "--fail-if", "diff." + LONG_GUARD),
        error="longer than 500 characters",
        cpu_s=3,
    ),
    Case("guardrails/value-inf", (*REPORT, "--fail-if", "monthly_cost > inf"), error="is not a number"),
    Case("guardrails/value-nan", (*REPORT, "--fail-if", "monthly_cost > nan"), error="is not a number"),
]


def _names(api: str, seats: str = "Seats") -> dict[str, str]:
    """s.yaml with the API option and the seats option renamed (YAML double-quoted text: \\e is ESC)."""
    return {"s.yaml": BASE.replace("name: Explicit API", f'name: "{api}"').replace("name: Seats", f'name: "{seats}"')}


def _stdout_lacks(*texts: str):
    def check(run, folder: Path) -> None:
        out = run.stdout.decode("utf-8", "replace")
        for text in texts:
            assert text not in out, f"{text!r} in stdout"

    return check


def _markdown_inert(run, folder: Path) -> None:
    """Outside code spans (shown literally) no image, link, HTML tag or mention made of a name survives."""
    import re

    out = re.sub(r"`[^`\n]*`", "", run.stdout.decode("utf-8", "replace"))
    for text in ("![img](", "[img](", " </details>", "@everyone"):
        assert text not in out, f"{text!r} in the Markdown outside code spans"
    assert "@everyone" not in run.stdout.decode("utf-8", "replace")


def _git_checkout(folder: Path) -> None:
    """A git checkout with one empty commit: `ci` reads its scenarios' base versions from HEAD."""
    import subprocess

    for args in (("init", "-q", "-b", "main"), ("commit", "-q", "--allow-empty", "-m", "base")):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=folder, check=True)


def _comment_inert(run, folder: Path) -> None:
    """The pull-request comment `costcalc ci` writes holds the name, but as inert text."""
    import re

    text = (folder / "out" / "comment.md").read_text(encoding="utf-8")
    assert "img" in text, "the option's name is not in the comment"
    rest = re.sub(r"`[^`\n]*`", "", text)
    for bad in ("![img](", "[img](", " </details>", "@everyone"):
        assert bad not in rest, f"{bad!r} in the pull-request comment outside code spans"


def _written(name: str, *, has: tuple[str, ...] = (), lacks: tuple[str, ...] = (), xml: bool = False):
    def check(run, folder: Path) -> None:
        text = (folder / name).read_text(encoding="utf-8")
        for t in has:
            assert t in text, f"{t!r} not in {name}"
        for t in lacks:
            assert t not in text, f"{t!r} in {name}"
        if xml:
            import xml.etree.ElementTree as ET

            ET.fromstring(text)  # well-formed

    return check


HIDDEN = ("\x1b", "\x07", "\u202e", "\u200b")  # escape sequences and hidden characters never reach an output
ESC_NAME = "Evil \\e]0;pwned\\a \\e[2J \\e]8;;http://x.test\\e\\\\click\\e]8;;\\e\\\\"
MD_NAME = "![img](http://x.test/p.png) </details> @everyone"
CSV_NAME = '=HYPERLINK(\\"http://x.test\\",\\"click\\")'

ESCAPING = [
    Case(
        "escape/table-markup-names",
        SCEN,
        exit=0,
        copy=(),
        files=_names("Costs [/]", "Claude [eu]"),
        stdout_has=("Costs [/]", "Claude [eu]"),
    ),
    Case(
        "escape/table-escape-sequences",
        SCEN,
        exit=0,
        copy=(),
        files=_names(ESC_NAME),
        check=_stdout_lacks(*HIDDEN),
        stdout_has=("Evil ]0;pwned",),
    ),
    Case(
        "escape/csv-escape-sequences",
        (*SCEN, "-f", "csv"),
        exit=0,
        copy=(),
        files=_names(ESC_NAME),
        check=_stdout_lacks(*HIDDEN),
    ),
    Case(
        "escape/markdown-escape-sequences",
        (*SCEN, "-f", "markdown"),
        exit=0,
        copy=(),
        files=_names(ESC_NAME),
        check=_stdout_lacks(*HIDDEN),
    ),
    Case(
        "escape/csv-hyperlink-formula",
        (*SCEN, "-f", "csv"),
        exit=0,
        copy=(),
        files=_names(CSV_NAME, "+1 seats"),
        stdout_has=("'=HYPERLINK", "'+1 seats"),
        check=_stdout_lacks(',"=HYPERLINK', "\n=HYPERLINK"),
    ),
    Case(
        "escape/sweep-csv-formula-cell",
        ("sweep", "s.yaml", "--vary", "workload.users=100:200:2", "-f", "csv"),
        exit=0,
        copy=(),
        files=_names(CSV_NAME),
        stdout_has=("'=HYPERLINK",),
        check=_stdout_lacks(',"=HYPERLINK', ",=HYPERLINK"),
    ),
    Case(
        "escape/markdown-injection",
        (*SCEN, "-f", "markdown"),
        exit=0,
        copy=(),
        files=_names(MD_NAME),
        check=_markdown_inert,
        stdout_has=("\\</details",),
    ),
    Case(
        "escape/diff-markdown-injection",
        ("diff", "base.yaml", "s.yaml", *TODAY, "-f", "markdown"),
        exit=0,
        copy=("base.yaml",),
        files=_names(MD_NAME),
        check=_markdown_inert,
    ),
    Case(
        "escape/ci-comment-injection",
        ("ci", "HEAD", "out", "s.yaml"),
        exit=0,
        copy=(),
        prepare=_git_checkout,
        files=_names(MD_NAME),
        writes=("out", "out/comment.md", "out/s.md", "out/s.html"),
        check=_comment_inert,
        cpu_s=15,
        wall_s=60,
    ),
    Case(
        "escape/html-script-name",
        (*SCEN, "-f", "html", "-o", "r.html"),
        exit=0,
        copy=(),
        files=_names("<script>alert(1)</script>\\e[2J"),
        writes=("r.html",),
        check=_written("r.html", has=("&lt;script&gt;",), lacks=("<script>alert", "\x1b")),
    ),
    Case(
        "escape/svg-control-characters",
        ("chart", "s.yaml", *TODAY, "-o", "c.svg"),
        exit=0,
        copy=(),
        files=_names("Ctl \\x01\\x0b\\x1f <b>&amp;", "Bell \\a"),
        writes=("c.svg",),
        check=_written("c.svg", lacks=("\x01", "\x0b"), xml=True),
    ),
    Case(
        "escape/lookalike-zero-width-duplicate",
        SCEN,
        copy=(),
        files=_names("H100", "H100\\u200b"),
        error="duplicate option name 'H100'",
    ),
    Case(
        "escape/lookalike-fullwidth-duplicate",
        SCEN,
        copy=(),
        files=_names("H100", "\\uff28\\uff11\\uff10\\uff10"),
        error="duplicate option name 'H100'",
    ),
    Case(
        "escape/lookalike-guardrail-agrees",
        (*SCEN, "--fail-if", "cheapest == H100"),
        exit=1,
        copy=(),
        files={"s.yaml": BASE.replace("name: Rented GPUs", 'name: "H100\\u200b"')},
        stdout_has=("Cheapest now: H100 at",),
    ),
    Case(
        "escape/bidi-override-stripped",
        SCEN,
        exit=0,
        copy=(),
        files=_names("GPT\\u202e5 mini"),
        stdout_has=("GPT5 mini",),
        check=_stdout_lacks(*HIDDEN),
    ),
    Case(
        "escape/pricing-id-markup",
        ("pricing", "list", "--pricing", "p.csv", "--provider", "evil"),
        exit=0,
        files={"p.csv": API_CSV_HEAD + "evil/m[/],evil,m[/],1,2,https://example.test,2026-08-01\n"},
        stdout_has=("evil/m[/]",),
    ),
    Case(
        "escape/pricing-id-escape-sequence",
        ("pricing", "validate", "p.csv"),
        files={"p.csv": API_CSV_HEAD + "evil/m\x1b[2J,evil,m\x1b[2J,1,2,https://example.test,2026-08-01\n"},
        error="control",
    ),
    Case(
        "escape/error-line-escape-sequence",
        (*REPORT, "--set", "workload.users=\x1b]0;pwned\x07"),
        error="users",
        check=lambda run, folder: (
            None if "\x1b" not in run.stderr else (_ for _ in ()).throw(AssertionError("ESC on stderr"))
        ),
    ),
]


def _measure(mode: str, *extra: str) -> tuple[str, ...]:
    """`costcalc measure` against one of the hostile server's stream modes, with the secret API key."""
    return (
        "measure", "--base-url", "{server}/" + mode, "--model", "m", "--api-key-env", "HOSTILE_API_KEY",
        "--input-tokens", "4", "--output-tokens", "4", "--concurrency", "1", *extra,
    )  # fmt: skip


def _result_file_has_no_key(run, folder: Path) -> None:
    text = (folder / "r.json").read_text(encoding="utf-8")
    assert '"http_500"' in text and "***" in text  # the echo was kept, masked


MEASURE = [
    Case(
        "measure/500-echoes-key-across-the-cut",
        _measure("echo-key", "--requests", "2"),
        exit=3,
        server=True,
        error="no request succeeded",
    ),
    Case(
        "measure/500-echoes-key-split-by-a-line-break",
        _measure("echo-key-break", "--requests", "2"),
        exit=3,
        server=True,
        error="no request succeeded",
    ),
    Case(
        "measure/stream-error-echoes-key",
        _measure("stream-error-echo", "--requests", "2"),
        exit=3,
        server=True,
        error="no request succeeded",
    ),
    Case(
        "measure/echoed-key-kept-out-of-the-result",
        _measure("alternate-echo", "--requests", "4", "--save-requests", "-o", "r.json"),
        exit=0,
        server=True,
        writes=("r.json",),
        check=_result_file_has_no_key,
    ),
    Case(
        "measure/echoed-key-split-by-a-line-break-kept-out-of-the-result",
        _measure("alternate-echo-break", "--requests", "4", "--save-requests", "-o", "r.json"),
        exit=0,
        server=True,
        writes=("r.json",),
        check=_result_file_has_no_key,
    ),
    Case(
        "measure/never-done-with-duration",
        _measure("no-done", "--duration", "2"),
        exit=3,
        server=True,
        error="no request succeeded",
        wall_s=10,
    ),
    Case(
        "measure/never-done-with-request-timeout",
        _measure("no-done", "--requests", "1", "--request-timeout", "2"),
        exit=3,
        server=True,
        error="no request succeeded",
        wall_s=10,
    ),
    Case(
        "measure/endless-sse-line",
        _measure("endless-line", "--requests", "2"),
        exit=3,
        server=True,
        error="no request succeeded",
        cpu_s=3,
        wall_s=15,
    ),
    Case(
        "measure/usage-negative",
        _measure("usage-negative", "--requests", "2"),
        exit=3,
        server=True,
        error="no request succeeded",
    ),
    Case(
        "measure/usage-1e15-tokens",
        _measure("usage-absurd", "--requests", "2"),
        exit=3,
        server=True,
        error="no request succeeded",
    ),
]


def _options_300(folder: Path) -> None:
    """The base scenario with 300 options and an uncertain request volume."""
    head, _ = BASE.split("options:")
    head = head.replace(RPD, "requests_per_day: {dist: triangular, low: 50000, mode: 100000, high: 200000}")
    option = "  - {{name: O{i}, kind: api, prices: {{input_usd_per_mtok: 1, output_usd_per_mtok: 4}}}}\n"
    (folder / "s.yaml").write_text(head + "options:\n" + "".join(option.format(i=i) for i in range(300)))


SWEEP = ("sweep", "base.yaml", "--vary")
BUDGETS = [
    Case("budget/sweep-49m-points", (*SWEEP, "workload.users=1:1000:49000000"), error="needs about"),
    Case(
        "budget/sweep-1m-points-as-json",
        (*SWEEP, "workload.users=1:1000:1000000", "-f", "json", "-o", "x.json"),
        error="needs about",
    ),
    Case(
        "budget/sweep-two-axes-of-10k",
        (*SWEEP, "workload.users=1:1000:10000", "--vary", "workload.requests_per_day=1000:2000:10000"),
        error="needs about",
    ),
    Case("budget/sweep-steps-1e12", (*SWEEP, "workload.users=1:2:1e12"), error="STEPS must be 1 to"),
    Case("budget/sweep-steps-inf", (*SWEEP, "workload.users=1:2:inf"), error="STEPS must be 1 to"),
    # 3.5 steps swept 3 points, unsaid
    Case(
        "budget/sweep-steps-fraction",
        (*SWEEP, "workload.requests_per_day=1:10:3.5"),
        error="give a whole number, not 3.5",
    ),
    Case(
        "budget/sweep-within-a-small-budget",
        (*SWEEP, "workload.users=1:1000:100000", "--max-memory-mb", "10"),
        error="10 MB budget",
    ),
    # a budget of 0 or below was compared as given ('needs about 0 MB, over the 0 MB budget; use at most 0', or
    # 'use at most -9,362' for -5, under --samples for simulate) and nan let any run through
    Case(
        "budget/sweep-budget-of-zero",
        (*SWEEP, "workload.users=1:2:2", "--max-memory-mb", "0"),
        error="--max-memory-mb: 0 is no memory budget; give megabytes above 0",
    ),
    Case(
        "budget/simulate-budget-below-zero",
        ("simulate", "base.yaml", *TODAY, "-n", "10", "--max-memory-mb", "-5"),
        error="--max-memory-mb: -5 is no memory budget; give megabytes above 0",
    ),
    Case(
        "budget/simulate-budget-nan",
        ("simulate", "base.yaml", *TODAY, "-n", "10", "--max-memory-mb", "nan"),
        error="--max-memory-mb: nan is no memory budget; give megabytes above 0",
    ),
    Case(
        "budget/simulate-300-options-100k-samples",
        ("simulate", "s.yaml", "-n", "100000"),
        copy=(),
        prepare=_options_300,
        error="needs about",
    ),
    Case(
        "budget/simulate-10m-samples",
        ("simulate", "s.yaml", "-n", "10000000"),
        copy=(),
        prepare=_options_300,
        error="between 1 and 1,000,000",
    ),
]


def _update(path: str, *extra: str) -> tuple[str, ...]:
    """`pricing update` from a LiteLLM-shaped catalog on the hostile server (quick timeouts, no backoff)."""
    return (
        "pricing", "update", "--source", "litellm", "--url", "{server}" + path, "--as-of", "2026-11-01",
        "--timeout", "2", "--backoff", "0", "--tries", "2", *extra,
    )  # fmt: skip


def _cache_csv(folder: Path) -> str:
    return (folder.parent / "home" / "cache" / "pricing" / "litellm.csv").read_text(encoding="utf-8")


def _cache_lacks(*ids: str):
    def check(run, folder: Path) -> None:
        text = _cache_csv(folder)
        assert "openai/gpt-test-0," in text, "the good rows were not stored"
        for row_id in ids:
            assert row_id not in text, f"{row_id} was stored"

    return check


def _cache_consistent(run, folder: Path) -> None:
    """The table in the cache and its meta come from the same fetch."""
    import hashlib
    import json

    pricing = folder.parent / "home" / "cache" / "pricing"
    table = (pricing / "litellm.csv").read_bytes()
    metas = [json.loads(p.read_text()) for p in pricing.rglob("*.meta.json")]
    current = [m for m in metas if m["sha256"] == hashlib.sha256(table).hexdigest()]
    assert len(current) == 1, "no meta describes the table in place"
    doubled = current[0]["url"].endswith("/ok-b")  # ok-b's prices are twice ok's
    assert (",0.2," in table.decode().split("openai/gpt-test-0,", 1)[1].split("\n", 1)[0]) == doubled


UPDATE = [
    Case(
        "update/price-1e12-per-mtok-skipped",
        _update("/catalog/absurd-high"),
        exit=0,
        server=True,
        copy=(),
        cache_may_change=True,
        check=_cache_lacks("gpt-absurd-high"),
        then=("pricing", "list", "--provider", "openai"),
    ),
    Case(
        "update/price-1e12-per-token-skipped",
        _update("/catalog/per-token-1e12"),
        exit=0,
        server=True,
        copy=(),
        cache_may_change=True,
        check=_cache_lacks("gpt-trillion"),
        then=("pricing", "list", "--provider", "openai"),
    ),
    Case(
        "update/price-1e-9-per-mtok-skipped",
        _update("/catalog/absurd-low"),
        exit=0,
        server=True,
        copy=(),
        cache_may_change=True,
        check=_cache_lacks("gpt-absurd-low"),
    ),
    Case(
        "update/nan-and-inf-prices-skipped",
        _update("/catalog/nan"),
        exit=0,
        server=True,
        copy=(),
        cache_may_change=True,
        check=_cache_lacks("gpt-nan"),
    ),
    Case(
        "update/model-id-markup-and-escape",
        _update("/catalog/evil-id"),
        exit=0,
        server=True,
        copy=(),
        cache_may_change=True,
        check=_cache_lacks("pwned"),
        stdout_has=("evil[/]",),
        then=("pricing", "list", "--provider", "openai"),
    ),
    Case(
        "update/only-absurd-prices",
        _update("/catalog/all-absurd"),
        exit=3,
        server=True,
        copy=(),
        error="fewer than the minimum",
    ),
    Case(
        "update/redirect-loop", _update("/redirect-loop"), exit=3, server=True, copy=(), error="redirects more than 5"
    ),
    Case("update/redirect-to-a-file", _update("/redirect-file"), exit=3, server=True, copy=(), error="http(s)"),
    Case(
        "update/slow-drip-deadline",
        _update("/slow-drip", "--timeout", "0.5"),
        exit=3,
        server=True,
        copy=(),
        error="deadline",
        wall_s=10,
    ),
    Case(
        "update/slow-drip-timeout-2",
        _update("/slow-drip"),
        exit=3,
        server=True,
        copy=(),
        error="deadline",
        wall_s=15,
    ),
    Case("update/deep-json", _update("/catalog/deep"), exit=3, server=True, copy=(), error="nested too deeply"),
    Case("update/int-5000-digits", _update("/catalog/bigint"), exit=3, server=True, copy=(), error="digits"),
    Case(
        "update/two-at-once",
        _update("/slow/0.5/catalog/ok"),
        exit=0,
        server=True,
        copy=(),
        cache_may_change=True,
        alongside=_update("/slow/0.5/catalog/ok-b"),
        check=_cache_consistent,
    ),
]

CASES: list[Case] = [
    *OUTPUT,
    *CRASH,
    *READ,
    *PARSE,
    *NUMBERS,
    *REFERENCES,
    *GUARDRAILS,
    *ESCAPING,
    *MEASURE,
    *BUDGETS,
    *UPDATE,
]
