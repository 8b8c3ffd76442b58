//! A small convolutional network for grey images: convolution blocks (k x k filters,
//! stride 1, same padding, ReLU, then `pool x pool` max-pooling), dense ReLU layers, and
//! a softmax output with cross-entropy. Used by the `cnn` kind.
//!
//! Activations are laid out image by image, pixel by pixel, channel last (NHWC): a layer's
//! output for a batch is a `(n * h * w) x channels` matrix. A convolution is then one
//! matrix product (im2col): each output pixel's `k x k x channels` neighbourhood is copied
//! into a row, times the `(k * k * channels) x filters` weight matrix, through the packed
//! GEMM the dense network uses (and its threads for large products). Backpropagation uses
//! the same GEMM with transposed operands, and scatters the rows back (col2im).
//!
//! The objective is the MLP's: mean cross-entropy plus `alpha / (2 n) * sum(W^2)` over the
//! weights (not the biases).

use crate::base::rng::Rng;
use crate::linalg::matmul::{gemm_acc, Operand};

/// One convolution block's shape: `h x w x cin` in, `h x w x cout` after the convolution,
/// `oh x ow x cout` after pooling (the same when the map is too small to pool).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConvShape {
    pub h: usize,
    pub w: usize,
    pub cin: usize,
    pub cout: usize,
    pub oh: usize,
    pub ow: usize,
}

impl ConvShape {
    pub fn pooled(&self) -> bool {
        (self.oh, self.ow) != (self.h, self.w)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CnnNet {
    /// Input image height and width (one grey channel).
    pub h: usize,
    pub w: usize,
    pub kernel: usize,
    pub pool: usize,
    /// Filters of each convolution block, input side first.
    pub filters: Vec<usize>,
    /// Units of each dense hidden layer.
    pub hidden: Vec<usize>,
    pub outputs: usize,
    /// The pixel (index into the `h x w` image, row by row) each input column fills;
    /// pixels no column fills are 0 (constant columns the preparation left out).
    pub inputs: Vec<u32>,
    /// Weights then biases of each layer, convolutions first: conv `l`'s weights are
    /// `(k * k * cin) x cout` row-major, rows ordered (dy, dx, channel); a dense layer's
    /// `inputs x units`.
    pub params: Vec<Vec<f32>>,
}

impl CnnNet {
    /// Random weights: He uniform (bound sqrt(6 / fan_in)) into ReLU units, Glorot uniform
    /// into the softmax; biases 0.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        h: usize,
        w: usize,
        kernel: usize,
        pool: usize,
        filters: &[usize],
        hidden: &[usize],
        outputs: usize,
        rng: &mut Rng,
    ) -> CnnNet {
        let mut net = CnnNet {
            h,
            w,
            kernel,
            pool,
            filters: filters.to_vec(),
            hidden: hidden.to_vec(),
            outputs,
            inputs: (0..(h * w) as u32).collect(),
            params: vec![],
        };
        let shapes = net.param_shapes();
        let layers = shapes.len();
        for (l, (fan_in, fan_out)) in shapes.into_iter().enumerate() {
            let bound =
                if l + 1 < layers { (6.0 / fan_in as f64).sqrt() } else { (6.0 / (fan_in + fan_out) as f64).sqrt() };
            net.params.push((0..fan_in * fan_out).map(|_| ((rng.uniform() * 2.0 - 1.0) * bound) as f32).collect());
            net.params.push(vec![0.0; fan_out]);
        }
        net
    }

    /// The shapes of the convolution blocks.
    pub fn conv_shapes(&self) -> Vec<ConvShape> {
        let (mut h, mut w, mut c) = (self.h, self.w, 1);
        let mut out = vec![];
        for &f in &self.filters {
            let p = self.pool.max(1);
            let (oh, ow) = if p > 1 && h >= p && w >= p { (h / p, w / p) } else { (h, w) };
            out.push(ConvShape { h, w, cin: c, cout: f, oh, ow });
            (h, w, c) = (oh, ow, f);
        }
        out
    }

    /// Values a dense layer reads after the convolutions.
    pub fn flat(&self) -> usize {
        self.conv_shapes().last().map_or(self.h * self.w, |s| s.oh * s.ow * s.cout)
    }

    /// `(rows, cols)` of every layer's weight matrix, convolutions first.
    pub fn param_shapes(&self) -> Vec<(usize, usize)> {
        let k2 = self.kernel * self.kernel;
        let conv = self.conv_shapes().into_iter().map(|s| (k2 * s.cin, s.cout));
        let sizes: Vec<usize> =
            std::iter::once(self.flat()).chain(self.hidden.iter().copied()).chain([self.outputs]).collect();
        conv.chain(sizes.windows(2).map(|p| (p[0], p[1]))).collect()
    }

    pub fn n_inputs(&self) -> usize {
        self.inputs.len()
    }

    pub fn n_params(&self) -> usize {
        self.params.iter().map(Vec::len).sum()
    }

    fn n_conv(&self) -> usize {
        self.filters.len()
    }
}

/// Buffers reused from batch to batch.
#[derive(Debug, Default)]
pub struct CnnWork {
    /// The batch's images, `n x (h * w)`, filled from the input columns.
    pub image: Vec<f32>,
    /// Per convolution block: the im2col rows, the ReLU outputs, the pooled outputs and,
    /// per pooled value, the index of the ReLU output it came from.
    cols: Vec<Vec<f32>>,
    pub relu: Vec<Vec<f32>>,
    pub pooled: Vec<Vec<f32>>,
    argmax: Vec<Vec<u32>>,
    /// Dense layers' outputs (hidden after ReLU; logits last).
    pub dense: Vec<Vec<f32>>,
    /// Gradients with respect to each parameter tensor, as `CnnNet::params`.
    pub grads: Vec<Vec<f32>>,
    delta: Vec<f32>,
    below: Vec<f32>,
    dcols: Vec<f32>,
}

impl CnnWork {
    pub fn logits(&self) -> &[f32] {
        self.dense.last().map_or(&[], |v| v.as_slice())
    }

