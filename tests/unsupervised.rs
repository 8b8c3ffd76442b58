//! k-means, DBSCAN, PCA and the clustering/embedding scores against scikit-learn 1.9
//! (fixture from tests/fixtures/make_unsupervised_fixtures.py), and their answers to bad input.

use mlplay::base::error::Error;
use mlplay::cluster::dbscan::{k_distance, Dbscan, DbscanParams, PointKind};
use mlplay::cluster::kmeans::{elbow, KMeans, KMeansParams};
use mlplay::embed::pca::{Pca, PcaParams};
use mlplay::metrics::clustering::{adjusted_rand_score, silhouette_score};
use mlplay::metrics::embedding::trustworthiness;
use mlplay::unsupervised::Unsupervised;
use ndarray::Array2;
use serde_json::Value;

fn fixture() -> Value {
    serde_json::from_str(include_str!("fixtures/unsupervised.json")).unwrap()
}

fn matrix(v: &Value) -> Array2<f64> {
    let rows: Vec<Vec<f64>> = serde_json::from_value(v.clone()).unwrap();
    Array2::from_shape_vec((rows.len(), rows[0].len()), rows.concat()).unwrap()
}

fn ints(v: &Value) -> Vec<i32> {
    serde_json::from_value(v.clone()).unwrap()
}

fn data(f: &Value, name: &str) -> Array2<f64> {
    matrix(&f["data"][name])
}

fn worst(a: impl IntoIterator<Item = f64>, b: impl IntoIterator<Item = f64>) -> f64 {
    a.into_iter().zip(b).fold(0.0, |m, (p, q)| m.max((p - q).abs()))
}

#[test]
fn pca_matches_scikit_learn_including_signs() {
    let f = fixture();
    for c in f["pca"].as_array().unwrap() {
        let x = data(&f, c["data"].as_str().unwrap());
        let k = c["n_components"].as_u64().unwrap() as u32;
        let p = Pca::fit(&PcaParams { n_components: k }, &x).unwrap();
        let ratio: Vec<f64> = serde_json::from_value(c["explained_variance_ratio"].clone()).unwrap();
        let dr = worst(p.explained_variance_ratio.iter().copied(), ratio.iter().copied());
        let dc = worst(p.components.iter().copied(), matrix(&c["components"]).iter().copied());
        eprintln!("PCA {} k={k}: ratio diff {dr:.1e}, component diff {dc:.1e}", c["data"]);
        assert!(dr < 1e-6 && dc < 1e-6, "{}: ratio {dr}, components {dc}", c["data"]);
        let m = p.metrics();
        assert_eq!(m["explained_variance_ratio_1"], p.explained_variance_ratio[0]);
        assert!((m["explained_variance_ratio_cumulative"] - ratio.iter().sum::<f64>()).abs() < 1e-6);
        // The embedding is the data projected on the first components.
        let e = p.embedding().unwrap();
        assert_eq!(e.dim(), (x.nrows(), (k as usize).min(3)));
        assert!((e[[0, 0]] - p.transform(&x).unwrap()[[0, 0]]).abs() < 1e-12);
    }
}

fn inertia_of(x: &Array2<f64>, m: &KMeans) -> f64 {
    let (l, cent) = (m.labels().unwrap(), m.centroids());
    x.rows()
        .into_iter()
        .zip(&l)
        .map(|(r, &c)| r.iter().zip(cent.row(c as usize)).map(|(a, b)| (a - b) * (a - b)).sum::<f64>())
        .sum()
}

