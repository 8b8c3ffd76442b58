//! Training of histogram gradient boosting, one round per step. Raw predictions of the
//! training rows are updated from the leaves the rows fell into, and those of the
//! validation rows from the new trees alone, so no step re-predicts earlier trees.
//! Early stopping watches the loss on the session's validation part (scikit-learn splits
//! its own); permutation importances are measured there once training ends.

use super::boosting::{add_split_gains, proba_from_raw, BoostingModel, BoostingParams};
use super::boosting_hist::{Binned, Binner};
use super::boosting_tree::{GrowParams, Grower};
use super::{Model, StepReport, Trainer};
use crate::data::prep::{Part, Prepared};
use crate::data::Target;
use crate::error::{Error, Result};
use crate::metrics::{classification, regression};
use crate::rng::Rng;

/// Rows and shuffles used for permutation importance (kept small: it runs after training).
const PERM_ROWS: usize = 2000;
const PERM_REPEATS: usize = 3;

pub struct BoostingTrainer {
    params: BoostingParams,
    seed: u64,
    grower: Grower,
    val: Binned,
    raw_train: Vec<f64>,
    raw_val: Vec<f64>,
    g: Vec<f32>,
    h: Vec<f32>,
    model: BoostingModel,
    total: usize,
    early: bool,
    /// Minus the validation loss, from the baseline on (scikit-learn's `scores`).
    scores: Vec<f64>,
}

fn loss(raw: &[f64], part: &Part, k: usize) -> Option<f64> {
    let n = part.n_rows();
    (n > 0).then(|| match &part.y {
        Target::Classes { labels, .. } => classification::log_loss(labels, &proba_from_raw(raw, n, k)),
        Target::Values(y) => regression::mse(y, raw),
    })
}

impl BoostingTrainer {
    pub fn new(params: BoostingParams, data: &Prepared, seed: u32) -> Result<BoostingTrainer> {
        params.validate()?;
        let (train, n) = (&data.train, data.train.n_rows());
        if n < 2 {
            return Err(Error::Data(format!("only {n} training rows; gradient boosting needs more")));
        }
        let (k, n_classes, baseline) = match &train.y {
            Target::Values(y) => (1, 0, vec![y.iter().sum::<f64>() / n as f64]),
            Target::Classes { labels, names } => {
                let mut counts = vec![0usize; names.len()];
                labels.iter().for_each(|&l| counts[l as usize] += 1);
                if counts.iter().filter(|&&c| c > 0).count() < 2 {
                    return Err(Error::Data("the training rows hold only one class; a classifier needs at least two".into()));
                }
                let eps = f64::EPSILON;
                let prior: Vec<f64> = counts.iter().map(|&c| (c as f64 / n as f64).clamp(eps, 1.0 - eps)).collect();
                if names.len() == 2 {
                    (1, 2, vec![libm::log(prior[1] / (1.0 - prior[1]))])
                } else {
                    // Symmetric log-priors, as scikit-learn's multinomial link.
                    let logs: Vec<f64> = prior.iter().map(|&p| libm::log(p)).collect();
                    let mean = logs.iter().sum::<f64>() / logs.len() as f64;
                    (names.len(), names.len(), logs.iter().map(|l| l - mean).collect())
                }
            }
        };
        let nv = data.validation.n_rows();
        let early = match params.early_stopping.as_str() {
            "on" if nv == 0 => {
                return Err(Error::param("early_stopping", "on", "off or auto when the split has no validation part to watch"))
            }
            "on" => true,
            "auto" => nv > 0 && n + nv > 10_000,
            _ => false,
        };
        let binner = Binner::fit(&train.x, &data.categorical, &data.feature_names, params.max_bins as usize, seed as u64)?;
        let binned = binner.transform(&train.x);
        let val = binner.transform(&data.validation.x);
        let gp = GrowParams {
            max_leaf_nodes: params.max_leaf_nodes as usize,
            max_depth: params.max_depth.map(|d| d as usize),
            min_samples_leaf: params.min_samples_leaf as usize,
            l2: params.l2_regularization,
            learning_rate: params.learning_rate,
        };
        let model = BoostingModel {
            k,
            n_classes,
            n_features: train.x.ncols(),
            missing_bin: binner.missing_bin,
            split_gain: vec![0.0; train.x.ncols()],
            permutation: None,
            trees: Vec::new(),
            baseline: baseline.clone(),
        };
        let spread = |m: usize| (0..k).flat_map(|c| std::iter::repeat_n(baseline[c], m)).collect::<Vec<f64>>();
        let (raw_train, raw_val) = (spread(n), spread(nv));
        let scores = loss(&raw_val, &data.validation, k).map(|l| vec![-l]).unwrap_or_default();
        Ok(BoostingTrainer {
            total: params.max_iter as usize,
            seed: seed as u64,
            grower: Grower::new(binned, binner, gp),
            val,
            raw_train,
            raw_val,
            g: vec![0.0; n * k],
            h: if n_classes == 0 { Vec::new() } else { vec![0.0; n * k] },
            model,
            early,
            scores,
            params,
        })
    }

