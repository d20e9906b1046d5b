"""The HTML report's "Cheapest configurations" section (`report --recommend`): an HTML fragment, escaped, no scripts."""

from __future__ import annotations

from costcalc.analysis.recommend.result import Recommendation
from costcalc.render import recommend_cells as cells
from costcalc.render.escape import xml as escape
from costcalc.render.escape import xml_prose
from costcalc.render.numbers import money


def render(rec: Recommendation) -> str:
    """A <section> with the ranked configurations, the verdict and the cost-versus-latency frontier."""
    cur = rec.currency
    head = (
        f"<tr><th class='num'>#</th><th>Configuration / offer</th><th class='num'>Monthly ({escape(cur)})</th>"
        f"<th class='num'>{escape(cur)}/1M tok</th><th class='num'>Within band</th>"
        "<th class='num'>Replicas / GPUs / util.</th><th>Basis</th><th>Nearest runs</th>"
        "<th class='num'>vs best API</th></tr>"
    )
    rows = []
    for c in rec.candidates:
        cls = " class='cheapest'" if c.rank == 1 else ""
        rows.append(
            f"<tr{cls} data-option='{escape(c.name)}'>"
            f"<td class='num' data-label='#'>{c.rank}</td>"
            f"<td class='name'>{xml_prose(cells.configuration(c))}"
            f"<br><small class='offer'>{escape(cells.offer(c))}</small></td>"
            f"<td class='num' data-label='Monthly ({escape(cur)})' data-usd='{c.monthly_cost!r}'>"
            f"{escape(money(c.monthly_cost, cur))}</td>"
            f"<td class='num' data-label='{escape(cur)}/1M tokens'>{escape(money(c.cost_per_million_tokens, cur))}</td>"
            f"<td class='num' data-label='Within band'>{escape(cells.band_range(c, cur))}</td>"
            f"<td class='num' data-label='Replicas / GPUs / util.'>{escape(cells.sizing(c))}</td>"
            f"<td data-label='Basis'>{escape(cells.basis(c))}</td>"
            f"<td data-label='Nearest runs'>{escape(cells.nearest_runs(c))}</td>"
            f"<td class='num' data-label='vs cheapest API'>{escape(cells.gap(c, c.gap_to_cheapest_api, cur))}</td></tr>"
        )
    parts = [
        "<section id='recommend'>",
        "<style>#recommend .offer{font-weight:400;color:#555;overflow-wrap:anywhere}"
        "#recommend th{white-space:normal;vertical-align:bottom}#recommend td.name{min-width:15em}"
        "@media (max-width:600px){#recommend td.name{min-width:0}}</style>",
        "<h2>Cheapest configurations</h2>",
        f"<p class='sub'>{rec.search.candidates:,} configurations with an offer searched"
        f" ({escape(', '.join(rec.search.models))}); {rec.search.simulated_configurations:,} simulated under the SLO."
        " Costs are month 1, as the options above.</p>",
    ]
    if rows:
        parts.append(
            "<div class='table-wrap'><table class='options recommend'><thead>"
            + head
            + "</thead><tbody>"
            + "".join(rows)
            + "</tbody></table></div>"
        )
    parts.append(
        "<div class='verdict'><ul>"
        + "".join(f"<li>{xml_prose(line)}</li>" for line in rec.verdict.lines)
        + "</ul></div>"
    )
    if rec.pareto:
        items = "".join(
            f"<li>#{c.rank} {escape(cells.configuration(c))} ({escape(cells.offer(c))}):"
            f" {escape(money(c.monthly_cost, cur))}/month, TTFT p95 {escape(cells.latency(c.throughput.ttft_p95_ms))}</li>"
            for c in rec.pareto
        )
        parts.append(f"<h3>Cost versus latency</h3><ul>{items}</ul><p class='sub'>{xml_prose(rec.pareto_note)}</p>")
    if rec.excluded:
        items = "".join(f"<li>{xml_prose(e.reason)}: {e.count:,}</li>" for e in rec.excluded)
        parts.append(f"<p class='sub'>Excluded configuration × offer pairs:</p><ul>{items}</ul>")
    parts.append("</section>")
    return "\n".join(parts)
