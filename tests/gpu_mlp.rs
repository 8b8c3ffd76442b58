//! The GPU trainer against the CPU one: each kernel against a CPU reference on shapes that
//! are not multiples of the 64 x 64 tile, and whole training runs (same network, seed and
//! data) whose per-epoch losses must agree. Runs on any Vulkan adapter (mesa's llvmpipe
//! will do): `XDG_RUNTIME_DIR=/tmp/xdg cargo test --features native-gpu --test gpu_mlp`.
//! Without an adapter every test prints why and passes.
#![cfg(feature = "native-gpu")]

use mlplay::base::rng::Rng;
use mlplay::gpu::check::{self, Epilogue};
use mlplay::gpu::{Gpu, GpuTrainer};
use mlplay::models::mlp_fit::{count_correct, Fit, FitConfig, FitTargets, STREAM_INIT};
use mlplay::models::mlp_net::{tanh, Activation, Loss, Network};
use mlplay::models::mlp_optim::{Optimizer, Solver};
use pollster::block_on;

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

fn normal(n: usize, rng: &mut Rng) -> Vec<f32> {
    (0..n).map(|_| rng.normal() as f32).collect()
}

/// op(a) · op(b) in f64.
fn reference(a: &[f32], b: &[f32], (m, n, k): (usize, usize, usize), a_t: bool, b_t: bool) -> Vec<f64> {
    let mut c = vec![0.0; m * n];
    for i in 0..m {
        for j in 0..n {
            c[i * n + j] = (0..k)
                .map(|p| {
                    let x = if a_t { a[p * m + i] } else { a[i * k + p] };
                    let y = if b_t { b[j * k + p] } else { b[p * n + j] };
                    x as f64 * y as f64
                })
                .sum();
        }
    }
    c
}

fn assert_close(got: &[f32], want: &[f64], tol: f64, what: &str) -> f64 {
    assert_eq!(got.len(), want.len(), "{what}: length");
    let mut worst = 0.0f64;
    for (i, (&g, &w)) in got.iter().zip(want).enumerate() {
        let err = (g as f64 - w).abs() / (1.0 + w.abs());
        assert!(err <= tol, "{what}: element {i} is {g}, expected {w}");
        worst = worst.max(err);
    }
    worst
}

const SHAPES: [(usize, usize, usize); 7] =
    [(1, 1, 1), (3, 5, 7), (64, 64, 64), (65, 33, 17), (100, 70, 129), (7, 200, 3), (130, 1, 67)];

#[test]
fn matmul_matches_the_cpu_in_every_layout() {
    let Some(gpu) = gpu() else { return };
    let mut rng = Rng::new(1);
    let mut worst = 0.0f64;
    for (m, n, k) in SHAPES {
        for (a_t, b_t) in [(false, false), (true, false), (false, true), (true, true)] {
            let a = normal(m * k, &mut rng);
            let b = normal(k * n, &mut rng);
            let got = block_on(check::matmul(&gpu, &a, &b, (m, n, k), a_t, b_t, Epilogue::Plain)).unwrap();
            let want = reference(&a, &b, (m, n, k), a_t, b_t);
            worst = worst.max(assert_close(&got, &want, 1e-5, &format!("{m}x{n}x{k} a_t={a_t} b_t={b_t}")));
        }
    }
    println!("matmul: worst relative error {worst:.2e}");
}

fn activate(v: f64, f: Activation) -> f64 {
    let v = v as f32;
    (match f {
        Activation::Relu => v.max(0.0),
        Activation::Tanh => tanh(v),
        Activation::Logistic => 0.5 + 0.5 * tanh(0.5 * v),
        Activation::Identity => v,
    }) as f64
}

