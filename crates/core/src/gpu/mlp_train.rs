//! Training a `Network` on the GPU, epoch for epoch what `mlp_fit::Fit` does on the CPU:
//! the same initial weights (made by the CPU from the seed, then uploaded), the same
//! shuffled order of rows each epoch (from the same random stream), the same batches,
//! loss, L2 penalty, solvers and stopping rule. Only f32 summation order differs.
//!
//! Weights, gradients, optimiser moments and the training and validation rows stay on the
//! device. Each epoch uploads the row order and the per-batch steps, runs every batch and
//! the validation pass in one submission, and reads back a few floats per batch (loss
//! sum, right answers, squared weight norm). Weights come back only on request.
//!
//! Dropout masks are drawn on the device from a hash of a per-batch seed (taken from the
//! same stream the CPU draws its masks from, but used differently): the same rate and
//! semantics as the CPU, not the same masks, so runs with dropout agree in quality only.

use super::context::{f32_bytes, u32_bytes, Gpu};
use super::epoch::{submit_steps, sum_batches, STRIDE};
use super::kernels::{mm, Grid, Kernel, Op, Step, Steps, View};
use crate::base::error::{Error, Result};
use crate::base::rng::Rng;
use crate::models::mlp_fit::{EpochStats, FitConfig, FitJob, FitTargets, STREAM_DROPOUT, STREAM_SHUFFLE};
use crate::models::mlp_net::{Activation, Loss, Network};
use crate::models::mlp_optim::Solver;

/// Tensors start at multiples of 64 floats (256 bytes) in the parameter buffer.
const ALIGN: usize = 64;

pub use crate::models::mlp_fit::{EpochReport as GpuEpoch, ValidationStats};

pub(crate) fn act_code(a: Activation) -> u32 {
    match a {
        Activation::Relu => 0,
        Activation::Tanh => 1,
        Activation::Logistic => 2,
        Activation::Identity => 3,
    }
}

/// Where each layer's weights and biases sit in the one parameter buffer (weights first,
/// so the L2 norm is one reduction over a prefix).
struct ParamLayout {
    w: Vec<usize>,
    b: Vec<usize>,
    weights_end: usize,
    total: usize,
}

impl ParamLayout {
    fn new(net: &Network) -> ParamLayout {
        let mut off = 0;
        let mut place = |tensors: &[Vec<f32>]| -> Vec<usize> {
            tensors
                .iter()
                .map(|t| {
                    let at = off;
                    off += t.len().div_ceil(ALIGN) * ALIGN;
                    at
                })
                .collect()
        };
        let w = place(&net.weights);
        let b = place(&net.biases);
        let weights_end = b.first().copied().unwrap_or(0);
        ParamLayout { w, b, weights_end, total: off }
    }
}

/// Rows and targets as uploaded: the targets' buffer and width (class labels as f32).
struct Part {
    rows: usize,
    x: wgpu::Buffer,
    y: Option<wgpu::Buffer>,
    order: wgpu::Buffer,
}

pub struct GpuTrainer {
    gpu: Gpu,
    sizes: Vec<usize>,
    activation: Activation,
    loss: Loss,
    config: FitConfig,
    layout: ParamLayout,
    params: wgpu::Buffer,
    best: wgpu::Buffer,
    stats: wgpu::Buffer,
    steps: Steps,
    train: Part,
    validation: Option<Part>,
    batch: usize,
    /// One batch's dispatches, and the validation pass's per chunk.
    train_ops: Vec<Op>,
    val_ops: Vec<Op>,
    classes: bool,
    order: Vec<usize>,
    shuffle: Rng,
    dropout: Rng,
    updates: i32,
    epochs: usize,
    best_value: f64,
    no_improvement: usize,
    has_best: bool,
    stopped_at: Option<usize>,
}

fn targets_of(loss: Loss, targets: &FitTargets, rows: usize, outputs: usize, what: &str) -> Result<Option<Vec<f32>>> {
    let bad = |msg: String| Err(Error::Data(format!("the {what} targets {msg}")));
    match (loss, targets) {
        (Loss::Softmax | Loss::Logistic, FitTargets::Classes(y)) => {
            let k = if loss == Loss::Logistic { 2 } else { outputs };
            if y.len() != rows {
                return bad(format!("hold {} labels for {rows} rows", y.len()));
            }
            if let Some(c) = y.iter().find(|&&c| c as usize >= k) {
                return bad(format!("name class {c}, but the network has {k} classes"));
            }
            Ok(Some(y.iter().map(|&c| c as f32).collect()))
        }
        (Loss::Squared, FitTargets::Values(v)) if v.len() == rows * outputs => Ok(Some(v.clone())),
        (Loss::Squared, FitTargets::Values(v)) => {
            bad(format!("hold {} values for {rows} rows x {outputs} outputs", v.len()))
        }
        (Loss::Squared, FitTargets::Inputs) => Ok(None),
        _ => Err(Error::Training("the targets do not suit the network's loss".into())),
    }
}

