"""Writes the model benchmark's data: scikit-learn's make_classification with 100,000 rows
x 20 features (10 informative), split 80/20 into OUT_train.csv and OUT_test.csv.
Usage: make_classification.py OUT_PREFIX [ROWS]"""
import sys

import numpy as np


def write_split(prefix, x, y, target, fmt):
    """x and y as OUT_train.csv (the first 80%) and OUT_test.csv, columns f0.. and `target`."""
    cut = int(len(x) * 0.8)
    header = ",".join([f"f{i}" for i in range(x.shape[1])] + [target])
    for part, sl in (("train", slice(0, cut)), ("test", slice(cut, len(x)))):
        np.savetxt(f"{prefix}_{part}.csv", np.column_stack([x[sl], y[sl]]), delimiter=",", header=header,
                   comments="", fmt=fmt)


if __name__ == "__main__":
    from sklearn.datasets import make_classification

    prefix, rows = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    x, y = make_classification(n_samples=rows, n_features=20, n_informative=10, n_redundant=4, random_state=0)
    write_split(prefix, x, y, "label", ["%.6g"] * 20 + ["%d"])