/// With n_init=10 as scikit-learn's KMeans(n_init=10, random_state=0). Where the problem
/// has one best answer (k up to the number of real groups) every seed must come within 1%
/// of scikit-learn's inertia; with more clusters than groups (many local optima, where
/// scikit-learn's own result moves by a few % with random_state) the mean over seeds
/// must come within 1% of scikit-learn's mean over 20 random_states.
#[test]
fn kmeans_inertia_within_one_percent_of_scikit_learn() {
    let f = fixture();
    for c in f["kmeans"].as_array().unwrap() {
        let x = data(&f, c["data"].as_str().unwrap());
        let k = c["n_clusters"].as_u64().unwrap() as u32;
        let theirs = c["inertia"].as_f64().unwrap();
        let seeds: Vec<f64> = serde_json::from_value(c["inertia_seeds"].clone()).unwrap();
        let their_mean = seeds.iter().sum::<f64>() / seeds.len() as f64;
        let mut ours = Vec::new();
        for seed in 0..10 {
            let m = KMeans::fit(&KMeansParams { n_clusters: k, n_init: 10, ..Default::default() }, &x, seed).unwrap();
            // Reported inertia is that of the reported labels and centroids.
            assert!((inertia_of(&x, &m) - m.inertia()).abs() < 1e-9 * theirs);
            assert_eq!(m.metrics()["inertia"], m.inertia());
            ours.push(m.inertia());
        }
        let mean = ours.iter().sum::<f64>() / ours.len() as f64;
        let worst_rel = ours.iter().map(|v| v / theirs - 1.0).fold(f64::NEG_INFINITY, f64::max);
        eprintln!(
            "k-means {} k={k}: seed 0 {:.4} vs {theirs:.4} ({:+.3}%), worst of 10 seeds {:+.3}%, mean {:.4} vs their mean {:.4} ({:+.3}%)",
            c["data"], ours[0], (ours[0] / theirs - 1.0) * 100.0, worst_rel * 100.0, mean, their_mean, (mean / their_mean - 1.0) * 100.0
        );
        let one_answer = seeds.iter().all(|s| (s / theirs - 1.0).abs() < 1e-3);
        if one_answer {
            assert!(worst_rel < 0.01, "{} k={k}: worst inertia {worst_rel} above scikit-learn's", c["data"]);
        } else {
            assert!((mean / their_mean - 1.0).abs() < 0.01, "{} k={k}: mean inertia {mean} vs {their_mean}", c["data"]);
        }
    }
}

#[test]
fn kmeans_steps_one_lloyd_iteration_at_a_time() {
    let f = fixture();
    let x = data(&f, "blobs");
    let params = KMeansParams { n_clusters: 5, n_init: 3, ..Default::default() };
    let mut m = KMeans::new(&params, x.nrows(), 7).unwrap();
    assert_eq!(m.steps_total(), 900);
    let mut inertias = Vec::new();
    while !m.is_done() {
        m.step(&x).unwrap();
        assert_eq!(m.labels().unwrap().len(), 500);
        assert_eq!(m.centroids().dim(), (5, 2));
        inertias.push(m.metrics()["inertia"]);
    }
    assert_eq!(m.steps_done(), m.steps_total());
    assert!(m.steps_total() < 100, "three restarts converge quickly: {}", m.steps_total());
    // Within the first restart the inertia never rises.
    let first = m.steps_total().min(3);
    assert!(inertias[..first].windows(2).all(|w| w[1] <= w[0] + 1e-9), "{inertias:?}");
    let again = KMeans::fit(&params, &x, 7).unwrap();
    assert_eq!(again.labels(), m.labels());
    assert_eq!(again.inertia(), m.inertia());
}

#[test]
fn elbow_gives_inertia_and_silhouette_per_k() {
    let f = fixture();
    let e = elbow(&data(&f, "blobs"), 1..=8, 0).unwrap();
    assert_eq!(e.iter().map(|p| p.0).collect::<Vec<_>>(), (1..=8).collect::<Vec<_>>());
    assert!(e[0].2.is_nan());
    let best = e.iter().skip(1).max_by(|a, b| a.2.total_cmp(&b.2)).unwrap();
    eprintln!("elbow on blobs: {e:?}");
    assert!(best.0 == 5 || best.0 == 4, "blobs has 5 centres, best silhouette at k={}", best.0);
}

#[test]
fn dbscan_labels_identical_to_scikit_learn() {
    let f = fixture();
    let mut contested = 0;
    for c in f["dbscan"].as_array().unwrap() {
        let x = data(&f, c["data"].as_str().unwrap());
        let params =
            DbscanParams { eps: c["eps"].as_f64().unwrap(), min_samples: c["min_samples"].as_u64().unwrap() as u32 };
        let m = Dbscan::fit(&params, &x).unwrap();
        // Identical, not only up to renaming: the same cluster numbers and the same
        // cluster for border rows that two clusters reach.
        assert_eq!(m.labels().unwrap(), ints(&c["labels"]), "{} {params:?}", c["data"]);
        let core: Vec<i32> = (0..x.nrows() as i32).filter(|&i| m.kinds()[i as usize] == PointKind::Core).collect();
        assert_eq!(core, ints(&c["core"]));
        contested += c["contested"].as_u64().unwrap();
        assert_eq!(m.metrics()["n_noise"], ints(&c["labels"]).iter().filter(|&&l| l < 0).count() as f64);
    }
    assert!(contested > 0, "the fixture must hold border rows that two clusters reach");
    let theirs: Vec<f64> = serde_json::from_value(f["k_distance_moons_5"].clone()).unwrap();
    let ours = k_distance(&data(&f, "moons"), 5).unwrap();
    assert!(worst(ours, theirs) < 1e-9);
}

