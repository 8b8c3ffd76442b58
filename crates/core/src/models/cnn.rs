//! The `cnn` kind: a convolutional network for classifying small grey images (each row's
//! pixel columns, row by row, make a square image), trained one epoch per step with the
//! MLP's solvers and stopping rule. The network itself is in `cnn_net.rs`.
//!
//! Hyperparameters scikit-learn has no names for take Keras' and PyTorch's: `filters`
//! (per convolution block), `kernel_size`, `pool_size`.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::cnn_net::{softmax, CnnNet, CnnOptimizer, CnnWork};
use super::explain::{EpochScores, Explanation};
use super::mlp_fit::count_correct;
use super::mlp_optim::{solver_param_info, SolverSettings};
use super::record::{self, num};
use super::{Model, Prediction, StepReport, Trainer};
use crate::base::error::{Error, Result};
use crate::base::rng::Rng;
use crate::base::schema::{check_int, check_int_list, int_list, Domain, ParamInfo};
use crate::data::prep::Prepared;
use crate::data::Task;
use crate::metrics::classification;

/// Training on the GPU: the job handed over and the epochs recorded.
#[path = "cnn_gpu.rs"]
pub mod gpu;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CnnParams {
    /// Filters of each convolution block, input side first (Keras' `filters`).
    #[serde(deserialize_with = "int_list")]
    pub filters: Vec<u32>,
    /// Side of the square filters (odd: "same" padding keeps the image's size).
    pub kernel_size: u32,
    /// Side of the max-pooling window after each block; 1 turns pooling off.
    pub pool_size: u32,
    /// Dense ReLU layers between the convolutions and the softmax.
    #[serde(deserialize_with = "int_list")]
    pub hidden_layer_sizes: Vec<u32>,
    pub solver: String,
    pub alpha: f64,
    pub batch_size: u32,
    pub learning_rate_init: f64,
    pub max_iter: u32,
    pub momentum: f64,
    pub nesterovs_momentum: bool,
    pub beta_1: f64,
    pub beta_2: f64,
    pub epsilon: f64,
    pub early_stopping: bool,
    pub n_iter_no_change: u32,
    pub tol: f64,
}

impl Default for CnnParams {
    fn default() -> Self {
        // Keras' batch size (32); scikit-learn's MLP elsewhere, but for a larger step:
        // on the digits 0.003 reaches in 20 epochs what 0.001 reaches in 40.
        CnnParams {
            filters: vec![16, 32],
            kernel_size: 3,
            pool_size: 2,
            hidden_layer_sizes: vec![32],
            solver: "adam".into(),
            alpha: 1e-4,
            batch_size: 32,
            learning_rate_init: 3e-3,
            max_iter: 20,
            momentum: 0.9,
            nesterovs_momentum: true,
            beta_1: 0.9,
            beta_2: 0.999,
            epsilon: 1e-8,
            early_stopping: false,
            n_iter_no_change: 10,
            tol: 1e-4,
        }
    }
}

pub fn param_info() -> Vec<ParamInfo> {
    let p = ParamInfo::new;
    let mut info = vec![
        p("filters", Domain::IntList { min: 1, max: 64, min_len: 1, max_len: 4 },
          "How many filters each convolution block learns, from the input side: \"8, 16\" is two blocks. Each filter is a small pattern (an edge, a corner) slid over the whole image; each block then halves the image with max-pooling.", false),
        p("kernel_size", Domain::Int { min: 1, max: 7 },
          "Side of each filter in pixels (odd): 3 looks at a 3x3 neighbourhood. The image keeps its size (\"same\" padding with zeros at the border).", false),
        p("pool_size", Domain::Int { min: 1, max: 4 },
          "Side of the max-pooling window after each block: 2 keeps the largest of every 2x2 square, halving the image. 1 turns pooling off.", true),
        p("hidden_layer_sizes", Domain::IntList { min: 1, max: 512, min_len: 0, max_len: 4 },
          "Dense layers between the convolutions and the output, as in the MLP: \"32\" is one layer of 32 units.", false),
    ];
    let batch_size = p(
        "batch_size",
        Domain::Int { min: 1, max: 100_000 },
        "Images (rows) per mini-batch; the weights move once per batch.",
        true,
    );
    info.extend(solver_param_info(1000, batch_size));
    info
}

