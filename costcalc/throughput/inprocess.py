"""In-process benchmark loops: clients in the engine's own process, awaiting its async generate (no HTTP)."""

from __future__ import annotations

from costcalc.throughput.serving.scheduler import VLLM_V1_DEFAULT_VERSION, parse_version

# C clients in the benchmark's own process, each awaiting the engine's async generate and sending
# its next prompt when the last one finishes: a closed loop without the HTTP round trip. AccelMark's
# interactive and sustained scenarios (github.com/FreedomIntelligence/AccelMark @5797fc42,
# loadgen/loadgen.py _run_interactive_async / run_sustained) call vLLM's AsyncLLMEngine.generate
# (runners/nvidia_vllm_47f5d58e and nvidia_vllm020_0f6c56e4/runner.py) and SGLang's
# Engine.async_generate (runners/nvidia_sglang_c43a8309/runner.py) from the harness's own event loop,
# timing TTFT from the call to the first output that holds a token.
IN_PROCESS_LOOP = "in_process_loop"

# vLLM's V0 engine (releases before 0.8.0) hands a step's tokens to an in-process client only when the
# step after it ends (read in the vllm 0.7.3 wheel, 2026-12-06): with async output processing, on by
# default on CUDA unless enforce_eager (ModelConfig.use_async_output_proc, CudaPlatform.
# is_async_output_supported), AsyncLLMEngine.step_async leaves a step's outputs queued and passes an
# async_callback to the next step; execute_model_async runs the worker's execute_model in an executor
# thread (executor_base.py, utils.make_async -> loop.run_in_executor), and the model runner calls the
# callback after launching that step's forward (worker/model_runner.py, before sampling), which puts the
# RequestOutput into the request's asyncio.Queue from that thread (AsyncStream.put -> put_nowait). A
# put_nowait from another thread does not wake the event loop; it wakes when the executor thread's step
# returns. So the client's first token arrives at the end of the first decode step after its prefill.
# V1 (0.8.0 on) moves outputs through its own output-handler task and SGLang through its detokenizer
# process: no step of delay.
V0_DELIVERY_DELAY_STEPS = 1


def delivery_delay_steps(engine: str, engine_version: str | None) -> int:
    """Forward steps between the step that samples a token and an in-process client seeing it."""
    if engine != "vllm" or not engine_version or not engine_version.strip():
        return 0
    return V0_DELIVERY_DELAY_STEPS if parse_version(engine_version) < VLLM_V1_DEFAULT_VERSION else 0
