"""The Python side of the embedding benchmark (bench/embed.mjs drives it), one job per call
so the driver can time-cap each peer run on its own:

  embed_native.py prep DATA.csv OUT.f64            z-score the features (as mlplay does by
                                                    default, population std), float64 row-major
  embed_native.py run PEER IN.f64 N OUT.f64        fit one native peer single-threaded on the
                                                    standardised features, write its n x 2
                                                    embedding, print {"fit_ms": ..., "peak_rss_bytes": ...}
  embed_native.py score IN.f64 N EMB.f64 ...       trustworthiness (k=5, k=15) of each embedding
                                                    on one seeded sample of 5,000 rows; prints JSON

Peers: umap_learn, sklearn_tsne, opentsne_bh, opentsne_fft. Each is fitted once first on a
few rows, untimed, so numba's compile (umap-learn: about 50 s) is not counted as fit time."""
import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ[var] = "1"

import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402

SAMPLE = 5000


def load(path, n):
    return np.fromfile(path, dtype=np.float64).reshape(n, -1)


def umap_epochs(n):
    return 200 if n > 10_000 else 500  # umap-learn's own default, passed to every UMAP


def peer(name, n):
    if name == "umap_learn":
        import umap
        return lambda x: umap.UMAP(n_neighbors=15, min_dist=0.1, n_epochs=umap_epochs(n), random_state=0,
                                   n_jobs=1).fit_transform(x)
    if name == "sklearn_tsne":
        from sklearn.manifold import TSNE
        return lambda x: TSNE(perplexity=30.0, early_exaggeration=12.0, learning_rate="auto", max_iter=1000,
                              init="pca", angle=0.5, method="barnes_hut", random_state=0, n_jobs=1).fit_transform(x)
    if name in ("opentsne_bh", "opentsne_fft"):
        import openTSNE
        # 250 exaggerated + 750 plain iterations = scikit-learn's max_iter=1000
        return lambda x: np.asarray(openTSNE.TSNE(
            perplexity=30, early_exaggeration=12, early_exaggeration_iter=250, n_iter=750, learning_rate="auto",
            initialization="pca", theta=0.5, negative_gradient_method=name[len("opentsne_"):], n_jobs=1,
            random_state=0).fit(x))
    raise SystemExit(f"unknown peer {name}")


def run(name, src, n, out):
    x = load(src, n)
    fit = peer(name, n)
    warnings.filterwarnings("ignore")
    fit(x[:4200].copy() if name == "umap_learn" else x[:300].copy())  # umap-learn uses NNDescent above 4,096 rows
    t0 = time.perf_counter()
    emb = fit(x)
    fit_ms = (time.perf_counter() - t0) * 1000
    np.ascontiguousarray(emb, dtype=np.float64).tofile(out)
    # ru_maxrss is in KiB on Linux: the process's peak, data and warm-up fit included.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"fit_ms": fit_ms, "peak_rss_bytes": peak}))


def score(src, n, embs):
    from sklearn.manifold import trustworthiness
    x = load(src, n)
    rows = np.sort(np.random.default_rng(0).choice(n, SAMPLE, replace=False)) if n > SAMPLE else np.arange(n)
    out = {}
    for path in embs:
        e = load(path, n)
        if e.shape[1] != 2 or not np.isfinite(e).all():
            out[path] = {"error": f"shape {e.shape}, finite {bool(np.isfinite(e).all())}"}
            continue
        out[path] = {f"trustworthiness_{k}": float(trustworthiness(x[rows], e[rows], n_neighbors=k)) for k in (5, 15)}
    print(json.dumps(out))


def prep(csv, out):
    import pandas as pd
    x = pd.read_csv(csv).iloc[:, :-1].to_numpy(dtype=np.float64)
    sd = x.std(axis=0)
    ((x - x.mean(axis=0)) / np.where(sd > 0, sd, 1.0)).tofile(out)
    print(json.dumps({"rows": x.shape[0], "features": x.shape[1]}))


cmd = sys.argv[1]
if cmd == "prep":
    prep(sys.argv[2], sys.argv[3])
elif cmd == "run":
    run(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
elif cmd == "score":
    score(sys.argv[2], int(sys.argv[3]), sys.argv[4:])
else:
    raise SystemExit(__doc__)
