//! A dense feed-forward network, independent of any trainer: weights, a forward pass over
//! a mini-batch and backpropagation of the loss. Used by the `mlp` and `autoencoder` kinds.
//!
//! Weights and activations are f32 (what a WebGPU backend computes in, and twice the SIMD
//! width of f64); losses are summed in f64. Transcendental functions come from `libm`, so
//! the same seed gives the same weights natively and in every browser.
//!
//! The objective of one batch of `n` rows is scikit-learn's: the mean loss plus
//! `alpha / (2 n) * sum(W^2)` over the weights (not the biases). Its gradient is therefore
//! `(X^T delta + alpha W) / n`, where delta is `output - target` per row (cross-entropy
//! after softmax or logistic output; half the squared error for identity outputs).

use serde::{Deserialize, Serialize};

use super::record::{self, num};
use crate::base::error::Result;
use crate::base::rng::Rng;
use crate::linalg::matmul::{gemm_acc, Operand};

/// The hidden units' nonlinearity, with scikit-learn's names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activation {
    Relu,
    Tanh,
    /// The sigmoid 1 / (1 + e^-z).
    Logistic,
    Identity,
}

pub const ACTIVATIONS: &[&str] = &["relu", "tanh", "logistic", "identity"];

impl Activation {
    pub fn from_name(name: &str) -> Option<Activation> {
        Some(match name {
            "relu" => Activation::Relu,
            "tanh" => Activation::Tanh,
            "logistic" => Activation::Logistic,
            "identity" => Activation::Identity,
            _ => return None,
        })
    }

    fn apply(self, z: &mut [f32]) {
        match self {
            Activation::Relu => z.iter_mut().for_each(|v| *v = v.max(0.0)),
            Activation::Tanh => z.iter_mut().for_each(|v| *v = tanh(*v)),
            Activation::Logistic => z.iter_mut().for_each(|v| *v = 0.5 + 0.5 * tanh(0.5 * *v)),
            Activation::Identity => {}
        }
    }

    /// `delta *= f'(z)`, written in terms of the output `a = f(z)`.
    fn backprop(self, a: &[f32], delta: &mut [f32]) {
        let pairs = delta.iter_mut().zip(a);
        match self {
            Activation::Relu => pairs.for_each(|(d, &a)| *d = if a > 0.0 { *d } else { 0.0 }),
            Activation::Tanh => pairs.for_each(|(d, &a)| *d *= 1.0 - a * a),
            Activation::Logistic => pairs.for_each(|(d, &a)| *d *= a * (1.0 - a)),
            Activation::Identity => {}
        }
    }
}

/// tanh as Eigen's rational approximation for f32 (within 4e-7 of the exact value),
/// clamped so that |tanh| <= 1. Only multiplies, adds and one division: it vectorises, and
/// gives the same bits on every platform, at a fraction of the cost of `libm::tanhf`
/// (which dominated training time with tanh units).
#[inline(always)]
pub fn tanh(x: f32) -> f32 {
    const A: [f32; 7] =
        [4.893_524_6e-3, 6.372_619_3e-4, 1.485_722_4e-5, 5.122_297e-8, -8.604_672e-11, 2.000_188e-13, -2.760_768_5e-16];
    const B: [f32; 4] = [4.893_525e-3, 2.268_434_6e-3, 1.185_347_1e-4, 1.198_258_4e-6];
    let c = x.clamp(-7.905_311, 7.905_311);
    let x2 = c * c;
    let p = c * ((((((A[6] * x2 + A[5]) * x2 + A[4]) * x2 + A[3]) * x2 + A[2]) * x2 + A[1]) * x2 + A[0]);
    let q = ((B[3] * x2 + B[2]) * x2 + B[1]) * x2 + B[0];
    if x.abs() < 4e-4 {
        x
    } else {
        p / q
    }
}

/// What the output layer's raw values mean and how they are scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loss {
    /// One logit per class; softmax + cross-entropy.
    Softmax,
    /// One logit for two classes (the second's log-odds); sigmoid + binary cross-entropy,
    /// as scikit-learn does for binary targets.
    Logistic,
    /// Values; half the squared error summed over the outputs.
    Squared,
}

