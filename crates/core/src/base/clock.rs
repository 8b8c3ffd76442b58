//! Milliseconds from a monotonic clock: `performance.now()` in the browser (where
//! `std::time::Instant` panics), `Instant` natively.

#[cfg(target_arch = "wasm32")]
pub fn now_ms() -> f64 {
    use js_sys::{Function, Reflect};
    use wasm_bindgen::JsCast;
    // Works on the main thread and in workers alike: both have a global `performance`.
    let perf = Reflect::get(&js_sys::global(), &"performance".into()).ok();
    let now = perf.as_ref().and_then(|p| Reflect::get(p, &"now".into()).ok());
    match (perf, now.and_then(|f| f.dyn_into::<Function>().ok())) {
        (Some(p), Some(f)) => f.call0(&p).ok().and_then(|v| v.as_f64()).unwrap_or(0.0),
        _ => js_sys::Date::now(),
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub fn now_ms() -> f64 {
    use std::sync::OnceLock;
    use std::time::Instant;
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0
}
