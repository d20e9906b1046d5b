"""The report as one self-contained HTML page: inline CSS and SVG charts, no scripts, no network, printable."""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING

from costcalc.render import chart as charts
from costcalc.render.chart import break_even_markers  # noqa: F401  (re-exported: callers place markers with it)
from costcalc.render.escape import kept_whole, xml_prose
from costcalc.render.escape import xml as escape
from costcalc.render.horizon import horizon_headers, horizon_note, horizon_rows
from costcalc.render.numbers import money, share, tokens
from costcalc.render.report_cells import KINDS, OVER_CAP, cost_lines, instances, versus
from costcalc.render.svg.colors import option_colors
from costcalc.render.svg.legends import legend
from costcalc.render.warning_places import placed
from costcalc.report.result import OptionResult, Result
from costcalc.report.tie import tie_notes
from costcalc.words import counted

if TYPE_CHECKING:
    from costcalc.analysis.curves import CostCurves
    from costcalc.report.guardrails import Outcome

CSS = """
:root{color-scheme:light}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;background:#fff}
main{max-width:980px;margin:0 auto;padding:16px}
h1{font-size:1.5rem;margin:.2em 0}
h2{font-size:1.15rem;margin:1.6em 0 .4em;border-bottom:1px solid #ddd;padding-bottom:.2em}
.sub{color:#555;margin:0 0 .8em}
.verdict{background:#f3f7fb;border-left:4px solid #0072B2;padding:.6em 1em;margin:1em 0}
.verdict ul,.warnings ul{margin:.3em 0;padding-left:1.2em}
.headline{margin:.2em 0 .5em}
details#sources{margin:1.6em 0}details#sources summary{font-weight:600;cursor:pointer}
.warnings{background:#fff6e5;border-left:4px solid #E69F00;padding:.6em 1em;overflow-wrap:anywhere}
.tripped{background:#fdecea;border-left:4px solid #C62828;padding:.6em 1em}
.table-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{padding:.35em .5em;border-bottom:1px solid #e4e4e4;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;white-space:nowrap}table.options:not(.horizon) th.num{white-space:normal}
td.be,th.be{white-space:normal;min-width:7em}
td.costs{min-width:11em;white-space:nowrap}
tr.cheapest td{font-weight:600;background:#eef8f1}
tr.tied td{font-weight:600;background:#fff8e1}
.tie-note{display:block;font-weight:400;font-size:.82rem;color:#8a5a00}
.held{display:block;font-size:.82rem;color:#555}
figure{margin:1em 0;break-inside:avoid;page-break-inside:avoid}
figure svg{display:block;width:100%;height:auto;max-width:100%}
.narrow{display:none}
figcaption{color:#555;font-size:.88rem}
.legend{list-style:none;padding:0;margin:.3em 0;display:flex;flex-wrap:wrap;gap:.3em 1.2em;font-size:.88rem}
.swatch{display:inline-block;width:.9em;height:.9em;border-radius:2px;margin-right:.35em;vertical-align:-.1em}
.sources li{word-break:break-word;overflow-wrap:anywhere;font-size:.88rem}
.nb{white-space:nowrap}
footer{color:#777;font-size:.8rem;margin:2em 0 1em}
@media (max-width:600px){body{font-size:14px}main{padding:10px}
  .wide{display:none}.narrow{display:block}
  table.options thead{display:none}
  table.options,table.options tbody,table.options tr,table.options td{display:block;width:100%}
  table.options tr{border:1px solid #e4e4e4;border-radius:6px;margin:0 0 .6em;padding:.3em .5em}
  table.options td{border:0;padding:.15em 0;text-align:right;white-space:normal;overflow-wrap:anywhere}
  table.options td::before{content:attr(data-label);float:left;font-weight:400;color:#555;margin-right:1em;text-align:left}
  table.options td.name{text-align:left;font-weight:600;font-size:1.05em}
  table.options td.name::before{content:none}}
@media print{body{font-size:11pt}main{max-width:none;padding:0}a{color:inherit;text-decoration:none}
  .table-wrap{overflow:visible}h2{break-after:avoid}}
"""


SOURCES_TITLE = "Assumptions, sources and dates"  # the folded section at the page's end
FREE_CAPTION = " A cost of $0 (a free option) lies on the $0 line under the axis break."  # render/svg/cost_volume.py


def dates_where(*, details: bool = False) -> str:
    """Where the page shows the price dates: its folded sources at the end."""
    return f"under {SOURCES_TITLE} at the end"


def _break_even_text(result: Result, name: str) -> str:
    be = result.headline_break_even(name)
    if be is None:
        return "-"
    if be.tokens_per_month is None:
        return "never"
    text = f"{tokens(be.tokens_per_month)} tok/mo"
    if be.payback_months is not None:
        text += f", payback month {be.payback_months}"
    return text


