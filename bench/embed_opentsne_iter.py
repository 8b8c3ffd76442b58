"""openTSNE's FFT t-SNE timed per gradient iteration, one thread, on bench/make_embed_data.py's
data, for comparison with mlplay's fft and barnes_hut (`MLPLAY_TSNE_TIMES=1 mlplay run ...`).
Settings as mlplay's defaults: features standardised (mlplay standardises), perplexity 30,
PCA start, early exaggeration 12 for 250 iterations (momentum 0.5), then 750 (momentum 0.8),
learning rate max(n / 12 / 4, 50) as scikit-learn's "auto" (openTSNE's own is n / 12).
Prints CPU seconds of the affinities and of the 1,000 iterations, per iteration, and the
layout's width at the end.
Usage: embed_opentsne_iter.py DATA.csv [fft|bh]"""
import sys
import time

import numpy as np
import pandas as pd
from openTSNE import TSNEEmbedding, affinity, initialization

path = sys.argv[1]
method = sys.argv[2] if len(sys.argv) > 2 else "fft"
x = pd.read_csv(path).drop(columns=["label"]).to_numpy(float)
x = (x - x.mean(0)) / x.std(0)
n = len(x)
t0 = time.process_time()
aff = affinity.PerplexityBasedNN(x, perplexity=30, n_jobs=1, random_state=0)
init = initialization.pca(x, random_state=0)
t1 = time.process_time()
lr = max(n / 12 / 4, 50)
emb = TSNEEmbedding(init, aff, learning_rate=lr, negative_gradient_method=method, n_jobs=1, random_state=0)
emb = emb.optimize(n_iter=250, exaggeration=12, momentum=0.5)
t2 = time.process_time()
emb = emb.optimize(n_iter=750, momentum=0.8)
t3 = time.process_time()
span = np.ptp(np.asarray(emb), axis=0).max()
print(f"openTSNE {method} n {n}: affinities {t1 - t0:.2f} CPU s; iterations {t3 - t1:.2f} CPU s "
      f"= {(t3 - t1) / 1000 * 1e3:.2f} ms/iter (exaggerated {(t2 - t1) / 250 * 1e3:.2f}, then {(t3 - t2) / 750 * 1e3:.2f}); "
      f"KL {emb.kl_divergence:.4f}; layout width {span:.1f}")
