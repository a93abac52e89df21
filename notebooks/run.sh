#!/usr/bin/env bash
# Executes and checks every notebook headless (see notebooks/run.py); `--update` remakes them.
set -euo pipefail
cd "$(dirname "$0")/.."
exec notebooks/.venv/bin/python notebooks/run.py "$@"
