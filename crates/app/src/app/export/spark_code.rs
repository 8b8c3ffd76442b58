//! The fixed Python text of the PySpark program, which `spark.rs` fills in and puts
//! together: kept apart so the generator reads as the list of steps it is.

pub(super) const READ_TABLE: &str = r#"def read_table(path):
    """Read a CSV with a header row; every cell as text for now. Quotes inside a quoted
    value are doubled (""), as in most CSV files."""
    table = spark.read.csv(path, header=True, sep=args.sep, quote='"', escape='"'@MULTILINE@)
    return table.toDF(*[@RENAME@ for name in table.columns])


def cell(name):
    """A column's text without spaces (or line ends) around it; the spellings in MISSING (any
    case) become empty (null)."""
    value = F.regexp_replace(F.col(name), r"^\s+|\s+$", "")
    return F.when(F.lower(value).isin(MISSING), None).otherwise(value)


"#;

pub(super) const FEATURES_AND_TARGET: &str = r#"def features_and_target(table):
    """The features, and _label: @WHAT@."""
@NUMBERS@    columns += [cell(name).alias(name) for name in CATEGORIES]
@LABEL@    return table.select(*columns, label.alias("_label")).where(F.col("_label").isNotNull())
"#;

pub(super) const FILL_TEXT: &str = r#"
modes = {}
for name in CATEGORIES:
    top = train.where(F.col(name).isNotNull()).groupBy(name).count().orderBy(F.desc("count"), name).first()
    if top is not None:
        modes[name] = top[name]
train, validation, test = (part.fillna(modes) for part in (train, validation, test))
"#;

pub(super) const FILL_TEXT_ALL: &str = r#"# An empty text cell gets its column's most frequent category.
modes = {}
for name in CATEGORIES:
    top = data.where(F.col(name).isNotNull()).groupBy(name).count().orderBy(F.desc("count"), name).first()
    if top is not None:
        modes[name] = top[name]
data = data.fillna(modes)
"#;

pub(super) const CLASSIFICATION_SCORES: &str = r#"def scores(part):
    """mlplay's scores for one part of the rows. The class-by-class counts (how many rows of
    class t were called p) come back from the cluster in one small table."""
    predicted = fitted.transform(part).cache()
    table = predicted.groupBy("_label", "prediction").count().collect()
    counts = {(int(r["_label"]), int(r["prediction"])): r["count"] for r in table}
    k = len(CLASSES)
    truth = [sum(counts.get((t, p), 0) for p in range(k)) for t in range(k)]
    called = [sum(counts.get((t, p), 0) for t in range(k)) for p in range(k)]
    hits = [counts.get((c, c), 0) for c in range(k)]
    precision = [hits[c] / called[c] if called[c] else 0.0 for c in range(k)]
    recall = [hits[c] / truth[c] if truth[c] else 0.0 for c in range(k)]
    f1 = [2 * p * r / (p + r) if p + r else 0.0 for p, r in zip(precision, recall)]
    present = [c for c in range(k) if truth[c]]
    s = {
        "accuracy": sum(hits) / sum(truth),
        "balanced_accuracy": sum(recall[c] for c in present) / len(present),
    }
"#;

pub(super) const BINARY: &str = r#"    s["precision"], s["recall"], s["f1"] = precision[1], recall[1], f1[1]  # class 1 is the positive one
"#;

pub(super) const MULTICLASS: &str = r#"    seen = [c for c in range(k) if truth[c] or called[c]]
    for name, per_class in [("precision", precision), ("recall", recall), ("f1", f1)]:
        s[f"{name}_macro"] = sum(per_class[c] for c in seen) / len(seen)
    s["f1_weighted"] = sum(f1[c] * truth[c] for c in range(k)) / sum(truth)
"#;

pub(super) const LOG_LOSS: &str = r#"    s["log_loss"] = MulticlassClassificationEvaluator(labelCol="_label", metricName="logLoss").evaluate(predicted)
"#;

pub(super) const ROC: &str = r#"    if len(present) == 2:
        for name, spark_name in [("roc_auc", "areaUnderROC"), ("pr_auc", "areaUnderPR")]:
            evaluator = BinaryClassificationEvaluator(labelCol="_label", rawPredictionCol="probability", metricName=spark_name)
            s[name] = evaluator.evaluate(predicted)
"#;

pub(super) const REGRESSION_SCORES: &str = r#"def scores(part):
    """mlplay's scores for one part of the rows, in one pass over them."""
    error = F.col("prediction") - F.col("_label")
    row = fitted.transform(part).agg(
        F.avg(error * error).alias("mse"), F.avg(F.abs(error)).alias("mae"), F.var_pop("_label").alias("variance")
    ).first()
    r2 = 1 - row["mse"] / row["variance"] if row["variance"] else float("nan")
    return {"mse": row["mse"], "rmse": row["mse"] ** 0.5, "mae": row["mae"], "r2": r2}
"#;

pub(super) const PRINT_SUPERVISED: &str = r#"

parts = {"train": train, "validation": validation, "test": test}
rows = {name: part.count() for name, part in parts.items()}
results = {name: scores(part) for name, part in parts.items() if rows[name] > 0}
if args.json:
    print(json.dumps({"model": "@KIND@", "rows": rows, "metrics": results}, indent=2))
else:
    names = list(results["train"])
    print(" " * 12 + "".join(f"{name:>18}" for name in names))
    for name, s in results.items():
        print(f"{name:<12}" + "".join(f"{s.get(metric, float('nan')):>18.4f}" for metric in names))
spark.stop()
"#;

pub(super) const ADJUSTED_RAND: &str = r#"def adjusted_rand(predicted):
    """The adjusted Rand index between the groups and the classes, from their table of counts."""
    cells = predicted.groupBy("_label", "prediction").count().collect()
    n = sum(r["count"] for r in cells)
    by_class, by_group = {}, {}
    for r in cells:
        by_class[r["_label"]] = by_class.get(r["_label"], 0) + r["count"]
        by_group[r["prediction"]] = by_group.get(r["prediction"], 0) + r["count"]
    index = sum(comb(r["count"], 2) for r in cells)
    a, b = sum(comb(v, 2) for v in by_class.values()), sum(comb(v, 2) for v in by_group.values())
    expected, best = a * b / comb(n, 2), (a + b) / 2
    return 1.0 if best == expected else (index - expected) / (best - expected)


"#;

pub(super) const CLUSTER_SCORES: &str = r#"predicted = fitted.transform(data).cache()
scores = {"n_clusters": predicted.select("prediction").distinct().count()}
if scores["n_clusters"] >= 2:
    scores["silhouette"] = ClusteringEvaluator(featuresCol="_features").evaluate(predicted)
"#;

pub(super) const CAP_CATEGORIES: &str = r#"
# One-hot cap, as in mlplay: a text column with more than @MAX@ categories in the training rows
# keeps the @MAX@ most frequent (ties: the first alphabetically here, the first seen in mlplay);
# the rest, and categories the training rows never showed, share the category "(other)".
for name in CATEGORIES:
    counts = @FIT@.where(F.col(name).isNotNull()).groupBy(name).count()
    top = [r[name] for r in counts.orderBy(F.desc("count"), name).limit(@MAX@ + 1).collect()]
    if len(top) > @MAX@:
        capped = F.when(F.col(name).isNull() | F.col(name).isin(top[:@MAX@]), F.col(name)).otherwise(F.lit("(other)"))
        @PARTS@ = (part.withColumn(name, capped) for part in (@PARTS@))
"#;
