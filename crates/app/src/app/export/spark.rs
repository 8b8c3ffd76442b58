//! The PySpark program: the same steps as the scikit-learn one, as a Spark MLlib Pipeline
//! (Imputer, StringIndexer/OneHotEncoder, VectorAssembler, StandardScaler/MinMaxScaler and
//! the estimator) that runs under spark-submit on a cluster or in local mode, reading the
//! CSV from a path, an hdfs:// or an s3a:// URI.

use super::doc::{Program, Section};
use super::plan::Plan;
use super::sklearn::header;
use super::sklearn_code::UNPACK_PARTS;
use super::spark_code::*;
use super::spark_model::{spark_model, SparkModel};
use super::{fill, py};
use crate::base::error::Result;
use crate::data::prep::{Encoding, Imputer, Scaling};
use crate::kinds::Family;

/// Spark's own output columns; a data column with one of these names is renamed.
const RESERVED: [&str; 5] = ["prediction", "probability", "rawPrediction", "label", "features"];

pub fn program(plan: &Plan) -> Result<Program> {
    let model = spark_model(&plan.kind, &plan.params, plan.task, plan.classes.len())?;
    let names = SafeNames::new(plan);
    let supervised = plan.family == Family::Supervised;
    let mut imports = vec!["import argparse".to_string(), "import json".into()];
    if supervised {
        // PARTS is unpacked with numpy (which MLlib needs anyway), as in the scikit-learn script.
        imports.insert(1, "import base64".into());
    }
    if plan.family == Family::Clustering && !plan.classes.is_empty() {
        imports.push("from math import comb".into());
    }
    imports.extend(["".into(), "from pyspark.ml import Pipeline".to_string()]);
    match plan.family {
        Family::Clustering => imports.push("from pyspark.ml.evaluation import ClusteringEvaluator".into()),
        Family::Supervised if plan.is_classification() && model.probabilities && plan.classes.len() == 2 => imports
            .push(
                "from pyspark.ml.evaluation import BinaryClassificationEvaluator, MulticlassClassificationEvaluator"
                    .into(),
            ),
        Family::Supervised if plan.is_classification() && model.probabilities => {
            imports.push("from pyspark.ml.evaluation import MulticlassClassificationEvaluator".into())
        }
        _ => {}
    }
    imports.push(format!("from pyspark.ml.feature import {}", feature_imports(plan).join(", ")));
    imports.extend(model.imports.iter().cloned());
    if supervised {
        imports.insert(imports.iter().position(|l| l.is_empty()).map_or(0, |i| i + 1), "import numpy as np".into());
    }
    imports.push("from pyspark.sql import SparkSession, functions as F".into());
    if supervised {
        imports.push("from pyspark.sql.types import IntegerType, StructField, StructType".into());
    }
    let mut sections = vec![settings(plan, &names), arguments(plan), read(plan, &names)];
    sections.push(if supervised { split(plan) } else { all_rows(plan) });
    sections.push(prepare(plan));
    sections.push(train(plan, &model));
    sections.push(if supervised { scores(plan, &model) } else { unsupervised_scores(plan) });
    Ok(Program { header: header(plan, "Spark MLlib"), usage: usage(plan), imports, sections })
}

/// Column names Spark can take as they are; others get `column_N` (RENAME says which).
struct SafeNames {
    rename: Vec<(String, String)>,
}

impl SafeNames {
    fn new(plan: &Plan) -> SafeNames {
        let mut rename = vec![];
        let all = plan.numbers.iter().chain(&plan.categories).chain(std::iter::once(&plan.target));
        for (i, n) in all.enumerate() {
            if !py::is_identifier(n) || RESERVED.contains(&n.as_str()) || n.starts_with("column_") {
                rename.push((n.clone(), format!("column_{}", i + 1)));
            }
        }
        SafeNames { rename }
    }

    fn get(&self, name: &str) -> String {
        self.rename.iter().find(|(n, _)| n == name).map_or_else(|| name.to_string(), |(_, s)| s.clone())
    }

    fn list(&self, names: &[String]) -> String {
        py::list(names.iter().map(|n| py::string(&self.get(n))))
    }
}

