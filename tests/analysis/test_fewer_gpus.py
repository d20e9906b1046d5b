"""A report says when a replica of half an option's GPUs serves more within the SLO than the option's own (polish18
item 4: of 8,259 GPU-count pairs swept, 5 served less with twice the GPUs where the smaller met the SLO: llama.cpp's
llama-3.2-3b on 2 B200s / B300s / GB200s / GB300s, a small model whose split costs more than it saves, and
mi355x-288gb costed as a PCIe card for want of its link figure)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

from costcalc.api import analyze

TODAY = dt.date(2026, 12, 5)
SCENARIO: dict[str, Any] = {
    "version": 1,
    "name": "Small model on two B200s",
    "workload": {
        "requests_per_day": 100000,
        "input_tokens": 1000,
        "output_tokens": 200,
        "slo": {"ttft_p95_ms": 1500, "min_output_tokens_per_s_per_user": 20},
    },
    "options": [
        {"name": "API", "kind": "api", "prices": {"input_usd_per_mtok": 1, "output_usd_per_mtok": 4}},
        {
            "name": "Own",
            "kind": "self_hosted",
            "model": "llama-3.2-3b",
            "engine": "llamacpp",
            "hardware": {"gpu": "b200-sxm-180gb", "gpus_per_replica": 2, "acquisition": "rent", "hourly_usd": 6},
        },
    ],
}


def _with_gpus(n: int) -> dict[str, Any]:
    own = {**SCENARIO["options"][1], "hardware": {**SCENARIO["options"][1]["hardware"], "gpus_per_replica": n}}
    return {**SCENARIO, "options": [SCENARIO["options"][0], own]}


def _line(result: Any) -> str | None:
    return next((w for w in result.warnings if "a replica of" in w), None)


@pytest.fixture
def half_at(monkeypatch: pytest.MonkeyPatch):
    """Replace the capacity of a replica of `gpus` GPUs (full load and within the SLO) by set figures, the others as
    estimated; returns the setter and the calls made at that count."""
    import costcalc.throughput.serving.estimated as estimated

    real = estimated.estimated_capacity
    calls: list[bool] = []
    fake: dict[str, Any] = {}

    def capacity(gpu: Any, model: Any, **kw: Any) -> Any:
        if kw.get("gpu_count") != fake.get("gpus"):
            return real(gpu, model, **kw)
        calls.append(kw["targets"].given)
        full = SimpleNamespace(requests_per_s=fake["full"])
        serving = SimpleNamespace(requests_per_s=fake["rps"], meets_slo=fake["meets"])
        return SimpleNamespace(full_load=full, serving=serving)

    monkeypatch.setattr(estimated, "estimated_capacity", capacity)

    def setter(gpus: int, *, rps: float, full: float, meets: bool = True) -> list[bool]:
        fake.update(gpus=gpus, rps=rps, full=full, meets=meets)
        return calls

    return setter


def test_a_half_replica_serving_more_is_said_with_the_fix(half_at) -> None:
    own = analyze(SCENARIO, today=TODAY).option("Own").throughput.requests_per_s_per_replica
    half_at(1, rps=own * 1.5, full=own * 2)
    line = _line(analyze(SCENARIO, today=TODAY))
    assert line is not None and line.startswith("Own: a replica of 1 GPU serves more within the SLO than one of 2 (")
    assert f"({own * 1.5:,.3g} against {own:,.3g} requests/s, simulated)" in line
    assert line.endswith(
        f"with gpus_per_replica: 1 the same 2 GPUs serve {2 * own * 1.5:,.3g} requests/s as 2 replicas"
    )


def test_no_line_where_the_half_serves_less_and_no_search_where_its_full_load_cannot_win(half_at) -> None:
    own = analyze(SCENARIO, today=TODAY).option("Own").throughput.requests_per_s_per_replica
    calls = half_at(1, rps=own * 0.9, full=own * 2)
    assert _line(analyze(SCENARIO, today=TODAY)) is None and calls == [False, True]
    calls.clear()
    half_at(1, rps=own * 2, full=own * 0.9)  # its capacity is at most its full load: below the option's, no search
    assert _line(analyze(SCENARIO, today=TODAY)) is None and calls == [False]


def test_a_half_meeting_the_slo_where_the_option_misses_it(half_at) -> None:
    data = _with_gpus(2)
    data["workload"] = {**data["workload"], "slo": {"ttft_p95_ms": 1}}  # missed at every load
    own = analyze(data, today=TODAY).option("Own").throughput
    assert not own.meets_slo
    calls = half_at(1, rps=own.requests_per_s_per_replica * 2, full=own.requests_per_s_per_replica * 4, meets=False)
    assert _line(analyze(data, today=TODAY)) is None and calls  # both miss at every load: neither is a capacity
    half_at(1, rps=own.requests_per_s_per_replica / 2, full=own.requests_per_s_per_replica * 4)
    line = _line(analyze(data, today=TODAY))
    assert (
        line is not None
        and f"a replica of 1 GPU meets the SLO at {own.requests_per_s_per_replica / 2:,.3g} requests/s" in line
    )


def test_one_gpu_or_an_odd_count_has_no_half(half_at) -> None:
    assert _line(analyze(_with_gpus(1), today=TODAY)) is None
    calls = half_at(1, rps=1e9, full=1e9)  # a replica of 1 GPU would beat 3: not looked at, 3 has no half
    assert _line(analyze(_with_gpus(3), today=TODAY)) is None and calls == []


def test_recommend_which_searches_gpu_counts_itself_is_not_slowed_by_it(half_at) -> None:
    from costcalc.analysis.run import evaluate
    from costcalc.resolve.book import PriceSource
    from costcalc.scenario.loaders import ScenarioSource

    scenario = ScenarioSource.load(SCENARIO).build()
    first = evaluate(scenario, PriceSource(()), today=TODAY)
    own = first.result.option("Own").throughput.requests_per_s_per_replica
    calls = half_at(1, rps=own * 2, full=own * 4)
    given = {"Own": first.resolved.option("Own").throughput}  # type: ignore[union-attr]
    assert _line(evaluate(scenario, PriceSource(()), today=TODAY, throughputs=given).result) is None
    assert calls == []


def test_the_cli_report_warns_on_two_b200s_for_a_3b_model(tmp_path: Path, half_at) -> None:
    """The line as the command prints it, with stand-in figures for the replica of 1 GPU. As estimated (llama.cpp,
    llama-3.2-3b, 1,000 / 200 tokens, TTFT p95 1.5 s and 20 tokens/s a user) one B200 serves 7.91 requests/s within
    the SLO and two 8.21 pipeline parallel: polish18's 7.57 for two was tensor parallel, the only layout a card on
    NVLink took before every multi-GPU replica could take either (load_cycle.layouts)."""
    from tests.support.cli import invoke

    own = analyze(SCENARIO, today=TODAY).option("Own").throughput.requests_per_s_per_replica
    half_at(1, rps=own * 1.5, full=own * 2)
    path = tmp_path / "b200.yaml"
    path.write_text(yaml.safe_dump(SCENARIO), encoding="utf-8")
    code, _, err = invoke("report", str(path), "--today", TODAY.isoformat())
    assert code == 0, err
    said = f"warning: Own: a replica of 1 GPU serves more within the SLO than one of 2 ({own * 1.5:,.3g} against"
    assert f"{said} {own:,.3g} requests/s" in err


def test_estimate_says_it_too_with_its_own_flag(half_at) -> None:
    """`costcalc estimate --gpus 2` of the same configuration quotes the same two capacities, fixed with --gpus 1."""
    from tests.support.cli import invoke

    own = analyze(SCENARIO, today=TODAY).option("Own").throughput.requests_per_s_per_replica
    half_at(1, rps=own * 1.5, full=own * 2)
    args = ["--gpu", "b200-sxm-180gb", "--model", "llama-3.2-3b", "--engine", "llamacpp", "--input-tokens", "1000"]
    slo = ["--output-tokens", "200", "--ttft-p95-ms", "1500", "--min-output-tokens-per-s-per-user", "20"]
    code, _, err = invoke("estimate", *args, *slo, "--gpus", "2")
    assert code == 0, err
    said = next(line for line in err.splitlines() if "a replica of" in line)
    assert said.startswith(
        f"warning: a replica of 1 GPU serves more within the SLO than one of 2 ({own * 1.5:,.3g} against {own:,.3g}"
    )
    assert said.endswith(f"with --gpus 1 the same 2 GPUs serve {2 * own * 1.5:,.3g} requests/s as 2 replicas")
