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

/// Timing, not a check (run by hand, release): MLPLAY_KMEANS_X / MLPLAY_KMEANS_C name raw
/// little-endian f64 files (rows x MLPLAY_KMEANS_D, and the starts), as written by numpy's
/// `tofile`. Prints each fit's time, iterations and inertia; MLPLAY_KMEANS_PLAIN: without bounds;
/// MLPLAY_KMEANS_NARROW: two-lane registers only.
#[test]
#[ignore]
fn time_the_same_starts_from_files() {
    let read = |var: &str| -> Vec<f64> {
        let b = std::fs::read(std::env::var(var).unwrap()).unwrap();
        b.chunks_exact(8).map(|c| f64::from_le_bytes(c.try_into().unwrap())).collect()
    };
    let d: usize = std::env::var("MLPLAY_KMEANS_D").map_or(20, |v| v.parse().unwrap());
    let (x, c) = (read("MLPLAY_KMEANS_X"), read("MLPLAY_KMEANS_C"));
    let x = Array2::from_shape_vec((x.len() / d, d), x).unwrap();
    let c = Array2::from_shape_vec((c.len() / d, d), c).unwrap();
    let params = KMeansParams { n_clusters: c.nrows() as u32, n_init: 1, max_iter: 300, tol: 1e-4 };
    let repeats: usize = std::env::var("MLPLAY_KMEANS_REPEATS").map_or(3, |v| v.parse().unwrap());
    for _ in 0..repeats {
        let t = std::time::Instant::now();
        let mut m = KMeans::new(&params, x.nrows(), 0).unwrap().with_starts(&c).unwrap();
        if std::env::var("MLPLAY_KMEANS_PLAIN").is_ok() {
            m = m.every_score();
        }
        if std::env::var("MLPLAY_KMEANS_NARROW").is_ok() {
            m = m.narrow_lanes();
        }
        while !m.is_done() {
            m.step(&x).unwrap();
        }
        let ms = t.elapsed().as_secs_f64() * 1e3;
        println!(
            "mlplay {ms:.1} ms, {} rows scored, {} iters, {:.2} ms/iter, inertia {:?}",
            m.scored_rows(),
            m.n_iter(),
            ms / m.n_iter() as f64,
            m.inertia()
        );
    }
}

/// Rows in three loose groups with exact duplicates and rows halfway between two centres
/// (ties), so that bounds are tested where the margin matters.
fn awkward(n: usize, d: usize, seed: u64) -> Array2<f64> {
    let mut s = seed;
    let mut next = move || {
        s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut x = Array2::from_shape_fn((n, d), |(i, j)| (i % 3) as f64 * 1.5 * (j % 2) as f64 + next() * 2.0 - 1.0);
    for i in (0..n).step_by(7) {
        let j = (i * 13 + 5) % n;
        let row = x.row(j).to_owned();
        x.row_mut(i).assign(&row);
    }
    x
}

#[test]
fn bounds_change_nothing_but_the_work() {
    for (n, d, k, n_init, seed) in [(3000, 5, 8, 1, 1), (2000, 20, 16, 2, 2), (1500, 2, 30, 1, 3), (400, 3, 1, 1, 4)] {
        let x = awkward(n, d, seed);
        let params = KMeansParams { n_clusters: k, n_init, max_iter: 300, tol: 0.0 };
        let mut a = KMeans::new(&params, n, seed as u32).unwrap();
        let mut b = KMeans::new(&params, n, seed as u32).unwrap().every_score();
        while !a.is_done() {
            a.step(&x).unwrap();
            b.step(&x).unwrap();
            assert_eq!(a.labels(), b.labels(), "n={n} k={k}: labels at step {}", a.steps_done());
            assert_eq!(a.centroids(), b.centroids(), "n={n} k={k}: centres at step {}", a.steps_done());
            assert_eq!(a.inertia().to_bits(), b.inertia().to_bits(), "n={n} k={k}: inertia at step {}", a.steps_done());
        }
        assert!(b.is_done());
        assert_eq!(a.n_iter(), b.n_iter());
        let (sa, sb) = (a.scored_rows(), b.scored_rows());
        eprintln!("n={n} d={d} k={k}: {} iterations, rows scored {sa} with bounds, {sb} without", a.n_iter());
        assert!(sb >= n * a.n_iter(), "without bounds every row is scored every iteration");
        if a.n_iter() > 5 {
            assert!(sa * 2 < sb, "bounds spared fewer than half the rows: {sa} of {sb}");
        }
    }
}

#[test]
fn wide_and_narrow_registers_give_the_same_bits() {
    // d = 7 and 22 leave a tail after the groups of four; d = 2 is only a tail.
    for (n, d, k, seed) in [(2500, 7, 5, 5), (1200, 22, 12, 6), (900, 2, 4, 7)] {
        let x = awkward(n, d, seed);
        let params = KMeansParams { n_clusters: k, n_init: 2, max_iter: 300, tol: 0.0 };
        let mut a = KMeans::new(&params, n, seed as u32).unwrap();
        let mut b = KMeans::new(&params, n, seed as u32).unwrap().narrow_lanes();
        while !a.is_done() {
            a.step(&x).unwrap();
            b.step(&x).unwrap();
            assert_eq!(a.labels(), b.labels(), "n={n} d={d}: labels at step {}", a.steps_done());
            assert_eq!(a.centroids(), b.centroids(), "n={n} d={d}: centres at step {}", a.steps_done());
            assert_eq!(a.inertia().to_bits(), b.inertia().to_bits(), "n={n} d={d}: inertia at step {}", a.steps_done());
        }
        assert!(b.is_done());
    }
}
