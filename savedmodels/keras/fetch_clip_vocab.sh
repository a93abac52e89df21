#!/usr/bin/env bash
# Fetches CLIP's byte-pair vocabulary, bpe_simple_vocab_16e6.txt.gz, the file KerasCV's Stable
# Diffusion tokenizer reads, from the open-clip-torch wheel on PyPI (pip download, no install) into
# savedmodels/keras/.cache/, and checks its SHA-256. The Java tokenizer (ClipTokenizer) and
# export_stable_diffusion.py take it from there; nothing fetches it at run time.
# Usage: savedmodels/keras/fetch_clip_vocab.sh [PYTHON]   (a python with pip; default: .venv's, else
# python3). Idempotent.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python="${1:-}"
if [ -z "$python" ]; then
  python="$here/.venv/bin/python"
  [ -x "$python" ] || python=python3
fi
vocab="$here/.cache/bpe_simple_vocab_16e6.txt.gz"
sha=924691ac288e54409236115652ad4aa250f48203de50a9e4722a6ecd48d6804a

if echo "$sha  $vocab" | sha256sum --check --status 2>/dev/null; then
  echo "fetch_clip_vocab.sh: $vocab is there (SHA-256 $sha)"
  exit 0
fi
wheels="$(mktemp -d)"
trap 'rm -rf "$wheels"' EXIT
"$python" -m pip download --quiet --no-deps --dest "$wheels" "open-clip-torch==2.32.0"
mkdir -p "$here/.cache"
"$python" - "$wheels" "$vocab" <<'PY'
import glob, os, sys, zipfile
wheel = glob.glob(sys.argv[1] + "/open_clip_torch-*.whl")[0]
with zipfile.ZipFile(wheel) as z:
    name = next(n for n in z.namelist() if n.endswith("/bpe_simple_vocab_16e6.txt.gz"))
    data = z.read(name)
with open(sys.argv[2] + ".tmp", "wb") as f:
    f.write(data)
os.replace(sys.argv[2] + ".tmp", sys.argv[2])
PY
if ! echo "$sha  $vocab" | sha256sum --check --status; then
  rm -f "$vocab"
  echo "fetch_clip_vocab.sh: the wheel's vocabulary is not CLIP's (SHA-256 $sha)" >&2
  exit 1
fi
echo "fetch_clip_vocab.sh: $vocab (SHA-256 $sha)"
