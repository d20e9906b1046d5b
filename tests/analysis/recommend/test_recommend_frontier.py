"""The cost-versus-latency frontier (analysis/recommend/frontier.py): each configuration at its cheapest offer, kept
when no cheaper one starts answering as fast; the shown set without repeats."""

from __future__ import annotations

from types import SimpleNamespace

from costcalc.analysis.recommend.frontier import pareto, unique


def _costed(key: str, offer: str, usd: float, ttft: float | None) -> SimpleNamespace:
    return SimpleNamespace(
        config=SimpleNamespace(key=(key,)),
        offer=SimpleNamespace(id=offer),
        usd=usd,
        basis=SimpleNamespace(ttft_p95_ms=ttft),
    )


def test_a_point_stays_only_when_no_cheaper_one_is_as_fast() -> None:
    ranked = [  # cheapest first, as the search ranks them
        _costed("a", "o1", 100.0, 900.0),
        _costed("b", "o1", 150.0, 950.0),  # dearer and slower than a: dropped
        _costed("a", "o2", 160.0, 900.0),  # a's dearer offer: not a configuration of its own
        _costed("c", "o1", 200.0, 400.0),
        _costed("d", "o1", 250.0, None),  # no TTFT at capacity: not on the frontier
    ]
    assert [(c.config.key[0], c.offer.id) for c in pareto(ranked)] == [("a", "o1"), ("c", "o1")]


def test_unique_keeps_the_first_of_each_configuration_and_offer() -> None:
    a, b = _costed("a", "o1", 100.0, 900.0), _costed("b", "o1", 150.0, 950.0)
    again = _costed("a", "o1", 100.0, 900.0)
    assert unique([a, b, again]) == [a, b]
