//! Entry point for the browser benchmark bench/cnn.mjs: the cnn kind's CPU training (the
//! network, mini-batch loop and Adam of `models::cnn`), timed inside the page on data
//! handed in by JS, to set against TensorFlow.js on the same network.

use wasm_bindgen::prelude::*;

use super::js_err;
use crate::base::clock::now_ms;
use crate::base::rng::Rng;
use crate::data::builtin::{generate_table, DatasetSpec};
use crate::data::table::ColumnData;
use crate::models::cnn_net::{CnnNet, CnnOptimizer, CnnWork};
use crate::models::mlp_optim::Solver;

/// Milliseconds for `epochs` epochs after one untimed epoch, and the last epoch's mean
/// training loss: `[ms, loss]`. `x` holds `h * w` pixels per image, row by row; the
/// network is `filters` 3x3 convolution blocks (ReLU, 2x2 max-pool), `hidden` dense ReLU
/// layers and a softmax; shuffled mini-batches of `batch`, Adam at `learning_rate`, no
/// penalty.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn bench_cnn_cpu(
    x: Vec<f32>,
    y: Vec<u32>,
    h: usize,
    w: usize,
    filters: Vec<u32>,
    hidden: Vec<u32>,
    classes: usize,
    batch: usize,
    learning_rate: f64,
    epochs: usize,
) -> Vec<f64> {
    let filters: Vec<usize> = filters.iter().map(|&f| f as usize).collect();
    let hidden: Vec<usize> = hidden.iter().map(|&u| u as usize).collect();
    let mut net = CnnNet::new(h, w, 3, 2, &filters, &hidden, classes, &mut Rng::new(1));
    let adam = Solver::Adam { beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 };
    let mut opt = CnnOptimizer::new(adam, learning_rate, &net);
    let (d, n) = (h * w, y.len());
    let mut order: Vec<usize> = (0..n).collect();
    let (mut shuffle, mut ws) = (Rng::new(2), CnnWork::default());
    let mut bx = Vec::with_capacity(batch * d);
    let mut epoch = || {
        shuffle.shuffle(&mut order);
        let mut loss = 0.0;
        for idx in order.chunks(batch.max(1)) {
            bx.clear();
            idx.iter().for_each(|&i| bx.extend_from_slice(&x[i * d..(i + 1) * d]));
            let by: Vec<u32> = idx.iter().map(|&i| y[i]).collect();
            let (l, _) = net.gradient(&bx, idx.len(), &by, 0.0, &mut ws);
            loss += l * idx.len() as f64;
            opt.update(&mut net, &ws.grads);
        }
        loss / n as f64
    };
    epoch();
    let t0 = now_ms();
    let mut loss = 0.0;
    for _ in 0..epochs {
        loss = epoch();
    }
    vec![now_ms() - t0, loss]
}

/// The generated `shapes` set as the page makes it for `n_samples` and `seed` (default
/// noise): per row its 256 pixels, then its class's index.
#[wasm_bindgen]
pub fn bench_shapes(n_samples: u32, seed: u32) -> Result<Vec<f32>, JsError> {
    let spec = DatasetSpec { n_samples, ..DatasetSpec::new("shapes") };
    let table = generate_table(&spec, seed).map_err(js_err)?;
    let n = table.n_rows();
    let mut out = vec![0.0f32; n * table.columns.len()];
    let stride = table.columns.len();
    for (j, col) in table.columns.iter().enumerate() {
        for r in 0..n {
            out[r * stride + j] = match &col.data {
                ColumnData::Numeric(v) => v[r] as f32,
                ColumnData::Categorical { codes, .. } => codes[r] as f32,
            };
        }
    }
    Ok(out)
}
