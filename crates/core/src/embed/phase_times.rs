//! Wall-clock totals per phase of t-SNE's iterations, for profiling natively: on only when
//! the environment variable `MLPLAY_TSNE_TIMES` is set (never in the page, where there is no
//! environment), printed to stderr when the model is dropped.

use std::time::Instant;

#[derive(Debug, Clone)]
pub struct PhaseTimes {
    on: bool,
    what: &'static str,
    names: Vec<&'static str>,
    secs: Vec<f64>,
    /// Other quantities, averaged per call (a grid size).
    values: Vec<(&'static str, f64)>,
    calls: usize,
    last: Option<Instant>,
}

impl PhaseTimes {
    pub fn new(what: &'static str) -> PhaseTimes {
        let on = cfg!(not(target_arch = "wasm32")) && std::env::var_os("MLPLAY_TSNE_TIMES").is_some();
        PhaseTimes { on, what, names: vec![], secs: vec![], values: vec![], calls: 0, last: None }
    }

    /// Starts one call (an iteration).
    pub fn start(&mut self) {
        if self.on {
            self.calls += 1;
            self.last = Some(Instant::now());
        }
    }

    /// Adds `value` to the total of `name`.
    pub fn record(&mut self, name: &'static str, value: f64) {
        if self.on {
            match self.values.iter_mut().find(|(n, _)| *n == name) {
                Some((_, v)) => *v += value,
                None => self.values.push((name, value)),
            }
        }
    }

    /// Adds the time since the last `start` or `lap` to `name`.
    pub fn lap(&mut self, name: &'static str) {
        let Some(last) = self.last.filter(|_| self.on) else { return };
        let now = Instant::now();
        let s = (now - last).as_secs_f64();
        match self.names.iter().position(|&n| n == name) {
            Some(i) => self.secs[i] += s,
            None => {
                self.names.push(name);
                self.secs.push(s);
            }
        }
        self.last = Some(now);
    }
}

impl Drop for PhaseTimes {
    fn drop(&mut self) {
        if self.on && self.calls > 0 {
            let per = |s: f64| s * 1e3 / self.calls as f64;
            let total: f64 = self.secs.iter().sum();
            let mut parts: Vec<String> =
                self.names.iter().zip(&self.secs).map(|(n, &s)| format!("{n} {:.3}", per(s))).collect();
            parts.extend(self.values.iter().map(|(n, v)| format!("[{n} {:.1}]", v / self.calls as f64)));
            eprintln!(
                "{} ms per call over {} calls: {} (total {:.3})",
                self.what,
                self.calls,
                parts.join(", "),
                per(total)
            );
        }
    }
}
