"""A time zone IANA does not name says how to write it (qa24: 'europe/berlin', 'UTC+1', 'PST' were each only 'unknown
time zone ...; use an IANA name such as UTC or Europe/Berlin')."""

from __future__ import annotations

import pytest

from costcalc.errors import InputError
from costcalc.models import Workload

BASE = {"requests_per_day": 1000, "input_tokens": 100, "output_tokens": 10}


@pytest.mark.parametrize(
    ("written", "fix"),
    [
        ("europe/berlin", "did you mean Europe/Berlin? (names are case-sensitive)"),
        ("utc", "did you mean UTC? (names are case-sensitive)"),
        (
            "UTC+1",
            "a fixed offset is written Etc/GMT-1 (the sign inverted, as POSIX has it), or use a place's name, such as"
            " Europe/Berlin, which also follows its summer time",
        ),
        ("+05:30", "use an IANA name such as UTC or Europe/Berlin"),  # a half-hour offset has no Etc/GMT zone
        ("GMT-5", "a fixed offset is written Etc/GMT+5 (the sign inverted"),
        ("PST", "write the place's IANA name, such as America/Los_Angeles (it follows its summer time)"),
        ("Mars/Olympus", "use an IANA name such as UTC or Europe/Berlin"),
    ],
)
def test_an_unknown_zone_says_how_to_write_it(written: str, fix: str) -> None:
    with pytest.raises(InputError) as info:
        Workload(**BASE, timezone=written)
    assert f"unknown time zone {written!r}; {fix}" in str(info.value)


def test_the_zones_it_names_are_read() -> None:
    for zone in ("Europe/Berlin", "UTC", "Etc/GMT-1", "Etc/GMT+5", "America/Los_Angeles"):
        assert Workload(**BASE, timezone=zone).timezone == zone
