"""Break-even worked by hand: the volume from which self-hosting STAYS cheaper, never, and payback."""

from __future__ import annotations

import numpy as np
import pytest

from costcalc.api import analyze
from costcalc.engine.breakeven import break_even_volume, break_even_volumes
from costcalc.engine.finance import payback_months, whole_month
from costcalc.engine.self_hosted import SelfHostedPlan, self_hosted_monthly, total
from costcalc.units import HOURS_PER_MONTH, SECONDS_PER_MONTH

FLAT = (1.0,) * 24


@pytest.fixture(params=["table", "scan", "scan in small windows"])
def follow_profile_way(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """follow_profile break-even three ways, which must agree: the table of steps shared by every point, each
    point scanned alone from the top down, and scanned in windows of a few steps (so a scan goes down many times)."""
    import costcalc.engine.breakeven as engine

    if request.param != "table":
        monkeypatch.setattr(engine, "MAX_TABLE_STEPS", 1)
    if request.param == "scan in small windows":
        monkeypatch.setattr(engine, "SCAN_STEPS", (2, 8))
    return str(request.param)


def stepped_plan() -> SelfHostedPlan:
    """One replica carries 1,000 requests/month and costs $1,000/month (1 GPU × 730 h × $1,000/730)."""
    return SelfHostedPlan(
        capacity_requests_per_s=1000 / SECONDS_PER_MONTH,
        gpus_per_replica=1,
        acquisition="rent",
        usd_per_gpu_hour=1000 / HOURS_PER_MONTH,
    )


def self_cost(plan: SelfHostedPlan, volumes: np.ndarray) -> np.ndarray:
    return total(self_hosted_monthly(plan, volumes, peak_factor=1.0, hourly_factors=FLAT))


def test_first_crossing_is_not_the_answer() -> None:
    # API: $1.40 a request. Self-hosted: $1,000 per started 1,000 requests (n replicas = ceil(V / 1,000)).
    #   (0, 1000]:     $1,000 vs 1.4 V → cheaper from 714.29 (first crossing) ...
    #   (1000, 2000]:  $2,000 vs 1.4 V → dearer again just above 1,000; cheaper from 1,428.57 ...
    #   (2000, 3000]:  $3,000 vs 1.4 V → dearer again just above 2,000; cheaper from 2,142.86
    #   (3000, 4000]:  $4,000 vs > $4,200 → cheaper at once, and each later step too ((k+1)·1000 < 1400·k for k ≥ 3).
    # So self-hosting STAYS cheaper from 3,000 / 1.4 = 2,142.857 requests/month.
    plan = stepped_plan()
    be = break_even_volume(plan, 1.4, peak_factor=1.0, hourly_factors=FLAT)
    assert be.requests_per_month == pytest.approx(3000 / 1.4, rel=1e-9)
    # the dips below the API that are NOT the answer
    for cheap_but_not_for_good in (800.0, 1500.0):
        assert self_cost(plan, np.array([cheap_but_not_for_good]))[0] < 1.4 * cheap_but_not_for_good
    assert self_cost(plan, np.array([2001.0]))[0] > 1.4 * 2001.0
    # and from the answer on it stays cheaper
    grid = np.linspace(be.requests_per_month, 50_000, 5001)
    assert np.all(self_cost(plan, grid) <= 1.4 * grid * (1 + 1e-12))


def test_break_even_through_analyze_reports_tokens(base_scenario: dict, today) -> None:
    # Given throughput 5 req/s a replica, peak ×2 → one replica carries 5 × 2,628,000 / 2 = 6,570,000 requests/month.
    # Replica: 730 h × $2 = $1,460; labour $1,000. API: $0.002 a request (1,000 × $1/M + 250 × $4/M).
    # Full-use cost: $1,460 / 6,570,000 = $0.000222 < $0.002, so break-even exists:
    # (0, 6.57M]: $2,460 vs $0.002 V → equal at 1,230,000 requests; later steps add $1,460 per 6.57M requests,
    # and 0.002 × 6.57M = $13,140 > $1,460, so it stays cheaper from 1,230,000 requests = 1.5375e9 tokens.
    res = analyze(base_scenario, today=today)
    be = next(b for b in res.break_even if b.option == "Rented GPUs" and b.versus == "Explicit API")
    assert be.requests_per_month == pytest.approx(2460 / 0.002, rel=1e-9)
    assert be.tokens_per_month == pytest.approx(2460 / 0.002 * 1250, rel=1e-9)
    assert be.payback_months is None  # rented: nothing to pay back
    assert res.winning_now(be)  # 3.04M requests now ≥ 1.23M


def test_never_when_a_full_replica_costs_more_per_request() -> None:
    # Full use: $1,000 / 1,000 requests = $1.00 a request ≥ the API's $0.90 → never.
    be = break_even_volume(stepped_plan(), 0.9, peak_factor=1.0, hourly_factors=FLAT)
    assert be.requests_per_month is None
    assert be.full_use_usd_per_request == pytest.approx(1.0, rel=1e-9)
    assert "fully used replica costs more" in be.reason


def test_never_through_analyze(base_scenario: dict, today) -> None:
    # Rental $2,000/GPU-hour: a replica costs $1.46M a month for 6.57M requests = $0.222 a request > $0.002.
    base_scenario["options"][1]["hardware"]["hourly_usd"] = 2000.0
    res = analyze(base_scenario, today=today)
    be = next(b for b in res.break_even if b.option == "Rented GPUs")
    assert be.tokens_per_month is None
    assert any("never stays cheaper" in line for line in res.verdict)


def test_min_replicas_zero_still_pays_a_whole_started_replica() -> None:
    # min_replicas 0: $0 at no traffic, but the first request starts a $1,000 replica, so the steps of
    # test_first_crossing_is_not_the_answer are unchanged and so is the answer, 3,000 / 1.4.
    plan = SelfHostedPlan(
        capacity_requests_per_s=1000 / SECONDS_PER_MONTH,
        gpus_per_replica=1,
        acquisition="rent",
        usd_per_gpu_hour=1000 / HOURS_PER_MONTH,
        min_replicas=0,
    )
    be = break_even_volume(plan, 1.4, peak_factor=1.0, hourly_factors=FLAT)
    assert be.requests_per_month == pytest.approx(3000 / 1.4, rel=1e-9)


def test_payback_month_is_from_which_cumulative_spend_stays_below() -> None:
    # Bought: $10,000 up front, then $100/month. API: $1,000/month.
    # Cumulative bought after m months: 10,000 + 100 m; API: 1,000 m.
    # Bought ≤ API when 10,000 + 100 m ≤ 1,000 m → m ≥ 11.11 → payback in month 12, 11.11 months from now.
    months = 24
    upfront = np.zeros(months)
    upfront[0] = 10_000.0
    running = np.full(months, 100.0 - 1000.0)  # bought − API
    exact = payback_months(upfront, running)
    assert exact == pytest.approx(10_000 / 900)
    assert exact is not None and whole_month(exact) == 12


def test_payback_none_when_never_within_horizon() -> None:
    upfront = np.zeros(6)
    upfront[0] = 10_000.0
    assert payback_months(upfront, np.full(6, -900.0)) is None


def test_payback_counts_a_repurchase_within_the_horizon() -> None:
    # $10,000 again at the start of month 13: recovered at 11.11 months, dear again from month 13, and
    # recovered for good at 12 + 10,000 / 900 - (12 × 900 - 10,000) / 900 = 22.22 months
    upfront = np.zeros(36)
    upfront[[0, 12]] = 10_000.0
    exact = payback_months(upfront, np.full(36, -900.0))
    assert exact == pytest.approx(20_000 / 900)


def test_payback_through_analyze(base_scenario: dict, today) -> None:
    # One replica of 1 GPU bought for $20,000; 48-month life; no power or hosting cost (0 W, $0/kWh).
    # Cash: $20,000 in month 1; labour $1,000/month thereafter too. API: $6,083.33/month (3,041,666.67 × $0.002).
    # Cumulative bought 20,000 + 1,000 m vs API 6,083.33 m → m ≥ 20,000 / 5,083.33 = 3.93 → payback month 4.
    base_scenario["options"][1] = {
        "name": "Owned",
        "kind": "self_hosted",
        "model": "llama-3.1-8b",
        "hardware": {
            "gpu": "h100-sxm-80gb",
            "acquisition": "buy",
            "price_usd": 20_000,
            "useful_life_months": 48,
        },
        "throughput": {"points": [{"input_tokens": 1000, "output_tokens": 250, "requests_per_s": 5.0}]},
        "power": {
            "idle_w_per_gpu": 0,
            "max_w_per_gpu": 1,
            "pue": 1.0,
            "electricity_usd_per_kwh": 0.0,
        },
        "hosting": {"usd_per_kw_month": 0},  # else the data-centre table's colocation fee applies
        "operations": {"engineer_hours_per_month": 10, "hourly_rate_usd": 100},
    }
    base_scenario["options"] = base_scenario["options"][:2]
    res = analyze(base_scenario, today=today)
    be = next(b for b in res.break_even if b.option == "Owned")
    assert be.payback_months == 4
    assert be.payback_months_exact == pytest.approx(20_000 / (6_083.333333 - 1_000))
    assert res.timeline.cumulative_cash["Owned"][0] == pytest.approx(21_000.0)


def test_follow_profile_with_a_nearly_idle_hour(follow_profile_way: str) -> None:
    # Found by Hypothesis. Load only in hours 22 (4.0) and 23 (0.0039): relative to the mean 0.16683 that is
    # ×23.977 and ×0.0234. Capacity 1 req/s, $1 per GPU-hour, min_replicas 0.
    # Any traffic starts a replica in both hours: 2 × 730/24 h × $1 = $60.83 until hour 22 needs a 2nd replica
    # at 2,628,000 / 23.977 = 109,607 requests. API $3 × 730 / 2,628,000 = $0.000833 a request → equal at
    # $60.83 / $0.000833 = 73,000 requests; from the next step on the API is dearer ($91.25 vs $91.34, ...).
    profile = [0.0] * 22 + [4.0, 0.00390625]
    mean = sum(profile) / 24
    hours = tuple(p / mean for p in profile)
    plan = SelfHostedPlan(
        capacity_requests_per_s=1.0,
        gpus_per_replica=1,
        acquisition="rent",
        usd_per_gpu_hour=1.0,
        min_replicas=0,
        scaling="follow_profile",
    )
    api = 3 * HOURS_PER_MONTH / SECONDS_PER_MONTH
    be = break_even_volume(plan, api, peak_factor=max(hours), hourly_factors=hours)
    assert be.requests_per_month == pytest.approx(73_000.0, rel=1e-9)


def test_follow_profile_through_analyze(base_scenario: dict, today) -> None:
    # 12 quiet hours (1) and 12 busy hours (3): mean 2, factors 0.5 and 1.5. 3,041,666.67 requests/month
    # = 1.1574 req/s mean → 0.5787 req/s quiet, 1.7361 req/s busy; 1 req/s a replica → 1 and 2 replicas.
    # Replica-hours: (12 × 1 + 12 × 2) × 730/24 = 1,095 h × $2 = $2,190 (always-on would be 2 × 730 × $2 = $2,920).
    wl = base_scenario["workload"]
    del wl["peak_to_average"]
    wl["hourly_profile"] = [1.0] * 12 + [3.0] * 12
    rented = base_scenario["options"][1]
    rented["hardware"]["scaling"] = "follow_profile"
    rented["throughput"]["points"][0]["requests_per_s"] = 1.0
    opt = analyze(base_scenario, today=today).option("Rented GPUs")
    assert opt.breakdown["gpu_rental"] == pytest.approx(2190.0)
    assert opt.replicas == 2


def test_min_replicas_zero_prices_the_first_replica() -> None:
    # Found by Hypothesis. Owned replica: $1,000 over 12 months = $83.33/month, labour $1; min_replicas 0;
    # 1 req/s = 2,628,000 requests/month a replica. API: 3 × $83.33 / 2,628,000 = $0.0000951 a request.
    # Any traffic starts the replica: $84.33 vs the API → equal at 84.33 × 2,628,000 / 250 = 886,512 requests;
    # at the next step 2 replicas ($167.67) are already cheaper than the API ($250).
    plan = SelfHostedPlan(
        capacity_requests_per_s=1.0,
        gpus_per_replica=1,
        acquisition="buy",
        price_usd_per_replica=1000.0,
        useful_life_months=12,
        max_w_per_gpu=1.0,
        min_replicas=0,
        labour_usd_per_month=1.0,
    )
    api = 3 * (1000 / 12) / SECONDS_PER_MONTH
    be = break_even_volume(plan, api, peak_factor=1.0, hourly_factors=FLAT)
    assert be.requests_per_month == pytest.approx((1000 / 12 + 1) * SECONDS_PER_MONTH / 250, rel=1e-9)
    assert be.requests_per_month == pytest.approx(886_512.0, rel=1e-9)


def test_verdict_when_today_is_inside_a_dip(base_scenario: dict, today) -> None:
    # The stepped case of test_first_crossing_is_not_the_answer through a scenario: one replica carries
    # 1,000 requests/month (1,000 / 2,628,000 req/s, no peak) for $1,000 (730 h × $1.369863); the API costs
    # $1.40 a request (1,250 tokens × $1,120/M). Today: 1,500 requests/month, inside the dip (1,428.57, 2,000]:
    # self-hosted $2,000 < API $2,100 now, but it stays cheaper only from 2,142.86 requests = 2.68M tokens.
    wl = base_scenario["workload"]
    del wl["peak_to_average"]
    wl["requests_per_day"] = 1500 / (HOURS_PER_MONTH / 24)
    base_scenario["options"] = [
        {
            "name": "API",
            "kind": "api",
            "prices": {"input_usd_per_mtok": 1120.0, "output_usd_per_mtok": 1120.0},
        },
        {
            "name": "Steps",
            "kind": "self_hosted",
            "model": "llama-3.1-8b",
            "hardware": {
                "gpu": "h100-sxm-80gb",
                "acquisition": "rent",
                "hourly_usd": 1000 / HOURS_PER_MONTH,
            },
            "throughput": {
                "points": [
                    {
                        "input_tokens": 1000,
                        "output_tokens": 250,
                        "requests_per_s": 1000 / SECONDS_PER_MONTH,
                    }
                ]
            },
        },
    ]
    res = analyze(base_scenario, today=today)
    assert res.option("Steps").monthly_cost == pytest.approx(2000.0)
    assert res.option("API").monthly_cost == pytest.approx(2100.0)
    be = res.break_even[0]
    assert be.requests_per_month == pytest.approx(3000 / 1.4, rel=1e-9)
    assert not res.winning_now(be)
    assert (
        "Steps is cheaper than API at today's volume, but the next replica step makes it dearer again;"
        " it stays cheaper only above 2.68M tokens/month." in res.verdict
    )


def test_follow_profile_points_at_once_match_each_point_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    # Many points share one table of hourly steps (their capacities differ, so their volumes do): each
    # point's break-even must be the one it gets alone, also when its steps run past the table (then it
    # is scanned on its own) and with min_replicas and purchase blocks differing between points.
    import costcalc.engine.breakeven as engine

    rng = np.random.default_rng(7)
    n = 60
    profile = np.array([1, 1, 1, 1, 1, 2, 4, 8, 12, 14, 14, 13, 10, 12, 14, 14, 12, 9, 5, 3, 2, 2, 1, 1], float)
    hours = tuple(profile / profile.mean())
    for acquisition in ("rent", "buy"):
        plan = SelfHostedPlan(
            capacity_requests_per_s=rng.uniform(0.5, 3.0, n),
            gpus_per_replica=2,
            acquisition=acquisition,
            min_replicas=rng.integers(0, 3, n).astype(float),
            replica_block=rng.integers(1, 4, n).astype(float) if acquisition == "buy" else 1,  # servers bought whole
            scaling="follow_profile",
            usd_per_gpu_hour=rng.uniform(1.0, 4.0, n),
            price_usd_per_replica=60_000.0,
            idle_w_per_gpu=100.0,
            max_w_per_gpu=700.0,
            pue=1.3,
            usd_per_kwh=rng.uniform(0.05, 0.3, n),
            labour_usd_per_month=rng.uniform(0.0, 5_000.0, n),
        )
        api = rng.uniform(0.0005, 0.01, n)
        peak = np.full(n, max(hours))
        together = break_even_volumes(plan, api, peak_factor=peak, hourly_factors=hours)
        monkeypatch.setattr(engine, "MAX_TABLE_STEPS", 40)  # most points now run past the table
        past_table = break_even_volumes(plan, api, peak_factor=peak, hourly_factors=hours)
        monkeypatch.undo()
        alone = np.array(
            [
                break_even_volume(
                    SelfHostedPlan(
                        **{
                            k: (v[i] if isinstance(v, np.ndarray) else v)
                            for k, v in vars(plan).items()  # one point's plan: plain numbers
                        }
                    ),
                    float(api[i]),
                    peak_factor=float(peak[i]),
                    hourly_factors=hours,
                ).requests_per_month
                or np.nan
                for i in range(n)
            ]
        )
        assert 0 < np.isnan(alone).sum() < n  # some points never break even, most do
        np.testing.assert_allclose(together, alone, rtol=1e-12)
        np.testing.assert_allclose(past_table, alone, rtol=1e-12)


def test_follow_profile_hour_so_quiet_that_rounding_delays_its_replica(follow_profile_way: str) -> None:
    # Found by Hypothesis. Load in hours 21 (1.0), 22 (6.0) and 23 (1.03e-8): ×3.43, ×20.57 and ×3.52e-8 the mean.
    # Capacity 1 req/s (2,628,000 a month), $1 per GPU-hour, min_replicas 0; a replica-hour slot is 730/24 h = $30.42.
    # replicas_for rounds up (load − 1e-9), so hour 23 starts a replica only above 1e-9 × 2,628,000 / 3.52e-8
    # = 74,622 requests: below that 2 slots ($60.83), then 3 ($91.25) until hour 22 needs a 2nd replica at
    # 2,628,000 / 20.57 = 127,750 ($121.67). API $4 × 730 / 2,628,000 = $0.0011111 a request: cheaper than
    # $60.83 from 54,750 but dearer again past 74,622 ($91.25 > $82.91); self-hosting stays cheaper from
    # $91.25 / $0.0011111 = 82,125 requests (at 127,750: $121.67 < $141.94, and the gap only grows).
    profile = [0.0] * 21 + [1.0, 6.0, 1.0271817429558742e-08]
    mean = sum(profile) / 24
    hours = tuple(p / mean for p in profile)
    plan = SelfHostedPlan(
        capacity_requests_per_s=1.0,
        gpus_per_replica=1,
        acquisition="rent",
        usd_per_gpu_hour=1.0,
        min_replicas=0,
        scaling="follow_profile",
    )
    api = 4 * HOURS_PER_MONTH / SECONDS_PER_MONTH
    be = break_even_volume(plan, api, peak_factor=max(hours), hourly_factors=hours)
    assert be.requests_per_month == pytest.approx(82_125.0, rel=1e-9)


def test_a_nearly_idle_hour_steps_past_the_ceil_tolerance(follow_profile_way: str) -> None:
    """follow_profile, min_replicas 0: an hour with almost no load gets its first replica only past the engine's
    ceil tolerance (1e-9 of a replica), which for a nearly idle hour is a large volume; break-even sees that step.

    Hours 21 and 22 carry the load (one replica each from the first request: 2 replica-hours a day, 730/24 days
    → $60.83 a month at $1/GPU-hour); hour 23 carries 4.5e-8 of the mean, so its first replica starts near
    175k requests a month. The API costs 8 × 730 / (3 × 2,628,000) = $0.00074074 a request, so self-hosting is
    cheaper from $60.83 / $0.00074074 = 82,125 requests and stays so (the later $91.25 bill is below the API's).
    Without that step the engine said 123,187.5.
    """
    plan = SelfHostedPlan(
        capacity_requests_per_s=3.0,
        gpus_per_replica=1,
        acquisition="rent",
        min_replicas=0,
        usd_per_gpu_hour=1.0,
        scaling="follow_profile",
    )
    profile = [0.0] * 21 + [1.0, 7.75, 1.638985879269424e-08]
    mean = sum(profile) / 24
    hours = tuple(p / mean for p in profile)
    api = 8 * HOURS_PER_MONTH / (3 * SECONDS_PER_MONTH)
    be = break_even_volume(plan, api, peak_factor=max(hours), hourly_factors=hours)
    assert be.requests_per_month == pytest.approx(82_125.0, rel=1e-9)


FLAT_FOLLOW = SelfHostedPlan(
    capacity_requests_per_s=5.0,
    gpus_per_replica=1,
    acquisition="rent",
    usd_per_gpu_hour=2.0,
    labour_usd_per_month=1000.0,
    scaling="follow_profile",
)


def test_follow_profile_break_even_over_an_array_of_api_prices(follow_profile_way: str) -> None:
    # A flat profile: every hour at the mean, one replica carries 5 × 2,628,000 = 13.14M requests a month for
    # 730 h × $2 + $1,000 = $2,460. API $0.002 → 1.23M; $0.001 → 2.46M; $0.0004 → 6.15M; $0.0001 is below a
    # full replica's $1,460 / 13.14M = $0.000111 a request: never. A 2×2 array keeps its shape.
    from costcalc.engine.breakeven import break_even_volumes

    a = np.array([[0.002, 0.001], [0.0004, 0.0001]])
    got = break_even_volumes(FLAT_FOLLOW, a, peak_factor=1.0, hourly_factors=(1.0,) * 24)
    assert got.shape == (2, 2)
    np.testing.assert_allclose(got[0], [1_230_000.0, 2_460_000.0], rtol=1e-9)
    assert got[1, 0] == pytest.approx(6_150_000.0, rel=1e-9) and np.isnan(got[1, 1])
    one = break_even_volume(FLAT_FOLLOW, 0.0004, peak_factor=1.0, hourly_factors=(1.0,) * 24)
    assert one.requests_per_month == pytest.approx(6_150_000.0, rel=1e-9)
    assert one.reason == "self-hosting stays cheaper above this volume"


def test_follow_profile_cheaper_at_every_volume_and_never(follow_profile_way: str) -> None:
    # Free GPUs and no labour: self-hosting costs nothing at any volume, so break-even is 0, "at every volume".
    # At $2 a GPU-hour the one busy hour's replica carries 5 × 3,600 × 730/24 = 547,500 requests a month for
    # $60.83: $0.000111 a request, dearer than an API at $1e-9: never.
    import dataclasses

    plan = dataclasses.replace(FLAT_FOLLOW, labour_usd_per_month=0.0, min_replicas=0)
    hours = (0.0,) * 23 + (24.0,)
    free = dataclasses.replace(plan, usd_per_gpu_hour=0.0)
    be = break_even_volume(free, 1.0, peak_factor=24.0, hourly_factors=hours)
    assert be.requests_per_month == 0.0 and be.reason == "self-hosting is cheaper at every volume"
    never = break_even_volume(plan, 1e-9, peak_factor=24.0, hourly_factors=hours)
    assert never.requests_per_month is None
    assert never.reason == "a fully used replica costs more per token than the API"


def test_follow_profile_api_barely_above_full_use_breaks_even_far_out() -> None:
    # 12 quiet hours at 0.5× the mean and 12 busy ones at 1.5×; capacity 1 req/s (x = requests / 2,628,000 is
    # replica-months of capacity), $1 per GPU-hour, 1 GPU, min_replicas 0, labour $2,000. One replica in one
    # hour of every day costs 730/24 h × $1, so 12 hours cost $365: bill(x) = 2000 + 365 (ceil(x/2) + ceil(3x/2)),
    # a fully used replica $730 per x. API: $730 × (1 + 1e-5) per x, 0.001% dearer.
    # Just after x = 2j (quiet and busy hours step together) the bill is 2000 + 365 (4j + 2) and the API
    # 730.0073 × 2j: self-hosting is dearer by 2730 − 0.0146 j, positive up to j = 186,986 (by $0.0044); the
    # busy-only steps in between are dearer by less (2608.33 − 0.0146 j). So the last dearer step is
    # x = 2 × 186,986, 747,946 hourly steps out, and the bill 2000 + 365 × 747,946 = $273,002,290 meets the API
    # at x = 273,002,290 / 730.0073 = 373,972.000006 → 982,798,416,016 requests a month.
    hours = (0.5,) * 12 + (1.5,) * 12
    plan = SelfHostedPlan(
        capacity_requests_per_s=1.0,
        gpus_per_replica=1,
        acquisition="rent",
        usd_per_gpu_hour=1.0,
        min_replicas=0,
        scaling="follow_profile",
        labour_usd_per_month=2000.0,
    )
    api = HOURS_PER_MONTH * (1 + 1e-5) / SECONDS_PER_MONTH
    be = break_even_volume(plan, api, peak_factor=1.5, hourly_factors=hours)
    assert be.requests_per_month == pytest.approx(982_798_416_016, rel=1e-12)
    assert be.requests_per_month == pytest.approx(273_002_290 / 730.0073 * SECONDS_PER_MONTH, rel=1e-12)
    assert be.reason == "self-hosting stays cheaper above this volume"


def _formula_cases() -> list[tuple[SelfHostedPlan, float, float]]:
    """(plan, API USD per request, peak) for always-on plans: seeded draws of rented and bought replicas (minimum
    replicas up to 40, purchase blocks of 1-3, API 1.1-20× a fully used replica), and an exact tie at a step."""
    import dataclasses

    from costcalc.engine.self_hosted import full_use_cost_per_request

    rng = np.random.default_rng(11)
    cases = []
    for i in range(16):
        buy = i % 2 == 1
        plan = SelfHostedPlan(
            capacity_requests_per_s=float(rng.uniform(0.5, 6.0)),
            gpus_per_replica=int(rng.integers(1, 9)),
            acquisition="buy" if buy else "rent",
            min_replicas=int(rng.integers(0, 41)),
            replica_block=int(rng.integers(1, 4)) if buy else 1,
            usd_per_gpu_hour=float(rng.uniform(0.5, 5.0)),
            price_usd_per_replica=float(rng.uniform(1e4, 3e5)),
            useful_life_months=int(rng.integers(12, 61)),
            idle_w_per_gpu=100.0,
            max_w_per_gpu=700.0,
            usd_per_kwh=float(rng.uniform(0.05, 0.3)),
            labour_usd_per_month=float(rng.uniform(0.0, 8000.0)),
        )
        peak = float(rng.uniform(1.0, 3.0))
        cases.append((plan, float(full_use_cost_per_request(plan, peak, FLAT)) * float(rng.uniform(1.1, 20.0)), peak))
    # 4.78125 req/s × 2,628,000 / 1.125 = 11.169M requests a replica at the peak, $3,650 a month: the API at twice
    # a fully used replica's cost ties with 2 replicas exactly at the first step's end ((k + 1) / k = 2 at k = 1)
    tie = dataclasses.replace(
        SelfHostedPlan(acquisition="rent", capacity_requests_per_s=4.78125, gpus_per_replica=1, usd_per_gpu_hour=5.0),
        min_replicas=2,
    )
    cases.append((tie, 2 * float(full_use_cost_per_request(tie, 1.125, FLAT)), 1.125))
    cases.append((tie, 0.9 * float(full_use_cost_per_request(tie, 1.125, FLAT)), 1.125))  # never: below full use
    return cases


def test_checking_every_step_agrees_with_the_always_on_formula(follow_profile_way: str) -> None:
    # A profile flat at the peak sizes every hour as always-on does, so follow_profile's break-even, which checks
    # the steps one by one (in the table, or scanned from the top down), must give the formula's volume and reason.
    import dataclasses

    for plan, api, peak in _formula_cases():
        formula = break_even_volume(plan, api, peak_factor=peak, hourly_factors=FLAT)
        every_step = break_even_volume(
            dataclasses.replace(plan, scaling="follow_profile"), api, peak_factor=peak, hourly_factors=(peak,) * 24
        )
        assert formula.reason == every_step.reason, plan
        if formula.requests_per_month is None:
            assert every_step.requests_per_month is None
        else:
            assert every_step.requests_per_month == pytest.approx(formula.requests_per_month, rel=1e-9, abs=1e-6)
    reasons = {break_even_volume(p, a, peak_factor=k, hourly_factors=FLAT).reason for p, a, k in _formula_cases()}
    assert reasons == {
        "self-hosting stays cheaper above this volume",
        "a fully used replica costs more per token than the API",
    }


def test_follow_profile_points_cheaper_at_every_volume_beside_points_that_break_even(follow_profile_way: str) -> None:
    # One table of steps for four points (FLAT_FOLLOW's numbers: a replica carries 13.14M requests a month for
    # $1,460 + $1,000 labour): free GPUs and no labour are cheaper at every volume (0); at $0.002 and $0.001 a
    # request the others break even at 1.23M and 2.46M; at $0.0001, below a full replica's $0.000111, never.
    import dataclasses

    plan = dataclasses.replace(
        FLAT_FOLLOW,
        usd_per_gpu_hour=np.array([0.0, 2.0, 2.0, 2.0]),
        labour_usd_per_month=np.array([0.0, 1e3, 1e3, 1e3]),
    )
    api = np.array([0.002, 0.002, 0.001, 0.0001])
    got = break_even_volumes(plan, api, peak_factor=1.0, hourly_factors=(1.0,) * 24)
    np.testing.assert_allclose(got, [0.0, 1_230_000.0, 2_460_000.0, np.nan], rtol=1e-9)


def test_break_even_reports_both_costs_per_request_at_every_point() -> None:
    # the stepped plan: a fully used replica costs $1,000 / 1,000 = $1 a request; the API's $1.40 is echoed back.
    # Over a (2, 2) array of API prices the full-use cost comes back per point, in the prices' shape.
    be = break_even_volume(stepped_plan(), 1.4, peak_factor=1.0, hourly_factors=FLAT)
    assert be.api_usd_per_request == 1.4 and be.full_use_usd_per_request == pytest.approx(1.0, rel=1e-9)
    from costcalc.engine.breakeven import solve_break_even

    volume, case, full_use = solve_break_even(stepped_plan(), np.array([[1.4, 2.0], [0.9, 1.4]]), 1.0, FLAT)
    assert volume.shape == case.shape == full_use.shape == (2, 2)
    np.testing.assert_allclose(full_use, 1.0, rtol=1e-9)
    np.testing.assert_allclose(volume[0], [3000 / 1.4, 1000 / 2.0], rtol=1e-9)  # $2 a request: cheaper from 500


def test_an_api_priced_exactly_at_a_full_replicas_cost_is_never_beaten() -> None:
    # the stepped plan's fully used replica costs exactly $1.00 a request: against an API at $1.00 self-hosting
    # is never cheaper for good (each new replica's start is dearer), so "never"
    be = break_even_volume(stepped_plan(), 1.0, peak_factor=1.0, hourly_factors=FLAT)
    assert be.requests_per_month is None and be.full_use_usd_per_request == 1.0
    assert be.reason == "a fully used replica costs more per token than the API"


def test_follow_profile_plan_fields_of_any_shape_break_even_point_by_point(follow_profile_way: str) -> None:
    # rental prices over a (2, 2) grid, and over 2 points broadcast against 3 API prices: each point's break-even
    # is the one it has alone (FLAT_FOLLOW: $2,460 at $2 a GPU-hour → 1.23M requests at $0.002)
    import dataclasses

    hourly = np.array([[1.0, 2.0], [3.0, 4.0]])
    grid = break_even_volumes(
        dataclasses.replace(FLAT_FOLLOW, usd_per_gpu_hour=hourly), 0.002, peak_factor=1.0, hourly_factors=FLAT
    )
    np.testing.assert_allclose(grid, (730 * hourly + 1000) / 0.002, rtol=1e-9)
    two = dataclasses.replace(FLAT_FOLLOW, usd_per_gpu_hour=np.array([1.0, 2.0]))
    api = np.array([[0.002], [0.001], [0.004]])
    got = break_even_volumes(two, api, peak_factor=1.0, hourly_factors=FLAT)
    assert got.shape == (3, 2)
    np.testing.assert_allclose(got, (730 * np.array([1.0, 2.0]) + 1000) / api, rtol=1e-9)


def test_the_follow_profile_ceiling_by_hand() -> None:
    # FLAT_FOLLOW (1 GPU at $2 an hour, $1,000 labour, min_replicas 1, 24 hours at the mean): one replica in each
    # hour of every day is 24 × 730/24 h × $2 = $1,460, so the bill is at most $2,460 + $1,460 per replica-month
    # of load: high0 = bill(1 spare replica every hour) = $2,460, high1 = one more replica every hour = $1,460
    from costcalc.engine.self_hosted import follow_profile_bill_ceiling

    high0, high1 = follow_profile_bill_ceiling(FLAT_FOLLOW, (1.0,) * 24)
    assert (high0, high1) == (pytest.approx(2_460.0), pytest.approx(1_460.0))


def test_a_replica_starts_where_sizing_rounds_up_not_at_a_whole_replica(follow_profile_way: str) -> None:
    # 1 request/s: a replica carries 2,628,000 requests a month for 730 h × $7 = $5,110, plus $0.00001 of labour;
    # the API at twice the full-use cost, $10,220 / 2,628,000 a request. Sizing adds the second replica only
    # above (1 + 1e-9) × 2,628,000 (CEIL_TOLERANCE): there the bill is $10,220.00001 against the API's
    # $10,220.0000102, cheaper; at exactly 2,628,000 one replica still runs ($5,110.00001 against $10,220). So no
    # start past the first replica's is dearer, and self-hosting stays cheaper from $5,110.00001 / API price =
    # 1,314,000.00257 requests, always-on as well as follow_profile (which checks the steps one by one).
    import dataclasses

    per = 2_628_000.0
    api = 10_220.0 / per
    plan = SelfHostedPlan(
        capacity_requests_per_s=1.0,
        gpus_per_replica=1,
        acquisition="rent",
        min_replicas=0,
        usd_per_gpu_hour=7.0,
        labour_usd_per_month=1e-5,
    )
    assert self_cost(plan, np.array([per]))[0] == pytest.approx(5_110.00001, rel=1e-15)
    second = per * (1 + 1.01e-9)
    assert self_cost(plan, np.array([second]))[0] == pytest.approx(10_220.00001, rel=1e-15)
    assert self_cost(plan, np.array([second]))[0] < api * second
    expected = 5_110.00001 / api
    for scaling in ("always_on", "follow_profile"):
        be = break_even_volume(dataclasses.replace(plan, scaling=scaling), api, peak_factor=1.0, hourly_factors=FLAT)
        assert be.requests_per_month == pytest.approx(expected, rel=1e-12), scaling
        assert be.reason == "self-hosting stays cheaper above this volume"


def test_a_break_even_inside_the_rounding_tolerance_of_the_first_replica(follow_profile_way: str) -> None:
    # Free GPUs and $0.000001 of labour against an API at $1 a request: the labour is paid back at 0.000001
    # requests a month. That is below the first replica's start (CEIL_TOLERANCE × 2,628,000 = 0.0026 requests:
    # no replica runs below it), and from there one free replica costs the same $0.000001, far below the API.
    import dataclasses

    plan = SelfHostedPlan(
        capacity_requests_per_s=1.0, gpus_per_replica=1, acquisition="rent", min_replicas=0, labour_usd_per_month=1e-6
    )
    assert self_cost(plan, np.array([0.002]))[0] == 1e-6
    for scaling in ("always_on", "follow_profile"):
        be = break_even_volume(dataclasses.replace(plan, scaling=scaling), 1.0, peak_factor=1.0, hourly_factors=FLAT)
        assert be.requests_per_month == pytest.approx(1e-6, rel=1e-12), scaling
        assert be.reason == "self-hosting stays cheaper above this volume"


def test_a_bill_that_drops_at_a_step_breaks_even_from_that_step(follow_profile_way: str) -> None:
    # Bought follow_profile replicas at $1,000 a month each (1-month life), 1 kW at full load, $1/kWh, no idle power:
    # energy = 730 × replicas × utilisation, utilisation = volume / (mean replicas running × 2,628,000). 12 hours
    # at 3× the mean and 12 at 0.7×. At V = 4 / 0.7 × 2,628,000 = 15.02M requests the peak hours need 18
    # replicas and the quiet hours step from 4 to 5, so the mean running goes from 11 to 11.5 and the bill drops:
    # $18,000 + 730 × 18 × (4/0.7) / 11 = $24,825.97 just below, / 11.5 = $24,529.19 just above, while the API
    # at $6,200 per 2,628,000/0.7 requests charges $24,800. No later start is dearer (checked below), so
    # self-hosting stays cheaper from that step: (4 + CEIL_TOLERANCE) × 2,628,000 / 0.7.
    per_month = 2_628_000.0
    hours = (3.0,) * 12 + (0.7,) * 12
    plan = SelfHostedPlan(
        capacity_requests_per_s=1.0,
        gpus_per_replica=1,
        acquisition="buy",
        min_replicas=0,
        scaling="follow_profile",
        price_usd_per_replica=1000.0,
        useful_life_months=1,
        max_w_per_gpu=1000.0,
        usd_per_kwh=1.0,
    )
    api = 6200.0 * 0.7 / per_month
    step = (4 + 1e-9) * per_month / 0.7

    def bill(volumes: np.ndarray) -> np.ndarray:
        return total(self_hosted_monthly(plan, volumes, peak_factor=3.0, hourly_factors=hours))

    below, above = bill(np.array([step * (1 - 1e-12), step * (1 + 1e-12)]))
    assert below == pytest.approx(18_000 + 730 * 18 * (4 / 0.7) / 11, rel=1e-9)
    assert above == pytest.approx(18_000 + 730 * 18 * (4 / 0.7) / 11.5, rel=1e-9)
    assert below > api * step > above
    be = break_even_volume(plan, api, peak_factor=3.0, hourly_factors=hours)
    assert be.reason == "self-hosting stays cheaper from the next replica step"
    assert be.requests_per_month == pytest.approx(step, rel=1e-12)
    later = np.linspace(step * (1 + 1e-12), 200 * per_month, 200_001)
    assert np.all(bill(later) <= api * later)


def test_a_replica_carrying_half_a_request_a_month(follow_profile_way: str) -> None:
    # Units are the plan's own: a replica carries 0.5 requests a month for $1 (1 GPU × 730 h × $1/730). Against an
    # API at $5 a request the first replica's start (just above 0) is dearer ($1 against ~$0) and the second's at
    # 0.5 is not ($2 against $2.50), so self-hosting stays cheaper from $1 / $5 = 0.2 requests a month; at $3 a
    # request the second's is dearer ($2 against $1.50) and the third's is not ($3 against $3 + rounding): $2 / $3.
    import dataclasses

    plan = SelfHostedPlan(
        capacity_requests_per_s=0.5 / SECONDS_PER_MONTH,
        gpus_per_replica=1,
        acquisition="rent",
        min_replicas=0,
        usd_per_gpu_hour=1 / HOURS_PER_MONTH,
    )
    for scaling in ("always_on", "follow_profile"):
        one = dataclasses.replace(plan, scaling=scaling)
        for api, expected in ((5.0, 0.2), (3.0, 2 / 3)):
            be = break_even_volume(one, api, peak_factor=1.0, hourly_factors=FLAT)
            assert be.requests_per_month == pytest.approx(expected, rel=1e-12), (scaling, api)


@pytest.mark.parametrize("cells", [7, 12])
def test_the_table_prices_as_many_points_at_once_as_fit_in_its_cells(
    monkeypatch: pytest.MonkeyPatch, cells: int
) -> None:
    # follow_profile points priced from one table in blocks of at most STEP_CELLS points × steps (the memory bound),
    # each block as full as the next point allows (sorted by steps to check), a point needing more steps than a
    # block holds priced alone; whatever the blocks, every point's break-even is the one it has in a single block
    import costcalc.engine.breakeven as engine

    apis = np.array([0.002, 0.001, 0.0004, 0.0003, 0.00025, 0.0002, 0.0015, 0.0005])
    hours = (0.5,) * 12 + (1.5,) * 12
    whole = break_even_volumes(FLAT_FOLLOW, apis, peak_factor=1.5, hourly_factors=hours)
    blocks: list[tuple[np.ndarray, int]] = []
    table = engine._dear_in_table

    def spy(plan, a_per_x, starts, ends, quarter, three_quarters, counts):  # type: ignore[no-untyped-def]
        blocks.append((np.array(counts), ends.size))
        return table(plan, a_per_x, starts, ends, quarter, three_quarters, counts)

    monkeypatch.setattr(engine, "_dear_in_table", spy)
    monkeypatch.setattr(engine, "STEP_CELLS", cells)
    got = break_even_volumes(FLAT_FOLLOW, apis, peak_factor=1.5, hourly_factors=hours)
    np.testing.assert_array_equal(got, whole)
    widths = np.concatenate([counts for counts, _ in blocks])
    assert sorted(widths) == list(widths) and widths.size == apis.size  # every point once, fewest steps first
    # the cases the rule has to handle: with 7 cells a point needs more steps than a block holds, with 12 points share
    assert widths.max() > cells if cells == 7 else max(counts.size for counts, _ in blocks) > 1
    for i, (counts, width) in enumerate(blocks):
        assert width == counts.max()
        assert counts.size == 1 or counts.size * width <= cells
        if i + 1 < len(blocks):  # the next point would not have fit
            assert (counts.size + 1) * blocks[i + 1][0][0] > cells


def test_an_owned_plan_breaks_even_below_its_minimum_replicas() -> None:
    # 10 bought replicas at least, $1,000 a replica-month (1-month life), 1 kW at full load, no idle power, $5/kWh:
    # energy is 730 h × 5 × the replicas' load = $3,650 per replica-month of load (x = requests / 2,628,000). Below
    # 10 replicas' load the bill is $10,000 + $3,650·x; the API at $6,000·x meets it at x = 10,000 / 2,350 = 4.2553,
    # inside the 5th replica's interval, and past it every start is cheaper ($11,000 + $3,650·x at 10 to 11, ...)
    plan = SelfHostedPlan(
        capacity_requests_per_s=1.0,
        gpus_per_replica=1,
        acquisition="buy",
        min_replicas=10,
        price_usd_per_replica=1000.0,
        useful_life_months=1,
        max_w_per_gpu=1000.0,
        usd_per_kwh=5.0,
    )
    per = 2_628_000.0
    assert self_cost(plan, np.array([3 * per]))[0] == pytest.approx(10_000 + 3 * 3_650, rel=1e-12)
    be = break_even_volume(plan, 6_000 / per, peak_factor=1.0, hourly_factors=FLAT)
    assert be.requests_per_month == pytest.approx(10_000 / 2_350 * per, rel=1e-12)
    assert be.reason == "self-hosting stays cheaper above this volume"
    # an API that ties (within half of TIE_TOLERANCE) at the 5th replica's start s5 = (4 + CEIL_TOLERANCE) × per:
    # the 4th's is the last dearer start, and its line meets the API's at s5 (as near as rounding tells)
    from costcalc.engine.breakeven import TIE_TOLERANCE

    s5 = (4 + 1e-9) * per
    api = (10_000 + 3_650 * s5 / per) / s5 * (1 - TIE_TOLERANCE / 2)
    be = break_even_volume(plan, api, peak_factor=1.0, hourly_factors=FLAT)
    assert be.requests_per_month == pytest.approx(s5, rel=1e-11)
    assert be.reason == "self-hosting stays cheaper above this volume"


def test_a_start_dearer_by_less_than_rounding_is_a_tie() -> None:
    # $1,000 a replica-month (a replica: 2,628,000 requests) plus $1,000 labour. The API is priced so that at the
    # third replica's start s3 = 2 × 2,628,000 + CEIL_TOLERANCE × 2,628,000 the bill, $4,000, is dearer by only
    # half of TIE_TOLERANCE: a tie, not dearer. The second replica's start is dearer ($3,000 against ~$2,000), and
    # self-hosting stays cheaper from $3,000 / API price, inside the second replica's interval.
    from costcalc.engine.breakeven import TIE_TOLERANCE

    per = 2_628_000.0
    plan = SelfHostedPlan(
        capacity_requests_per_s=1.0,
        gpus_per_replica=1,
        acquisition="rent",
        min_replicas=0,
        usd_per_gpu_hour=1000 / HOURS_PER_MONTH,
        labour_usd_per_month=1000.0,
    )
    s3 = 2 * per + 1e-9 * per
    api = 4_000 / s3 * (1 - TIE_TOLERANCE / 2)
    assert 0 < self_cost(plan, np.array([s3 * (1 + 1e-12)]))[0] - api * s3 < TIE_TOLERANCE * 4_000
    be = break_even_volume(plan, api, peak_factor=1.0, hourly_factors=FLAT)
    assert be.requests_per_month == pytest.approx(3_000 / api, rel=1e-12)
    assert be.reason == "self-hosting stays cheaper above this volume"


def test_an_api_that_ties_at_the_first_replicas_start_breaks_even_below_it() -> None:
    # $1 a replica-month and $1 labour; the API priced so that at the first replica's start (CEIL_TOLERANCE ×
    # 2,628,000 = 0.002628 requests) the $2 bill is dearer by only half of TIE_TOLERANCE: a tie. Below that start
    # no replica runs and the $1 of labour is paid back at $1 / API price, half the start; every later start is
    # far cheaper than so dear an API.
    from costcalc.engine.breakeven import TIE_TOLERANCE

    plan = SelfHostedPlan(
        capacity_requests_per_s=1.0,
        gpus_per_replica=1,
        acquisition="rent",
        min_replicas=0,
        usd_per_gpu_hour=1 / HOURS_PER_MONTH,
        labour_usd_per_month=1.0,
    )
    start = 1e-9 * 2_628_000.0
    api = 2.0 / start * (1 - TIE_TOLERANCE / 2)
    be = break_even_volume(plan, api, peak_factor=1.0, hourly_factors=FLAT)
    assert be.requests_per_month == pytest.approx(1.0 / api, rel=1e-12)
    assert be.reason == "self-hosting stays cheaper above this volume"


def test_a_scan_prices_a_few_steps_first_and_twice_as_many_each_time_down(monkeypatch: pytest.MonkeyPatch) -> None:
    # FLAT_FOLLOW scanned alone (no table) with SCAN_STEPS (4, 16): 24 hourly steps every 5 × 2,628,000 = 13.14M
    # requests, so 4 steps span 13.14M × 4 / 24 = 2.19M requests and the next window twice that, 4.38M, each
    # from where the last one started. The answer is found in the second: above 12 × 13.14M the busy hours run 19
    # replicas and the quiet ones 7, $730 × 26 + $1,000 = $19,980 a month, which the API at $0.000125 a request
    # reaches at 159.84M; the next start (12.67 × 13.14M, 20 + 7 replicas: $20,710 against $20,805) is cheaper.
    import costcalc.engine.breakeven as engine

    windows: list[tuple[float, float]] = []
    intervals = engine.step_intervals

    def spy(plan, peak, hourly, upto, start=0.0):  # type: ignore[no-untyped-def]
        windows.append((upto, start))
        return intervals(plan, peak, hourly, upto, start)

    monkeypatch.setattr(engine, "step_intervals", spy)
    monkeypatch.setattr(engine, "MAX_TABLE_STEPS", 1)
    monkeypatch.setattr(engine, "SCAN_STEPS", (4, 16))
    hours = (0.5,) * 12 + (1.5,) * 12
    be = break_even_volume(FLAT_FOLLOW, 0.000125, peak_factor=1.5, hourly_factors=hours)
    assert be.requests_per_month == pytest.approx(159_840_000.0, rel=1e-12)
    assert [upto - start for upto, start in windows] == pytest.approx([2_190_000.0, 4_380_000.0], rel=1e-9)
    assert windows[1][0] < windows[0][1] * (1 + 2e-9)  # the second window ends where the first began


def test_the_table_of_unit_steps_covers_as_far_as_its_step_budget() -> None:
    # hourly factors 1 and 2: steps (k + CEIL_TOLERANCE) / f, 3 per unit of x together; a budget of 30 steps covers
    # x up to 30 / 3 = 10 (well below the 100 asked): k = 0..9 for f = 1 and k = 0..19 for f = 2, 30 distinct steps
    from costcalc.engine.breakeven import _unit_steps

    steps, covered = _unit_steps(np.array([1.0, 2.0]), 100.0, 30)
    assert covered == 10.0 and steps.size == 30 and steps.max() < 10.0
    np.testing.assert_allclose(steps[[0, 1, 2, -1]], [0.5e-9, 1e-9, 0.5 + 0.5e-9, 9.5 + 0.5e-9], rtol=1e-12)
    steps, covered = _unit_steps(np.array([1.0, 2.0]), 4.0, 30)  # asked for less than the budget: up to 4
    assert covered == 4.0 and steps.size == 12


def test_always_on_break_even_per_point_of_peaks_and_of_rental_prices(monkeypatch: pytest.MonkeyPatch) -> None:
    # the stepped plan ($1,000 per 1,000 requests at peak 1): at peak 2 a replica carries only 500, $2 a request at
    # full use, dearer than the API's $1.40: never; at peak 1 cheaper from 3,000 / 1.4 (test_first_crossing_...)
    import dataclasses

    from costcalc.engine.breakeven import ALWAYS, ROOT, solve_break_even

    got = break_even_volumes(stepped_plan(), 1.4, peak_factor=np.array([1.0, 2.0]), hourly_factors=FLAT)
    np.testing.assert_allclose(got, [3000 / 1.4, np.nan], rtol=1e-12)
    # free GPUs beside $1,000 ones: cheaper at every volume (no start dearer) beside a break-even, point by point
    plan = dataclasses.replace(stepped_plan(), usd_per_gpu_hour=np.array([0.0, 1000 / HOURS_PER_MONTH]))
    volume, case, _ = solve_break_even(plan, np.asarray(1.4), 1.0, FLAT)
    assert list(case) == [ALWAYS, ROOT]
    np.testing.assert_allclose(volume, [0.0, 3000 / 1.4], rtol=1e-12)
    # solved in blocks of 2 points (the memory bound BLOCK_POINTS keeps), each point once: the same per point
    import costcalc.engine.breakeven as engine

    sizes: list[int] = []
    solve = engine._solve

    def spy(plan, a, peak, hourly):  # type: ignore[no-untyped-def]
        sizes.append(np.size(a))
        return solve(plan, a, peak, hourly)

    monkeypatch.setattr(engine, "_solve", spy)
    monkeypatch.setattr(engine, "BLOCK_POINTS", 2)
    apis = np.array([1.4, 2.0, 0.9, 1.4, 2.0])
    np.testing.assert_allclose(
        break_even_volumes(stepped_plan(), apis, peak_factor=1.0, hourly_factors=FLAT),
        [3000 / 1.4, 500.0, np.nan, 3000 / 1.4, 500.0],
        rtol=1e-12,
    )
    assert sizes == [2, 2, 1]


def test_follow_profile_points_of_two_minimums_one_scanned_alone_one_in_the_table(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # FLAT_FOLLOW's replica: $1,460 per 13.14M requests, + $1,000. Minimum 1 against $0.000112 a request (just above
    # full use): each start k × 13.14M is dearer while $1,460 (k + 1) + $1,000 > $1,471.68 k, up to k = 210, so
    # ($1,460 × 211 + $1,000) / $0.000112 = 2,759.46M; too many steps for a 200-step table, it is scanned alone.
    # Minimum 2 against $0.002: ($1,460 × 2 + $1,000) / $0.002 = 1.96M, from the table of its own minimum.
    import dataclasses

    import costcalc.engine.breakeven as engine

    monkeypatch.setattr(engine, "MAX_TABLE_STEPS", 200)
    plan = dataclasses.replace(FLAT_FOLLOW, min_replicas=np.array([1.0, 2.0]))
    got = break_even_volumes(plan, np.array([0.000112, 0.002]), peak_factor=1.0, hourly_factors=FLAT)
    np.testing.assert_allclose(got, [(1460 * 211 + 1000) / 0.000112, (1460 * 2 + 1000) / 0.002], rtol=1e-12)
