"""Writes the defaults benchmark's regression data: scikit-learn's make_regression with ROWS
rows x 20 features (10 informative, noise 10), split 80/20 into OUT_train.csv and
OUT_test.csv. Usage: make_regression.py OUT_PREFIX [ROWS]"""
import sys

import numpy as np
from sklearn.datasets import make_regression

prefix, rows = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
x, y = make_regression(n_samples=rows, n_features=20, n_informative=10, noise=10.0, random_state=0)
cut = int(rows * 0.8)
header = ",".join([f"f{i}" for i in range(20)] + ["target"])
for part, sl in (("train", slice(0, cut)), ("test", slice(cut, rows))):
    np.savetxt(f"{prefix}_{part}.csv", np.column_stack([x[sl], y[sl]]), delimiter=",", header=header,
               comments="", fmt="%.6g")