fn feature_imports(plan: &Plan) -> Vec<&'static str> {
    let mut v = vec![];
    if !plan.numbers.is_empty() {
        v.push("Imputer");
    }
    let native = plan.encoding == Encoding::Native;
    if !plan.categories.is_empty() && !native {
        v.push("OneHotEncoder");
    }
    if !native && !plan.numbers.is_empty() {
        match plan.prep.scaler {
            Scaling::Standard => v.push("StandardScaler"),
            Scaling::MinMax => v.push("MinMaxScaler"),
            Scaling::None => {}
        }
    }
    if !plan.categories.is_empty() {
        v.push("StringIndexer");
    }
    v.push("VectorAssembler");
    v.sort();
    v
}

fn usage(plan: &Plan) -> String {
    let file = format!("{}_spark.py", plan.file_stem());
    let data = plan.default_data_file().map_or("DATA.csv".into(), |f| py::comment_text(&f, 60));
    let supervised = plan.family == Family::Supervised;
    let test = if supervised { " [TEST.csv]" } else { "" };
    format!(
        "Run it on a cluster:\n    spark-submit --master yarn {file} hdfs:///data/{data}{test}\n\
         or on this machine (pip install pyspark; Java 17 or newer):\n    python {file} {data}{test}\n  \
         DATA: the table, a CSV file with a header row: a local path, an hdfs:// or an s3a:// URI; {}{}\n  \
         --sep: the delimiter if it is not a comma; --json: print the scores as one JSON object.",
        super::source_note(plan),
        if supervised {
            "\n  TEST: optional, a held-out file with the same columns, scored as the test set (as mlplay run --test-data)."
        } else {
            ""
        },
    )
}

fn settings(plan: &Plan, names: &SafeNames) -> Section {
    let mut code = format!("DATA_FILE = {}\n", plan.default_data_file().map_or("None".into(), |f| py::string(&f)));
    if !names.rename.is_empty() {
        let items: Vec<String> =
            names.rename.iter().map(|(a, b)| format!("    {}: {},", py::string(a), py::string(b))).collect();
        code.push_str(&format!("RENAME = {{\n{}\n}}\n", items.join("\n")));
    }
    code.push_str(&format!("TARGET = {}\n", py::string(&names.get(&plan.target))));
    code.push_str(&format!("NUMBERS = {}\n", names.list(&plan.numbers)));
    if !plan.yes_no.is_empty() {
        code.push_str(&format!("YES_NO = {}\n", names.list(&plan.yes_no)));
    }
    code.push_str(&format!("CATEGORIES = {}\n", names.list(&plan.categories)));
    if !plan.classes.is_empty() {
        code.push_str(&format!("CLASSES = {}\n", py::list(plan.class_literals())));
        if plan.classes.len() == 2 {
            code.push_str(&format!(
                "# Class 1 ({}) is the positive class that precision and recall are about.\n",
                plan.classes[1].replace(['\n', '\r'], " ")
            ));
        }
    }
    code.push_str(&format!("SEED = {}\n", plan.seed));
    if plan.family == Family::Supervised {
        let s = plan.split;
        code.push_str(&format!(
            "TRAIN, VALIDATION, TEST = {}, {}, {}\n",
            py::number(s.train),
            py::number(s.validation),
            py::number(s.test)
        ));
    }
    if plan.kind == "dbscan" {
        let k = if plan.classes.len() >= 2 { plan.classes.len() } else { 3 };
        code.push_str(&format!("K = {k}  # groups for BisectingKMeans: set it to the number of clusters you expect\n"));
    }
    code.push_str("MISSING = [\"\", \"na\", \"n/a\", \"nan\", \"null\", \"?\", \"-\"]\n");
    let mut prose = String::from(
        "The choices made in the playground. TARGET is the column the model learns to predict, NUMBERS the numeric \
         features, CATEGORIES the text ones; other columns are not used.",
    );
    if !names.rename.is_empty() {
        prose.push_str(" Spark reads dots and odd characters in a column name as code, so the columns in RENAME get plain names first.");
    }
    if !plan.classes.is_empty() {
        prose.push_str(" CLASSES are the answers in mlplay's order; Spark sees them as numbers 0, 1, 2... (with two classes, 1 is the positive class).");
    }
    prose.push_str(" SEED makes every random choice repeatable; MISSING lists the spellings of an empty cell.");
    Section::new("Settings from the playground", &prose, code)
}

