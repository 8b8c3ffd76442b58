//! The memory of limited-memory BFGS: the last few steps and gradient changes, from which
//! the two-loop recursion turns a gradient into a quasi-Newton direction. The trainer
//! owns the line search; this holds no objective.

use std::collections::VecDeque;

use ndarray::Array2;

pub struct Lbfgs {
    memory: usize,
    /// (step s, gradient change y, 1 / y.s), oldest first.
    pairs: VecDeque<(Array2<f64>, Array2<f64>, f64)>,
}

fn dot(a: &Array2<f64>, b: &Array2<f64>) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

impl Lbfgs {
    pub fn new(memory: usize) -> Lbfgs {
        Lbfgs { memory, pairs: VecDeque::new() }
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    pub fn forget(&mut self) {
        self.pairs.clear();
    }

    /// Keep the pair unless curvature is not positive (the update would not be a descent
    /// direction then).
    pub fn remember(&mut self, s: Array2<f64>, y: Array2<f64>) {
        let ys = dot(&y, &s);
        if ys > 1e-12 * dot(&y, &y).sqrt() * dot(&s, &s).sqrt() && ys > 0.0 {
            if self.pairs.len() == self.memory {
                self.pairs.pop_front();
            }
            self.pairs.push_back((s, y, 1.0 / ys));
        }
    }

    /// -H g by the two-loop recursion, scaled by the last pair's s.y / y.y.
    pub fn direction(&self, g: &Array2<f64>) -> Array2<f64> {
        let mut q = g.clone();
        let mut alphas = Vec::with_capacity(self.pairs.len());
        for (s, y, rho) in self.pairs.iter().rev() {
            let a = rho * dot(s, &q);
            q.scaled_add(-a, y);
            alphas.push(a);
        }
        if let Some((s, y, _)) = self.pairs.back() {
            q *= dot(s, y) / dot(y, y);
        }
        for ((s, y, rho), a) in self.pairs.iter().zip(alphas.into_iter().rev()) {
            let b = rho * dot(y, &q);
            q.scaled_add(a - b, s);
        }
        -q
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn on_a_quadratic_the_direction_becomes_newtons() {
        // f = (x^2 + 10 y^2) / 2, gradient (x, 10 y). After two independent steps the
        // memory holds the exact curvature, so the direction is -H^-1 g.
        let grad = |p: &Array2<f64>| array![[p[[0, 0]]], [10.0 * p[[1, 0]]]];
        let mut m = Lbfgs::new(5);
        let (p0, p1, p2) = (array![[1.0], [1.0]], array![[0.5], [1.0]], array![[0.5], [0.2]]);
        m.remember(&p1 - &p0, grad(&p1) - grad(&p0));
        m.remember(&p2 - &p1, grad(&p2) - grad(&p1));
        let d = m.direction(&grad(&p2));
        assert!((d[[0, 0]] + 0.5).abs() < 1e-12 && (d[[1, 0]] + 0.2).abs() < 1e-12, "{d:?}");
    }
}
