"""The details under the table (verdict_lines) and the token volumes they write."""

from __future__ import annotations

from costcalc.words import tokens


def test_token_volumes_never_read_in_scientific_notation():
    # the support-assistant chart's last volume tick read '1e+03T' ('{:.3g}' of 1,000)
    assert tokens(1e15) == "1,000T" and tokens(2.5e15) == "2,500T"
    assert tokens(999.6e9) == "1,000B" and tokens(1.2e9) == "1.2B" and tokens(350e6) == "350M" and tokens(12e3) == "12k"


def test_an_option_that_never_stays_cheaper_is_not_also_said_not_to_pay_back() -> None:
    """internal-assistant read 'Llama 3.3 70B on owned H100s never stays cheaper than DeepSeek V4 Flash API: a fully
    used replica costs more per token than the API' and then 'Bought hardware for Llama 3.3 70B on owned H100s does not
    pay back within the 36-month horizon, against DeepSeek V4 Flash API', two rows saying one thing (the table's
    break-even cell says 'never' too); the row went to the published runs that disagree with Qwen3 32B's band. A
    payback that does happen is still said, and so is no payback after a break-even volume (the golden report)."""
    from pathlib import Path

    from costcalc.api import analyze

    result = analyze(Path(__file__).resolve().parents[2] / "examples/internal-assistant.yaml", today="2026-11-26")
    be = next(
        b for b in result.break_even if b.option == "Llama 3.3 70B on owned H100s" and b.versus == result.cheapest
    )
    assert be.tokens_per_month is None and be.payback_reason  # never, and no payback: the JSON keeps its reason
    assert any(line.startswith("Llama 3.3 70B on owned H100s never stays cheaper") for line in result.verdict)
    assert not any("pay back" in line for line in result.verdict)
