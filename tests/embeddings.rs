//! t-SNE and UMAP keep neighbourhoods as well as scikit-learn's TSNE and umap-learn do
//! (trustworthiness, k = 5, on the digits; references from
//! tests/fixtures/make_embedding_fixtures.py), are deterministic per seed, and refuse bad
//! input by name. The full-digits runs take ~20 s each in the debug profile (under a
//! second in release: `cargo test --release --test embeddings -- --nocapture` prints times).

use mlplay::base::error::Error;
use mlplay::embed::tsne::{Tsne, TsneParams};
use mlplay::embed::umap::{find_ab_params, Umap, UmapParams};
use mlplay::unsupervised::Unsupervised;
use ndarray::{s, Array2};
use serde_json::Value;

fn fixture() -> Value {
    serde_json::from_str(include_str!("fixtures/embeddings.json")).unwrap()
}

fn matrix(v: &Value) -> Array2<f64> {
    let rows: Vec<Vec<f64>> = serde_json::from_value(v.clone()).unwrap();
    Array2::from_shape_vec((rows.len(), rows[0].len()), rows.concat()).unwrap()
}

/// The 64 pixel columns of the digits (the last column is the label).
fn digits(rows: usize) -> Array2<f64> {
    let text = include_str!("../www/data/digits.csv");
    let vals: Vec<Vec<f64>> = text
        .lines()
        .skip(1)
        .take(rows)
        .map(|l| {
            let mut v: Vec<f64> = l.split(',').map(|c| c.trim().parse().unwrap()).collect();
            v.pop();
            v
        })
        .collect();
    Array2::from_shape_vec((vals.len(), 64), vals.concat()).unwrap()
}

fn sq(a: ndarray::ArrayView1<f64>, b: ndarray::ArrayView1<f64>) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

/// scikit-learn's `trustworthiness`, exactly: penalises embedded neighbours by how far
/// beyond the k-th they rank in the original space.
fn trustworthiness(x: &Array2<f64>, y: &Array2<f64>, k: usize) -> f64 {
    let n = x.nrows();
    let mut t = 0.0;
    let mut rank = vec![0usize; n];
    for i in 0..n {
        let mut by_x: Vec<(f64, usize)> = (0..n).filter(|&j| j != i).map(|j| (sq(x.row(i), x.row(j)), j)).collect();
        by_x.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for (r, &(_, j)) in by_x.iter().enumerate() {
            rank[j] = r + 1;
        }
        let mut by_y: Vec<(f64, usize)> = (0..n).filter(|&j| j != i).map(|j| (sq(y.row(i), y.row(j)), j)).collect();
        by_y.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        t += by_y[..k].iter().map(|&(_, j)| rank[j].saturating_sub(k) as f64).sum::<f64>();
    }
    let (n, k) = (n as f64, k as f64);
    1.0 - t * 2.0 / (n * k * (2.0 * n - 3.0 * k - 1.0))
}

fn run(m: &mut dyn Unsupervised, x: &Array2<f64>) -> Array2<f64> {
    while !m.is_done() {
        m.step(x).unwrap();
    }
    m.embedding().unwrap()
}

fn tsne(x: &Array2<f64>, params: &TsneParams, seed: u32) -> (Array2<f64>, Tsne) {
    let mut m = Tsne::new(params, x, seed).unwrap();
    let y = run(&mut m, x);
    (y, m)
}

fn umap(x: &Array2<f64>, params: &UmapParams, seed: u32) -> Array2<f64> {
    run(&mut Umap::new(params, x, seed).unwrap(), x)
}

fn field_of(e: Error) -> String {
    match e {
        Error::Param { field, .. } => field,
        other => panic!("expected a parameter error, got {other:?}"),
    }
}

#[test]
fn trustworthiness_here_is_scikit_learns() {
    let f = &fixture()["trust_small"];
    let (x, y) = (matrix(&f["x"]), matrix(&f["y"]));
    assert!((trustworthiness(&x, &y, 5) - f["k5"].as_f64().unwrap()).abs() < 1e-12);
    assert!((trustworthiness(&x, &y, 3) - f["k3"].as_f64().unwrap()).abs() < 1e-12);
}

#[test]
fn curve_parameters_match_umap_learn() {
    for case in fixture()["ab"].as_array().unwrap() {
        let v: Vec<f64> = serde_json::from_value(case.clone()).unwrap();
        let (a, b) = find_ab_params(v[0], v[1]);
        assert!(
            (a - v[2]).abs() < 1e-3 * v[2] && (b - v[3]).abs() < 1e-3 * v[3],
            "spread {} min_dist {}: {a} {b} vs {v:?}",
            v[0],
            v[1]
        );
    }
}

