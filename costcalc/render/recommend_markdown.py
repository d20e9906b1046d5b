"""`recommend` as Markdown (a PR comment, a wiki page): the ranked table, the verdict, the frontier, the exclusions."""

from __future__ import annotations

from collections.abc import Sequence

from costcalc.analysis.recommend.result import Candidate, Recommendation
from costcalc.render import recommend_cells as cells
from costcalc.render.escape import markdown
from costcalc.render.numbers import money
from costcalc.render.recommend_table import headline


def _cell(text: str, names: Sequence[str] = ()) -> str:
    """User-visible text in a Markdown line or table cell: escaped (no links, HTML, mentions; the user's `names` in
    it make no code), on one line."""
    return markdown(text, names).replace("\n", " ")


def _names(rec: Recommendation) -> tuple[str, ...]:
    """The user's text that the sentences quote: the scenario's name and its own options' names."""
    return (rec.scenario, *(r.name for r in rec.references))


def _table(header: list[str], rows: list[list[str]], right: set[int], names: Sequence[str] = ()) -> list[str]:
    out = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---:" if i in right else "---" for i in range(len(header))) + "|",
    ]
    out += ["| " + " | ".join(_cell(c, names) for c in row) + " |" for row in rows]
    return out


def _candidates(cands: tuple[Candidate, ...], cur: str, names: Sequence[str]) -> list[str]:
    header = [
        "#",
        "Configuration",
        "Offer",
        f"Monthly {cur}",
        f"{cur}/1M tok",
        "Within band",
        "Replicas / GPUs / util.",
        "Basis",
        "Nearest runs",
        "vs cheapest API",
    ]
    rows = [
        [
            str(c.rank),
            cells.configuration(c),
            cells.offer(c),
            money(c.monthly_cost, cur),
            money(c.cost_per_million_tokens, cur),
            cells.band_range(c, cur),
            cells.sizing(c),
            cells.basis(c),
            cells.nearest_runs(c),
            cells.gap(c, c.gap_to_cheapest_api, cur),
        ]
        for c in cands
    ]
    return _table(header, rows, {0, 3, 4, 5, 6, 9}, names)


def render(rec: Recommendation) -> str:
    """Markdown text ending in a newline."""
    cur = rec.currency
    head = headline(rec)
    names = _names(rec)
    out = [f"### {_cell(head[0], names)}", "", _cell(head[1], names), "", _cell(head[2], names), ""]
    if rec.candidates:
        out += _candidates(rec.candidates, cur, names) + [""]
    out += ["**Verdict**", ""] + [f"- {_cell(line, names)}" for line in rec.verdict.lines]
    if rec.verdict.tie is not None:
        out += ["", "Measure the leading two:", "", "```sh", *rec.verdict.tie.measure, "```"]
    if rec.pareto:
        out += ["", "**Cost versus latency (Pareto frontier)**", ""]
        rows = [
            [
                str(c.rank),
                cells.configuration(c),
                f"`{cells.offer(c)}`",
                money(c.monthly_cost, cur),
                cells.latency(c.throughput.ttft_p95_ms),
                cells.latency(c.throughput.tpot_p95_ms),
            ]
            for c in rec.pareto
        ]
        out += _table(["#", "Configuration", "Offer", f"Monthly {cur}", "TTFT p95", "TPOT p95"], rows, {0, 3, 4, 5})
        out += ["", _cell(rec.pareto_note, names)]
    if rec.excluded:
        out += ["", "**Excluded (configuration × offer pairs)**", ""]
        out += _table(
            ["Reason", "Count", "For example"],
            [[e.reason, f"{e.count:,}", e.example or ""] for e in rec.excluded],
            {1},
            names,
        )
    out += ["", "**Notes**", ""] + [f"- {_cell(n, names)}" for n in rec.notes]
    return "\n".join(out) + "\n"
