"""`costcalc ci` in a real git checkout: a base it cannot read is an error, never a report of every file as new;
missing, deleted, invalid and same-named scenarios each read right in the comment."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

SCENARIO = """\
version: 1
name: {name}
workload: {{requests_per_day: {rpd}, input_tokens: 1000, output_tokens: 200}}
options:
  - {{name: Luna, kind: api, model: openai/gpt-6-luna}}
"""
TODAY = ("--today", "2026-12-05")
ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
}


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env=ENV, check=True, capture_output=True)


def _write(repo: Path, name: str, title: str, rpd: int) -> None:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(SCENARIO.format(name=title, rpd=rpd), encoding="utf-8")


def _ci(
    cwd: Path, *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "costcalc", "ci", *args, *TODAY],
        cwd=cwd,
        env=env or ENV,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A checkout whose main holds a.yaml and gone.yaml; the working tree then changes a.yaml."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _write(repo, "a.yaml", "Alpha", 1000)
    _write(repo, "gone.yaml", "Gone", 1000)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "base")
    _write(repo, "a.yaml", "Alpha", 3000)
    return repo


@pytest.mark.parametrize(
    ("ref", "fetch"),
    [
        ("mian", "git fetch origin mian"),
        ("origin/main", "git fetch origin main"),
        ("origin/release", "git fetch origin release"),
    ],
)
def test_a_base_ref_that_is_no_commit_is_exit_2_and_writes_nothing(repo: Path, ref: str, fetch: str) -> None:
    """A typo or an unfetched branch used to report every scenario as new: exit 0, diff guardrails unchecked. The
    fetch it suggests is of the branch the ref names (it said 'git fetch origin main' for origin/release too)."""
    run = _ci(repo, ref, "out", "a.yaml", "--fail-if", "diff.monthly_cost_pct > 10")
    assert run.returncode == 2, run.stderr
    assert run.stderr == (
        f"error: BASE_REF: '{ref}' is not a commit in this repository; check the name, or fetch it first "
        f"({fetch}; actions/checkout needs fetch-depth: 0)\n"
    )
    assert not (repo / "out").exists()


def test_outside_a_git_checkout_is_exit_2(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    _write(folder, "a.yaml", "Alpha", 1000)
    run = _ci(folder, "main", "out", "a.yaml")
    assert run.returncode == 2, run.stderr
    assert run.stderr.startswith("error: BASE_REF: costcalc ci runs in a git checkout")
    assert run.stderr.count("\n") == 1
    assert not (folder / "out").exists()


def test_a_missing_file_is_an_error_and_a_deleted_one_is_said_deleted(repo: Path) -> None:
    """A name in neither the checkout nor the base is a typo (exit 2, said in the comment); a file the change
    deleted is noted; the changed file is still diffed."""
    (repo / "gone.yaml").unlink()
    run = _ci(repo, "main", "out", "a.yaml", "gone.yaml", "typo.yaml", "--fail-if", "diff.monthly_cost_pct > 500")
    assert run.returncode == 2, run.stderr
    assert "error: typo.yaml: file not found, here or at main; check the path" in run.stderr.splitlines()
    comment = (repo / "out" / "comment.md").read_text(encoding="utf-8")
    assert "### LLM cost diff: Alpha" in comment and "diff.monthly_cost_pct (Luna, the cheapest) is 200" in comment
    assert "`gone.yaml` is deleted by this change; nothing to cost." in comment
    assert ":x: `typo.yaml`: file not found; check the path." in comment


def test_only_missing_files_is_not_no_change(repo: Path) -> None:
    run = _ci(repo, "main", "out", "typo.yaml")
    assert run.returncode == 2, run.stderr
    comment = (repo / "out" / "comment.md").read_text(encoding="utf-8")
    assert "No scenario file changed" not in comment and "`typo.yaml`: file not found" in comment


def test_two_scenarios_with_one_file_name_keep_both_reports(repo: Path) -> None:
    """team-a/chat.yaml and team-b/chat.yaml wrote one out/chat.html: the second overwrote the first."""
    _write(repo, "team-a/chat.yaml", "Team A chat", 1000)
    _write(repo, "team-b/chat.yaml", "Team B chat", 2000)
    run = _ci(repo, "main", "out", "team-a/chat.yaml", "team-b/chat.yaml", "a.yaml")
    assert run.returncode == 0, run.stderr
    out = repo / "out"
    assert sorted(p.name for p in out.glob("*.html")) == ["a.html", "team-a-chat.html", "team-b-chat.html"]
    assert "Team A chat" in (out / "team-a-chat.html").read_text(encoding="utf-8")
    assert "Team B chat" in (out / "team-b-chat.html").read_text(encoding="utf-8")
    comment = (out / "comment.md").read_text(encoding="utf-8")
    assert "`team-a/chat.yaml` · HTML report: `team-a-chat.html`" in comment
    assert "`team-b/chat.yaml` · HTML report: `team-b-chat.html`" in comment
    assert "`a.yaml` · HTML report: `a.html`" in comment


def test_an_invalid_scenario_says_what_is_wrong_in_the_comment(repo: Path) -> None:
    """The author reads the comment, not the job log: the one-line error is there, and a broken base names the
    base, not costcalc's temporary copy."""
    (repo / "a.yaml").write_text(SCENARIO.format(name="Alpha", rpd=1000).replace("kind: api", "kind: apii"))
    _write(repo, "b.yaml", "Beta", 1000)
    _git(repo, "add", "b.yaml")
    _git(repo, "commit", "-q", "-m", "b")
    (repo / "b.yaml").write_text(SCENARIO.format(name="Beta", rpd=1000).replace("requests_per_day: 1000", "x: 1"))
    (repo / "c.yaml").write_text(SCENARIO.format(name="Gamma", rpd=1000).replace("version: 1", "version: 7"))
    _git(repo, "add", "c.yaml")
    _git(repo, "commit", "-q", "-m", "c, broken")
    (repo / "c.yaml").write_text(SCENARIO.format(name="Gamma", rpd=1000).replace("version: 1", "version: 8"))
    run = _ci(repo, "HEAD", "out", "a.yaml", "b.yaml", "c.yaml")
    assert run.returncode == 2, run.stderr
    comment = (repo / "out" / "comment.md").read_text(encoding="utf-8")
    assert ":x: costcalc could not cost `a.yaml` (exit 2):\n- a.yaml:5: options\\[Luna\\].kind: kind 'apii'" in comment
    assert ":x: costcalc could not cost `b.yaml` (exit 2):\n- b.yaml:3: workload" in comment
    assert (
        ":x: costcalc could not cost `c.yaml` (exit 2):\n- c.yaml:1: version: unsupported version; this costcalc reads version 1 (got 8)"
        in comment
    )
    assert ":warning: The base version, `c.yaml at HEAD`, could not be read" in comment  # both broken: both said
    assert "see the job log" not in comment and ".costcalc-base" not in comment