fn check_quality(name: &str, ours: f64, reference: &str) {
    let theirs = fixture()[reference]["trustworthiness"].as_f64().unwrap();
    println!("{name}: trustworthiness {ours:.4}, reference {theirs:.4}");
    assert!(ours >= 0.97 && ours >= theirs - 0.01, "{name}: {ours} vs {theirs}");
}

#[test]
fn tsne_on_300_digits_is_as_trustworthy_as_scikit_learn() {
    let x = digits(300);
    for method in ["barnes_hut", "exact"] {
        let params = TsneParams { method: method.into(), ..TsneParams::default() };
        let (y, m) = tsne(&x, &params, 0);
        check_quality(method, trustworthiness(&x, &y, 5), &format!("tsne_{method}_digits300"));
        // The KL divergence ends near scikit-learn's (both minimise it from a PCA start).
        let kl = m.metrics()["kl_divergence"];
        let theirs = fixture()[format!("tsne_{method}_digits300")]["kl_divergence"].as_f64().unwrap();
        assert!((kl - theirs).abs() < 0.1, "{method}: KL {kl} vs {theirs}");
    }
}

#[test]
fn umap_on_300_digits_is_as_trustworthy_as_umap_learn() {
    let x = digits(300);
    let y = umap(&x, &UmapParams::default(), 0);
    check_quality("umap", trustworthiness(&x, &y, 5), "umap_digits300");
    for init in ["pca", "random"] {
        let y = umap(&x, &UmapParams { init: init.into(), ..UmapParams::default() }, 0);
        assert!(trustworthiness(&x, &y, 5) >= 0.97, "init {init}");
    }
}

#[test]
fn tsne_on_all_digits_is_as_trustworthy_as_scikit_learn() {
    let x = digits(2000);
    let t = std::time::Instant::now();
    let (y, m) = tsne(&x, &TsneParams::default(), 0);
    println!(
        "t-SNE on {} digits: {:.2} s, KL {:.4}",
        x.nrows(),
        t.elapsed().as_secs_f64(),
        m.metrics()["kl_divergence"]
    );
    check_quality("tsne digits", trustworthiness(&x, &y, 5), "tsne_barnes_hut_digits");
}

/// The FFT-interpolated repulsion (what "auto" uses on large data), forced on 300 digits:
/// as trustworthy as scikit-learn's Barnes-Hut there (quick enough for the default suite).
#[test]
fn tsne_fft_on_300_digits_is_as_trustworthy_as_scikit_learn() {
    let x = digits(300);
    let t = std::time::Instant::now();
    let (y, m) = tsne(&x, &TsneParams { method: "fft".into(), ..TsneParams::default() }, 0);
    let kl = m.metrics()["kl_divergence"];
    println!("t-SNE fft on {} digits: {:.2} s, KL {kl:.4}", x.nrows(), t.elapsed().as_secs_f64());
    check_quality("tsne fft digits300", trustworthiness(&x, &y, 5), "tsne_barnes_hut_digits300");
    let theirs = fixture()["tsne_barnes_hut_digits300"]["kl_divergence"].as_f64().unwrap();
    assert!((kl - theirs).abs() < 0.1, "KL {kl} vs {theirs}");
}

/// The same on all 1,797 digits (slow in a debug build: run with --release --ignored).
#[test]
#[ignore]
fn tsne_fft_on_all_digits_is_as_trustworthy_as_scikit_learn() {
    let x = digits(2000);
    let t = std::time::Instant::now();
    let (y, m) = tsne(&x, &TsneParams { method: "fft".into(), ..TsneParams::default() }, 0);
    println!(
        "t-SNE fft on {} digits: {:.2} s, KL {:.4}",
        x.nrows(),
        t.elapsed().as_secs_f64(),
        m.metrics()["kl_divergence"]
    );
    check_quality("tsne fft digits", trustworthiness(&x, &y, 5), "tsne_barnes_hut_digits");
}

#[test]
fn umap_on_all_digits_is_as_trustworthy_as_umap_learn() {
    let x = digits(2000);
    let t = std::time::Instant::now();
    let y = umap(&x, &UmapParams::default(), 0);
    println!("UMAP on {} digits: {:.2} s", x.nrows(), t.elapsed().as_secs_f64());
    check_quality("umap digits", trustworthiness(&x, &y, 5), "umap_digits");
}

#[test]
fn the_kl_divergence_falls_and_is_reported() {
    let x = digits(150);
    let mut m = Tsne::new(&TsneParams { max_iter: 400, ..TsneParams::default() }, &x, 0).unwrap();
    assert!(m.embedding().unwrap().iter().all(|v| v.abs() < 1e-2), "starts as a tiny cloud");
    let mut kls = Vec::new();
    while !m.is_done() {
        m.step(&x).unwrap();
        // The set-up pieces come first and are not iterations.
        if m.phase().is_none() && m.steps_done() % 10 == 0 && m.steps_done() > 0 {
            kls.push(m.metrics()["kl_divergence"]);
        }
    }
    assert_eq!(m.steps_done(), 400);
    assert!(kls.last().unwrap() < &(0.5 * kls[0]), "{kls:?}");
    // Reported values are those of the layout at the time: close to a fresh evaluation.
    let fresh = m.kl_divergence();
    assert!((fresh - kls.last().unwrap()).abs() < 0.05, "{fresh} vs {kls:?}");
}