impl GpuTrainer {
    /// A trainer for `net` (its current weights are the starting point) on the rows `x`
    /// (row-major, `net.n_inputs()` wide), with optional validation rows watched after each
    /// epoch. `seed` is the state's seed, as for `Fit::new`.
    pub fn new(
        gpu: &Gpu,
        net: &Network,
        x: &[f32],
        targets: &FitTargets,
        validation: Option<(&[f32], &FitTargets)>,
        config: &FitConfig,
        seed: u32,
    ) -> Result<GpuTrainer> {
        let d = net.n_inputs();
        let outputs = net.n_outputs();
        let rows = x.len() / d.max(1);
        if rows == 0 || d == 0 || x.len() != rows * d {
            return Err(Error::Data("the training rows are empty or not as wide as the network's inputs".into()));
        }
        let validation = validation.filter(|(vx, _)| !vx.is_empty());
        if config.early_stopping && validation.is_none() {
            return Err(Error::param("early_stopping", true, "false when the split has no validation rows"));
        }
        let train_y = targets_of(net.loss, targets, rows, outputs, "training")?;
        let val_y = match validation {
            Some((vx, vt)) => {
                if vx.len() % d != 0 {
                    return Err(Error::Data("the validation rows are not as wide as the network's inputs".into()));
                }
                Some(targets_of(net.loss, vt, vx.len() / d, outputs, "validation")?)
            }
            None => None,
        };
        let layout = ParamLayout::new(net);
        let limits = gpu.device.limits();
        let largest =
            [x.len(), validation.map_or(0, |v| v.0.len()), layout.total].into_iter().max().unwrap_or(0) as u64 * 4;
        if largest > limits.max_storage_buffer_binding_size as u64 || largest > limits.max_buffer_size {
            return Err(Error::Training(format!(
                "the data ({} MB in one buffer) exceed what this GPU binds at once ({} MB); train on the CPU",
                largest >> 20,
                limits.max_storage_buffer_binding_size >> 20
            )));
        }

        let batch = config.batch_rows(rows);
        let layers = net.weights.len();
        let classes = net.loss != Loss::Squared;
        let target_width = match (classes, &train_y) {
            (true, _) => 1,
            (false, Some(_)) => outputs,
            (false, None) => d,
        };
        let mut flat = vec![0.0f32; layout.total];
        for l in 0..layers {
            flat[layout.w[l]..layout.w[l] + net.weights[l].len()].copy_from_slice(&net.weights[l]);
            flat[layout.b[l]..layout.b[l] + net.biases[l].len()].copy_from_slice(&net.biases[l]);
        }
        let params = gpu.buffer("params", layout.total, Some(&f32_bytes(&flat)));
        let best = gpu.buffer("best params", layout.total, None);
        let grads = gpu.buffer("grads", layout.total, None);
        let m1 = gpu.buffer("moment 1", layout.total, None);
        let adam = matches!(config.solver, Solver::Adam { .. });
        let m2 = gpu.buffer("moment 2", if adam { layout.total } else { 1 }, None);
        let dummy = gpu.buffer("unused", ALIGN, None);
        let part = |name: &str, x: &[f32], y: &Option<Vec<f32>>| Part {
            rows: x.len() / d,
            x: gpu.buffer(name, x.len(), Some(&f32_bytes(x))),
            y: y.as_ref().map(|y| gpu.buffer(name, y.len(), Some(&f32_bytes(y)))),
            order: gpu.buffer("order", x.len() / d, None),
        };
        let train = part("training rows", x, &train_y);
        let validation = match (validation, val_y) {
            (Some((vx, _)), Some(vy)) => {
                let p = part("validation rows", vx, &vy);
                let identity: Vec<u32> = (0..p.rows as u32).collect();
                gpu.queue.write_buffer(&p.order, 0, &u32_bytes(&identity));
                Some(p)
            }
            _ => None,
        };
        let batches = rows.div_ceil(batch);
        let chunks = validation.as_ref().map_or(0, |v| v.rows.div_ceil(batch));
        let stats = gpu.buffer("stats", (batches + chunks) * STRIDE, None);
        let steps = Steps::new(gpu, batches + chunks);

        let xb = gpu.buffer("batch rows", batch * d, None);
        let yb = gpu.buffer("batch targets", batch * target_width, None);
        let acts: Vec<_> = (0..layers).map(|l| gpu.buffer("activations", batch * net.sizes[l + 1], None)).collect();
        let deltas: Vec<_> = (0..layers).map(|l| gpu.buffer("deltas", batch * net.sizes[l + 1], None)).collect();
        let dropout = config.dropout > 0.0;
        let hidden_out = |what: &str| -> Vec<_> {
            (0..layers - 1).filter(|_| dropout).map(|l| gpu.buffer(what, batch * net.sizes[l + 1], None)).collect()
        };
        let (dropped, masks) = (hidden_out("dropped"), hidden_out("dropout masks"));
        let hidden = act_code(net.activation);
        let gather = |p: &Part| {
            let y = p.y.as_ref().unwrap_or(&p.x);
            [
                Op::new(
                    gpu,
                    Kernel::Gather,
                    [d as u32, 0, 0, 0, 0, 0, 0, 0],
                    &[View::all(&p.x), View::all(&p.order), View::all(&xb)],
                    Grid::FlatRows(d as u32),
                ),
                Op::new(
                    gpu,
                    Kernel::Gather,
                    [target_width as u32, 0, 0, 0, 0, 0, 0, 0],
                    &[View::all(y), View::all(&p.order), View::all(&yb)],
                    Grid::FlatRows(target_width as u32),
                ),
            ]
        };
        let input = |l: usize| if l == 0 { View::all(&xb) } else { View::all(&acts[l - 1]) };
        // What the next layer reads while training: the outputs after dropout.
        let train_input = |l: usize| if l > 0 && dropout { View::all(&dropped[l - 1]) } else { input(l) };
        let drop_op = |l: usize, mode: u32| {
            let (src, out) = if mode == 0 { (&acts[l], &dropped[l]) } else { (&dummy, &deltas[l]) };
            let p = [net.sizes[l + 1] as u32, mode, l as u32, config.dropout.to_bits(), 0, 0, 0, 0];
            Op::new(
                gpu,
                Kernel::Dropout,
                p,
                &[View::all(src), View::all(out), View::all(&masks[l])],
                Grid::FlatRows(net.sizes[l + 1] as u32),
            )
        };
        let w_view = |l: usize| View::at(&params, layout.w[l], net.weights[l].len());
        let b_view = |l: usize| View::at(&params, layout.b[l], net.biases[l].len());
        let forward = |training: bool| -> Vec<Op> {
            let mut ops = Vec::new();
            for (l, out) in acts.iter().enumerate() {
                let (fan_in, fan_out) = (net.sizes[l] as u32, net.sizes[l + 1] as u32);
                let f = if l + 1 == layers { 3 } else { hidden };
                let p = [0, fan_out, fan_in, mm::M_BATCH | mm::BIAS_ACT | mm::act(f), 0, 0, 0, 0];
                let x = if training { train_input(l) } else { input(l) };
                let views = [x, w_view(l), b_view(l), View::all(&dummy), View::all(out)];
                ops.push(Op::new(gpu, Kernel::Matmul, p, &views, Grid::Tiles { rows: None, cols: fan_out }));
                if training && dropout && l + 1 < layers {
                    ops.push(drop_op(l, 0));
                }
            }
            ops
        };
        let loss_kind = match net.loss {
            Loss::Softmax => 0,
            Loss::Logistic => 1,
            Loss::Squared => 2,
        };
        let loss_op = || {
            Op::new(
                gpu,
                Kernel::Loss,
                [loss_kind, outputs as u32, STRIDE as u32, 0, 0, 0, 0, 0],
                &[View::all(&acts[layers - 1]), View::all(&yb), View::all(&deltas[layers - 1]), View::all(&stats)],
                Grid::Single,
            )
        };

        let mut train_ops: Vec<Op> = gather(&train).into_iter().collect();
        train_ops.extend(forward(true));
        train_ops.push(loss_op());
        if config.alpha > 0.0 {
            let w_all = View::at(&params, 0, layout.weights_end);
            train_ops.push(Op::new(
                gpu,
                Kernel::SqNorm,
                [layout.weights_end as u32, STRIDE as u32, 0, 0, 0, 0, 0, 0],
                &[w_all, View::all(&stats)],
                Grid::Single,
            ));
        }
        for l in (0..layers).rev() {
            let (fan_in, fan_out) = (net.sizes[l] as u32, net.sizes[l + 1] as u32);
            let gw = View::at(&grads, layout.w[l], net.weights[l].len());
            let gb = View::at(&grads, layout.b[l], net.biases[l].len());
            let flags = mm::A_T | mm::K_BATCH | mm::WEIGHT_GRAD;
            let dl = View::all(&deltas[l]);
            train_ops.push(Op::new(
                gpu,
                Kernel::Matmul,
                [fan_in, fan_out, 0, flags, config.alpha.to_bits(), 0, 0, 0],
                &[train_input(l), dl, View::all(&dummy), w_view(l), gw],
                Grid::Tiles { rows: Some(fan_in), cols: fan_out },
            ));
            train_ops.push(Op::new(
                gpu,
                Kernel::BiasGrad,
                [fan_out, 0, 0, 0, 0, 0, 0, 0],
                &[dl, gb],
                Grid::Flat(fan_out),
            ));
            if l > 0 {
                let flags = mm::B_T | mm::M_BATCH | mm::TIMES_DERIV | mm::act(hidden);
                let views = [dl, w_view(l), View::all(&dummy), View::all(&acts[l - 1]), View::all(&deltas[l - 1])];
                train_ops.push(Op::new(
                    gpu,
                    Kernel::Matmul,
                    [0, fan_in, fan_out, flags, 0, 0, 0, 0],
                    &views,
                    Grid::Tiles { rows: None, cols: fan_in },
                ));
                if dropout {
                    train_ops.push(drop_op(l - 1, 1));
                }
            }
        }
        let solver = match config.solver {
            Solver::Sgd { momentum, nesterov } => [0, nesterov as u32, 0, momentum.to_bits(), 0, 0, 0],
            Solver::Adam { beta_1, beta_2, epsilon } => {
                [1, 0, 0, 0, (beta_1 as f32).to_bits(), (beta_2 as f32).to_bits(), epsilon.to_bits()]
            }
        };
        let mut p = [layout.total as u32; 8];
        p[1..].copy_from_slice(&solver);
        train_ops.push(Op::new(
            gpu,
            Kernel::Optim,
            p,
            &[View::all(&params), View::all(&grads), View::all(&m1), View::all(&m2)],
            Grid::Flat(layout.total as u32),
        ));

        let mut val_ops = Vec::new();
        if let Some(v) = &validation {
            val_ops.extend(gather(v));
            val_ops.extend(forward(false));
            val_ops.push(loss_op());
        }
        Ok(GpuTrainer {
            gpu: gpu.clone(),
            sizes: net.sizes.clone(),
            activation: net.activation,
            loss: net.loss,
            config: config.clone(),
            layout,
            params,
            best,
            stats,
            steps,
            train,
            validation,
            batch,
            train_ops,
            val_ops,
            classes,
            order: (0..rows).collect(),
            shuffle: Rng::derive(seed.into(), STREAM_SHUFFLE),
            dropout: Rng::derive(seed.into(), STREAM_DROPOUT),
            updates: 0,
            epochs: 0,
            best_value: f64::INFINITY,
            no_improvement: 0,
            has_best: false,
            stopped_at: None,
        })
    }

