//! Single kernels run once on given inputs, so the tests can hold each against a CPU
//! reference. Not for training (that keeps everything on the device).

use super::context::{f32_bytes, Gpu};
use super::kernels::{mm, Grid, Kernel, Op, Step, Steps, View};
use super::mlp_train::act_code;
use crate::base::error::Result;
use crate::models::mlp_net::{Activation, Loss};
use crate::models::mlp_optim::Solver;

/// What the matrix product does with each element of its result.
pub enum Epilogue<'a> {
    Plain,
    /// `act(c + bias[j])`.
    BiasAct {
        bias: &'a [f32],
        activation: Activation,
    },
    /// `(c + alpha w) / k`, `w` shaped as the result.
    WeightGrad {
        w: &'a [f32],
        alpha: f32,
    },
    /// `c * f'(a)` with `a` the activation's outputs, shaped as the result.
    TimesDeriv {
        outputs: &'a [f32],
        activation: Activation,
    },
}

/// Runs the ops on one step with `rows` batch rows, then reads `floats` of `out`.
async fn run(gpu: &Gpu, ops: &[Op], rows: usize, out: &wgpu::Buffer, floats: usize) -> Result<Vec<f32>> {
    let steps = Steps::new(gpu, 1);
    steps.write(gpu, &[Step { rows: rows as u32, ..Default::default() }]);
    let mut enc = gpu.device.create_command_encoder(&Default::default());
    {
        let mut pass = enc.begin_compute_pass(&Default::default());
        steps.bind(&mut pass, 0);
        ops.iter().for_each(|op| op.record(gpu, &mut pass, rows as u32));
    }
    gpu.queue.submit([enc.finish()]);
    gpu.read(out, 0, floats).await
}

/// `op(a) · op(b)` (`m x n`, inner dimension `k`), `a` stored `m x k` (or `k x m` with
/// `a_t`), `b` stored `k x n` (or `n x k` with `b_t`).
#[allow(clippy::too_many_arguments)]
pub async fn matmul(
    gpu: &Gpu,
    a: &[f32],
    b: &[f32],
    (m, n, k): (usize, usize, usize),
    a_t: bool,
    b_t: bool,
    epilogue: Epilogue<'_>,
) -> Result<Vec<f32>> {
    let buf = |v: &[f32]| gpu.buffer("input", v.len(), Some(&f32_bytes(v)));
    let (ba, bb, c) = (buf(a), buf(b), gpu.buffer("output", m * n, None));
    let dummy = gpu.buffer("unused", 1, None);
    let mut flags = if a_t { mm::A_T } else { 0 } | if b_t { mm::B_T } else { 0 };
    let mut alpha = 0.0f32;
    let (bias, extra) = match epilogue {
        Epilogue::Plain => (dummy.clone(), dummy.clone()),
        Epilogue::BiasAct { bias, activation } => {
            flags |= mm::BIAS_ACT | mm::act(act_code(activation));
            (buf(bias), dummy.clone())
        }
        Epilogue::WeightGrad { w, alpha: a } => {
            flags |= mm::WEIGHT_GRAD;
            alpha = a;
            (dummy.clone(), buf(w))
        }
        Epilogue::TimesDeriv { outputs, activation } => {
            flags |= mm::TIMES_DERIV | mm::act(act_code(activation));
            (dummy.clone(), buf(outputs))
        }
    };
    let params = [m as u32, n as u32, k as u32, flags, alpha.to_bits(), 0, 0, 0];
    let views = [View::all(&ba), View::all(&bb), View::all(&bias), View::all(&extra), View::all(&c)];
    let op = Op::new(gpu, Kernel::Matmul, params, &views, Grid::Tiles { rows: Some(m as u32), cols: n as u32 });
    run(gpu, &[op], 0, &c, m * n).await
}

