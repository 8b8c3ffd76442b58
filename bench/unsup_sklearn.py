"""The scikit-learn side of the clustering / projection benchmark: fit time (one thread,
after a small warm-up fit) and quality of KMeans, DBSCAN or PCA on the same standardised
features mlplay fits (mlplay scales with StandardScaler by default; scaling is not timed
on either side). With MLPLAY_LABELS.json (mlplay's cluster of every row), also the
adjusted Rand index between the two clusterings. Prints one JSON line.
Usage: OMP_NUM_THREADS=1 unsup_sklearn.py TASK DATA.csv PARAMS_JSON [MLPLAY_LABELS.json]"""
import json
import resource
import sys
import time

import numpy as np
import pandas as pd
from sklearn.cluster import DBSCAN, KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import StandardScaler

task, path, params = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
data = pd.read_csv(path)
x = StandardScaler().fit_transform(data.iloc[:, :-1].to_numpy())
truth = data.iloc[:, -1].to_numpy()
make = {
    "kmeans": lambda: KMeans(n_clusters=params["n_clusters"], n_init=params["n_init"], max_iter=params.get("max_iter", 300),
                             tol=params.get("tol", 1e-4), algorithm="lloyd", random_state=0),
    "dbscan": lambda: DBSCAN(eps=params["eps"], min_samples=params["min_samples"]),
    "pca": lambda: PCA(n_components=params["n_components"], random_state=0),
}[task]
make().fit(x[:2000])  # warm-up: imports, lazy initialisation
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
t0 = time.perf_counter()
model = make().fit(x)
fit_ms = (time.perf_counter() - t0) * 1000
out = {"fit_ms": fit_ms, "peak_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
       "peak_extra_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before}
if task == "pca":
    out["explained_variance_ratio_sum"] = float(model.explained_variance_ratio_.sum())
else:
    labels = model.labels_
    out["n_clusters"] = int(labels.max() + 1)
    out["noise"] = int((labels == -1).sum())
    out["adjusted_rand_truth"] = float(adjusted_rand_score(truth, labels))
    if task == "kmeans":
        out["inertia"] = float(model.inertia_)
        out["n_iter"] = int(model.n_iter_)
    if len(sys.argv) > 4:
        with open(sys.argv[4]) as f:
            out["adjusted_rand_vs_mlplay"] = float(adjusted_rand_score(np.array(json.load(f)), labels))
print(json.dumps(out))
