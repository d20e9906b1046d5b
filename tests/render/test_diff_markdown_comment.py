"""The diff's Markdown as a pull-request comment: warnings in sight, price ids that can be copied as written."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.support.cli import invoke

SCENARIO = {
    "version": 1,
    "name": "Comment",
    "workload": {"requests_per_day": 50000, "input_tokens": 1500, "output_tokens": 300},
    "options": [{"name": "Luna", "kind": "api", "model": "openai/gpt-6-luna"}],
}


def _diff(tmp_path: Path, today: str, name: str = "Luna") -> str:
    base, head = dict(SCENARIO), dict(SCENARIO)
    head["options"] = [{**SCENARIO["options"][0], "name": name}]  # type: ignore[index]
    head["workload"] = {**SCENARIO["workload"], "requests_per_day": 60000}  # type: ignore[dict-item]
    for file, data in (("base.yaml", base), ("head.yaml", head)):
        (tmp_path / file).write_text(yaml.safe_dump(data), encoding="utf-8")
    code, out, err = invoke(
        "diff", str(tmp_path / "base.yaml"), str(tmp_path / "head.yaml"), "-f", "markdown", "--today", today
    )
    assert code == 0, err
    return out


def test_stale_prices_are_warned_in_sight_not_only_in_the_folded_sources(tmp_path: Path) -> None:
    """`report -f markdown` shows a Warnings list; the diff (what `costcalc ci` posts) hid them in <details>."""
    out = _diff(tmp_path, "2027-09-01")
    before_details = out.split("<details>")[0]
    assert "**Warnings**" in before_details
    assert "- :warning: 1 price older than" in before_details and "openai/gpt-6-luna" in before_details


def test_no_warnings_no_section(tmp_path: Path) -> None:
    assert "**Warnings**" not in _diff(tmp_path, "2026-12-05")


def test_a_price_id_in_a_code_span_is_the_id_as_written(tmp_path: Path) -> None:
    """`openai/gpt-6-luna@2026-10-14` carried an invisible U+2060 after its @: pasted into `costcalc pricing show`
    it was 'no price row'. An @ inside a word mentions no one; one that starts a word still gets the joiner."""
    out = _diff(tmp_path, "2026-12-05", name="@everyone")
    ids = [line for line in out.splitlines() if line.startswith("- api `openai/gpt-6-luna@")]
    assert ids and "\u2060" not in ids[0]
    code, shown, err = invoke("pricing", "show", ids[0].split("`")[1])
    assert code == 0, err
    assert "@everyone" not in out and "@\u2060everyone" in out


def test_the_folded_sources_are_the_reports_own_lines_with_price_ids_in_code(tmp_path: Path) -> None:
    """qa13 item 5: the comment's fold listed only price rows ('Pricing sources and dates'), while the report (terminal,
    HTML, markdown) lists the workload, unit prices, labour, power and GPU catalog lines too. The fold now gives the
    report's own assumption lines, the same list `report -f markdown` folds, with each price row's id in a code span."""
    example = Path(__file__).resolve().parents[2] / "examples" / "startup-chatbot.yaml"
    base = example.read_text(encoding="utf-8")
    head = base.replace("requests_per_day: 40000", "requests_per_day: 60000")
    assert head != base
    (tmp_path / "base.yaml").write_text(base, encoding="utf-8")
    (tmp_path / "head.yaml").write_text(head, encoding="utf-8")
    code, out, err = invoke(
        "diff", str(tmp_path / "base.yaml"), str(tmp_path / "head.yaml"), "-f", "markdown", "--today", "2026-12-06"
    )
    assert code == 0, err
    code, report, err = invoke("report", str(tmp_path / "head.yaml"), "-f", "markdown", "--today", "2026-12-06")
    assert code == 0, err

    def folded(text: str, title: str) -> list[str]:
        block = text.split(f"<details><summary>{title}</summary>")[1].split("</details>")[0]
        return [line for line in block.splitlines() if line.startswith("- ")]

    fold = folded(out, "Sources, price dates and assumptions (HEAD)")
    assert fold[-1] == "- Oldest price used: 2026-09-20"
    ids = [line.split("`")[1] for line in fold if line.split(" ")[2].startswith("`")]
    assert ids == [
        "openai/gpt-6-luna@2026-10-14",
        "anthropic/claude-sonnet-5-5@2026-10-14",
        "google/gemini-4-hydrogen@2026-11-16",
        "groq/gpt-oss-120b@2026-10-14",
        "crusoe/l40s-48gb/on-demand",
        "lambda/1x-h100-sxm/on-demand",
    ]
    as_reported = folded(report, "Sources, price dates and assumptions")[:-1]  # its last: the oldest price's date
    assert [line.replace("`", "") for line in fold[:-1]] == as_reported
    for said in (
        "- Workload (as given): 60,000 requests a day;",
        "- gpt-oss-20b on a rented L40S: GPU rental $1,095 a month = 730 GPU-hours at $1.50 per GPU-hour",
        "- gpt-oss-20b on a rented L40S: labour 8 engineer-hours a month at $110 an hour (as given)",
        "- gpu l40s-48gb (the GPU catalog's memory, bandwidth, TFLOPS and power): as of 2026-11-26 (a spec: no age limit),",
        "- GPT-6 Luna: per 1M tokens $0.10 input, $0.01 cached input, $0.50 output",
    ):
        assert any(line.startswith(said) for line in fold), said


def test_a_stale_row_is_flagged_once_in_the_folded_sources(tmp_path: Path) -> None:
    """A stale row no recorded reason keeps ends its report line '; older than 60 days: stale' (qa17 d41cafa), and
    the comment flagged it again: '...; older than 60 days: stale :warning: stale'. Now the flag replaces the words."""
    out = _diff(tmp_path, "2027-09-01")
    line = next(x for x in out.splitlines() if x.startswith("- api `openai/gpt-6-luna"))
    assert line.endswith("; older than 60 days :warning: stale"), line
    assert line.count("stale") == 1, line
