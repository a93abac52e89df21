#!/usr/bin/env bash
# Creates savedmodels/keras/.venv with tensorflow-cpu 2.18 (the runtime of TF Java 1.1.0), tf_keras 2.18
# (the notebook's Keras 2, installed with --no-deps beside tensorflow-cpu) and numpy.
# Usage: savedmodels/keras/setup.sh [PYTHON]   (default python3; needs Python 3.9-3.12 with venv + pip)
# Idempotent: a venv whose TF already imports at 2.18 is left as it is.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python="${1:-${PYTHON:-python3}}"
venv="$here/.venv"

if [ -x "$venv/bin/python" ] && "$venv/bin/python" - <<'PY' 2>/dev/null; then
import os
os.environ["TF_USE_LEGACY_KERAS"] = "1"
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow as tf, tf_keras
assert tf.__version__.startswith("2.18."), tf.__version__
assert tf_keras.__version__.startswith("2.18."), tf_keras.__version__
PY
  echo "setup.sh: $venv is ready (tensorflow-cpu 2.18, tf_keras 2.18)"
  exit 0
fi

"$python" - <<'PY'
import sys
if not ((3, 9) <= sys.version_info[:2] <= (3, 12)):
    sys.exit(f"setup.sh: tensorflow-cpu 2.18 needs Python 3.9-3.12, got {sys.version.split()[0]}")
PY
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet -r "$here/requirements.txt"
"$venv/bin/python" -m pip install --quiet --no-deps "tf_keras==2.18.*"
"$venv/bin/python" - <<'PY'
import os
os.environ["TF_USE_LEGACY_KERAS"] = "1"
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import numpy as np, tensorflow as tf, tf_keras
print(f"setup.sh: tensorflow {tf.__version__}, tf_keras {tf_keras.__version__}, numpy {np.__version__}")
PY