#[test]
fn matmul_epilogues_add_bias_activate_and_backpropagate() {
    let Some(gpu) = gpu() else { return };
    let mut rng = Rng::new(2);
    let (m, n, k) = (67, 45, 30);
    let a = normal(m * k, &mut rng);
    let b = normal(k * n, &mut rng);
    let plain = reference(&a, &b, (m, n, k), false, false);
    let bias = normal(n, &mut rng);
    for f in [Activation::Relu, Activation::Tanh, Activation::Logistic, Activation::Identity] {
        let got = block_on(check::matmul(
            &gpu,
            &a,
            &b,
            (m, n, k),
            false,
            false,
            Epilogue::BiasAct { bias: &bias, activation: f },
        ))
        .unwrap();
        let want: Vec<f64> = plain.iter().enumerate().map(|(o, &c)| activate(c + bias[o % n] as f64, f)).collect();
        assert_close(&got, &want, 1e-5, &format!("bias + {f:?}"));
        // The derivative, from the activation's outputs (want, as f32).
        let outs: Vec<f32> = want.iter().map(|&v| v as f32).collect();
        let got = block_on(check::matmul(
            &gpu,
            &a,
            &b,
            (m, n, k),
            false,
            false,
            Epilogue::TimesDeriv { outputs: &outs, activation: f },
        ))
        .unwrap();
        let want: Vec<f64> = plain
            .iter()
            .zip(&outs)
            .map(|(&c, &y)| {
                let y = y as f64;
                c * match f {
                    Activation::Relu => (y > 0.0) as u8 as f64,
                    Activation::Tanh => 1.0 - y * y,
                    Activation::Logistic => y * (1.0 - y),
                    Activation::Identity => 1.0,
                }
            })
            .collect();
        assert_close(&got, &want, 1e-5, &format!("times {f:?}'"));
    }
    let w = normal(m * n, &mut rng);
    let got =
        block_on(check::matmul(&gpu, &a, &b, (m, n, k), false, false, Epilogue::WeightGrad { w: &w, alpha: 0.3 }))
            .unwrap();
    let want: Vec<f64> = plain.iter().zip(&w).map(|(&c, &w)| (c + 0.3 * w as f64) / k as f64).collect();
    assert_close(&got, &want, 1e-5, "weight gradient");
}

#[test]
fn loss_kernel_gives_softmax_logistic_and_squared_gradients() {
    let Some(gpu) = gpu() else { return };
    let mut rng = Rng::new(3);
    for (loss, n, k) in
        [(Loss::Softmax, 300, 10), (Loss::Softmax, 7, 3), (Loss::Logistic, 261, 1), (Loss::Squared, 77, 5)]
    {
        let z: Vec<f32> = (0..n * k).map(|_| 3.0 * rng.normal() as f32).collect();
        let classes = if loss == Loss::Logistic { 2 } else { k as u64 };
        let targets: Vec<f32> = match loss {
            Loss::Squared => normal(n * k, &mut rng),
            _ => (0..n).map(|_| rng.below(classes) as f32).collect(),
        };
        let (delta, total, right) = block_on(check::loss(&gpu, loss, &z, &targets, n, k)).unwrap();
        let (mut want_delta, mut want_total, mut want_right) = (vec![0.0f64; n * k], 0.0f64, 0.0f64);
        for i in 0..n {
            let row = &z[i * k..(i + 1) * k];
            match loss {
                Loss::Softmax => {
                    let c = targets[i] as usize;
                    let lse = libm::log(row.iter().map(|&v| libm::exp(v as f64)).sum::<f64>());
                    want_total += lse - row[c] as f64;
                    for j in 0..k {
                        want_delta[i * k + j] = libm::exp(row[j] as f64 - lse) - (j == c) as u8 as f64;
                    }
                    let best = (0..k).fold(0, |b, j| if row[j] > row[b] { j } else { b });
                    want_right += (best == c) as u8 as f64;
                }
                Loss::Logistic => {
                    let (z, t) = (row[0] as f64, targets[i] as f64);
                    want_total += libm::log(1.0 + libm::exp(z)) - t * z;
                    want_delta[i] = 1.0 / (1.0 + libm::exp(-z)) - t;
                    want_right += ((z > 0.0) == (t == 1.0)) as u8 as f64;
                }
                Loss::Squared => {
                    for j in 0..k {
                        let e = row[j] as f64 - targets[i * k + j] as f64;
                        want_total += 0.5 * e * e;
                        want_delta[i * k + j] = e;
                    }
                }
            }
        }
        assert_close(&delta, &want_delta, 1e-5, &format!("{loss:?} delta"));
        assert!(((total as f64 - want_total) / want_total).abs() < 1e-5, "{loss:?} loss {total} vs {want_total}");
        assert_eq!(right as f64, if loss == Loss::Squared { 0.0 } else { want_right }, "{loss:?} right answers");
    }
}