/// The targets of a batch: class indices, or `n x outputs` values.
#[derive(Clone, Copy)]
pub enum Targets<'a> {
    Classes(&'a [u32]),
    Values(&'a [f32]),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    /// Units per layer: inputs first, outputs last.
    pub sizes: Vec<usize>,
    pub activation: Activation,
    pub loss: Loss,
    /// Layer l maps `sizes[l]` units to `sizes[l + 1]`: `weights[l]` is
    /// `sizes[l] x sizes[l + 1]`, row-major (one row per input unit).
    pub weights: Vec<Vec<f32>>,
    pub biases: Vec<Vec<f32>>,
}

/// Buffers reused from batch to batch, so training allocates nothing per batch.
#[derive(Debug, Default)]
pub struct Workspace {
    /// Output of every layer (hidden activations before dropout; raw outputs last).
    acts: Vec<Vec<f32>>,
    /// Dropout only: per hidden unit 0 or 1 / (1 - rate), and the activations times it.
    masks: Vec<Vec<f32>>,
    dropped: Vec<Vec<f32>>,
    /// d(loss)/d(pre-activation) of every layer, per row.
    deltas: Vec<Vec<f32>>,
    pub grad_w: Vec<Vec<f32>>,
    pub grad_b: Vec<Vec<f32>>,
}

impl Workspace {
    /// Raw outputs of the last forward pass (`rows x outputs`).
    pub fn outputs(&self) -> &[f32] {
        self.acts.last().map_or(&[], |v| v.as_slice())
    }

    /// Outputs of hidden layer `l` (0-based) in the last forward pass, before dropout.
    pub fn hidden(&self, l: usize) -> &[f32] {
        &self.acts[l]
    }
}

/// Inverted dropout on the hidden units: each is zeroed with probability `rate` and the
/// survivors scaled by 1 / (1 - rate), so nothing changes at prediction time.
pub struct Dropout<'a> {
    pub rate: f32,
    pub rng: &'a mut Rng,
}

impl Network {
    /// Random weights from `rng`: He uniform (bound sqrt(6 / fan_in)) into ReLU units,
    /// Glorot uniform (bound sqrt(6 / (fan_in + fan_out))) elsewhere; biases start at 0.
    pub fn new(sizes: &[usize], activation: Activation, loss: Loss, rng: &mut Rng) -> Network {
        let layers = sizes.len() - 1;
        let mut weights = Vec::with_capacity(layers);
        for l in 0..layers {
            let (fan_in, fan_out) = (sizes[l], sizes[l + 1]);
            let he = activation == Activation::Relu && l + 1 < layers;
            let bound = if he { (6.0 / fan_in as f64).sqrt() } else { (6.0 / (fan_in + fan_out) as f64).sqrt() };
            weights.push((0..fan_in * fan_out).map(|_| ((rng.uniform() * 2.0 - 1.0) * bound) as f32).collect());
        }
        let biases = sizes[1..].iter().map(|&s| vec![0.0; s]).collect();
        Network { sizes: sizes.to_vec(), activation, loss, weights, biases }
    }

    pub fn n_inputs(&self) -> usize {
        self.sizes[0]
    }

    pub fn n_outputs(&self) -> usize {
        *self.sizes.last().expect("at least one layer")
    }

    pub fn n_params(&self) -> usize {
        self.weights.iter().chain(&self.biases).map(Vec::len).sum()
    }