def test_a_change_that_fixes_a_broken_base_is_reported_not_failed(repo: Path) -> None:
    """A scenario the base cannot read (a typo pushed to main, a key an upgraded costcalc renamed) failed every
    change to it with exit 2, the one that fixes it too, and its comment showed only the base's error; now the fixed
    version is reported as a new file's is, the comment says why, and the diff guardrails are said unchecked."""
    (repo / "c.yaml").write_text(SCENARIO.format(name="Gamma", rpd=1000).replace("version: 1", "version: 7"))
    _git(repo, "add", "c.yaml")
    _git(repo, "commit", "-q", "-m", "c, broken")
    _write(repo, "c.yaml", "Gamma", 1000)  # this change fixes it
    run = _ci(repo, "HEAD", "out", "c.yaml", "--fail-if", "diff.monthly_cost_pct > 10")
    assert run.returncode == 0, run.stderr
    comment = (repo / "out" / "comment.md").read_text(encoding="utf-8")
    assert "### LLM cost report: Gamma\n\n`c.yaml` · HTML report: `c.html`\n\n:warning: The base version, " in comment
    assert (
        "`c.yaml at HEAD`, could not be read, so this is a report of the change's version (its `diff.*` guardrails "
        "are not checked): c.yaml at HEAD:1: version: unsupported version; this costcalc reads version 1 (got 7)"
        in comment
    )
    assert ":x:" not in comment and (repo / "out" / "c.html").is_file()
    assert "note: c.yaml at HEAD could not be read (above); reporting c.yaml as new" in run.stderr.splitlines()


