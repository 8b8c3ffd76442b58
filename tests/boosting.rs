//! Histogram gradient boosting: test scores within 2 points of scikit-learn's
//! HistGradientBoosting* on the same rows of the file datasets (fixture from
//! tests/fixtures/make_boosting_fixtures.py), plus small hand-made checks of missing
//! values, categorical splits, falling training loss, early stopping and bad settings.

use mlplay::data::csv::parse;
use mlplay::data::prep::{prepare, Encoding, Imputer, PrepSpec, Prepared, Scaling};
use mlplay::data::split::SplitIndices;
use mlplay::data::{Dataset, Target};
use mlplay::kinds::{spec_from_json, ModelSpec};
use mlplay::metrics::{classification, regression};
use mlplay::models::boosting::BoostingParams;
use mlplay::models::{Model, Prediction, StepReport, Trainer};
use serde_json::{json, Value};

fn dataset(name: &str) -> Dataset {
    let text = std::fs::read_to_string(format!("www/data/{name}.csv")).unwrap();
    Dataset::from_table(name, &parse(&text).unwrap(), None).unwrap()
}

fn prepared(ds: &Dataset, train: Vec<usize>, validation: Vec<usize>, test: Vec<usize>) -> Prepared {
    let spec = PrepSpec { imputer: Imputer::Keep, scaler: Scaling::None };
    prepare(ds, &SplitIndices { train, validation, test }, &spec, Encoding::Native)
}

fn off(p: BoostingParams) -> BoostingParams {
    BoostingParams { early_stopping: "off".into(), ..p }
}

/// Train to the end; the trainer and the loss after each step.
fn train(params: BoostingParams, data: &Prepared) -> (Box<dyn Trainer>, Vec<StepReport>) {
    let mut t = ModelSpec::GradientBoosting(params).trainer(data, 1).unwrap();
    let mut log = vec![];
    while !t.is_done() {
        log.push(t.step(data).unwrap());
    }
    (t, log)
}

/// Accuracy or R² on the test part.
fn test_score(m: &dyn Model, data: &Prepared) -> f64 {
    match (m.predict(&data.test.x), &data.test.y) {
        (Prediction::Proba(p), Target::Classes { labels, .. }) => {
            classification::accuracy(labels, &classification::argmax_rows(&p))
        }
        (Prediction::Values(v), Target::Values(y)) => regression::r2(y, v.as_slice().unwrap()),
        _ => panic!("prediction does not fit the task"),
    }
}

fn proba(m: &dyn Model, data: &Prepared) -> ndarray::Array2<f64> {
    match m.predict(&data.test.x) {
        Prediction::Proba(p) => p,
        Prediction::Values(_) => panic!("a classifier"),
    }
}

#[test]
fn test_scores_match_scikit_learn_on_the_file_datasets() {
    let f: Value = serde_json::from_str(include_str!("fixtures/boosting_scores.json")).unwrap();
    for (name, case) in f.as_object().unwrap() {
        let ds = dataset(name);
        let mut ours = vec![];
        for rows in case["test_rows"].as_array().unwrap() {
            let test: Vec<usize> = serde_json::from_value(rows.clone()).unwrap();
            let trainrows = (0..ds.n_rows()).filter(|i| test.binary_search(i).is_err()).collect();
            let data = prepared(&ds, trainrows, vec![], test);
            let (t, _) = train(off(BoostingParams::default()), &data);
            ours.push(test_score(t.model().unwrap(), &data));
        }
        let mean = ours.iter().sum::<f64>() / ours.len() as f64;
        let theirs = case["mean"].as_f64().unwrap();
        eprintln!("{name}: mlplay {mean:.4}, scikit-learn {theirs:.4}");
        assert!((mean - theirs).abs() <= 0.02, "{name}: mlplay {mean:.4} vs scikit-learn {theirs:.4} ({ours:?})");
    }
}

/// 300 rows: `a` in [0, 1) decides the class (above 0.5: 1); every fifth row has `a`
/// missing and the class `missing_class`.
fn missing_data(missing_class: u32) -> Dataset {
    let mut csv = String::from("a,y\n");
    for i in 0..300 {
        let a = ((i * 37) % 300) as f64 / 300.0;
        if i % 5 == 0 {
            csv += &format!("NA,{missing_class}\n");
        } else {
            csv += &format!("{a},{}\n", (a > 0.5) as u32);
        }
    }
    Dataset::from_table("missing", &parse(&csv).unwrap(), None).unwrap()
}

#[test]
fn missing_values_go_the_learned_way() {
    for missing_class in [0, 1] {
        let ds = missing_data(missing_class);
        let data = prepared(&ds, (0..300).collect(), vec![], vec![0, 1, 3, 5]);
        assert!(data.test.x[[0, 0]].is_nan());
        let (t, _) = train(off(BoostingParams { max_iter: 30, ..Default::default() }), &data);
        let p = proba(t.model().unwrap(), &data);
        let class_of = |r: usize| data.test.y.labels()[r] as usize;
        assert_eq!(class_of(0), missing_class as usize);
        for r in 0..4 {
            assert!(p[[r, class_of(r)]] > 0.9, "missing rows of class {missing_class}: row {r} gets {:?}", p.row(r));
        }
    }
}