#[test]
fn bias_gradient_is_the_column_mean() {
    let Some(gpu) = gpu() else { return };
    let (n, k) = (203, 70);
    let d = normal(n * k, &mut Rng::new(4));
    let got = block_on(check::bias_grad(&gpu, &d, n, k)).unwrap();
    let want: Vec<f64> = (0..k).map(|j| (0..n).map(|i| d[i * k + j] as f64).sum::<f64>() / n as f64).collect();
    assert_close(&got, &want, 1e-6, "bias gradient");
}

/// Three updates of every solver on the GPU and with `mlp_optim::Optimizer`.
#[test]
fn optimizer_steps_match_the_cpu() {
    let Some(gpu) = gpu() else { return };
    let solvers = [
        Solver::Adam { beta_1: 0.9, beta_2: 0.999, epsilon: 1e-8 },
        Solver::Sgd { momentum: 0.9, nesterov: true },
        Solver::Sgd { momentum: 0.5, nesterov: false },
        Solver::Sgd { momentum: 0.0, nesterov: false },
    ];
    for solver in solvers {
        let mut rng = Rng::new(5);
        let mut net = Network::new(&[33, 9], Activation::Relu, Loss::Squared, &mut rng);
        let mut opt = Optimizer::new(solver, 0.01, &net);
        let mut p: Vec<f32> = net.weights[0].iter().chain(&net.biases[0]).copied().collect();
        let (mut m1, mut m2) = (vec![0.0; p.len()], vec![0.0; p.len()]);
        for t in 1..=3 {
            let gw = normal(33 * 9, &mut rng);
            let gb = normal(9, &mut rng);
            opt.update(&mut net, std::slice::from_ref(&gw), std::slice::from_ref(&gb));
            let g: Vec<f32> = gw.iter().chain(&gb).copied().collect();
            (p, m1, m2) = block_on(check::optimizer_step(&gpu, solver, 0.01, t, &p, &g, &m1, &m2)).unwrap();
        }
        let want: Vec<f64> = net.weights[0].iter().chain(&net.biases[0]).map(|&v| v as f64).collect();
        assert_close(&p, &want, 1e-6, &format!("{solver:?}"));
    }
}

/// Two interleaving half circles, as `make_moons`, with noise.
fn moons(n: usize, rng: &mut Rng) -> (Vec<f32>, Vec<u32>) {
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for i in 0..n {
        let c = (i % 2) as u32;
        let t = std::f64::consts::PI * rng.uniform();
        let (px, py) = if c == 0 { (libm::cos(t), libm::sin(t)) } else { (1.0 - libm::cos(t), 0.5 - libm::sin(t)) };
        x.push((px + 0.2 * rng.normal()) as f32);
        x.push((py + 0.2 * rng.normal()) as f32);
        y.push(c);
    }
    (x, y)
}

/// Digits, pixels scaled to [0, 1]: (x, labels).
fn digits() -> (Vec<f32>, Vec<u32>) {
    let text = std::fs::read_to_string("/work/main/www/data/digits.csv")
        .or_else(|_| std::fs::read_to_string("www/data/digits.csv"))
        .expect("digits.csv");
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for line in text.lines().skip(1) {
        let v: Vec<f32> = line.split(',').map(|s| s.trim().parse().unwrap()).collect();
        x.extend(v[..64].iter().map(|p| p / 16.0));
        y.push(v[64] as u32);
    }
    (x, y)
}

fn config(solver: Solver, batch_size: usize, epochs: usize) -> FitConfig {
    FitConfig {
        solver,
        learning_rate_init: 0.01,
        alpha: 1e-4,
        batch_size,
        dropout: 0.0,
        max_iter: epochs,
        early_stopping: false,
        n_iter_no_change: 10_000,
        tol: 1e-4,
    }
}

const ADAM: Solver = Solver::Adam { beta_1: 0.9, beta_2: 0.999, epsilon: 1e-8 };

