"""Pan et al. (arXiv 2509.18101 v3): 36 break-even months of owned GPUs against four APIs, reproduced through analyze.

Source: Guanzhong Pan, Vishal Chodnekar, Abinas Roy, Haibo Wang, "A Cost-Benefit Analysis of On-Premise Large
Language Model Deployment: Breaking Even with Commercial LLM Services", arXiv:2509.18101 v3 (11 Nov 2025),
https://arxiv.org/html/2509.18101v3 . Inputs: Table I (API prices), Table III (GPUs, hardware cost, token capacity
per month); outputs: Table IV (break-even months). The paper's model (eqs. 1-7) is t* = C_hardware /
(C_API(Q) - C_electricity): hardware bought once, a monthly electricity bill, and the API charged for the same
monthly token volume Q as the local box produces, one third input and two thirds output.

How the paper's inputs become a costcalc scenario (the same for every case; no case has its own adjustment):
- workload: tokens_per_month = Table III's capacity, 1 input : 2 output tokens, flat (peak_to_average 1);
- API: Table I's prices; owned: bought at Table III's cost, whole (one server of the replica's GPUs), no residual,
  no hosting, labour, cost of capital or discounting, as the paper has none of them;
- electricity: v3 prints no monthly figure, and Table II's watts do not reproduce Table IV; the paper's table
  "Hardware and Capacity Analysis (Electricity at $0.15/kWh)" (in the copy listing v1's authors) gives it per
  configuration: $7.92 a month per A100, $13.20 per RTX 5090. costcalc takes watts, so each GPU draws the
  constant power that gives that bill over costcalc's 730-hour month at $0.15/kWh and PUE 1 (7.92 / (730 h ×
  $0.15/kWh) = 72.3 W per A100). That is a test parameterisation of the paper's dollar figure, not a claim
  about the hardware;
- life 72 months and a 72-month horizon: the paper has no useful life, and Kimi-K2 against GPT-5 pays back in
  month 70, past a 60-month life (which costcalc would rightly refuse to report as a payback);
- three of the nine models (GLM-4.5-Air, EXAONE 4.0 32B, Magistral Small) are not in costcalc's catalog: a
  catalog model of similar size that fits the same GPUs names them. With throughput and power given, the model
  enters no cost line; it only has to fit the hardware.

Compared: each break-even entry's payback_months_exact (cash, with the month's fraction) against Table IV.
Table IV prints one decimal (three cells two), so rounding allows ±0.05 month; the tolerance is 0.06 because one
cell, Kimi-K2 against Claude-4 Opus, does not round from the paper's own formula: 240,000 / (27,879.50 - 126.72)
= 8.648 months, printed 8.7. Our 36 figures equal the paper's formula to 1e-9 (checked below), so the gaps are
the paper's rounding. Not tested: the Gemini 2.5 Pro column. Table I prices Gemini as GPT-5 ($1.25 in, $10 out),
yet every Gemini cell is 8-10% lower than its GPT-5 cell; the paper's own inputs cannot give them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from costcalc.api import analyze
from costcalc.pricing.book import PriceBook
from costcalc.units import HOURS_PER_MONTH

TODAY = dt.date(2026, 12, 5)
BOOK = PriceBook.load(use_cache=False, on=TODAY)
USD_PER_KWH = 0.15  # Table III's caption
TOLERANCE_MONTHS = 0.06  # Table IV's rounding (±0.05), and its one cell that does not round (see above)

# Table I, "API Cost (In/Out, USD / 1M tokens)"
APIS = {
    "GPT-5": (1.25, 10.00),
    "Claude-4 Opus": (15.00, 75.00),
    "Claude-4 Sonnet": (3.00, 15.00),
    "Grok-4": (3.00, 15.00),
}

# Table III (model, GPUs, throughput tok/s, hardware USD, token capacity per month) and the electricity column
# (USD a month); the costcalc catalog model that stands for it; Table IV's months for the APIs above, in order.
CASES: list[tuple[str, str, str, int, float, float, float, float, tuple[float, ...]]] = [
    ("Kimi-K2", "kimi-k2", "a100-sxm-80gb", 16, 800, 240_000, 506.9e6, 126.72, (69.3, 8.7, 44.0, 44.0)),
    ("GLM-4.5", "glm-4.5", "a100-sxm-80gb", 6, 400, 90_000, 253.4e6, 47.52, (51.5, 6.5, 32.8, 32.8)),
    ("Qwen3-235B", "qwen3-235b-a22b", "a100-sxm-80gb", 4, 400, 60_000, 253.4e6, 31.68, (34.0, 4.3, 21.8, 21.8)),
    ("gpt-oss-120B", "gpt-oss-120b", "a100-sxm-80gb", 2, 220, 30_000, 139.4e6, 15.84, (30.9, 3.9, 19.8, 19.8)),
    # GLM-4.5-Air (106B, MoE): gpt-oss-120b (117B, MoE) stands in
    ("GLM-4.5-Air", "gpt-oss-120b", "a100-sxm-80gb", 2, 200, 30_000, 126.7e6, 15.84, (34.0, 4.3, 21.8, 21.8)),
    ("Llama-3.3-70B", "llama-3.3-70b", "a100-sxm-80gb", 1, 190, 15_000, 120.4e6, 7.92, (17.8, 2.3, 11.4, 11.4)),
    # EXAONE 4.0 32B: qwen3-32b stands in
    ("EXAONE 4.0 32B", "qwen3-32b", "rtx-5090-32gb", 1, 200, 2_000, 126.7e6, 13.20, (2.26, 0.3, 1.4, 1.4)),
    ("Qwen3-30B", "qwen3-30b-a3b", "rtx-5090-32gb", 1, 180, 2_000, 114.0e6, 13.20, (2.5, 0.3, 1.6, 1.6)),
    # Magistral Small (24B): qwen3-32b stands in
    ("Magistral Small", "qwen3-32b", "rtx-5090-32gb", 1, 150, 2_000, 95.0e6, 13.20, (3.0, 0.4, 1.9, 1.9)),
]


def scenario(
    model: str,
    gpu: str,
    gpus: int,
    tokens_per_s: float,
    hardware_usd: float,
    capacity: float,
    electricity_usd_month: float,
) -> dict[str, Any]:
    """One deployment of Table III against the four APIs of Table I, in the paper's terms (module docstring)."""
    watts_per_gpu = electricity_usd_month / gpus / (HOURS_PER_MONTH * USD_PER_KWH) * 1000
    return {
        "version": 1,
        "name": f"Pan et al. 2025: {model}",
        "horizon_months": 72,
        "workload": {"tokens_per_month": capacity, "input_tokens": 1, "output_tokens": 2, "peak_to_average": 1},
        "options": [
            *(
                {"name": api, "kind": "api", "prices": {"input_usd_per_mtok": i, "output_usd_per_mtok": o}}
                for api, (i, o) in APIS.items()
            ),
            {
                "name": "Owned",
                "kind": "self_hosted",
                "model": model,
                "precision": "fp8",  # Table III: FP8/W8A16
                "hardware": {
                    "gpu": gpu,
                    "gpus_per_replica": gpus,
                    "gpus_per_server": gpus,
                    "acquisition": "buy",
                    "price_usd": hardware_usd,
                    "useful_life_months": 72,
                    "cost_of_capital_per_year": 0,
                },
                # Table III's throughput, as requests of 3 tokens: one replica carries the capacity
                "throughput": {"points": [{"input_tokens": 1, "output_tokens": 2, "requests_per_s": tokens_per_s / 3}]},
                "power": {
                    "idle_w_per_gpu": watts_per_gpu,
                    "max_w_per_gpu": watts_per_gpu,
                    "pue": 1.0,
                    "electricity_usd_per_kwh": USD_PER_KWH,
                },
                "hosting": {"usd_per_kw_month": 0},
            },
        ],
    }


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_break_even_months_of_table_iv(case: tuple[Any, ...]) -> None:
    name, model, gpu, gpus, tokens_per_s, hardware_usd, capacity, electricity, published = case
    result = analyze(
        scenario(model, gpu, gpus, tokens_per_s, hardware_usd, capacity, electricity), prices=BOOK, today=TODAY
    )
    owned = result.option("Owned")
    assert owned.replicas == 1 and owned.capex_upfront == pytest.approx(hardware_usd)
    assert owned.breakdown["energy"] == pytest.approx(electricity)
    months = {be.versus: be.payback_months_exact for be in result.break_even if be.option == "Owned"}
    for (api, (usd_in, usd_out)), paper in zip(APIS.items(), published, strict=True):
        ours = months[api]
        assert ours is not None, (name, api)
        # the paper's eq. 7 from its own inputs: our engine agrees with it exactly ...
        api_usd_month = capacity / 3 * usd_in / 1e6 + 2 * capacity / 3 * usd_out / 1e6
        assert ours == pytest.approx(hardware_usd / (api_usd_month - electricity), rel=1e-9), (name, api)
        # ... and with Table IV to its printed rounding
        assert ours == pytest.approx(paper, abs=TOLERANCE_MONTHS), (name, api, ours, paper)
