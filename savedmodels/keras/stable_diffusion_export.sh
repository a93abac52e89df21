#!/usr/bin/env bash
# The random-weight Stable Diffusion export and KerasCV's own text_to_image run on it, which
# StableDiffusionEqualityTest compares Java with; made once into DIR (the Maven profile
# stable-diffusion passes target/stable-diffusion) and reused while DIR/random/stable_diffusion.json
# is there. About 4 GB on disk; several minutes on two cores.
# Usage: savedmodels/keras/stable_diffusion_export.sh DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${1:?usage: stable_diffusion_export.sh DIR}"
if [ -f "$dir/random/stable_diffusion.json" ] && [ -f "$dir/reference/image.npy" ]; then
  echo "stable_diffusion_export.sh: $dir/random and $dir/reference are there"
  exit 0
fi
bash "$here/setup_sd.sh"
rm -rf "$dir/random" "$dir/reference"
"$here/.venv-sd/bin/python" "$here/export_stable_diffusion.py" --random-weights --seed 0 \
  --out "$dir/random" --reference-prompt "a salamander reading a book" \
  --reference-out "$dir/reference" --reference-size 64 --reference-noise-seed 1
