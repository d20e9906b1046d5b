"""The report's assumptions (analysis/assumptions.py): uncertain inputs in words, stale price rows marked where cited."""

from __future__ import annotations

import datetime as dt

TODAY = dt.date(2026, 12, 5)


def test_the_assumption_counts_uncertain_inputs_in_words() -> None:
    # it read '1 uncertain input(s) at their point values (...); `costcalc simulate` samples them.'
    import costcalc
    from tests.analysis.scenarios import BASE

    text = BASE.replace("hourly_usd: 2.49", "hourly_usd: {dist: triangular, low: 1.5, mode: 2.49, high: 3.5}")
    assumptions = costcalc.analyze(costcalc.load_scenario(text), today=dt.date(2026, 9, 1)).to_dict()["assumptions"]
    said = [a for a in assumptions if "uncertain input" in a]
    assert len(said) == 1 and said[0].startswith("1 uncertain input at its point value (options[")
    assert said[0].endswith("); `costcalc simulate` samples it.")


def test_a_stale_shipped_price_says_why_the_tables_keep_it() -> None:
    # examples/internal-assistant.yaml buys hgx-h100-8gpu-server-2026 (as of 2026-05-04) and uses the data-centre
    # PUE (2026-01-19): the warning said '2 prices older than 120 days: ...' and the price dates only 'as of
    # 2026-05-04, <source>', though pricing/freshness-exceptions.csv records why no newer price replaced each.
    from costcalc.api import analyze
    from costcalc.pricing.book import PriceBook
    from costcalc.pricing.freshness import shipped_record

    data = {
        "version": 1,
        "name": "stale",
        "workload": {"requests_per_day": 7000, "input_tokens": 1000, "output_tokens": 300},
        "options": [
            {"name": "API", "kind": "api", "prices": {"input_usd_per_mtok": 3, "output_usd_per_mtok": 15}},
            {
                "name": "Owned",
                "kind": "self_hosted",
                "model": "llama-3.3-70b",
                "precision": "fp8",
                "hardware": {"gpu": "h100-sxm-80gb", "acquisition": "buy", "offer": "hgx-h100-8gpu-server-2026"},
                "throughput": {"points": [{"input_tokens": 1000, "output_tokens": 300, "requests_per_s": 5}]},
            },
        ],
    }
    res = analyze(data, prices=PriceBook.load(use_cache=False, on=TODAY), today=TODAY)
    server = next(p for p in res.option("Owned").prices if p.id == "hgx-h100-8gpu-server-2026")
    assert server.stale
    reason = shipped_record().exceptions[("hardware", "hgx-h100-8gpu-server-2026")]
    line = next(a for a in res.assumptions if a.startswith("hardware hgx-h100-8gpu-server-2026: as of 2026-05-04"))
    assert line.endswith(f"; older than 120 days, kept: {reason}")
    stale = next(w for w in res.warnings if "older than" in w)
    # the Result's line names no place: each format says where it shows the dates (tests/render/test_warning_places)
    assert stale.endswith("; the price dates say why each is kept")


def test_a_stale_price_says_so_on_the_line_that_cites_it() -> None:
    """A row past its table's limit with no recorded reason (every API row from 2027-01-19: genai-prices 0.2.5 is
    dated 2026-11-19, the limit 60 days) was stale only in the warning; its price line read like a fresh one
    ('api openai/gpt-6-luna@2026-10-14: as of 2026-11-19, <source>'). Now the line says it, on every surface."""
    from pathlib import Path

    from costcalc.api import analyze

    root = Path(__file__).resolve().parents[2]
    result = analyze(root / "examples/startup-chatbot.yaml", today=dt.date(2027, 1, 20))
    luna = next(p for o in result.options for p in o.prices if p.id == "openai/gpt-6-luna@2026-10-14")
    assert luna.stale
    line = next(a for a in result.assumptions if a.startswith("api openai/gpt-6-luna@2026-10-14: as of 2026-11-19, "))
    assert line.endswith("; older than 60 days: stale"), line
    rental = next(a for a in result.assumptions if a.startswith("rental lambda/1x-h100-sxm/on-demand: as of "))
    assert "older than" not in rental, rental  # 117 days old: within its table's 120


