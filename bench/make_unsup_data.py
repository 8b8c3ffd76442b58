"""Writes the clustering / projection benchmark's data (seeded, not timed):
  kmeans: 100,000 x 20 from make_classification (10 informative, 4 redundant: the models
          benchmark's data, where clusters overlap), plus the class as a label column;
  dbscan: 50,000 x 2, 6 blobs of different spreads and 5% uniform noise, plus a label (-1: noise);
  pca:    20,000 x 200, 10 latent directions mixed into 200 columns plus noise, plus a 0/1 label.
Usage: make_unsup_data.py TASK OUT.csv [ROWS]"""
import sys

import numpy as np
from sklearn.datasets import make_blobs, make_classification

task, out = sys.argv[1], sys.argv[2]
rows = int(sys.argv[3]) if len(sys.argv) > 3 else {"kmeans": 100_000, "dbscan": 50_000, "pca": 20_000}[task]
rng = np.random.default_rng(11)
if task == "kmeans":
    x, y = make_classification(n_samples=rows, n_features=20, n_informative=10, n_redundant=4, random_state=0)
elif task == "dbscan":
    n_noise = rows // 20
    x, y = make_blobs(n_samples=rows - n_noise, n_features=2, centers=6, cluster_std=[0.4, 0.6, 0.8, 0.5, 0.7, 0.3],
                      center_box=(-12, 12), random_state=5)
    lo, hi = x.min(axis=0), x.max(axis=0)
    x = np.vstack([x, rng.uniform(lo, hi, size=(n_noise, 2))])
    y = np.concatenate([y, -np.ones(n_noise, dtype=int)])
    order = rng.permutation(rows)
    x, y = x[order], y[order]
elif task == "pca":
    latent = rng.normal(size=(rows, 10)) * np.linspace(10, 1, 10)
    x = latent @ rng.normal(size=(10, 200)) + rng.normal(scale=4.0, size=(rows, 200))
    y = (latent[:, 0] > 0).astype(int)
else:
    sys.exit(f"unknown task {task}")
header = ",".join([f"f{i}" for i in range(x.shape[1])] + ["label"])
np.savetxt(out, np.column_stack([x, y]), delimiter=",", header=header, comments="",
           fmt=["%.6g"] * x.shape[1] + ["%d"])