impl CnnParams {
    pub fn validate(&self) -> Result<()> {
        let p = param_info();
        check_int_list(&p, "filters", &self.filters)?;
        check_int(&p, "kernel_size", self.kernel_size.into())?;
        if self.kernel_size % 2 == 0 {
            return Err(Error::param("kernel_size", self.kernel_size, "an odd number (1, 3, 5 or 7)"));
        }
        check_int(&p, "pool_size", self.pool_size.into())?;
        if !self.hidden_layer_sizes.is_empty() {
            check_int_list(&p, "hidden_layer_sizes", &self.hidden_layer_sizes)?;
        }
        self.solver_settings().check(&p)
    }

    pub(super) fn solver_settings(&self) -> SolverSettings<'_> {
        SolverSettings {
            solver: &self.solver,
            learning_rate_init: self.learning_rate_init,
            max_iter: self.max_iter,
            alpha: self.alpha,
            batch_size: self.batch_size,
            momentum: self.momentum,
            nesterovs_momentum: self.nesterovs_momentum,
            beta_1: self.beta_1,
            beta_2: self.beta_2,
            epsilon: self.epsilon,
            n_iter_no_change: self.n_iter_no_change,
            tol: self.tol,
        }
    }
}

/// The image the input columns make: `(height, width, pixel of each column)`. Columns
/// named with one number (`p0`..`p63`, `pixel12`) are pixels counted row by row in the
/// smallest square that holds them; with two (`pixel_3_5`) a row and a column. Columns the
/// preparation left out (constant ones, as the digits' corners) leave their pixel at 0.
/// Other names: the columns in order, when their number is a square.
pub fn image_layout(names: &[String]) -> Result<(usize, usize, Vec<u32>)> {
    let numbers = |name: &str| -> Vec<usize> {
        name.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()).filter_map(|s| s.parse().ok()).collect()
    };
    let parsed: Vec<Vec<usize>> = names.iter().map(|n| numbers(n)).collect();
    const MAX: usize = 256;
    if !names.is_empty() && parsed.iter().all(|p| p.len() == 1 && p[0] < MAX * MAX) {
        let last = parsed.iter().map(|p| p[0]).max().unwrap_or(0);
        let side = (1..=MAX).find(|s| s * s > last).unwrap_or(MAX);
        return distinct(side, side, parsed.iter().map(|p| p[0] as u32).collect());
    }
    if !names.is_empty() && parsed.iter().all(|p| p.len() == 2 && p[0] < MAX && p[1] < MAX) {
        let h = parsed.iter().map(|p| p[0]).max().unwrap_or(0) + 1;
        let w = parsed.iter().map(|p| p[1]).max().unwrap_or(0) + 1;
        return distinct(h, w, parsed.iter().map(|p| (p[0] * w + p[1]) as u32).collect());
    }
    let d = names.len();
    let side = (d as f64).sqrt().round() as usize;
    if side < 3 || side * side != d || side > MAX {
        return Err(Error::Data(format!(
            "the cnn reads each row as a grey image: pixel columns named by their position (p0, p1, ... or \
             pixel_ROW_COL), or a square number (9 or more) of columns; this data has {d} feature columns, which \
             is not one (or give the image size: under the gallery, or mlplay run --image-size WxH)"
        )));
    }
    Ok((side, side, (0..d as u32).collect()))
}

fn distinct(h: usize, w: usize, pixels: Vec<u32>) -> Result<(usize, usize, Vec<u32>)> {
    let mut seen = vec![false; h * w];
    for &p in &pixels {
        if std::mem::replace(&mut seen[p as usize], true) {
            return Err(Error::Data(format!("two feature columns name pixel {p} of the {h}x{w} image")));
        }
    }
    Ok((h, w, pixels))
}

