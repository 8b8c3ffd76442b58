//! How fast the matrix-product kernel runs on this adapter.

use super::context::{f32_bytes, Gpu};
use super::kernels::{Grid, Kernel, Op, Step, Steps, View};
use crate::base::clock::now_ms;
use crate::base::error::Result;

/// GFLOP/s of `C = A · B` for `n x n` matrices: repeated products in one submission,
/// timed to the read-back of one value (so it includes one round trip).
pub async fn gemm_gflops(gpu: &Gpu, n: usize) -> Result<f64> {
    let data: Vec<f32> = (0..n * n).map(|i| ((i * 7919 % 1000) as f32 - 500.0) * 1e-3).collect();
    let a = gpu.buffer("a", n * n, Some(&f32_bytes(&data)));
    let b = gpu.buffer("b", n * n, Some(&f32_bytes(&data)));
    let c = gpu.buffer("c", n * n, None);
    let dummy = gpu.buffer("unused", 1, None);
    let views = [View::all(&a), View::all(&b), View::all(&dummy), View::all(&dummy), View::all(&c)];
    let op = Op::new(
        gpu,
        Kernel::Matmul,
        [n as u32, n as u32, n as u32, 0, 0, 0, 0, 0],
        &views,
        Grid::Tiles { rows: Some(n as u32), cols: n as u32 },
    );
    let steps = Steps::new(gpu, 1);
    steps.write(gpu, &[Step::default()]);
    let run = |reps: usize| {
        let mut enc = gpu.device.create_command_encoder(&Default::default());
        {
            let mut pass = enc.begin_compute_pass(&Default::default());
            steps.bind(&mut pass, 0);
            (0..reps).for_each(|_| op.record(gpu, &mut pass, 0));
        }
        gpu.queue.submit([enc.finish()]);
    };
    // Warm up (pipeline and memory), then size the timed run to about half a second.
    let t0 = now_ms();
    run(1);
    gpu.read(&c, 0, 1).await?;
    let once = (now_ms() - t0).max(0.01);
    let reps = ((500.0 / once) as usize).clamp(1, 200);
    let t0 = now_ms();
    run(reps);
    gpu.read(&c, 0, 1).await?;
    let ms = (now_ms() - t0).max(1e-3);
    Ok(2.0 * (n * n * n) as f64 * reps as f64 / (ms * 1e6))
}