def test_a_report_from_an_earlier_run_is_never_posted_as_this_ones(repo: Path) -> None:
    """Run twice into one OUT_DIR (as at a desk), the second time with the scenario broken: the first run's
    a.md was read back as the second's diff (old numbers, and a.html from the first run beside it)."""
    first = _ci(repo, "main", "out", "a.yaml")
    assert first.returncode == 0, first.stderr
    assert "+200.0%" in (repo / "out" / "comment.md").read_text(encoding="utf-8")
    (repo / "a.yaml").write_text(SCENARIO.format(name="Alpha", rpd=1000).replace("kind: api", "kind: apii"))
    second = _ci(repo, "main", "out", "a.yaml")
    assert second.returncode == 2, second.stderr
    comment = (repo / "out" / "comment.md").read_text(encoding="utf-8")
    assert "+200.0%" not in comment and ":x: costcalc could not cost `a.yaml` (exit 2):\n- a.yaml:5:" in comment
    assert sorted(p.name for p in (repo / "out").iterdir()) == ["comment.md"]


def test_a_lock_that_cannot_be_read_is_one_error_before_anything_is_written(repo: Path) -> None:
    """A missing --pricing-lock was found once per scenario and costcalc run (the same line twice per file) and
    left a comment of failures behind."""
    run = _ci(repo, "main", "out", "a.yaml", "--pricing-lock", "missing.json")
    assert run.returncode == 2, run.stderr
    assert run.stderr == "error: missing.json: lock file not found; write one with `costcalc pricing lock`\n"
    assert not (repo / "out").exists()


def test_a_base_that_moved_on_after_the_change_left_it_is_not_undone_by_the_change(repo: Path) -> None:
    """BASE_REF changed a scenario after the branch left it (a merge request's target moved on; GitLab's merge-request
    pipelines check out the branch, not a merge): the comment diffed against BASE_REF's tip, so the target's own
    change read as undone by this one: +100.0% and a failed guardrail for a change that only added a comment."""
    _git(repo, "checkout", "-q", "--", "a.yaml")  # main: Alpha at 1,000 requests a day
    _git(repo, "checkout", "-q", "-b", "change")
    with (repo / "a.yaml").open("a", encoding="utf-8") as file:
        file.write("# reviewed: no change in cost\n")
    _git(repo, "commit", "-q", "-am", "the change: a comment")
    _git(repo, "checkout", "-q", "main")
    _write(repo, "a.yaml", "Alpha", 500)
    _git(repo, "commit", "-q", "-am", "main halves the traffic")
    _git(repo, "checkout", "-q", "change")
    run = _ci(repo, "main", "out", "a.yaml", "--fail-if", "diff.monthly_cost_pct > 10")
    assert run.returncode == 0, run.stderr
    comment = (repo / "out" / "comment.md").read_text(encoding="utf-8")
    assert "diff.monthly_cost_pct (Luna, the cheapest) is 0, within the limit" in comment
    assert "`workload.requests_per_day`" not in comment  # not among the changed inputs
    _git(repo, "checkout", "-q", "--detach", "main")  # GitHub's checkout: the change merged into the base
    _git(repo, "merge", "-q", "--no-edit", "change")
    merged = (repo / "a.yaml").read_text(encoding="utf-8")
    assert "# reviewed" in merged and "requests_per_day: 500" in merged
    run = _ci(repo, "main", "out", "a.yaml", "--fail-if", "diff.monthly_cost_pct > 10")
    assert run.returncode == 0, run.stderr
    assert "diff.monthly_cost_pct (Luna, the cheapest) is 0, within the limit" in (
        repo / "out" / "comment.md"
    ).read_text(encoding="utf-8")


