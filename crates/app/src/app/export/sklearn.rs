//! The scikit-learn program: read the CSV, split it, prepare the features in a
//! ColumnTransformer, fit the model in a Pipeline, print mlplay's scores. The same steps
//! make the script and the notebook (`doc::Program`).

use super::doc::{Program, Section};
use super::plan::{DataSource, Plan};
use super::sklearn_code::*;
use super::sklearn_model::{estimator, Estimator};
use super::{fill, py, source_note};
use crate::base::error::Result;
use crate::data::prep::{Encoding, Imputer, Scaling};
use crate::kinds::Family;

pub fn program(plan: &Plan) -> Result<Program> {
    let est = estimator(&plan.kind, &plan.params, plan.task)?;
    let supervised = plan.family == Family::Supervised;
    let mut sections = vec![settings(plan), arguments(plan), read(plan)];
    if supervised {
        sections.push(split(plan));
    } else {
        sections.push(all_rows(plan));
    }
    sections.push(prepare(plan));
    sections.push(model(plan, &est));
    sections.push(if supervised { supervised_scores(plan) } else { unsupervised_scores(plan) });
    Ok(Program { header: header(plan, "scikit-learn"), usage: usage(plan), imports: imports(plan, &est), sections })
}

pub(super) fn header(plan: &Plan, library: &str) -> String {
    format!(
        "Exported from mlplay: {} on the {} data, with {library}.\n\n\
         This program repeats the playground's experiment step by step: read the table, {}prepare the features, \
         train the model, score it. Each step says what it does in plain words, and where {library} and mlplay differ.\n\n\
         To open the same experiment in the playground, add this to the page's address:\n    {}",
        plan.model_title(),
        plan.title,
        if plan.family == Family::Supervised { "split the rows, " } else { "" },
        plan.link
    )
}

fn usage(plan: &Plan) -> String {
    let file = format!("{}.py", plan.file_stem());
    let supervised = plan.family == Family::Supervised;
    let generated = match &plan.source {
        DataSource::Generated { id } if generator_function(id).is_some() => {
            " (without it, scikit-learn makes a new sample of the same shape: other points)"
        }
        _ => "",
    };
    format!(
        "Run it:\n    python {file} [DATA.csv{}] [--json]\n  DATA.csv: the table; {}{generated}{}\n  \
         --json: print the scores as one JSON object.\nNeeds Python 3.9 or newer and: pip install \"scikit-learn>=1.8\" pandas numpy{}",
        if supervised { " [TEST.csv]" } else { "" },
        source_note(plan),
        if supervised {
            "\n  TEST.csv: optional, a held-out file with the same columns, scored as the test set instead of a part of \
             DATA.csv (as mlplay run --test-data)."
        } else {
            ""
        },
        if plan.kind == "umap" { " umap-learn" } else { "" }
    )
}

fn imports(plan: &Plan, est: &Estimator) -> Vec<String> {
    let mut v = vec![
        "import argparse".to_string(),
        "import json".into(),
        "".into(),
        "import numpy as np".into(),
        "import pandas as pd".into(),
    ];
    v.push("from sklearn.compose import ColumnTransformer".into());
    v.push("from sklearn.impute import SimpleImputer".into());
    match plan.family {
        Family::Supervised if plan.is_classification() => v.push(
            "from sklearn.metrics import (\n    accuracy_score, average_precision_score, balanced_accuracy_score, f1_score, log_loss,\n    \
             precision_score, recall_score, roc_auc_score,\n)"
                .into(),
        ),
        Family::Supervised => v.push("from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score".into()),
        Family::Clustering => v.push("from sklearn.metrics import adjusted_rand_score, silhouette_score".into()),
        Family::Projection => v.push("from sklearn.manifold import trustworthiness".into()),
    }
    if plan.family == Family::Supervised {
        v.insert(0, "import base64".into());
        v.push("from sklearn.model_selection import train_test_split".into());
    }
    v.push("from sklearn.pipeline import Pipeline".into());
    let mut pre = vec![];
    if !plan.categories.is_empty() {
        pre.push(if plan.encoding == Encoding::Native { "OrdinalEncoder" } else { "OneHotEncoder" });
    }
    match (plan.encoding, plan.prep.scaler) {
        (Encoding::Native, _) | (_, Scaling::None) => {}
        (_, Scaling::Standard) => pre.push("StandardScaler"),
        (_, Scaling::MinMax) => pre.push("MinMaxScaler"),
    }
    if !pre.is_empty() {
        v.push(format!("from sklearn.preprocessing import {}", pre.join(", ")));
    }
    if plan.kind == "tsne" && plan.param("pca_components").as_u64().unwrap_or(0) > 0 {
        v.push("from sklearn.decomposition import PCA".into());
    }
    v.extend(est.import.lines().map(String::from));
    if let DataSource::Generated { id } = &plan.source {
        if let Some(f) = generator_function(id) {
            v.push(format!("from sklearn.datasets import {f}"));
        }
    }
    v
}