fn arguments(plan: &Plan) -> Section {
    let test = plan.family == Family::Supervised;
    let mut code =
        String::from("parser = argparse.ArgumentParser(description=\"mlplay's experiment, with Spark MLlib.\")\n");
    code.push_str("parser.add_argument(\"data\", nargs=\"?\", default=DATA_FILE, help=\"the CSV: a path, hdfs://... or s3a://...\")\n");
    if test {
        code.push_str(
            "parser.add_argument(\"test_data\", nargs=\"?\", help=\"a held-out CSV scored as the test set\")\n",
        );
    }
    code.push_str("parser.add_argument(\"--sep\", default=\",\", help=\"the CSV's delimiter\")\n");
    code.push_str("parser.add_argument(\"--json\", action=\"store_true\", help=\"print the scores as JSON\")\nargs = parser.parse_args()\n");
    code.push_str("if args.data is None:\n    parser.error(\"give the data: a CSV path or URI\")\n\n");
    code.push_str(&format!(
        "spark = SparkSession.builder.appName({}).config(\"spark.ui.showConsoleProgress\", \"false\").getOrCreate()\n\
         spark.sparkContext.setLogLevel(\"ERROR\")\n",
        py::string(&format!("mlplay {} {}", plan.title, plan.kind))
    ));
    let prose = "spark-submit decides where this runs (--master yarn, k8s://..., local[*]); started with plain python \
                 it runs in local mode on every core of this machine.";
    Section::new("Where the data is, and where Spark runs", prose, code)
}

fn read(plan: &Plan, names: &SafeNames) -> Section {
    let multiline = plan
        .numbers
        .iter()
        .chain(&plan.categories)
        .chain(std::iter::once(&plan.target))
        .any(|n| n.contains(['\n', '\r']));
    let mut code = fill(
        READ_TABLE,
        &[
            ("@MULTILINE@", if multiline { ", multiLine=True" } else { "" }),
            (
                "@RENAME@",
                if names.rename.is_empty() { "name.strip()" } else { "RENAME.get(name.strip(), name.strip())" },
            ),
        ],
    );
    let numbers = if plan.yes_no.is_empty() {
        "    columns = [cell(name).cast(\"double\").alias(name) for name in NUMBERS]\n"
    } else {
        "    yes, no = [\"true\", \"yes\", \"y\", \"t\"], [\"false\", \"no\", \"n\", \"f\"]\n    columns = [\n        \
         F.when(F.lower(cell(name)).isin(yes), 1.0).when(F.lower(cell(name)).isin(no), 0.0).alias(name)\n        \
         if name in YES_NO else cell(name).cast(\"double\").alias(name)\n        for name in NUMBERS\n    ]\n"
    };
    let label = match (plan.classes.is_empty(), plan.numeric_classes) {
        (true, _) => "    label = cell(TARGET).cast(\"double\")\n",
        (false, true) => "    class_number = F.create_map(*[F.lit(x) for i, c in enumerate(CLASSES) for x in (float(c), float(i))])\n    \
                          label = class_number[cell(TARGET).cast(\"double\")]\n",
        (false, false) => "    class_number = F.create_map(*[F.lit(x) for i, c in enumerate(CLASSES) for x in (c, float(i))])\n    \
                           label = class_number[cell(TARGET)]\n",
    };
    let what =
        if plan.classes.is_empty() { "the value to predict" } else { "the class number, in the order of CLASSES" };
    code.push_str(&fill(FEATURES_AND_TARGET, &[("@NUMBERS@", numbers), ("@LABEL@", label), ("@WHAT@", what)]));
    let prose = "Spark reads every cell as text; features_and_target turns the feature columns into numbers (or \
                 keeps them as categories) and adds the answer as the column _label. Rows with no answer are left out.";
    Section::new("1. Read the data", prose, code)
}

fn drop_incomplete(plan: &Plan) -> &'static str {
    if plan.prep.imputer == Imputer::DropRows {
        "# imputer drop_rows: leave out every row with a missing feature.\ndata = data.dropna(subset=NUMBERS + CATEGORIES)\n"
    } else {
        ""
    }
}

