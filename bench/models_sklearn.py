"""The scikit-learn side of the model benchmark: fit time (single thread) and test accuracy
of the same three models mlplay runs, on the same train/test files. Prints JSON.
Usage: OMP_NUM_THREADS=1 models_sklearn.py TRAIN.csv TEST.csv"""
import json
import sys
import time

import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

train, test = pd.read_csv(sys.argv[1]), pd.read_csv(sys.argv[2])
xt, yt = train.iloc[:, :-1].to_numpy(), train.iloc[:, -1].to_numpy()
xs, ys = test.iloc[:, :-1].to_numpy(), test.iloc[:, -1].to_numpy()

models = {
    # mlplay standardises inputs for the linear model; so does this pipeline (scaling is
    # timed as part of the fit, as mlplay's preprocessing is not).
    "logistic_regression": (LogisticRegression(C=1.0, max_iter=100), True),
    "random_forest": (RandomForestClassifier(n_estimators=100, n_jobs=1, random_state=0), False),
    "gradient_boosting": (HistGradientBoostingClassifier(max_iter=100, max_bins=255, early_stopping=False,
                                                         random_state=0), False),
}
out = {}
for name, (model, scale) in models.items():
    a, b = xt, xs
    if scale:
        s = StandardScaler().fit(xt)
        a, b = s.transform(xt), s.transform(xs)
    t0 = time.perf_counter()
    model.fit(a, yt)
    fit_ms = (time.perf_counter() - t0) * 1000
    out[name] = {"fit_ms": fit_ms, "accuracy": float(model.score(b, ys))}
print(json.dumps(out))
