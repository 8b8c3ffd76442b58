//! The convolutional network, for image data sets.

use super::export::{spark_call, spark_import, spark_xy, typed, Estimator, SparkModel};
use super::{Describe, Family, Kind, Sizes, Sweep, F64};
use crate::base::error::Result;
use crate::base::py;
use crate::data::prep::{Encoding, Prepared};
use crate::data::Task;
use crate::models::cnn::{self, CnnParams, CnnTrainer};
use crate::models::Trainer;
use serde_json::Value;

pub const KIND: Kind = Kind {
    name: "cnn",
    title: "Convolutional network (CNN)",
    about: "A network for images: small filters slide over the picture looking for edges and strokes, pooling \
            shrinks what they find, and dense layers name the class. Needs rows that are square grey images.",
    glossary: "A convolutional neural network: layers of small filters (3x3 pixels) slid over an image, each \
               followed by ReLU and max-pooling, then dense layers and softmax. Shares each filter over the whole \
               image, so it needs far fewer weights than a dense network on the same pixels.",
    tasks: &[Task::Classification],
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
    params: cnn::param_info,
    sweep: Some(Sweep { param: "alpha", lo: 1e-5, hi: 10.0, descending: true }),
    no_sweep: false,
    self_training_base: false,
    loader: |v, f| crate::models::cnn::load(v, f).map(super::Fitted::Supervised),
    sklearn,
    spark,
};

impl Describe for CnnParams {
    fn validate(&self) -> Result<()> {
        CnnParams::validate(self)
    }

    fn trainer(&self, data: &Prepared, seed: u32) -> Option<Result<Box<dyn Trainer>>> {
        Some(CnnTrainer::new(self, data, seed).map(|t| Box::new(t) as Box<dyn Trainer>))
    }

    /// A batch's im2col rows and maps, and the rows' predictions for the loss.
    fn memory(&self, s: Sizes) -> u64 {
        let widest = self.filters.iter().copied().max().unwrap_or(1) as u64;
        let k2 = (self.kernel_size * self.kernel_size) as u64;
        let batch = self.batch_size as u64;
        s.predictions() + batch * s.features * (k2 * widest + 3 * widest) * F64
    }
}

/// What scikit-learn and MLlib lack, with this network's own settings.
fn no_cnn(p: &CnnParams, library: &str, nearest: &str) -> String {
    format!(
        "{library} has no convolutional network: this script trains the nearest it has, {nearest}, a dense \
         network on the same pixels. mlplay's CNN (filters={}, kernel_size={}, pool_size={}, then dense layers {}) \
         has no counterpart there; Keras or PyTorch would build it.",
        py::value(&serde_json::json!(p.filters)),
        p.kernel_size,
        p.pool_size,
        py::value(&serde_json::json!(p.hidden_layer_sizes)),
    )
}

fn sklearn(params: &Value, _task: Task) -> Result<Estimator> {
    let p: CnnParams = typed(KIND.name, params)?;
    let e = Estimator::new("sklearn.neural_network", "MLPClassifier", ABOUT)
        .set("hidden_layer_sizes", &p.hidden_layer_sizes)
        .set("solver", &p.solver)
        .set("alpha", &p.alpha)
        .set("batch_size", &p.batch_size)
        .set("learning_rate_init", &p.learning_rate_init)
        .set("max_iter", &p.max_iter)
        .set("momentum", &p.momentum)
        .set("nesterovs_momentum", &p.nesterovs_momentum)
        .set("beta_1", &p.beta_1)
        .set("beta_2", &p.beta_2)
        .set("epsilon", &p.epsilon)
        .set("early_stopping", &p.early_stopping)
        .set("n_iter_no_change", &p.n_iter_no_change)
        .set("tol", &p.tol)
        .arg("random_state", "SEED");
    Ok(e.note(no_cnn(&p, "scikit-learn", "MLPClassifier")))
}

fn spark(params: &Value, _task: Task, _n_classes: usize) -> Result<SparkModel> {
    let p: CnnParams = typed(KIND.name, params)?;
    let hidden: Vec<String> = p.hidden_layer_sizes.iter().map(|v| v.to_string()).collect();
    let mut args = spark_xy();
    let middle = if hidden.is_empty() { String::new() } else { format!("{}, ", hidden.join(", ")) };
    args.push(("layers", format!("[n_features, {middle}len(CLASSES)]")));
    args.push(("maxIter", p.max_iter.to_string()));
    args.push(("stepSize", py::number(p.learning_rate_init)));
    args.push(("seed", "SEED".into()));
    let imports = vec![spark_import("classification", "MultilayerPerceptronClassifier")];
    Ok(SparkModel::new(imports, spark_call("MultilayerPerceptronClassifier", &args), ABOUT, true)
        .note(no_cnn(&p, "Spark MLlib", "MultilayerPerceptronClassifier")))
}

const ABOUT: &str = "A convolutional network slides small learned filters over each image, keeps the strongest \
    responses by max-pooling, and names the class with dense layers and softmax.";
