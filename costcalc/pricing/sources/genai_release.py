"""genai-prices' published data → api rows for the shipped selection, dated by the upstream.

The default is the newest release on the package index, dated by its upload; a `data.json` in the
repository's v2 format (a mirror) is dated by the server's Last-Modified date or the user's --as-of.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
from dataclasses import replace
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from costcalc.errors import CostcalcError, ExternalError, PricingError
from costcalc.pricing.fetch import FetchConfig, fetch_bytes, fetch_json
from costcalc.pricing.sources import Mapped

DEFAULT_URL = "https://pypi.org/pypi/genai-prices/json"  # the package index's JSON for the latest release
DATA_FILE = "genai_prices/data.py"


def load_release(
    url: str, config: FetchConfig | None, as_of: dt.date | None = None, selection: Path | None = None
) -> tuple[Mapped, str]:
    """Fetch the published data, map the selection's genai-prices lines; (rows, what dates them).

    From a release: the wheel's hash is checked against the index, and every row's as_of is the
    upload date, or the price's own start date when later ('genai-prices 0.2.6, uploaded 2026-12-01').
    """
    from costcalc.pricing.build import genai
    from costcalc.pricing.build.pins import Pin
    from costcalc.pricing.build.pyliteral import read_assignment

    fetched = fetch_json(url, config)
    if isinstance(fetched.payload, list):  # data.json: providers with their models
        day = as_of or fetched.last_modified
        if day is None:
            raise PricingError(
                f"{url} is a genai-prices data.json, which states no date, and the server sent no Last-Modified "
                "header; pass as_of= with the date it was published, or use the default release source",
                param="as_of",
                mentions=("as_of",),
                named=True,
            )
        pin = Pin("genai-prices", "data.json", day, "data.json", "", page=url)
        how = f"--as-of {day.isoformat()}" if as_of else f"the server's Last-Modified date {day.isoformat()}"
        return _map(fetched.payload, pin, selection), f"genai-prices data.json, dated by {how}"
    if as_of is not None:
        raise PricingError(
            "genai-prices releases carry their own upload date; drop as_of=",
            param="as_of",
            mentions=("as_of",),
            named=True,
        )
    version, uploaded, wheel_url, digest = _newest_wheel(fetched.payload, url)
    wheel = fetch_bytes(urljoin(url, wheel_url), config).body
    if hashlib.sha256(wheel).hexdigest() != digest:
        raise ExternalError(f"the genai-prices {version} wheel from {wheel_url} does not match the index's sha256")
    data = _data_file(wheel, version, wheel_url)
    providers = genai.normalize(read_assignment(data.decode("utf-8"), "providers", DATA_FILE))
    pin = Pin("genai-prices", version, uploaded, DATA_FILE, hashlib.sha256(data).hexdigest())
    return _map(providers, pin, selection), f"genai-prices {version}, uploaded {uploaded.isoformat()}"


def _map(providers: list[dict[str, Any]], pin: Any, selection: Path | None) -> Mapped:
    """The selection's genai-prices lines mapped from these providers; entries upstream lacks are counted."""
    from costcalc.pricing.build.assemble import Upstreams, build_choice
    from costcalc.pricing.build.selection import read_selection
    from costcalc.pricing.tables import shipped_dir

    upstreams = Upstreams(genai_providers=providers, litellm={}, genai_pin=pin)
    out = Mapped()
    for choice in read_selection(selection or shipped_dir() / "build" / "selection.csv"):
        if choice.primary != "genai-prices" or not choice.genai_prices:
            continue
        out.seen += 1
        try:
            built = build_choice(replace(choice, litellm=None), upstreams, pin.uploaded)
        except CostcalcError as exc:
            reason = "not in this release" if "has no " in str(exc) else "unusable prices"
            out.skipped[reason] += 1
            continue
        for row in built.rows:
            out.add(row.model_dump())
    return out


def _newest_wheel(index: Any, url: str) -> tuple[str, dt.date, str, str]:
    """(version, upload date, wheel URL, sha256) of the release the index's JSON describes."""
    try:
        version = str(index["info"]["version"])
        files = [f for f in index["urls"] if f.get("packagetype") == "bdist_wheel" and not f.get("yanked")]
        wheel = next(f for f in files if str(f["filename"]).endswith("-py3-none-any.whl"))
        uploaded = dt.datetime.fromisoformat(str(wheel["upload_time_iso_8601"]).replace("Z", "+00:00"))
        return version, uploaded.astimezone(dt.UTC).date(), str(wheel["url"]), str(wheel["digests"]["sha256"])
    except (KeyError, TypeError, ValueError, StopIteration):
        raise ExternalError(
            f"{url} is not the package index's JSON for genai-prices (info.version and a py3 wheel in urls)"
        ) from None


def _data_file(wheel: bytes, version: str, where: str) -> bytes:
    """genai_prices/data.py from the wheel, after checking the wheel names the same version."""
    try:
        with zipfile.ZipFile(BytesIO(wheel)) as archive:
            meta = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
            if f"\nVersion: {version}\n" not in "\n" + archive.read(meta).decode("utf-8", "replace"):
                raise ExternalError(f"the wheel from {where} is not genai-prices {version}")
            return archive.read(DATA_FILE)
    except (zipfile.BadZipFile, KeyError, StopIteration):
        raise ExternalError(f"{where} is not a genai-prices wheel with {DATA_FILE}") from None