    /// Forward pass over `n` rows of `x` (`n x inputs`, row-major) into `ws`.
    pub fn forward(&self, x: &[f32], n: usize, ws: &mut Workspace, mut dropout: Option<Dropout>) {
        let layers = self.weights.len();
        ws.acts.resize_with(layers, Vec::new);
        if dropout.is_some() {
            ws.masks.resize_with(layers - 1, Vec::new);
            ws.dropped.resize_with(layers - 1, Vec::new);
        }
        for l in 0..layers {
            let (fan_in, fan_out) = (self.sizes[l], self.sizes[l + 1]);
            let (before, rest) = ws.acts.split_at_mut(l);
            let input: &[f32] = match l {
                0 => x,
                _ if dropout.is_some() => &ws.dropped[l - 1],
                _ => &before[l - 1],
            };
            let out = &mut rest[0];
            out.clear();
            for _ in 0..n {
                out.extend_from_slice(&self.biases[l]);
            }
            gemm_acc(
                Operand::new(&input[..n * fan_in], n, fan_in),
                Operand::new(&self.weights[l], fan_in, fan_out),
                out,
            );
            if l + 1 == layers {
                break;
            }
            self.activation.apply(out);
            if let Some(d) = dropout.as_mut() {
                let keep = 1.0 / (1.0 - d.rate);
                let mask = &mut ws.masks[l];
                mask.clear();
                mask.extend((0..out.len()).map(|_| if d.rng.uniform() < d.rate as f64 { 0.0 } else { keep }));
                let dropped = &mut ws.dropped[l];
                dropped.clear();
                dropped.extend(out.iter().zip(mask.iter()).map(|(a, m)| a * m));
            }
        }
    }

    /// Forward and backward over one batch: the gradient of the objective (see the module
    /// notes) into `ws.grad_w` / `ws.grad_b`. Returns the mean loss without the penalty,
    /// and the penalty.
    pub fn gradient(
        &self,
        x: &[f32],
        n: usize,
        targets: Targets,
        alpha: f32,
        dropout: Option<Dropout>,
        ws: &mut Workspace,
    ) -> (f64, f64) {
        let layers = self.weights.len();
        let dropped = dropout.is_some();
        self.forward(x, n, ws, dropout);
        ws.deltas.resize_with(layers, Vec::new);
        ws.grad_w.resize_with(layers, Vec::new);
        ws.grad_b.resize_with(layers, Vec::new);
        let last = &mut ws.deltas[layers - 1];
        last.resize(n * self.n_outputs(), 0.0);
        let loss = loss_and_delta(self.loss, &ws.acts[layers - 1], targets, n, last);
        let inv_n = 1.0 / n as f32;
        let mut penalty = 0.0f64;
        for l in (0..layers).rev() {
            let (fan_in, fan_out) = (self.sizes[l], self.sizes[l + 1]);
            let input: &[f32] = match l {
                0 => x,
                _ if dropped => &ws.dropped[l - 1],
                _ => &ws.acts[l - 1],
            };
            let (lower, upper) = ws.deltas.split_at_mut(l);
            let delta = &upper[0];
            let gw = &mut ws.grad_w[l];
            gw.clear();
            gw.resize(fan_in * fan_out, 0.0);
            gemm_acc(Operand::new(&input[..n * fan_in], n, fan_in).t(), Operand::new(delta, n, fan_out), gw);
            let w = &self.weights[l];
            gw.iter_mut().zip(w).for_each(|(g, &w)| *g = (*g + alpha * w) * inv_n);
            penalty += w.iter().map(|&w| w as f64 * w as f64).sum::<f64>();
            let gb = &mut ws.grad_b[l];
            gb.clear();
            gb.resize(fan_out, 0.0);
            for row in delta.chunks_exact(fan_out) {
                gb.iter_mut().zip(row).for_each(|(g, &d)| *g += d);
            }
            gb.iter_mut().for_each(|g| *g *= inv_n);
            if l == 0 {
                break;
            }
            let below = &mut lower[l - 1];
            below.clear();
            below.resize(n * fan_in, 0.0);
            gemm_acc(Operand::new(delta, n, fan_out), Operand::new(w, fan_in, fan_out).t(), below);
            if dropped {
                below.iter_mut().zip(&ws.masks[l - 1]).for_each(|(d, &m)| *d *= m);
            }
            self.activation.backprop(&ws.acts[l - 1], below);
        }
        (loss, 0.5 * alpha as f64 * penalty / n as f64)
    }
}

/// Rows at a time when predicting, so a large grid or data set needs little memory.
const CHUNK: usize = 4096;

/// `x` as row-major f32, the network's input format.
pub fn to_f32(x: &ndarray::Array2<f64>) -> Vec<f32> {
    x.iter().map(|&v| v as f32).collect()
}

