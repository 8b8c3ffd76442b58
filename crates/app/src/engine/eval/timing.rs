//! Inference latency: how long the fitted model takes per row.

use ndarray::Array2;

use crate::base::clock::now_ms;
use crate::models::Model;

/// Mean microseconds per row, predicting `x` repeatedly for at least ~20 ms so that the
/// coarse clocks of some browsers still give a usable figure.
pub fn predict_us_per_row(model: &dyn Model, x: &Array2<f64>) -> f64 {
    if x.nrows() == 0 {
        return 0.0;
    }
    let start = now_ms();
    let mut reps = 0usize;
    while reps < 10_000 {
        std::hint::black_box(model.predict(x));
        reps += 1;
        if now_ms() - start >= 20.0 {
            break;
        }
    }
    (now_ms() - start) * 1000.0 / (reps * x.nrows()) as f64
}

/// Latency of answering one row at a time, as a served model would: the median and 99th
/// percentile over up to 100 rows of `x`. Each row is predicted alone, repeated until
/// ~0.5 ms has passed (browsers coarsen their clock to 0.1 ms), and its mean taken.
pub fn single_row_latency_us(model: &dyn Model, x: &Array2<f64>) -> Option<(f64, f64)> {
    const ROWS: usize = 100;
    const WINDOW_MS: f64 = 0.5;
    let n = x.nrows().min(ROWS);
    if n == 0 {
        return None;
    }
    let mut per_row: Vec<f64> = (0..n)
        .map(|k| {
            let row = x.slice(ndarray::s![k * x.nrows() / n..k * x.nrows() / n + 1, ..]).to_owned();
            let start = now_ms();
            let mut reps = 0usize;
            loop {
                std::hint::black_box(model.predict(&row));
                reps += 1;
                let spent = now_ms() - start;
                if spent >= WINDOW_MS || reps >= 100_000 {
                    return spent * 1000.0 / reps as f64;
                }
            }
        })
        .collect();
    per_row.sort_by(f64::total_cmp);
    let pick = |q: f64| per_row[((q * (n - 1) as f64).round() as usize).min(n - 1)];
    Some((pick(0.5), pick(0.99)))
}