#[test]
fn scores_equal_scikit_learn() {
    let f = fixture();
    for c in f["silhouette"].as_array().unwrap() {
        let s = silhouette_score(&data(&f, c["data"].as_str().unwrap()), &ints(&c["labels"])).unwrap();
        let theirs = c["score"].as_f64().unwrap();
        assert!((s - theirs).abs() < 1e-9, "silhouette {}: {s} vs {theirs}", c["data"]);
    }
    for c in f["ari"].as_array().unwrap() {
        let s = adjusted_rand_score(&ints(&c["a"]), &ints(&c["b"])).unwrap();
        let theirs = c["score"].as_f64().unwrap();
        assert!((s - theirs).abs() < 1e-12, "ARI: {s} vs {theirs}");
    }
    for c in f["trust"].as_array().unwrap() {
        let x = data(&f, c["data"].as_str().unwrap());
        let e = match c["embedding"].as_str() {
            Some(name) => matrix(&f["embeddings"][name]),
            None => x.slice(ndarray::s![.., ..2]).to_owned(),
        };
        let k = c["k"].as_u64().unwrap() as usize;
        let s = trustworthiness(&x, &e, k).unwrap();
        let theirs = c["score"].as_f64().unwrap();
        // Distances equal in exact arithmetic (iris's one-decimal values) differ by an ulp
        // or two in floating point, and scikit-learn computes them as |x|^2 - 2x.y + |y|^2,
        // so such near-ties may rank either way: each can move the score by one rank unit.
        let (flips, unit) = near_tie_flips(&x, &e, k);
        eprintln!("trustworthiness {} k={k}: {s} vs {theirs}, {flips} near-ties", c["data"]);
        assert!(flips * 50 <= x.nrows() * k, "{} k={k}: {flips} near-ties", c["data"]);
        assert!(
            (s - theirs).abs() <= flips as f64 * unit + 1e-9,
            "trustworthiness {} k={k}: {s} vs {theirs} ({flips} near-ties)",
            c["data"]
        );
    }
}

fn says(e: Error, words: &[&str]) {
    let msg = e.to_string();
    assert!(words.iter().all(|w| msg.contains(w)), "'{msg}' should mention {words:?}");
}

#[test]
fn bad_input_gives_clear_errors() {
    let x = Array2::from_shape_fn((10, 3), |(i, j)| (i * 3 + j) as f64 * 0.1 + (i % 3) as f64);
    let km = |k: u32, x: &Array2<f64>| KMeans::fit(&KMeansParams { n_clusters: k, ..Default::default() }, x, 0);
    says(km(11, &x).unwrap_err(), &["n_clusters", "11", "rows (10)"]);
    says(km(0, &x).unwrap_err(), &["n_clusters"]);
    says(KMeans::new(&KMeansParams { n_init: 51, ..Default::default() }, 10, 0).unwrap_err(), &["n_init"]);
    says(KMeans::new(&KMeansParams { tol: f64::NAN, ..Default::default() }, 10, 0).unwrap_err(), &["tol"]);
    says(Dbscan::new(&DbscanParams { eps: 0.0, min_samples: 5 }).unwrap_err(), &["eps"]);
    says(Dbscan::new(&DbscanParams { eps: -1.0, min_samples: 5 }).unwrap_err(), &["eps"]);
    says(Dbscan::new(&DbscanParams { eps: 0.5, min_samples: 0 }).unwrap_err(), &["min_samples"]);
    says(Pca::fit(&PcaParams { n_components: 4 }, &x).unwrap_err(), &["n_components", "3"]);
    says(Pca::fit(&PcaParams { n_components: 0 }, &x).unwrap_err(), &["n_components"]);
    says(k_distance(&x, 11).unwrap_err(), &["min_samples"]);

    let one = Array2::from_elem((1, 3), 1.0);
    says(km(1, &one).unwrap_err(), &["2 rows"]);
    says(Dbscan::fit(&DbscanParams::default(), &one).unwrap_err(), &["2 rows"]);
    says(Pca::fit(&PcaParams { n_components: 1 }, &one).unwrap_err(), &["2 rows"]);

    let same = Array2::from_elem((20, 2), 3.0);
    says(km(3, &same).unwrap_err(), &["n_clusters", "distinct rows (1)"]);
    says(Pca::fit(&PcaParams::default(), &same).unwrap_err(), &["identical"]);
    // DBSCAN on identical rows is well defined: one cluster of core rows.
    assert_eq!(Dbscan::fit(&DbscanParams::default(), &same).unwrap().labels().unwrap(), vec![0; 20]);
    says(silhouette_score(&same, &[0; 20]).unwrap_err(), &["2 and rows"]);

    let mut nan = x.clone();
    nan[[4, 1]] = f64::NAN;
    says(km(2, &nan).unwrap_err(), &["missing", "row 4, column 1"]);
    says(Dbscan::fit(&DbscanParams::default(), &nan).unwrap_err(), &["missing", "row 4"]);
    says(Pca::fit(&PcaParams::default(), &nan).unwrap_err(), &["missing", "row 4"]);
    says(elbow(&nan, 1..=3, 0).unwrap_err(), &["missing"]);
    says(silhouette_score(&nan, &[0, 1, 0, 1, 0, 1, 0, 1, 0, 1]).unwrap_err(), &["missing"]);
    says(trustworthiness(&nan, &x, 2).unwrap_err(), &["missing"]);
    says(trustworthiness(&x, &x, 5).unwrap_err(), &["n_neighbors"]);
}

