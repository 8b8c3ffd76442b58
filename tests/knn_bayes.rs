//! k-NN and Gaussian naive Bayes give scikit-learn's predictions on the same rows
//! (fixture from tests/fixtures/make_model_fixtures.py), and reach a stated quality.

use mlplay::models::bayes::{NaiveBayesModel, NaiveBayesParams};
use mlplay::models::knn::{KnnModel, KnnParams};
use mlplay::models::{Model, Prediction};
use ndarray::Array2;
use serde_json::Value;

fn matrix(v: &Value) -> Array2<f64> {
    let rows: Vec<Vec<f64>> = serde_json::from_value(v.clone()).unwrap();
    Array2::from_shape_vec((rows.len(), rows[0].len()), rows.concat()).unwrap()
}

fn labels(v: &Value) -> Vec<u32> {
    v.as_array().unwrap().iter().map(|x| x.as_u64().unwrap() as u32).collect()
}

fn proba(m: &dyn Model, x: &Array2<f64>) -> Array2<f64> {
    match m.predict(x) {
        Prediction::Proba(p) => p,
        Prediction::Values(_) => panic!("a classifier"),
    }
}

fn argmax(p: &Array2<f64>) -> Vec<u32> {
    mlplay::metrics::classification::argmax_rows(p)
}

fn fixture() -> Value {
    serde_json::from_str(include_str!("fixtures/knn_bayes_wine.json")).unwrap()
}

#[test]
fn naive_bayes_matches_scikit_learn() {
    let f = fixture();
    let (xt, yt, xs) = (matrix(&f["x_train"]), labels(&f["y_train"]), matrix(&f["x_test"]));
    let m = NaiveBayesModel::fit_xy(&NaiveBayesParams::default(), &xt, &yt, 3).unwrap();
    let p = proba(&m, &xs);
    assert_eq!(argmax(&p), labels(&f["naive_bayes"]["pred"]));
    let theirs = matrix(&f["naive_bayes"]["proba"]);
    let worst = (&p - &theirs).iter().fold(0.0f64, |a, d| a.max(d.abs()));
    assert!(worst < 1e-9, "largest probability difference {worst}");
    let acc = mlplay::metrics::classification::accuracy(&labels(&f["y_test"]), &argmax(&p));
    assert!(acc >= 0.95, "accuracy {acc}");
}

#[test]
fn knn_matches_scikit_learn() {
    let f = fixture();
    let (xt, yt, xs) = (matrix(&f["x_train"]), labels(&f["y_train"]), matrix(&f["x_test"]));
    for (k, weights) in [(5, "uniform"), (7, "distance"), (1, "uniform")] {
        let params = KnnParams { n_neighbors: k, weights: weights.into() };
        let m = KnnModel::fit_xy(&params, &xt, &yt, 3).unwrap();
        let p = proba(&m, &xs);
        let key = format!("knn_{k}_{weights}");
        assert_eq!(argmax(&p), labels(&f[&key]["pred"]), "{key}");
        let worst = (&p - &matrix(&f[&key]["proba"])).iter().fold(0.0f64, |a, d| a.max(d.abs()));
        assert!(worst < 1e-12, "{key}: largest probability difference {worst}");
    }
}

#[test]
fn impossible_settings_are_named() {
    let f = fixture();
    let (xt, yt) = (matrix(&f["x_train"]), labels(&f["y_train"]));
    let e = KnnModel::fit_xy(&KnnParams { n_neighbors: 1000, ..Default::default() }, &xt, &yt, 3).unwrap_err();
    assert!(e.to_string().contains("n_neighbors = 1000"), "{e}");
    assert!(KnnParams { n_neighbors: 0, ..Default::default() }.validate().is_err());
    assert!(KnnParams { weights: "closest".into(), ..Default::default() }.validate().is_err());
    assert!(NaiveBayesParams { var_smoothing: -1.0 }.validate().is_err());
}
