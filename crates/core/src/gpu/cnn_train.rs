//! Training the `cnn` on the GPU, epoch for epoch what `CnnTrainer` does on the CPU: the
//! same starting weights and shuffled batches (from the job), the same loss, penalty,
//! solver and stopping rule. Only f32 summation order differs.
//!
//! A convolution is im2col then the MLP's matrix kernel, as on the CPU: its `per_row`
//! setting makes a batch of `n` images `n * h * w` matrix rows. Pooling keeps the index of
//! each maximum; backpropagation routes through it (windows do not overlap, so every
//! thread writes its own element and nothing needs atomics), and col2im gathers rather
//! than scatters for the same reason. The dense layers, loss, penalty and solvers are the
//! MLP's kernels. Rows, weights, moments and every batch buffer stay on the device; an
//! epoch is one upload of the row order and steps, and one read of a few floats per batch.

use super::context::{f32_bytes, u32_bytes, Gpu};
use super::epoch::{submit_steps, sum_batches, STRIDE};
use super::kernels::{mm, Grid, Kernel, Op, Step, Steps, View};
use crate::base::error::{Error, Result};
use crate::base::rng::Rng;
use crate::models::cnn::gpu::CnnJob;
use crate::models::cnn_net::{CnnNet, ConvShape};
use crate::models::mlp_fit::{EpochStats, FitConfig, ValidationStats};
use crate::models::mlp_optim::Solver;

pub use crate::models::mlp_fit::EpochReport as CnnEpoch;

/// Tensors start at multiples of 64 floats (256 bytes) in the parameter buffer.
const ALIGN: usize = 64;
const RELU: u32 = 0;
const IDENTITY: u32 = 3;

/// Where each tensor of `CnnNet::params` sits in the one parameter buffer: every weight
/// matrix first (so the L2 norm is one reduction over a prefix), then the biases.
fn layout(net: &CnnNet) -> (Vec<usize>, usize, usize) {
    let mut at = vec![0; net.params.len()];
    let (mut off, mut weights_end) = (0, 0);
    for parity in [0, 1] {
        if parity == 1 {
            weights_end = off;
        }
        for (t, p) in net.params.iter().enumerate().filter(|(t, _)| t % 2 == parity) {
            at[t] = off;
            off += p.len().div_ceil(ALIGN) * ALIGN;
        }
    }
    (at, weights_end, off)
}

/// Rows and classes as uploaded, and the order batches take them in.
struct Part {
    rows: usize,
    x: wgpu::Buffer,
    y: wgpu::Buffer,
    order: wgpu::Buffer,
}

/// One batch's buffers for a convolution block.
struct Block {
    s: ConvShape,
    cols: wgpu::Buffer,
    relu: wgpu::Buffer,
    pooled: wgpu::Buffer,
    argmax: wgpu::Buffer,
    /// Gradients: of the block's output, of the ReLU outputs, of the im2col rows.
    d_out: wgpu::Buffer,
    d_relu: wgpu::Buffer,
    d_cols: wgpu::Buffer,
}

impl Block {
    fn out(&self) -> View<'_> {
        View::all(if self.s.pooled() { &self.pooled } else { &self.relu })
    }
}

pub struct CnnGpuTrainer {
    gpu: Gpu,
    net: CnnNet,
    config: FitConfig,
    at: Vec<usize>,
    total: usize,
    params: wgpu::Buffer,
    grads: wgpu::Buffer,
    best: wgpu::Buffer,
    stats: wgpu::Buffer,
    steps: Steps,
    train: Part,
    validation: Option<Part>,
    batch: usize,
    image: wgpu::Buffer,
    blocks: Vec<Block>,
    acts: Vec<wgpu::Buffer>,
    /// One batch's dispatches (the solver's last), and the validation pass's.
    train_ops: Vec<Op>,
    val_ops: Vec<Op>,
    order: Vec<usize>,
    shuffle: Rng,
    updates: i32,
    epochs: usize,
    best_value: f64,
    no_improvement: usize,
    has_best: bool,
    stopped_at: Option<usize>,
}

