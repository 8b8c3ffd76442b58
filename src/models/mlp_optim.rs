//! The weight updates of scikit-learn's MLP solvers: SGD with (Nesterov) momentum and
//! Adam, with a constant learning rate (`learning_rate_init`).

use super::mlp_net::Network;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Solver {
    /// `v = momentum * v - lr * g`; the step is `v`, or with Nesterov's correction
    /// `momentum * v - lr * g`. `momentum = 0` is plain SGD.
    Sgd { momentum: f32, nesterov: bool },
    /// Adam (Kingma & Ba), bias-corrected through the step size as scikit-learn does.
    Adam { beta_1: f64, beta_2: f64, epsilon: f32 },
}

#[derive(Debug, Clone)]
pub struct Optimizer {
    solver: Solver,
    learning_rate: f64,
    /// Updates taken (Adam's t).
    t: i32,
    /// Per parameter tensor (weights of each layer, then biases): velocity or first moment.
    first: Vec<Vec<f32>>,
    /// Adam's second moments.
    second: Vec<Vec<f32>>,
}

impl Optimizer {
    pub fn new(solver: Solver, learning_rate: f64, net: &Network) -> Optimizer {
        let zeros: Vec<Vec<f32>> = net.weights.iter().chain(&net.biases).map(|p| vec![0.0; p.len()]).collect();
        let second = if matches!(solver, Solver::Adam { .. }) { zeros.clone() } else { vec![] };
        Optimizer { solver, learning_rate, t: 0, first: zeros, second }
    }

    /// One step on `net` with the gradients of its weights and biases.
    pub fn update(&mut self, net: &mut Network, grad_w: &[Vec<f32>], grad_b: &[Vec<f32>]) {
        self.t += 1;
        let params = net.weights.iter_mut().chain(net.biases.iter_mut());
        let grads = grad_w.iter().chain(grad_b);
        match self.solver {
            Solver::Sgd { momentum, nesterov } => {
                let lr = self.learning_rate as f32;
                for ((p, g), v) in params.zip(grads).zip(&mut self.first) {
                    for ((p, &g), v) in p.iter_mut().zip(g).zip(v.iter_mut()) {
                        *v = momentum * *v - lr * g;
                        *p += if nesterov { momentum * *v - lr * g } else { *v };
                    }
                }
            }
            Solver::Adam { beta_1, beta_2, epsilon } => {
                let step = self.learning_rate * libm::sqrt(1.0 - libm::pow(beta_2, self.t as f64))
                    / (1.0 - libm::pow(beta_1, self.t as f64));
                let (b1, b2, step) = (beta_1 as f32, beta_2 as f32, step as f32);
                for (((p, g), m), s) in params.zip(grads).zip(&mut self.first).zip(&mut self.second) {
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
    use crate::base::rng::Rng;
    use crate::models::mlp_net::{Activation, Loss};

    fn one_weight(w: f32) -> Network {
        let mut net = Network::new(&[1, 1], Activation::Identity, Loss::Squared, &mut Rng::new(1));
        net.weights[0][0] = w;
        net
    }

    #[test]
    fn sgd_momentum_and_nesterov_follow_their_formulas() {
        let g = [vec![2.0f32]];
        let b = [vec![0.0f32]];
        let mut net = one_weight(1.0);
        let mut opt = Optimizer::new(Solver::Sgd { momentum: 0.5, nesterov: false }, 0.1, &net);
        opt.update(&mut net, &g, &b); // v = -0.2
        opt.update(&mut net, &g, &b); // v = -0.1 - 0.2 = -0.3
        assert!((net.weights[0][0] - 0.5).abs() < 1e-6, "{}", net.weights[0][0]);
        let mut net = one_weight(1.0);
        let mut opt = Optimizer::new(Solver::Sgd { momentum: 0.5, nesterov: true }, 0.1, &net);
        opt.update(&mut net, &g, &b); // v = -0.2, step 0.5 * -0.2 - 0.2 = -0.3
        assert!((net.weights[0][0] - 0.7).abs() < 1e-6, "{}", net.weights[0][0]);
    }

    #[test]
    fn adams_first_step_is_the_learning_rate_in_the_gradients_direction() {
        let mut net = one_weight(1.0);
        let mut opt = Optimizer::new(Solver::Adam { beta_1: 0.9, beta_2: 0.999, epsilon: 1e-8 }, 0.01, &net);
        opt.update(&mut net, &[vec![-3.0]], &[vec![0.5]]);
        assert!((net.weights[0][0] - 1.01).abs() < 1e-6, "{}", net.weights[0][0]);
        assert!((net.biases[0][0] + 0.01).abs() < 1e-6, "{}", net.biases[0][0]);
    }
}
