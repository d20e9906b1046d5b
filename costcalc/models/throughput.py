"""How fast a self-hosted replica serves: measured points, benchmark result files, or the estimator."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from costcalc.models.base import Input


class ThroughputPoint(Input):
    """One measured load level of a replica at stated request lengths."""

    input_tokens: float = Field(gt=0, description="mean input tokens per request of the measurement")
    output_tokens: float = Field(gt=0, description="mean output tokens per request of the measurement")
    concurrency: float | None = Field(default=None, gt=0, description="requests in flight")
    requests_per_s: float | None = Field(default=None, gt=0, description="completed requests per second, whole replica")
    output_tokens_per_s: float | None = Field(default=None, gt=0, description="whole replica")
    ttft_p95_ms: float | None = Field(default=None, gt=0, description="95th-percentile time to first token, ms")
    tpot_ms: float | None = Field(default=None, gt=0, description="time per output token, median")
    tpot_p95_ms: float | None = Field(
        default=None, gt=0, description="95th-percentile time per output token (the per-user speed SLO's check)"
    )

    @model_validator(mode="after")
    def _rate(self) -> ThroughputPoint:
        if self.requests_per_s is None and self.output_tokens_per_s is None:
            raise ValueError("give requests_per_s or output_tokens_per_s")
        return self


class Throughput(Input):
    """How fast one replica serves: measured points, benchmark result files, or the estimator."""

    points: tuple[ThroughputPoint, ...] | None = Field(
        default=None, min_length=1, description="measured operating points at stated lengths"
    )
    measured: str | tuple[str, ...] | None = Field(
        default=None, description="benchmark result file(s), relative to the scenario's folder"
    )
    estimate: bool = Field(
        default=False, description="use the analytical estimator (the default when nothing else is given)"
    )

    @model_validator(mode="before")
    @classmethod
    def _nothing_given_is_estimated(cls, data: Any) -> Any:
        """`throughput: {}` (or with only a comment left in it) is the estimate, as leaving it out is: it was 'no
        operating points to choose from; pass at least one benchmark result', naming no file, line or field."""
        if isinstance(data, dict) and not data:
            return {"estimate": True}
        return data

    @model_validator(mode="after")
    def _one(self) -> Throughput:
        if self.points is None and self.measured is None and not self.estimate:
            raise ValueError("estimate: false and nothing measured; give points or measured, or estimate: true")
        given = sum(x is not None for x in (self.points, self.measured)) + int(self.estimate)
        if given > 1:
            raise ValueError("give one of points, measured or estimate")
        if self.measured == ():  # said 'no operating points to choose from' naming no file, line or field
            raise ValueError("measured: the list is empty; name at least one benchmark result file")
        return self
