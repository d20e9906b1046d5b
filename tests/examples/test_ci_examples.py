"""The CI examples: the YAML parses, every costcalc command and option they run exists, and the script works."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from costcalc.cli import app

CI = Path(__file__).resolve().parents[2] / "examples" / "ci"
SCENARIO = CI / "scenarios" / "support-assistant.yaml"


def _commands(text: str) -> list[list[str]]:
    """Every `costcalc SUB ...` command line in a shell text (continuations joined)."""
    out = []
    for line in text.replace("\\\n", " ").splitlines():
        for m in re.finditer(r"(?:^\s*|[;&|(]\s*)costcalc\s+([a-z][a-z-]*)([^;&|)]*)", line):
            out.append([m.group(1), *shlex.split(m.group(2), comments=True)])
    return out


def _texts_of(name: str) -> list[str]:
    """The shell texts one example runs: the workflow's `run:` steps, or the job's before_script and script lines."""
    doc = yaml.safe_load((CI / name).read_text(encoding="utf-8"))
    if name == "github-actions.yml":
        return [s.get("run", "") for job in doc["jobs"].values() for s in job["steps"]]
    return [
        line
        for job in doc.values()
        if isinstance(job, dict)
        for key in ("before_script", "script")
        for line in job.get(key, [])
    ]


def _run_texts() -> list[str]:
    return _texts_of("github-actions.yml") + _texts_of("gitlab-ci.yml")


def test_github_workflow_parses_and_has_the_pieces():
    wf = yaml.safe_load((CI / "github-actions.yml").read_text(encoding="utf-8"))
    trigger = wf.get("on") or wf.get(True)  # YAML 1.1 reads a bare `on` key as True
    assert "pull_request" in trigger
    assert wf["permissions"]["pull-requests"] == "write"
    steps = [s for job in wf["jobs"].values() for s in job["steps"]]
    uses = {s.get("uses", "").split("@")[0] for s in steps}
    assert {"actions/checkout", "actions/upload-artifact", "actions/github-script"} <= uses
    script = next(s["with"]["script"] for s in steps if s.get("uses", "").startswith("actions/github-script"))
    assert "<!-- costcalc-report -->" in script and "updateComment" in script  # one comment, updated
    assert any("exit 1" in s.get("run", "") for s in steps)


def test_gitlab_job_parses_and_has_the_pieces():
    jobs = yaml.safe_load((CI / "gitlab-ci.yml").read_text(encoding="utf-8"))
    job = jobs["costcalc"]
    assert job["artifacts"]["when"] == "always" and job["artifacts"]["paths"] == ["costcalc-out/"]
    assert any("merge_request_event" in r["if"] for r in job["rules"])
    assert any("<!-- costcalc-report -->" in line and "PUT" in line for line in job["script"])  # one note, updated


def _artifact_name(name: str) -> str:
    """The name a reader finds the HTML reports under: GitHub's upload step's `name`, GitLab's `expose_as`."""
    doc = yaml.safe_load((CI / name).read_text(encoding="utf-8"))
    if name == "github-actions.yml":
        steps = [s for job in doc["jobs"].values() for s in job["steps"]]
        return next(s["with"]["name"] for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    return doc["costcalc"]["artifacts"]["expose_as"]


@pytest.mark.parametrize("name", ["github-actions.yml", "gitlab-ci.yml"])
def test_the_comment_names_the_artifact_this_ci_keeps_the_reports_as(name: str) -> None:
    """qa10 finding 7: the comment's footer named GitHub's `costcalc-report` artifact on GitLab too, which exposes
    the reports as "costcalc report"; each example passes its own artifact's name (the footer's words:
    tests/cli/test_ci_cli.py)."""
    (ci,) = [c for t in _texts_of(name) for c in _commands(t) if c[0] == "ci"]
    assert ci[ci.index("--artifact") + 1] == _artifact_name(name)


@pytest.mark.parametrize("name", ["github-actions.yml", "gitlab-ci.yml"])
def test_copied_elsewhere_it_needs_nothing_from_this_repository(name: str) -> None:
    """No path into this repository, and costcalc from a pinned git URL or a wheel, not an index name."""
    text = (CI / name).read_text(encoding="utf-8")
    doc = yaml.safe_load(text)
    assert "examples/" not in "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    env = doc["env"] if "env" in doc else doc["costcalc"]["variables"]
    spec = env["COSTCALC_SPEC"]
    assert re.fullmatch(r"costcalc @ git\+https://\S+@[\w.-]+", spec) or spec.endswith(".whl"), spec
    assert 'pip install "$COSTCALC_SPEC"' in text and "${COSTCALC_SPEC:-" not in text  # no fallback to a name
    assert any(c[0] == "ci" for t in _run_texts() for c in _commands(t))


def test_every_costcalc_command_and_option_exists():
    commands = [c for text in _run_texts() for c in _commands(text)]
    assert {c[0] for c in commands} == {"ci"}  # the whole step ships inside the package
    for sub, *args in commands:
        help_text = CliRunner().invoke(app, [sub, "--help"], terminal_width=200)
        assert help_text.exit_code == 0, f"costcalc {sub} does not exist"
        for arg in args:
            if arg.startswith("--"):
                assert arg.split("=")[0] in help_text.stdout, f"costcalc {sub} has no option {arg}"


@pytest.mark.parametrize("name", ["github-actions.yml", "gitlab-ci.yml"])
def test_ci_prices_on_the_day_of_the_commit_under_test(name: str, tmp_path: Path) -> None:
    """A re-run on the same commits prices the same day: `costcalc ci` gets --today "$day", and the example's own
    `day=` line gives the tested commit's date, not the day the job runs."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    texts = _texts_of(name)
    (ci,) = [c for t in texts for c in _commands(t) if c[0] == "ci"]
    assert ci[ci.index("--today") + 1] == "$day"
    (line,) = [x.strip() for t in texts for x in t.splitlines() if x.strip().startswith("day=")]
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t"}
    env |= {"GIT_COMMITTER_EMAIL": "t@example.com", "GIT_COMMITTER_DATE": "2027-01-05T23:30:00+00:00"}
    for args in (["init", "-q", "-b", "main"], ["commit", "-q", "--allow-empty", "-m", "change"]):
        subprocess.run(["git", *args], cwd=tmp_path, env=env, check=True, capture_output=True)
    day = subprocess.run(
        ["bash", "-c", f'{line}\necho "$day"'], cwd=tmp_path, env=env, check=True, capture_output=True, text=True
    )
    assert day.stdout.strip() == "2027-01-05"


def test_scripts_are_valid_bash():
    gl = yaml.safe_load((CI / "gitlab-ci.yml").read_text(encoding="utf-8"))["costcalc"]
    for line in [*gl["before_script"], *gl["script"]]:
        subprocess.run(["bash", "-n"], input=line, text=True, check=True)


@pytest.mark.slow
def test_ci_script_on_a_real_git_change(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    (repo / "scenarios").mkdir(parents=True)
    text = SCENARIO.read_text(encoding="utf-8")
    (repo / "scenarios" / "support.yaml").write_text(text, encoding="utf-8")
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "COSTCALC_FAIL_IF": "diff.monthly_cost_pct > 10",
    }

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)

    (repo / "scenarios" / "deleted.yaml").write_text(text, encoding="utf-8")
    git("init", "-q", "-b", "main")
    git("add", ".")
    git("commit", "-q", "-m", "base")
    (repo / "scenarios" / "deleted.yaml").unlink()  # deleted by the change
    # a third more traffic: the cheapest option's bill grows by more than 10%
    (repo / "scenarios" / "support.yaml").write_text(
        text.replace("requests_per_day: 150000", "requests_per_day: 200000"), encoding="utf-8"
    )
    (repo / "scenarios" / "new.yaml").write_text(text.replace("Support assistant", "New one"), encoding="utf-8")
    names = "scenarios/support.yaml\nscenarios/new.yaml\nscenarios/deleted.yaml\n"  # as `git diff --name-only`
    run = subprocess.run(
        [sys.executable, "-m", "costcalc", "ci", "main", "out"],
        input=names,
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert run.returncode == 1, run.stderr
    assert "guardrail failed: diff.monthly_cost_pct (" in run.stderr
    assert " (fail if diff.monthly_cost_pct > 10" in run.stderr
    comment = (repo / "out" / "comment.md").read_text(encoding="utf-8")
    assert comment.count("<!-- costcalc-report -->") == 1
    assert "LLM cost diff: Support assistant" in comment and "New one" in comment
    assert (repo / "out" / "support.html").read_text(encoding="utf-8").count("<svg") == 6  # 3 charts, wide + phone
    assert (repo / "out" / "new.html").is_file()
    assert not list((repo / "scenarios").glob(".costcalc-base-*"))  # the base copy is cleaned up


def test_the_example_scenario_passes_its_own_guardrails_and_they_can_break():
    """Shipped as it is, the example's budgets hold (exit 0): a CI example that fails every pull request
    teaches nothing. Twice the traffic breaks the API budget (exit 1)."""
    runner = CliRunner()
    ok = runner.invoke(app, ["report", str(SCENARIO), "--today", "2026-12-05", "-f", "json"])
    assert ok.exit_code == 0, ok.output
    broken = runner.invoke(
        app,
        ["report", str(SCENARIO), "--today", "2026-12-05", "-f", "json", "--set", "workload.requests_per_day=300000"],
    )
    assert broken.exit_code == 1
    assert "monthly_cost[GPT-6 Luna]" in broken.output


@pytest.mark.parametrize("name", ["github-actions.yml", "gitlab-ci.yml"])
def test_the_examples_list_a_deleted_scenario_so_the_comment_says_so(name: str, tmp_path: Path) -> None:
    """`costcalc ci` notes a scenario the change deleted, but the examples' `git diff --diff-filter=AMR` never listed
    one: a change deleting the only scenario posted 'No scenario file changed.'. Their own `git diff` line, run on a
    real change, lists it (and not a file outside $SCENARIOS)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    (line,) = [x.strip() for t in _texts_of(name) for x in t.splitlines() if "git diff --name-only" in x]
    listing = line.split("|")[0].strip().rstrip("\\").strip()
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t"}
    env |= {"GIT_COMMITTER_EMAIL": "t@example.com", "SCENARIOS": "scenarios/**/*.yaml", "base": "main"}

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, env=env, check=True, capture_output=True)

    (tmp_path / "scenarios" / "team").mkdir(parents=True)
    for path in ("scenarios/gone.yaml", "scenarios/team/kept.yaml", "notes.yaml"):
        (tmp_path / path).write_text("version: 1\n", encoding="utf-8")
    git("init", "-q", "-b", "main")
    git("add", ".")
    git("commit", "-q", "-m", "base")
    git("checkout", "-q", "-b", "change")
    git("rm", "-q", "scenarios/gone.yaml", "notes.yaml")
    (tmp_path / "scenarios" / "team" / "kept.yaml").write_text("version: 1\n# changed\n", encoding="utf-8")
    git("commit", "-q", "-am", "delete one, change one")
    listed = subprocess.run(
        ["bash", "-c", listing], cwd=tmp_path, env=env, check=True, capture_output=True, text=True
    ).stdout.split()
    assert sorted(listed) == ["scenarios/gone.yaml", "scenarios/team/kept.yaml"]


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed (the workflow's script is JavaScript)")
@pytest.mark.parametrize("written", [True, False])
def test_the_workflow_posts_the_comment_or_says_why_there_is_none(written: bool, tmp_path: Path) -> None:
    """The github-script step, run in node with GitHub's objects stubbed: it posts comment.md; when costcalc stopped
    before writing one (a BASE_REF it cannot find, a bad --fail-if or lock: exit 2), readFileSync threw ENOENT and the
    step failed with a stack trace; now it says where the error is."""
    wf = yaml.safe_load((CI / "github-actions.yml").read_text(encoding="utf-8"))
    steps = [s for job in wf["jobs"].values() for s in job["steps"]]
    script = next(s["with"]["script"] for s in steps if s.get("uses", "").startswith("actions/github-script"))
    if written:
        (tmp_path / "costcalc-out").mkdir()
        (tmp_path / "costcalc-out" / "comment.md").write_text("<!-- costcalc-report -->\nhello\n", encoding="utf-8")
    harness = (
        "const said = [];\n"
        "const core = { warning: (m) => said.push('warning: ' + m) };\n"
        "const context = { repo: { owner: 'o', repo: 'r' }, issue: { number: 7 } };\n"
        "const github = { paginate: async () => [], rest: { issues: {\n"
        "  listComments: null, updateComment: async (a) => said.push('update'),\n"
        "  createComment: async (a) => said.push('create ' + a.issue_number + ' ' + JSON.stringify(a.body)) } } };\n"
        f"(async () => {{\n{script}\n}})().then(() => console.log(said.join('\\n')))"
        ".catch((e) => { console.log('threw ' + e.code); process.exit(1); });\n"
    )
    run = subprocess.run(["node", "-e", harness], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    if written:
        assert run.stdout.strip() == 'create 7 "<!-- costcalc-report -->\\nhello\\n"'
    else:
        assert run.stdout.strip() == 'warning: costcalc wrote no comment: its error is in the "Cost report" step'


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed (the job's note step uses it)")
@pytest.mark.parametrize("written", [True, False])
def test_the_gitlab_job_posts_the_note_or_says_why_there_is_none(written: bool, tmp_path: Path) -> None:
    """qa16: the note step, run in bash -eo pipefail with a stub curl: when costcalc stopped before writing a comment
    (exit 2: a base it cannot find, a bad --fail-if or lock), `jq ... < costcalc-out/comment.md` failed with 'No such
    file or directory' and the job ended on that line, not on costcalc's exit; now it says where the error is."""
    job = yaml.safe_load((CI / "gitlab-ci.yml").read_text(encoding="utf-8"))["costcalc"]
    block = next(line for line in job["script"] if "COSTCALC_BOT_TOKEN" in line)
    stub = tmp_path / "bin"
    stub.mkdir()
    (stub / "curl").write_text('#!/bin/sh\necho "$@" >> curl.log\necho "[]"\n', encoding="utf-8")
    (stub / "curl").chmod(0o755)
    if written:
        (tmp_path / "costcalc-out").mkdir()
        (tmp_path / "costcalc-out" / "comment.md").write_text("<!-- costcalc-report -->\nhello\n", encoding="utf-8")
    env = {
        **os.environ,
        "PATH": f"{stub}{os.pathsep}{os.environ['PATH']}",
        "COSTCALC_BOT_TOKEN": "t",
        "CI_API_V4_URL": "https://gitlab.example.com/api/v4",
        "CI_PROJECT_ID": "1",
        "CI_MERGE_REQUEST_IID": "7",
    }
    run = subprocess.run(
        ["bash", "-eo", "pipefail", "-c", block], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    if written:
        assert "-X POST" in (tmp_path / "curl.log").read_text(encoding="utf-8")
    else:
        assert run.stdout.startswith("costcalc wrote no comment: its error is above")
        assert not (tmp_path / "curl.log").exists()
