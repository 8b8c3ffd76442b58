//! The multilayer perceptron.

use super::{Describe, Family, Kind, Sizes, Sweep, ANY_TASK, F64};
use crate::base::error::Result;
use crate::data::prep::{Encoding, Prepared};
use crate::models::mlp::{self, MlpParams, MlpTrainer};
use crate::models::Trainer;
use super::export::{pick, spark_call, spark_import, spark_xy, typed, Estimator, SparkModel};
use crate::base::py;
use crate::data::Task;
use serde_json::Value;

pub const KIND: Kind = Kind {
    name: "mlp",
    title: "Neural network (MLP)",
    about: "Layers of units, each a weighted sum passed through a bend (relu, tanh...), trained by nudging every \
            weight downhill batch after batch. Can draw almost any boundary, given data, tuning and patience.",
    glossary: "Layers of units, each a weighted sum passed through a bend (relu, tanh...), trained by gradient descent \
               on the loss. Can learn almost any boundary, given data and tuning.",
    tasks: ANY_TASK,
    family: Family::Supervised,
    anomaly: false,
    views: &[],
    axis: None,
    picture_note: None,
    score: None,
    step_unit: "epoch",
    curve: None,
    gpu: true,
    encoding: Encoding::Dense,
    params: mlp::param_info,
    sweep: Some(Sweep { param: "alpha", lo: 1e-5, hi: 10.0, descending: true }),
    no_sweep: false,
    self_training_base: false,
    loader: |v, f| crate::models::mlp::load(v, f).map(super::Fitted::Supervised),
    sklearn,
    spark,
};

impl Describe for MlpParams {
    fn validate(&self) -> Result<()> {
        MlpParams::validate(self)
    }

    fn trainer(&self, data: &Prepared, seed: u32) -> Option<Result<Box<dyn Trainer>>> {
        Some(MlpTrainer::new(self, data, seed).map(|t| Box::new(t) as Box<dyn Trainer>))
    }

    /// Activations of a batch are small; the rows' predictions for the loss are not.
    fn memory(&self, s: Sizes) -> u64 {
        network_bytes(s)
    }
}

pub(super) fn network_bytes(s: Sizes) -> u64 {
    s.rows * s.n_out.max(s.features) * F64 * 2
}

fn sklearn(params: &Value, task: Task) -> Result<Estimator> {
    let p: MlpParams = typed(KIND.name, params)?;
    let e = Estimator::new("sklearn.neural_network", pick(task, "MLPClassifier", "MLPRegressor"), ABOUT);
    Ok(batch_size(network_args(e, &p), p.batch_size).arg("random_state", "SEED"))
}

/// The network's hyperparameters under scikit-learn's names (the MLP's and the autoencoder's).
/// mlplay's `dropout` has no counterpart there.
pub(super) fn network_args(e: Estimator, p: &MlpParams) -> Estimator {
    let e = e
        .set("hidden_layer_sizes", &p.hidden_layer_sizes)
        .set("activation", &p.activation)
        .set("solver", &p.solver)
        .set("alpha", &p.alpha)
        .set("learning_rate_init", &p.learning_rate_init)
        .set("max_iter", &p.max_iter)
        .set("momentum", &p.momentum)
        .set("n_iter_no_change", &p.n_iter_no_change)
        .set("tol", &p.tol)
        .set("nesterovs_momentum", &p.nesterovs_momentum)
        .set("beta_1", &p.beta_1)
        .set("beta_2", &p.beta_2)
        .set("epsilon", &p.epsilon)
        .set("early_stopping", &p.early_stopping);
    if p.early_stopping {
        e.note(
            "Early stopping: mlplay watches the loss on its validation rows; scikit-learn sets aside 10% of the \
             training rows (validation_fraction=0.1) and watches their score instead.",
        )
    } else {
        e
    }
}

/// mlplay's batch_size 0 is scikit-learn's "auto" (min(200, rows)), its default.
pub(super) fn batch_size(e: Estimator, batch_size: u32) -> Estimator {
    if batch_size > 0 {
        e.set("batch_size", &batch_size)
    } else {
        e
    }
}

fn spark(params: &Value, task: Task, _n_classes: usize) -> Result<SparkModel> {
    let p: MlpParams = typed(KIND.name, params)?;
    if task != Task::Classification {
        // MLlib's only network classifies; for a number the nearest strong learner is GBT.
        let imports = vec![spark_import("regression", "GBTRegressor")];
        return Ok(SparkModel::new(imports, spark_call("GBTRegressor", &spark_xy()), ABOUT, false).note(
            "Spark MLlib's neural network (MultilayerPerceptronClassifier) predicts classes only. For this numeric \
             target the script uses gradient-boosted trees (GBTRegressor), MLlib's strongest regressor, instead.",
        ));
    }
    let hidden: Vec<String> = p.hidden_layer_sizes.iter().map(|v| v.to_string()).collect();
    let mut args = spark_xy();
    args.push((
        "layers",
        format!("[n_features, {}{}]", hidden.join(", "), if hidden.is_empty() { "len(CLASSES)" } else { ", len(CLASSES)" }),
    ));
    args.push(("maxIter", p.max_iter.to_string()));
    args.push(("stepSize", py::number(p.learning_rate_init)));
    args.push(("seed", "SEED".into()));
    let imports = vec![spark_import("classification", "MultilayerPerceptronClassifier")];
    Ok(SparkModel::new(imports, spark_call("MultilayerPerceptronClassifier", &args), ABOUT, true))
}

const ABOUT: &str =
    "A multilayer perceptron (a neural network) passes the features through hidden layers of units, each \
    a weighted sum followed by an activation function, and learns all the weights by gradient descent on the loss.";