/// The loss kernel on `n` rows of raw outputs `k` wide: (delta, summed loss, right answers).
/// `targets` are class indices as f32, or `n x k` values for `Loss::Squared`.
pub async fn loss(
    gpu: &Gpu,
    loss: Loss,
    outputs: &[f32],
    targets: &[f32],
    n: usize,
    k: usize,
) -> Result<(Vec<f32>, f32, f32)> {
    let o = gpu.buffer("outputs", outputs.len(), Some(&f32_bytes(outputs)));
    let t = gpu.buffer("targets", targets.len(), Some(&f32_bytes(targets)));
    let delta = gpu.buffer("delta", n * k, None);
    let stats = gpu.buffer("stats", 4, None);
    let kind = match loss {
        Loss::Softmax => 0,
        Loss::Logistic => 1,
        Loss::Squared => 2,
    };
    let views = [View::all(&o), View::all(&t), View::all(&delta), View::all(&stats)];
    let op = Op::new(gpu, Kernel::Loss, [kind, k as u32, 4, 0, 0, 0, 0, 0], &views, Grid::Single);
    let d = run(gpu, &[op], n, &delta, n * k).await?;
    let s = gpu.read(&stats, 0, 2).await?;
    Ok((d, s[0], s[1]))
}

/// The column means of `delta` (`n x k`), as the bias gradient.
pub async fn bias_grad(gpu: &Gpu, delta: &[f32], n: usize, k: usize) -> Result<Vec<f32>> {
    let d = gpu.buffer("delta", delta.len(), Some(&f32_bytes(delta)));
    let g = gpu.buffer("grad", k, None);
    let op = Op::new(
        gpu,
        Kernel::BiasGrad,
        [k as u32, 0, 0, 0, 0, 0, 0, 0],
        &[View::all(&d), View::all(&g)],
        Grid::Flat(k as u32),
    );
    run(gpu, &[op], n, &g, k).await
}

/// One solver update `t` (1-based) of parameters `p` with gradients `g` and moments
/// `m1`, `m2` (Adam only): returns the new (p, m1, m2).
#[allow(clippy::too_many_arguments)]
pub async fn optimizer_step(
    gpu: &Gpu,
    solver: Solver,
    lr: f64,
    t: i32,
    p: &[f32],
    g: &[f32],
    m1: &[f32],
    m2: &[f32],
) -> Result<(Vec<f32>, Vec<f32>, Vec<f32>)> {
    let buf = |v: &[f32]| gpu.buffer("tensor", v.len(), Some(&f32_bytes(v)));
    let (bp, bg, b1, b2) = (buf(p), buf(g), buf(m1), buf(m2));
    let (words, adam_step) = match solver {
        Solver::Sgd { momentum, nesterov } => ([0, nesterov as u32, 0, momentum.to_bits(), 0, 0, 0], 0.0),
        Solver::Adam { beta_1, beta_2, epsilon } => (
            [1, 0, 0, 0, (beta_1 as f32).to_bits(), (beta_2 as f32).to_bits(), epsilon.to_bits()],
            (lr * libm::sqrt(1.0 - libm::pow(beta_2, t as f64)) / (1.0 - libm::pow(beta_1, t as f64))) as f32,
        ),
    };
    let mut params = [p.len() as u32; 8];
    params[1..].copy_from_slice(&words);
    let views = [View::all(&bp), View::all(&bg), View::all(&b1), View::all(&b2)];
    let op = Op::new(gpu, Kernel::Optim, params, &views, Grid::Flat(p.len() as u32));
    let steps = Steps::new(gpu, 1);
    steps.write(gpu, &[Step { lr: lr as f32, adam_step, ..Default::default() }]);
    let mut enc = gpu.device.create_command_encoder(&Default::default());
    {
        let mut pass = enc.begin_compute_pass(&Default::default());
        steps.bind(&mut pass, 0);
        op.record(gpu, &mut pass, 0);
    }
    gpu.queue.submit([enc.finish()]);
    Ok((gpu.read(&bp, 0, p.len()).await?, gpu.read(&b1, 0, p.len()).await?, gpu.read(&b2, 0, m2.len()).await?))
}