@pytest.mark.parametrize("committed", [True, False])
def test_a_renamed_scenario_is_diffed_against_its_old_name(repo: Path, committed: bool) -> None:
    """git's rename detection pairs the files: the diff is against a.yaml at the base (diff.* guardrails checked),
    not a report of a new file; the old name, if listed too, says where it went."""
    _git(repo, "checkout", "-q", "-b", "change")  # main stays the base
    (repo / "team").mkdir()
    _git(repo, "mv", "a.yaml", "team/alpha.yaml")  # a.yaml's working copy (3,000 requests a day) moves with it
    if committed:
        _git(repo, "commit", "-q", "-m", "rename")
    run = _ci(repo, "main", "out", "team/alpha.yaml", "a.yaml", "--fail-if", "diff.monthly_cost_pct > 500")
    assert run.returncode == 0, run.stderr
    comment = (repo / "out" / "comment.md").read_text(encoding="utf-8")
    assert "### LLM cost diff: Alpha" in comment and "diff.monthly_cost_pct (Luna, the cheapest) is 200" in comment
    assert "`team/alpha.yaml` (renamed from `a.yaml`) · HTML report: `alpha.html`" in comment
    assert "`a.yaml` is renamed to `team/alpha.yaml` by this change; nothing to cost." in comment
    assert "LLM cost report: Alpha" not in comment  # no longer reported as new


def test_a_renamed_scenario_is_found_from_a_subfolder(repo: Path) -> None:
    _git(repo, "checkout", "-q", "-b", "change")
    (repo / "team").mkdir()
    _git(repo, "mv", "a.yaml", "team/alpha.yaml")
    _git(repo, "commit", "-q", "-m", "rename")
    run = _ci(repo / "team", "main", "out", "alpha.yaml")
    assert run.returncode == 0, run.stderr
    comment = (repo / "team" / "out" / "comment.md").read_text(encoding="utf-8")
    assert "`alpha.yaml` (renamed from `../a.yaml`)" in comment and "+200.0%" in comment


def test_each_line_of_a_scenarios_job_log_appears_once(repo: Path) -> None:
    """The HTML report's run repeated the Markdown run's error line (and its warnings) in the job log."""
    (repo / "a.yaml").write_text(SCENARIO.format(name="Alpha", rpd=1000).replace("kind: api", "kind: apii"))
    _write(repo, "b.yaml", "Beta", 1000)
    (repo / "b.yaml").write_text(
        (repo / "b.yaml").read_text(encoding="utf-8") + "stale_after_days: 1\n", encoding="utf-8"
    )
    run = _ci(repo, "main", "out", "a.yaml", "b.yaml")
    assert run.returncode == 2, run.stderr
    lines = run.stderr.splitlines()
    error = next(line for line in lines if line.startswith("error: a.yaml:5: options[Luna].kind"))
    assert lines.count(error) == 1
    warnings = [line for line in lines if line.startswith("warning: ")]
    assert warnings and all(lines.count(w) == 1 for w in warnings), run.stderr


def test_an_out_dir_that_is_a_file_is_exit_2_not_a_crash(repo: Path) -> None:
    """OUT_DIR naming a file crashed (FileExistsError from mkdir, exit 70)."""
    (repo / "out").write_text("not a folder", encoding="utf-8")
    run = _ci(repo, "main", "out", "a.yaml")
    assert run.returncode == 2, run.stderr
    assert run.stderr == "error: OUT_DIR: out is a file; give a folder for comment.md and the HTML reports\n"
    assert (repo / "out").read_text(encoding="utf-8") == "not a folder"


def test_a_folder_named_as_a_scenario_is_an_error_not_a_deleted_file(repo: Path) -> None:
    """A folder that git knows (git show prints its tree) was said 'deleted by this change', exit 0."""
    (repo / "team").mkdir()
    _write(repo, "team/b.yaml", "Beta", 1000)
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "team")
    run = _ci(repo, "main", "out", "team")
    assert run.returncode == 2, run.stderr
    assert run.stderr == "error: team: is a folder; name the scenario files in it\n"
    comment = (repo / "out" / "comment.md").read_text(encoding="utf-8")
    assert ":x: `team` is a folder; name the scenario files in it." in comment
    assert "deleted" not in comment


