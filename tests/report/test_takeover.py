"""What takes over as usage grows: the first month another option stays cheaper, else the break-even volume."""

from __future__ import annotations

from costcalc.report.headline import headline_lines
from costcalc.report.result import BreakEvenResult
from costcalc.report.takeover import find_takeover
from costcalc.report.tie import find_tie
from tests.support.verdict_results import MONTHS, make_option, make_result


def test_growth_takeover_is_the_first_month_it_stays_cheaper() -> None:
    # B dips below A in month 2, is dearer again in month 3, and stays cheaper from month 4
    path = {"A": [100, 105, 110, 116, 122, 128], "B": [101, 100, 115, 110, 110, 110]}
    result = make_result([make_option("A", 100.0), make_option("B", 101.0)], growth=0.05, path=path)
    takeover = find_takeover(result)
    assert takeover is not None and (takeover.option, takeover.versus, takeover.month) == ("B", "A", 4)
    assert takeover.tokens_per_month == 1e9 * 1.05**3
    line = headline_lines(result, find_tie(result), takeover)[2]
    assert line == "At 5% growth a month, B takes over from A around month 4, at 1.16B tokens/month."


def test_within_two_percent_on_the_path_is_no_takeover() -> None:
    path = {"A": [100.0] * MONTHS, "B": [101.0, 99.0, 99.0, 99.0, 99.0, 99.0]}  # only 1% cheaper
    result = make_result([make_option("A", 100.0), make_option("B", 101.0)], growth=0.05, path=path)
    assert find_takeover(result) is None
    assert headline_lines(result, None, None)[2] == (
        "Nothing takes over: A stays the cheapest through month 6 at 5% growth a month."
    )


def test_bought_hardware_takeover_says_its_payback() -> None:
    path = {"API": [100, 110, 120, 130, 140, 150], "Owned": [150, 120, 100, 100, 100, 100]}
    owned = make_option("Owned", 150.0, kind="self_hosted", acquisition="buy")
    be = BreakEvenResult(
        option="Owned", versus="API", tokens_per_month=1.2e9, requests_per_month=1.2e6, payback_months=None, reason=""
    )
    result = make_result([make_option("API", 100.0), owned], growth=0.1, path=path, break_even=(be,))
    takeover = find_takeover(result)
    assert takeover is not None and takeover.bought and takeover.month == 3 and takeover.payback_months is None
    assert headline_lines(result, None, takeover)[2] == (
        "At 10% growth a month, Owned costs less a month than API from around month 3, but its hardware does not"
        " pay back within the 6-month horizon."
    )


def test_without_growth_the_break_even_volume_says_what_takes_over() -> None:
    be = BreakEvenResult(
        option="Hosted", versus="API", tokens_per_month=3e9, requests_per_month=3e6, payback_months=None, reason=""
    )
    result = make_result(
        [make_option("API", 100.0), make_option("Hosted", 500.0, kind="self_hosted")], break_even=(be,)
    )
    takeover = find_takeover(result)
    assert takeover is not None and takeover.month is None and takeover.tokens_per_month == 3e9
    assert headline_lines(result, None, takeover)[2] == (
        "Hosted would take over above 3B tokens/month (3.0x today's); usage is not set to grow."
    )