fn split(plan: &Plan) -> Section {
    let code = format!(
        "{}{UNPACK_PARTS}\n\ndata = features_and_target(read_table(args.data))\n\
         if args.test_data:\n    test = features_and_target(read_table(args.test_data))\n    \
         train, validation = drop_incomplete(data).randomSplit([TRAIN, VALIDATION], seed=SEED)\n\
         elif data.count() == ROWS:\n    \
         # mlplay's own rows: number the rows in file order (zipWithIndex keeps the order of the\n    \
         # file's partitions) and give each one its part from PARTS.\n    \
         part = unpack_parts(PARTS, ROWS).tolist()\n    \
         numbered = data.rdd.zipWithIndex().map(lambda pair: (*pair[0], int(part[pair[1]])))\n    \
         data = spark.createDataFrame(numbered, StructType(data.schema.fields + [StructField(\"_part\", IntegerType())]))\n    \
         train, validation, test = (data.where(F.col(\"_part\") == p).drop(\"_part\") for p in range(3))\n\
         else:\n    print(f\"note: {{data.count()}} rows, not the {{ROWS}} mlplay split; drawing a new split with the seed\")\n    \
         train, validation, test = drop_incomplete(data).randomSplit([TRAIN, VALIDATION, TEST], seed=SEED)\n\
         train, validation, test = train.cache(), validation.cache(), test.cache()\n{}{}",
        super::sklearn::parts_constant(plan),
        if plan.categories.is_empty() || plan.prep.imputer == Imputer::Keep { "" } else { FILL_TEXT },
        cap_categories(plan, "train", "train, validation, test"),
    );
    let code = format!("{}{code}", drop_incomplete_function(plan));
    let prose = "The model learns from the training rows; the validation rows score it while you compare settings; \
                 the test rows are kept for one final, honest score.\n\
                 PARTS holds mlplay's own choice of rows, packed (two bits a row: 0 train, 1 validation, 2 test, 3 left \
                 out for a missing value), so this job trains, validates and tests on the very rows the playground \
                 used. Given a file with another number of rows (or a held-out TEST file), randomSplit draws each \
                 row's part at random with the seed instead: about (not exactly) the playground's shares, other rows.";
    let mut s = Section::new("2. Split the rows", prose, code);
    if !plan.categories.is_empty() && plan.prep.imputer != Imputer::Keep {
        s.prose.push_str("\nAn empty text cell gets its column's most frequent category in the training rows.");
    }
    s
}

/// `drop_incomplete(data)`: the rows a new split may use (all of them, or, with the
/// drop_rows imputer, those with every feature; mlplay's PARTS already marks the others 3).
fn drop_incomplete_function(plan: &Plan) -> &'static str {
    if plan.prep.imputer == Imputer::DropRows {
        "def drop_incomplete(data):\n    \"\"\"imputer drop_rows: leave out every row with a missing feature.\"\"\"\n    \
         return data.dropna(subset=NUMBERS + CATEGORIES)\n\n\n"
    } else {
        "def drop_incomplete(data):\n    return data\n\n\n"
    }
}

/// Past `MAX_CATEGORIES` categories in `fit` (the training rows), a text column keeps its most
/// frequent ones and the rest become "(other)" in every part, as mlplay's one-hot encoder does.
fn cap_categories(plan: &Plan, fit: &str, parts: &str) -> String {
    if plan.categories.is_empty() || plan.encoding == Encoding::Native {
        return String::new();
    }
    fill(
        CAP_CATEGORIES,
        &[("@MAX@", &crate::data::prep::MAX_CATEGORIES.to_string()), ("@FIT@", fit), ("@PARTS@", parts)],
    )
}

fn all_rows(plan: &Plan) -> Section {
    let code = format!(
        "data = features_and_target(read_table(args.data)).cache()\n{}{}{}",
        drop_incomplete(plan),
        if plan.categories.is_empty() { "" } else { FILL_TEXT_ALL },
        cap_categories(plan, "data", "data,"),
    );
    let prose = "Learning without a target: the model sees every row's features, never the answers (they are only \
                 used afterwards, to see how well the groups match them).";
    Section::new("2. Use every row", prose, code)
}

