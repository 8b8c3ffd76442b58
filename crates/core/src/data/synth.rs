//! Seeded synthetic datasets: 2-D shapes for seeing a model's decision boundary, and a
//! linear regression set. Each generator returns a `Table` (the preview shows it as is;
//! `Dataset::from_table` turns it into features and a target). The tabular "transactions"
//! and "traffic" sets live in `synth_tabular.rs`.
//!
//! All randomness comes from `Rng` and all trigonometry from `libm`, so the browser and
//! the CLI generate the same numbers for the same seed.

use std::f64::consts::PI;

use super::table::{Column, ColumnData, Table};
use crate::base::rng::Rng;

/// Radius of the inner circle of `circles`, the outer one being 1 (scikit-learn's
/// `make_circles(factor=0.5)`).
pub const CIRCLES_FACTOR: f64 = 0.5;
/// Blob centres are drawn uniformly in this square (scikit-learn's `center_box`).
pub const BLOB_BOX: (f64, f64) = (-10.0, 10.0);
/// How many turns each spiral arm makes.
pub const SPIRAL_TURNS: f64 = 1.75;
/// `linear`: y = LINEAR_INTERCEPT + sum of LINEAR_COEF[j] * x_j + noise. The last
/// feature does not matter at all (coefficient 0), which regularisation should discover.
pub const LINEAR_COEF: [f64; 4] = [3.0, -2.0, 0.5, 0.0];
pub const LINEAR_INTERCEPT: f64 = 1.0;

/// A numeric column.
pub fn numeric(name: &str, values: Vec<f64>) -> Column {
    Column { name: name.into(), data: ColumnData::Numeric(values) }
}

/// A text column whose values are `levels[codes[i]]`.
pub fn categorical(name: &str, codes: Vec<u32>, levels: &[&str]) -> Column {
    Column {
        name: name.into(),
        data: ColumnData::Categorical { codes, levels: levels.iter().map(|s| s.to_string()).collect() },
    }
}

/// Columns x1, x2 and the class label (0, 1, ...) as a number, in the order given.
fn points_table(rows: &[([f64; 2], u32)]) -> Table {
    Table {
        notes: vec![],
        columns: vec![
            numeric("x1", rows.iter().map(|r| r.0[0]).collect()),
            numeric("x2", rows.iter().map(|r| r.0[1]).collect()),
            numeric("class", rows.iter().map(|r| r.1 as f64).collect()),
        ],
    }
}

/// Add Gaussian noise of standard deviation `noise` to every point, then shuffle the rows.
fn jitter_and_shuffle(rows: &mut [([f64; 2], u32)], noise: f64, rng: &mut Rng) {
    for (p, _) in rows.iter_mut() {
        p[0] += noise * rng.normal();
        p[1] += noise * rng.normal();
    }
    rng.shuffle(rows);
}

/// Two interleaving half circles (as scikit-learn's `make_moons`): class 0 on the unit
/// circle's upper half, class 1 on a lower half circle centred at (1, 0.5).
pub fn moons(n: usize, noise: f64, rng: &mut Rng) -> Table {
    let n_outer = n / 2;
    let n_inner = n - n_outer;
    let angle = |i: usize, count: usize| if count > 1 { PI * i as f64 / (count - 1) as f64 } else { 0.0 };
    let mut rows = Vec::with_capacity(n);
    for i in 0..n_outer {
        let t = angle(i, n_outer);
        rows.push(([libm::cos(t), libm::sin(t)], 0));
    }
    for i in 0..n_inner {
        let t = angle(i, n_inner);
        rows.push(([1.0 - libm::cos(t), 0.5 - libm::sin(t)], 1));
    }
    jitter_and_shuffle(&mut rows, noise, rng);
    points_table(&rows)
}

/// A circle of radius `CIRCLES_FACTOR` (class 1) inside the unit circle (class 0), as
/// scikit-learn's `make_circles`: a boundary no straight line can draw.
pub fn circles(n: usize, noise: f64, rng: &mut Rng) -> Table {
    let n_outer = n / 2;
    let n_inner = n - n_outer;
    let mut rows = Vec::with_capacity(n);
    for (count, radius, class) in [(n_outer, 1.0, 0), (n_inner, CIRCLES_FACTOR, 1)] {
        for i in 0..count {
            let t = 2.0 * PI * i as f64 / count as f64;
            rows.push(([radius * libm::cos(t), radius * libm::sin(t)], class));
        }
    }
    jitter_and_shuffle(&mut rows, noise, rng);
    points_table(&rows)
}

/// `centers` round clusters (as scikit-learn's `make_blobs`): centres uniform in
/// `BLOB_BOX`, points normal around them with standard deviation `cluster_std`; the class
/// is the cluster. Cluster sizes differ by at most one.
pub fn blobs(n: usize, centers: usize, cluster_std: f64, rng: &mut Rng) -> Table {
    let (lo, hi) = BLOB_BOX;
    let centres: Vec<[f64; 2]> =
        (0..centers).map(|_| [lo + (hi - lo) * rng.uniform(), lo + (hi - lo) * rng.uniform()]).collect();
    let mut rows: Vec<([f64; 2], u32)> = (0..n).map(|i| (centres[i % centers], (i % centers) as u32)).collect();
    jitter_and_shuffle(&mut rows, cluster_std, rng);
    points_table(&rows)
}

