//! Barnes-Hut approximation of t-SNE's repulsive forces: a quadtree over the 2-D layout,
//! in which a whole cell that looks small from a point (width / distance < angle) acts
//! as one mass at its centre, so a step costs O(n log n) instead of O(n^2).

/// A cell: its centre of mass, how many points it holds, its squared width, and either
/// its children or (a leaf) the range of points it holds in `order`.
#[derive(Debug, Clone)]
struct Cell {
    cx: f64,
    cy: f64,
    count: f64,
    width2: f64,
    /// Index of the first child in `cells`, children contiguous; 0 for a leaf.
    first: u32,
    n_children: u32,
    start: u32,
    end: u32,
}

/// Below this width a cell is not split further (points that close act as one).
const MIN_WIDTH: f64 = 1e-12;

#[derive(Debug, Clone, Default)]
pub struct QuadTree {
    cells: Vec<Cell>,
    order: Vec<u32>,
}

impl QuadTree {
    /// Rebuild over `y` (n x 2, row-major), reusing the buffers.
    pub fn build(&mut self, y: &[f64]) {
        let n = y.len() / 2;
        self.cells.clear();
        self.order.clear();
        self.order.extend(0..n as u32);
        if n == 0 {
            return;
        }
        let (x0, y0, x1, y1) = super::common::extent(y);
        let side = (x1 - x0).max(y1 - y0).max(MIN_WIDTH) * (1.0 + 1e-9);
        self.cells.push(self.leaf(y, 0, n, side));
        self.split(y, 0, x0, y0, side);
    }

    fn leaf(&self, y: &[f64], start: usize, end: usize, side: f64) -> Cell {
        let (mut sx, mut sy) = (0.0, 0.0);
        for &j in &self.order[start..end] {
            sx += y[2 * j as usize];
            sy += y[2 * j as usize + 1];
        }
        let c = (end - start) as f64;
        Cell {
            cx: sx / c,
            cy: sy / c,
            count: c,
            width2: side * side,
            first: 0,
            n_children: 0,
            start: start as u32,
            end: end as u32,
        }
    }

    /// Split cell `id` (lower corner x0, y0) into its non-empty quadrants, recursively.
    fn split(&mut self, y: &[f64], id: usize, x0: f64, y0: f64, side: f64) {
        let (start, end) = (self.cells[id].start as usize, self.cells[id].end as usize);
        if end - start <= 1 || side < MIN_WIDTH {
            return;
        }
        let half = side / 2.0;
        let (mx, my) = (x0 + half, y0 + half);
        let xs = start + partition(&mut self.order[start..end], |j| y[2 * j] < mx);
        let ys_lo = start + partition(&mut self.order[start..xs], |j| y[2 * j + 1] < my);
        let ys_hi = xs + partition(&mut self.order[xs..end], |j| y[2 * j + 1] < my);
        let quads = [(start, ys_lo, x0, y0), (ys_lo, xs, x0, my), (xs, ys_hi, mx, y0), (ys_hi, end, mx, my)];
        let first = self.cells.len();
        let mut made = Vec::with_capacity(4);
        for &(s, e, qx, qy) in &quads {
            if e > s {
                self.cells.push(self.leaf(y, s, e, half));
                made.push((qx, qy));
            }
        }
        self.cells[id].first = first as u32;
        self.cells[id].n_children = made.len() as u32;
        for (c, (qx, qy)) in made.into_iter().enumerate() {
            self.split(y, first + c, qx, qy, half);
        }
    }

    /// Repulsion on point i: adds sum_j q_ij^2 (y_i - y_j) to `force` and returns
    /// sum_j q_ij, with q_ij = 1 / (1 + |y_i - y_j|^2) unnormalised.
    /// `stack` is scratch space, one per thread.
    pub fn repulsion(&self, y: &[f64], i: usize, theta2: f64, force: &mut [f64; 2], stack: &mut Vec<u32>) -> f64 {
        let (px, py) = (y[2 * i], y[2 * i + 1]);
        let mut sum_q = 0.0;
        stack.clear();
        if !self.cells.is_empty() {
            stack.push(0);
        }
        while let Some(id) = stack.pop() {
            let c = &self.cells[id as usize];
            if c.n_children == 0 {
                for &j in &self.order[c.start as usize..c.end as usize] {
                    let j = j as usize;
                    if j != i {
                        let (dx, dy) = (px - y[2 * j], py - y[2 * j + 1]);
                        let q = 1.0 / (1.0 + dx * dx + dy * dy);
                        sum_q += q;
                        force[0] += q * q * dx;
                        force[1] += q * q * dy;
                    }
                }
                continue;
            }
            let (dx, dy) = (px - c.cx, py - c.cy);
            let d2 = dx * dx + dy * dy;
            if c.width2 < theta2 * d2 {
                let q = 1.0 / (1.0 + d2);
                sum_q += c.count * q;
                let m = c.count * q * q;
                force[0] += m * dx;
                force[1] += m * dy;
            } else {
                stack.extend(c.first..c.first + c.n_children);
            }
        }
        sum_q
    }
}

/// Moves the items for which `left` holds to the front (order not kept); returns their count.
fn partition(items: &mut [u32], left: impl Fn(usize) -> bool) -> usize {
    let mut k = 0;
    for i in 0..items.len() {
        if left(items[i] as usize) {
            items.swap(i, k);
            k += 1;
        }
    }
    k
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::rng::Rng;

    fn exact(y: &[f64], i: usize) -> (f64, [f64; 2]) {
        let (mut s, mut f) = (0.0, [0.0; 2]);
        for j in 0..y.len() / 2 {
            if j != i {
                let (dx, dy) = (y[2 * i] - y[2 * j], y[2 * i + 1] - y[2 * j + 1]);
                let q = 1.0 / (1.0 + dx * dx + dy * dy);
                s += q;
                f[0] += q * q * dx;
                f[1] += q * q * dy;
            }
        }
        (s, f)
    }

    #[test]
    fn angle_zero_is_exact_and_half_is_close() {
        let mut rng = Rng::new(5);
        let mut y: Vec<f64> = (0..600).map(|_| rng.normal() * 5.0).collect();
        y[10] = y[12]; // a duplicate point
        y[11] = y[13];
        let mut t = QuadTree::default();
        t.build(&y);
        for i in [0, 5, 6, 150, 299] {
            let (s, f) = exact(&y, i);
            let mut g = [0.0; 2];
            let s0 = t.repulsion(&y, i, 0.0, &mut g, &mut vec![]);
            assert!((s0 - s).abs() < 1e-9 * s && (g[0] - f[0]).abs() < 1e-9 && (g[1] - f[1]).abs() < 1e-9);
            let mut g = [0.0; 2];
            let s5 = t.repulsion(&y, i, 0.25, &mut g, &mut vec![]);
            assert!((s5 - s).abs() < 0.02 * s, "{s5} vs {s}");
        }
    }
}
