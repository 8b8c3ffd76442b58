//! Training of histogram gradient boosting, one round per step. Raw predictions of the
//! training rows are updated from the leaves the rows fell into, and those of the
//! validation rows from the new trees alone, so no step re-predicts earlier trees.
//! Early stopping watches the loss on the session's validation part (scikit-learn splits
//! its own); once training ends, a sample of those rows is kept for permutation
//! importances (measured when first asked for). Binning happens in the first step, so it
//! counts as fitting time (as in scikit-learn).

use super::boosting::{add_split_gains, proba_from_raw, BoostingModel, BoostingParams};
use super::boosting_hist::{Binned, Binner};
use super::boosting_importance::pick_rows;
use super::boosting_tree::{GrowParams, Grower};
use super::{Model, StepReport, Trainer};
use crate::base::error::{Error, Result};
use crate::data::prep::{Part, Prepared};
use crate::data::Target;
use crate::metrics::{classification, regression};

/// Buffers of a fit in progress, made in the first step.
struct Run {
    grower: Grower,
    val: Binned,
    raw_train: Vec<f64>,
    raw_val: Vec<f64>,
    g: Vec<f32>,
    /// Empty for squared error (hessians all 1).
    h: Vec<f32>,
}

pub struct BoostingTrainer {
    params: BoostingParams,
    seed: u64,
    run: Option<Run>,
    model: BoostingModel,
    total: usize,
    early: bool,
    /// Minus the validation loss, from the baseline on (scikit-learn's `scores`).
    scores: Vec<f64>,
}

fn validation_loss(raw: &[f64], part: &Part, k: usize) -> Option<f64> {
    let n = part.n_rows();
    (n > 0).then(|| match &part.y {
        Target::Classes { labels, .. } => classification::log_loss(labels, &proba_from_raw(raw, n, k)),
        Target::Values(y) => regression::mse(y, raw),
    })
}

/// The starting raw prediction (log-odds, symmetric log-priors, or the mean) and the
/// number of outputs; an error when training rows hold a single class.
fn baseline(y: &Target) -> Result<Vec<f64>> {
    let n = y.len();
    match y {
        Target::Values(y) => Ok(vec![y.iter().sum::<f64>() / n as f64]),
        Target::Classes { labels, names } => {
            let mut counts = vec![0usize; names.len()];
            labels.iter().for_each(|&l| counts[l as usize] += 1);
            if counts.iter().filter(|&&c| c > 0).count() < 2 {
                return Err(Error::Data(
                    "the training rows hold only one class; a classifier needs at least two".into(),
                ));
            }
            let eps = f64::EPSILON;
            let prior: Vec<f64> = counts.iter().map(|&c| (c as f64 / n as f64).clamp(eps, 1.0 - eps)).collect();
            if names.len() == 2 {
                return Ok(vec![libm::log(prior[1] / (1.0 - prior[1]))]);
            }
            let logs: Vec<f64> = prior.iter().map(|&p| libm::log(p)).collect();
            let mean = logs.iter().sum::<f64>() / logs.len() as f64;
            Ok(logs.iter().map(|l| l - mean).collect())
        }
    }
}

impl BoostingTrainer {
    pub fn new(params: BoostingParams, data: &Prepared, seed: u32) -> Result<BoostingTrainer> {
        params.validate()?;
        let (n, nv) = (data.train.n_rows(), data.validation.n_rows());
        if n < 2 {
            return Err(Error::Data(format!("only {n} training rows; gradient boosting needs more")));
        }
        // Too many categories is a data problem: say so before training starts.
        for (f, _) in data.categorical.iter().enumerate().filter(|c| *c.1) {
            let top = data.train.x.column(f).iter().filter(|v| !v.is_nan()).fold(-1.0f64, |a, &v| a.max(v));
            if top + 1.0 > params.max_bins as f64 {
                return Err(Error::Data(format!(
                    "column '{}' has {} categories; gradient boosting takes at most max_bins = {}",
                    data.feature_names[f],
                    top + 1.0,
                    params.max_bins
                )));
            }
        }
        let baseline = baseline(&data.train.y)?;
        let early = match params.early_stopping.as_str() {
            "on" if nv == 0 => {
                return Err(Error::param(
                    "early_stopping",
                    "on",
                    "off or auto when the split has no validation part to watch",
                ))
            }
            "on" => true,
            "auto" => nv > 0 && n + nv > 10_000,
            _ => false,
        };
        let model = BoostingModel {
            k: baseline.len(),
            n_classes: data.class_names.len(),
            n_features: data.train.x.ncols(),
            missing_bin: params.max_bins as u8,
            split_gain: vec![0.0; data.train.x.ncols()],
            permutation_rows: None,
            permutation: Default::default(),
            seed: seed as u64,
            trees: Vec::new(),
            baseline,
        };
        Ok(BoostingTrainer {
            total: params.max_iter as usize,
            seed: seed as u64,
            run: None,
            model,
            early,
            scores: vec![],
            params,
        })
    }