    /// A trainer for a job a CPU trainer handed over (`Trainer::fit_job`).
    pub fn from_job(gpu: &Gpu, job: &FitJob) -> Result<GpuTrainer> {
        let validation = job.validation.as_ref().map(|(x, t)| (x.as_slice(), t));
        GpuTrainer::new(gpu, &job.net, &job.x, &job.targets, validation, &job.config, job.seed)
    }

    pub fn adapter_name(&self) -> &str {
        self.gpu.adapter_name()
    }

    pub fn epochs(&self) -> usize {
        self.epochs
    }

    /// `max_iter`, or the epoch training stopped at.
    pub fn epochs_total(&self) -> usize {
        self.stopped_at.unwrap_or(self.config.max_iter)
    }

    pub fn is_done(&self) -> bool {
        self.stopped_at.is_some()
    }

    /// One pass over the training rows in shuffled mini-batches, then the validation loss
    /// and the stopping rule (as `Fit::epoch` followed by `Fit::observe`).
    pub async fn epoch(&mut self) -> Result<GpuEpoch> {
        if self.is_done() {
            return Err(Error::Training("this network has finished training".into()));
        }
        let gpu = self.gpu.clone();
        self.shuffle.shuffle(&mut self.order);
        let order: Vec<u32> = self.order.iter().map(|&i| i as u32).collect();
        gpu.queue.write_buffer(&self.train.order, 0, &u32_bytes(&order));
        let rows = self.train.rows;
        let batches = rows.div_ceil(self.batch);
        let chunks = self.validation.as_ref().map_or(0, |v| v.rows.div_ceil(self.batch));
        let mut steps = Vec::with_capacity(batches + chunks);
        for b in 0..batches {
            self.updates += 1;
            let start = b * self.batch;
            let adam_step = match self.config.solver {
                Solver::Adam { beta_1, beta_2, .. } => {
                    let t = self.updates as f64;
                    (self.config.learning_rate_init * libm::sqrt(1.0 - libm::pow(beta_2, t))
                        / (1.0 - libm::pow(beta_1, t))) as f32
                }
                Solver::Sgd { .. } => 0.0,
            };
            let n = self.batch.min(rows - start) as u32;
            let seed = if self.config.dropout > 0.0 { self.dropout.next_u64() as u32 } else { 0 };
            steps.push(Step {
                start: start as u32,
                rows: n,
                slot: b as u32,
                lr: self.config.learning_rate_init as f32,
                adam_step,
                seed,
            });
        }
        if let Some(v) = &self.validation {
            for c in 0..chunks {
                let start = c * self.batch;
                let n = self.batch.min(v.rows - start) as u32;
                steps.push(Step { start: start as u32, rows: n, slot: (batches + c) as u32, ..Default::default() });
            }
        }
        submit_steps(&gpu, &self.steps, &steps, batches, &self.train_ops, &self.val_ops);
        let stats = gpu.read(&self.stats, 0, (batches + chunks) * STRIDE).await?;
        self.epochs += 1;

        let (loss, objective, right) = sum_batches(
            &stats,
            batches,
            self.config.alpha as f64,
            self.epochs,
            "lower learning_rate_init, or scale the features",
        )?;
        let n = rows as f64;
        let train =
            EpochStats { loss: loss / n, objective: objective / n, accuracy: self.classes.then_some(right / n) };
        let validation = self.validation.as_ref().map(|v| {
            let part = &stats[batches * STRIDE..];
            let loss: f64 = part.chunks_exact(STRIDE).map(|s| s[0] as f64).sum();
            let right: f64 = part.chunks_exact(STRIDE).map(|s| s[1] as f64).sum();
            ValidationStats { loss: loss / v.rows as f64, accuracy: self.classes.then_some(right / v.rows as f64) }
        });
        let monitored = match validation {
            Some(v) if self.config.early_stopping => v.loss,
            _ => train.objective,
        };
        let done = self.observe(monitored);
        Ok(GpuEpoch { train, validation, done })
    }