    /// Block `l`'s output (shape `s`) as the next layer reads it.
    pub fn block_out(&self, l: usize, s: &ConvShape) -> &[f32] {
        block_out(&self.relu, &self.pooled, l, s)
    }
}

fn block_out<'a>(relu: &'a [Vec<f32>], pooled: &'a [Vec<f32>], l: usize, s: &ConvShape) -> &'a [f32] {
    if s.pooled() {
        &pooled[l]
    } else {
        &relu[l]
    }
}

/// Copy each pixel's `k x k` neighbourhood (zeros outside the image) of `n` NHWC images
/// into one row of `cols`, ordered (dy, dx, channel).
fn im2col(a: &[f32], n: usize, s: &ConvShape, k: usize, cols: &mut Vec<f32>) {
    let (h, w, c) = (s.h, s.w, s.cin);
    let pad = k / 2;
    cols.clear();
    cols.resize(n * h * w * k * k * c, 0.0);
    let row_len = k * k * c;
    for i in 0..n {
        for y in 0..h {
            for x in 0..w {
                let row = &mut cols[((i * h + y) * w + x) * row_len..][..row_len];
                for dy in 0..k {
                    let Some(sy) = (y + dy).checked_sub(pad).filter(|&v| v < h) else { continue };
                    for dx in 0..k {
                        let Some(sx) = (x + dx).checked_sub(pad).filter(|&v| v < w) else { continue };
                        let src = ((i * h + sy) * w + sx) * c;
                        row[(dy * k + dx) * c..][..c].copy_from_slice(&a[src..src + c]);
                    }
                }
            }
        }
    }
}

/// The reverse of `im2col`: add each row's entries back onto the pixels they came from.
fn col2im(dcols: &[f32], n: usize, s: &ConvShape, k: usize, da: &mut Vec<f32>) {
    let (h, w, c) = (s.h, s.w, s.cin);
    let pad = k / 2;
    da.clear();
    da.resize(n * h * w * c, 0.0);
    let row_len = k * k * c;
    for i in 0..n {
        for y in 0..h {
            for x in 0..w {
                let row = &dcols[((i * h + y) * w + x) * row_len..][..row_len];
                for dy in 0..k {
                    let Some(sy) = (y + dy).checked_sub(pad).filter(|&v| v < h) else { continue };
                    for dx in 0..k {
                        let Some(sx) = (x + dx).checked_sub(pad).filter(|&v| v < w) else { continue };
                        let dst = ((i * h + sy) * w + sx) * c;
                        da[dst..dst + c].iter_mut().zip(&row[(dy * k + dx) * c..][..c]).for_each(|(d, &g)| *d += g);
                    }
                }
            }
        }
    }
}

/// `p x p` max-pooling of `n` NHWC maps (`s.h x s.w x s.cout`), remembering where each
/// maximum was (the first one on ties).
fn max_pool(a: &[f32], n: usize, s: &ConvShape, p: usize, out: &mut Vec<f32>, argmax: &mut Vec<u32>) {
    let c = s.cout;
    out.clear();
    argmax.clear();
    for i in 0..n {
        for oy in 0..s.oh {
            for ox in 0..s.ow {
                for ch in 0..c {
                    let (mut best, mut at) = (f32::NEG_INFINITY, 0usize);
                    for dy in 0..p {
                        for dx in 0..p {
                            let idx = ((i * s.h + oy * p + dy) * s.w + ox * p + dx) * c + ch;
                            if a[idx] > best {
                                (best, at) = (a[idx], idx);
                            }
                        }
                    }
                    out.push(best);
                    argmax.push(at as u32);
                }
            }
        }
    }
}

/// `out = input · W + b` for `n` rows.
fn affine(input: &[f32], n: usize, w: &[f32], b: &[f32], rows: usize, out: &mut Vec<f32>) {
    out.clear();
    for _ in 0..n {
        out.extend_from_slice(b);
    }
    gemm_acc(Operand::new(&input[..n * rows], n, rows), Operand::new(w, rows, b.len()), out);
}

fn relu(v: &mut [f32]) {
    v.iter_mut().for_each(|v| *v = v.max(0.0));
}

impl CnnNet {
    /// Forward pass over `n` rows of `x` (`n x inputs`) into `ws`.
    pub fn forward(&self, x: &[f32], n: usize, ws: &mut CnnWork) {
        let (d, hw) = (self.n_inputs(), self.h * self.w);
        ws.image.clear();
        ws.image.resize(n * hw, 0.0);
        for (img, row) in ws.image.chunks_exact_mut(hw).zip(x.chunks_exact(d)) {
            self.inputs.iter().zip(row).for_each(|(&p, &v)| img[p as usize] = v);
        }
        let x = std::mem::take(&mut ws.image);
        self.forward_images(&x, n, ws);
        ws.image = x;
    }