/// Timing on 100,000 x 20 (run with --release --ignored --nocapture).
#[test]
#[ignore]
fn timing_100k() {
    let mut rng = mlplay::base::rng::Rng::new(1);
    let x = Array2::from_shape_fn((100_000, 20), |(i, j)| rng.normal() + ((i % 5) * (j % 3)) as f64);
    let t = std::time::Instant::now();
    let m = KMeans::fit(&KMeansParams { n_clusters: 8, ..Default::default() }, &x, 0).unwrap();
    eprintln!("k-means k=8 n_init=1: {:?} ({} iterations)", t.elapsed(), m.n_iter());
    let t = std::time::Instant::now();
    Pca::fit(&PcaParams { n_components: 2 }, &x).unwrap();
    eprintln!("PCA: {:?}", t.elapsed());
    let t = std::time::Instant::now();
    let e = elbow(&x, 1..=10, 0).unwrap();
    eprintln!("elbow 1..=10: {:?}", t.elapsed());
    assert_eq!(e.len(), 10);
    let x2 = x.slice(ndarray::s![.., ..2]).to_owned();
    let t = std::time::Instant::now();
    let d = Dbscan::fit(&DbscanParams { eps: 0.1, min_samples: 5 }, &x2).unwrap();
    eprintln!("DBSCAN 100,000 x 2: {:?} ({} clusters)", t.elapsed(), d.n_clusters());
    let t = std::time::Instant::now();
    let s = mlplay::metrics::clustering::silhouette_score_sampled(&x, &m.labels().unwrap(), 2000, 0).unwrap();
    eprintln!("silhouette on 2,000 sampled rows: {:?} ({s:.3})", t.elapsed());
    let t = std::time::Instant::now();
    let p = Pca::fit(&PcaParams { n_components: 2 }, &x.slice(ndarray::s![..5000, ..]).to_owned()).unwrap();
    let tw = trustworthiness(&x.slice(ndarray::s![..5000, ..]).to_owned(), &p.embedding().unwrap(), 5).unwrap();
    eprintln!("trustworthiness 5,000 rows: {:?} ({tw:.3})", t.elapsed());
}

/// Rows m outside a row's k embedded neighbours whose original distance is within 1e-12
/// (relative) of a neighbour's but not equal: their order is an accident of rounding.
/// Returns their count and the score one rank moves.
fn near_tie_flips(x: &Array2<f64>, e: &Array2<f64>, k: usize) -> (usize, f64) {
    let n = x.nrows();
    let d2 = |a: &Array2<f64>, i: usize, j: usize| {
        a.row(i).iter().zip(a.row(j)).map(|(p, q)| (p - q) * (p - q)).sum::<f64>()
    };
    let mut flips = 0;
    for i in 0..n {
        let mut order: Vec<usize> = (0..n).filter(|&j| j != i).collect();
        order.sort_by(|&a, &b| d2(e, i, a).total_cmp(&d2(e, i, b)));
        let near = &order[..k];
        for &j in near {
            let dj = d2(x, i, j);
            flips += (0..n)
                .filter(|&m| m != i && !near.contains(&m))
                .filter(|&m| {
                    let dm = d2(x, i, m);
                    dm != dj && (dm - dj).abs() <= 1e-12 * dj
                })
                .count();
        }
    }
    let (nf, kf) = (n as f64, k as f64);
    (flips, 2.0 / (nf * kf * (2.0 * nf - 3.0 * kf - 1.0)))
}
