"""Writes scikit-learn's bundled handwritten digits as MNIST-style IDX files, for `--data DIR`.

The set: 1,797 images of 8x8 pixels with 17 grey levels (0..16), labels 0..9, from the UCI
"Optical Recognition of Handwritten Digits" data (43 writers), shipped inside the scikit-learn
wheel as sklearn/datasets/data/digits.csv.gz: nothing is downloaded at run time.

    pip install scikit-learn
    python data/digits_to_idx.py data/digits
    mvn -q compile exec:java -Dexec.args="run vae --data data/digits --out images/digits"

Pixels are scaled from 0..16 to 0..255 (round(v * 255 / 16)). The first 1,497 images become the
training set (the loader keeps its last twelfth for validation), the last 300 the test set.
Only the standard library is used besides locating the file in the installed scikit-learn.
"""

import gzip
import os
import struct
import sys

TEST = 300


def digits_csv():
    import sklearn.datasets  # only to find the file inside the installed wheel

    return os.path.join(os.path.dirname(sklearn.datasets.__file__), "data", "digits.csv.gz")


def write_idx(path, magic, dims, values):
    tmp = path + ".tmp"
    with gzip.open(tmp, "wb") as out:
        out.write(struct.pack(">i" + "i" * len(dims), magic, *dims))
        out.write(bytes(values))
    os.replace(tmp, path)  # atomic: never a half-written file


def main(out_dir):
    with gzip.open(digits_csv(), "rt") as rows:
        records = [[int(v) for v in line.split(",")] for line in rows if line.strip()]
    if len(records) != 1797 or any(len(r) != 65 for r in records):
        sys.exit("digits.csv.gz: expected 1797 rows of 64 pixels and a label")
    os.makedirs(out_dir, exist_ok=True)
    splits = {"train": records[:-TEST], "t10k": records[-TEST:]}
    for prefix, part in splits.items():
        pixels = [round(v * 255 / 16) for r in part for v in r[:64]]
        write_idx(os.path.join(out_dir, prefix + "-images-idx3-ubyte.gz"), 2051, [len(part), 8, 8], pixels)
        write_idx(os.path.join(out_dir, prefix + "-labels-idx1-ubyte.gz"), 2049, [len(part)], [r[64] for r in part])
        print(f"{out_dir}: {prefix} {len(part)} images of 8x8")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join("data", "digits"))