fn prepare(plan: &Plan) -> Section {
    let native = plan.encoding == Encoding::Native;
    let strategy = match plan.prep.imputer {
        Imputer::Median => "median",
        Imputer::MostFrequent => "mode",
        _ => "mean",
    };
    let mut code = String::from("stages = []\nassembled = []\n");
    let mut prose = vec![];
    if !plan.numbers.is_empty() {
        code.push_str(&format!(
            "filled = [f\"_filled_{{name}}\" for name in NUMBERS]\nstages.append(Imputer(strategy=\"{strategy}\", inputCols=NUMBERS, outputCols=filled))\n"
        ));
        prose.push(format!(
            "Imputation: a model needs a value in every cell, so each empty numeric cell is filled with the {} of its \
             column{}{}.",
            if strategy == "mode" { "most frequent value" } else { strategy },
            if plan.family == Family::Supervised { " in the training rows" } else { "" },
            if plan.prep.imputer == Imputer::Keep {
                " (mlplay's trees can keep cells empty; Spark's trees cannot)"
            } else {
                ""
            }
        ));
        let scaler = match (native, plan.prep.scaler) {
            (false, Scaling::Standard) => {
                Some("StandardScaler(inputCol=\"_numbers\", outputCol=\"_scaled\", withMean=True, withStd=True)")
            }
            (false, Scaling::MinMax) => Some("MinMaxScaler(inputCol=\"_numbers\", outputCol=\"_scaled\")"),
            _ => None,
        };
        match scaler {
            Some(s) => {
                code.push_str(&format!(
                    "stages.append(VectorAssembler(inputCols=filled, outputCol=\"_numbers\"))\nstages.append({s})\nassembled.append(\"_scaled\")\n"
                ));
                prose.push(if plan.prep.scaler == Scaling::MinMax {
                    "Scaling: each numeric feature is squeezed into 0..1 using its training range, so features in different units weigh the same.".into()
                } else {
                    "Scaling: each numeric feature is shifted to mean 0 and stretched to standard deviation 1 using the \
                     training rows, so features in different units weigh the same (Spark divides by the sample \
                     standard deviation, mlplay and scikit-learn by the population one: a hair's difference)."
                        .to_string()
                });
            }
            None => code.push_str("assembled += filled\n"),
        }
    }
    if !plan.categories.is_empty() {
        code.push_str(
            "indexed = [f\"_index_{name}\" for name in CATEGORIES]\nstages.append(StringIndexer(inputCols=CATEGORIES, outputCols=indexed, handleInvalid=\"keep\"))\n",
        );
        if native {
            code.push_str("assembled += indexed\n");
            prose.push("Categories: each text column becomes category numbers that Spark's trees split into groups, as mlplay's do.".into());
        } else {
            code.push_str(
                "one_hot = [f\"_onehot_{name}\" for name in CATEGORIES]\nstages.append(OneHotEncoder(inputCols=indexed, outputCols=one_hot))\nassembled += one_hot\n",
            );
            prose.push(
                "One-hot encoding: a text column with k categories becomes k columns of 0s and 1s (StringIndexer \
                 numbers the categories, OneHotEncoder spreads them out). A category the training rows never showed \
                 falls in StringIndexer's extra \"unknown\" slot, which OneHotEncoder drops: all zeros, as in mlplay."
                    .into(),
            );
        }
    }
    code.push_str("stages.append(VectorAssembler(inputCols=assembled, outputCol=\"_features\"))\n");
    prose.push(
        "VectorAssembler packs the prepared columns into one vector per row, the form Spark's models read.".into(),
    );
    if plan.family == Family::Supervised {
        prose.push("The Pipeline learns all of this from the training rows only and applies it unchanged to the others, so nothing about them leaks into training.".into());
    }
    Section::new("3. Prepare the features", &prose.join("\n"), code)
}

fn train(plan: &Plan, model: &SparkModel) -> Section {
    let mut code = String::new();
    let part = if plan.family == Family::Supervised { "train" } else { "data" };
    if model.call.contains("n_train") {
        code.push_str("n_train = train.count()\n");
    }
    if model.call.contains("max_bins") {
        let floor = plan.param("max_bins").as_u64().filter(|_| plan.kind == "gradient_boosting").unwrap_or(128);
        if plan.categories.is_empty() {
            code.push_str(&format!("max_bins = {floor}\n"));
        } else {
            code.push_str(&format!(
                "# Spark's trees need a bin for every category (and one for unknown ones).\n\
                 max_bins = max([{floor}] + [{part}.select(name).distinct().count() + 1 for name in CATEGORIES])\n"
            ));
        }
    }
    if model.call.contains("n_features") {
        code.push_str("n_features = Pipeline(stages=stages).fit(train).transform(train).first()[\"_features\"].size\n");
    }
    code.push_str(&format!(
        "{}model = {}\nfitted = Pipeline(stages=stages + [model]).fit({part})\n",
        model.define, model.call
    ));
    let mut prose = model.about.clone();
    for n in &model.notes {
        prose.push('\n');
        prose.push_str(n);
    }
    Section::new(
        if plan.family == Family::Supervised { "4. Train the model" } else { "4. Fit the model" },
        &prose,
        code,
    )
}