/// What one batch computed, read back for the tests (`CnnGpuTrainer::check_batch`).
#[doc(hidden)]
pub struct BatchCheck {
    pub image: Vec<f32>,
    pub relu: Vec<Vec<f32>>,
    pub pooled: Vec<Vec<f32>>,
    pub dense: Vec<Vec<f32>>,
    pub grads: Vec<Vec<f32>>,
    /// Summed loss and right answers.
    pub loss: f32,
    pub right: f32,
}

impl CnnGpuTrainer {
    pub fn new(gpu: &Gpu, job: &CnnJob) -> Result<CnnGpuTrainer> {
        let net = &job.net;
        if net.filters.is_empty() || net.params.len() != 2 * net.param_shapes().len() {
            return Err(Error::Training("the network has no convolution block or misses weights".into()));
        }
        let d = net.n_inputs();
        let rows = job.y.len();
        if rows == 0 || d == 0 || job.x.len() != rows * d {
            return Err(Error::Data("the training images are empty or not as wide as the network's inputs".into()));
        }
        let k = net.outputs as u32;
        let check = |y: &[u32]| match y.iter().find(|&&c| c >= k) {
            Some(c) => Err(Error::Data(format!("the targets name class {c}, but the network has {k} classes"))),
            None => Ok(()),
        };
        check(&job.y)?;
        if let Some((vx, vy)) = &job.validation {
            check(vy)?;
            if vx.len() != vy.len() * d {
                return Err(Error::Data("the validation images are not as wide as the network's inputs".into()));
            }
        }
        if job.config.early_stopping && job.validation.is_none() {
            return Err(Error::param("early_stopping", true, "false when the split has no validation rows"));
        }
        let (at, weights_end, total) = layout(net);
        let batch = job.config.batch_rows(rows);
        let shapes = net.conv_shapes();
        let kk = net.kernel * net.kernel;
        let limits = gpu.device.limits();
        let widest = shapes.iter().map(|s| s.h * s.w * kk * s.cin).max().unwrap_or(0) * batch;
        let largest = [job.x.len(), job.validation.as_ref().map_or(0, |v| v.0.len()), total, widest]
            .into_iter()
            .max()
            .unwrap_or(0) as u64
            * 4;
        if largest > limits.max_storage_buffer_binding_size as u64 || largest > limits.max_buffer_size {
            return Err(Error::Training(format!(
                "the data ({} MB in one buffer) exceed what this GPU binds at once ({} MB); train on the CPU",
                largest >> 20,
                limits.max_storage_buffer_binding_size >> 20
            )));
        }

        let mut flat = vec![0.0f32; total];
        for (t, p) in net.params.iter().enumerate() {
            flat[at[t]..at[t] + p.len()].copy_from_slice(p);
        }
        let params = gpu.buffer("params", total, Some(&f32_bytes(&flat)));
        let best = gpu.buffer("best params", total, None);
        let grads = gpu.buffer("grads", total, None);
        let m1 = gpu.buffer("moment 1", total, None);
        let adam = matches!(job.config.solver, Solver::Adam { .. });
        let m2 = gpu.buffer("moment 2", if adam { total } else { 1 }, None);
        let dummy = gpu.buffer("unused", ALIGN, None);
        let labels = |y: &[u32]| f32_bytes(&y.iter().map(|&c| c as f32).collect::<Vec<_>>());
        let part = |name: &str, x: &[f32], y: &[u32]| Part {
            rows: y.len(),
            x: gpu.buffer(name, x.len(), Some(&f32_bytes(x))),
            y: gpu.buffer(name, y.len(), Some(&labels(y))),
            order: gpu.buffer("order", y.len(), None),
        };
        let train = part("training images", &job.x, &job.y);
        let validation = job.validation.as_ref().map(|(vx, vy)| {
            let p = part("validation images", vx, vy);
            let identity: Vec<u32> = (0..p.rows as u32).collect();
            gpu.queue.write_buffer(&p.order, 0, &u32_bytes(&identity));
            p
        });
        let batches = rows.div_ceil(batch);
        let chunks = validation.as_ref().map_or(0, |v| v.rows.div_ceil(batch));
        let stats = gpu.buffer("stats", (batches + chunks) * STRIDE, None);
        let steps = Steps::new(gpu, batches + chunks);

        // Which input column fills each pixel (none: u32::MAX, the pixel stays 0).
        let hw = net.h * net.w;
        let mut pix = vec![u32::MAX; hw];
        net.inputs.iter().enumerate().for_each(|(c, &p)| pix[p as usize] = c as u32);
        let pix = gpu.buffer("pixel map", hw, Some(&u32_bytes(&pix)));
        let image = gpu.buffer("images", batch * hw, None);
        let yb = gpu.buffer("batch classes", batch, None);
        let blocks: Vec<Block> = shapes
            .iter()
            .map(|&s| {
                let (maps, pooled) = (batch * s.h * s.w * s.cout, batch * s.oh * s.ow * s.cout);
                let cols = batch * s.h * s.w * kk * s.cin;
                let p = s.pooled();
                Block {
                    s,
                    cols: gpu.buffer("im2col", cols, None),
                    relu: gpu.buffer("relu", maps, None),
                    pooled: gpu.buffer("pooled", if p { pooled } else { 1 }, None),
                    argmax: gpu.buffer("argmax", if p { pooled } else { 1 }, None),
                    d_out: gpu.buffer("block output gradient", pooled, None),
                    d_relu: gpu.buffer("relu gradient", maps, None),
                    d_cols: gpu.buffer("im2col gradient", cols, None),
                }
            })
            .collect();
        let nc = blocks.len();
        let units: Vec<usize> = net.hidden.iter().copied().chain([net.outputs]).collect();
        let acts: Vec<_> = units.iter().map(|&u| gpu.buffer("dense outputs", batch * u, None)).collect();
        let deltas: Vec<_> = units.iter().map(|&u| gpu.buffer("dense deltas", batch * u, None)).collect();
        let w_view = |t: usize| View::at(&params, at[t], net.params[t].len());
        let g_view = |t: usize| View::at(&grads, at[t], net.params[t].len());
        let u32s = |v: &[usize]| -> [u32; 8] {
            let mut p = [0u32; 8];
            v.iter().zip(&mut p).for_each(|(&v, p)| *p = v as u32);
            p
        };
        let fan_in = |d: usize| if d == 0 { net.flat() } else { units[d - 1] };
        let dense_in = |d: usize| if d == 0 { blocks[nc - 1].out() } else { View::all(&acts[d - 1]) };

        let forward = |p: &Part| -> Vec<Op> {
            let mut ops = vec![
                Op::new(
                    gpu,
                    Kernel::CnnImage,
                    u32s(&[d, hw]),
                    &[View::all(&p.x), View::all(&p.order), View::all(&pix), View::all(&image)],
                    Grid::FlatRows(hw as u32),
                ),
                Op::new(
                    gpu,
                    Kernel::Gather,
                    u32s(&[1]),
                    &[View::all(&p.y), View::all(&p.order), View::all(&yb)],
                    Grid::FlatRows(1),
                ),
            ];
            for (l, b) in blocks.iter().enumerate() {
                let s = b.s;
                let (pixels, fan) = (s.h * s.w, kk * s.cin);
                let input = if l == 0 { View::all(&image) } else { blocks[l - 1].out() };
                ops.push(Op::new(
                    gpu,
                    Kernel::CnnIm2col,
                    u32s(&[s.h, s.w, s.cin, net.kernel]),
                    &[input, View::all(&b.cols)],
                    Grid::FlatRows((pixels * fan) as u32),
                ));
                let mut prm = u32s(&[0, s.cout, fan, 0, 0, pixels]);
                prm[3] = mm::M_BATCH | mm::BIAS_ACT | mm::act(RELU);
                ops.push(Op::new(
                    gpu,
                    Kernel::Matmul,
                    prm,
                    &[View::all(&b.cols), w_view(2 * l), w_view(2 * l + 1), View::all(&dummy), View::all(&b.relu)],
                    Grid::Tiles { rows: Some((batch * pixels) as u32), cols: s.cout as u32 },
                ));
                if s.pooled() {
                    ops.push(Op::new(
                        gpu,
                        Kernel::CnnPool,
                        u32s(&[s.h, s.w, s.cout, net.pool, s.oh, s.ow]),
                        &[View::all(&b.relu), View::all(&b.pooled), View::all(&b.argmax)],
                        Grid::FlatRows((s.oh * s.ow * s.cout) as u32),
                    ));
                }
            }
            for (dl, out) in acts.iter().enumerate() {
                let f = if dl + 1 == units.len() { IDENTITY } else { RELU };
                let mut prm = u32s(&[0, units[dl], fan_in(dl)]);
                prm[3] = mm::M_BATCH | mm::BIAS_ACT | mm::act(f);
                let t = 2 * (nc + dl);
                ops.push(Op::new(
                    gpu,
                    Kernel::Matmul,
                    prm,
                    &[dense_in(dl), w_view(t), w_view(t + 1), View::all(&dummy), View::all(out)],
                    Grid::Tiles { rows: None, cols: units[dl] as u32 },
                ));
            }
            let last = units.len() - 1;
            ops.push(Op::new(
                gpu,
                Kernel::Loss,
                u32s(&[0, net.outputs, STRIDE]),
                &[View::all(&acts[last]), View::all(&yb), View::all(&deltas[last]), View::all(&stats)],
                Grid::Single,
            ));
            ops
        };

        let alpha = job.config.alpha;
        // Weight gradient (input^T · delta + alpha W) / n and bias gradient of tensor pair `t`.
        let grad_ops = |t: usize, input: View, delta: View, fan: usize, out: usize, pixels: usize| {
            let mut prm = u32s(&[fan, out, 0, 0, 0, pixels]);
            prm[3] = mm::A_T | mm::K_BATCH | mm::WEIGHT_GRAD;
            prm[4] = alpha.to_bits();
            [
                Op::new(
                    gpu,
                    Kernel::Matmul,
                    prm,
                    &[input, delta, View::all(&dummy), w_view(t), g_view(t)],
                    Grid::Tiles { rows: Some(fan as u32), cols: out as u32 },
                ),
                Op::new(gpu, Kernel::BiasGrad, u32s(&[out, pixels]), &[delta, g_view(t + 1)], Grid::Flat(out as u32)),
            ]
        };
        let mut train_ops = forward(&train);
        if alpha > 0.0 {
            train_ops.push(Op::new(
                gpu,
                Kernel::SqNorm,
                u32s(&[weights_end, STRIDE]),
                &[View::at(&params, 0, weights_end), View::all(&stats)],
                Grid::Single,
            ));
        }
        for dl in (0..units.len()).rev() {
            let t = 2 * (nc + dl);
            let delta = View::all(&deltas[dl]);
            train_ops.extend(grad_ops(t, dense_in(dl), delta, fan_in(dl), units[dl], 0));
            // The gradient of what this layer read: through ReLU below a dense layer, as it
            // is below the convolutions (the pooling backward applies ReLU's there).
            let (flags, extra, below) = if dl > 0 {
                (mm::TIMES_DERIV | mm::act(RELU), View::all(&acts[dl - 1]), View::all(&deltas[dl - 1]))
            } else {
                (0, View::all(&dummy), View::all(&blocks[nc - 1].d_out))
            };
            let mut prm = u32s(&[0, fan_in(dl), units[dl]]);
            prm[3] = mm::B_T | mm::M_BATCH | flags;
            train_ops.push(Op::new(
                gpu,
                Kernel::Matmul,
                prm,
                &[delta, w_view(t), View::all(&dummy), extra, below],
                Grid::Tiles { rows: None, cols: fan_in(dl) as u32 },
            ));
        }
        for (l, b) in blocks.iter().enumerate().rev() {
            let s = b.s;
            let (pixels, fan) = (s.h * s.w, kk * s.cin);
            let argmax = if s.pooled() { &b.argmax } else { &dummy };
            train_ops.push(Op::new(
                gpu,
                Kernel::CnnPoolBack,
                u32s(&[s.h, s.w, s.cout, net.pool, s.oh, s.ow, s.pooled() as usize]),
                &[View::all(&b.d_out), View::all(argmax), View::all(&b.relu), View::all(&b.d_relu)],
                Grid::FlatRows((pixels * s.cout) as u32),
            ));
            train_ops.extend(grad_ops(2 * l, View::all(&b.cols), View::all(&b.d_relu), fan, s.cout, pixels));
            if l > 0 {
                let mut prm = u32s(&[0, fan, s.cout, 0, 0, pixels]);
                prm[3] = mm::B_T | mm::M_BATCH;
                train_ops.push(Op::new(
                    gpu,
                    Kernel::Matmul,
                    prm,
                    &[View::all(&b.d_relu), w_view(2 * l), View::all(&dummy), View::all(&dummy), View::all(&b.d_cols)],
                    Grid::Tiles { rows: Some((batch * pixels) as u32), cols: fan as u32 },
                ));
                train_ops.push(Op::new(
                    gpu,
                    Kernel::CnnCol2im,
                    u32s(&[s.h, s.w, s.cin, net.kernel]),
                    &[View::all(&b.d_cols), View::all(&blocks[l - 1].d_out)],
                    Grid::FlatRows((pixels * s.cin) as u32),
                ));
            }
        }
        let solver = match job.config.solver {
            Solver::Sgd { momentum, nesterov } => [0, nesterov as u32, 0, momentum.to_bits(), 0, 0, 0],
            Solver::Adam { beta_1, beta_2, epsilon } => {
                [1, 0, 0, 0, (beta_1 as f32).to_bits(), (beta_2 as f32).to_bits(), epsilon.to_bits()]
            }
        };
        let mut p = [total as u32; 8];
        p[1..].copy_from_slice(&solver);
        train_ops.push(Op::new(
            gpu,
            Kernel::Optim,
            p,
            &[View::all(&params), View::all(&grads), View::all(&m1), View::all(&m2)],
            Grid::Flat(total as u32),
        ));
        let val_ops = validation.as_ref().map_or_else(Vec::new, forward);
        let (order, shuffle) = job.shuffle();
        Ok(CnnGpuTrainer {
            gpu: gpu.clone(),
            net: net.clone(),
            config: job.config.clone(),
            at,
            total,
            params,
            grads,
            best,
            stats,
            steps,
            train,
            validation,
            batch,
            image,
            blocks,
            acts,
            train_ops,
            val_ops,
            order,
            shuffle,
            updates: 0,
            epochs: job.epochs,
            best_value: f64::INFINITY,
            no_improvement: 0,
            has_best: false,
            stopped_at: None,
        })
    }

