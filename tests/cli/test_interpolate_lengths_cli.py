"""`--interpolate-lengths` on sweep and simulate: asked for, capacity between grid lengths is read, and said."""

from __future__ import annotations

from pathlib import Path

from tests.support import cli

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "startup-chatbot.yaml"


def test_sweep_says_on_standard_error_where_it_interpolated() -> None:
    args = ("sweep", str(EXAMPLE), "--vary", "workload.input_tokens=1117,1150,1180,1218", "--today", "2026-12-07")
    code, out, err = cli.invoke(*args, "-f", "csv", "--interpolate-lengths")
    assert code == 0, err
    assert "warning: interpolate_lengths: capacity under the SLO at 2 of the 4 values of workload.input_tokens" in err
    code, plain, err = cli.invoke(*args, "-f", "csv")
    assert code == 0 and "interpolat" not in err
    assert out.splitlines()[0] == plain.splitlines()[0]  # the same columns


def test_simulate_notes_it(tmp_path: Path) -> None:
    path = tmp_path / "sampled.yaml"
    path.write_text(
        EXAMPLE.read_text().replace("  output_tokens: 250 ", "  output_tokens: {dist: normal, mean: 250, sd: 20}  ")
    )
    code, out, err = cli.invoke(
        "simulate", str(path), "-n", "100", "--seed", "1", "--today", "2026-12-07", "--interpolate-lengths"
    )
    assert code == 0, err
    assert "note: interpolate_lengths: capacity under the SLO at" in out


def test_a_sweep_of_many_lengths_not_asked_says_so_first(monkeypatch) -> None:
    import costcalc.analysis.length_capacity as lengths

    monkeypatch.setattr(lengths, "HINT_DISTINCT", 3)  # 4 values stand for a sweep of hundreds
    args = ("sweep", str(EXAMPLE), "--vary", "workload.input_tokens=1117,1150,1180,1218", "--today", "2026-12-07")
    code, _, err = cli.invoke(*args, "-f", "json")
    assert code == 0, err
    assert err.startswith("note: 4 distinct values of workload.input_tokens: each is a capacity search")
    code, _, err = cli.invoke(*args, "-f", "json", "--interpolate-lengths")
    assert code == 0 and "distinct values" not in err
