//! Seeded synthetic 2-D datasets for seeing a model's decision boundary.

use ndarray::Array2;

use super::dataset::{Dataset, Target};
use crate::rng::Rng;

/// Two interleaving half circles (as scikit-learn's `make_moons`), with Gaussian noise of
/// standard deviation `noise`, rows shuffled.
pub fn two_moons(n: usize, noise: f64, rng: &mut Rng) -> Dataset {
    let n_outer = n / 2;
    let n_inner = n - n_outer;
    let mut rows: Vec<([f64; 2], u32)> = Vec::with_capacity(n);
    let angle = |i: usize, count: usize| {
        if count > 1 { std::f64::consts::PI * i as f64 / (count - 1) as f64 } else { 0.0 }
    };
    for i in 0..n_outer {
        let t = angle(i, n_outer);
        rows.push(([libm::cos(t), libm::sin(t)], 0));
    }
    for i in 0..n_inner {
        let t = angle(i, n_inner);
        rows.push(([1.0 - libm::cos(t), 0.5 - libm::sin(t)], 1));
    }
    for (p, _) in rows.iter_mut() {
        p[0] += noise * rng.normal();
        p[1] += noise * rng.normal();
    }
    rng.shuffle(&mut rows);
    let x = Array2::from_shape_fn((n, 2), |(i, j)| rows[i].0[j]);
    Dataset {
        name: "moons".into(),
        x,
        feature_names: vec!["x1".into(), "x2".into()],
        target: Target::Classes { labels: rows.iter().map(|r| r.1).collect(), names: vec!["0".into(), "1".into()] },
        target_name: "class".into(),
        categorical: vec![],
        notes: vec![],
        warnings: vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moons_are_seeded_and_balanced() {
        let a = two_moons(101, 0.1, &mut Rng::new(1));
        let b = two_moons(101, 0.1, &mut Rng::new(1));
        assert_eq!(a.x, b.x);
        let Target::Classes { labels, .. } = &a.target else { panic!() };
        assert_eq!(labels.iter().filter(|&&l| l == 1).count(), 51);
        // Without noise every point lies on its half circle.
        let c = two_moons(50, 0.0, &mut Rng::new(2));
        let Target::Classes { labels, .. } = &c.target else { panic!() };
        for (row, &l) in c.x.rows().into_iter().zip(labels) {
            let (cx, cy) = if l == 0 { (0.0, 0.0) } else { (1.0, 0.5) };
            let r = ((row[0] - cx).powi(2) + (row[1] - cy).powi(2)).sqrt();
            assert!((r - 1.0).abs() < 1e-12);
        }
    }
}
