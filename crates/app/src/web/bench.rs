//! Entry points for the browser benchmark (bench/mlp.mjs): MLP training and the matrix
//! product on the CPU (wasm) and on WebGPU, timed inside the page, data handed in by JS.

use wasm_bindgen::prelude::*;

use super::js_err;
use crate::base::clock::now_ms;
use crate::base::rng::Rng;
use crate::gpu::{bench::gemm_gflops, Gpu, GpuTrainer};
use crate::linalg::matmul::{gemm_acc, Operand};
use crate::models::mlp_fit::{Fit, FitConfig, FitTargets, STREAM_INIT};
use crate::models::mlp_net::{Activation, Loss, Network};
use crate::models::mlp_optim::Solver;

/// The benchmark's network (relu hidden layers, softmax) and Adam at 1e-3, no penalty.
fn setup(d: usize, hidden: &[u32], classes: usize, batch: usize, epochs: usize) -> (Network, FitConfig) {
    let sizes: Vec<usize> = std::iter::once(d).chain(hidden.iter().map(|&h| h as usize)).chain([classes]).collect();
    let net = Network::new(&sizes, Activation::Relu, Loss::Softmax, &mut Rng::derive(1, STREAM_INIT));
    let config = FitConfig {
        solver: Solver::Adam { beta_1: 0.9, beta_2: 0.999, epsilon: 1e-8 },
        learning_rate_init: 1e-3,
        alpha: 0.0,
        batch_size: batch,
        dropout: 0.0,
        max_iter: epochs + 1,
        early_stopping: false,
        n_iter_no_change: usize::MAX / 2,
        tol: 0.0,
    };
    (net, config)
}

/// Milliseconds for `epochs` epochs on the CPU after one untimed epoch, and the last
/// epoch's mean training loss: `[ms, loss]`.
#[wasm_bindgen]
pub fn bench_mlp_cpu(
    x: Vec<f32>,
    y: Vec<u32>,
    d: usize,
    hidden: Vec<u32>,
    classes: usize,
    batch: usize,
    epochs: usize,
) -> Result<Vec<f64>, JsError> {
    let (net, config) = setup(d, &hidden, classes, batch, epochs);
    let mut fit = Fit::new(net, x, FitTargets::Classes(y), config, 1);
    fit.epoch().map_err(js_err)?;
    let t0 = now_ms();
    let mut loss = 0.0;
    for _ in 0..epochs {
        loss = fit.epoch().map_err(js_err)?.loss;
    }
    Ok(vec![now_ms() - t0, loss])
}

/// As `bench_mlp_cpu`, on WebGPU (each epoch ends with its statistics read back).
#[wasm_bindgen]
pub async fn bench_mlp_gpu(
    x: Vec<f32>,
    y: Vec<u32>,
    d: usize,
    hidden: Vec<u32>,
    classes: usize,
    batch: usize,
    epochs: usize,
) -> Result<Vec<f64>, JsError> {
    let (net, config) = setup(d, &hidden, classes, batch, epochs);
    let gpu = Gpu::new().await.map_err(js_err)?;
    let mut t = GpuTrainer::new(&gpu, &net, &x, &FitTargets::Classes(y), None, &config, 1).map_err(js_err)?;
    t.epoch().await.map_err(js_err)?;
    let t0 = now_ms();
    let mut loss = 0.0;
    for _ in 0..epochs {
        loss = t.epoch().await.map_err(js_err)?.train.loss;
    }
    Ok(vec![now_ms() - t0, loss])
}

/// GFLOP/s of the CPU's packed matrix product (`n x n` by `n x n`) over about half a second.
#[wasm_bindgen]
pub fn bench_gemm_cpu(n: usize) -> f64 {
    let a: Vec<f32> = (0..n * n).map(|i| ((i * 7919 % 1000) as f32 - 500.0) * 1e-3).collect();
    let mut c = vec![0.0f32; n * n];
    let (t0, mut reps) = (now_ms(), 0usize);
    while reps == 0 || now_ms() - t0 < 500.0 {
        gemm_acc(Operand::new(&a, n, n), Operand::new(&a, n, n), &mut c);
        reps += 1;
    }
    2.0 * (n * n * n) as f64 * reps as f64 / ((now_ms() - t0) * 1e6)
}

/// GFLOP/s of the WebGPU matrix-product kernel.
#[wasm_bindgen]
pub async fn bench_gemm_gpu(n: usize) -> Result<f64, JsError> {
    let gpu = Gpu::new().await.map_err(js_err)?;
    gemm_gflops(&gpu, n).await.map_err(js_err)
}