/// Mean loss of `net` on rows `x` (softmax / logistic cross-entropy, or half squared error).
fn mean_loss(net: &Network, x: &[f32], targets: &FitTargets) -> (f64, Option<f64>) {
    let n = x.len() / net.n_inputs();
    let z = net.outputs(x, n);
    let k = net.n_outputs();
    match targets {
        FitTargets::Classes(y) => {
            let mut loss = 0.0;
            for (row, &c) in z.chunks_exact(k).zip(y) {
                loss += if k == 1 {
                    let v = row[0] as f64;
                    libm::log(1.0 + libm::exp(v)) - c as f64 * v
                } else {
                    libm::log(row.iter().map(|&v| libm::exp(v as f64)).sum::<f64>()) - row[c as usize] as f64
                };
            }
            let right = count_correct(&z, y);
            (loss / n as f64, Some(right as f64 / n as f64))
        }
        FitTargets::Values(t) => {
            (z.iter().zip(t).map(|(&a, &b)| 0.5 * ((a - b) as f64).powi(2)).sum::<f64>() / n as f64, None)
        }
        FitTargets::Inputs => {
            (z.iter().zip(x).map(|(&a, &b)| 0.5 * ((a - b) as f64).powi(2)).sum::<f64>() / n as f64, None)
        }
    }
}

/// Trains the same network on the CPU and the GPU, epoch by epoch, and returns the worst
/// relative difference of the training loss, objective and validation loss.
#[allow(clippy::too_many_arguments)]
fn compare(
    gpu: &Gpu,
    name: &str,
    sizes: &[usize],
    activation: Activation,
    loss: Loss,
    x: &[f32],
    targets: FitTargets,
    val: Option<(&[f32], FitTargets)>,
    config: FitConfig,
) -> f64 {
    let seed = 7u32;
    let net = Network::new(sizes, activation, loss, &mut Rng::derive(seed.into(), STREAM_INIT));
    let start = net.clone();
    let mut trainer =
        GpuTrainer::new(gpu, &net, x, &targets, val.as_ref().map(|(vx, vt)| (*vx, vt)), &config, seed).unwrap();
    let labels = match &targets {
        FitTargets::Classes(y) => Some(y.clone()),
        _ => None,
    };
    let mut fit = Fit::new(net, x.to_vec(), targets, config.clone(), seed);
    let mut worst = 0.0f64;
    let rel = |a: f64, b: f64| (a - b).abs() / b.abs().max(1e-12);
    let mut epoch = 0;
    loop {
        epoch += 1;
        let cpu = fit.epoch().unwrap();
        let g = block_on(trainer.epoch()).unwrap();
        let (dl, dobj) = (rel(g.train.loss, cpu.loss), rel(g.train.objective, cpu.objective));
        worst = worst.max(dl).max(dobj);
        let mut line =
            format!("{name} epoch {epoch:>2}: loss cpu {:.6} gpu {:.6} (rel {dl:.1e})", cpu.loss, g.train.loss);
        if let (Some(a), Some(b)) = (cpu.accuracy, g.train.accuracy) {
            line += &format!(", accuracy cpu {a:.4} gpu {b:.4}");
            assert!((a - b).abs() <= 2.0 / fit.rows() as f64 + 1e-9, "{name} epoch {epoch}: accuracy {a} vs {b}");
        }
        if let (Some((vx, vt)), Some(v)) = (&val, g.validation) {
            let (want, acc) = mean_loss(&fit.net, vx, vt);
            let dv = rel(v.loss, want);
            worst = worst.max(dv);
            line += &format!(", validation cpu {want:.6} gpu {:.6} (rel {dv:.1e})", v.loss);
            if let (Some(a), Some(b)) = (acc, v.accuracy) {
                assert!(
                    (a - b).abs() <= 2.0 / (vx.len() / sizes[0]) as f64 + 1e-9,
                    "{name} epoch {epoch}: validation accuracy {a} vs {b}"
                );
            }
        }
        println!("{line}");
        let done = fit.observe(cpu.objective);
        assert_eq!(done, g.done, "{name}: both stop at epoch {epoch}");
        if done {
            break;
        }
    }
    // The trained weights come back and predict as the CPU's do.
    let net = block_on(trainer.read_network()).unwrap();
    let rows = x.len() / sizes[0];
    let (zg, zc) = (net.outputs(x, rows), fit.net.outputs(x, rows));
    let dz = zg.iter().zip(&zc).map(|(a, b)| (a - b).abs() / (1.0 + b.abs())).fold(0.0f32, f32::max);
    assert!(dz < 1e-2, "{name}: the read-back network's outputs differ by {dz}");
    if let Some(y) = labels {
        let (a, b) = (count_correct(&zg, &y), count_correct(&zc, &y));
        println!("{name}: final training accuracy cpu {:.4} gpu {:.4}", b as f64 / rows as f64, a as f64 / rows as f64);
        assert!(a.abs_diff(b) <= 1, "{name}: final accuracy {a} vs {b} rows right");
    }
    let wmax = net
        .weights
        .iter()
        .flatten()
        .zip(fit.net.weights.iter().flatten())
        .map(|(a, b)| (a - b).abs())
        .fold(0.0f32, f32::max);
    let moved = net
        .weights
        .iter()
        .flatten()
        .zip(start.weights.iter().flatten())
        .map(|(a, b)| (a - b).abs())
        .fold(0.0f32, f32::max);
    assert!(moved > 1e-3, "{name}: the weights hardly moved ({moved})");
    println!("{name}: worst relative loss difference {worst:.2e}, largest weight difference {wmax:.2e} (moved up to {moved:.2})");
    assert!(worst < 1e-3, "{name}: the GPU's losses drift from the CPU's by {worst:.2e}");
    worst
}

