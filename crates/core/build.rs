// `cfg(threads)`: the build can run threads (natively, or wasm with atomics). The
// single-thread wasm build then leaves rayon out (see src/par.rs).
fn main() {
    // Without this, any file of the package changing (www/, tests/) would rebuild the crate.
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rustc-check-cfg=cfg(threads)");
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "wasm32");
    let atomics = std::env::var("CARGO_CFG_TARGET_FEATURE").is_ok_and(|f| f.split(',').any(|x| x == "atomics"));
    if !wasm || atomics {
        println!("cargo::rustc-cfg=threads");
    }
}
