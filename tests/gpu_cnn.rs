//! The CNN's GPU trainer against the CPU one: one batch's forward and backward pass stage
//! by stage (images, im2col + convolution + ReLU, max-pooling, dense layers, loss and every
//! gradient), and whole training runs on a digits subset whose per-epoch losses must agree
//! within 1e-3. Runs on any Vulkan adapter (mesa's llvmpipe will do):
//! `XDG_RUNTIME_DIR=/tmp/xdg cargo test --features native-gpu --test gpu_cnn`.
//! Without an adapter every test prints why and passes.
#![cfg(feature = "native-gpu")]

use mlplay::base::rng::Rng;
use mlplay::data::builtin::{self, DatasetSpec};
use mlplay::engine::session::Session;
use mlplay::gpu::{CnnGpuTrainer, Gpu};
use mlplay::kinds::spec_from_json;
use mlplay::models::cnn::gpu::CnnJob;
use mlplay::models::cnn::{CnnParams, CnnTrainer};
use mlplay::models::cnn_net::{CnnNet, CnnWork};
use mlplay::models::mlp_fit::FitConfig;
use mlplay::models::mlp_optim::Solver;
use mlplay::models::{Prediction, Trainer};
use mlplay::state::AppState;
use pollster::block_on;
use serde_json::json;

fn gpu() -> Option<Gpu> {
    match block_on(Gpu::new()) {
        Ok(g) => {
            println!("adapter: {}", g.adapter_name());
            Some(g)
        }
        Err(e) => {
            println!("skipped, no GPU: {e}");
            None
        }
    }
}

fn assert_close(got: &[f32], want: &[f32], tol: f64, what: &str) -> f64 {
    assert_eq!(got.len(), want.len(), "{what}: length");
    let mut worst = 0.0f64;
    for (i, (&g, &w)) in got.iter().zip(want).enumerate() {
        let err = (g as f64 - w as f64).abs() / (1.0 + (w as f64).abs());
        assert!(err <= tol, "{what}: element {i} is {g}, the CPU's {w}");
        worst = worst.max(err);
    }
    worst
}

const ADAM: Solver = Solver::Adam { beta_1: 0.9, beta_2: 0.999, epsilon: 1e-8 };

fn config(solver: Solver, batch_size: usize, alpha: f32) -> FitConfig {
    FitConfig {
        solver,
        learning_rate_init: 0.003,
        alpha,
        batch_size,
        dropout: 0.0,
        max_iter: 5,
        early_stopping: false,
        n_iter_no_change: 10,
        tol: 1e-4,
    }
}

