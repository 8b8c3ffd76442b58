//! Self-training, as scikit-learn's SelfTrainingClassifier: most training labels are
//! hidden; a base classifier fitted on the labelled rows labels the rest where it is
//! confident (probability above `threshold`), and is refitted with those pseudo-labels,
//! one round per step, until a round adds nothing or `max_iter` rounds have run.
//! The final model is the last fitted base.

use ndarray::{Array2, Axis};
use serde::{Deserialize, Serialize};

use super::explain::{Explanation, SelfTrainingLog};
use super::record::{self, Fit};
use super::{loss_of, Model, Prediction, StepReport, Trainer};
use crate::base::error::{Error, Result};
use crate::base::rng::Rng;
use crate::base::schema::{check_choice, check_float, check_int, Domain, ParamInfo};
use crate::data::dataset::Target;
use crate::data::prep::{Part, Prepared};
use crate::data::Task;
use crate::metrics::classification::{accuracy, argmax_rows};

/// Builds the base classifier's trainer for some rows and a seed. The kinds layer hands it
/// down (the base kinds, with their default hyperparameters, are the registry's to know).
pub type BaseTrainer = Box<dyn Fn(&Prepared, u32) -> Result<Box<dyn Trainer>>>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SelfTrainingParams {
    /// The base classifier's kind.
    pub estimator: String,
    /// Pseudo-labels are kept when the base model's probability is above this.
    pub threshold: f64,
    /// Most rounds of pseudo-labelling.
    pub max_iter: u32,
    /// Share of the training labels hidden before training (mlplay's knob: scikit-learn
    /// expects the labels already marked -1).
    pub unlabeled_fraction: f64,
}

impl Default for SelfTrainingParams {
    fn default() -> Self {
        SelfTrainingParams {
            estimator: "logistic_regression".into(),
            threshold: 0.75,
            max_iter: 10,
            unlabeled_fraction: 0.8,
        }
    }
}

/// The schema; `estimators`: the kinds self-training may wrap.
pub fn param_info(estimators: &'static [&'static str]) -> Vec<ParamInfo> {
    vec![
        ParamInfo::new("estimator", Domain::Choice { options: estimators }, "The classifier that learns from the labelled rows and then labels the others itself.", false),
        ParamInfo::new("threshold", Domain::Float { min: 0.0, max: 0.999, log: false, min_exclusive: true }, "How sure the model must be before it trusts its own guess as a label. Lower adds more labels per round, and more wrong ones.", false),
        ParamInfo::new("max_iter", Domain::Int { min: 1, max: 100 }, "The most rounds of guessing labels and refitting. Training stops earlier when a round adds no new labels.", true),
        ParamInfo::new("unlabeled_fraction", Domain::Float { min: 0.0, max: 0.99, log: false, min_exclusive: false }, "Share of the training labels hidden from the model, as if nobody had labelled those rows yet. Every class keeps at least one label.", false),
    ]
}

impl SelfTrainingParams {
    pub fn validate(&self, estimators: &'static [&'static str]) -> Result<()> {
        let p = param_info(estimators);
        check_choice(&p, "estimator", &self.estimator)?;
        check_float(&p, "threshold", self.threshold)?;
        check_int(&p, "max_iter", self.max_iter as i64)?;
        check_float(&p, "unlabeled_fraction", self.unlabeled_fraction)
    }
}

/// The last fitted base model and the account of the rounds.
pub struct SelfTrainingModel {
    /// The base's kind (what its record is read back with).
    estimator: String,
    base: Box<dyn Trainer>,
    log: SelfTrainingLog,
}

impl SelfTrainingModel {
    pub(crate) fn base(&self) -> &dyn Model {
        self.base.model().expect("the base is fitted before it is stored")
    }
}

impl Model for SelfTrainingModel {
    fn record(&self) -> Option<serde_json::Value> {
        record_of(&self.estimator, self.base())
    }

    fn predict(&self, x: &Array2<f64>) -> Prediction {
        self.base().predict(x)
    }