/// Random streams derived from the state's seed.
const STREAM_INIT: u64 = 0x636e_6e00;
const STREAM_SHUFFLE: u64 = 0x636e_6e01;
/// Images at a time when predicting.
const CHUNK: usize = 512;

/// A fitted convolutional network.
#[derive(Debug, Clone)]
pub struct CnnModel {
    pub net: CnnNet,
    pub(crate) history: EpochScores,
}

/// What the network makes of one image, for the page's look inside.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Inside {
    /// The image as the network reads it (after preprocessing), `h x w`.
    pub h: usize,
    pub w: usize,
    pub image: Vec<f32>,
    /// Each convolution block's maps after pooling (or after ReLU when it does not pool).
    pub layers: Vec<MapLayer>,
    /// The first block's filters, `kernel x kernel` each, row by row.
    pub kernel: usize,
    pub filters: Vec<Vec<f32>>,
    pub probabilities: Vec<f64>,
    /// Accuracy after each epoch so far, on the training images (the mean over the epoch's
    /// batches while the weights moved) and on the validation images.
    pub epochs: EpochScores,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MapLayer {
    /// What the maps are, in words ("conv 1: 8 filters 3x3, ReLU, max-pool 2x2").
    pub name: String,
    pub h: usize,
    pub w: usize,
    /// One `h x w` map per filter, row by row.
    pub maps: Vec<Vec<f32>>,
}

impl CnnModel {
    fn logits(&self, x: &Array2<f64>) -> Vec<f32> {
        let x: Vec<f32> = x.iter().map(|&v| v as f32).collect();
        let d = self.net.n_inputs();
        let mut out = Vec::with_capacity(x.len() / d.max(1) * self.net.outputs);
        let mut ws = CnnWork::default();
        for rows in x.chunks(CHUNK * d) {
            self.net.forward(rows, rows.len() / d, &mut ws);
            out.extend_from_slice(ws.logits());
        }
        out
    }

    fn proba(&self, x: &Array2<f64>) -> Array2<f64> {
        let k = self.net.outputs;
        let z = self.logits(x);
        let mut p = Array2::zeros((x.nrows(), k));
        for (mut row, z) in p.rows_mut().into_iter().zip(z.chunks_exact(k)) {
            row.iter_mut().zip(softmax(z)).for_each(|(p, v)| *p = v);
        }
        p
    }

    /// The feature maps, first filters and probabilities for one preprocessed image.
    pub fn inside(&self, row: &[f64]) -> Inside {
        let net = &self.net;
        let x: Vec<f32> = row.iter().map(|&v| v as f32).collect();
        let mut ws = CnnWork::default();
        net.forward(&x, 1, &mut ws);
        let k = net.kernel;
        let layers = net
            .conv_shapes()
            .iter()
            .enumerate()
            .map(|(l, s)| {
                let out = ws.block_out(l, s);
                let (h, w) = (s.oh, s.ow);
                let pool = if s.pooled() { format!(", max-pool {0}x{0}", net.pool) } else { String::new() };
                MapLayer {
                    name: format!("conv {}: {} filters {k}x{k}, ReLU{pool}", l + 1, s.cout),
                    h,
                    w,
                    maps: (0..s.cout).map(|c| (0..h * w).map(|p| out[p * s.cout + c]).collect()).collect(),
                }
            })
            .collect();
        let f0 = net.filters.first().copied().unwrap_or(0);
        let filters = (0..f0).map(|f| (0..k * k).map(|t| net.params[0][t * f0 + f]).collect()).collect();
        Inside {
            h: net.h,
            w: net.w,
            image: ws.image.clone(),
            layers,
            kernel: k,
            filters,
            probabilities: softmax(ws.logits()),
            epochs: self.history.clone(),
        }
    }
}

impl Model for CnnModel {
    fn record(&self) -> Option<serde_json::Value> {
        Some(record::to_value(&Record::of(&self.net)))
    }

