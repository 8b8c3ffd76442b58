//! The weight updates of scikit-learn's MLP solvers: SGD with (Nesterov) momentum and
//! Adam, with a constant learning rate (`learning_rate_init`); and the schema of their
//! settings and of the stopping rule, which every network kind (mlp, autoencoder, cnn) lists.

use super::mlp_net::Network;
use crate::base::error::{Error, Result};
use crate::base::schema::{check_choice, check_float, check_int, Domain, ParamInfo};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Solver {
    /// `v = momentum * v - lr * g`; the step is `v`, or with Nesterov's correction
    /// `momentum * v - lr * g`. `momentum = 0` is plain SGD.
    Sgd { momentum: f32, nesterov: bool },
    /// Adam (Kingma & Ba), bias-corrected through the step size as scikit-learn does.
    Adam { beta_1: f64, beta_2: f64, epsilon: f32 },
}

/// The solver and stopping settings as a network's hyperparameter struct holds them
/// (scikit-learn's MLP names).
#[derive(Debug, Clone, Copy)]
pub struct SolverSettings<'a> {
    pub solver: &'a str,
    pub learning_rate_init: f64,
    pub max_iter: u32,
    pub alpha: f64,
    pub batch_size: u32,
    pub momentum: f64,
    pub nesterovs_momentum: bool,
    pub beta_1: f64,
    pub beta_2: f64,
    pub epsilon: f64,
    pub n_iter_no_change: u32,
    pub tol: f64,
}

impl SolverSettings<'_> {
    /// Checks each setting against its schema entry in `p` (from `solver_param_info`).
    pub fn check(&self, p: &[ParamInfo]) -> Result<()> {
        check_choice(p, "solver", self.solver)?;
        check_float(p, "learning_rate_init", self.learning_rate_init)?;
        check_int(p, "max_iter", self.max_iter.into())?;
        check_float(p, "alpha", self.alpha)?;
        check_int(p, "batch_size", self.batch_size.into())?;
        check_int(p, "n_iter_no_change", self.n_iter_no_change.into())?;
        check_float(p, "tol", self.tol)?;
        check_float(p, "momentum", self.momentum)?;
        for (name, v) in [("beta_1", self.beta_1), ("beta_2", self.beta_2)] {
            check_float(p, name, v)?;
            if v >= 1.0 {
                return Err(Error::param(name, v, "at least 0 and below 1"));
            }
        }
        check_float(p, "epsilon", self.epsilon)
    }

    pub fn solver(&self) -> Solver {
        match self.solver {
            "sgd" => Solver::Sgd { momentum: self.momentum as f32, nesterov: self.nesterovs_momentum },
            _ => Solver::Adam { beta_1: self.beta_1, beta_2: self.beta_2, epsilon: self.epsilon as f32 },
        }
    }
}

fn float(min: f64, max: f64, log: bool, min_exclusive: bool) -> Domain {
    Domain::Float { min, max, log, min_exclusive }
}

/// The schema of the solver and stopping settings, in the order the page lists them:
/// solver, learning_rate_init, max_iter, alpha, batch_size, then early_stopping,
/// n_iter_no_change, tol and the solvers' own settings. `max_epochs` bounds `max_iter` and
/// `n_iter_no_change`; `batch_size` is the kind's own entry (the mlp's knows "auto").
pub fn solver_param_info(max_epochs: i64, batch_size: ParamInfo) -> Vec<ParamInfo> {
    let p = ParamInfo::new;
    vec![
        p("solver", Domain::Choice { options: &["adam", "sgd"] },
          "How the weights are moved downhill after each mini-batch. adam adapts the step of every weight by itself and rarely needs tuning; sgd takes plain gradient steps, sped up by momentum.", false),
        p("learning_rate_init", float(0.0, 10.0, true, true),
          "Size of each step downhill. Too large and the loss jumps around or blows up; too small and training crawls.", false),
        p("max_iter", Domain::Int { min: 1, max: max_epochs },
          "Most epochs to train. Each epoch goes through every training row once, in shuffled mini-batches.", false),
        p("alpha", float(0.0, 100.0, true, false),
          "L2 penalty: pulls every weight towards zero. Raise it to smooth a network that overfits.", false),
        batch_size,
        p("early_stopping", Domain::Bool,
          "Stop once the loss on the validation part has not improved for n_iter_no_change epochs, and keep the best weights seen. Uses this page's validation part, not a slice of the training rows as scikit-learn's MLP does.", false),
        p("n_iter_no_change", Domain::Int { min: 1, max: max_epochs },
          "How many epochs without improvement to wait before stopping: improvement of the training loss, or with early stopping of the validation loss.", true),
        p("tol", float(0.0, 1.0, true, false),
          "The least drop in loss that counts as an improvement when deciding to stop.", true),
        p("momentum", float(0.0, 1.0, false, false),
          "sgd only: how much of the previous step carries into the next one, like a ball rolling downhill. 0 is plain gradient descent.", true),
        p("nesterovs_momentum", Domain::Bool,
          "sgd only: look ahead along the momentum before measuring the slope (Nesterov's variant), which usually settles faster.", true),
        p("beta_1", float(0.0, 1.0, false, false),
          "adam only: how slowly its running average of the slopes forgets old batches (0 to just under 1).", true),
        p("beta_2", float(0.0, 1.0, false, false),
          "adam only: how slowly its running average of the squared slopes forgets old batches (0 to just under 1).", true),
        p("epsilon", float(0.0, 1.0, true, true),
          "adam only: a tiny number added before dividing, so weights with almost no slope do not take huge steps.", true),
    ]
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
