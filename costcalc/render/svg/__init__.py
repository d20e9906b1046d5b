"""Hand-written SVG charts (no JS, no fonts, no network): cost vs volume, cumulative cost, breakdown, tornado.

One module per chart (cost_volume, cumulative, breakdown, tornado) and per building block (canvas, scales, axes,
labels, legends, colors, savings). The same code draws the HTML report's charts and `costcalc chart`'s files. Every
label is placed with text widths from render/text_metrics, so labels do not overlap each other, the markers or the
edges.
"""