    fn size_bytes(&self) -> usize {
        self.base().size_bytes()
    }

    fn explain(&self) -> Explanation {
        Explanation { self_training: Some(self.log.clone()), ..self.base().explain() }
    }
}

pub struct SelfTrainingTrainer {
    params: SelfTrainingParams,
    base: BaseTrainer,
    seed: u32,
    /// Per training row: its label, true or pseudo, once it has one.
    labels: Vec<Option<u32>>,
    log: SelfTrainingLog,
    model: Option<SelfTrainingModel>,
    fits: usize,
    done: bool,
}

/// Training rows to hide: `fraction` of each class (rounded down, so every class keeps
/// at least one label), drawn with the seed.
fn hidden_rows(y: &[u32], n_classes: usize, fraction: f64, seed: u32) -> Vec<bool> {
    let mut rng = Rng::derive(seed.into(), 7);
    let mut hide = vec![false; y.len()];
    for c in 0..n_classes as u32 {
        let mut rows: Vec<usize> = (0..y.len()).filter(|&i| y[i] == c).collect();
        rng.shuffle(&mut rows);
        let n_hide = (fraction * rows.len() as f64).floor() as usize;
        rows[..n_hide].iter().for_each(|&i| hide[i] = true);
    }
    hide
}

fn empty_part(d: usize, names: &[String]) -> Part {
    Part { x: Array2::zeros((0, d)), y: Target::Classes { labels: vec![], names: names.to_vec() } }
}

impl SelfTrainingTrainer {
    /// `base` makes the base classifier's trainer (`params.estimator` with its defaults).
    pub fn new(
        params: SelfTrainingParams,
        data: &Prepared,
        seed: u32,
        base: BaseTrainer,
    ) -> Result<SelfTrainingTrainer> {
        let y = data.train.y.labels();
        let hide = hidden_rows(y, data.class_names.len(), params.unlabeled_fraction, seed);
        let labels: Vec<Option<u32>> = y.iter().zip(&hide).map(|(&c, &h)| (!h).then_some(c)).collect();
        let unlabelled = hide.iter().filter(|&&h| h).count();
        let log = SelfTrainingLog {
            labelled: y.len() - unlabelled,
            unlabelled,
            added_per_round: vec![],
            baseline_accuracy: f64::NAN,
        };
        Ok(SelfTrainingTrainer { base, params, seed, labels, log, model: None, fits: 0, done: false })
    }

    /// The data the base sees: labelled rows only, no validation or test rows.
    fn labelled_data(&self, data: &Prepared) -> Prepared {
        let rows: Vec<usize> = (0..self.labels.len()).filter(|&i| self.labels[i].is_some()).collect();
        let names = &data.class_names;
        let d = data.train.x.ncols();
        Prepared {
            train: Part {
                x: data.train.x.select(Axis(0), &rows),
                y: Target::Classes {
                    labels: rows.iter().filter_map(|&i| self.labels[i]).collect(),
                    names: names.clone(),
                },
            },
            validation: empty_part(d, names),
            test: empty_part(d, names),
            feature_names: data.feature_names.clone(),
            class_names: names.clone(),
            task: data.task,
            preprocessor: data.preprocessor.clone(),
            categorical: data.categorical.clone(),
            category_names: data.category_names.clone(),
            image: data.image.clone(),
        }
    }

    /// Give confident pseudo-labels to unlabelled rows; returns how many were added.
    fn pseudo_label(&mut self, base: &dyn Model, data: &Prepared) -> usize {
        let rows: Vec<usize> = (0..self.labels.len()).filter(|&i| self.labels[i].is_none()).collect();
        let Prediction::Proba(p) = base.predict(&data.train.x.select(Axis(0), &rows)) else { return 0 };
        let best = argmax_rows(&p);
        let mut added = 0;
        for (r, (&i, &c)) in rows.iter().zip(&best).enumerate() {
            // Strictly above, as scikit-learn's criterion="threshold".
            if p[[r, c as usize]] > self.params.threshold {
                self.labels[i] = Some(c);
                added += 1;
            }
        }
        added
    }
}

