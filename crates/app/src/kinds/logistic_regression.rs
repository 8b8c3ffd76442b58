//! Logistic regression.

use super::{Describe, Family, Kind, Sweep};
use crate::base::error::Result;
use crate::data::prep::{Encoding, Prepared};
use crate::data::Task;
use crate::models::logistic::{self, LogisticParams, LogisticTrainer};
use crate::models::Trainer;
use super::export::{spark_call, spark_import, spark_xy, typed, Estimator, SparkModel};
use crate::base::py;
use serde_json::Value;

pub const KIND: Kind = Kind {
    name: "logistic_regression",
    title: "Logistic regression",
    about: "A weighted sum of the features turned into class probabilities. Fast, interpretable, \
            and the baseline to beat; it draws straight boundaries between classes.",
    glossary: "Adds up the features with learned weights and turns the sum into class probabilities. Fast, easy to \
               explain, and the baseline to beat.",
    tasks: &[Task::Classification],
    family: Family::Supervised,
    anomaly: false,
    views: &[],
    axis: None,
    picture_note: None,
    score: None,
    step_unit: "epoch",
    curve: None,
    gpu: false,
    encoding: Encoding::Dense,
    params: logistic::param_info,
    sweep: Some(Sweep { param: "C", lo: 1e-3, hi: 1e3, descending: false }),
    no_sweep: false,
    self_training_base: true,
    loader: |v, f| crate::models::logistic::load(v, f).map(super::Fitted::Supervised),
    sklearn,
    spark,
};

impl Describe for LogisticParams {
    fn validate(&self) -> Result<()> {
        LogisticParams::validate(self)
    }

    fn trainer(&self, data: &Prepared, _seed: u32) -> Option<Result<Box<dyn Trainer>>> {
        Some(LogisticTrainer::new(self.clone(), data).map(|t| Box::new(t) as Box<dyn Trainer>))
    }
}

fn sklearn(params: &Value, _task: Task) -> Result<Estimator> {
    let p: LogisticParams = typed(KIND.name, params)?;
    let e = Estimator::new("sklearn.linear_model", "LogisticRegression", ABOUT)
        .set("C", &p.c)
        .set("max_iter", &p.max_iter)
        .set("tol", &p.tol);
    let l1 = p.penalty == "l1";
    let e = if l1 {
        e.arg("l1_ratio", "1.0").arg("solver", "\"saga\"").note(
            "The L1 penalty (l1_ratio=1.0, scikit-learn 1.8's way of writing penalty=\"l1\") needs the saga solver; mlplay \
             uses proximal gradient descent. Both aim at the same weights; if saga warns that it did not converge, raise max_iter.",
        )
    } else {
        e.arg("solver", "\"lbfgs\"")
    };
    Ok(if p.solver == "gradient_descent" && !l1 {
        e.note(
            "mlplay's gradient_descent solver takes max_iter small downhill steps (accelerated gradient descent) so \
                the page can animate them; scikit-learn has no such solver, so this uses lbfgs, which reaches the same \
                best weights in fewer iterations. The scores agree once both have converged.",
        )
    } else {
        e
    })
}

fn spark(params: &Value, task: Task, _n_classes: usize) -> Result<SparkModel> {
    let p: LogisticParams = typed(KIND.name, params)?;
    let mut args = spark_xy();
    args.push(("maxIter", p.max_iter.to_string()));
    args.push(("regParam", format!("1.0 / ({} * n_train)", py::number(p.c))));
    args.push(("elasticNetParam", if p.penalty == "l1" { "1.0" } else { "0.0" }.into()));
    args.push(("tol", py::number(p.tol)));
    args.push(("standardization", "False".into()));
    let imports = vec![spark_import("classification", "LogisticRegression")];
    Ok(SparkModel::new(imports, spark_call("LogisticRegression", &args), ABOUT, task == Task::Classification).note(
        format!(
            "Spark writes the penalty per training row: regParam = 1 / (C x rows) is scikit-learn's C = {}. \
             elasticNetParam=1 makes it L1, 0 makes it L2. The features are already scaled, so Spark's own \
             standardisation is off.",
            py::number(p.c)
        ),
    ))
}

const ABOUT: &str =
    "Logistic regression gives every feature a weight per class, adds the weighted features up into a \
    score, and turns the scores into probabilities (the sigmoid for two classes, the softmax for more). Training moves \
    the weights to make the log-loss small. C is the inverse of the regularisation strength: a smaller C keeps the \
    weights small, a simpler model that may underfit; a larger C lets it follow the training rows more closely.";
