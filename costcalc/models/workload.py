"""The usage profile: how many requests, how long, how cached, how peaky, growing how fast."""

from __future__ import annotations

import re

from pydantic import Field, field_validator, model_validator

from costcalc.models.base import Input
from costcalc.units import DAYS_PER_MONTH

# zones people write by their abbreviation, and a place that keeps it (most of the year)
_ABBREVIATIONS = {
    "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
    "MDT": "America/Denver",
    "CDT": "America/Chicago",
    "CEST": "Europe/Berlin",
    "BST": "Europe/London",
    "JST": "Asia/Tokyo",
    "AEST": "Australia/Sydney",
}
_OFFSET = re.compile(r"(?:UTC|GMT)?\s*([+-])\s*(\d{1,2})(?::?00)?", re.IGNORECASE)


def _zone_fix(value: str) -> str:
    """How to write a time zone IANA does not name: its name in the right case, an offset as Etc/GMT with the sign
    POSIX gives it, an abbreviation as a place; '' when none applies. qa24: 'europe/berlin', 'UTC+1' and 'PST' were
    each only 'unknown time zone'."""
    import zoneinfo

    same = [zone for zone in zoneinfo.available_timezones() if zone.lower() == value.strip().lower()]
    if same:
        return f"did you mean {same[0]}? (names are case-sensitive)"
    offset = _OFFSET.fullmatch(value.strip())
    if offset is not None and int(offset.group(2)) <= 14:
        posix = f"Etc/GMT{'-' if offset.group(1) == '+' else '+'}{int(offset.group(2))}"
        return (
            f"a fixed offset is written {posix} (the sign inverted, as POSIX has it), or use a place's name, such as"
            " Europe/Berlin, which also follows its summer time"
        )
    place = _ABBREVIATIONS.get(value.strip().upper())
    return f"write the place's IANA name, such as {place} (it follows its summer time)" if place else ""


class LengthBucket(Input):
    """A share of requests whose prompts have about this many input tokens."""

    input_tokens: float = Field(gt=0, description="input tokens per request in this bucket")
    share: float = Field(gt=0, le=1, description="share of requests in this bucket (shares sum to 1)")


class Slo(Input):
    """Latency targets a self-hosted replica must meet; capacity is sized at these."""

    ttft_p95_ms: float | None = Field(default=None, gt=0, description="95th-percentile time to first token, ms")
    min_output_tokens_per_s_per_user: float | None = Field(
        default=None,
        gt=0,
        description="slowest acceptable decode speed, tokens/s, met by 95% of requests (1000 / TPOT p95)",
    )