impl Trainer for SelfTrainingTrainer {
    fn step(&mut self, data: &Prepared) -> Result<StepReport> {
        if self.done {
            return Err(Error::Training("this model is already fitted".into()));
        }
        let sub = self.labelled_data(data);
        let mut base = (self.base)(&sub, self.seed)?;
        while !base.is_done() {
            base.step(&sub)?;
        }
        let fitted = base.model().ok_or_else(|| Error::Training("the base model produced nothing".into()))?;
        if self.fits == 0 && data.validation.n_rows() > 0 {
            if let Prediction::Proba(p) = fitted.predict(&data.validation.x) {
                self.log.baseline_accuracy = accuracy(data.validation.y.labels(), &argmax_rows(&p));
            }
        }
        self.fits += 1;
        let rounds = self.log.added_per_round.len();
        if rounds < self.params.max_iter as usize && self.labels.iter().any(|l| l.is_none()) {
            let added = self.pseudo_label(fitted, data);
            self.log.added_per_round.push(added);
            // Nothing new: the base just fitted already saw every label there is.
            self.done = added == 0;
        } else {
            self.done = true;
        }
        let model = SelfTrainingModel { estimator: self.params.estimator.clone(), base, log: self.log.clone() };
        let report = StepReport {
            train_loss: loss_of(&model, &data.train).unwrap_or(f64::NAN),
            validation_loss: loss_of(&model, &data.validation),
        };
        self.model = Some(model);
        Ok(report)
    }

    fn steps_done(&self) -> usize {
        self.fits
    }

    /// One fit per round plus the final fit; fewer when a round adds nothing.
    fn steps_total(&self) -> usize {
        if self.done {
            self.fits
        } else {
            self.params.max_iter as usize + 1
        }
    }

    fn model(&self) -> Option<&dyn Model> {
        self.model.as_ref().map(|m| m as &dyn Model)
    }
}

// ---- model file record -----------------------------------------------------------------

/// Self-training keeps its last base model (it predicts alone), tagged with its kind:
/// `{"base": {"kind": "knn", ...the base's record}}`.
fn record_of(estimator: &str, base: &dyn Model) -> Option<serde_json::Value> {
    let mut base = base.record()?;
    base.as_object_mut()?.insert("kind".into(), estimator.into());
    Some(serde_json::json!({ "base": base }))
}

/// A reloaded self-training model: its base predicts, and it saves as self-training again.
struct SelfTrained {
    estimator: String,
    base: Box<dyn Model>,
}

impl Model for SelfTrained {
    fn predict(&self, x: &Array2<f64>) -> Prediction {
        self.base.predict(x)
    }
    fn size_bytes(&self) -> usize {
        self.base.size_bytes()
    }
    fn explain(&self) -> Explanation {
        self.base.explain()
    }
    fn record(&self) -> Option<serde_json::Value> {
        record_of(&self.estimator, self.base.as_ref())
    }
}

/// Reads a base classifier's record by its kind (the registry's loader of that kind), refusing
/// kinds self-training cannot wrap.
pub type BaseLoader<'a> = &'a dyn Fn(&str, serde_json::Value, &Fit) -> Result<Box<dyn Model>>;

/// self_training from a model file; `base` reads the wrapped classifier's record.
pub fn load(v: serde_json::Value, fit: &Fit, base: BaseLoader) -> Result<Box<dyn Model>> {
    #[derive(Deserialize)]
    struct Record {
        base: Tagged,
    }
    #[derive(Deserialize)]
    struct Tagged {
        kind: String,
        #[serde(flatten)]
        _rest: serde_json::Map<String, serde_json::Value>,
    }
    let tagged: Record = record::parse(v.clone())?;
    if fit.task != Task::Classification {
        return record::err("model", "self-training needs a target with classes");
    }
    let kind = tagged.base.kind;
    let record = v.get("base").cloned().expect("parsed above");
    Ok(Box::new(SelfTrained { base: base(&kind, record, fit)?, estimator: kind }))
}