@pytest.mark.parametrize("where", ["flag", "env"])
def test_a_guardrail_that_cannot_be_read_is_one_error_before_anything_is_written(repo: Path, where: str) -> None:
    """A --fail-if syntax error was found by each scenario's own run, after its reports were written (exit 2, a
    comment per scenario); now it is one line, as a bad --today or lock is, and no folder is made."""
    expr = "monthly_cost[Luna] >> 5"
    if where == "flag":
        run = _ci(repo, "main", "out", "a.yaml", "--fail-if", expr)
    else:
        run = subprocess.run(
            [sys.executable, "-m", "costcalc", "ci", "main", "out", "a.yaml", *TODAY],
            cwd=repo,
            env={**ENV, "COSTCALC_FAIL_IF": expr},
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
    assert run.returncode == 2, run.stderr
    origin = "--fail-if" if where == "flag" else "$COSTCALC_FAIL_IF"  # the line names where the user wrote it
    assert run.stderr.startswith(f"error: {origin}: guardrail 'monthly_cost[Luna] >> 5': "), run.stderr
    assert run.stderr.count("\n") == 1
    assert not (repo / "out").exists()


@pytest.mark.parametrize(("where", "origin"), [("flag", "--fail-if"), ("env", "$COSTCALC_FAIL_IF")])
def test_a_failed_guardrail_names_where_it_was_written(repo: Path, where: str, origin: str) -> None:
    """examples/ci's workflows set COSTCALC_FAIL_IF, and the job log and comment said 'from --fail-if', a flag no
    workflow passes; now a guardrail from the environment says 'from $COSTCALC_FAIL_IF'."""
    expr = "diff.monthly_cost_pct > 10"
    flags, env = (["--fail-if", expr], ENV) if where == "flag" else ([], {**ENV, "COSTCALC_FAIL_IF": expr + "\n"})
    run = subprocess.run(
        [sys.executable, "-m", "costcalc", "ci", "main", "out", "a.yaml", *flags, *TODAY],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert run.returncode == 1, run.stderr
    said = f"(fail if diff.monthly_cost_pct > 10; from {origin})"
    assert said in run.stderr, run.stderr
    assert said in (repo / "out" / "comment.md").read_text(encoding="utf-8")


def test_a_comment_line_in_the_environments_guardrails_is_left_out(repo: Path) -> None:
    """A workflow's `COSTCALC_FAIL_IF: |` block is text: a '# budget' line inside it is part of the value, and it
    stopped every run ("guardrail '# budget limits': cannot read it", exit 2) before anything was costed."""
    env = {
        **ENV,
        "COSTCALC_FAIL_IF": "# budget limits, reviewed by finance\ndiff.monthly_cost_pct > 10\n  # more later\n",
    }
    run = _ci(repo, "main", "out", "a.yaml", env=env)
    assert run.returncode == 1, run.stderr  # a.yaml's traffic tripled: the guardrail after the comment is checked
    assert "(fail if diff.monthly_cost_pct > 10; from $COSTCALC_FAIL_IF)" in run.stderr, run.stderr
    assert "budget limits" not in (repo / "out" / "comment.md").read_text(encoding="utf-8")


TEAM_CHAT = """\
version: 1
name: Team chat
workload: usage.yaml
options:
  - {name: Luna, kind: api, model: openai/gpt-6-luna}
"""


def _usage(repo: Path, rpd: int) -> None:
    (repo / "team" / "usage.yaml").write_text(
        f"requests_per_day: {rpd}\ninput_tokens: 1000\noutput_tokens: 200\n", encoding="utf-8"
    )


@pytest.fixture
def team(repo: Path) -> Path:
    """The repo, whose main also holds team/chat.yaml reading its traffic from team/usage.yaml (1,000 a day)."""
    (repo / "team").mkdir()
    (repo / "team" / "chat.yaml").write_text(TEAM_CHAT, encoding="utf-8")
    _usage(repo, 1000)
    _git(repo, "add", "team")
    _git(repo, "commit", "-q", "-m", "team chat")
    return repo


def test_a_changed_usage_file_is_costed_through_the_scenario_that_reads_it(team: Path) -> None:
    """The workflows' glob names every changed .yaml, usage files too: team/usage.yaml was costed as a scenario
    ("unknown key 'requests_per_day'", exit 2) and team/chat.yaml, whose traffic tripled, was never costed."""
    _usage(team, 3000)
    run = _ci(team, "main", "out", "team/usage.yaml", "--fail-if", "diff.monthly_cost_pct > 10")
    assert run.returncode == 1, run.stderr
    comment = (team / "out" / "comment.md").read_text(encoding="utf-8")
    assert "`team/usage.yaml` is read by `team/chat.yaml` (costed here)." in comment
    assert "`team/chat.yaml` · HTML report: `chat.html`" in comment
    assert "diff.monthly_cost_pct (Luna, the cheapest) is 200" in comment


def test_a_scenarios_base_version_reads_its_usage_file_at_the_base(team: Path) -> None:
    """The base version was written beside the scenario, so it read the change's usage.yaml: a change tripling the
    traffic there and adding an option to chat.yaml showed Luna unchanged (+0.0%), its guardrail passed."""
    _usage(team, 3000)
    (team / "team" / "chat.yaml").write_text(
        TEAM_CHAT + "  - {name: Terra, kind: api, model: openai/gpt-6.1-terra}\n", encoding="utf-8"
    )
    run = _ci(team, "main", "out", "team/chat.yaml", "--fail-if", "diff.monthly_cost_pct > 10")
    assert run.returncode == 1, run.stderr
    comment = (team / "out" / "comment.md").read_text(encoding="utf-8")
    assert "diff.monthly_cost_pct (Luna, the cheapest) is 200" in comment
    assert "| `workload.requests_per_day` | 1,000 | 3,000 |" in comment


def test_a_lock_file_the_change_edits_prices_the_base_with_the_lock_as_it_was(repo: Path) -> None:
    """The README's way to change prices only by a reviewed commit is a committed lock, but ci priced both sides with
    the change's lock: a commit doubling GPT-6 Luna's output price read 'Luna ($6.08 -> $6.08/month, +0.0%)' and
    passed `diff.monthly_cost_pct > 10`."""
    _git(repo, "checkout", "-q", "--", "a.yaml")  # a.yaml as main has it: 1,000 requests a day
    lock = repo / "lock.json"
    subprocess.run(
        [sys.executable, "-m", "costcalc", "pricing", "lock", "a.yaml", "-o", str(lock), *TODAY],
        cwd=repo,
        env=ENV,
        check=True,
        capture_output=True,
        timeout=180,
    )
    _git(repo, "add", "lock.json")
    _git(repo, "commit", "-q", "-m", "lock the prices")

    def doubled(node: object) -> object:
        if isinstance(node, dict):
            return {k: 2 * v if k == "output_usd_per_mtok" else doubled(v) for k, v in node.items()}
        return [doubled(v) for v in node] if isinstance(node, list) else node

    lock.write_text(json.dumps(doubled(json.loads(lock.read_text(encoding="utf-8")))), encoding="utf-8")
    run = _ci(repo, "main", "out", "a.yaml", "--pricing-lock", "lock.json", "--fail-if", "diff.monthly_cost_pct > 10")
    assert run.returncode == 1, run.stderr
    comment = (repo / "out" / "comment.md").read_text(encoding="utf-8")
    assert "Luna ($6.08 → $9.13/month, +50.0%)" in comment  # 30,417 requests: 30.4M output tokens at $0.50 -> $1.00
    assert ".output_usd_per_mtok` | 0.5 | 1 |" in comment


def test_the_job_log_says_which_scenario_each_line_is_about(repo: Path) -> None:
    """Two scenarios' failed guardrails read alike in the job log ('guardrail failed: diff.monthly_cost_pct (Luna,
    the cheapest) is 200.00, ...' twice): nothing said which file each was about."""
    _write(repo, "b.yaml", "Beta", 1000)
    run = _ci(
        repo,
        "main",
        "out",
        "a.yaml",
        "b.yaml",
        "--fail-if",
        "diff.monthly_cost_pct > 10",
        "--fail-if",
        "monthly_cost > 1",
    )
    assert run.returncode == 1, run.stderr
    lines = run.stderr.splitlines()
    assert lines[0] == "== a.yaml" and "== b.yaml" in lines
    a_part = lines[: lines.index("== b.yaml")]
    assert any(
        line.startswith("guardrail failed: diff.monthly_cost_pct (Luna, the cheapest) is 200") for line in a_part
    )
    assert all("diff.monthly_cost_pct" not in line for line in lines[lines.index("== b.yaml") :])  # new: no base


def test_a_scenario_named_by_its_absolute_path_is_diffed_not_reported_as_new(repo: Path) -> None:
    """`costcalc ci main out $CI_PROJECT_DIR/a.yaml`: git show found no base for an absolute path, so the scenario was
    reported as new and its diff.* guardrail silently unchecked (exit 0 for a +200% change)."""
    run = _ci(repo, "main", "out", str(repo / "a.yaml"), "--fail-if", "diff.monthly_cost_pct > 10")
    assert run.returncode == 1, run.stderr
    comment = (repo / "out" / "comment.md").read_text(encoding="utf-8")
    assert "### LLM cost diff: Alpha\n\n`a.yaml` · HTML report: `a.html`" in comment
    assert "diff.monthly_cost_pct (Luna, the cheapest) is 200" in comment


def test_a_name_git_quotes_on_stdin_is_found(repo: Path) -> None:
    """git diff --name-only prints 'équipe chat.yaml' as '"\\303\\251quipe chat.yaml"' (core.quotePath), as the
    shipped workflows pipe it in: 'file not found, here or at main', exit 2, for a file that is there."""
    _write(repo, "équipe chat.yaml", "Equipe", 1000)
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "a team's scenario")
    _write(repo, "équipe chat.yaml", "Equipe", 3000)
    listed = subprocess.run(
        ["git", "diff", "--name-only", "main"], cwd=repo, env=ENV, capture_output=True, text=True, check=True
    ).stdout
    assert '"\\303\\251quipe chat.yaml"' in listed.splitlines()  # what git prints
    run = _ci(repo, "main", "out", stdin=listed)
    assert run.returncode == 0, run.stderr
    comment = (repo / "out" / "comment.md").read_text(encoding="utf-8")
    assert "### LLM cost diff: Equipe\n\n`équipe chat.yaml` · HTML report: `équipe chat.html`" in comment
    assert (repo / "out" / "équipe chat.html").is_file()


def test_a_byte_order_mark_before_the_names_on_stdin_is_no_part_of_a_name(repo: Path) -> None:
    """qa23: names piped with a UTF-8 byte-order mark (PowerShell's pipes) read the first as '\\ufeffa.yaml':
    'file not found', exit 2, for a file that is there (the mark is invisible in the message)."""
    _write(repo, "a.yaml", "Alpha", 3000)
    run = _ci(repo, "main", "out", stdin="\ufeffa.yaml\r\n")
    assert run.returncode == 0, run.stderr
    assert "`a.yaml` · HTML report: `a.html`" in (repo / "out" / "comment.md").read_text(encoding="utf-8")


def test_a_guardrail_that_does_not_apply_to_one_scenario_is_said_so(repo: Path) -> None:
    """qa10 finding 9: a shared guardrail naming an option one scenario lacks stopped that scenario's run (exit 2),
    and the comment said 'costcalc could not read' a file that was read fine; it now says which it was."""
    (repo / "b.yaml").write_text(SCENARIO.format(name="Beta", rpd=1000).replace("name: Luna", "name: Sol"))
    (repo / "c.yaml").write_text(SCENARIO.format(name="Gamma", rpd=1000).replace("kind: api", "kind: apii"))
    run = _ci(repo, "main", "out", "a.yaml", "b.yaml", "c.yaml", "--fail-if", "monthly_cost[Luna] > 1000000")
    assert run.returncode == 2, run.stderr
    comment = (repo / "out" / "comment.md").read_text(encoding="utf-8")
    assert (
        ":x: costcalc could not check a guardrail on `b.yaml` (exit 2):\n- --fail-if: guardrail 'monthly_cost"
        in comment
    )
    assert ":x: costcalc could not cost `c.yaml` (exit 2):\n- c.yaml:5: options\\[Luna\\].kind" in comment
    assert "could not read" not in comment and "### LLM cost diff: Alpha" in comment


def test_the_footer_names_the_artifact_it_is_given_and_no_other(repo: Path) -> None:
    """qa10 finding 7: the footer named GitHub's `costcalc-report` artifact on every CI; it names the artifact
    `--artifact` gives (the examples pass theirs), else the folder the reports are in."""
    run = _ci(repo, "main", "out", "a.yaml", "--artifact", "costcalc report")
    assert run.returncode == 0, run.stderr
    comment = (repo / "out" / "comment.md").read_text(encoding="utf-8")
    assert comment.endswith("\n_HTML reports are attached to this CI run as the `costcalc report` artifact._\n")
    run = _ci(repo, "main", "out", "a.yaml")
    comment = (repo / "out" / "comment.md").read_text(encoding="utf-8")
    assert comment.endswith("\n_HTML reports are in this CI job's `out/` folder._\n") and "artifact" not in comment


def test_a_run_that_stops_or_is_killed_leaves_no_earlier_comment(repo: Path) -> None:
    """qa10 finding 8: comment.md was written at the end and an earlier run's stayed until then, so a run killed
    midway (a CI timeout) or stopped by an error in a reused OUT_DIR left the last run's comment for the workflow to
    post as this one's. Now it is removed first and the new one written whole."""
    import signal

    out = repo / "out"
    assert _ci(repo, "main", "out", "a.yaml").returncode == 0
    assert (out / "comment.md").is_file()
    stopped = _ci(repo, "mian", "out", "a.yaml")  # a mistyped base: exit 2 before costing anything
    assert stopped.returncode == 2 and not (out / "comment.md").exists()
    assert _ci(repo, "main", "out", "a.yaml").returncode == 0
    run = subprocess.Popen(
        [sys.executable, "-m", "costcalc", "ci", "main", "out", "a.yaml", *TODAY],
        cwd=repo,
        env=ENV,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        start_new_session=True,  # its own process group: the kill takes the costcalc runs it started too
    )
    try:
        assert run.stderr is not None
        for line in run.stderr:  # costing a.yaml has begun
            if line.startswith("== a.yaml"):
                break
        os.killpg(run.pid, signal.SIGKILL)
    finally:
        run.wait(timeout=60)
    assert not (out / "comment.md").exists()
    assert not list(out.glob(".comment.md.*"))


def test_a_scenario_named_comment_never_writes_the_comments_file(repo: Path) -> None:
    """qa16: comment.yaml's section went to out/comment.md while the run went on, so a run killed after it (a CI
    timeout) left a comment.md, marked as the comment, for the workflow to post. It is out/comment-2.md now."""
    import signal

    _write(repo, "comment.yaml", "Named comment", 1000)
    done = _ci(repo, "main", "out", "comment.yaml")
    assert done.returncode == 0, done.stderr
    out = repo / "out"
    assert sorted(p.name for p in out.iterdir()) == ["comment-2.html", "comment-2.md", "comment.md"]
    assert "`comment.yaml` · HTML report: `comment-2.html`" in (out / "comment.md").read_text(encoding="utf-8")
    run = subprocess.Popen(
        [sys.executable, "-m", "costcalc", "ci", "main", "out", "comment.yaml", "a.yaml", *TODAY],
        cwd=repo,
        env=ENV,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        assert run.stderr is not None
        for line in run.stderr:  # comment.yaml's section is written; a.yaml's has begun
            if line.startswith("== a.yaml"):
                break
        os.killpg(run.pid, signal.SIGKILL)
    finally:
        run.wait(timeout=60)
    assert not (out / "comment.md").exists()


def test_an_empty_out_dir_is_refused_before_anything_is_removed_or_written(repo: Path) -> None:
    """qa18: `costcalc ci main "$OUT"` with $OUT unset removed ./comment.md (an earlier run's, it took it for) and
    wrote the comment and the reports into the working folder, exit 0."""
    (repo / "comment.md").write_text("the team's own notes\n", encoding="utf-8")
    run = _ci(repo, "main", "", stdin="a.yaml\n")
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr == (
        "error: OUT_DIR: empty folder name; give a folder for comment.md and the HTML reports (is the variable that"
        " names it set?)\n"
    )
    assert (repo / "comment.md").read_text(encoding="utf-8") == "the team's own notes\n"
    assert sorted(p.name for p in repo.iterdir()) == [".git", "a.yaml", "comment.md", "gone.yaml"]


def test_a_scenario_named_twice_is_costed_once(repo: Path) -> None:
    """qa18: a.yaml named twice (stdin's list and a './' spelling) was costed twice: two identical sections in the
    comment, both pointing at a-2.html, and no a.html."""
    run = _ci(repo, "main", "out", stdin="a.yaml\n./a.yaml\na.yaml\n")
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in (repo / "out").iterdir()) == ["a.html", "a.md", "comment.md"]
    comment = (repo / "out" / "comment.md").read_text(encoding="utf-8")
    assert comment.count("### ") == 1 and "HTML report: `a.html`" in comment