    pub fn adapter_name(&self) -> &str {
        self.gpu.adapter_name()
    }

    pub fn epochs(&self) -> usize {
        self.epochs
    }

    pub fn is_done(&self) -> bool {
        self.stopped_at.is_some()
    }

    /// One pass over the training images in shuffled mini-batches, then the validation
    /// loss and the stopping rule (as `CnnTrainer::step`).
    pub async fn epoch(&mut self) -> Result<CnnEpoch> {
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
            let adam_step = match self.config.solver {
                Solver::Adam { beta_1, beta_2, .. } => {
                    let t = self.updates as f64;
                    (self.config.learning_rate_init * libm::sqrt(1.0 - libm::pow(beta_2, t))
                        / (1.0 - libm::pow(beta_1, t))) as f32
                }
                Solver::Sgd { .. } => 0.0,
            };
            let start = b * self.batch;
            steps.push(Step {
                start: start as u32,
                rows: self.batch.min(rows - start) as u32,
                slot: b as u32,
                lr: self.config.learning_rate_init as f32,
                adam_step,
                seed: 0,
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
        let (loss, objective, right) =
            sum_batches(&stats, batches, self.config.alpha as f64, self.epochs, "lower learning_rate_init")?;
        let n = rows as f64;
        let train = EpochStats { loss: loss / n, objective: objective / n, accuracy: Some(right / n) };
        let validation = self.validation.as_ref().map(|v| {
            let part = &stats[batches * STRIDE..];
            let loss: f64 = part.chunks_exact(STRIDE).map(|s| s[0] as f64).sum();
            let right: f64 = part.chunks_exact(STRIDE).map(|s| s[1] as f64).sum();
            ValidationStats { loss: loss / v.rows as f64, accuracy: Some(right / v.rows as f64) }
        });
        let monitored = match validation {
            Some(v) if self.config.early_stopping => v.loss,
            _ => train.objective,
        };
        let done = self.observe(monitored);
        Ok(CnnEpoch { train, validation, done })
    }

    /// `CnnTrainer::observe`: the stopping rule, keeping the best weights on the device.
    fn observe(&mut self, monitored: f64) -> bool {
        if monitored > self.best_value - self.config.tol {
            self.no_improvement += 1;
        } else {
            self.no_improvement = 0;
        }
        if monitored < self.best_value {
            self.best_value = monitored;
            if self.config.early_stopping {
                self.copy(&self.params, &self.best);
                self.has_best = true;
            }
        }
        let done = self.no_improvement > self.config.n_iter_no_change || self.epochs >= self.config.max_iter;
        if done {
            self.stopped_at = Some(self.epochs);
            if self.has_best {
                self.copy(&self.best, &self.params);
            }
        }
        done
    }

    fn copy(&self, from: &wgpu::Buffer, to: &wgpu::Buffer) {
        let mut enc = self.gpu.device.create_command_encoder(&Default::default());
        enc.copy_buffer_to_buffer(from, 0, to, 0, from.size());
        self.gpu.queue.submit([enc.finish()]);
    }

    fn tensors(&self, flat: &[f32]) -> Vec<Vec<f32>> {
        self.net.params.iter().enumerate().map(|(t, p)| flat[self.at[t]..self.at[t] + p.len()].to_vec()).collect()
    }

    /// The current weights (after early stopping, the best ones) as a CPU network.
    pub async fn read_network(&self) -> Result<CnnNet> {
        let flat = self.gpu.read(&self.params, 0, self.total).await?;
        Ok(CnnNet { params: self.tensors(&flat), ..self.net.clone() })
    }

    /// Tests: the forward and backward pass of one batch of the first `rows` training
    /// images in their stored order, without the solver's update, read back stage by stage.
    #[doc(hidden)]
    pub async fn check_batch(&mut self, rows: usize) -> Result<BatchCheck> {
        let gpu = self.gpu.clone();
        let rows = rows.min(self.batch).min(self.train.rows);
        let identity: Vec<u32> = (0..self.train.rows as u32).collect();
        gpu.queue.write_buffer(&self.train.order, 0, &u32_bytes(&identity));
        self.steps.write(&gpu, &[Step { rows: rows as u32, ..Default::default() }]);
        let mut enc = gpu.device.create_command_encoder(&Default::default());
        {
            let mut pass = enc.begin_compute_pass(&Default::default());
            self.steps.bind(&mut pass, 0);
            let solver = self.train_ops.len() - 1;
            self.train_ops[..solver].iter().for_each(|op| op.record(&gpu, &mut pass, rows as u32));
        }
        gpu.queue.submit([enc.finish()]);
        let hw = self.net.h * self.net.w;
        let mut check = BatchCheck {
            image: gpu.read(&self.image, 0, rows * hw).await?,
            relu: vec![],
            pooled: vec![],
            dense: vec![],
            grads: self.tensors(&gpu.read(&self.grads, 0, self.total).await?),
            loss: 0.0,
            right: 0.0,
        };
        for b in &self.blocks {
            let s = b.s;
            check.relu.push(gpu.read(&b.relu, 0, rows * s.h * s.w * s.cout).await?);
            let pooled = if s.pooled() { gpu.read(&b.pooled, 0, rows * s.oh * s.ow * s.cout).await? } else { vec![] };
            check.pooled.push(pooled);
        }
        for a in &self.acts {
            let width = (a.size() / 4) as usize / self.batch;
            check.dense.push(gpu.read(a, 0, rows * width).await?);
        }
        let s = gpu.read(&self.stats, 0, 2).await?;
        (check.loss, check.right) = (s[0], s[1]);
        Ok(check)
    }
}
