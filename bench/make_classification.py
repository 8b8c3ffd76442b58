"""Writes the model benchmark's data: scikit-learn's make_classification with 100,000 rows
x 20 features (10 informative), split 80/20 into OUT_train.csv and OUT_test.csv.
Usage: make_classification.py OUT_PREFIX [ROWS]"""
import sys

import numpy as np
from sklearn.datasets import make_classification

prefix, rows = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
x, y = make_classification(n_samples=rows, n_features=20, n_informative=10, n_redundant=4, random_state=0)
cut = int(rows * 0.8)
header = ",".join([f"f{i}" for i in range(20)] + ["label"])
for part, sl in (("train", slice(0, cut)), ("test", slice(cut, rows))):
    np.savetxt(f"{prefix}_{part}.csv", np.column_stack([x[sl], y[sl]]), delimiter=",", header=header,
               comments="", fmt=["%.6g"] * 20 + ["%d"])