    fn predict(&self, x: &Array2<f64>) -> Prediction {
        Prediction::Proba(self.proba(x))
    }

    fn size_bytes(&self) -> usize {
        self.net.n_params() * std::mem::size_of::<f32>()
    }

    fn explain(&self) -> Explanation {
        Explanation::default()
    }

    fn look_inside(&self, row: &[f64]) -> Option<Inside> {
        Some(self.inside(row))
    }
}

pub struct CnnTrainer {
    model: CnnModel,
    opt: CnnOptimizer,
    ws: CnnWork,
    x: Vec<f32>,
    y: Vec<u32>,
    validation_x: Array2<f64>,
    order: Vec<usize>,
    shuffle: Rng,
    batch: usize,
    alpha: f32,
    max_iter: usize,
    early_stopping: bool,
    n_iter_no_change: usize,
    tol: f64,
    epochs: usize,
    best: f64,
    no_improvement: usize,
    best_net: Option<CnnNet>,
    stopped_at: Option<usize>,
    /// The epoch whose loss stopped being a number; training ended there.
    diverged: Option<usize>,
    last: Option<StepReport>,
    /// For the GPU's job: the state's seed and the settings.
    seed: u32,
    config: crate::models::mlp_fit::FitConfig,
}

impl CnnTrainer {
    pub fn new(params: &CnnParams, data: &Prepared, seed: u32) -> Result<CnnTrainer> {
        if data.task != Task::Classification {
            return Err(Error::Data("the cnn classifies images; this target is a number".into()));
        }
        let (n, d) = data.train.x.dim();
        if n == 0 {
            return Err(Error::Data("the training split is empty".into()));
        }
        let (h, w, inputs) = match &data.image {
            Some(g) => (g.height, g.width, g.pixel_of(&data.feature_names)?),
            None => image_layout(&data.feature_names)?,
        };
        debug_assert_eq!(inputs.len(), d);
        if params.early_stopping && data.validation.n_rows() == 0 {
            return Err(Error::param("early_stopping", true, "false when the split has no validation rows"));
        }
        let k = data.class_names.len();
        let y = data.train.y.labels().to_vec();
        if (0..k as u32).filter(|c| y.contains(c)).count() < 2 {
            return Err(Error::Data("the training split holds only one class; there is nothing to tell apart".into()));
        }
        let filters: Vec<usize> = params.filters.iter().map(|&f| f as usize).collect();
        let hidden: Vec<usize> = params.hidden_layer_sizes.iter().map(|&h| h as usize).collect();
        let mut rng = Rng::derive(seed.into(), STREAM_INIT);
        let mut net =
            CnnNet::new(h, w, params.kernel_size as usize, params.pool_size as usize, &filters, &hidden, k, &mut rng);
        net.inputs = inputs;
        let opt = CnnOptimizer::new(params.solver_settings().solver(), params.learning_rate_init, &net);
        Ok(CnnTrainer {
            model: CnnModel { net, history: EpochScores { metric: "accuracy".into(), ..Default::default() } },
            opt,
            ws: CnnWork::default(),
            x: data.train.x.iter().map(|&v| v as f32).collect(),
            y,
            validation_x: data.validation.x.clone(),
            order: (0..n).collect(),
            shuffle: Rng::derive(seed.into(), STREAM_SHUFFLE),
            batch: (params.batch_size as usize).clamp(1, n),
            alpha: params.alpha as f32,
            max_iter: params.max_iter as usize,
            early_stopping: params.early_stopping,
            n_iter_no_change: params.n_iter_no_change as usize,
            tol: params.tol,
            epochs: 0,
            best: f64::INFINITY,
            no_improvement: 0,
            best_net: None,
            stopped_at: None,
            diverged: None,
            last: None,
            seed,
            config: gpu::fit_config(params, n),
        })
    }

