//! Approximate k-nearest neighbours by nearest-neighbour descent (Dong, Charikar and Li,
//! 2011): start from random neighbours and repeatedly let each row's neighbours introduce
//! their own neighbours to one another ("a neighbour of a neighbour is likely a
//! neighbour"). Each round costs about rows x candidates^2 distances instead of rows^2, so
//! a 70,000-row set is graphed in seconds, with nearly all true neighbours found.
//! Seeded, so the same data always gives the same graph.

use crate::base::rng::Rng;

use crate::linalg::neighbors::dist2;

/// Neighbours sampled per row and round, new and old each (pynndescent's max_candidates).
const MAX_CANDIDATES: usize = 30;
const MAX_ROUNDS: usize = 12;
/// Stop when a round improves fewer than this share of all n * k neighbour slots.
const DELTA: f64 = 0.001;
/// For the progress bar, before any round has been measured: rounds a run is guessed to
/// take, and how much each round is guessed to cut the updates by.
const GUESS_ROUNDS: f64 = 6.0;
const GUESS_RATIO: f64 = 0.4;

/// Rounds still to run after one that made `updates` (the one before it: `previous`, 0 if
/// none) before a round makes fewer than `threshold`, at most `cap`: the updates fall by
/// about the same ratio each round, so the count is a logarithm (a real number, for a
/// smooth bar).
fn rounds_left(updates: usize, previous: usize, threshold: f64, cap: usize) -> f64 {
    let ratio = if previous > 0 { updates as f64 / previous as f64 } else { GUESS_RATIO };
    let left = if ratio > 0.0 && ratio < 1.0 { (threshold / updates as f64).ln() / ratio.ln() } else { f64::INFINITY };
    left.clamp(0.0, cap as f64)
}

/// One row's current k best: (squared distance, row, not yet joined), closest first.
struct Heap {
    items: Vec<(f64, u32, bool)>,
}

impl Heap {
    fn worst(&self) -> f64 {
        self.items.last().map_or(f64::INFINITY, |e| e.0)
    }

    /// Inserts `j` at `d2` if it beats the worst and is not there yet; true if it went in.
    fn push(&mut self, d2: f64, j: u32) -> bool {
        if d2 >= self.worst() || self.items.iter().any(|e| e.1 == j) {
            return false;
        }
        let at = self.items.partition_point(|e| e.0 <= d2);
        self.items.insert(at, (d2, j, true));
        self.items.pop();
        true
    }
}

/// NN-descent in resumable pieces, so a caller can report progress between them: the
/// random start, then per round the candidate sampling and the local join in blocks of rows.
pub struct NnDescent {
    n: usize,
    d: usize,
    k: usize,
    rng: Rng,
    heaps: Vec<Heap>,
    new: Vec<Vec<u32>>,
    old: Vec<Vec<u32>>,
    round: usize,
    /// Next row of the local join; `n` when the round's candidates are still to be drawn.
    at: usize,
    updates: usize,
    /// The previous round's updates (0 before the second round).
    previous: usize,
    /// Progress when this round began, and the share of the bar this round is to fill:
    /// what is left split over the rounds estimated to remain, so the bar never goes
    /// back and does not wait for the end to jump (most runs stop long before MAX_ROUNDS).
    start: f64,
    span: f64,
    done: bool,
}

/// Rows joined per piece (a few tens of milliseconds).
const JOIN_ROWS: usize = 2048;

impl NnDescent {
    pub fn new(x: &[f64], n: usize, d: usize, k: usize, seed: u64) -> NnDescent {
        let row = |i: usize| &x[i * d..(i + 1) * d];
        let mut rng = Rng::derive(seed, 0x6e6e_6465);
        let heaps = (0..n)
            .map(|i| {
                let mut h = Heap { items: vec![(f64::INFINITY, u32::MAX, false); k] };
                while h.items.iter().filter(|e| e.1 != u32::MAX).count() < k {
                    let j = rng.below(n as u64) as usize;
                    if j != i {
                        h.push(dist2(row(i), row(j)), j as u32);
                    }
                }
                h
            })
            .collect();
        NnDescent {
            n,
            d,
            k,
            rng,
            heaps,
            new: vec![Vec::new(); n],
            old: vec![Vec::new(); n],
            round: 0,
            at: n,
            updates: 0,
            previous: 0,
            start: 0.0,
            span: 1.0 / GUESS_ROUNDS,
            done: false,
        }
    }

