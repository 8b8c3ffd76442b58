//! The fixed Python text of the scikit-learn program, which `sklearn.rs` fills in and puts
//! together: kept apart so the generator reads as the list of steps it is.

pub(super) const READ_TABLE: &str = r#"def read_table(path):
    """Read a CSV as mlplay does: the delimiter is guessed from the first line, spaces around
    values are trimmed, and the spellings in MISSING (in any case) mean "no value"."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        first_line = f.readline()
    delimiter = max([",", ";", "\t", "|"], key=first_line.count)
    table = pd.read_csv(path, sep=delimiter, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    table.columns = [str(name).strip() for name in table.columns]
    table = table.apply(lambda column: column.str.strip())
    return table.mask(table.apply(lambda column: column.str.lower().isin(MISSING)))


"#;

pub(super) const FEATURES_AND_TARGET: &str = r#"def features_and_target(table):
    """The model's inputs X, and the answers y: @WHAT_Y@.
    Rows with no answer are left out."""
    X = pd.DataFrame(index=table.index)
    for name in NUMBERS:
@NUMBER@    for name in CATEGORIES:
        X[name] = table[name]
@Y@    known = y.notna()
    if not known.all():
        print(f"note: {(~known).sum()} rows with @UNKNOWN@ in {TARGET!r} are left out")
    return X[known], y[known]
"#;

pub(super) const CLASSIFICATION_SCORES: &str = r#"def scores(X, y):
    """mlplay's scores for one part of the rows."""
    proba = pipeline.predict_proba(X)
    classes = pipeline.classes_
    predicted = classes[proba.argmax(axis=1)]
    s = {
        "accuracy": accuracy_score(y, predicted),
        "balanced_accuracy": balanced_accuracy_score(y, predicted),
        "log_loss": log_loss(y, proba, labels=classes),
    }
"#;

pub(super) const BINARY_SCORES: &str = r#"    # POS_LABEL (class 1, the second of CLASSES) is the positive class.
    s["precision"] = precision_score(y, predicted, pos_label=POS_LABEL, zero_division=0)
    s["recall"] = recall_score(y, predicted, pos_label=POS_LABEL, zero_division=0)
    s["f1"] = f1_score(y, predicted, pos_label=POS_LABEL, zero_division=0)
    if y.nunique() == 2:  # both classes present; otherwise these are undefined
        positive = proba[:, list(classes).index(POS_LABEL)]
        s["roc_auc"] = roc_auc_score(y, positive)
        s["average_precision"] = average_precision_score(y, positive, pos_label=POS_LABEL)
"#;

pub(super) const MULTICLASS_SCORES: &str = r#"    for name, score in [("precision", precision_score), ("recall", recall_score), ("f1", f1_score)]:
        s[f"{name}_macro"] = score(y, predicted, average="macro", zero_division=0)
    s["f1_weighted"] = f1_score(y, predicted, average="weighted", zero_division=0)
    if y.nunique() == len(classes):  # every class present; otherwise undefined
        s["roc_auc_ovr"] = roc_auc_score(y, proba, multi_class="ovr", labels=classes)
"#;

pub(super) const REGRESSION_SCORES: &str = r#"def scores(X, y):
    """mlplay's scores for one part of the rows."""
    predicted = pipeline.predict(X)
    mse = mean_squared_error(y, predicted)
    return {"mse": mse, "rmse": mse ** 0.5, "mae": mean_absolute_error(y, predicted), "r2": r2_score(y, predicted)}
"#;

pub(super) const PRINT_SUPERVISED: &str = r#"

parts = {"train": (X_train, y_train), "validation": (X_val, y_val), "test": (X_test, y_test)}
results = {part: scores(X, y) for part, (X, y) in parts.items() if len(y) > 0}
if as_json:
    rows = {part: len(y) for part, (X, y) in parts.items()}
    print(json.dumps({"model": "@KIND@", "rows": rows, "metrics": results}, indent=2))
else:
    names = list(results["train"])
    print(" " * 12 + "".join(f"{name:>18}" for name in names))
    for part, s in results.items():
        print(f"{part:<12}" + "".join(f"{s.get(name, float('nan')):>18.4f}" for name in names))
"#;

pub(super) const CLUSTER_SCORES_HEAD: &str = r#"def sample(n, size=5000):
    """At most `size` of n rows, drawn with the seed (the silhouette costs rows x rows)."""
    return np.arange(n) if n <= size else np.random.default_rng(SEED).choice(n, size, replace=False)


found = set(labels) - {-1}
scores = {"n_clusters": len(found)}
rows = sample(len(labels))
if 2 <= len(set(labels[rows])) < len(rows):  # the silhouette needs 2 groups or more
    scores["silhouette"] = silhouette_score(X_prepared[rows], labels[rows])
"#;

pub(super) const TRUST_SCORES: &str = r#"rows = np.arange(len(X_prepared))
if len(rows) > 5000:  # trustworthiness costs rows x rows: use a seeded sample
    rows = np.random.default_rng(SEED).choice(len(rows), 5000, replace=False)
for k in [5, 15]:
    if k < len(rows) / 2:
        scores[f"trustworthiness_{k}"] = trustworthiness(X_prepared[rows], embedding[rows], n_neighbors=k)
"#;

pub(super) const PRINT_UNSUPERVISED: &str = r#"
if as_json:
    print(json.dumps({"model": "@KIND@", "rows": len(X_prepared), "metrics": scores}, indent=2, default=float))
else:
    for name, value in scores.items():
        print(f"{name:<36}{value:>12.4f}")
"#;

pub(super) const UNPACK_PARTS: &str = r#"def unpack_parts(packed, n):
    """Each row's part from PARTS: four rows to a byte, two bits each, the first row highest."""
    data = np.frombuffer(base64.b64decode(packed), dtype=np.uint8)
    return ((data[:, None] >> np.array([6, 4, 2, 0], dtype=np.uint8)) & 3).ravel()[:n]
"#;
