"""Why the GPU and model catalogs date their rows but set them no age limit, as the price tables do."""

from __future__ import annotations

# A price moves with its market, so a price row is stale past its table's limit (pricing/freshness.csv). A spec is
# fixed for the product it describes: a product that changes is another product and gets a row of its own. Each
# catalog (a costcalc/catalog/*.csv file) says why here, and every place that lists its rows says so.
NO_AGE_LIMIT: dict[str, str] = {
    "gpus": (
        "a card's datasheet figures are fixed for that card (another memory size or clock is another card, with a row"
        " of its own); idle W is a measured reading, which the row's notes name and date"
    ),
    "models": (
        "an architecture is its checkpoint's config.json, fixed for that release (a changed architecture is another"
        " checkpoint, with a row of its own)"
    ),
}
AS_OF_MEANS = "the date of the row's source or the day its figures were read"
SHORT = "a spec: no age limit"  # beside a spec row's date where a report cites it


def age_note(catalog: str) -> str:
    """'No age limit, unlike prices: <why>; as of is <what the date means>.' for a catalog's listing."""
    return f"No age limit, unlike prices: {NO_AGE_LIMIT[catalog]}; as of is {AS_OF_MEANS}."
