"""The GPU catalog table shows the bf16 and fp8 rates the estimate uses, starred with how where it derives them."""

from __future__ import annotations

import pytest

from costcalc.catalog import list_gpus
from costcalc.render.catalog import render_gpus_table
from costcalc.throughput.tensor_tflops import bf16_tflops, peak_tflops
from tests.throughput.test_estimate import gpu_h100

NO_RATES = {"bf16_tflops": None, "fp8_tflops": None, "int8_tops": None, "fp4_tflops": None}


def _rows(text: str) -> dict[str, list[str]]:
    lines = text.split("\nmem GB: ")[0].splitlines()  # the table, not its notes
    header = next(line.split() for line in lines if line.startswith("id "))
    bf16, fp8 = header.index("bf16") - 1, header.index("fp8") - 2  # 'mem GB' is two words of one column
    return {w[0]: [w[bf16], w[fp8]] for line in lines if (w := line.split()) and w[0].startswith("gpu-")}


def test_a_blank_rate_shows_what_the_estimate_derives_and_how() -> None:
    """The row read 'gpu-fp4 nvidia 85.9 3350 (blank bf16) (blank fp8) 1676' though the estimate ran it at 419."""
    gpus = [
        gpu_h100(id="gpu-catalog"),
        gpu_h100(id="gpu-fp4", **{**NO_RATES, "fp4_tflops": 1676}),
        gpu_h100(id="gpu-none", **NO_RATES, memory_bandwidth_gb_s=800),
    ]
    text = render_gpus_table(gpus, width=120)
    assert _rows(text) == {"gpu-catalog": ["989", "1979"], "gpu-fp4": ["419*", "419*"], "gpu-none": ["24*", "24*"]}
    lines = text.splitlines()
    start = lines.index("* no rate in the catalog; the estimate derives it:")
    assert lines[start : start + 4] == [
        "* no rate in the catalog; the estimate derives it:",
        "  bf16 = fp4 / 4: gpu-fp4",
        "  bf16 = 30 FLOP per byte of memory bandwidth: gpu-none",
        "  fp8 = bf16 (fp8 math in 16 bit): gpu-fp4, gpu-none",
    ]


def test_no_note_when_the_catalog_has_every_rate() -> None:
    text = render_gpus_table([gpu_h100(id="gpu-catalog")], width=80)
    assert "*" not in text and "derives" not in text


@pytest.mark.parametrize("width", [80, 120])
def test_every_shipped_gpu_shows_its_estimated_rates(width: int) -> None:
    """Whatever gpus.csv holds: each bf16 and fp8 cell is the rate the estimate uses, starred where the CSV is blank."""
    text = render_gpus_table([g.model_copy(update={"id": f"gpu-{g.id}"}) for g in list_gpus()], width=width)
    rows = _rows(text)
    for gpu in list_gpus():
        expected = [
            f"{round(bf16_tflops(gpu), 1):g}{'' if gpu.bf16_tflops else '*'}",
            f"{round(peak_tflops(gpu, 'fp8'), 1):g}{'' if gpu.fp8_tflops else '*'}",
        ]
        assert rows[f"gpu-{gpu.id}"] == expected
    assert max(len(line) for line in text.splitlines()) <= width


def _column(text: str, header: str) -> dict[str, str]:
    """One column's cells by GPU id, read at the header's right edge (cells are right-aligned)."""
    lines = text.split("\nmem GB: ")[0].splitlines()
    head = next(line for line in lines if line.startswith("id "))
    end = head.index(header) + len(header)
    return {line.split()[0]: line[:end].split()[-1] for line in lines if line.startswith("gpu-")}


@pytest.mark.parametrize("width", [80, 120])
def test_a_gpu_without_an_fp4_rate_shows_a_dash_that_the_notes_explain(width: int) -> None:
    """The fp4 cell of a GPU without a rate in gpus.csv (H100, A100, Ada, MI300X, Apple) was blank, as if the table had
    lost it: it now reads '—', and a note says what it means for an estimate; a rate in the CSV shows as it is."""
    gpus = [g.model_copy(update={"id": f"gpu-{g.id}"}) for g in list_gpus()]
    text = render_gpus_table(gpus, width=width)
    fp4 = _column(text, "fp4 TF")
    assert fp4 == {f"gpu-{g.id}": "—" if g.fp4_tflops is None else f"{g.fp4_tflops:g}" for g in list_gpus()}
    assert "—" in fp4.values() and any(g.fp4_tflops for g in list_gpus())
    notes = " ".join(text.split("\nmem GB: ")[1].split())
    assert (
        "— not in the catalog. Without an fp4 rate the estimate runs fp4 weights at the GPU's fp8 rate (bf16" in notes
    )
    assert max(len(line) for line in text.splitlines()) <= width


def test_the_no_fp4_note_says_what_the_estimate_does() -> None:
    """fp4 weights at the fp8 rate (bf16 without one), mxfp4 at bf16, on every shipped GPU without an fp4 rate."""
    for gpu in list_gpus():
        if gpu.fp4_tflops is None:
            assert peak_tflops(gpu, "fp4") == (gpu.fp8_tflops or bf16_tflops(gpu)), gpu.id
            assert peak_tflops(gpu, "mxfp4") == bf16_tflops(gpu), gpu.id


def test_no_dash_note_when_every_cell_is_in_the_catalog() -> None:
    text = render_gpus_table([gpu_h100(id="gpu-all", fp4_tflops=3958.0, tdp_w=700, idle_w=140)], width=120)
    assert "—" not in text and "not in the catalog" not in text


def test_the_table_shows_each_rows_idle_watts_and_date_and_where_its_sources_are() -> None:
    """`catalog gpus` said 'power, source' but its table showed neither idle W, nor a date, nor a source: a report's
    energy line cites the catalog's idle and full-load watts, and its GPU line the row's date."""
    text = render_gpus_table(list_gpus(), width=120)
    header = next(line for line in text.splitlines() if line.startswith("id "))
    assert "idle W" in header and header.rstrip().endswith("as of")
    h100 = next(line.split() for line in text.splitlines() if line.startswith("h100-sxm-80gb "))
    assert h100[-3:] == ["140", "450", "2026-11-26"]
    assert text.splitlines()[-1] == "Each row's sources and notes: --format csv or json."


@pytest.mark.parametrize("width", [80, 120])
def test_the_model_table_groups_a_whole_numbers_thousands(width: int) -> None:
    """`catalog models` read llama-4-scout's context as '10485760' in a tool whose every other table groups thousands;
    now '10,485,760', and parameters in billions as the catalog gives them ('6.74')."""
    from costcalc.catalog import list_models
    from costcalc.render.catalog import render_models_table

    models = {m.id: m for m in list_models()}
    rows = {line.split()[0]: line.split() for line in render_models_table(list(models.values()), width).splitlines()}
    scout, small = rows["llama-4-scout-17b-16e"], rows["llama-2-7b"]
    assert f"{models['llama-4-scout-17b-16e'].max_context_tokens:,}" in scout and "10485760" not in " ".join(scout)
    assert "4,096" in small and "6.74" in small