#[test]
fn moons_train_alike_on_gpu_and_cpu() {
    let Some(gpu) = gpu() else { return };
    let (x, y) = moons(300, &mut Rng::new(11));
    let (vx, vy) = moons(101, &mut Rng::new(12));
    let vt = FitTargets::Classes(vy);
    compare(
        &gpu,
        "moons adam",
        &[2, 16, 16, 1],
        Activation::Relu,
        Loss::Logistic,
        &x,
        FitTargets::Classes(y.clone()),
        Some((&vx, vt)),
        config(ADAM, 32, 20),
    );
    // Batches of 8: 38 batches, more than one submission per epoch.
    let sgd = Solver::Sgd { momentum: 0.9, nesterov: true };
    compare(
        &gpu,
        "moons sgd",
        &[2, 10, 2],
        Activation::Tanh,
        Loss::Softmax,
        &x,
        FitTargets::Classes(y),
        None,
        config(sgd, 8, 20),
    );
}

#[test]
fn digits_train_alike_on_gpu_and_cpu() {
    let Some(gpu) = gpu() else { return };
    let (x, y) = digits();
    let split = 1500;
    let (tx, vx) = x.split_at(split * 64);
    let vt = FitTargets::Classes(y[split..].to_vec());
    let mut c = config(ADAM, 0, 20);
    c.learning_rate_init = 1e-3;
    compare(
        &gpu,
        "digits",
        &[64, 100, 10],
        Activation::Relu,
        Loss::Softmax,
        tx,
        FitTargets::Classes(y[..split].to_vec()),
        Some((vx, vt)),
        c,
    );
}

#[test]
fn autoencoder_trains_alike_on_gpu_and_cpu() {
    let Some(gpu) = gpu() else { return };
    let (x, _) = digits();
    let x = &x[..600 * 64];
    // The autoencoder kind's defaults (tanh, adam at 0.01) and plain sgd with momentum.
    compare(
        &gpu,
        "autoencoder adam",
        &[64, 16, 4, 16, 64],
        Activation::Tanh,
        Loss::Squared,
        x,
        FitTargets::Inputs,
        None,
        config(ADAM, 64, 20),
    );
    let sgd = Solver::Sgd { momentum: 0.9, nesterov: false };
    compare(
        &gpu,
        "autoencoder sgd",
        &[64, 16, 4, 16, 64],
        Activation::Logistic,
        Loss::Squared,
        x,
        FitTargets::Inputs,
        None,
        config(sgd, 64, 20),
    );
}

#[test]
fn early_stopping_restores_the_best_weights() {
    let Some(gpu) = gpu() else { return };
    let (x, y) = moons(200, &mut Rng::new(21));
    let (vx, vy) = moons(40, &mut Rng::new(22));
    let mut c = config(ADAM, 16, 300);
    c.learning_rate_init = 0.05;
    c.early_stopping = true;
    c.n_iter_no_change = 3;
    let net = Network::new(&[2, 32, 1], Activation::Relu, Loss::Logistic, &mut Rng::derive(3, STREAM_INIT));
    let vt = FitTargets::Classes(vy);
    let mut t = GpuTrainer::new(&gpu, &net, &x, &FitTargets::Classes(y), Some((&vx, &vt)), &c, 3).unwrap();
    let mut best = f64::INFINITY;
    let mut done = false;
    while !done {
        let e = block_on(t.epoch()).unwrap();
        best = best.min(e.validation.unwrap().loss);
        done = e.done;
    }
    assert!(t.epochs() < 300, "stopped early");
    assert_eq!(t.epochs_total(), t.epochs());
    let net = block_on(t.read_network()).unwrap();
    let (loss, _) = mean_loss(&net, &vx, &vt);
    assert!((loss - best).abs() < 1e-4 * best.max(1.0), "restored weights score {loss}, the best epoch {best}");
    assert!(block_on(t.epoch()).is_err(), "no epoch after the end");
}