    /// One pass over the training images in shuffled mini-batches: the mean batch loss,
    /// the mean objective (loss plus penalty) and the share classified right.
    fn epoch(&mut self) -> (f64, f64, f64) {
        let d = self.model.net.n_inputs();
        self.shuffle.shuffle(&mut self.order);
        let (mut loss, mut objective, mut correct) = (0.0, 0.0, 0usize);
        let mut bx = Vec::with_capacity(self.batch * d);
        let mut by = Vec::with_capacity(self.batch);
        for idx in self.order.chunks(self.batch) {
            bx.clear();
            by.clear();
            idx.iter().for_each(|&i| bx.extend_from_slice(&self.x[i * d..(i + 1) * d]));
            by.extend(idx.iter().map(|&i| self.y[i]));
            let (l, penalty) = self.model.net.gradient(&bx, idx.len(), &by, self.alpha, &mut self.ws);
            loss += l * idx.len() as f64;
            objective += (l + penalty) * idx.len() as f64;
            correct += count_correct(self.ws.logits(), &by);
            self.opt.update(&mut self.model.net, &self.ws.grads);
        }
        let rows = self.order.len() as f64;
        (loss / rows, objective / rows, correct as f64 / rows)
    }

    /// scikit-learn's MLP stopping rule on `monitored`; with early stopping the best
    /// weights come back at the end.
    fn observe(&mut self, monitored: f64) {
        if monitored > self.best - self.tol {
            self.no_improvement += 1;
        } else {
            self.no_improvement = 0;
        }
        if monitored < self.best {
            self.best = monitored;
            if self.early_stopping {
                self.best_net = Some(self.model.net.clone());
            }
        }
        if self.no_improvement > self.n_iter_no_change || self.epochs >= self.max_iter {
            self.stopped_at = Some(self.epochs);
            if let Some(best) = self.best_net.take() {
                self.model.net = best;
            }
        }
    }
}

impl Trainer for CnnTrainer {
    fn step(&mut self, data: &Prepared) -> Result<StepReport> {
        if self.is_done() {
            return Err(Error::Training("this network has finished training".into()));
        }
        let before = self.model.net.clone();
        let (loss, objective, accuracy) = self.epoch();
        self.epochs += 1;
        if !objective.is_finite() {
            self.model.net = before;
            self.diverged = Some(self.epochs);
            self.stopped_at = Some(self.epochs);
            // The epoch before stands for this one; before any, a guess's loss, ln(classes).
            let guess = StepReport { train_loss: (self.model.net.outputs as f64).ln(), validation_loss: None };
            return Ok(self.last.unwrap_or(guess));
        }
        self.model.history.train.push(accuracy);
        let validation = (data.validation.n_rows() > 0).then(|| {
            let p = self.model.proba(&self.validation_x);
            let y = data.validation.y.labels();
            let score = classification::accuracy(y, &classification::argmax_rows(&p));
            (classification::log_loss(y, &p), score)
        });
        if let Some((_, score)) = validation {
            self.model.history.validation.push(score);
        }
        let monitored = match validation {
            Some((v, _)) if self.early_stopping => v,
            _ => objective,
        };
        self.observe(monitored);
        let report = StepReport { train_loss: loss, validation_loss: validation.map(|v| v.0) };
        self.last = Some(report);
        Ok(report)
    }

    fn notes(&self) -> Vec<String> {
        let Some(epoch) = self.diverged else { return vec![] };
        vec![format!(
            "training diverged at epoch {epoch} (the loss stopped being a number): lower learning_rate_init; the \
             network of the epoch before is kept"
        )]
    }

    fn steps_done(&self) -> usize {
        self.epochs
    }

    fn steps_total(&self) -> usize {
        self.stopped_at.unwrap_or(self.max_iter)
    }

    fn model(&self) -> Option<&dyn Model> {
        Some(&self.model)
    }

    fn cnn_job(&self, data: &Prepared) -> Option<gpu::CnnJob> {
        self.job(data)
    }

    fn apply_cnn_epoch(
        &mut self,
        _data: &Prepared,
        epoch: &crate::models::mlp_fit::EpochReport,
        net: Option<CnnNet>,
    ) -> Result<StepReport> {
        self.apply_gpu_epoch(epoch, net)
    }

