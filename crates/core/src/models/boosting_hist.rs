//! Binning and gradient histograms for histogram gradient boosting (as scikit-learn's
//! `_BinMapper`): each numeric column is cut at quantiles of its training values into at
//! most `max_bins` bins, a categorical column uses its category index as the bin, and a
//! missing value gets the last bin of its own. Codes are `u8`, stored column by column.

use ndarray::Array2;

use crate::base::error::{Error, Result};
use crate::base::rng::Rng;

/// Rows used to find the quantile edges (scikit-learn's `subsample`).
const QUANTILE_ROWS: usize = 200_000;
/// Bins per feature in a histogram: room for every `u8` code, so indexing needs no check.
pub const STRIDE: usize = 256;

#[derive(Debug, Clone)]
pub struct Binner {
    /// Per numeric feature: increasing edges; a value goes to the number of edges below it.
    pub edges: Vec<Vec<f64>>,
    pub categorical: Vec<bool>,
    /// Per feature: bins that hold values (the missing bin not counted).
    pub n_bins: Vec<usize>,
    /// Per feature: were any training values missing?
    pub has_missing: Vec<bool>,
    /// The code of a missing value: `max_bins`, after every value bin.
    pub missing_bin: u8,
}

/// Bin codes of a matrix, column-major: `codes[f * n_rows + i]`.
#[derive(Debug, Clone)]
pub struct Binned {
    pub codes: Vec<u8>,
    pub n_rows: usize,
}

impl Binned {
    pub fn col(&self, f: usize) -> &[u8] {
        &self.codes[f * self.n_rows..(f + 1) * self.n_rows]
    }
}

/// Quantile midpoints as numpy's `percentile(method="midpoint")` of sorted values.
fn quantile_edges(sorted: &[f64], max_bins: usize) -> Vec<f64> {
    let mut distinct = sorted.to_vec();
    distinct.dedup();
    if distinct.len() <= max_bins {
        return distinct.windows(2).map(|w| 0.5 * (w[0] + w[1])).collect();
    }
    let n = sorted.len();
    let step = 100.0 / max_bins as f64;
    let mut edges: Vec<f64> = (1..max_bins)
        .map(|i| {
            let q = (i as f64 * step) / 100.0 * (n - 1) as f64;
            let (lo, hi) = (q.floor() as usize, q.ceil() as usize);
            if lo == hi {
                sorted[lo]
            } else {
                0.5 * (sorted[lo] + sorted[hi])
            }
        })
        .collect();
    edges.dedup();
    edges
}

impl Binner {
    pub fn fit(x: &Array2<f64>, categorical: &[bool], names: &[String], max_bins: usize, seed: u64) -> Result<Binner> {
        let n = x.nrows();
        // Quantiles from a seeded subsample on large data, as scikit-learn.
        let rows: Vec<usize> = if n > QUANTILE_ROWS {
            let mut all: Vec<usize> = (0..n).collect();
            Rng::derive(seed, 31).shuffle(&mut all);
            all.truncate(QUANTILE_ROWS);
            all.sort_unstable();
            all
        } else {
            (0..n).collect()
        };
        let mut b = Binner {
            edges: Vec::new(),
            categorical: categorical.to_vec(),
            n_bins: Vec::new(),
            has_missing: Vec::new(),
            missing_bin: max_bins as u8,
        };
        for (f, &is_cat) in categorical.iter().enumerate() {
            let col = x.column(f);
            b.has_missing.push(col.iter().any(|v| v.is_nan()));
            if is_cat {
                let top = col.iter().filter(|v| !v.is_nan()).fold(-1.0f64, |a, &v| a.max(v));
                let k = (top + 1.0) as usize;
                if k > max_bins {
                    return Err(Error::Data(format!(
                        "column '{}' has {k} categories; gradient boosting takes at most max_bins = {max_bins}",
                        names.get(f).map_or("?", |s| s.as_str())
                    )));
                }
                b.edges.push(Vec::new());
                b.n_bins.push(k.max(1));
                continue;
            }
            let mut vals: Vec<f64> = rows.iter().map(|&i| col[i]).filter(|v| !v.is_nan()).collect();
            vals.sort_by(f64::total_cmp);
            let edges = quantile_edges(&vals, max_bins);
            b.n_bins.push(edges.len() + 1);
            b.edges.push(edges);
        }
        Ok(b)
    }

    fn code(&self, f: usize, v: f64) -> u8 {
        if v.is_nan() {
            return self.missing_bin;
        }
        if self.categorical[f] {
            // Categories unseen in training read as missing.
            return if v >= 0.0 && (v as usize) < self.n_bins[f] { v as u8 } else { self.missing_bin };
        }
        self.edges[f].partition_point(|&e| e < v) as u8
    }

    pub fn transform(&self, x: &Array2<f64>) -> Binned {
        let n = x.nrows();
        let mut codes = vec![0u8; n * x.ncols()];
        for f in 0..x.ncols() {
            let out = &mut codes[f * n..(f + 1) * n];
            x.column(f).iter().zip(out.iter_mut()).for_each(|(&v, o)| *o = self.code(f, v));
        }
        Binned { codes, n_rows: n }
    }