/// One batch through a network of the given shape, on both devices. The input columns
/// fill the pixels in reverse order and leave pixel 0 empty, as the digits' constant
/// corners are left out.
#[allow(clippy::too_many_arguments)]
fn check_batch(gpu: &Gpu, h: usize, w: usize, kernel: usize, pool: usize, filters: &[usize], hidden: &[usize]) {
    let what = format!("{h}x{w} k{kernel} pool{pool} {filters:?} {hidden:?}");
    let mut rng = Rng::new(3);
    let mut net = CnnNet::new(h, w, kernel, pool, filters, hidden, 4, &mut rng);
    for (i, p) in net.params.iter_mut().enumerate() {
        if i % 2 == 1 {
            p.iter_mut().for_each(|b| *b = (rng.uniform() * 0.4 - 0.1) as f32);
        }
    }
    net.inputs = (1..(h * w) as u32).rev().collect();
    let (n, d) = (7, net.n_inputs());
    let x: Vec<f32> = (0..n * d).map(|_| rng.normal() as f32).collect();
    let y: Vec<u32> = (0..n as u32).map(|i| (i * 3) % 4).collect();
    let alpha = 0.3;
    let job = CnnJob {
        net: net.clone(),
        x: x.clone(),
        y: y.clone(),
        validation: None,
        config: config(ADAM, 8, alpha),
        seed: 1,
        epochs: 0,
    };
    let mut trainer = CnnGpuTrainer::new(gpu, &job).unwrap();
    let got = block_on(trainer.check_batch(n)).unwrap();
    let mut ws = CnnWork::default();
    let (loss, _) = net.gradient(&x, n, &y, alpha, &mut ws);
    let tol = 1e-4;
    let mut worst = assert_close(&got.image, &ws.image, 0.0, &format!("{what}: images"));
    for (l, s) in net.conv_shapes().iter().enumerate() {
        worst = worst.max(assert_close(&got.relu[l], &ws.relu[l], tol, &format!("{what}: conv {l} ReLU")));
        if s.pooled() {
            worst = worst.max(assert_close(&got.pooled[l], &ws.pooled[l], tol, &format!("{what}: pool {l}")));
        }
    }
    for (l, a) in ws.dense.iter().enumerate() {
        worst = worst.max(assert_close(&got.dense[l], a, tol, &format!("{what}: dense {l}")));
    }
    for (t, g) in ws.grads.iter().enumerate() {
        worst = worst.max(assert_close(&got.grads[t], g, tol, &format!("{what}: gradient of tensor {t}")));
    }
    let gpu_loss = got.loss as f64 / n as f64;
    assert!((gpu_loss - loss).abs() <= 1e-5 * loss, "{what}: loss {gpu_loss} vs {loss}");
    let right = ws.logits().chunks_exact(4).zip(&y).filter(|(z, &c)| {
        let best = z.iter().enumerate().fold(0, |b, (j, &v)| if v > z[b] { j } else { b });
        best == c as usize
    });
    assert_eq!(got.right as usize, right.count(), "{what}: right answers");
    println!("{what}: worst relative gap {worst:.1e}, loss {loss:.6}");
}

#[test]
fn one_batch_matches_the_cpu_stage_by_stage() {
    let Some(gpu) = gpu() else { return };
    // Non-square, two pooled blocks, a dense layer.
    check_batch(&gpu, 6, 5, 3, 2, &[3, 4], &[5]);
    // 7x7 pools to 3x3 (the last row and column are dropped), then to 1x1.
    check_batch(&gpu, 7, 7, 3, 2, &[2, 3], &[]);
    // No pooling, a 5x5 kernel, no hidden layer.
    check_batch(&gpu, 4, 4, 5, 1, &[2], &[]);
    // The digits' size with the defaults' shape, 3x3 pooling leaving 2x2.
    check_batch(&gpu, 8, 8, 3, 3, &[16, 32], &[32]);
}

/// A cnn with `params` on the first 300 digits.
fn digits_session(params: &serde_json::Value) -> Session {
    let mut model = params.clone();
    model["kind"] = json!("cnn");
    let text = std::fs::read_to_string("www/data/digits.csv").expect("digits.csv");
    let subset: Vec<&str> = text.lines().take(301).collect();
    let st = AppState {
        dataset: DatasetSpec::new("digits"),
        model: spec_from_json(model).unwrap(),
        seed: 5,
        ..Default::default()
    };
    let ds = builtin::load(&st.dataset, Some(&subset.join("\n")), st.seed).unwrap();
    Session::new(st, &ds).unwrap()
}

