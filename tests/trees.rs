//! Decision trees and random forests: test scores within 2 points of scikit-learn's on
//! the shipped datasets (fixture from tests/fixtures/make_tree_fixtures.py: the mean over
//! the same 5 splits, each split's seed also the model's, so the forests' different random
//! streams average out), plus missing-value routing, category splits, stepping and bad input.

use mlplay::data::csv::parse;
use mlplay::data::prep::{prepare, Encoding, Imputer, PrepSpec, Prepared, Scaling};
use mlplay::data::split::SplitIndices;
use mlplay::data::{builtin, Dataset, Target};
use mlplay::kinds::spec_from_json;
use mlplay::metrics::{classification, regression};
use mlplay::models::explain::TreeNode;
use mlplay::models::{Model, Prediction, Trainer};
use serde_json::{json, Value};

const NATIVE: PrepSpec = PrepSpec { imputer: Imputer::Keep, scaler: Scaling::None };

fn prepared(ds: &Dataset, train: Vec<usize>, test: Vec<usize>) -> Prepared {
    prepare(ds, &SplitIndices { train, validation: vec![], test }, &NATIVE, Encoding::Native)
}

fn fit(spec: Value, data: &Prepared, seed: u32) -> Box<dyn Trainer> {
    let spec = spec_from_json(spec).unwrap();
    let mut t = spec.trainer(data, seed).unwrap();
    while !t.is_done() {
        t.step(data).unwrap();
    }
    t
}

fn score(m: &dyn Model, x: &ndarray::Array2<f64>, y: &Target) -> f64 {
    match m.predict(x) {
        Prediction::Proba(p) => classification::accuracy(y.labels(), &classification::argmax_rows(&p)),
        Prediction::Values(v) => regression::r2(y.values(), v.as_slice().unwrap()),
    }
}

/// Mean test score over the fixture's 5 splits, and scikit-learn's.
fn compare(name: &str, model: &str, spec: Value) -> (f64, f64) {
    let f: Value = serde_json::from_str(include_str!("fixtures/trees.json")).unwrap();
    let ds = builtin::load(&builtin::DatasetSpec::new(name), None, 0).unwrap();
    let splits = f[name]["test_rows"].as_array().unwrap();
    let mut ours = 0.0;
    for (s, rows) in splits.iter().enumerate() {
        let test: Vec<usize> = rows.as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as usize).collect();
        let train: Vec<usize> = (0..ds.n_rows()).filter(|i| test.binary_search(i).is_err()).collect();
        let data = prepared(&ds, train, test);
        let t = fit(spec.clone(), &data, s as u32);
        ours += score(t.model().unwrap(), &data.test.x, &data.test.y) / splits.len() as f64;
    }
    let theirs: Vec<f64> = serde_json::from_value(f[name][model].clone()).unwrap();
    (ours, theirs.iter().sum::<f64>() / theirs.len() as f64)
}

const DATASETS: [&str; 6] = ["iris", "wine", "breast_cancer", "digits", "penguins", "diabetes"];

#[test]
fn decision_tree_scores_like_scikit_learn() {
    let mut bad = vec![];
    for name in DATASETS {
        let (ours, theirs) = compare(name, "tree", json!({"kind": "decision_tree", "max_depth": 5}));
        println!("decision_tree {name}: mlplay {ours:.4} scikit-learn {theirs:.4}");
        if (ours - theirs).abs() > 0.02 {
            bad.push(format!("{name}: {ours:.4} vs {theirs:.4}"));
        }
    }
    assert!(bad.is_empty(), "more than 2 points from scikit-learn: {bad:?}");
}

#[test]
fn random_forest_scores_like_scikit_learn() {
    let mut bad = vec![];
    for name in DATASETS {
        let (ours, theirs) = compare(name, "forest", json!({"kind": "random_forest", "n_estimators": 100}));
        println!("random_forest {name}: mlplay {ours:.4} scikit-learn {theirs:.4}");
        if (ours - theirs).abs() > 0.02 {
            bad.push(format!("{name}: {ours:.4} vs {theirs:.4}"));
        }
    }
    assert!(bad.is_empty(), "more than 2 points from scikit-learn: {bad:?}");
}

fn table(csv: &str) -> Dataset {
    Dataset::from_table("t", &parse(csv).unwrap(), None).unwrap()
}

fn all_rows(ds: &Dataset) -> Prepared {
    prepared(ds, (0..ds.n_rows()).collect(), vec![])
}

fn root(t: &dyn Trainer) -> TreeNode {
    t.model().unwrap().explain().tree.unwrap()
}

fn predict_one(t: &dyn Trainer, row: &[f64]) -> Vec<f64> {
    let x = ndarray::Array2::from_shape_vec((1, row.len()), row.to_vec()).unwrap();
    match t.model().unwrap().predict(&x) {
        Prediction::Proba(p) => p.row(0).to_vec(),
        Prediction::Values(v) => v.to_vec(),
    }
}

