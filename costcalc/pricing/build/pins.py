"""The one place the upstream releases of pricing/api.csv are pinned: version, upload date, data file, hash."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Pin:
    """One upstream release on the package index and the data file costcalc reads from its wheel."""

    package: str
    version: str
    uploaded: dt.date  # the upload date the package index reports for this release (UTC)
    data_file: str  # path inside the wheel
    data_sha256: str  # of that file; the same in every platform's wheel
    page: str | None = None  # where the data was read when not from a release (a data.json mirror)

    @property
    def url(self) -> str:
        """The release's page on the package index: what a built row cites as its source."""
        return self.page or f"https://pypi.org/project/{self.package}/{self.version}/"

    @property
    def wheel_prefix(self) -> str:
        """'genai_prices-0.2.5-': how this release's wheel file names start."""
        return f"{self.package.replace('-', '_')}-{self.version}-"

    @property
    def download(self) -> str:
        """The command that fetches the wheel into DIR."""
        return f"pip download --no-deps {self.package}=={self.version} -d DIR"


GENAI_PRICES = Pin(
    package="genai-prices",
    version="0.2.5",
    uploaded=dt.date(2026, 11, 19),  # genai_prices-0.2.5-py3-none-any.whl, 2026-11-19T17:55:06Z
    data_file="genai_prices/data.py",
    data_sha256="0f8fe8131ea62b310000d35810d097e4865bff07cc51a4a35540663e315d0bb6",
)
LITELLM = Pin(
    package="litellm",
    version="1.110.2",
    uploaded=dt.date(2026, 11, 20),  # litellm-1.110.2-*.whl, 2026-11-20T04:05:22Z..04:05:45Z
    data_file="litellm/model_prices_and_context_window_backup.json",
    data_sha256="8943af58bf9f979c6a4bef815687117ffa341e462a41faed9be17b5c33d3dcc2",
)
PINS: tuple[Pin, ...] = (GENAI_PRICES, LITELLM)
