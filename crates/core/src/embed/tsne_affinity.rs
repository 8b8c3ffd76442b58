//! t-SNE's joint probabilities P (see `tsne`): each row's Gaussian calibrated to the
//! perplexity over its neighbours (barnes_hut, sparse) or over all rows (exact, dense),
//! then symmetrised; and where barnes_hut's set-up of them stands.

use ndarray::Array2;

use super::common::KnnJob;

/// Rows whose perplexity is calibrated per set-up piece.
pub(super) const CALIBRATE_ROWS: usize = 2048;

/// The joint probabilities P: sparse over neighbour pairs, or a dense n x n matrix.
#[derive(Debug, Clone)]
pub(super) enum Affinity {
    Sparse { indptr: Vec<usize>, indices: Vec<usize>, values: Vec<f64> },
    Dense(Vec<f64>),
}

/// Where barnes_hut's set-up stands.
pub(super) enum Stage {
    /// The 3 * perplexity nearest neighbours, on `reduced` (the PCA-reduced rows) if any.
    Neighbours {
        job: KnnJob,
        reduced: Option<Array2<f64>>,
    },
    /// Conditional probabilities `cond` of rows below `at` done.
    Calibrate {
        idx: Vec<usize>,
        d2: Vec<f64>,
        cond: Vec<f64>,
        at: usize,
    },
    Ready,
}

/// Conditional probabilities of one row over its candidates (squared distances `d2`),
/// with the Gaussian precision found by binary search so the entropy is log(perplexity).
/// scikit-learn's `_binary_search_perplexity`: 100 steps, tolerance 1e-5.
pub(super) fn calibrate_row(d2: &[f64], perplexity: f64, out: &mut [f64]) {
    let desired = libm::log(perplexity);
    let (mut beta, mut lo, mut hi) = (1.0, f64::NEG_INFINITY, f64::INFINITY);
    for _ in 0..100 {
        let mut sum = 0.0;
        for (o, &d) in out.iter_mut().zip(d2) {
            *o = libm::exp(-d * beta);
            sum += *o;
        }
        if sum == 0.0 {
            sum = 1e-8;
        }
        let mut sum_dp = 0.0;
        for (o, &d) in out.iter_mut().zip(d2) {
            *o /= sum;
            sum_dp += d * *o;
        }
        let diff = libm::log(sum) + beta * sum_dp - desired;
        if diff.abs() <= 1e-5 {
            break;
        }
        if diff > 0.0 {
            lo = beta;
            beta = if hi == f64::INFINITY { beta * 2.0 } else { (beta + hi) / 2.0 };
        } else {
            hi = beta;
            beta = if lo == f64::NEG_INFINITY { beta / 2.0 } else { (beta + lo) / 2.0 };
        }
    }
}

/// The set-up's share of the whole fit's cost, roughly: neighbour search (pairs of rows
/// times columns, or NN-descent's candidates) against the iterations (each a quadtree
/// walk per row and a pass over the neighbour pairs).
pub(super) fn setup_share(stage: &Stage, n: usize, d: usize, k: usize, iters: usize) -> f64 {
    let Stage::Neighbours { job, .. } = stage else { return 0.0 };
    let (n, d, k) = (n as f64, d as f64, k as f64);
    let search = if job.is_descent() { n * 40.0 * k * (d + 8.0) } else { n * n / 4.0 * (d + 8.0) };
    let iterations = iters as f64 * n * (60.0 * n.log2() + 4.0 * k);
    search / (search + iterations)
}

/// P over the k = min(n - 1, 3 * perplexity + 1) nearest neighbours (`idx`, each row's
/// conditional probabilities `cond`), symmetrised (P + P^T) / sum, in compressed rows
/// sorted by column.
pub(super) fn symmetrised(n: usize, k: usize, idx: &[usize], cond: &[f64]) -> Affinity {
    // Both directions of every entry, then merge equal (row, col) by adding.
    let mut trip: Vec<(usize, usize, f64)> = Vec::with_capacity(2 * n * k);
    for i in 0..n {
        for t in 0..k {
            let (j, v) = (idx[i * k + t], cond[i * k + t]);
            trip.push((i, j, v));
            trip.push((j, i, v));
        }
    }
    trip.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then(a.2.total_cmp(&b.2)));
    let mut indptr = vec![0; n + 1];
    let (mut indices, mut values) = (Vec::with_capacity(trip.len()), Vec::with_capacity(trip.len()));
    let mut total = 0.0;
    let mut last = (usize::MAX, usize::MAX);
    for &(i, j, v) in &trip {
        total += v;
        if (i, j) == last {
            *values.last_mut().expect("merged") += v;
        } else {
            indices.push(j);
            values.push(v);
            indptr[i + 1] += 1;
            last = (i, j);
        }
    }
    for i in 0..n {
        indptr[i + 1] += indptr[i];
    }
    let total = total.max(f64::EPSILON);
    values.iter_mut().for_each(|v| *v /= total);
    Affinity::Sparse { indptr, indices, values }
}

/// P over all pairs, symmetrised and normalised, dense n x n with a zero diagonal.
pub(super) fn dense_affinity(x: &Array2<f64>, perplexity: f64) -> Affinity {
    let n = x.nrows();
    let x = x.as_standard_layout();
    let flat = x.as_slice().expect("standard layout");
    let d = x.ncols();
    let mut p = vec![0.0; n * n];
    let (mut d2, mut row) = (vec![0.0; n - 1], vec![0.0; n - 1]);
    for i in 0..n {
        let xi = &flat[i * d..(i + 1) * d];
        let others = (0..n).filter(|&j| j != i);
        for (t, j) in others.clone().enumerate() {
            d2[t] = crate::linalg::neighbors::dist2(xi, &flat[j * d..(j + 1) * d]);
        }
        calibrate_row(&d2, perplexity, &mut row);
        for (t, j) in others.enumerate() {
            p[i * n + j] = row[t];
        }
    }
    let total = 2.0 * n as f64;
    for i in 0..n {
        for j in i + 1..n {
            let v = ((p[i * n + j] + p[j * n + i]) / total).max(f64::EPSILON);
            p[i * n + j] = v;
            p[j * n + i] = v;
        }
    }
    Affinity::Dense(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calibration_reaches_the_perplexity() {
        let d2: Vec<f64> = (1..=90).map(|i| (i as f64).sqrt()).collect();
        let mut p = vec![0.0; 90];
        calibrate_row(&d2, 30.0, &mut p);
        let h: f64 = -p.iter().filter(|&&v| v > 0.0).map(|v| v * v.ln()).sum::<f64>();
        assert!((h.exp() - 30.0).abs() < 1e-3, "perplexity {}", h.exp());
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }
}