#[test]
fn missing_values_go_where_the_split_is_better() {
    // a <= 5: class no, a > 5: class yes; rows with `a` missing are all "no", so the
    // learned direction for missing values is left.
    let mut csv = String::from("a,y\n");
    for a in 1..=10 {
        csv += &format!("{a},{}\n", if a > 5 { "yes" } else { "no" });
    }
    csv += "NA,no\nNA,no\nNA,no\n";
    let data = all_rows(&table(&csv));
    let t = fit(json!({"kind": "decision_tree", "max_depth": 1}), &data, 0);
    let TreeNode::Split { threshold, missing_left, .. } = root(t.as_ref()) else { panic!("no split") };
    assert_eq!((threshold, missing_left), (Some(5.5), true));
    assert_eq!(predict_one(t.as_ref(), &[f64::NAN]), vec![1.0, 0.0]);
    // Missing rows labelled "yes": they now go right.
    let data = all_rows(&table(&csv.replace("NA,no", "NA,yes")));
    let t = fit(json!({"kind": "decision_tree", "max_depth": 1}), &data, 0);
    let TreeNode::Split { missing_left, .. } = root(t.as_ref()) else { panic!("no split") };
    assert!(!missing_left);
    assert_eq!(predict_one(t.as_ref(), &[f64::NAN])[1], 1.0);
}

#[test]
fn missing_value_unseen_in_training_follows_the_bigger_child() {
    // 3 rows left of the split, 7 right: a missing value at prediction goes right.
    let mut csv = String::from("a,y\n");
    for a in 1..=10 {
        csv += &format!("{a},{}\n", if a > 3 { "high" } else { "low" });
    }
    let data = all_rows(&table(&csv));
    let t = fit(json!({"kind": "decision_tree"}), &data, 0);
    let class = |row: &[f64]| {
        let p = predict_one(t.as_ref(), row);
        data.class_names[if p[0] > p[1] { 0 } else { 1 }].clone()
    };
    assert_eq!((class(&[f64::NAN]), class(&[2.0])), ("high".to_string(), "low".to_string()));
}

#[test]
fn a_category_subset_separates_in_one_split() {
    // red and blue are "yes", green and black "no": no single threshold on the codes in
    // file order (red, green, blue, black) separates them, a subset does.
    let mut csv = String::from("colour,size,y\n");
    for i in 0..40 {
        let c = ["red", "green", "blue", "black"][i % 4];
        csv += &format!("{c},{},{}\n", i % 7, if c == "red" || c == "blue" { "yes" } else { "no" });
    }
    csv += "NA,3,no\n";
    let ds = table(&csv);
    let data = all_rows(&ds);
    assert_eq!(data.categorical, vec![false, true]);
    let t = fit(json!({"kind": "decision_tree", "max_depth": 1}), &data, 0);
    let node = root(t.as_ref());
    let TreeNode::Split { feature: 1, categories_left: Some(cats), missing_left, .. } = &node else {
        panic!("{node:?}")
    };
    let names: Vec<&str> = cats.iter().map(|&c| data.category_names[1][c as usize].as_str()).collect();
    let yes_left = names.contains(&"red");
    assert!(names == ["green", "black"] || names == ["red", "blue"], "{names:?}");
    assert_eq!(*missing_left, !yes_left, "the missing row is a 'no'");
    assert_eq!(score(t.model().unwrap(), &data.train.x, &data.train.y), 1.0);
    let text = mlplay::models::tree::rules(&node, &data.feature_names, &data.category_names, &data.class_names, 3);
    assert!(text.starts_with("if colour in {"), "{text}");
}

#[test]
fn the_tree_grows_one_level_per_step() {
    let ds = builtin::load(&builtin::DatasetSpec::new("iris"), None, 0).unwrap();
    let data = all_rows(&ds);
    let mut t = spec_from_json(json!({"kind": "decision_tree", "max_depth": 3})).unwrap().trainer(&data, 1).unwrap();
    assert_eq!(t.steps_total(), 3);
    let mut losses = vec![];
    while !t.is_done() {
        losses.push(t.step(&data).unwrap().train_loss);
    }
    assert_eq!(losses.len(), 3);
    assert!(losses.windows(2).all(|w| w[1] < w[0]), "{losses:?}");
    // Unlimited depth stops when the leaves are pure; the bound shrinks to the depth.
    let t = fit(json!({"kind": "decision_tree"}), &data, 1);
    assert!(t.steps_total() < 20 && t.steps_total() == t.steps_done(), "{}", t.steps_total());
    let text =
        mlplay::models::tree::rules(&root(t.as_ref()), &data.feature_names, &data.category_names, &data.class_names, 2);
    assert!(text.starts_with("if petal_") && text.contains("then setosa (50 rows)"), "{text}");
}