    /// `Fit::observe`: the stopping rule, keeping the best weights on the device.
    fn observe(&mut self, monitored: f64) -> bool {
        if monitored > self.best_value - self.config.tol {
            self.no_improvement += 1;
        } else {
            self.no_improvement = 0;
        }
        if monitored < self.best_value {
            self.best_value = monitored;
            if self.config.early_stopping {
                self.copy(true);
                self.has_best = true;
            }
        }
        let done = self.no_improvement > self.config.n_iter_no_change || self.epochs >= self.config.max_iter;
        if done {
            self.stopped_at = Some(self.epochs);
            if self.has_best {
                self.copy(false);
            }
        }
        done
    }

    /// Parameters to the best-so-far copy, or back from it.
    fn copy(&self, to_best: bool) {
        let (from, to) = if to_best { (&self.params, &self.best) } else { (&self.best, &self.params) };
        let mut enc = self.gpu.device.create_command_encoder(&Default::default());
        enc.copy_buffer_to_buffer(from, 0, to, 0, from.size());
        self.gpu.queue.submit([enc.finish()]);
    }

    /// The current weights (after early stopping, the best ones) as a CPU network, to
    /// predict and explain with.
    pub async fn read_network(&self) -> Result<Network> {
        let p = self.gpu.read(&self.params, 0, self.layout.total).await?;
        let layers = self.sizes.len() - 1;
        let weights = (0..layers)
            .map(|l| p[self.layout.w[l]..self.layout.w[l] + self.sizes[l] * self.sizes[l + 1]].to_vec())
            .collect();
        let biases = (0..layers).map(|l| p[self.layout.b[l]..self.layout.b[l] + self.sizes[l + 1]].to_vec()).collect();
        Ok(Network { sizes: self.sizes.clone(), activation: self.activation, loss: self.loss, weights, biases })
    }
}