    /// Share of the work done, estimated from how fast the rounds' updates fall.
    pub fn fraction(&self) -> f64 {
        if self.done {
            return 1.0;
        }
        let within = if self.at < self.n { self.at as f64 / self.n as f64 } else { 0.0 };
        self.start + self.span * within
    }

    /// One piece of work; true once the graph is final.
    pub fn advance(&mut self, x: &[f64]) -> bool {
        if self.done {
            return true;
        }
        if self.at >= self.n {
            self.candidates();
            self.at = 0;
            self.updates = 0;
            return false;
        }
        let end = (self.at + JOIN_ROWS).min(self.n);
        self.join(x, self.at..end);
        self.at = end;
        if end == self.n {
            self.round += 1;
            let threshold = DELTA * (self.n * self.k) as f64;
            self.done = self.round >= MAX_ROUNDS || (self.updates as f64) < threshold;
            self.start += self.span;
            let left = rounds_left(self.updates, self.previous, threshold, MAX_ROUNDS - self.round);
            self.span = (1.0 - self.start) / left.max(1.0);
            self.previous = self.updates;
        }
        self.done
    }

    /// Candidates: a sample of each row's new and old neighbours, plus reverse links.
    fn candidates(&mut self) {
        let (new, old, rng) = (&mut self.new, &mut self.old, &mut self.rng);
        new.iter_mut().chain(old.iter_mut()).for_each(|v: &mut Vec<u32>| v.clear());
        for (i, h) in self.heaps.iter_mut().enumerate() {
            let mut fresh: Vec<usize> = (0..h.items.len()).filter(|&t| h.items[t].2).collect();
            // A seeded partial shuffle picks which new ones join this round.
            for a in 0..fresh.len().min(MAX_CANDIDATES) {
                let b = a + rng.below((fresh.len() - a) as u64) as usize;
                fresh.swap(a, b);
            }
            fresh.truncate(MAX_CANDIDATES);
            for &t in &fresh {
                let j = h.items[t].1;
                h.items[t].2 = false;
                new[i].push(j);
                if new[j as usize].len() < MAX_CANDIDATES {
                    new[j as usize].push(i as u32);
                }
            }
            for e in h.items.iter().filter(|e| !e.2).take(MAX_CANDIDATES) {
                if !fresh.iter().any(|&t| h.items[t].1 == e.1) {
                    old[i].push(e.1);
                    if old[e.1 as usize].len() < MAX_CANDIDATES {
                        old[e.1 as usize].push(i as u32);
                    }
                }
            }
        }
    }

    /// Local join: introduce every new candidate to the other new and the old ones. Which
    /// pairs meet does not depend on the heaps, so their distances are measured on the
    /// threads, a group of rows at a time, and then offered to the heaps in row order: the
    /// same graph on any number of threads.
    fn join(&mut self, x: &[f64], rows: std::ops::Range<usize>) {
        const GROUP: usize = 32;
        let d = self.d;
        let row = |i: usize| &x[i * d..(i + 1) * d];
        let (new, old) = (&self.new, &self.old);
        let mut start = rows.start;
        while start < rows.end {
            let end = (start + GROUP * crate::base::par::threads()).min(rows.end);
            let met = crate::base::par::map_ranges(end - start, GROUP, |r| {
                let mut pairs = Vec::new();
                for i in r.start + start..r.end + start {
                    let (nw, od) = (&new[i], &old[i]);
                    for (a, &u) in nw.iter().enumerate() {
                        for &v in nw[a + 1..].iter().chain(od.iter()).filter(|&&v| v != u) {
                            pairs.push((u, v, dist2(row(u as usize), row(v as usize))));
                        }
                    }
                }
                pairs
            });
            for (u, v, d2) in met.into_iter().flatten() {
                let (u, v) = (u as usize, v as usize);
                if d2 < self.heaps[u].worst() && self.heaps[u].push(d2, v as u32) {
                    self.updates += 1;
                }
                if d2 < self.heaps[v].worst() && self.heaps[v].push(d2, u as u32) {
                    self.updates += 1;
                }
            }
            start = end;
        }
    }