    /// The raw threshold of a numeric split at `bin` (values `<=` it go left).
    pub fn threshold(&self, f: usize, bin: u8) -> f64 {
        self.edges[f].get(bin as usize).copied().unwrap_or(f64::INFINITY)
    }
}

/// Sum of gradients, hessians and rows of one bin.
#[derive(Debug, Clone, Copy, Default)]
pub struct Bin {
    pub g: f64,
    pub h: f64,
    pub n: u32,
}

/// Fill `hist` (`n_features * STRIDE` bins) from the rows of one node (all rows in order
/// when `rows` is `None`). `og`/`oh` hold the rows' gradients in the order of `rows`, so
/// they are read sequentially; with constant hessians (`oh` empty) each counts 1.
pub fn build(hist: &mut [Bin], binned: &Binned, rows: Option<&[u32]>, og: &[f32], oh: &[f32]) {
    hist.fill(Bin::default());
    // Four features per pass over the rows: their indices and gradients are read once.
    // Groups of four go to the threads when the node is big enough to pay for it; each
    // feature's sums are the same however the features are grouped.
    const GROUP: usize = 4 * STRIDE;
    let piece = if og.len() * (hist.len() / STRIDE) >= PARALLEL_CELLS { GROUP } else { hist.len() };
    crate::base::par::map_chunks_mut(hist, piece, |first, part| {
        let (f0, nf) = (first / STRIDE, part.len() / STRIDE);
        let mut f = 0;
        while f + 4 <= nf {
            block::<4>(&mut part[f * STRIDE..(f + 4) * STRIDE], f0 + f, binned, rows, og, oh);
            f += 4;
        }
        for f in f..nf {
            block::<1>(&mut part[f * STRIDE..(f + 1) * STRIDE], f0 + f, binned, rows, og, oh);
        }
    });
}

/// Rows x features from which a histogram is built on several threads.
const PARALLEL_CELLS: usize = 1 << 18;

#[inline(always)]
fn add<const N: usize>(hs: &mut [&mut [Bin; STRIDE]; N], cols: &[&[u8]; N], r: usize, g: f64, h: f64) {
    for j in 0..N {
        let b = &mut hs[j][cols[j][r] as usize];
        b.g += g;
        b.h += h;
        b.n += 1;
    }
}

fn block<const N: usize>(hist: &mut [Bin], f0: usize, binned: &Binned, rows: Option<&[u32]>, og: &[f32], oh: &[f32]) {
    let mut it = hist.chunks_exact_mut(STRIDE);
    let mut hs: [&mut [Bin; STRIDE]; N] =
        std::array::from_fn(|_| it.next().expect("block").try_into().expect("stride"));
    let cols: [&[u8]; N] = std::array::from_fn(|j| binned.col(f0 + j));
    match (rows, oh.is_empty()) {
        (Some(rows), true) => rows.iter().zip(og).for_each(|(&r, &g)| add(&mut hs, &cols, r as usize, g as f64, 1.0)),
        (Some(rows), false) => {
            rows.iter().zip(og).zip(oh).for_each(|((&r, &g), &h)| add(&mut hs, &cols, r as usize, g as f64, h as f64))
        }
        (None, true) => og.iter().enumerate().for_each(|(r, &g)| add(&mut hs, &cols, r, g as f64, 1.0)),
        (None, false) => {
            og.iter().zip(oh).enumerate().for_each(|(r, (&g, &h))| add(&mut hs, &cols, r, g as f64, h as f64))
        }
    }
}

/// `parent -= child`: the sibling's histogram without reading its rows.
pub fn subtract(parent: &mut [Bin], child: &[Bin]) {
    for (p, c) in parent.iter_mut().zip(child) {
        p.g -= c.g;
        p.h -= c.h;
        p.n -= c.n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn few_values_cut_at_midpoints_and_missing_has_its_own_bin() {
        let x = array![[1.0, 0.0], [2.0, 2.0], [f64::NAN, 1.0], [4.0, f64::NAN]];
        let b = Binner::fit(&x, &[false, true], &["a".into(), "c".into()], 255, 0).unwrap();
        assert_eq!(b.edges[0], vec![1.5, 3.0]);
        assert_eq!((b.n_bins[0], b.n_bins[1]), (3, 3));
        assert_eq!(b.transform(&x).codes, vec![0, 1, 255, 2, 0, 2, 1, 255]);
    }

    #[test]
    fn many_values_get_at_most_max_bins() {
        let x = Array2::from_shape_fn((1000, 1), |(i, _)| (i * i) as f64);
        let b = Binner::fit(&x, &[false], &["a".into()], 16, 0).unwrap();
        assert_eq!(b.n_bins[0], 16);
        let codes = b.transform(&x).codes;
        // Quantile bins hold about the same number of rows.
        let mut counts = [0usize; 16];
        codes.iter().for_each(|&c| counts[c as usize] += 1);
        assert!(counts.iter().all(|&c| (55..=70).contains(&c)), "{counts:?}");
    }
}
