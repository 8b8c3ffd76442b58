//! What the MLP's and the CNN's GPU trainers share at the end of an epoch: recording the
//! batches' steps in groups, and summing the per-batch statistics read back.

use super::context::Gpu;
use super::kernels::{Op, Step, Steps};
use crate::base::error::{Error, Result};

/// Floats per batch in the statistics buffer: loss sum, right answers, sum of squared weights.
pub(super) const STRIDE: usize = 4;
/// Batches encoded into one command buffer.
const BATCHES_PER_SUBMIT: usize = 32;

/// Records every step: the first `batches` with the training ops, the rest (validation
/// chunks) with `val_ops`. Submitted in groups of batches: one huge command buffer could
/// outlast the driver's watchdog on large data.
pub(super) fn submit_steps(gpu: &Gpu, buf: &Steps, steps: &[Step], batches: usize, train_ops: &[Op], val_ops: &[Op]) {
    buf.write(gpu, steps);
    for (g, group) in steps.chunks(BATCHES_PER_SUBMIT).enumerate() {
        let mut enc = gpu.device.create_command_encoder(&Default::default());
        {
            let mut pass = enc.begin_compute_pass(&Default::default());
            for (j, s) in group.iter().enumerate() {
                let i = g * BATCHES_PER_SUBMIT + j;
                buf.bind(&mut pass, i);
                let ops = if i < batches { train_ops } else { val_ops };
                ops.iter().for_each(|op| op.record(gpu, &mut pass, s.rows));
            }
        }
        gpu.queue.submit([enc.finish()]);
    }
}

/// Sums the training batches' statistics: (loss, loss + penalty, right answers). A batch
/// whose objective is not finite stops the run at `epoch`; `hint` says what to change.
pub(super) fn sum_batches(
    stats: &[f32],
    batches: usize,
    alpha: f64,
    epoch: usize,
    hint: &str,
) -> Result<(f64, f64, f64)> {
    let half_alpha = 0.5 * alpha;
    let (mut loss, mut objective, mut right) = (0.0f64, 0.0f64, 0.0f64);
    for s in stats[..batches * STRIDE].chunks_exact(STRIDE) {
        let (l, penalty) = (s[0] as f64, half_alpha * s[2] as f64);
        if !(l + penalty).is_finite() {
            return Err(Error::Training(format!("the loss became infinite at epoch {epoch}; {hint}")));
        }
        loss += l;
        objective += l + penalty;
        right += s[1] as f64;
    }
    Ok((loss, objective, right))
}