/// Points uniform in the square [-1, 1]²; class 1 where x1 and x2 have the same sign
/// (top-right and bottom-left), class 0 elsewhere. Noise moves points after labelling,
/// so near the axes some points sit on the "wrong" side.
pub fn xor(n: usize, noise: f64, rng: &mut Rng) -> Table {
    let mut rows: Vec<([f64; 2], u32)> = (0..n)
        .map(|_| {
            let p = [2.0 * rng.uniform() - 1.0, 2.0 * rng.uniform() - 1.0];
            (p, u32::from(p[0] * p[1] > 0.0))
        })
        .collect();
    jitter_and_shuffle(&mut rows, noise, rng);
    points_table(&rows)
}

/// Two interleaved spiral arms, half a turn apart, each making `SPIRAL_TURNS` turns
/// outwards to radius 1. Point i of an arm sits at radius r = (i + 0.5) / count and angle
/// 2π·SPIRAL_TURNS·r (+π for class 1).
pub fn spirals(n: usize, noise: f64, rng: &mut Rng) -> Table {
    let n0 = n / 2;
    let mut rows = Vec::with_capacity(n);
    for (count, class) in [(n0, 0u32), (n - n0, 1)] {
        for i in 0..count {
            let r = (i as f64 + 0.5) / count as f64;
            let t = 2.0 * PI * SPIRAL_TURNS * r + PI * class as f64;
            rows.push(([r * libm::cos(t), r * libm::sin(t)], class));
        }
    }
    jitter_and_shuffle(&mut rows, noise, rng);
    points_table(&rows)
}

/// Regression: features x1..x4 standard normal, y = LINEAR_INTERCEPT + LINEAR_COEF · x
/// plus Gaussian noise of standard deviation `noise`.
pub fn linear(n: usize, noise: f64, rng: &mut Rng) -> Table {
    let k = LINEAR_COEF.len();
    let mut cols: Vec<Vec<f64>> = vec![Vec::with_capacity(n); k];
    let mut y = Vec::with_capacity(n);
    for _ in 0..n {
        let mut v = LINEAR_INTERCEPT;
        for (j, col) in cols.iter_mut().enumerate() {
            let x = rng.normal();
            v += LINEAR_COEF[j] * x;
            col.push(x);
        }
        y.push(v + noise * rng.normal());
    }
    let mut columns: Vec<Column> =
        cols.into_iter().enumerate().map(|(j, c)| numeric(&format!("x{}", j + 1), c)).collect();
    columns.push(numeric("y", y));
    Table { columns, notes: vec![] }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xy_class(t: &Table) -> Vec<(f64, f64, u32)> {
        let col = |j: usize| match &t.columns[j].data {
            ColumnData::Numeric(v) => v.clone(),
            _ => panic!("numeric"),
        };
        let (a, b, c) = (col(0), col(1), col(2));
        (0..a.len()).map(|i| (a[i], b[i], c[i] as u32)).collect()
    }

    #[test]
    fn moons_are_seeded_balanced_and_on_their_circles() {
        assert_eq!(moons(101, 0.1, &mut Rng::new(1)), moons(101, 0.1, &mut Rng::new(1)));
        let pts = xy_class(&moons(101, 0.1, &mut Rng::new(1)));
        assert_eq!(pts.iter().filter(|p| p.2 == 1).count(), 51);
        for (x, y, l) in xy_class(&moons(50, 0.0, &mut Rng::new(2))) {
            let (cx, cy) = if l == 0 { (0.0, 0.0) } else { (1.0, 0.5) };
            assert!((libm::hypot(x - cx, y - cy) - 1.0).abs() < 1e-12);
        }
    }

    #[test]
    fn circles_have_the_inner_radius_factor() {
        for (x, y, l) in xy_class(&circles(80, 0.0, &mut Rng::new(3))) {
            let r = if l == 0 { 1.0 } else { CIRCLES_FACTOR };
            assert!((libm::hypot(x, y) - r).abs() < 1e-12);
        }
    }

    #[test]
    fn xor_labels_follow_the_signs() {
        for (x, y, l) in xy_class(&xor(200, 0.0, &mut Rng::new(4))) {
            assert_eq!(l, u32::from(x * y > 0.0));
            assert!(x.abs() <= 1.0 && y.abs() <= 1.0);
        }
    }

    #[test]
    fn spiral_points_follow_their_arm() {
        for (x, y, l) in xy_class(&spirals(100, 0.0, &mut Rng::new(5))) {
            let r = libm::hypot(x, y);
            let want = 2.0 * PI * SPIRAL_TURNS * r + PI * l as f64;
            let diff = (libm::atan2(y, x) - want).rem_euclid(2.0 * PI);
            assert!(diff < 1e-9 || 2.0 * PI - diff < 1e-9, "class {l} at r {r}");
        }
    }

    #[test]
    fn linear_without_noise_is_exact() {
        let t = linear(20, 0.0, &mut Rng::new(6));
        let col = |j: usize| match &t.columns[j].data {
            ColumnData::Numeric(v) => v.clone(),
            _ => panic!(),
        };
        for i in 0..20 {
            let want = LINEAR_INTERCEPT + (0..4).map(|j| LINEAR_COEF[j] * col(j)[i]).sum::<f64>();
            assert!((col(4)[i] - want).abs() < 1e-12);
        }
    }
}