/// Trains the same CNN on both devices epoch by epoch; returns the worst relative
/// difference of the training and validation losses.
fn compare(gpu: &Gpu, name: &str, params: serde_json::Value) -> f64 {
    let session = digits_session(&params);
    let data = session.data();
    let params: CnnParams = serde_json::from_value(params).unwrap();
    let mut cpu = CnnTrainer::new(&params, data, 5).unwrap();
    let job = cpu.cnn_job(data).expect("a job");
    let start = job.net.clone();
    let mut trainer = CnnGpuTrainer::new(gpu, &job).unwrap();
    let rel = |a: f64, b: f64| (a - b).abs() / b.abs().max(1e-12);
    let mut worst = 0.0f64;
    for epoch in 1.. {
        let c = cpu.step(data).unwrap();
        let g = block_on(trainer.epoch()).unwrap();
        let dl = rel(g.train.loss, c.train_loss);
        worst = worst.max(dl);
        let mut line =
            format!("{name} epoch {epoch}: loss cpu {:.6} gpu {:.6} (rel {dl:.1e})", c.train_loss, g.train.loss);
        if let (Some(cv), Some(gv)) = (c.validation_loss, g.validation) {
            let dv = rel(gv.loss, cv);
            worst = worst.max(dv);
            line += &format!(", validation cpu {cv:.6} gpu {:.6} (rel {dv:.1e})", gv.loss);
        }
        println!("{line}");
        assert_eq!(cpu.is_done(), g.done, "{name}: both stop at epoch {epoch}");
        if g.done {
            break;
        }
    }
    // The trained weights come back and classify the training rows as the CPU's do.
    let net = block_on(trainer.read_network()).unwrap();
    let x = &data.train.x;
    let cpu_model = cpu.model().unwrap();
    let Prediction::Proba(want) = cpu_model.predict(x) else { panic!("probabilities") };
    let moved = net.params.iter().flatten().zip(start.params.iter().flatten()).map(|(a, b)| (a - b).abs());
    assert!(moved.fold(0.0f32, f32::max) > 1e-2, "{name}: the weights hardly moved");
    let mut gpu_model = CnnTrainer::new(&params, data, 5).unwrap();
    Trainer::set_cnn_network(&mut gpu_model, net).unwrap();
    let Prediction::Proba(got) = gpu_model.model().unwrap().predict(x) else { panic!("probabilities") };
    let dp = got.iter().zip(want.iter()).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
    println!("{name}: worst relative loss difference {worst:.1e}, largest probability difference {dp:.1e}");
    assert!(dp < 1e-2, "{name}: the read-back network's probabilities differ by {dp}");
    assert!(worst < 1e-3, "{name}: the GPU's losses drift from the CPU's by {worst:.1e}");
    worst
}

#[test]
fn digits_train_alike_on_gpu_and_cpu() {
    let Some(gpu) = gpu() else { return };
    let params = json!({"filters": [4, 8], "hidden_layer_sizes": [16], "max_iter": 4, "batch_size": 32});
    compare(&gpu, "adam", params);
    // SGD with momentum, batches of 50 (the last one short), early stopping that restores
    // the best weights when it ends.
    let params = json!({"filters": [6], "kernel_size": 5, "hidden_layer_sizes": [], "solver": "sgd",
        "learning_rate_init": 0.05, "batch_size": 50, "max_iter": 6, "early_stopping": true,
        "n_iter_no_change": 1, "tol": 0.05});
    compare(&gpu, "sgd", params);
}

#[test]
fn the_session_records_the_gpus_epochs() {
    let Some(gpu) = gpu() else { return };
    let params = json!({"filters": [4], "hidden_layer_sizes": [], "max_iter": 3});
    let mut s = digits_session(&params);
    let job = s.cnn_job().expect("a cnn job");
    assert!(s.fit_job().is_none(), "the MLP's job is not the cnn's");
    let mut trainer = CnnGpuTrainer::new(&gpu, &job).unwrap();
    loop {
        let e = block_on(trainer.epoch()).unwrap();
        let net = e.done.then(|| block_on(trainer.read_network()).unwrap());
        s.apply_cnn_epoch(&e, net, 1.0).unwrap();
        if e.done {
            break;
        }
    }
    assert!(s.is_done());
    assert_eq!(s.steps_done(), 3);
    assert!(s.cnn_job().is_none(), "nothing is left to train");
    let net = block_on(trainer.read_network()).unwrap();
    let x = &s.data().validation.x;
    let mut cpu = CnnTrainer::new(&serde_json::from_value(params).unwrap(), s.data(), 5).unwrap();
    Trainer::set_cnn_network(&mut cpu, net).unwrap();
    let snap = s.snapshot();
    println!("snapshot step {} of {}", snap.step, s.steps_total());
    let a = match cpu.model().unwrap().predict(x) {
        Prediction::Proba(p) => p,
        _ => panic!("probabilities"),
    };
    let Prediction::Proba(b) = s.model().unwrap().predict(x) else { panic!("probabilities") };
    assert_eq!(a, b, "the session's model is the network read back");
}
