"""Writes the defaults benchmark's regression data: scikit-learn's make_regression with ROWS
rows x 20 features (10 informative, noise 10), split 80/20 into OUT_train.csv and
OUT_test.csv. Usage: make_regression.py OUT_PREFIX [ROWS]"""
import sys

from sklearn.datasets import make_regression

from make_classification import write_split

prefix, rows = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
x, y = make_regression(n_samples=rows, n_features=20, n_informative=10, noise=10.0, random_state=0)
write_split(prefix, x, y, "target", "%.6g")