class Workload(Input):
    """Traffic of the application: volume, request shape, caching, peaks, growth, users."""

    requests_per_day: float | None = Field(default=None, gt=0, description="mean requests per day")
    tokens_per_month: float | None = Field(
        default=None, gt=0, description="input + output tokens per month (alternative to requests_per_day)"
    )
    input_tokens: float | None = Field(
        default=None, gt=0, description="mean input (prompt) tokens per request; derived from buckets if omitted"
    )
    output_tokens: float = Field(gt=0, description="mean visible output tokens per request")
    reasoning_tokens: float = Field(
        default=0.0, ge=0, description="mean hidden reasoning tokens per request (billed and generated as output)"
    )
    input_length_buckets: tuple[LengthBucket, ...] | None = Field(
        default=None, description="distribution of prompt lengths (matters for long-context price tiers)"
    )
    cached_input_share: float = Field(
        default=0.0, ge=0, le=1, description="share of input tokens read from a prompt cache"
    )
    cache_write_share: float = Field(
        default=0.0, ge=0, le=1, description="share of input tokens written to a prompt cache (billed as cache writes)"
    )
    peak_to_average: float | None = Field(
        default=None, ge=1, description="peak request rate / mean request rate (default 1 without hourly_profile)"
    )
    hourly_profile: tuple[float, ...] | None = Field(
        default=None, min_length=24, max_length=24, description="24 relative load values, hour 0..23 (any scale)"
    )
    timezone: str = Field(
        default="UTC",
        description="IANA time zone of hourly_profile's hours, e.g. Europe/Berlin (places off-peak price windows)",
    )
    growth_per_month: float = Field(default=0.0, ge=-0.5, le=5, description="compound monthly volume growth, 0.04 = 4%")
    users: int | None = Field(default=None, gt=0, description="people using it (sizes seat plans, per-user costs)")
    slo: Slo = Field(default_factory=Slo, description="latency targets for self-hosted capacity")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        import zoneinfo

        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            fix = _zone_fix(value) or "use an IANA name such as UTC or Europe/Berlin"
            raise ValueError(f"unknown time zone {value!r}; {fix}") from None
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Workload:
        if self.requests_per_day is None and self.tokens_per_month is None:
            raise ValueError("give exactly one of requests_per_day or tokens_per_month; neither is set")
        if self.requests_per_day is not None and self.tokens_per_month is not None:
            raise ValueError(
                "give exactly one of requests_per_day or tokens_per_month; both are set"
                " (to override or sweep the volume, change the one the scenario gives)"
            )
        if self.input_tokens is None and not self.input_length_buckets:
            raise ValueError("give input_tokens (mean per request) or input_length_buckets")
        if self.input_length_buckets:
            total = sum(b.share for b in self.input_length_buckets)
            if abs(total - 1.0) > 1e-6:
                raise ValueError(f"input_length_buckets shares sum to {total:g}; they must sum to 1")
            if self.input_tokens is not None and abs(self.input_tokens - self.bucket_mean) > 0.01 * self.input_tokens:
                raise ValueError(
                    f"input_tokens {self.input_tokens:g} differs from the buckets' mean {self.bucket_mean:g};"
                    " drop input_tokens or make them agree"
                )
        if self.cached_input_share + self.cache_write_share > 1.0 + 1e-9:
            raise ValueError("cached_input_share + cache_write_share must not exceed 1")
        if self.hourly_profile is not None:
            if any(v < 0 for v in self.hourly_profile) or max(self.hourly_profile) <= 0:
                raise ValueError("hourly_profile needs 24 non-negative values, at least one above 0")
            if self.peak_to_average is not None:
                raise ValueError("give peak_to_average or hourly_profile, not both (the profile implies the peak)")
        return self

    @property
    def bucket_mean(self) -> float:
        """Mean input tokens implied by the buckets."""
        assert self.input_length_buckets
        return sum(b.input_tokens * b.share for b in self.input_length_buckets)

    @property
    def mean_input_tokens(self) -> float:
        """Mean input tokens per request."""
        return self.input_tokens if self.input_tokens is not None else self.bucket_mean

    @property
    def billed_output_tokens(self) -> float:
        """Output tokens billed and generated per request: visible + reasoning."""
        return self.output_tokens + self.reasoning_tokens

    @property
    def tokens_per_request(self) -> float:
        """All tokens of one request (input + output + reasoning), the denominator of $/1M tokens."""
        return self.mean_input_tokens + self.billed_output_tokens

    @property
    def requests_per_month(self) -> float:
        """Requests in the first month of the horizon."""
        if self.requests_per_day is not None:
            return self.requests_per_day * DAYS_PER_MONTH
        assert self.tokens_per_month is not None
        return self.tokens_per_month / self.tokens_per_request

    @property
    def buckets(self) -> tuple[tuple[float, float], ...]:
        """(input_tokens, share) pairs; one bucket at the mean when no distribution is given."""
        if self.input_length_buckets:
            return tuple((b.input_tokens, b.share) for b in self.input_length_buckets)
        return ((self.mean_input_tokens, 1.0),)

    @property
    def peak_factor(self) -> float:
        """Peak request rate over the mean rate."""
        if self.hourly_profile is not None:
            mean = sum(self.hourly_profile) / 24
            return max(self.hourly_profile) / mean
        return self.peak_to_average if self.peak_to_average is not None else 1.0

    @property
    def hourly_factors(self) -> tuple[float, ...]:
        """Each hour's load relative to the mean (24 values averaging 1); flat at the peak factor's mean."""
        if self.hourly_profile is None:
            return (1.0,) * 24
        mean = sum(self.hourly_profile) / 24
        return tuple(v / mean for v in self.hourly_profile)