def test_an_uncertain_input_set_by_an_override_is_no_longer_said_to_be_at_its_point_value() -> None:
    # `report --set workload.requests_per_day=150000` of a file giving it {dist: ...} said '1 uncertain input at its
    # point value (workload.requests_per_day)' of a value the user set; a Scenario loaded first and analysed with
    # another override still says it
    import costcalc
    from tests.analysis.scenarios import BASE

    text = BASE.replace(
        "requests_per_day: 200000", "requests_per_day: {dist: triangular, low: 1e5, mode: 2e5, high: 4e5}"
    )
    day = dt.date(2026, 9, 1)

    def said(result: costcalc.Result) -> list[str]:
        return [a for a in result.to_dict()["assumptions"] if "uncertain input" in a]

    assert said(costcalc.analyze(text, overrides=["workload.requests_per_day=150000"], today=day)) == []
    loaded = costcalc.load_scenario(text)
    kept = said(costcalc.analyze(loaded, overrides=["horizon_months=6"], today=day))
    assert kept == ["1 uncertain input at its point value (workload.requests_per_day); `costcalc simulate` samples it."]


def test_the_peak_that_sizes_self_hosting_says_where_it_comes_from() -> None:
    # internal-assistant's peak/mean 2.14 is its hourly profile's busiest hour (14) over its mean hour (6.54); the line
    # read '(peak/mean 2.14)' like startup-chatbot's given 3.00, so a reader could not tell a derived figure from a
    # given one, nor that a scenario stating neither is sized at the mean (1.00).
    from costcalc.api import analyze

    def first(workload: dict) -> str:
        data = {
            "version": 1,
            "name": "peak",
            "workload": {"requests_per_day": 7000, "input_tokens": 1000, "output_tokens": 300, **workload},
            "options": [{"name": "API", "kind": "api", "prices": {"input_usd_per_mtok": 3, "output_usd_per_mtok": 15}}],
        }
        return analyze(data, today=TODAY).assumptions[0]

    head = "A month is 730 hours; prices are USD per 1M tokens; self-hosted replicas are sized for the peak"
    assert first({"peak_to_average": 3}) == f"{head} (peak/mean 3.00, as given)."
    profile = [1] * 12 + [4] + [1] * 11  # busiest hour 4, mean hour 27/24
    assert first({"hourly_profile": profile}) == (
        f"{head} (peak/mean 3.56, the hourly profile's busiest hour over its mean hour)."
    )
    assert first({}) == f"{head} (peak/mean 1.00, the default: no peak_to_average or hourly_profile given)."


def test_a_scheduled_price_is_dated_by_its_start_not_as_of_a_later_day() -> None:
    # gemini-3.6-flash doubles on 2027-01-01 (genai-prices 0.2.5, uploaded 2026-11-19); that row's as_of is its start
    # date (pricing/README.md), so a report for 2026-12-07 cited 'as of 2027-01-01, <genai-prices 0.2.5>': a source
    # read 25 days after the report was written. The row in force says 'as of' as before.
    from costcalc.api import analyze

    data = {
        "version": 1,
        "name": "scheduled",
        "workload": {"requests_per_day": 1000, "input_tokens": 1000, "output_tokens": 200},
        "options": [{"name": "Flash", "kind": "api", "model": "google/gemini-3.6-flash"}],
    }
    said = analyze(data, today=dt.date(2026, 12, 7)).assumptions
    cited = [a for a in said if a.startswith("api google/gemini-3.6-flash@")]
    assert len(cited) == 2 and cited[0].startswith("api google/gemini-3.6-flash@2026-10-14: as of 2026-"), cited
    assert cited[1].startswith(
        "api google/gemini-3.6-flash@2027-01-01: scheduled from 2027-01-01 (dated by its start), https://"
    ), cited
    later = analyze(data, today=dt.date(2027, 1, 5)).assumptions
    assert any(a.startswith("api google/gemini-3.6-flash@2027-01-01: as of 2027-01-01, https://") for a in later)