fn scores(plan: &Plan, model: &SparkModel) -> Section {
    let body = if !plan.is_classification() {
        REGRESSION_SCORES.to_string()
    } else {
        let mut b = CLASSIFICATION_SCORES.to_string();
        b.push_str(if plan.classes.len() == 2 { BINARY } else { MULTICLASS });
        if model.probabilities {
            b.push_str(LOG_LOSS);
            if plan.classes.len() == 2 {
                b.push_str(ROC);
            }
        }
        b.push_str("    predicted.unpersist()\n    return s\n");
        b
    };
    let prose = if plan.is_classification() {
        "mlplay's scores for each part of the rows, counted by Spark. accuracy: the share of rows given the right \
         class; balanced_accuracy: the mean of the per-class recalls. precision: of the rows called positive, the \
         share that are; recall: of the positive rows, the share found; f1 combines them (macro: averaged over \
         classes; weighted: by each class's rows). log_loss: how much probability went to the right class (lower is \
         better). roc_auc rates the ranking by probability; pr_auc is Spark's area under the precision-recall curve \
         (mlplay's average_precision sums steps instead of trapezoids: close, not equal)."
    } else {
        "mlplay's scores for each part of the rows, computed by Spark: mse, the mean squared error; rmse, its square \
         root in the target's units; mae, the mean size of the errors; r2, the share of the target's variance \
         explained (1 is perfect, 0 no better than the mean)."
    };
    Section::new("5. Score it", prose, format!("{body}{}", fill(PRINT_SUPERVISED, &[("@KIND@", &plan.kind)])))
}

fn unsupervised_scores(plan: &Plan) -> Section {
    let (code, prose) = if plan.family == Family::Clustering {
        let cost =
            if plan.kind == "kmeans" { "scores[\"inertia\"] = fitted.stages[-1].summary.trainingCost\n" } else { "" };
        let ari = if plan.classes.is_empty() { "" } else { "scores[\"adjusted_rand\"] = adjusted_rand(predicted)\n" };
        (
            format!("{}{CLUSTER_SCORES}{cost}{ari}", if plan.classes.is_empty() { "" } else { ADJUSTED_RAND }),
            if plan.kind == "kmeans" {
                "n_clusters: how many groups were found. silhouette: how much closer rows are to their own group than \
                 to the next, from -1 to 1 (Spark measures squared distances, mlplay and scikit-learn plain ones, so \
                 the numbers differ). inertia: the sum of squared distances to the centres. adjusted_rand: how well \
                 the groups match the target's classes (1 is a perfect match, 0 is chance); the model never saw them."
            } else {
                "n_clusters: how many groups were found. silhouette: how much closer rows are to their own group than \
                 to the next, from -1 to 1 (Spark measures squared distances, mlplay and scikit-learn plain ones, so \
                 the numbers differ). adjusted_rand: how well the groups match the target's classes (1 is a perfect \
                 match, 0 is chance); the model never saw them."
            },
        )
    } else {
        (
            "pca = fitted.stages[-1]\nscores = {f\"explained_variance_ratio_{i + 1}\": float(r) for i, r in enumerate(pca.explainedVariance)}\n\
             scores[\"explained_variance_ratio_cumulative\"] = float(sum(pca.explainedVariance))\n"
                .to_string(),
            "explained_variance_ratio: the share of the data's spread each direction keeps. fitted.transform(data) \
             gives every row's coordinates in the column _embedding.",
        )
    };
    let print =
        "\nif args.json:\n    print(json.dumps({\"model\": \"@KIND@\", \"metrics\": scores}, indent=2))\nelse:\n    \
                 for name, value in scores.items():\n        print(f\"{name:<36}{value:>12.4f}\")\nspark.stop()\n";
    Section::new("5. Score it", prose, format!("{code}{}", fill(print, &[("@KIND@", &plan.kind)])))
}
