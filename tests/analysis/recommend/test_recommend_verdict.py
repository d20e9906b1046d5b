"""recommend's verdict (analysis/recommend/verdict.py) when nothing in the search met the SLO with a price."""

from __future__ import annotations

from costcalc.analysis.recommend.verdict import verdict


def test_no_candidate_says_so_and_names_only_the_api() -> None:
    v = verdict((), None, None, None, "USD", 1e9, (1000, 200))
    assert v.cheapest_self_hosted is None and v.break_even_tokens_per_month is None
    assert v.lines == ("No configuration in the search meets the SLO with a price: see the exclusions.",)
