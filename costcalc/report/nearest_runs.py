"""The Result's parts for the published runs nearest an estimated option: each level's runs and its closest run."""

from __future__ import annotations

from costcalc.report.part import Part


class PublishedRun(Part):
    """One published benchmark run of the shipped calibration set: what ran, what it measured, and what the estimator
    fitted without its source estimated for it (calibration_holdout.csv)."""

    case_id: str
    gpu: str
    gpu_count: int
    model: str
    precision: str
    engine: str
    load_class: str  # single, server or offline
    input_tokens: int
    output_tokens: int
    concurrency: str  # '' = as many as fit
    metric: str  # output_tokens_per_s, decode_tokens_per_s or tpot_ms
    measured: float
    held_out_estimate: float
    actual_over_estimate: float  # actual throughput as a factor of the held-out estimate (a time per token inverted)
    source_url: str
    source_date: str


class RunLevel(Part):
    """The published runs that match an option's configuration at one level (same GPU, engine and model; same model
    and engine on another GPU; ...), their spread against their held-out estimates, and the closest of them."""

    match: str  # gpu_engine_model, model_engine, gpu_engine, architecture_engine or class_engine
    words: str  # what matched, in words: 'gpt-oss-20b with vllm on other GPUs'
    runs: int
    low: float  # lowest actual / held-out estimate among the runs
    high: float
    closest: PublishedRun
    median: float | None = None  # their median actual / held-out estimate; None in reports before 1.14
    one_side: int | None = None  # how many lie on the median's side of 1 (below it where the median is below 1)
    # the precisions its runs ran ('bf16', 'fp8 or bf16', most runs first) where they are runs of the configuration's
    # model and none ran its precision; None where one did, for other models' runs, and in reports before 1.16
    other_precision: str | None = None


class NearestRuns(Part):
    """The published runs nearest an estimated option's configuration, nearest level first (up to three levels)."""

    exact: bool  # a published run of this GPU, engine and model exists
    summary: str  # 'no published run of trtllm on rtx-5090-32gb; nearest: ...'
    levels: tuple[RunLevel, ...] = ()


__all__ = ["NearestRuns", "PublishedRun", "RunLevel"]