#[test]
fn forest_reports_losses_oob_and_importances_deterministically() {
    let ds = builtin::load(&builtin::DatasetSpec::new("breast_cancer"), None, 0).unwrap();
    let n = ds.n_rows();
    let data = prepare(
        &ds,
        &SplitIndices { train: (0..n * 7 / 10).collect(), validation: (n * 7 / 10..n).collect(), test: vec![] },
        &NATIVE,
        Encoding::Native,
    );
    let run = |seed| {
        let mut t =
            spec_from_json(json!({"kind": "random_forest", "n_estimators": 30})).unwrap().trainer(&data, seed).unwrap();
        let mut val = vec![];
        while !t.is_done() {
            val.push(t.step(&data).unwrap().validation_loss.unwrap());
        }
        (val, t.model().unwrap().explain())
    };
    let (val, e) = run(3);
    assert_eq!(val.len(), 30);
    assert!(val[29] < val[0], "validation loss {} -> {}", val[0], val[29]);
    let oob = e.scores["oob_score"];
    assert!((0.9..=1.0).contains(&oob), "oob {oob}");
    let imp = e.importances.as_ref().unwrap();
    assert!((imp.impurity.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    assert_eq!(imp.permutation.as_ref().unwrap().len(), 30);
    assert_eq!(run(3).1, e, "same seed, same forest");
    assert_ne!(run(4).1, e);
}

#[test]
fn single_class_training_gives_a_one_leaf_tree() {
    let csv = "a,b,y\n1,2,cat\n2,3,cat\n3,1,cat\n4,4,cat\n5,5,dog\n";
    let ds = table(csv);
    let data = prepared(&ds, vec![0, 1, 2, 3], vec![4]);
    let t = fit(json!({"kind": "decision_tree"}), &data, 0);
    assert!(matches!(root(t.as_ref()), TreeNode::Leaf { samples: 4, .. }));
    let f = fit(json!({"kind": "random_forest", "n_estimators": 5}), &data, 0);
    assert_eq!(predict_one(f.as_ref(), &[9.0, 9.0]), vec![1.0, 0.0]);
}

#[test]
fn impossible_settings_are_named() {
    let cases = [
        (json!({"kind": "decision_tree", "max_depth": 0}), "max_depth = 0"),
        (json!({"kind": "decision_tree", "min_samples_leaf": 0}), "min_samples_leaf = 0"),
        (json!({"kind": "decision_tree", "min_samples_split": 1}), "min_samples_split = 1"),
        (json!({"kind": "decision_tree", "criterion": "purity"}), "criterion = purity"),
        (json!({"kind": "random_forest", "n_estimators": 0}), "n_estimators = 0"),
        (json!({"kind": "random_forest", "max_features": 1.5}), "max_features = 1.5"),
        (json!({"kind": "random_forest", "max_features": 0.0}), "max_features = 0"),
        (json!({"kind": "random_forest", "max_features": "half"}), "max_features = half"),
    ];
    for (spec, msg) in cases {
        let e = spec_from_json(spec.clone()).unwrap().validate().unwrap_err();
        assert!(e.to_string().contains(msg), "{spec}: {e}");
    }
    // A criterion of the other task.
    let ds = builtin::load(&builtin::DatasetSpec::new("diabetes"), None, 0).unwrap();
    let data = all_rows(&ds);
    let e =
        spec_from_json(json!({"kind": "decision_tree", "criterion": "gini"})).unwrap().trainer(&data, 0).err().unwrap();
    assert!(e.to_string().contains("criterion = gini"), "{e}");
}

/// Fit time of a 100-tree forest on 100,000 x 20 synthetic rows (run with
/// `cargo test --release --test trees -- --ignored --nocapture`).
#[test]
#[ignore]
fn forest_speed_100k_by_20() {
    let (n, d) = (100_000, 20);
    let mut rng = mlplay::base::rng::Rng::new(1);
    let mut csv = (0..d).map(|j| format!("x{j},")).collect::<String>() + "y\n";
    for _ in 0..n {
        let x: Vec<f64> = (0..d).map(|_| rng.normal()).collect();
        let y = (x[0] + x[1] * x[2] + 0.5 * x[3].sin() + 0.5 * rng.normal() > 0.0) as u8;
        csv += &(x.iter().map(|v| format!("{v:.5},")).collect::<String>() + ["no", "yes"][y as usize] + "\n");
    }
    let ds = table(&csv);
    let data = all_rows(&ds);
    for spec in [json!({"kind": "random_forest", "n_estimators": 100}), json!({"kind": "decision_tree"})] {
        let t0 = std::time::Instant::now();
        let t = fit(spec.clone(), &data, 0);
        println!("{spec}: fit {:.2} s, {} steps", t0.elapsed().as_secs_f64(), t.steps_done());
    }
}