fn settings(plan: &Plan) -> Section {
    let mut code = String::new();
    let data = plan.default_data_file().map_or("None".into(), |f| py::string(&f));
    code.push_str(&format!("DATA_FILE = {data}\n"));
    code.push_str(&format!("TARGET = {}\n", py::string(&plan.target)));
    code.push_str(&format!("NUMBERS = {}\n", py::strings(&plan.numbers)));
    if !plan.yes_no.is_empty() {
        code.push_str(&format!("YES_NO = {}\n", py::strings(&plan.yes_no)));
    }
    code.push_str(&format!("CATEGORIES = {}\n", py::strings(&plan.categories)));
    if !plan.classes.is_empty() {
        code.push_str(&format!("CLASSES = {}\n", py::list(plan.class_literals())));
        if plan.classes.len() == 2 {
            code.push_str(&format!(
                "POS_LABEL = 1  # the positive class: {}\n",
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
    if plan.kind == "self_training" {
        code.push_str(&format!("UNLABELED_FRACTION = {}\n", py::value(plan.param("unlabeled_fraction"))));
    }
    code.push_str("MISSING = [\"\", \"na\", \"n/a\", \"nan\", \"null\", \"?\", \"-\"]\n");
    let mut prose = String::from(
        "The choices made in the playground. TARGET is the column the model learns to predict. NUMBERS are the \
         numeric features and CATEGORIES the text ones; other columns are not used (mlplay leaves out identifiers, \
         columns with a single value and empty ones, and any you excluded).",
    );
    if !plan.yes_no.is_empty() {
        prose.push_str(" YES_NO columns hold words such as yes/no or true/false, read as 1 and 0.");
    }
    if !plan.classes.is_empty() {
        prose.push_str(
            " CLASSES are the answers in mlplay's order; the model sees them as numbers 0, 1, 2... and, with two \
             classes, the second one is the \"positive\" class that precision and recall are about.",
        );
    }
    prose.push_str(
        " SEED makes every random choice repeatable. MISSING lists the spellings of an empty cell (in any case).",
    );
    Section::new("Settings from the playground", &prose, code)
}

fn arguments(plan: &Plan) -> Section {
    let test = plan.family == Family::Supervised;
    let mut code =
        String::from("parser = argparse.ArgumentParser(description=\"mlplay's experiment, with scikit-learn.\")\n");
    code.push_str("parser.add_argument(\"data\", nargs=\"?\", default=DATA_FILE, help=\"the table as a CSV file\")\n");
    if test {
        code.push_str(
            "parser.add_argument(\"test_data\", nargs=\"?\", help=\"a held-out CSV scored as the test set\")\n",
        );
    }
    code.push_str("parser.add_argument(\"--json\", action=\"store_true\", help=\"print the scores as JSON\")\n");
    code.push_str("args = parser.parse_args()\n");
    code.push_str(if test {
        "data_path, test_path, as_json = args.data, args.test_data, args.json\n"
    } else {
        "data_path, as_json = args.data, args.json\n"
    });
    let mut nb = String::from("data_path = DATA_FILE  # where your copy of the table is\n");
    if test {
        nb.push_str("test_path = None  # or a held-out CSV with the same columns, scored as the test set\n");
    }
    nb.push_str("as_json = False\n");
    Section::new("Where the data is", "", code).with_notebook(nb)
}

fn read(plan: &Plan) -> Section {
    let mut code = String::new();
    if !plan.yes_no.is_empty() {
        code.push_str("YES_WORDS = {\"true\": 1.0, \"yes\": 1.0, \"y\": 1.0, \"t\": 1.0, \"false\": 0.0, \"no\": 0.0, \"n\": 0.0, \"f\": 0.0}\n\n\n");
    }
    code.push_str(READ_TABLE);
    let number = if plan.yes_no.is_empty() {
        "        X[name] = pd.to_numeric(table[name], errors=\"coerce\")\n"
    } else {
        "        if name in YES_NO:\n            X[name] = table[name].str.lower().map(YES_WORDS)\n        else:\n            \
         X[name] = pd.to_numeric(table[name], errors=\"coerce\")\n"
    };
    let answers = match (plan.classes.is_empty(), plan.numeric_classes) {
        (true, _) => "    y = pd.to_numeric(table[TARGET], errors=\"coerce\")\n",
        (false, true) => {
            "    class_number = {value: i for i, value in enumerate(CLASSES)}\n    \
                          y = pd.to_numeric(table[TARGET], errors=\"coerce\").map(class_number)\n"
        }
        (false, false) => {
            "    class_number = {name: i for i, name in enumerate(CLASSES)}\n    y = table[TARGET].map(class_number)\n"
        }
    };
    let (what_y, unknown) = if plan.classes.is_empty() {
        ("the values to predict", "no number")
    } else {
        ("class numbers 0, 1, ... in the order of CLASSES", "a class not in CLASSES")
    };
    code.push_str(&fill(
        FEATURES_AND_TARGET,
        &[("@NUMBER@", number), ("@Y@", answers), ("@WHAT_Y@", what_y), ("@UNKNOWN@", unknown)],
    ));
    let prose = "A model learns from a table of numbers X (one row per example, one column per feature) and the \
                 answers y. read_table reads the CSV as mlplay does; features_and_target picks the columns.";
    Section::new("1. Read the data", prose, code)
}

/// The rows of the data file, or a fresh sample of a generated set when no file is given.
fn load_rows(plan: &Plan) -> String {
    let load = "X, y = features_and_target(read_table(data_path))\n";
    let DataSource::Generated { id } = &plan.source else { return load.into() };
    let k = &plan.knobs;
    let call = match id.as_str() {
        "moons" => format!("make_moons(n_samples={}, noise={}, random_state=SEED)", k.n_samples, py::number(k.noise)),
        "circles" => format!(
            "make_circles(n_samples={}, noise={}, factor={}, random_state=SEED)",
            k.n_samples,
            py::number(k.noise),
            py::number(crate::data::synth::CIRCLES_FACTOR)
        ),
        "blobs" => format!(
            "make_blobs(n_samples={}, centers={}, cluster_std={}, center_box=({}, {}), random_state=SEED)",
            k.n_samples,
            k.centers,
            py::number(k.cluster_std),
            py::number(crate::data::synth::BLOB_BOX.0),
            py::number(crate::data::synth::BLOB_BOX.1)
        ),
        _ => {
            return format!(
                "if data_path is None:\n    raise SystemExit(\"mlplay generates the {} data: write its rows with \
                 `mlplay export --link ... --data-out data.csv` and pass data.csv\")\n{load}",
                py::comment_text(id, 20)
            )
        }
    };
    format!(
        "if data_path is None:\n    # No file: a new sample of the same shape, made by scikit-learn. The points differ from the\n    \
         # page's (another random generator); the shape and its settings are the same.\n    \
         points, classes = {call}\n    X, y = features_and_target(pd.DataFrame({{\"x1\": points[:, 0], \"x2\": points[:, 1], \"class\": classes}}))\n\
         else:\n    {load}"
    )
}

fn drop_incomplete(plan: &Plan, held_out: bool) -> String {
    if plan.prep.imputer != Imputer::DropRows {
        return String::new();
    }
    let cond = if held_out { "if test_path is None:\n    " } else { "" };
    let note = if held_out {
        "# imputer drop_rows: leave out every row with a missing feature before splitting (with a\n\
         # held-out test file mlplay keeps every row and fills the gaps with the mean, as below).\n"
    } else {
        "# imputer drop_rows: leave out every row with a missing feature.\n"
    };
    format!(
        "{note}{cond}complete = X.notna().all(axis=1)\n{}X, y = X[complete], y[complete]\n",
        if held_out { "    " } else { "" }
    )
}

fn split(plan: &Plan) -> Section {
    let stratify = if plan.is_classification() { ", stratify=stratify" } else { "" };
    let strat_line = if plan.is_classification() {
        "    # Stratified: each class keeps its share in both parts (impossible for a class with one row).\n    \
         stratify = y if y.value_counts().min() >= 2 else None\n"
    } else {
        ""
    };
    let generated = matches!(plan.source, DataSource::Generated { .. });
    let code = format!(
        "{}\n{}{UNPACK_PARTS}\n\ndef split_off(X, y, share):\n    \"\"\"Set `share` of the rows aside, drawn at random with the seed; returns the rest, then\n    \
         the rows set aside.\"\"\"\n    if share <= 0:\n        return X, X.iloc[:0], y, y.iloc[:0]\n{strat_line}    \
         return train_test_split(X, y, test_size=share{stratify}, random_state=SEED)\n\n\n\
         part = unpack_parts(PARTS, len(X)) if len(X) == ROWS{} else None\n\
         validation_share = VALIDATION / (TRAIN + VALIDATION)\n\
         if test_path:\n    X_test, y_test = features_and_target(read_table(test_path))\n    \
         X_train, X_val, y_train, y_val = split_off(X, y, validation_share)\n\
         elif part is not None:\n    # mlplay's own rows (each part in the file's order).\n    \
         X_train, X_val, X_test = X[part == 0], X[part == 1], X[part == 2]\n    \
         y_train, y_val, y_test = y[part == 0], y[part == 1], y[part == 2]\nelse:\n    \
         print(f\"note: {{len(X)}} rows, not the {{ROWS}} mlplay split; drawing a new split with the seed\")\n{}    \
         X_rest, X_test, y_rest, y_test = split_off(X, y, TEST)\n    \
         X_train, X_val, y_train, y_val = split_off(X_rest, y_rest, validation_share)\n",
        load_rows(plan),
        parts_constant(plan),
        if generated { " and data_path is not None" } else { "" },
        drop_incomplete(plan, true).lines().map(|l| format!("    {l}\n")).collect::<String>(),
    );
    let prose = "The model learns from the training rows. The validation rows score it while you compare settings; \
                 the test rows are kept for one final, honest score on rows it has never seen.\n\
                 PARTS holds mlplay's own choice of rows, packed (two bits a row: 0 train, 1 validation, 2 test, 3 left \
                 out for a missing value), so this program trains, validates and tests on the very rows the playground \
                 used, and a deterministic model's scores match mlplay's. Given another file (or a held-out TEST.csv), \
                 it draws a new stratified split with the seed instead: other rows, so the scores differ a little.";
    Section::new("2. Split the rows", prose, code)
}

/// `ROWS` and `PARTS`: how many rows mlplay split and each one's part, packed.
pub(super) fn parts_constant(plan: &Plan) -> String {
    let packed = super::plan::pack_assignment(&plan.assignment);
    let lines: Vec<String> =
        packed.as_bytes().chunks(100).map(|c| format!("    \"{}\"\n", String::from_utf8_lossy(c))).collect();
    format!(
        "ROWS = {}\nPARTS = (\n{})\n\n\n",
        plan.assignment.len(),
        if lines.is_empty() { "    \"\"\n".to_string() } else { lines.concat() }
    )
}

fn all_rows(plan: &Plan) -> Section {
    let code = format!("{}{}", load_rows(plan), drop_incomplete(plan, false));
    let prose = "Learning without a target: the model sees every row's features and never the answers (the target \
                 is only used afterwards, to see how well the groups match it).";
    Section::new("2. Use every row", prose, code)
}

fn prepare(plan: &Plan) -> Section {
    let native = plan.encoding == Encoding::Native;
    let strategy = match plan.prep.imputer {
        Imputer::Median => Some("median"),
        Imputer::MostFrequent => Some("most_frequent"),
        Imputer::Mean | Imputer::DropRows => Some("mean"),
        Imputer::Keep => None,
    };
    let scaler = match (native, plan.prep.scaler) {
        (true, _) | (_, Scaling::None) => None,
        (_, Scaling::Standard) => Some("StandardScaler()"),
        (_, Scaling::MinMax) => Some("MinMaxScaler()"),
    };
    let mut steps = vec![];
    if let Some(s) = strategy {
        steps.push(format!("(\"fill\", SimpleImputer(strategy=\"{s}\"))"));
    }
    if let Some(s) = scaler {
        steps.push(format!("(\"scale\", {s})"));
    }
    let numbers = if steps.is_empty() {
        "\"passthrough\"".to_string()
    } else {
        format!("Pipeline([\n    {},\n])", steps.join(",\n    "))
    };
    let mut code = format!("numbers = {numbers}\n");
    let mut parts = vec!["    (\"numbers\", numbers, NUMBERS),".to_string()];
    if !plan.categories.is_empty() {
        // mlplay keeps a text column's MAX_CATEGORIES most frequent training categories and
        // gives the rest one shared column, as max_categories does here (on a tie at the cut
        // the two libraries may keep different categories).
        let one_hot = format!(
            "(\"one_hot\", OneHotEncoder(\n        handle_unknown=\"infrequent_if_exist\", max_categories={}, sparse_output=False\n    ))",
            crate::data::prep::MAX_CATEGORIES + 1
        );
        let encode = if native {
            "(\"encode\", OrdinalEncoder(\n        handle_unknown=\"use_encoded_value\", unknown_value=np.nan, encoded_missing_value=np.nan\n    ))"
        } else {
            &one_hot
        };
        let fill = if strategy.is_some() { "(\"fill\", SimpleImputer(strategy=\"most_frequent\")),\n    " } else { "" };
        code.push_str(&format!("categories = Pipeline([\n    {fill}{encode},\n])\n"));
        parts.push("    (\"categories\", categories, CATEGORIES),".into());
    }
    code.push_str(&format!("prepare = ColumnTransformer([\n{}\n])\n", parts.join("\n")));
    Section::new("3. Prepare the features", &prepare_prose(plan, strategy, scaler.is_some()), code)
}

fn prepare_prose(plan: &Plan, strategy: Option<&str>, scaled: bool) -> String {
    let mut p = vec![];
    match strategy {
        Some(s) => p.push(format!(
            "Imputation: a model needs a value in every cell, so each empty cell of a numeric column is filled with \
             the {} of that column{}{}.",
            s.replace('_', " "),
            if plan.family == Family::Supervised { " in the training rows" } else { "" },
            if plan.categories.is_empty() { "" } else { "; an empty text cell gets the column's most frequent category" }
        )),
        None => p.push("Missing values stay empty (imputer keep): the trees send them down whichever side of a question works better.".into()),
    }
    if !plan.categories.is_empty() {
        p.push(if plan.encoding == Encoding::Native {
            let how = if plan.kind == "gradient_boosting" {
                "gradient boosting is told which columns are categories (categorical_features) and splits them into \
                 any two groups, as mlplay's trees do."
            } else {
                "mlplay's trees split the categories into any two groups; scikit-learn's decision trees and forests \
                 compare the numbers instead (a question such as `colour <= 1`), so their trees can differ."
            };
            format!(
                "Categories: the tree model reads each text column as category numbers 0, 1, 2...; a category the \
                 training rows never showed counts as missing. {how}"
            )
        } else {
            "One-hot encoding: a model computes with numbers, not words, so a text column with k categories becomes \
             k columns of 0s and 1s, with a 1 in the column of the row's category. A category the training rows never \
             showed becomes all zeros."
                .into()
        });
    }
    if scaled {
        p.push(match plan.prep.scaler {
            Scaling::MinMax => {
                "Scaling: features measured in different units would weigh differently in distances and \
                 penalties, so each numeric column is squeezed into 0..1 using its smallest and largest training value."
                    .into()
            }
            _ => "Scaling: features measured in different units would weigh differently in distances and penalties, \
                  so each numeric column is shifted to mean 0 and stretched to standard deviation 1 (z-scores), \
                  using its mean and spread."
                .to_string(),
        });
    } else if plan.encoding == Encoding::Native {
        p.push("No scaling: a tree's questions (\"is x <= 3.5?\") do not care about units.".into());
    }
    if plan.family == Family::Supervised {
        p.push(
            "All of this is learned from the training rows only, then applied unchanged to the validation and test \
             rows, so nothing about them leaks into training. The Pipeline below makes sure of that."
                .into(),
        );
    }
    p.join("\n")
}

fn model(plan: &Plan, est: &Estimator) -> Section {
    let mut prose = est.about.clone();
    for n in &est.notes {
        prose.push('\n');
        prose.push_str(n);
    }
    let mut est = est.clone();
    if plan.kind == "gradient_boosting" && !plan.categories.is_empty() {
        // The prepared columns are the numbers, then the category numbers.
        let i = est.args.iter().position(|(k, _)| k == "random_state").unwrap_or(est.args.len());
        est.args.insert(i, ("categorical_features".into(), "[False] * len(NUMBERS) + [True] * len(CATEGORIES)".into()));
    }
    let mut code = format!("{}model = {}\n", est.define, est.call());
    if plan.family != Family::Supervised {
        if plan.kind == "tsne" {
            let k = plan.param("pca_components").as_u64().unwrap_or(0);
            if k > 0 {
                code.push_str(&format!(
                    "X_prepared = prepare.fit_transform(X)\n# As mlplay: with more than {k} columns, keep the first {k} principal components first.\n\
                     if X_prepared.shape[1] > {k}:\n    X_prepared = PCA(n_components={k}, random_state=SEED).fit_transform(X_prepared)\n"
                ));
            } else {
                code.push_str("X_prepared = prepare.fit_transform(X)\n");
            }
        } else {
            code.push_str("X_prepared = prepare.fit_transform(X)\n");
        }
        code.push_str(match plan.family {
            Family::Clustering => "labels = model.fit_predict(X_prepared)\n",
            _ => "embedding = model.fit_transform(X_prepared)\n",
        });
        return Section::new("4. Fit the model", &prose, code);
    }
    code.push_str("pipeline = Pipeline([(\"prepare\", prepare), (\"model\", model)])\n");
    if plan.kind == "self_training" {
        prose.push_str(
            "\nAs in mlplay, UNLABELED_FRACTION of the training labels are hidden first (in each class, drawn with the \
             seed; mlplay's own draw picks other rows), marked -1: scikit-learn's sign for \"no label\".",
        );
        code.push_str(
            "rng = np.random.default_rng(SEED)\ny_partial = y_train.to_numpy().copy()\nfor c in range(len(CLASSES)):\n    \
             rows = rng.permutation(np.flatnonzero(y_partial == c))\n    \
             y_partial[rows[: int(UNLABELED_FRACTION * len(rows))]] = -1\npipeline.fit(X_train, y_partial)\n",
        );
    } else {
        code.push_str("pipeline.fit(X_train, y_train)\n");
    }
    Section::new("4. Train the model", &prose, code)
}

fn supervised_scores(plan: &Plan) -> Section {
    let body = if !plan.is_classification() {
        REGRESSION_SCORES.to_string()
    } else if plan.classes.len() == 2 {
        format!("{CLASSIFICATION_SCORES}{BINARY_SCORES}    return s\n")
    } else {
        format!("{CLASSIFICATION_SCORES}{MULTICLASS_SCORES}    return s\n")
    };
    let code = format!("{body}{}", fill(PRINT_SUPERVISED, &[("@KIND@", &plan.kind)]));
    let prose = if plan.is_classification() {
        "The playground's scores for each part of the rows. accuracy: the share of rows given the right class. \
         balanced_accuracy: the mean of the per-class recalls, fair when one class is rare. log_loss: how much \
         probability the model gave to the right class (lower is better). precision: of the rows called positive, \
         the share that are; recall: of the positive rows, the share found; f1 combines the two. roc_auc and \
         average_precision rate the ranking of the rows by probability, whatever the threshold. With more than two \
         classes these are averaged over the classes (macro: each class counts the same; weighted: by its rows).\n\
         Look at the test scores once, at the end: each look that changes your choices makes them less honest."
    } else {
        "The playground's scores for each part of the rows. mse: the mean of the squared errors; rmse: its square \
         root, in the target's own units; mae: the mean size of the errors; r2: the share of the target's variance \
         the model explains (1 is perfect, 0 is no better than always predicting the mean).\n\
         Look at the test scores once, at the end: each look that changes your choices makes them less honest."
    };
    Section::new("5. Score it", prose, code)
}

fn unsupervised_scores(plan: &Plan) -> Section {
    let (code, prose) = match plan.family {
        Family::Clustering => {
            let own = if plan.kind == "kmeans" {
                "scores[\"inertia\"] = model.inertia_\nscores[\"n_iter\"] = model.n_iter_\n"
            } else {
                ""
            };
            let truth = if plan.classes.is_empty() {
                ""
            } else {
                "scores[\"adjusted_rand\"] = adjusted_rand_score(y, labels)\n"
            };
            let mut prose = String::from(
                "n_clusters: how many groups were found. silhouette: how much closer rows are to their own group than \
                 to the next one, from -1 to 1 (computed on at most 5,000 rows).",
            );
            prose.push_str(if plan.kind == "kmeans" {
                " inertia: the sum of squared distances to the centres; n_iter: the rounds until nothing moved."
            } else {
                " DBSCAN's noise (label -1) is not counted as a group, but the silhouette scores it as one, as mlplay does."
            });
            if !plan.classes.is_empty() {
                prose.push_str(
                    " adjusted_rand: how well the groups match the target's classes (1 is a perfect match, 0 is chance); \
                     the model never saw them.",
                );
            }
            (format!("{CLUSTER_SCORES_HEAD}{own}{truth}{}", fill(PRINT_UNSUPERVISED, &[("@KIND@", &plan.kind)])), prose)
        }
        _ => {
            let own = match plan.kind.as_str() {
                "pca" => "for i, ratio in enumerate(model.explained_variance_ratio_):\n    scores[f\"explained_variance_ratio_{i + 1}\"] = ratio\n\
                          scores[\"explained_variance_ratio_cumulative\"] = model.explained_variance_ratio_.sum()\n",
                "tsne" => "scores[\"kl_divergence\"] = model.kl_divergence_\n",
                _ => "",
            };
            (
                format!("scores = {{}}\n{own}{TRUST_SCORES}{}", fill(PRINT_UNSUPERVISED, &[("@KIND@", &plan.kind)])),
                "explained_variance_ratio (PCA): the share of the data's spread each direction keeps. kl_divergence \
                 (t-SNE): how far the picture's neighbourhoods are from the data's (lower is better). trustworthiness: \
                 how many of each row's nearest neighbours in the picture are also near it in the data, from 0 to 1 \
                 (computed on at most 5,000 rows)."
                    .to_string(),
            )
        }
    };
    Section::new("5. Score it", &prose, code)
}

/// The scikit-learn function that makes a generated set, if there is one.
fn generator_function(id: &str) -> Option<&'static str> {
    match id {
        "moons" => Some("make_moons"),
        "circles" => Some("make_circles"),
        "blobs" => Some("make_blobs"),
        _ => None,
    }
}