#[test]
fn bad_input_gives_errors_not_panics() {
    let Some(gpu) = gpu() else { return };
    let net = Network::new(&[2, 4, 3], Activation::Relu, Loss::Softmax, &mut Rng::new(1));
    let x = vec![0.5f32; 20];
    let mut c = config(ADAM, 4, 5);
    assert!(GpuTrainer::new(&gpu, &net, &x, &FitTargets::Classes(vec![0; 9]), None, &c, 1).is_err(), "label count");
    assert!(
        GpuTrainer::new(&gpu, &net, &x, &FitTargets::Classes(vec![3; 10]), None, &c, 1).is_err(),
        "class out of range"
    );
    assert!(
        GpuTrainer::new(&gpu, &net, &x, &FitTargets::Inputs, None, &c, 1).is_err(),
        "targets that do not suit the loss"
    );
    assert!(GpuTrainer::new(&gpu, &net, &[], &FitTargets::Classes(vec![]), None, &c, 1).is_err(), "no rows");
    c.early_stopping = true;
    assert!(
        GpuTrainer::new(&gpu, &net, &x, &FitTargets::Classes(vec![0; 10]), None, &c, 1).is_err(),
        "early stopping without validation"
    );
}

/// Dropout draws its masks on the GPU from a hash, not from the CPU's stream, so the runs
/// differ batch by batch: they must agree in quality (accuracy within 3 points on held-out
/// digits, training loss within 30% + 0.01), and dropout must change the run (its training loss,
/// computed with units dropped, sits above the run without dropout).
#[test]
fn dropout_trains_as_well_as_on_the_cpu() {
    let Some(gpu) = gpu() else { return };
    let (x, y) = digits();
    let split = 1400;
    let (tx, vx) = x.split_at(split * 64);
    let (ty, vy) = (FitTargets::Classes(y[..split].to_vec()), &y[split..]);
    let mut c = config(ADAM, 64, 30);
    c.learning_rate_init = 2e-3;
    c.dropout = 0.3;
    let sizes = [64, 128, 64, 10];
    let seed = 5u32;
    let net = Network::new(&sizes, Activation::Relu, Loss::Softmax, &mut Rng::derive(seed.into(), STREAM_INIT));
    let mut g = GpuTrainer::new(&gpu, &net, tx, &ty, None, &c, seed).unwrap();
    let mut fit = Fit::new(net.clone(), tx.to_vec(), ty.clone(), c.clone(), seed);
    let mut plain = c.clone();
    plain.dropout = 0.0;
    let mut g0 = GpuTrainer::new(&gpu, &net, tx, &ty, None, &plain, seed).unwrap();
    let (mut lg, mut lc, mut l0) = (0.0, 0.0, 0.0);
    for _ in 0..30 {
        lg = block_on(g.epoch()).unwrap().train.loss;
        lc = fit.epoch().unwrap().loss;
        l0 = block_on(g0.epoch()).unwrap().train.loss;
    }
    let rows = vy.len();
    let gnet = block_on(g.read_network()).unwrap();
    let acc = |n: &Network| count_correct(&n.outputs(vx, rows), vy) as f64 / rows as f64;
    let (ag, ac) = (acc(&gnet), acc(&fit.net));
    println!("dropout 0.3, 30 epochs: held-out accuracy gpu {ag:.4} cpu {ac:.4}; training loss gpu {lg:.4} cpu {lc:.4}, gpu without dropout {l0:.4}");
    assert!((ag - ac).abs() <= 0.03, "held-out accuracy gpu {ag} vs cpu {ac}");
    assert!(ag > 0.9, "the GPU run learned ({ag})");
    assert!((lg - lc).abs() <= 0.3 * lc + 0.01, "training loss gpu {lg} vs cpu {lc}");
    assert!(lg > 1.2 * l0, "dropout raises the training loss ({lg} vs {l0} without)");
}