    /// Forward pass over `n` images (`n x (h * w)`).
    fn forward_images(&self, x: &[f32], n: usize, ws: &mut CnnWork) {
        let shapes = self.conv_shapes();
        let nc = self.n_conv();
        for v in [&mut ws.cols, &mut ws.relu, &mut ws.pooled] {
            v.resize_with(nc, Vec::new);
        }
        ws.argmax.resize_with(nc, Vec::new);
        for (l, s) in shapes.iter().enumerate() {
            let mut cols = std::mem::take(&mut ws.cols[l]);
            let input: &[f32] = if l == 0 { x } else { ws.block_out(l - 1, &shapes[l - 1]) };
            im2col(input, n, s, self.kernel, &mut cols);
            let rows = n * s.h * s.w;
            let mut out = std::mem::take(&mut ws.relu[l]);
            affine(
                &cols,
                rows,
                &self.params[2 * l],
                &self.params[2 * l + 1],
                self.kernel * self.kernel * s.cin,
                &mut out,
            );
            relu(&mut out);
            if s.pooled() {
                max_pool(&out, n, s, self.pool, &mut ws.pooled[l], &mut ws.argmax[l]);
            }
            ws.cols[l] = cols;
            ws.relu[l] = out;
        }
        let dense = self.hidden.len() + 1;
        ws.dense.resize_with(dense, Vec::new);
        let mut rows_in = self.flat();
        for d in 0..dense {
            let mut out = std::mem::take(&mut ws.dense[d]);
            let input: &[f32] = match d {
                0 if nc == 0 => x,
                0 => ws.block_out(nc - 1, &shapes[nc - 1]),
                _ => &ws.dense[d - 1],
            };
            let (w, b) = (&self.params[2 * (nc + d)], &self.params[2 * (nc + d) + 1]);
            affine(input, n, w, b, rows_in, &mut out);
            if d + 1 < dense {
                relu(&mut out);
            }
            rows_in = b.len();
            ws.dense[d] = out;
        }
    }

