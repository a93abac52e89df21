"""Loads each case's SavedModel with tf.saved_model.load, calls its signature on inputs/*.npy and
compares every output with expected/*.npy. Used by the Java tests for the Java -> Python direction
(and works on the Python fixtures too).

    .venv/bin/python check_cases.py CASE_DIR... [--atol 1e-5]

A case directory holds case.json ({"signature": ..., "model": <SavedModel dir name>}), inputs/ and
expected/. Prints one line per case; exits 1 if any output differs by more than --atol.
"""
import argparse
import json
import sys
from pathlib import Path

import homl17
import numpy as np


def check(case_dir, atol):
    case_dir = Path(case_dir)
    info = json.loads((case_dir / "case.json").read_text())
    inputs = {p.stem: np.load(p) for p in sorted((case_dir / "inputs").glob("*.npy"))}
    expected = {p.stem: np.load(p) for p in sorted((case_dir / "expected").glob("*.npy"))}
    outputs = homl17.call_signature(case_dir / info["model"], inputs, info["signature"])
    problems = []
    if set(outputs) != set(expected):
        problems.append(f"outputs {sorted(outputs)} != expected {sorted(expected)}")
    worst = 0.0
    for name in sorted(set(outputs) & set(expected)):
        got, want = outputs[name], expected[name]
        if got.shape != want.shape:
            problems.append(f"{name}: shape {got.shape} != expected {want.shape}")
            continue
        diff = float(np.max(np.abs(got.astype(np.float64) - want))) if got.size else 0.0
        worst = max(worst, diff)
        if not diff <= atol:
            problems.append(f"{name}: max |diff| {diff:.3g} > {atol}")
    status = "FAIL" if problems else "OK"
    print(f"{status} {case_dir} signature={info['signature']} max|diff|={worst:.3g}"
          + "".join(f"\n    {p}" for p in problems), flush=True)
    return not problems


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cases", nargs="+")
    parser.add_argument("--atol", type=float, default=1e-5)
    args = parser.parse_args()
    results = [check(case, args.atol) for case in args.cases]
    print(f"check_cases: {sum(results)} of {len(results)} cases match", flush=True)
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
