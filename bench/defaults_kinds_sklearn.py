"""The scikit-learn side of the defaults benchmark's every-kind rows: each kind's scikit-learn
counterpart with scikit-learn's defaults, on the standardised features of the files mlplay
fits (scaling not timed), one thread, after a warm-up fit on a few rows. Classifiers and
self-training on CLS (make_classification, 16,000 x 20), regressors on REG
(make_regression), PCA, DBSCAN and the isolation forest on CLS's training features, t-SNE
and UMAP on DIGITS. Times fit (and for kNN, fit and the test rows' predictions) REPEATS
times; prints one JSON line: per kind, the times, the iterations where there are any, and
a quality figure.
Usage: OMP_NUM_THREADS=1 defaults_kinds_sklearn.py CLS_TRAIN CLS_TEST REG_TRAIN REG_TEST DIGITS REPEATS"""
import json
import sys
import time
import warnings

import numpy as np
import pandas as pd
from sklearn.cluster import DBSCAN
from sklearn.decomposition import PCA
from sklearn.ensemble import HistGradientBoostingClassifier, IsolationForest, RandomForestClassifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import Lasso, LinearRegression, LogisticRegression, Ridge
from sklearn.manifold import TSNE
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.semi_supervised import SelfTrainingClassifier
from sklearn.tree import DecisionTreeClassifier

warnings.simplefilter("ignore", ConvergenceWarning)
cls_train, cls_test, reg_train, reg_test, digits_file, repeats = sys.argv[1:6] + [int(sys.argv[6])]


def xy(train_file, test_file):
    train, test = pd.read_csv(train_file), pd.read_csv(test_file)
    scaler = StandardScaler().fit(train.iloc[:, :-1].to_numpy())
    return (scaler.transform(train.iloc[:, :-1].to_numpy()), train.iloc[:, -1].to_numpy(),
            scaler.transform(test.iloc[:, :-1].to_numpy()), test.iloc[:, -1].to_numpy())


xc, yc, xct, yct = xy(cls_train, cls_test)
xr, yr, xrt, yrt = xy(reg_train, reg_test)
digits = pd.read_csv(digits_file)
xd = StandardScaler().fit_transform(digits.iloc[:, :-1].to_numpy())


def timed(run):
    run(warm=True)
    runs, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = run(warm=False)
        runs.append((time.perf_counter() - t0) * 1000)
    return out, runs


def fit(make, x, y=None, after=None):
    def run(warm):
        n = 500 if warm else len(x)
        m = make().fit(x[:n], None if y is None else y[:n])
        if after is not None and not warm:
            after(m)
        return m
    return run


out = {}


def supervised(name, make, x, y, xt, yt, metric, predict=False):
    model, runs = timed(fit(make, x, y, (lambda m: m.predict(xt)) if predict else None))
    row = {"fit_ms": runs, "quality": float(metric(model, xt, yt))}
    n_iter = getattr(model, "n_iter_", None)
    if n_iter is not None:
        row["n_iter"] = int(np.max(n_iter))
    out[name] = row


acc = lambda m, x, y: m.score(x, y)  # noqa: E731 (accuracy for classifiers, R^2 for regressors)
supervised("knn", KNeighborsClassifier, xc, yc, xct, yct, acc, predict=True)
supervised("naive_bayes", GaussianNB, xc, yc, xct, yct, acc)
supervised("decision_tree", lambda: DecisionTreeClassifier(random_state=0), xc, yc, xct, yct, acc)
supervised("random_forest", lambda: RandomForestClassifier(random_state=0), xc, yc, xct, yct, acc)
supervised("gradient_boosting", lambda: HistGradientBoostingClassifier(random_state=0), xc, yc, xct, yct, acc)
supervised("mlp", lambda: MLPClassifier(random_state=0), xc, yc, xct, yct, acc)
# Self-training as mlplay's defaults: 80% of the training labels hidden, logistic regression inside.
hidden = np.random.default_rng(0).random(len(yc)) < 0.8
supervised("self_training", lambda: SelfTrainingClassifier(LogisticRegression(), threshold=0.75, max_iter=10),
           xc, np.where(hidden, -1, yc), xct, yct, acc)
supervised("linear_regression", LinearRegression, xr, yr, xrt, yrt, acc)
supervised("ridge", Ridge, xr, yr, xrt, yrt, acc)
supervised("lasso", Lasso, xr, yr, xrt, yrt, acc)

model, runs = timed(fit(lambda: IsolationForest(random_state=0), xc))
out["isolation_forest"] = {"fit_ms": runs, "quality": None}
model, runs = timed(fit(lambda: PCA(n_components=2), xc))
out["pca"] = {"fit_ms": runs, "quality": float(model.explained_variance_ratio_.sum())}
model, runs = timed(fit(DBSCAN, xc))
labels = model.labels_
out["dbscan"] = {"fit_ms": runs, "quality": f"{len(set(labels) - {-1})} clusters, {int((labels == -1).sum())} noise"}
model, runs = timed(fit(lambda: TSNE(random_state=0), xd))
out["tsne"] = {"fit_ms": runs, "quality": float(model.kl_divergence_), "n_iter": int(model.n_iter_)}
try:
    import umap  # umap-learn; random_state keeps it on one thread

    model, runs = timed(fit(lambda: umap.UMAP(random_state=0), xd))
    out["umap"] = {"fit_ms": runs, "quality": None}
except ImportError:
    pass
print(json.dumps(out))