    /// The graph: (indices, squared distances), n x k flat, closest first.
    pub fn finish(self) -> (Vec<usize>, Vec<f64>) {
        let mut idx = Vec::with_capacity(self.n * self.k);
        let mut dist = Vec::with_capacity(self.n * self.k);
        for h in self.heaps {
            for (d2, j, _) in h.items {
                idx.push(j as usize);
                dist.push(d2);
            }
        }
        (idx, dist)
    }
}

/// The k nearest other rows of each of the n rows of `x` (row-major, d columns), as
/// (indices, squared distances), n x k flat, closest first. Needs k < n.
#[cfg(test)]
pub fn knn(x: &[f64], n: usize, d: usize, k: usize, seed: u64) -> (Vec<usize>, Vec<f64>) {
    let mut job = NnDescent::new(x, n, d, k, seed);
    while !job.advance(x) {}
    job.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nearly_all_true_neighbours_deterministically() {
        let (n, d, k) = (3000, 20, 15);
        let mut rng = Rng::new(5);
        // Clusters in 20-D, where a kd-tree does not pay.
        let x: Vec<f64> =
            (0..n * d).map(|t| rng.normal() + ((t / d) % 7) as f64 * 3.0 * ((t % d) % 2) as f64).collect();
        let (idx, dist) = knn(&x, n, d, k, 1);
        assert_eq!(knn(&x, n, d, k, 1).0, idx, "seeded");
        for threads in [1, 3] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("a pool");
            assert_eq!(pool.install(|| knn(&x, n, d, k, 1)), (idx.clone(), dist.clone()), "{threads} threads");
        }
        let mut hits = 0;
        for i in 0..n {
            let mut all: Vec<(f64, usize)> = (0..n)
                .filter(|&j| j != i)
                .map(|j| (dist2(&x[i * d..(i + 1) * d], &x[j * d..(j + 1) * d]), j))
                .collect();
            all.sort_by(|a, b| a.0.total_cmp(&b.0));
            let truth: Vec<usize> = all[..k].iter().map(|e| e.1).collect();
            hits += idx[i * k..(i + 1) * k].iter().filter(|j| truth.contains(j)).count();
            assert!(dist[i * k..(i + 1) * k].windows(2).all(|w| w[0] <= w[1]));
            assert!(!idx[i * k..(i + 1) * k].contains(&i));
        }
        let recall = hits as f64 / (n * k) as f64;
        assert!(recall > 0.95, "recall {recall}");
    }

    #[test]
    fn progress_rises_steadily_and_ends_without_a_jump() {
        let (n, d, k) = (9000, 10, 15);
        let mut rng = Rng::new(3);
        let x: Vec<f64> = (0..n * d).map(|t| rng.normal() + ((t / d) % 7) as f64 * ((t % d) % 2) as f64).collect();
        let mut job = NnDescent::new(&x, n, d, k, 1);
        let mut seen = vec![job.fraction()];
        while !job.advance(&x) {
            seen.push(job.fraction());
        }
        seen.push(job.fraction());
        assert!(job.round < MAX_ROUNDS, "stops early, as most data does: {}", job.round);
        assert!(seen.windows(2).all(|w| w[0] <= w[1]) && seen[0] == 0.0 && seen.last() == Some(&1.0), "{seen:?}");
        // Counting rounds out of MAX_ROUNDS, the bar jumped from round / 12 to the end.
        let steps: Vec<f64> = seen.windows(2).map(|w| w[1] - w[0]).collect();
        assert!(steps.iter().all(|&s| s < 0.2), "{seen:?}");
    }

    #[test]
    fn rounds_left_follow_the_fall_of_the_updates() {
        // Falling tenfold a round from 100,000 to under 100: three more rounds.
        assert!((rounds_left(100_000, 1_000_000, 100.0, 12) - 3.0).abs() < 1e-9);
        assert_eq!(rounds_left(50, 500, 100.0, 12), 0.0);
        assert_eq!(rounds_left(500, 400, 100.0, 7), 7.0, "not falling: the cap");
        assert!(rounds_left(1_000_000, 0, 100.0, 12) > 5.0, "no ratio yet: a guess");
    }
}