    /// Gradients and hessians of the loss at the current raw predictions.
    fn gradients(&mut self, y: &Target) {
        let n = self.grower.binned.n_rows;
        let k = self.model.k;
        match y {
            Target::Values(y) => {
                for ((g, &r), &t) in self.g.iter_mut().zip(&self.raw_train).zip(y) {
                    *g = (r - t) as f32;
                }
            }
            Target::Classes { labels, .. } if k == 1 => {
                for i in 0..n {
                    let p = 1.0 / (1.0 + libm::exp(-self.raw_train[i]));
                    self.g[i] = (p - labels[i] as f64) as f32;
                    self.h[i] = (p * (1.0 - p)) as f32;
                }
            }
            Target::Classes { labels, .. } => {
                let mut e = vec![0.0; k];
                for i in 0..n {
                    let top = (0..k).map(|c| self.raw_train[c * n + i]).fold(f64::NEG_INFINITY, f64::max);
                    let mut sum = 0.0;
                    for (c, e) in e.iter_mut().enumerate() {
                        *e = libm::exp(self.raw_train[c * n + i] - top);
                        sum += *e;
                    }
                    for (c, e) in e.iter().enumerate() {
                        let p = e / sum;
                        self.g[c * n + i] = (p - (labels[i] as usize == c) as u8 as f64) as f32;
                        self.h[c * n + i] = (p * (1.0 - p)) as f32;
                    }
                }
            }
        }
    }

    /// scikit-learn's rule: stop when none of the last `n_iter_no_change` scores beats
    /// the one before them by more than `tol`.
    fn should_stop(&self) -> bool {
        let m = self.params.n_iter_no_change as usize;
        if self.scores.len() <= m {
            return false;
        }
        let reference = self.scores[self.scores.len() - m - 1];
        !self.scores[self.scores.len() - m..].iter().any(|&s| s > reference + self.params.tol)
    }
}

impl Trainer for BoostingTrainer {
    fn step(&mut self, data: &Prepared) -> Result<StepReport> {
        if self.is_done() {
            return Err(Error::Training("this model is already fitted".into()));
        }
        self.gradients(&data.train.y);
        let (n, nv, k) = (self.grower.binned.n_rows, self.val.n_rows, self.model.k);
        for c in 0..k {
            let h = if self.h.is_empty() { &[][..] } else { &self.h[c * n..(c + 1) * n] };
            let tree = self.grower.grow(&self.g[c * n..(c + 1) * n], h);
            let part = self.grower.partition();
            let raw = &mut self.raw_train[c * n..(c + 1) * n];
            for &(s, e, v) in &self.grower.leaves {
                part[s..e].iter().for_each(|&r| raw[r as usize] += v);
            }
            let mb = self.model.missing_bin;
            for (i, r) in self.raw_val[c * nv..(c + 1) * nv].iter_mut().enumerate() {
                *r += tree.predict_binned(&self.val, i, mb);
            }
            add_split_gains(&tree, &mut self.model.split_gain);
            self.model.trees.push(tree);
        }
        let report = StepReport {
            train_loss: loss(&self.raw_train, &data.train, k).unwrap_or(f64::NAN),
            validation_loss: loss(&self.raw_val, &data.validation, k),
        };
        if let Some(v) = report.validation_loss {
            self.scores.push(-v);
            if self.early && self.should_stop() {
                self.total = self.model.n_iter();
            }
        }
        if self.is_done() && nv > 0 {
            self.model.permutation = Some(permutation_importance(&self.model, &self.val, &data.validation.y, self.seed));
        }
        Ok(report)
    }

    fn steps_done(&self) -> usize {
        self.model.n_iter()
    }

    fn steps_total(&self) -> usize {
        self.total
    }

    fn model(&self) -> Option<&dyn Model> {
        Some(&self.model)
    }
}

/// Accuracy or R² of the model on binned rows.
fn score_binned(m: &BoostingModel, b: &Binned, y: &Target) -> f64 {
    let n = b.n_rows;
    let mut raw = vec![0.0; n * m.k];
    for (t, tree) in m.trees.iter().enumerate() {
        let c = t % m.k;
        for (i, r) in raw[c * n..(c + 1) * n].iter_mut().enumerate() {
            *r += tree.predict_binned(b, i, m.missing_bin);
        }
    }
    for c in 0..m.k {
        raw[c * n..(c + 1) * n].iter_mut().for_each(|r| *r += m.baseline[c]);
    }
    match y {
        Target::Values(y) => regression::r2(y, &raw),
        Target::Classes { labels, .. } => {
            let hits = (0..n)
                .filter(|&i| {
                    let pred = if m.k == 1 {
                        (raw[i] > 0.0) as usize
                    } else {
                        (0..m.k).fold(0, |b, c| if raw[c * n + i] > raw[b * n + i] { c } else { b })
                    };
                    pred == labels[i] as usize
                })
                .count();
            hits as f64 / n as f64
        }
    }
}

/// Mean drop in validation accuracy / R² when one column is shuffled (on at most
/// `PERM_ROWS` seeded rows, `PERM_REPEATS` shuffles each).
fn permutation_importance(m: &BoostingModel, val: &Binned, y: &Target, seed: u64) -> Vec<f64> {
    let mut rng = Rng::derive(seed, 41);
    let mut rows: Vec<usize> = (0..val.n_rows).collect();
    if rows.len() > PERM_ROWS {
        rng.shuffle(&mut rows);
        rows.truncate(PERM_ROWS);
        rows.sort_unstable();
    }
    let n = rows.len();
    let mut b = Binned { codes: Vec::with_capacity(n * m.n_features), n_rows: n };
    for f in 0..m.n_features {
        let col = val.col(f);
        b.codes.extend(rows.iter().map(|&i| col[i]));
    }
    let y = y.select(&rows);
    let base = score_binned(m, &b, &y);
    (0..m.n_features)
        .map(|f| {
            let saved = b.col(f).to_vec();
            let mut drop = 0.0;
            for _ in 0..PERM_REPEATS {
                rng.shuffle(&mut b.codes[f * n..(f + 1) * n]);
                drop += base - score_binned(m, &b, &y);
            }
            b.codes[f * n..(f + 1) * n].copy_from_slice(&saved);
            drop / PERM_REPEATS as f64
        })
        .collect()
}
