//! The device, its queue and the compiled kernels, shared by trainers and benchmarks; and
//! the few buffer chores (upload, read back) everything else builds on.
//!
//! Nothing here blocks: a read-back awaits `map_async`'s callback. In the browser the
//! event loop delivers it; natively the device has to be polled, done right there
//! (behind cfg), so native callers can drive the futures with any executor.

use std::sync::{Arc, Mutex};

use super::kernels::Kernels;
use crate::base::error::{Error, Result};

#[derive(Clone)]
pub struct Gpu {
    pub device: wgpu::Device,
    pub(crate) queue: wgpu::Queue,
    pub(crate) kernels: Arc<Kernels>,
    name: String,
    /// The first validation error, out-of-memory or loss of the device reported by wgpu
    /// (which would otherwise panic natively); turned into an `Error` at the next read.
    fault: Arc<Mutex<Option<String>>>,
}

impl Gpu {
    /// The first adapter the platform offers (WebGPU in the browser, Vulkan natively), a
    /// device with the adapter's limits, and the kernels compiled.
    pub async fn new() -> Result<Gpu> {
        #[cfg(target_arch = "wasm32")]
        let backends = wgpu::Backends::BROWSER_WEBGPU;
        #[cfg(not(target_arch = "wasm32"))]
        let backends = wgpu::Backends::VULKAN;
        let instance = wgpu::Instance::new(&wgpu::InstanceDescriptor { backends, ..Default::default() });
        let adapter = instance
            .request_adapter(&wgpu::RequestAdapterOptions {
                power_preference: wgpu::PowerPreference::HighPerformance,
                ..Default::default()
            })
            .await
            .map_err(|e| Error::Training(format!("no GPU adapter is available ({e}); train on the CPU instead")))?;
        let info = adapter.get_info();
        let name = [info.name.as_str(), info.driver.as_str(), info.driver_info.as_str()]
            .into_iter()
            .find(|s| !s.is_empty())
            .unwrap_or("unnamed adapter")
            .to_string();
        let (device, queue) = adapter
            .request_device(&wgpu::DeviceDescriptor {
                label: Some("mlplay"),
                required_limits: adapter.limits(),
                ..Default::default()
            })
            .await
            .map_err(|e| Error::Training(format!("the GPU adapter '{name}' gave no device ({e})")))?;
        let fault = Arc::new(Mutex::new(None::<String>));
        let on_error = fault.clone();
        device.on_uncaptured_error(Arc::new(move |e: wgpu::Error| record(&on_error, e.to_string())));
        let on_lost = fault.clone();
        device.set_device_lost_callback(move |_, msg| record(&on_lost, format!("the GPU device was lost: {msg}")));
        let kernels = Arc::new(Kernels::new(&device));
        Ok(Gpu { device, queue, kernels, name, fault })
    }

    /// The adapter's name, for the page and the benchmark.
    pub fn adapter_name(&self) -> &str {
        &self.name
    }

    /// The fault wgpu reported since the device was made, if any.
    pub(crate) fn check(&self) -> Result<()> {
        match self.fault.lock().map(|f| f.clone()) {
            Ok(None) => Ok(()),
            Ok(Some(msg)) => Err(Error::Training(format!("the GPU failed: {msg}"))),
            Err(_) => Err(Error::Training("the GPU failed".into())),
        }
    }

    /// A storage buffer of `floats` 4-byte elements (at least one), filled with `data`.
    pub(crate) fn buffer(&self, label: &str, floats: usize, data: Option<&[u8]>) -> wgpu::Buffer {
        let buf = self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some(label),
            size: 4 * floats.max(1) as u64,
            usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::COPY_SRC,
            mapped_at_creation: false,
        });
        if let Some(d) = data.filter(|d| !d.is_empty()) {
            self.queue.write_buffer(&buf, 0, d);
        }
        buf
    }

    /// A uniform buffer holding eight 4-byte values (a kernel's `Params`).
    pub(crate) fn params(&self, values: [u32; 8]) -> wgpu::Buffer {
        let buf = self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("params"),
            size: 32,
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        self.queue.write_buffer(&buf, 0, &u32_bytes(&values));
        buf
    }

    /// `floats` values of `src` from float `offset` on, after the work submitted so far.
    pub(crate) async fn read(&self, src: &wgpu::Buffer, offset: usize, floats: usize) -> Result<Vec<f32>> {
        self.check()?;
        if floats == 0 {
            return Ok(vec![]);
        }
        let size = 4 * floats as u64;
        let staging = self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("read-back"),
            size,
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let mut enc = self.device.create_command_encoder(&Default::default());
        enc.copy_buffer_to_buffer(src, 4 * offset as u64, &staging, 0, size);
        self.queue.submit([enc.finish()]);
        let (tx, rx) = oneshot();
        staging.slice(..).map_async(wgpu::MapMode::Read, move |r| tx.send(r));
        #[cfg(not(target_arch = "wasm32"))]
        self.device
            .poll(wgpu::PollType::wait_indefinitely())
            .map_err(|e| Error::Training(format!("the GPU failed: {e}")))?;
        let mapped = rx.await;
        self.check()?;
        mapped.map_err(|e| Error::Training(format!("the GPU's results could not be read ({e})")))?;
        let out = {
            let view = staging.slice(..).get_mapped_range();
            view.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect()
        };
        staging.unmap();
        Ok(out)
    }
}

fn record(fault: &Mutex<Option<String>>, msg: String) {
    if let Ok(mut f) = fault.lock() {
        f.get_or_insert(msg);
    }
}

pub(crate) fn f32_bytes(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

pub(crate) fn u32_bytes(v: &[u32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

/// A one-value channel whose receiving end is a future: how `map_async`'s callback hands
/// its result to the `async fn` waiting for it.
struct Slot<T> {
    value: Option<T>,
    waker: Option<std::task::Waker>,
}

struct Sender<T>(Arc<Mutex<Slot<T>>>);
struct Receiver<T>(Arc<Mutex<Slot<T>>>);

fn oneshot<T>() -> (Sender<T>, Receiver<T>) {
    let slot = Arc::new(Mutex::new(Slot { value: None, waker: None }));
    (Sender(slot.clone()), Receiver(slot))
}

impl<T> Sender<T> {
    fn send(self, value: T) {
        let waker = match self.0.lock() {
            Ok(mut s) => {
                s.value = Some(value);
                s.waker.take()
            }
            Err(_) => None,
        };
        if let Some(w) = waker {
            w.wake();
        }
    }
}

impl<T> std::future::Future for Receiver<T> {
    type Output = T;
    fn poll(self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<T> {
        let mut s = self.0.lock().unwrap_or_else(|e| e.into_inner());
        match s.value.take() {
            Some(v) => std::task::Poll::Ready(v),
            None => {
                s.waker = Some(cx.waker().clone());
                std::task::Poll::Pending
            }
        }
    }
}
