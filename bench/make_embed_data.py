"""Writes the embedding benchmark's data: N rows x 50 features with real structure. Ten
Gaussian clusters live in a 3-D latent space that a smooth random map (tanh layer) bends
into a curved 3-D manifold inside 50-D; small 50-D noise sits on top. Columns f0..f49 and
a last column `label` holding the cluster as text ("c3"), so it reads as a class target
(unsupervised kinds do not fit on it). Seeded: the same N gives the same file.
Usage: make_embed_data.py OUT.csv N"""
import sys

import numpy as np

out, rows = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(5)
centres = rng.normal(0.0, 1.6, size=(10, 3))
spread = rng.uniform(0.25, 0.5, size=10)
labels = rng.choice(10, size=rows, p=rng.dirichlet(np.full(10, 5.0)))
z = centres[labels] + rng.normal(size=(rows, 3)) * spread[labels, None]
w1, b1 = rng.normal(0.0, 0.8, size=(3, 24)), rng.normal(0.0, 0.5, size=24)
w2 = rng.normal(0.0, 1.0, size=(24, 50)) / np.sqrt(24)
x = np.tanh(z @ w1 + b1) @ w2 + rng.normal(0.0, 0.05, size=(rows, 50))
x = x * rng.uniform(0.5, 20.0, size=50) + rng.normal(0.0, 10.0, size=50)  # unequal units: standardising matters
with open(out, "w") as f:
    f.write(",".join([f"f{i}" for i in range(50)] + ["label"]) + "\n")
    for r, c in zip(x, labels):
        f.write(",".join(f"{v:.6g}" for v in r) + f",c{c}\n")
