#!/usr/bin/env bash
# Creates savedmodels/keras/.venv-sd for KerasCV's Stable Diffusion (export_stable_diffusion.py):
# tensorflow-cpu 2.18 (the runtime of TF Java 1.1.0), Keras 3 and keras-cv 0.9.0, with protobuf<6
# pinned (keras-cv would otherwise pull a protobuf that TF 2.18 cannot import), then CLIP's
# vocabulary (fetch_clip_vocab.sh).
# A separate venv from .venv (tf_keras), so the chapter's exports are unaffected.
# Usage: savedmodels/keras/setup_sd.sh [PYTHON]   (default python3, 3.9-3.12). Idempotent.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python="${1:-${PYTHON:-python3}}"
venv="$here/.venv-sd"

if ! [ -x "$venv/bin/python" ] || ! "$venv/bin/python" -c '
import os; os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow as tf, keras_cv
assert tf.__version__.startswith("2.18."), tf.__version__
assert keras_cv.__version__ == "0.9.0", keras_cv.__version__' 2>/dev/null; then
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --upgrade pip
  "$venv/bin/python" -m pip install --quiet "tensorflow-cpu==2.18.*" "keras-cv==0.9.0" \
    "protobuf<6" "numpy<2.1"
fi

bash "$here/fetch_clip_vocab.sh" "$venv/bin/python"
"$venv/bin/python" -c '
import os; os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow as tf, keras, keras_cv
print(f"setup_sd.sh: tensorflow {tf.__version__}, keras {keras.__version__}, keras-cv {keras_cv.__version__}")'