impl Network {
    /// Raw outputs (`n x outputs`) for the `n` rows of `x`.
    pub fn outputs(&self, x: &[f32], n: usize) -> Vec<f32> {
        let d = self.n_inputs();
        let mut out = Vec::with_capacity(n * self.n_outputs());
        let mut ws = Workspace::default();
        for rows in x[..n * d].chunks(CHUNK * d) {
            self.forward(rows, rows.len() / d, &mut ws, None);
            out.extend_from_slice(ws.outputs());
        }
        out
    }

    /// Every hidden layer's outputs for the `n` rows of `x`: one `n x units` matrix each.
    pub fn hidden_outputs(&self, x: &[f32], n: usize) -> Vec<Vec<f32>> {
        let d = self.n_inputs();
        let hidden = self.weights.len() - 1;
        let mut out: Vec<Vec<f32>> = (0..hidden).map(|l| Vec::with_capacity(n * self.sizes[l + 1])).collect();
        let mut ws = Workspace::default();
        for rows in x[..n * d].chunks(CHUNK * d) {
            self.forward(rows, rows.len() / d, &mut ws, None);
            out.iter_mut().enumerate().for_each(|(l, o)| o.extend_from_slice(ws.hidden(l)));
        }
        out
    }
}

/// Mean loss of the raw outputs `out` (`n x outputs`) and, into `delta`, its derivative
/// per row with respect to them (not divided by n). Computed in f64 from the logits
/// (log-sum-exp, softplus), so it stays finite however confident the network is.
fn loss_and_delta(loss: Loss, out: &[f32], targets: Targets, n: usize, delta: &mut [f32]) -> f64 {
    let k = out.len() / n.max(1);
    let mut total = 0.0f64;
    match (loss, targets) {
        (Loss::Softmax, Targets::Classes(y)) => {
            for ((z, d), &c) in out.chunks_exact(k).zip(delta.chunks_exact_mut(k)).zip(y) {
                let m = z.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b)) as f64;
                let sum: f64 = z.iter().map(|&v| libm::exp(v as f64 - m)).sum();
                let lse = m + libm::log(sum);
                total += lse - z[c as usize] as f64;
                for (j, (dj, &zj)) in d.iter_mut().zip(z).enumerate() {
                    *dj = (libm::exp(zj as f64 - lse) - (j == c as usize) as u8 as f64) as f32;
                }
            }
        }
        (Loss::Logistic, Targets::Classes(y)) => {
            for ((&z, d), &c) in out.iter().zip(delta.iter_mut()).zip(y) {
                let (z, t) = (z as f64, c as f64);
                let e = libm::exp(-z.abs());
                total += z.max(0.0) + libm::log1p(e) - t * z;
                let p = if z >= 0.0 { 1.0 / (1.0 + e) } else { e / (1.0 + e) };
                *d = (p - t) as f32;
            }
        }
        (Loss::Squared, Targets::Values(t)) => {
            for ((&o, d), &t) in out.iter().zip(delta.iter_mut()).zip(t) {
                let e = o - t;
                total += 0.5 * e as f64 * e as f64;
                *d = e;
            }
        }
        _ => unreachable!("targets do not match the loss"),
    }
    total / n as f64
}

// ---- model file record -----------------------------------------------------------------

#[derive(Serialize, Deserialize)]
struct LayerRecord {
    /// inputs x outputs, row-major.
    #[serde(with = "num::many32")]
    weights: Vec<f32>,
    #[serde(with = "num::many32")]
    biases: Vec<f32>,
}

/// A network as a model file stores it (inside the mlp's and the autoencoder's records).
#[derive(Serialize, Deserialize)]
pub(crate) struct NetRecord {
    /// Units per layer, inputs first.
    sizes: Vec<usize>,
    activation: String,
    /// softmax, logistic or squared.
    loss: String,
    layers: Vec<LayerRecord>,
}

fn loss_name(l: Loss) -> &'static str {
    match l {
        Loss::Softmax => "softmax",
        Loss::Logistic => "logistic",
        Loss::Squared => "squared",
    }
}

