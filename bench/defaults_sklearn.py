"""The scikit-learn side of the defaults benchmark: LogisticRegression() and
KMeans(n_clusters=8, n_init=1) with scikit-learn's defaults on the standardised features of
the same training file mlplay fits (scaling not timed), one thread, after a warm-up fit.
Each fit runs REPEATS times; prints one JSON line with every time, the iterations, the
test accuracy (logistic) and the inertia (k-means).
Usage: OMP_NUM_THREADS=1 defaults_sklearn.py TRAIN.csv TEST.csv REPEATS"""
import json
import sys
import time

import pandas as pd
from sklearn.cluster import KMeans
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

train, test = pd.read_csv(sys.argv[1]), pd.read_csv(sys.argv[2])
repeats = int(sys.argv[3])
scaler = StandardScaler().fit(train.iloc[:, :-1].to_numpy())
xt, yt = scaler.transform(train.iloc[:, :-1].to_numpy()), train.iloc[:, -1].to_numpy()
xs, ys = scaler.transform(test.iloc[:, :-1].to_numpy()), test.iloc[:, -1].to_numpy()
# k-means is fitted on the training file's features standardised on their own, as mlplay does.
xk = StandardScaler().fit_transform(train.iloc[:, :-1].to_numpy())


def timed(make, x, y=None):
    make().fit(x[:2000], None if y is None else y[:2000])  # warm-up: imports, lazy initialisation
    runs = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        model = make().fit(x, y)
        runs.append((time.perf_counter() - t0) * 1000)
    return model, runs


out = {}
m, runs = timed(lambda: LogisticRegression(), xt, yt)
out["logistic_regression"] = {"fit_ms": runs, "n_iter": int(m.n_iter_.max()), "accuracy": float(m.score(xs, ys))}
m, runs = timed(lambda: KMeans(n_clusters=8, n_init=1, random_state=0), xk)
out["kmeans"] = {"fit_ms": runs, "n_iter": int(m.n_iter_), "inertia": float(m.inertia_)}
print(json.dumps(out))
