#!/usr/bin/env bash
# Create .venv-bench with the LiteLLM proxy, the reference of the gateway benchmark.
# LiteLLM is a benchmark-only dependency: it lives in its own venv so its pins never meet ours.
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"
if [ ! -x .venv-bench/bin/litellm ]; then
    rm -rf .venv-bench
    "$PYTHON" -m venv .venv-bench
    .venv-bench/bin/pip install -q --disable-pip-version-check 'litellm[proxy]'
fi
.venv-bench/bin/litellm --version 2>/dev/null | head -1 || true
