#!/usr/bin/env bash
# Sampling time per step, Java vs the notebook's Python loop, on the same diffusion SavedModel, in one
# run (one after the other, so both see the same machine load). Run from the repository root:
#
#   savedmodels/keras/sampling_side_by_side.sh savedmodels/keras/out/diffusion/model OUT_DIR
#
# Python: sample_timing.py (the notebook's `generate`, 200 DDPM steps after 5 warm-up steps, with
# the Keras model and with the SavedModel's signature). Java: `sample` with DDIM (50 steps) and
# DDPM (the book's 3,999 steps), each writing its grid to OUT_DIR and printing its seconds.
set -euo pipefail
model=${1:?usage: $0 MODEL_DIR OUT_DIR}
out=${2:?usage: $0 MODEL_DIR OUT_DIR}
mkdir -p "$out"
echo "== $(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
savedmodels/keras/.venv/bin/python savedmodels/keras/sample_timing.py "$model" --steps 200 2>&1 \
  | grep -E '^(python|load)'
mvn -o -q -B compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt \
  -Dmdep.includeScope=runtime
for sampler in ddim ddpm; do
  echo "== java $sampler, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  java -cp "target/classes:$(cat target/classpath.txt)" io.github.homl.cli.Main sample \
    --model "$model" --sampler "$sampler" --out "$out/${sampler}_generated_images_plot.png" \
    --samples "$out/${sampler}_samples.npy" 2>&1 | grep -E '^Saved'
done
echo "== done, load average $(cut -d' ' -f1-3 /proc/loadavg)"