def _cost_lines(option: OptionResult, currency: str) -> str:
    """The three largest cost lines, as the terminal and Markdown spell them, one a line, each amount kept beside the
    last word of its label ('uncached' over 'input $73' in a narrow cell, not 'uncached input' over '$73')."""
    lines = (line.rpartition(" ") for line in cost_lines(option, currency, count=3))
    return "<br>".join(f"{escape(label)}&nbsp;{escape(amount)}" for label, _, amount in lines)


def _options_table(result: Result) -> str:
    head = (
        f"<tr><th>Option</th><th class='hide-narrow'>Kind</th><th class='num'>Monthly ({result.currency})</th>"
        f"<th class='num'>{result.currency}/1M tokens</th><th class='hide-narrow'>Largest cost lines</th>"
        "<th class='num hide-narrow'>Replicas / GPUs / util.</th><th class='num be'>Break-even vs API</th></tr>"
    )
    rows = []
    cur = escape(result.currency)
    notes = tie_notes(result)  # the tied options, worded as the headline words the tie
    for o in result.ranked:
        sizing = f"{o.replicas:,} / {o.gpus:,} / {share(o.utilisation)}" if o.kind == "self_hosted" else "-"
        if o.instances is not None:
            sizing += f"<span class='held'>in {escape(instances(o))}</span>"
        classes = [c for c, on in (("cheapest", o.name == result.cheapest), ("tied", o.name in notes)) if on]
        cls = f" class='{' '.join(classes)}'" if classes else ""
        said = notes.get(o.name) or (OVER_CAP if versus(result, o) == OVER_CAP else None)  # as the other formats
        note = f"<span class='tie-note'>{xml_prose(said)}</span>" if said else ""
        rows.append(
            f"<tr{cls} data-option='{escape(o.name)}'><td class='name'>{xml_prose(o.name)}{note}</td>"
            f"<td class='hide-narrow' data-label='Kind'>{xml_prose(KINDS[o.kind])}</td>"
            f"<td class='num' data-label='Monthly ({cur})' data-usd='{o.monthly_cost!r}'>"
            f"{money(o.monthly_cost, result.currency)}</td>"
            f"<td class='num' data-label='{cur}/1M tokens'>{money(o.cost_per_million_tokens, result.currency)}</td>"
            f"<td class='hide-narrow costs' data-label='Largest cost lines'>"
            f"{_cost_lines(o, result.currency)}</td>"
            f"<td class='num hide-narrow' data-label='Replicas / GPUs / util.'>{sizing}</td>"
            f"<td class='num be' data-label='Break-even vs API'>{escape(_break_even_text(result, o.name))}</td></tr>"
        )
    return f"<div class='table-wrap'><table class='options'><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table></div>"


def _horizon_table(result: Result) -> str:
    def cell(tag: str, i: int, text: str) -> str:
        cls = "" if i == 0 else " class='num'"
        return f"<{tag}{cls}>{escape(text)}</{tag}>"

    headers = horizon_headers(result)
    head = "".join(cell("th", i, t) for i, t in enumerate(headers))

    def labelled(i: int, text: str) -> str:  # on a phone each row is a card: the name on top, each figure labelled
        if i == 0:
            return f"<td class='name'>{xml_prose(text)}</td>"
        return f"<td class='num' data-label='{escape(headers[i])}'>{escape(text)}</td>"

    rows = ["<tr>" + "".join(labelled(i, c) for i, c in enumerate(r)) + "</tr>" for r in horizon_rows(result)]
    return (
        f"<div class='table-wrap'><table class='options horizon'><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div><p class='sub'>{xml_prose(horizon_note(result))}</p>"
    )


def _verdict(result: Result) -> str:
    """The answer first (the headline, its first sentence in bold), then the details as a list."""
    first, *rest = result.headline or (f"Cheapest now: {result.cheapest}.",)
    lines = [f"<strong>{xml_prose(first)}</strong>", *(xml_prose(line) for line in rest)]
    details = "".join(f"<li>{kept_whole(_code(escape(v)))}</li>" for v in result.verdict)
    return (
        f"<section class='verdict' id='verdict'><p class='headline'>{'<br>'.join(lines)}</p>"
        + (f"<ul>{details}</ul>" if details else "")
        + "</section>"
    )


def _code(escaped: str) -> str:
    """`command` spans of an escaped verdict sentence as <code> (the sentences quote commands in backticks)."""
    import re

    return re.sub(r"`([^`<>]+)`", r"<code>\1</code>", escaped)


def _sources(result: Result) -> str:
    items = [f"<li>{xml_prose(line)}</li>" for line in result.assumptions]
    asof = result.pricing_as_of
    if asof:
        items.append(
            f"<li>Oldest price used is as of {asof.isoformat()} (stale after {result.stale_after_days} days).</li>"
        )
    return f"<ul class='sources'>{''.join(items)}</ul>"


