#!/usr/bin/env bash
# Install what the `costcalc measure` real-server tests need: llama-cpp-python[server] (llama.cpp's
# OpenAI-compatible server, compiled from source: several minutes on 2 cores) and gguf (to write
# the tiny test model). Idempotent: does nothing when both already import.
#
# Usage: .ci/install-llama-server.sh [PYTHON]   (default: .venv/bin/python, else python3)
set -euo pipefail

cd "$(dirname "$0")/.."
PYTHON="${1:-}"
if [[ -z "$PYTHON" ]]; then
  if [[ -x .venv/bin/python ]]; then PYTHON=.venv/bin/python; else PYTHON=python3; fi
fi
LLAMA_CPP_PYTHON_VERSION="${LLAMA_CPP_PYTHON_VERSION:-0.3.36}"
GGUF_VERSION="${GGUF_VERSION:-0.19.0}"

if "$PYTHON" -c "import llama_cpp.server, gguf" >/dev/null 2>&1; then
  echo "install-llama-server: llama_cpp.server and gguf already importable; nothing to do"
  exit 0
fi

missing=()
command -v cmake >/dev/null || missing+=(cmake)
command -v g++ >/dev/null || missing+=(build-essential)
command -v ninja >/dev/null || missing+=(ninja-build)
if (( ${#missing[@]} )); then
  echo "install-llama-server: apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}"
fi

start=$(date +%s)
# GGML_NATIVE=OFF: portable build (no -march=native), so a wheel cached by pip runs on any x86-64.
CMAKE_ARGS="-DGGML_NATIVE=OFF" "$PYTHON" -m pip install --quiet \
  "llama-cpp-python[server]==${LLAMA_CPP_PYTHON_VERSION}" "gguf==${GGUF_VERSION}"
"$PYTHON" -c "import llama_cpp.server, gguf"
echo "install-llama-server: installed in $(( $(date +%s) - start )) s"
