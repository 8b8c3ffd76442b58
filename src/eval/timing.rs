//! Inference latency: how long the fitted model takes per row.

use ndarray::Array2;

use crate::clock::now_ms;
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
