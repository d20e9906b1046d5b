"""sensitivity's tornado keeps each input's low and high values at 80 columns: the input's name wraps narrower to
leave room for them (it dropped 'Low → high' and named it under the table), and a value from a million on is
written in words ('24B → 36B', not '24,000,000,000 → 36,000,000,000'); the swing, which follows from the two
outcomes, gives way first."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from costcalc.cli import app
from costcalc.render.sensitivity import input_value, input_values

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TODAY = ["--today", "2026-12-05"]


def _table(example: str, columns: int) -> list[str]:
    result = CliRunner().invoke(app, ["sensitivity", str(EXAMPLES / example), *TODAY], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= columns
    return lines


@pytest.mark.parametrize("example", ["startup-chatbot.yaml", "nightly-batch.yaml", "coding-assistant.yaml"])
def test_the_low_and_high_values_stay_at_80_columns(example: str) -> None:
    lines = _table(example, 80)
    header = next(line for line in lines if line.startswith("Input "))
    assert "Low → high" in header and "At low" in header and "At high" in header
    note = " ".join(lines[lines.index(next(x for x in lines if x.startswith("Not shown at 80"))) :])
    assert "Low → high" not in note and "Swing" in note


def test_large_values_are_written_in_words() -> None:
    row = next(line for line in _table("nightly-batch.yaml", 80) if line.startswith("Tokens per month"))
    assert " 24B → 36B " in row
    assert (
        input_value(24e9),
        input_value(1_440_000.0),
        input_value(32_000.0),
        input_value(0.5276),
        input_value(float("nan")),
    ) == (
        "24B",
        "1.44M",
        "32,000",
        "0.5276",
        "-",
    )


def test_a_terminal_too_narrow_for_them_still_names_them() -> None:
    lines = _table("startup-chatbot.yaml", 66)
    assert "Low → high" not in next(line for line in lines if line.startswith("Input "))
    assert "Not shown at 66 columns: Low → high, Swing, Effect (low | high)" in " ".join(lines)


def test_a_wide_terminal_keeps_every_column() -> None:
    header = next(line for line in _table("startup-chatbot.yaml", 160) if line.startswith("Input "))
    assert all(name in header for name in ("Low → high", "At low", "At high", "Swing", "Effect (low | high)"))


def test_a_skipped_inputs_source_url_links_whole_on_a_terminal() -> None:
    """qa17: `COLUMNS=80 costcalc sensitivity examples/coding-assistant.yaml` in a terminal folds the skipped input's
    vLLM source URL after a '/' (as every message does) but its pieces carried no link; each now links (OSC 8) to the
    whole address, and in a pipe (no color) the text is the plain wrapped note as before."""
    import datetime as dt

    import costcalc
    from costcalc.render.sensitivity import render_table
    from costcalc.render.wrapping import wrap

    root = Path(__file__).resolve().parents[2]
    frame = costcalc.sensitivity(root / "examples" / "coding-assistant.yaml", today=dt.date(2026, 12, 7))
    (skipped,) = [s for s in frame.attrs["skipped"] if "https://github.com/vllm-project/vllm/blob/" in s]
    url = skipped[skipped.index("https://") :].split(")")[0]
    plain = render_table(frame, width=80)
    assert "\n".join(wrap(f"skipped: {skipped}", 80)) in plain
    shown = render_table(frame, width=80, color=True)
    assert shown.count(f";{url}\x1b") >= 2  # each piece of the folded address links to the whole of it


def test_each_input_is_written_in_its_unit() -> None:
    """internal-assistant's tornado read '3.432 → 5.148' for a GPU's price per hour, '96 → 144' for an engineer's
    hourly rate, '0.24 → 0.36' for the share of input cached and '0.0048 → 0.0072' for a price per 1M tokens: no unit,
    and four digits where a price has two; each now reads in the unit its field's name gives."""
    text = "\n".join(_table("internal-assistant.yaml", 120))
    for values in (
        "$3.43 → $5.15",  # a GPU's price per hour
        "$96 → $144",  # an engineer's hourly rate: whole dollars both, not '$96.00 → $144'
        "24% → 36%",  # the share of input cached
        "0.8% → 1.2%",  # growth a month
        "$0.24 → $0.36",  # an input price per 1M tokens
        "$0.0048 → $0.0072",  # a cached-input price per 1M tokens, not '$0.00 → $0.01'
        "19,200 → 28,800",  # requests per day, a count as before
    ):
        assert f" {values} " in text, values


def test_input_values_by_unit() -> None:
    nan = float("nan")
    assert input_values((3.432, 5.148), "options[A].hardware.hourly_usd") == ["$3.43", "$5.15"]
    assert input_values((0.2141, 0.2139), "options[A].prices.input_usd_per_mtok") == ["$0.2141", "$0.2139"]
    assert input_values((228_000.0, 342_000.0), "options[A].hardware.price_usd") == ["$228,000", "$342,000"]
    assert input_values((0.68, 0.95), "workload.cached_input_share") == ["68%", "95%"]
    assert input_values((0.12, 0.18), "options[A].discount") == ["12%", "18%"]
    assert input_values((0.79, 1.2653), "options[A].throughput.scale") == ["0.79x", "1.27x"]
    assert input_values((nan, 2.0), "options[A].hardware.min_replicas") == ["-", "2"]
    assert input_values((0.8, nan), "options[A].batch_share") == ["80%", "-"]
    assert input_values((1.6, 2.4), "workload.peak_to_average") == ["1.6", "2.4"]
    assert input_values((0.008, 0.012), "options[A].prices.cached_input_usd_per_mtok") == ["$0.008", "$0.012"]
    assert input_values((0.005, 10.0), "options[A].prices.input_usd_per_mtok") == ["$0.005", "$10"]


@pytest.mark.parametrize(
    "example", ["startup-chatbot.yaml", "nightly-batch.yaml", "coding-assistant.yaml", "internal-assistant.yaml"]
)
def test_the_effect_bars_stay_at_120_columns(example: str) -> None:
    """Values written with their units ('$0.0048 → $0.0072', two characters wider than '0.0048 → 0.0072') pushed the
    'Effect (low | high)' bars out at 120 columns for three of the four examples; the input's name wraps at 38, not 40,
    and the bars stay."""
    text = " ".join(_table(example, 120))
    assert "Effect (low" in text and "Not shown at 120 columns: Effect" not in text