    /// Forward and backward over one batch of `n` images with classes `y`: the gradient of
    /// the objective into `ws.grads`. Returns the mean loss and the penalty.
    pub fn gradient(&self, x: &[f32], n: usize, y: &[u32], alpha: f32, ws: &mut CnnWork) -> (f64, f64) {
        self.forward(x, n, ws);
        let x = std::mem::take(&mut ws.image);
        let r = self.backward(&x, n, y, alpha, ws);
        ws.image = x;
        r
    }

    /// Backpropagation after `forward_images` of the images `x`.
    fn backward(&self, x: &[f32], n: usize, y: &[u32], alpha: f32, ws: &mut CnnWork) -> (f64, f64) {
        let shapes = self.conv_shapes();
        let nc = self.n_conv();
        let dense = self.hidden.len() + 1;
        ws.grads.resize_with(self.params.len(), Vec::new);
        let mut delta = std::mem::take(&mut ws.delta);
        let loss = softmax_delta(ws.logits(), y, self.outputs, &mut delta);
        let inv_n = 1.0 / n as f32;
        let mut penalty = 0.0f64;
        let mut below = std::mem::take(&mut ws.below);
        // Dense layers, output first; `delta` is d(objective * n)/d(pre-activation).
        for d in (0..dense).rev() {
            let (w, b) = (&self.params[2 * (nc + d)], &self.params[2 * (nc + d) + 1]);
            let units = b.len();
            let fan_in = w.len() / units;
            let input: &[f32] = match d {
                0 if nc == 0 => x,
                0 => block_out(&ws.relu, &ws.pooled, nc - 1, &shapes[nc - 1]),
                _ => &ws.dense[d - 1],
            };
            penalty += weight_grads(input, &delta, n, fan_in, w, alpha, inv_n, &mut ws.grads, 2 * (nc + d));
            if d == 0 && nc == 0 {
                break;
            }
            below.clear();
            below.resize(n * fan_in, 0.0);
            gemm_acc(Operand::new(&delta, n, units), Operand::new(w, fan_in, units).t(), &mut below);
            if d > 0 {
                below.iter_mut().zip(&ws.dense[d - 1]).for_each(|(g, &a)| *g = if a > 0.0 { *g } else { 0.0 });
            }
            std::mem::swap(&mut delta, &mut below);
        }
        // Convolution blocks, last first; `delta` is the gradient of the block's output.
        let k = self.kernel;
        let mut dcols = std::mem::take(&mut ws.dcols);
        for l in (0..nc).rev() {
            let s = &shapes[l];
            if s.pooled() {
                below.clear();
                below.resize(n * s.h * s.w * s.cout, 0.0);
                ws.argmax[l].iter().zip(&delta).for_each(|(&at, &g)| below[at as usize] += g);
                std::mem::swap(&mut delta, &mut below);
            }
            delta.iter_mut().zip(&ws.relu[l]).for_each(|(g, &a)| *g = if a > 0.0 { *g } else { 0.0 });
            let rows = n * s.h * s.w;
            let fan_in = k * k * s.cin;
            let w = &self.params[2 * l];
            penalty += weight_grads(&ws.cols[l], &delta, rows, fan_in, w, alpha, inv_n, &mut ws.grads, 2 * l);
            if l == 0 {
                break;
            }
            dcols.clear();
            dcols.resize(rows * fan_in, 0.0);
            gemm_acc(Operand::new(&delta, rows, s.cout), Operand::new(w, fan_in, s.cout).t(), &mut dcols);
            col2im(&dcols, n, s, k, &mut below);
            std::mem::swap(&mut delta, &mut below);
        }
        ws.delta = delta;
        ws.below = below;
        ws.dcols = dcols;
        (loss, 0.5 * alpha as f64 * penalty / n as f64)
    }
}

/// The gradients of a layer's weights (`input^T · delta`, plus the penalty, over `n`)
/// and biases (`delta` summed over rows, over `n`) into `grads[at]` and `grads[at + 1]`;
/// returns the sum of squared weights.
#[allow(clippy::too_many_arguments)]
fn weight_grads(
    input: &[f32],
    delta: &[f32],
    rows: usize,
    fan_in: usize,
    w: &[f32],
    alpha: f32,
    inv_n: f32,
    grads: &mut [Vec<f32>],
    at: usize,
) -> f64 {
    let units = w.len() / fan_in;
    let gw = &mut grads[at];
    gw.clear();
    gw.resize(w.len(), 0.0);
    gemm_acc(
        Operand::new(&input[..rows * fan_in], rows, fan_in).t(),
        Operand::new(&delta[..rows * units], rows, units),
        gw,
    );
    gw.iter_mut().zip(w).for_each(|(g, &w)| *g = (*g + alpha * w) * inv_n);
    let gb = &mut grads[at + 1];
    gb.clear();
    gb.resize(units, 0.0);
    for row in delta[..rows * units].chunks_exact(units) {
        gb.iter_mut().zip(row).for_each(|(g, &d)| *g += d);
    }
    gb.iter_mut().for_each(|g| *g *= inv_n);
    w.iter().map(|&w| w as f64 * w as f64).sum()
}

/// Mean cross-entropy of the logits `z` (`n x k`) against classes `y` and, into `delta`,
/// softmax minus one-hot per row. In f64 through log-sum-exp, so it stays finite.
pub fn softmax_delta(z: &[f32], y: &[u32], k: usize, delta: &mut Vec<f32>) -> f64 {
    delta.clear();
    let mut total = 0.0;
    for (z, &c) in z.chunks_exact(k).zip(y) {
        let m = z.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b)) as f64;
        let lse = m + libm::log(z.iter().map(|&v| libm::exp(v as f64 - m)).sum::<f64>());
        total += lse - z[c as usize] as f64;
        delta.extend(
            z.iter().enumerate().map(|(j, &v)| (libm::exp(v as f64 - lse) - (j == c as usize) as u8 as f64) as f32),
        );
    }
    total / y.len().max(1) as f64
}

