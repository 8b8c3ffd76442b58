//! The WebGPU side: whether the browser offers an adapter (for the page's backend note),
//! and training the MLP (`GpuTrainer`) and the CNN (`CnnGpuTrainer`) on the GPU, with WGSL kernels in `wgsl/`.
//!
//! Built for wasm32 (WebGPU) and natively with the `native-gpu` feature (Vulkan), where
//! the tests and the GEMM benchmark run. Everything that waits on the device is `async`.

pub mod bench;
#[doc(hidden)]
pub mod check;
pub mod cnn_train;
mod context;
mod epoch;
mod kernels;
pub mod mlp_train;

pub use cnn_train::CnnGpuTrainer;
pub use context::Gpu;
pub use mlp_train::{GpuEpoch, GpuTrainer, ValidationStats};

/// The adapter's description when the browser offers WebGPU, `None` otherwise.
pub async fn probe_adapter() -> Option<String> {
    let instance = wgpu::Instance::new(&wgpu::InstanceDescriptor {
        backends: wgpu::Backends::BROWSER_WEBGPU,
        ..Default::default()
    });
    let adapter = instance
        .request_adapter(&wgpu::RequestAdapterOptions {
            power_preference: wgpu::PowerPreference::HighPerformance,
            ..Default::default()
        })
        .await
        .ok()?;
    let info = adapter.get_info();
    let name = [info.name.as_str(), info.driver.as_str(), info.driver_info.as_str()]
        .into_iter()
        .find(|s| !s.is_empty())
        .unwrap_or("unnamed adapter")
        .to_string();
    Some(name)
}