    fn start(&mut self, data: &Prepared) -> Result<Run> {
        let p = &self.params;
        let train = &data.train;
        let binner = Binner::fit(&train.x, &data.categorical, &data.feature_names, p.max_bins as usize, self.seed)?;
        let binned = binner.transform(&train.x);
        let val = binner.transform(&data.validation.x);
        let gp = GrowParams {
            max_leaf_nodes: p.max_leaf_nodes as usize,
            max_depth: p.max_depth.map(|d| d as usize),
            min_samples_leaf: p.min_samples_leaf as usize,
            l2: p.l2_regularization,
            learning_rate: p.learning_rate,
        };
        let (n, nv, k) = (train.n_rows(), val.n_rows, self.model.k);
        let spread =
            |m: usize| (0..k).flat_map(|c| std::iter::repeat_n(self.model.baseline[c], m)).collect::<Vec<f64>>();
        let mut run = Run {
            grower: Grower::new(binned, binner, gp),
            val,
            raw_train: spread(n),
            raw_val: spread(nv),
            g: vec![0.0; n * k],
            h: if self.model.n_classes == 0 { Vec::new() } else { vec![0.0; n * k] },
        };
        if let Some(l) = validation_loss(&run.raw_val, &data.validation, k) {
            self.scores.push(-l);
        }
        run.gradients(&train.y, k);
        Ok(run)
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

impl Run {
    /// Gradients and hessians of the loss at the current raw predictions, and the mean
    /// training loss there (log-loss with probabilities clipped as `log_loss`, or MSE).
    fn gradients(&mut self, y: &Target, k: usize) -> f64 {
        let n = self.grower.binned.n_rows;
        let (eps, mut total) = (f64::EPSILON, 0.0);
        match y {
            Target::Values(y) => {
                for ((g, &r), &t) in self.g.iter_mut().zip(&self.raw_train).zip(y) {
                    *g = (r - t) as f32;
                    total += (r - t) * (r - t);
                }
            }
            Target::Classes { labels, .. } if k == 1 => {
                for (i, &label) in labels.iter().enumerate() {
                    let p = 1.0 / (1.0 + libm::exp(-self.raw_train[i]));
                    let yi = label as f64;
                    self.g[i] = (p - yi) as f32;
                    self.h[i] = (p * (1.0 - p)) as f32;
                    total -= libm::log((if yi > 0.5 { p } else { 1.0 - p }).clamp(eps, 1.0 - eps));
                }
            }
            Target::Classes { labels, .. } => {
                let mut e = vec![0.0; k];
                for (i, &label) in labels.iter().enumerate() {
                    let top = (0..k).map(|c| self.raw_train[c * n + i]).fold(f64::NEG_INFINITY, f64::max);
                    let mut sum = 0.0;
                    for (c, e) in e.iter_mut().enumerate() {
                        *e = libm::exp(self.raw_train[c * n + i] - top);
                        sum += *e;
                    }
                    for (c, e) in e.iter().enumerate() {
                        let p = e / sum;
                        let hit = label as usize == c;
                        self.g[c * n + i] = (p - hit as u8 as f64) as f32;
                        self.h[c * n + i] = (p * (1.0 - p)) as f32;
                        if hit {
                            total -= libm::log(p.clamp(eps, 1.0 - eps));
                        }
                    }
                }
            }
        }
        total / n as f64
    }

    /// Grow the trees of one round, updating raw predictions; returns the trees.
    fn round(&mut self, k: usize, missing_bin: u8) -> Vec<super::boosting_tree::Tree> {
        let (n, nv) = (self.grower.binned.n_rows, self.val.n_rows);
        (0..k)
            .map(|c| {
                let h = if self.h.is_empty() { &[][..] } else { &self.h[c * n..(c + 1) * n] };
                let tree = self.grower.grow(&self.g[c * n..(c + 1) * n], h);
                let part = self.grower.partition();
                let raw = &mut self.raw_train[c * n..(c + 1) * n];
                for &(s, e, v) in &self.grower.leaves {
                    part[s..e].iter().for_each(|&r| raw[r as usize] += v);
                }
                for (i, r) in self.raw_val[c * nv..(c + 1) * nv].iter_mut().enumerate() {
                    *r += tree.predict_binned(&self.val, i, missing_bin);
                }
                tree
            })
            .collect()
    }
}

impl Trainer for BoostingTrainer {
    fn step(&mut self, data: &Prepared) -> Result<StepReport> {
        if self.is_done() {
            return Err(Error::Training("this model is already fitted".into()));
        }
        let mut run = match self.run.take() {
            Some(r) => r,
            None => self.start(data)?,
        };
        let k = self.model.k;
        for tree in run.round(k, self.model.missing_bin) {
            add_split_gains(&tree, &mut self.model.split_gain);
            self.model.trees.push(tree);
        }
        // The gradients for the next round give this round's training loss for free.
        let train_loss = run.gradients(&data.train.y, k);
        let validation_loss = validation_loss(&run.raw_val, &data.validation, k);
        if let Some(v) = validation_loss {
            self.scores.push(-v);
            if self.early && self.should_stop() {
                self.total = self.model.n_iter();
            }
        }
        if self.is_done() && run.val.n_rows > 0 {
            self.model.permutation_rows = Some(pick_rows(&run.val, &data.validation.y, self.seed));
        }
        if !self.is_done() {
            self.run = Some(run);
        }
        Ok(StepReport { train_loss, validation_loss })
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