fn loss_of_name(name: &str) -> Option<Loss> {
    Some(match name {
        "softmax" => Loss::Softmax,
        "logistic" => Loss::Logistic,
        "squared" => Loss::Squared,
        _ => return None,
    })
}

impl NetRecord {
    pub(crate) fn of(net: &Network) -> NetRecord {
        let all = [Activation::Relu, Activation::Tanh, Activation::Logistic, Activation::Identity];
        let activation = ACTIVATIONS[all.iter().position(|&a| a == net.activation).expect("a known activation")];
        NetRecord {
            sizes: net.sizes.clone(),
            activation: activation.to_string(),
            loss: loss_name(net.loss).to_string(),
            layers: net
                .weights
                .iter()
                .zip(&net.biases)
                .map(|(w, b)| LayerRecord { weights: w.clone(), biases: b.clone() })
                .collect(),
        }
    }

    /// The network, once its activation, loss, layer sizes and weights fit `inputs`
    /// inputs and `outputs` outputs.
    pub(crate) fn check(self, field: &str, inputs: usize, outputs: usize, loss: &str) -> Result<Network> {
        let s = self;
        let Some(activation) = Activation::from_name(&s.activation) else {
            return record::err(
                format!("{field}.activation"),
                format!("'{}' is not relu, tanh, logistic or identity", s.activation),
            );
        };
        let net_loss = match loss_of_name(&s.loss) {
            Some(l) if s.loss == loss => l,
            _ => {
                return record::err(
                    format!("{field}.loss"),
                    format!("'{}' does not fit this target (expected '{loss}')", s.loss),
                )
            }
        };
        if s.sizes.len() < 2 || s.sizes.contains(&0) {
            return record::err(
                format!("{field}.sizes"),
                "needs an input and an output layer, each of at least one unit",
            );
        }
        record::equal(&format!("{field}.sizes[0]"), s.sizes[0], inputs, "the number of model inputs")?;
        record::equal(
            &format!("{field}.sizes[last]"),
            s.sizes[s.sizes.len() - 1],
            outputs,
            "the number of outputs the target needs",
        )?;
        record::len(&format!("{field}.layers"), s.layers.len(), s.sizes.len() - 1)?;
        for (l, layer) in s.layers.iter().enumerate() {
            let w = format!("{field}.layers[{l}].weights");
            record::len(&w, layer.weights.len(), record::product(&w, s.sizes[l], s.sizes[l + 1])?)?;
            record::len(&format!("{field}.layers[{l}].biases"), layer.biases.len(), s.sizes[l + 1])?;
            record::finite32(&w, &layer.weights)?;
            record::finite32(&format!("{field}.layers[{l}].biases"), &layer.biases)?;
        }
        let (weights, biases) = s.layers.into_iter().map(|l| (l.weights, l.biases)).unzip();
        Ok(Network { sizes: s.sizes, activation, loss: net_loss, weights, biases })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn objective(net: &Network, x: &[f32], n: usize, t: Targets, alpha: f32) -> f64 {
        let (loss, penalty) = net.gradient(x, n, t, alpha, None, &mut Workspace::default());
        loss + penalty
    }

    /// Central differences in f64 around f32 weights agree with backpropagation.
    fn check(activation: Activation, loss: Loss) {
        let mut rng = Rng::new(3);
        let outputs = match loss {
            Loss::Softmax => 3,
            Loss::Logistic => 1,
            Loss::Squared => 2,
        };
        let mut net = Network::new(&[4, 5, 3, outputs], activation, loss, &mut rng);
        // Biases away from 0 so that no ReLU sits exactly on its kink.
        net.biases.iter_mut().flatten().for_each(|b| *b = (rng.uniform() - 0.5) as f32);
        let n = 6;
        let x: Vec<f32> = (0..n * 4).map(|_| rng.normal() as f32).collect();
        let classes: Vec<u32> = (0..n as u32).map(|i| i % outputs.max(2) as u32).collect();
        let values: Vec<f32> = (0..n * outputs).map(|_| rng.normal() as f32).collect();
        let t = if loss == Loss::Squared { Targets::Values(&values) } else { Targets::Classes(&classes) };
        let alpha = 0.3;
        let mut ws = Workspace::default();
        net.gradient(&x, n, t, alpha, None, &mut ws);
        let h = 1e-3f32;
        for l in 0..net.weights.len() {
            for (which, len) in [(0, net.weights[l].len()), (1, net.biases[l].len())] {
                for i in 0..len {
                    let mut plus = net.clone();
                    let bump = |net: &mut Network, by: f32| {
                        if which == 0 {
                            net.weights[l][i] += by
                        } else {
                            net.biases[l][i] += by
                        }
                    };
                    bump(&mut plus, h);
                    let mut minus = net.clone();
                    bump(&mut minus, -h);
                    let numeric =
                        (objective(&plus, &x, n, t, alpha) - objective(&minus, &x, n, t, alpha)) / (2.0 * h as f64);
                    let analytic = if which == 0 { ws.grad_w[l][i] } else { ws.grad_b[l][i] } as f64;
                    assert!(
                        (numeric - analytic).abs() <= 2e-3 * (1.0 + numeric.abs()),
                        "{activation:?} {loss:?} layer {l} {} {i}: numeric {numeric} vs backprop {analytic}",
                        if which == 0 { "weight" } else { "bias" }
                    );
                }
            }
        }
    }

    #[test]
    fn backprop_matches_finite_differences() {
        for a in [Activation::Relu, Activation::Tanh, Activation::Logistic, Activation::Identity] {
            for l in [Loss::Softmax, Loss::Logistic, Loss::Squared] {
                check(a, l);
            }
        }
    }

    #[test]
    fn fast_tanh_is_close_and_bounded() {
        let mut worst = 0.0f64;
        for i in -200_000..=200_000 {
            let x = i as f32 * 1e-4;
            let t = tanh(x);
            assert!(t.abs() <= 1.0);
            worst = worst.max((t as f64 - libm::tanh(x as f64)).abs());
        }
        assert!(worst < 5e-7, "{worst}");
        assert_eq!((tanh(1e9), tanh(-1e9), tanh(0.0)), (1.0, -1.0, 0.0));
    }

    #[test]
    fn dropout_zeroes_units_and_scales_the_rest() {
        let mut rng = Rng::new(1);
        let net = Network::new(&[3, 200, 1], Activation::Identity, Loss::Squared, &mut rng);
        let x = vec![1.0f32, -0.5, 0.25];
        let mut ws = Workspace::default();
        let mut drng = Rng::new(9);
        net.forward(&x, 1, &mut ws, Some(Dropout { rate: 0.25, rng: &mut drng }));
        let zeros = ws.masks[0].iter().filter(|&&m| m == 0.0).count();
        assert!((30..70).contains(&zeros), "{zeros} of 200 dropped at rate 0.25");
        assert!(ws.masks[0].iter().all(|&m| m == 0.0 || (m - 4.0 / 3.0).abs() < 1e-6));
        for ((&a, &m), &d) in ws.acts[0].iter().zip(&ws.masks[0]).zip(&ws.dropped[0]) {
            assert_eq!(d, a * m);
        }
    }

    #[test]
    fn he_and_glorot_bounds() {
        // He into the ReLU layer (fan_in 50), Glorot into the output (30 + 10).
        let net = Network::new(&[50, 30, 10], Activation::Relu, Loss::Softmax, &mut Rng::new(2));
        let max0 = net.weights[0].iter().fold(0.0f32, |a, w| a.max(w.abs()));
        let max1 = net.weights[1].iter().fold(0.0f32, |a, w| a.max(w.abs()));
        assert!(max0 <= (6.0f32 / 50.0).sqrt() && max0 > 0.95 * (6.0f32 / 50.0).sqrt(), "{max0}");
        assert!(max1 <= (6.0f32 / 40.0).sqrt() && max1 > 0.9 * (6.0f32 / 40.0).sqrt(), "{max1}");
        assert_eq!(net, Network::new(&[50, 30, 10], Activation::Relu, Loss::Softmax, &mut Rng::new(2)));
    }
}