def render(
    result: Result,
    *,
    curves: CostCurves | None = None,
    outcomes: Sequence[Outcome] = (),
    sensitivity: Sequence[tuple[str, float, float]] | None = None,
    sensitivity_base: float | None = None,
    sensitivity_metric: str = "the cheapest option's monthly cost",
    sensitivity_savings: bool = False,
    sections: Sequence[str] = (),
) -> str:
    """One HTML document. `curves` (from costcalc.analysis.curves) adds the cost-versus-volume chart;
    `sensitivity` rows (input, low-case result, high-case result) add a tornado chart (`sensitivity_savings`: the
    result is what self-hosting saves, said in words); `sections` are further
    escaped HTML fragments placed before the assumptions (recommend's "Cheapest configurations")."""
    names = [o.name for o in result.options]
    colors = option_colors(names)
    wl = result.workload
    cheapest = result.option(result.cheapest)
    users = f", {counted(wl.users, 'user')}" if wl.users else ""
    parts = [
        "<!DOCTYPE html>",
        "<html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width,initial-scale=1'>",
        f"<title>LLM cost report: {escape(result.scenario)}</title>",
        f"<style>{CSS}</style></head><body><main>",
        f"<h1>{xml_prose(result.scenario)}</h1>",
        (
            f"<p class='sub'>{wl.requests_per_month:,.0f} requests/month · {tokens(wl.tokens_per_month)} tokens/month"
            f" ({tokens(wl.input_tokens_per_month)} in, {tokens(wl.output_tokens_per_month)} out){users}"
            f" · growth {wl.growth_per_month:.1%}/month · {escape(result.currency)}</p>"
        ),
        _verdict(result),
    ]
    tripped = [o for o in outcomes if o.tripped]
    if outcomes:
        cls = "tripped" if tripped else "verdict"
        parts.append(
            f"<section class='{cls}' id='guardrails'><strong>Guardrails</strong><ul>"
            + "".join(f"<li>{xml_prose(o.describe())}</li>" for o in outcomes)
            + "</ul></section>"
        )
    if result.warnings:
        parts.append(
            "<section class='warnings' id='warnings'><strong>Warnings</strong><ul>"
            + "".join(f"<li>{xml_prose(w)}</li>" for w in placed(result.warnings, dates_where()))
            + "</ul></section>"
        )
    parts += ["<h2>Options</h2>", _options_table(result)]
    parts += [f"<h2>Money over {counted(result.horizon_months, 'month')}</h2>", _horizon_table(result)]
    if curves is not None:
        parts += [
            "<h2>Cost versus volume</h2>",
            "<figure id='cost-volume'>",
            charts.figures(result, "breakeven", curves=curves),
            legend(names, colors),
            (
                "<figcaption>Monthly cost of each option at other monthly volumes (both axes logarithmic). The dashed"
                " line is today's volume; circles mark where an option becomes and stays cheaper than the cheapest"
                f" API.{FREE_CAPTION if charts.free(curves) else ''}</figcaption></figure>"
            ),
        ]
    parts += [
        "<h2>Cumulative cost over the horizon</h2>",
        "<figure id='cumulative'>",
        charts.figures(result, "cumulative"),
        legend(names, colors),
        (
            f"<figcaption>Cash spent by month {result.horizon_months} with {wl.growth_per_month:.1%} monthly growth;"
            " bought hardware is paid up front, so payback is where its line crosses below the API's.</figcaption>"
            "</figure>"
        ),
        "<h2>Cost breakdown</h2>",
        "<figure id='breakdown'>",
        charts.figures(result, "breakdown"),
        "<figcaption>Monthly cost lines at today's volume, each option's total at the end of its bar.</figcaption>"
        "</figure>",
    ]
    if sensitivity:
        base = sensitivity_base if sensitivity_base is not None else cheapest.monthly_cost
        tornado = SimpleNamespace(
            rows=tuple(sensitivity), base=base, metric=sensitivity_metric, savings=sensitivity_savings
        )
        parts += [
            "<h2>Sensitivity</h2>",
            "<figure id='tornado'>",
            charts.figures(result, "tornado", tornado=tornado, title=f"Sensitivity of {sensitivity_metric}"),
            (
                f"<figcaption>{escape(sensitivity_metric[:1].upper() + sensitivity_metric[1:])} when each input"
                " moves to its low and its high case, the others held; the dashed line is the base case."
                "</figcaption></figure>"
            ),
        ]
    parts += list(sections)
    parts += [
        f"<details id='sources'><summary>{SOURCES_TITLE}</summary>",
        _sources(result),
        "</details>",
        (
            f"<footer>costcalc report, schema {escape(result.schema_version)}. Self-contained: no scripts, no external"
            " resources.</footer>"
        ),
        "</main></body></html>",
        "",
    ]
    return "\n".join(parts)
