"""Measured achievable matmul rates (MAMF) of GPUs, as a share of their datasheet tensor peak."""

from __future__ import annotations

from costcalc.catalog.specs import GpuSpec

# Maximum Achievable Matmul FLOPS: the mean of 100 `torch.matmul` runs at the best of many shapes,
# over the vendor's dense theoretical peak, from the "Maximum Achievable Matmul FLOPS comparison
# table" of stas00/ml-engineering compute/accelerator/README.md at commit
# 744d01e18b79512572f64a6bbd8b5f4a725203a7 (2026-08-22), read 2026-12-06. Cells are (MAMF TFLOPS,
# the table's theory TFLOPS). The GPUs differ in how much of their datasheet peak a matmul reaches:
# A100 SXM 86.9%, H100 SXM 80.3%, MI300X 60.1%.
# MI300X's figure depends on the ROCm release ("with MI300X I clocked 450TFLOPS using ROCm-6.1, but [...]
# in ROCm-6.2 [...] it jumped a whooping additional 300TFLOPS up"): the rows that calibrate it (dstack's
# vLLM images) ran ROCm 6.2, so its cell is the table's ROCm-6.2 measurement at commit
# 8deeddd8cb6ec126ff31c5fc4efdcca325476f8b (2024-10-11): 781.9 of 1300. The table at 744d01e gives
# 668.4 (51.4%) with torch 2.5.1+ROCm 6.3, and MI325X (same compute) 784.9 (60.4%) on ROCm 6.2.4.
MAMF_BF16_TFLOPS: dict[str, tuple[float, float]] = {
    "a100-sxm-80gb": (271.2, 312.0),
    "a100-sxm-40gb": (271.2, 312.0),  # the table's "NVIDIA A100 SXM" (same GA100 compute)
    "a100-pcie-80gb": (252.9, 312.0),
    "h100-sxm-80gb": (794.5, 989.0),
    "h200-sxm-141gb": (794.5, 989.0),  # the table's note on the H100 SXM row: "H200 is the same"
    "b200-sxm-180gb": (1745.0, 2250.0),
    "b300-sxm-268gb": (1769.0, 2250.0),
    "gb200-186gb": (1822.0, 2500.0),
    "mi300x-192gb": (781.9, 1300.0),  # ROCm 6.2, table @8deeddd (see above)
    "mi325x-256gb": (784.9, 1300.0),
    "mi355x-288gb": (1565.0, 2300.0),
}
# The same table's FP8 (float8_e4m3fn) part; MI300X's cell is empty there.
MAMF_FP8_TFLOPS: dict[str, tuple[float, float]] = {
    "h100-sxm-80gb": (1402.6, 1979.0),
    "h200-sxm-141gb": (1453.4, 1979.0),
    "b200-sxm-180gb": (3432.5, 4500.0),
    "b300-sxm-268gb": (3353.3, 4500.0),
    "gb200-186gb": (3615.6, 5000.0),
}
# GeForce cards from a second table of the same kind, with its own H100 SXM row as their reference so
# each share is of one method: github.com/mag-/gpu_benchmark README "Stats" at commit
# 93322b7f22fb1633c38e3861586380fc4695f67e (2024-10-06), read 2026-12-06: an Optuna search over the
# shapes of torch.matmul in bfloat16 (torch.randn inputs), the best shape's TFLOPS. Sheets are NVIDIA's
# dense BF16 with FP32 accumulate (the catalog's bf16, what cuBLAS bf16 GEMMs run: there is no BF16
# accumulate; the FP16-accumulate rate, twice it on GeForce, never applies to bf16). GeForce cards beat
# that sheet, boosting above the rated clock: RTX 3090 78.0 of 71.2 (110%), RTX 4090 178.8 of 165.2
# (108%), against the H100 SXM's 821.2 of 989 (83%). Cells are (measured TFLOPS, sheet TFLOPS); a cell
# applies only where the catalog's bf16 is that sheet. The RTX 5090 has no cell while its catalog row
# leaves bf16 empty (the estimator takes fp4 / 4 = 419, its FP16-accumulate rate): NVIDIA's 209.5 with
# its measured 224.3 (torch.matmul bf16 at 16384x8192x1280, main-horse.github.io/posts/5090-mm-perf)
# put its long-prompt vLLM rows 33-51% off held out (/work/notes/estimator-ttft9.md).
MAMF_BF16_BEST_SHAPE_TFLOPS: dict[str, tuple[float, float]] = {
    "rtx-3090-24gb": (78.0, 71.2),
    "rtx-4090-24gb": (178.8, 165.2),
}
BEST_SHAPE_REFERENCE_TFLOPS = (821.2, 989.0)  # the same README's "NVIDIA H100 SXM 80GB" row
# The fitted compute efficiencies are shares of the datasheet peak, fitted mostly on H100 SXM rows;
# a GPU's measured share is taken relative to this GPU's, so GPUs without a measurement keep 1.0.
REFERENCE_GPU = "h100-sxm-80gb"


def _share(table: dict[str, tuple[float, float]], gpu_id: str | None) -> float | None:
    cell = None if gpu_id is None else table.get(gpu_id)
    return None if cell is None else cell[0] / cell[1]


def matmul_share_vs_reference(gpu: GpuSpec, fp8_math: bool) -> float:
    """The GPU's measured matmul share of its datasheet peak over the H100 SXM's, for the math's dtype.

    fp8 math uses the FP8 measurements where the GPU has one, else its BF16 ratio (the same matrix
    units); GeForce cards take the best-shape table against its own H100 row; GPUs without any
    measurement (other workstation cards, Apple) get 1.0: no change. A custom GPU takes the shares of the catalog GPU
    it is like (GpuSpec.measured_as): the same kernels on its own datasheet peak.
    """
    for table, applies in ((MAMF_FP8_TFLOPS, fp8_math), (MAMF_BF16_TFLOPS, True)):
        own, ref = _share(table, gpu.measured_as), _share(table, REFERENCE_GPU)
        if applies and own is not None and ref is not None:
            return own / ref
    cell = None if gpu.measured_as is None else MAMF_BF16_BEST_SHAPE_TFLOPS.get(gpu.measured_as)
    if cell is not None and gpu.bf16_tflops == cell[1]:
        return (cell[0] / cell[1]) / (BEST_SHAPE_REFERENCE_TFLOPS[0] / BEST_SHAPE_REFERENCE_TFLOPS[1])
    return 1.0