#[test]
fn same_seed_same_layout() {
    let x = digits(120);
    for init in ["pca", "random"] {
        let p = TsneParams { max_iter: 300, init: init.into(), ..TsneParams::default() };
        assert_eq!(tsne(&x, &p, 4).0, tsne(&x, &p, 4).0);
        let q = UmapParams {
            n_epochs: 50,
            init: if init == "pca" { "spectral".into() } else { init.into() },
            ..UmapParams::default()
        };
        assert_eq!(umap(&x, &q, 4), umap(&x, &q, 4));
        assert_ne!(umap(&x, &q, 4), umap(&x, &q, 5));
    }
    let p = TsneParams { max_iter: 300, init: "random".into(), ..TsneParams::default() };
    assert_ne!(tsne(&x, &p, 4).0, tsne(&x, &p, 5).0);
}

#[test]
fn bad_input_is_refused_by_name() {
    let x = digits(40);
    let t = |p: TsneParams| field_of(Tsne::new(&p, &x, 0).err().unwrap());
    assert_eq!(t(TsneParams { perplexity: 40.0, ..TsneParams::default() }), "perplexity");
    assert_eq!(t(TsneParams { method: "fast".into(), ..TsneParams::default() }), "method");
    assert_eq!(t(TsneParams { max_iter: 100, ..TsneParams::default() }), "max_iter");
    assert_eq!(t(TsneParams { angle: 1.5, ..TsneParams::default() }), "angle");
    assert_eq!(t(TsneParams { learning_rate: -1.0, ..TsneParams::default() }), "learning_rate");
    let big = Array2::from_shape_fn((5001, 2), |(i, j)| (i * 7 + j) as f64);
    assert_eq!(
        field_of(Tsne::new(&TsneParams { method: "exact".into(), ..TsneParams::default() }, &big, 0).err().unwrap()),
        "method"
    );
    let u = |p: UmapParams| field_of(Umap::new(&p, &x, 0).err().unwrap());
    assert_eq!(u(UmapParams { n_neighbors: 40, ..UmapParams::default() }), "n_neighbors");
    assert_eq!(u(UmapParams { min_dist: 2.0, ..UmapParams::default() }), "min_dist");
    assert_eq!(u(UmapParams { init: "tsne".into(), ..UmapParams::default() }), "init");

    let few = x.slice(s![..3, ..]).to_owned();
    let p = TsneParams { perplexity: 2.0, ..TsneParams::default() };
    assert!(matches!(Tsne::new(&p, &few, 0), Err(Error::Data(m)) if m.contains("at least 4 rows")));
    assert!(matches!(Umap::new(&UmapParams { n_neighbors: 2, ..UmapParams::default() }, &few, 0), Err(Error::Data(_))));
    let mut nan = x.clone();
    nan[[7, 3]] = f64::NAN;
    assert!(
        matches!(Tsne::new(&TsneParams { perplexity: 5.0, ..TsneParams::default() }, &nan, 0), Err(Error::Data(m)) if m.contains("row 8, column 4"))
    );
    assert!(matches!(Umap::new(&UmapParams::default(), &nan, 0), Err(Error::Data(_))));
    // A stepped model refuses a matrix of another size rather than indexing out of range.
    let mut m = Umap::new(&UmapParams::default(), &x, 0).unwrap();
    assert!(matches!(m.step(&few), Err(Error::Data(_))));
}

#[test]
fn degenerate_data_does_not_break() {
    // All rows equal and duplicate rows: finite layouts, no panic.
    let same = Array2::from_elem((30, 3), 1.0);
    let y = tsne(&same, &TsneParams { perplexity: 5.0, max_iter: 260, ..TsneParams::default() }, 0).0;
    assert!(y.iter().all(|v| v.is_finite()));
    let y = umap(&same, &UmapParams { n_neighbors: 5, n_epochs: 20, ..UmapParams::default() }, 0);
    assert!(y.iter().all(|v| v.is_finite()));
    let mut dup = digits(60);
    for i in 0..20 {
        let r = dup.row(i).to_owned();
        dup.row_mut(i + 20).assign(&r);
    }
    let y = umap(&dup, &UmapParams { n_epochs: 30, ..UmapParams::default() }, 0);
    assert!(y.iter().all(|v| v.is_finite()));
}
