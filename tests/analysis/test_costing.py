"""Costing's own pieces: price references (stale by the scenario's limit) and how a built row cites its sources."""

from __future__ import annotations

import datetime as dt

from costcalc.analysis.costing import _citation, _refs
from costcalc.pricing.book import Priced
from costcalc.pricing.schema import ApiPrice

TODAY = dt.date(2026, 12, 5)


def _row(as_of: dt.date, **extra: str) -> ApiPrice:
    return ApiPrice(
        id="acme/m",
        provider="acme",
        model="m",
        input_usd_per_mtok=1.0,
        output_usd_per_mtok=2.0,
        source="https://example.com/prices",
        as_of=as_of,
        **extra,
    )


def test_a_price_is_stale_only_past_the_limit() -> None:
    at_limit = Priced(_row(TODAY - dt.timedelta(days=120)), "shipped")
    past = Priced(_row(TODAY - dt.timedelta(days=121)), "override:scenario")
    refs = _refs((at_limit, past), TODAY, 120)
    assert [r.stale for r in refs] == [False, True]
    assert [r.table for r in refs] == ["api", "api"]
    assert (
        refs[1].origin == "override:scenario"
        and refs[1].id == "acme/m"
        and refs[1].as_of == TODAY - dt.timedelta(days=121)
    )


def test_citation_names_the_upstream_entry_and_the_page_it_cites() -> None:
    plain = _row(TODAY)
    assert _citation(plain) == "https://example.com/prices"
    built = _row(TODAY, upstream_entry="genai-prices acme.yml#m", reference_url="https://acme.example/pricing")
    assert (
        _citation(built) == "https://example.com/prices; genai-prices acme.yml#m; citing https://acme.example/pricing"
    )
    only_page = _row(TODAY, reference_url="https://acme.example/pricing")
    assert _citation(only_page) == "https://example.com/prices; citing https://acme.example/pricing"


def test_the_assumption_counts_uncertain_inputs_in_words() -> None:
    # it read '1 uncertain input(s) at their point values (...); `costcalc simulate` samples them.'
    import costcalc
    from tests.analysis.scenarios import BASE

    text = BASE.replace("hourly_usd: 2.49", "hourly_usd: {dist: triangular, low: 1.5, mode: 2.49, high: 3.5}")
    assumptions = costcalc.analyze(costcalc.load_scenario(text), today=dt.date(2026, 9, 1)).to_dict()["assumptions"]
    said = [a for a in assumptions if "uncertain input" in a]
    assert len(said) == 1 and said[0].startswith("1 uncertain input at its point value (options[")
    assert said[0].endswith("); `costcalc simulate` samples it.")
