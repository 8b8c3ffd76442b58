//! Histogram gradient boosting.

use super::{Describe, Family, Kind, Sizes, Sweep, ANY_TASK, F64};
use crate::base::error::Result;
use crate::data::prep::{Encoding, Prepared};
use crate::models::boosting::{self, BoostingParams, BoostingTrainer};
use crate::models::Trainer;
use super::export::{pick, spark_call, spark_import, spark_module, spark_xy, typed, Estimator, SparkModel};
use crate::base::py;
use crate::data::Task;
use serde_json::Value;

pub const KIND: Kind = Kind {
    name: "gradient_boosting",
    title: "Gradient boosting",
    about: "Adds small trees one after another, each fixing the errors of the ones before. Often the most \
            accurate model on tables of mixed data; reads missing values and text categories as they are.",
    glossary: "Trees added one at a time, each correcting the mistakes of the ones before. Usually the strongest model \
               on tables of data.",
    tasks: ANY_TASK,
    family: Family::Supervised,
    anomaly: false,
    views: &[],
    axis: None,
    picture_note: None,
    score: None,
    step_unit: "round",
    curve: None,
    gpu: false,
    encoding: Encoding::Native,
    params: boosting::param_info,
    sweep: Some(Sweep { param: "max_iter", lo: 1.0, hi: 200.0, descending: false }),
    no_sweep: false,
    self_training_base: true,
    loader: |v, f| crate::models::boosting::load(v, f).map(super::Fitted::Supervised),
    sklearn,
    spark,
};

impl Describe for BoostingParams {
    fn validate(&self) -> Result<()> {
        BoostingParams::validate(self)
    }

    fn trainer(&self, data: &Prepared, seed: u32) -> Option<Result<Box<dyn Trainer>>> {
        Some(BoostingTrainer::new(self.clone(), data, seed).map(|t| Box::new(t) as Box<dyn Trainer>))
    }

    /// One byte per binned cell, gradients and predictions per row and output.
    fn memory(&self, s: Sizes) -> u64 {
        s.rows * s.features + s.rows * s.n_out.max(1) * 3 * F64
    }
}

fn sklearn(params: &Value, task: Task) -> Result<Estimator> {
    let p: BoostingParams = typed(KIND.name, params)?;
    let class = pick(task, "HistGradientBoostingClassifier", "HistGradientBoostingRegressor");
    let e = Estimator::new("sklearn.ensemble", class, ABOUT)
        .set("learning_rate", &p.learning_rate)
        .set("max_iter", &p.max_iter)
        .set("max_leaf_nodes", &p.max_leaf_nodes)
        .set("max_depth", &p.max_depth)
        .set("min_samples_leaf", &p.min_samples_leaf)
        .set("l2_regularization", &p.l2_regularization)
        .set("max_bins", &p.max_bins);
    let e = match p.early_stopping.as_str() {
        "on" => e.arg("early_stopping", "True"),
        "off" => e.arg("early_stopping", "False"),
        _ => e.arg("early_stopping", "\"auto\""),
    };
    Ok(e.set("n_iter_no_change", &p.n_iter_no_change).set("tol", &p.tol).arg("random_state", "SEED").note(
        "Early stopping: mlplay watches its validation rows; scikit-learn sets aside 10% of the training rows \
         (validation_fraction=0.1) to watch instead. \"auto\" turns it on above 10,000 rows in both.",
    ))
}

fn spark(params: &Value, task: Task, n_classes: usize) -> Result<SparkModel> {
    let p: BoostingParams = typed(KIND.name, params)?;
    let classify = task == Task::Classification;
    // Spark limits trees by depth, not leaves: 31 leaves need a depth of 5.
    let depth = match p.max_depth {
        Some(d) if d >= 0 => (d as u64).min(30),
        _ => ((p.max_leaf_nodes as f64).log2().ceil() as u64).clamp(1, 30),
    };
    let class = pick(task, "GBTClassifier", "GBTRegressor");
    let mut args = spark_xy();
    args.push(("maxIter", p.max_iter.to_string()));
    args.push(("stepSize", py::number(p.learning_rate)));
    args.push(("maxDepth", depth.to_string()));
    args.push(("minInstancesPerNode", p.min_samples_leaf.to_string()));
    args.extend([("maxBins", "max_bins".to_string()), ("seed", "SEED".into())]);
    let note = format!(
        "Spark's GBT grows full trees of depth maxDepth={depth} (about max_leaf_nodes leaves) on binned features; it has \
         no l2_regularization, and no early stopping unless given a validation column."
    );
    if classify && n_classes > 2 {
        let call = spark_call(
            "OneVsRest",
            &[
                ("classifier", spark_call(class, &args)),
                ("featuresCol", "\"_features\"".into()),
                ("labelCol", "\"_label\"".into()),
            ],
        );
        let imports = vec![spark_import("classification", "GBTClassifier"), spark_import("classification", "OneVsRest")];
        return Ok(SparkModel::new(imports, call, ABOUT, false).note(note).note(
            "Spark's GBTClassifier handles two classes only. For more, OneVsRest trains one per class (this class \
             against the rest) and picks the most confident; it gives no probabilities, so log_loss is not reported.",
        ));
    }
    let imports = vec![spark_import(spark_module(task), class)];
    Ok(SparkModel::new(imports, spark_call(class, &args), ABOUT, classify).note(note))
}

const ABOUT: &str =
    "Gradient boosting adds small trees one after another, each fitted to the errors the trees before \
    it still make, its answer shrunk by the learning_rate. Histogram-based: every feature is first binned into at most \
    max_bins values, which makes it fast on many rows; missing values and categories are handled by the trees.";
