"""Off-peak share from the workload's hours, its time zone and the provider's peak windows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from costcalc.analysis.run import analyze
from costcalc.errors import InputError
from costcalc.pricing.book import PriceBook
from costcalc.pricing.schema import ApiPrice
from costcalc.pricing.windows import parse
from costcalc.resolve.prices import peak_share

WINDOWS = "mon-fri 01:00-04:00 06:00-10:00"
WINTER = dt.date(2026, 12, 7)  # Berlin is UTC+1
SUMMER = dt.date(2026, 7, 6)  # Berlin is UTC+2


def test_a_flat_profile_gives_the_share_of_peak_hours_in_a_week() -> None:
    # 7 peak hours on each of 5 weekdays = 35 of 168 hours
    assert peak_share(parse(WINDOWS), None, "UTC", WINTER) == pytest.approx(35 / 168)


def test_traffic_inside_the_windows_is_peak_on_weekdays_only() -> None:
    profile = tuple(1.0 if 6 <= h < 10 else 0.0 for h in range(24))
    assert peak_share(parse(WINDOWS), profile, "UTC", WINTER) == pytest.approx(5 / 7)


def test_the_time_zone_moves_local_hours_onto_the_utc_windows() -> None:
    local_7_to_11 = tuple(1.0 if 7 <= h < 11 else 0.0 for h in range(24))
    # winter: local 07-11 = UTC 06-10, all peak on weekdays; summer: UTC 05-09, 3 of 4 hours peak
    assert peak_share(parse(WINDOWS), local_7_to_11, "Europe/Berlin", WINTER) == pytest.approx(5 / 7)
    assert peak_share(parse(WINDOWS), local_7_to_11, "Europe/Berlin", SUMMER) == pytest.approx(5 / 7 * 3 / 4)


def test_a_window_across_midnight_counts_both_sides() -> None:
    assert peak_share(parse("daily 16:30-00:30"), None, "UTC", WINTER) == pytest.approx(8 / 24)


def _book() -> PriceBook:
    book = PriceBook(on=WINTER)
    book.add(
        "api",
        [
            ApiPrice(
                id="ds/m",
                provider="ds",
                model="m",
                input_usd_per_mtok=1.0,
                output_usd_per_mtok=2.0,
                off_peak_input_usd_per_mtok=0.5,
                off_peak_output_usd_per_mtok=1.0,
                batch_input_usd_per_mtok=0.5,
                batch_output_usd_per_mtok=1.0,
                peak_hours_utc=WINDOWS,
                source="https://ds.test/pricing",
                as_of=dt.date(2026, 11, 20),
            )
        ],
        "shipped",
    )
    return book


def _scenario(**option: Any) -> dict[str, Any]:
    return {
        "version": 1,
        "name": "off-peak",
        "horizon_months": 1,
        "workload": {"requests_per_day": 1000, "input_tokens": 1000, "output_tokens": 500},
        "options": [{"name": "DS", "kind": "api", "model": "ds/m", **option}],
    }


def _full_price() -> float:
    return 1000 * 730 / 24 * (1000 * 1.0 + 500 * 2.0) / 1e6  # every request at the peak price


def test_the_derived_share_bills_off_peak_requests_at_half_and_says_so() -> None:
    result = analyze(_scenario(), prices=_book(), today=WINTER)
    off = 133 / 168
    assert result.options[0].monthly_cost == pytest.approx(_full_price() * (1 - off / 2))
    (note,) = [a for a in result.assumptions if "of requests off-peak" in a]
    assert note.startswith("DS: 79.2% of requests off-peak, derived from a flat profile in UTC")


def test_an_explicit_off_peak_share_wins() -> None:
    result = analyze(_scenario(off_peak_share=0), prices=_book(), today=WINTER)
    assert result.options[0].monthly_cost == pytest.approx(_full_price())
    assert [a for a in result.assumptions if "off_peak_share 0 as given" in a]


def test_batch_requests_are_not_counted_off_peak() -> None:
    result = analyze(_scenario(batch_share=0.5), prices=_book(), today=WINTER)
    off = 133 / 168 * 0.5  # the non-batch half of the requests, split by the hours
    expected = _full_price() * (1 - 0.5 / 2 - off / 2)  # batch and off-peak are both half price
    assert result.options[0].monthly_cost == pytest.approx(expected)


def test_an_unknown_time_zone_is_refused() -> None:
    scenario = _scenario()
    scenario["workload"]["timezone"] = "Mars/Olympus"
    with pytest.raises(InputError, match="unknown time zone 'Mars/Olympus'"):
        analyze(scenario, prices=_book(), today=WINTER)


def test_each_month_is_placed_in_utc_at_its_own_offset_as_the_zone_changes_its_clocks() -> None:
    """audit19: the share came from the report day's offset for every month, so a Berlin office day costed in
    December kept its winter share through the summers (internal-assistant's DeepSeek: $19,555 over 36 months where
    each month's own offset gives $19,812), and the same scenario reported in July cost every month at the summer's."""
    scenario = _scenario()
    scenario["horizon_months"] = 12
    local_7_to_11 = [1.0 if 7 <= h < 11 else 0.0 for h in range(24)]
    scenario["workload"].update(hourly_profile=local_7_to_11, timezone="Europe/Berlin")
    result = analyze(scenario, prices=_book(), today=WINTER)
    bills = result.timeline.monthly_cost["DS"]  # type: ignore[union-attr]
    # winter: local 07-11 = UTC 06-10, all peak on weekdays; summer: UTC 05-09, 3 of 4 hours peak
    winter, summer = (_full_price() * (1 - (1 - peak) / 2) for peak in (5 / 7, 5 / 7 * 3 / 4))
    starts = [dt.date(2026 + (11 + m) // 12, (11 + m) % 12 + 1, 7) for m in range(12)]  # Dec 7, Jan 7, ..., Nov 7
    in_summer = [dt.date(2027, 4, 1) <= d < dt.date(2027, 11, 1) for d in starts]  # Apr 7 .. Oct 7 start in CEST
    assert bills == pytest.approx([summer if s else winter for s in in_summer])
    assert result.options[0].monthly_cost == pytest.approx(winter)  # month 1, the report day's
    (note,) = [a for a in result.assumptions if "months that start in" in a]
    assert note == (
        "DS: 46.4% of requests off-peak in the 7 of 12 months that start in Europe/Berlin's summer time (UTC+02:00,"
        " month 1 UTC+01:00), 28.6% in the others; the bill follows month by month"
    )
