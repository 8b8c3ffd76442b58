//! GFLOP/s of the GPU matrix-product kernel next to the CPU one (`models::matmul`).
//! `cargo run --release --features native-gpu --example gpu_gemm`

use mlplay::gpu::{bench, Gpu};
use mlplay::linalg::matmul::{gemm_acc, Operand};
use std::time::Instant;

fn cpu_gflops(n: usize) -> f64 {
    let a: Vec<f32> = (0..n * n).map(|i| ((i * 7919 % 1000) as f32 - 500.0) * 1e-3).collect();
    let mut c = vec![0.0f32; n * n];
    let mut reps = 0;
    let t0 = Instant::now();
    while reps == 0 || t0.elapsed().as_secs_f64() < 0.5 {
        gemm_acc(Operand::new(&a, n, n), Operand::new(&a, n, n), &mut c);
        reps += 1;
    }
    2.0 * (n * n * n) as f64 * reps as f64 / t0.elapsed().as_secs_f64() / 1e9
}

fn main() {
    let gpu = match pollster::block_on(Gpu::new()) {
        Ok(g) => g,
        Err(e) => {
            println!("no GPU: {e}");
            return;
        }
    };
    println!("adapter: {}", gpu.adapter_name());
    println!("{:>6} {:>12} {:>12}", "n", "GPU GFLOP/s", "CPU GFLOP/s");
    for n in [256, 512, 1024] {
        match pollster::block_on(bench::gemm_gflops(&gpu, n)) {
            Ok(g) => println!("{n:>6} {g:>12.2} {:>12.2}", cpu_gflops(n)),
            Err(e) => println!("{n:>6} failed: {e}"),
        }
    }
}