    fn set_cnn_network(&mut self, net: CnnNet) -> Result<()> {
        self.set_net(net)
    }
}

// ---- model file record -----------------------------------------------------------------

#[derive(Serialize, Deserialize)]
struct Record {
    height: usize,
    width: usize,
    kernel_size: usize,
    pool_size: usize,
    filters: Vec<usize>,
    hidden_layer_sizes: Vec<usize>,
    outputs: usize,
    /// The pixel each input column fills.
    pixels: Vec<u32>,
    /// Weights then biases of each layer, convolutions first.
    params: Vec<Tensor>,
}

#[derive(Serialize, Deserialize)]
struct Tensor(#[serde(with = "num::many32")] Vec<f32>);

impl Record {
    fn of(net: &CnnNet) -> Record {
        Record {
            height: net.h,
            width: net.w,
            kernel_size: net.kernel,
            pool_size: net.pool,
            filters: net.filters.clone(),
            hidden_layer_sizes: net.hidden.clone(),
            outputs: net.outputs,
            pixels: net.inputs.clone(),
            params: net.params.iter().map(|p| Tensor(p.clone())).collect(),
        }
    }
}

/// Bounds a record's shape must keep, so a hostile file cannot ask for huge buffers.
const MAX_SIDE: usize = 256;

pub fn load(v: serde_json::Value, fit: &record::Fit) -> Result<Box<dyn Model>> {
    let r: Record = record::parse(v)?;
    if fit.task != Task::Classification {
        return record::err("model", "a cnn classifies; this file's target is a number");
    }
    if r.height == 0 || r.height > MAX_SIDE || r.width == 0 || r.width > MAX_SIDE {
        return record::err(
            "model.height",
            format!("{}x{} is not an image size from 1 to {MAX_SIDE}", r.height, r.width),
        );
    }
    record::equal("model.pixels", r.pixels.len(), fit.n_features, "the number of model inputs")?;
    if let Some(p) = r.pixels.iter().find(|&&p| p as usize >= r.height * r.width) {
        return record::err("model.pixels", format!("pixel {p} lies outside the {}x{} image", r.height, r.width));
    }
    record::equal("model.outputs", r.outputs, fit.n_classes(), "the number of classes")?;
    if r.kernel_size % 2 == 0 || r.kernel_size > 7 {
        return record::err("model.kernel_size", format!("{} is not 1, 3, 5 or 7", r.kernel_size));
    }
    if !(1..=4).contains(&r.pool_size) {
        return record::err("model.pool_size", format!("{} is not from 1 to 4", r.pool_size));
    }
    if r.filters.is_empty() || r.filters.len() > 4 || r.filters.iter().any(|&f| f == 0 || f > 64) {
        return record::err("model.filters", "needs 1 to 4 blocks of 1 to 64 filters");
    }
    if r.hidden_layer_sizes.len() > 4 || r.hidden_layer_sizes.iter().any(|&h| h == 0 || h > 512) {
        return record::err("model.hidden_layer_sizes", "needs at most 4 layers of 1 to 512 units");
    }
    let mut net = CnnNet {
        h: r.height,
        w: r.width,
        kernel: r.kernel_size,
        pool: r.pool_size,
        filters: r.filters,
        hidden: r.hidden_layer_sizes,
        outputs: r.outputs,
        inputs: r.pixels,
        params: vec![],
    };
    let shapes = net.param_shapes();
    record::len("model.params", r.params.len(), 2 * shapes.len())?;
    for (i, (t, &(rows, cols))) in r.params.iter().zip(shapes.iter().flat_map(|s| [s, s])).enumerate() {
        let field = format!("model.params[{i}]");
        let want = if i % 2 == 0 { record::product(&field, rows, cols)? } else { cols };
        record::len(&field, t.0.len(), want)?;
        record::finite32(&field, &t.0)?;
    }
    net.params = r.params.into_iter().map(|t| t.0).collect();
    Ok(Box::new(CnnModel { net, history: Default::default() }))
}
