//! The WebGPU side. For now: find out whether the browser offers an adapter, so the page
//! can say which backend it has. Training kernels will live here (see DESIGN.md).

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