#[test]
fn one_categorical_split_groups_categories_that_are_not_neighbours() {
    // red and blue are class 1, green and yellow class 0; their indices interleave, so
    // one threshold on the index could not separate them.
    let levels = ["red", "green", "blue", "yellow"];
    let mut csv = String::from("colour,y\n");
    for i in 0..200 {
        let c = levels[i % 4];
        csv += &format!("{c},{}\n", (c == "red" || c == "blue") as u32);
    }
    let ds = Dataset::from_table("colours", &parse(&csv).unwrap(), None).unwrap();
    let data = prepared(&ds, (0..200).collect(), vec![], vec![0, 1, 2, 3]);
    assert_eq!(data.categorical, vec![true]);
    let stump = BoostingParams { max_iter: 1, max_leaf_nodes: 2, learning_rate: 1.0, ..off(Default::default()) };
    let (t, _) = train(stump, &data);
    let p = proba(t.model().unwrap(), &data);
    let (red, green, blue, yellow) = (p[[0, 1]], p[[1, 1]], p[[2, 1]], p[[3, 1]]);
    assert!(red > 0.8 && blue > 0.8 && green < 0.2 && yellow < 0.2, "{p:?}");
    let e = t.model().unwrap().explain();
    assert_eq!(e.importances.unwrap().impurity, vec![1.0]);
}

#[test]
fn training_log_loss_falls_every_round_binary_and_multiclass() {
    for (name, classes) in [("breast_cancer", 2), ("wine", 3)] {
        let ds = dataset(name);
        let n = ds.n_rows();
        let data =
            prepared(&ds, (0..n).filter(|i| i % 4 != 0).collect(), (0..n).filter(|i| i % 4 == 0).collect(), vec![]);
        let (t, log) = train(off(BoostingParams { max_iter: 40, ..Default::default() }), &data);
        assert_eq!(log.len(), 40);
        for w in log.windows(2) {
            assert!(
                w[1].train_loss < w[0].train_loss,
                "{name}: training loss rose {} -> {}",
                w[0].train_loss,
                w[1].train_loss
            );
        }
        let m = t.model().unwrap();
        // The loss reported after the last step is the log-loss of the model's predictions.
        let p = match m.predict(&data.train.x) {
            Prediction::Proba(p) => p,
            _ => panic!("a classifier"),
        };
        assert_eq!(p.ncols(), classes);
        let direct = classification::log_loss(data.train.y.labels(), &p);
        assert!((direct - log[39].train_loss).abs() < 1e-9, "{name}: {direct} vs {}", log[39].train_loss);
        let e = m.explain();
        assert_eq!(e.scores["n_iter"], 40.0);
        let imp = e.importances.unwrap();
        assert!((imp.impurity.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        assert_eq!(imp.permutation.unwrap().len(), data.feature_names.len());
    }
}

#[test]
fn early_stopping_watches_the_validation_part() {
    let ds = dataset("breast_cancer");
    let n = ds.n_rows();
    let data = prepared(&ds, (0..n).filter(|i| i % 3 != 0).collect(), (0..n).filter(|i| i % 3 == 0).collect(), vec![]);
    let p = BoostingParams { max_iter: 1000, learning_rate: 0.5, early_stopping: "on".into(), ..Default::default() };
    let (t, log) = train(p, &data);
    let used = t.steps_done();
    assert!(used < 200 && t.steps_total() == used && log.len() == used, "{used} rounds");
    assert_eq!(t.model().unwrap().explain().scores["n_iter"], used as f64);
    // The best validation loss lies in the rounds before the last n_iter_no_change.
    let v: Vec<f64> = log.iter().map(|r| r.validation_loss.unwrap()).collect();
    let best = v.iter().cloned().fold(f64::INFINITY, f64::min);
    assert!(v[used - 10..].iter().all(|&l| l >= best), "{v:?}");
    // "on" without a validation part cannot work.
    let no_val = prepared(&ds, (0..n).collect(), vec![], vec![]);
    let on = ModelSpec::GradientBoosting(BoostingParams { early_stopping: "on".into(), ..Default::default() });
    assert!(on.trainer(&no_val, 1).err().unwrap().to_string().contains("early_stopping"));
}

#[test]
fn regression_and_seeds() {
    let ds = dataset("diabetes");
    let n = ds.n_rows();
    let data = prepared(&ds, (0..n).filter(|i| i % 4 != 0).collect(), vec![], (0..n).filter(|i| i % 4 == 0).collect());
    let (a, log) = train(off(BoostingParams { max_iter: 20, ..Default::default() }), &data);
    let (b, _) = train(off(BoostingParams { max_iter: 20, ..Default::default() }), &data);
    let pa = a.model().unwrap().predict(&data.test.x);
    let pb = b.model().unwrap().predict(&data.test.x);
    match (pa, pb) {
        (Prediction::Values(x), Prediction::Values(y)) => assert_eq!(x, y),
        _ => panic!("a regressor"),
    }
    assert!(log[19].train_loss < log[0].train_loss);
}

#[test]
fn impossible_settings_are_named() {
    for (field, value) in [
        ("learning_rate", json!(0.0)),
        ("learning_rate", json!(-0.1)),
        ("max_leaf_nodes", json!(1)),
        ("max_bins", json!(256)),
        ("max_bins", json!(1)),
        ("max_depth", json!(0)),
        ("early_stopping", json!("sometimes")),
    ] {
        let mut v = json!({"kind": "gradient_boosting"});
        v[field] = value.clone();
        let e = spec_from_json(v).and_then(|s| s.validate()).unwrap_err().to_string();
        assert!(e.starts_with(field), "{field} = {value}: {e}");
    }
    let ok = json!({"kind": "gradient_boosting", "max_depth": null, "max_bins": 2});
    spec_from_json(ok).unwrap().validate().unwrap();
}