/// Softmax probabilities of one row of logits.
pub fn softmax(z: &[f32]) -> Vec<f64> {
    let m = z.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b)) as f64;
    let e: Vec<f64> = z.iter().map(|&v| libm::exp(v as f64 - m)).collect();
    let s: f64 = e.iter().sum();
    e.into_iter().map(|v| v / s).collect()
}

/// Adam or SGD with (Nesterov) momentum over every parameter tensor, with the formulas of
/// the MLP's solvers (`mlp_optim`).
#[derive(Debug, Clone)]
pub struct CnnOptimizer {
    solver: super::mlp_optim::Solver,
    learning_rate: f64,
    t: i32,
    first: Vec<Vec<f32>>,
    second: Vec<Vec<f32>>,
}

impl CnnOptimizer {
    pub fn new(solver: super::mlp_optim::Solver, learning_rate: f64, net: &CnnNet) -> CnnOptimizer {
        let zeros: Vec<Vec<f32>> = net.params.iter().map(|p| vec![0.0; p.len()]).collect();
        CnnOptimizer { solver, learning_rate, t: 0, second: zeros.clone(), first: zeros }
    }

    pub fn update(&mut self, net: &mut CnnNet, grads: &[Vec<f32>]) {
        use super::mlp_optim::Solver;
        self.t += 1;
        match self.solver {
            Solver::Sgd { momentum, nesterov } => {
                let lr = self.learning_rate as f32;
                for ((p, g), v) in net.params.iter_mut().zip(grads).zip(&mut self.first) {
                    for ((p, &g), v) in p.iter_mut().zip(g).zip(v.iter_mut()) {
                        *v = momentum * *v - lr * g;
                        *p += if nesterov { momentum * *v - lr * g } else { *v };
                    }
                }
            }
            Solver::Adam { beta_1, beta_2, epsilon } => {
                let t = self.t as f64;
                let step = self.learning_rate * libm::sqrt(1.0 - libm::pow(beta_2, t)) / (1.0 - libm::pow(beta_1, t));
                let (b1, b2, step) = (beta_1 as f32, beta_2 as f32, step as f32);
                for (((p, g), m), s) in net.params.iter_mut().zip(grads).zip(&mut self.first).zip(&mut self.second) {
                    for (((p, &g), m), s) in p.iter_mut().zip(g).zip(m.iter_mut()).zip(s.iter_mut()) {
                        *m = b1 * *m + (1.0 - b1) * g;
                        *s = b2 * *s + (1.0 - b2) * g * g;
                        *p -= step * *m / (s.sqrt() + epsilon);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(h: usize, w: usize, cin: usize, cout: usize) -> ConvShape {
        ConvShape { h, w, cin, cout, oh: h / 2, ow: w / 2 }
    }

    #[test]
    fn col2im_is_the_transpose_of_im2col() {
        // <im2col(a), c> == <a, col2im(c)> for any a and c.
        let s = shape(4, 5, 2, 1);
        let mut rng = Rng::new(7);
        let a: Vec<f32> = (0..2 * 4 * 5 * 2).map(|_| rng.normal() as f32).collect();
        let mut cols = vec![];
        im2col(&a, 2, &s, 3, &mut cols);
        let c: Vec<f32> = (0..cols.len()).map(|_| rng.normal() as f32).collect();
        let mut back = vec![];
        col2im(&c, 2, &s, 3, &mut back);
        let left: f64 = cols.iter().zip(&c).map(|(&x, &y)| x as f64 * y as f64).sum();
        let right: f64 = a.iter().zip(&back).map(|(&x, &y)| x as f64 * y as f64).sum();
        assert!((left - right).abs() < 1e-4 * left.abs().max(1.0), "{left} vs {right}");
        // The centre tap of pixel (1, 2) of the first image, channel 1, is that pixel.
        assert_eq!(cols[(5 + 2) * 18 + 4 * 2 + 1], a[(5 + 2) * 2 + 1]);
        // The top-left tap of pixel (0, 0) lies outside the image: zero padding.
        assert_eq!(cols[0], 0.0);
    }

    #[test]
    fn max_pool_keeps_the_largest_of_each_square() {
        let s = shape(2, 4, 1, 1);
        let a = [1.0, 5.0, -1.0, -2.0, 3.0, 2.0, -3.0, -0.5];
        let (mut out, mut at) = (vec![], vec![]);
        max_pool(&a, 1, &s, 2, &mut out, &mut at);
        assert_eq!(out, [5.0, -0.5]);
        assert_eq!(at, [1, 7]);
    }
}
