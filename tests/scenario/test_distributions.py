"""An error about a field the scenario gives a distribution says so, and what value a single run took (qa18)."""

from __future__ import annotations

import pytest

from costcalc.errors import InputError
from costcalc.scenario.loaders import load_scenario

SCENARIO = """\
version: 1
workload: {{requests_per_day: 1000, input_tokens: 500, output_tokens: 100, peak_to_average: {peak}}}
options:
  - name: Rented
    kind: self_hosted
    model: llama-3.1-8b
    hardware: {{gpu: l4-24gb, acquisition: rent, hourly_usd: 0.8, gpus_per_replica: {gpus}}}
"""


@pytest.mark.parametrize(
    ("peak", "gpus", "message"),
    [
        (  # was '(got 2.5); write a whole number' alone: a 2.5 the file does not hold
            "2",
            "{dist: uniform, low: 1, high: 4}",
            "s.yaml:7: options[Rented].hardware.gpus_per_replica: Input should be a valid integer, got a number with a"
            " fractional part (got 2.5); write a whole number (options[Rented].hardware.gpus_per_replica is a uniform"
            " distribution, and a single run takes its centre, 2.5; give it a whole centre (simulate rounds each"
            " draw))",
        ),
        (
            "{dist: triangular, low: 0.5, mode: 0.8, high: 3}",
            "1",
            "s.yaml:2: workload.peak_to_average: Input should be greater than or equal to 1 (got 0.8); write 1 or more"
            " (workload.peak_to_average is a triangular distribution, and a single run takes its centre, 0.8)",
        ),
    ],
)
def test_a_refused_centre_of_a_distribution_says_it_is_one(write_yaml, peak: str, gpus: str, message: str) -> None:
    path = write_yaml(SCENARIO.format(peak=peak, gpus=gpus), name="s.yaml")
    with pytest.raises(InputError) as info:
        load_scenario(str(path))
    assert str(info.value) == f"{path.parent}/{message}"


def test_a_whole_centre_loads() -> None:
    scenario = load_scenario(SCENARIO.format(peak="2", gpus="{dist: uniform, low: 1, high: 3}"))
    assert scenario.options[0].hardware.gpus_per_replica == 2


def test_a_distribution_on_the_horizon_is_refused_where_the_file_is_read(write_yaml) -> None:
    """The horizon is the period budgeted, not an uncertain input: simulate summed each sample over its own horizon
    under one '12 mo' heading, and report took the centre (polish18b)."""
    text = SCENARIO.format(peak="2", gpus="1") + "horizon_months: {dist: uniform, low: 6, high: 18}\n"
    path = write_yaml(text, name="s.yaml")
    with pytest.raises(InputError) as info:
        load_scenario(str(path))
    assert str(info.value) == (
        f"{path.parent}/s.yaml:8: horizon_months: a uniform distribution here, but horizon_months is the period every"
        " total is budgeted over, not an uncertain input; write one number of months (e.g. 12), try another with"
        " `--set horizon_months=N`, or see how the totals move with it with `costcalc sensitivity --input horizon_months`"
    )


@pytest.mark.parametrize(
    ("spread", "said"),
    [("sd: .nan", "sd must be a finite number (got nan)"), ("sd: .inf", "sd must be a finite number (got inf)")],
)
def test_a_distribution_parameter_that_is_no_finite_number_is_refused_at_its_line(
    write_yaml, spread: str, said: str
) -> None:
    """`sd: .nan` loaded (its centre is the mean) and `simulate` then refused every sample without a file or line:
    'error: uncertain input workload.peak_to_average: values must be finite numbers'."""
    path = write_yaml(SCENARIO.format(peak=f"{{dist: normal, mean: 2, {spread}}}", gpus="1"), name="s.yaml")
    with pytest.raises(InputError) as info:
        load_scenario(str(path))
    assert str(info.value) == f"{path.parent}/s.yaml:2: workload.peak_to_average: {said}; write a plain number"
