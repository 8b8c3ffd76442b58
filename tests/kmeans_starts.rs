//! k-means from given starting centres against scikit-learn's KMeans(init=array, n_init=1,
//! algorithm="lloyd") (fixture from tests/fixtures/make_kmeans_starts_fixtures.py): the
//! same starts give the same inertia to 1e-6 relative, the same iterations and labels, so
//! the GEMM-based assignment changes the speed and not the answer.

use mlplay::cluster::kmeans::{KMeans, KMeansParams};
use mlplay::unsupervised::Unsupervised;
use ndarray::Array2;
use serde_json::Value;

fn matrix(v: &Value) -> Array2<f64> {
    let rows: Vec<Vec<f64>> = serde_json::from_value(v.clone()).unwrap();
    Array2::from_shape_vec((rows.len(), rows[0].len()), rows.concat()).unwrap()
}

#[test]
fn the_same_starts_give_scikit_learns_inertia_iterations_and_labels() {
    let f: Value = serde_json::from_str(include_str!("fixtures/kmeans_starts.json")).unwrap();
    for c in f["cases"].as_array().unwrap() {
        let name = c["data"].as_str().unwrap();
        let x = matrix(&f["data"][name]);
        let k = c["k"].as_u64().unwrap() as u32;
        let params = KMeansParams { n_clusters: k, n_init: 1, max_iter: 300, tol: 1e-4 };
        let mut m = KMeans::new(&params, x.nrows(), 0).unwrap().with_starts(&matrix(&c["starts"])).unwrap();
        while !m.is_done() {
            m.step(&x).unwrap();
        }
        let theirs = c["inertia"].as_f64().unwrap();
        let rel = (m.inertia() / theirs - 1.0).abs();
        eprintln!("{name} k={k}: inertia {} vs {theirs} (relative {rel:.1e}), {} iterations", m.inertia(), m.n_iter());
        assert!(rel <= 1e-6, "{name} k={k}: inertia {} vs scikit-learn's {theirs}", m.inertia());
        assert_eq!(m.n_iter() as u64, c["n_iter"].as_u64().unwrap(), "{name} k={k}: iterations");
        let labels: Vec<i32> = serde_json::from_value(c["labels"].clone()).unwrap();
        assert_eq!(m.labels().unwrap(), labels, "{name} k={k}: labels");
    }
}

#[test]
fn starts_of_the_wrong_shape_are_refused() {
    let params = KMeansParams { n_clusters: 3, ..Default::default() };
    let e = KMeans::new(&params, 10, 0).unwrap().with_starts(&Array2::zeros((2, 4))).unwrap_err();
    assert!(e.to_string().contains("init"), "{e}");
    let x = Array2::from_shape_fn((10, 3), |(i, j)| (i * 3 + j) as f64);
    let mut m = KMeans::new(&params, 10, 0).unwrap().with_starts(&Array2::zeros((3, 4))).unwrap();
    let e = m.step(&x).unwrap_err();
    assert!(e.to_string().contains("4 features"), "{e}");
}
