//! rayon's thread pool on Web Workers, for the build with shared memory (`x build` makes
//! it when the page can be cross-origin isolated).
//!
//! A wasm thread cannot be spawned from Rust: the training worker starts the Web Workers
//! (`www/pool_worker.js`), each instantiates the module on the same memory and calls
//! `pool_worker_run`, which blocks until rayon hands it a thread to run. Once all of them
//! wait, `pool_start` builds rayon's global pool over them.

use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Mutex, OnceLock};

use rayon::ThreadBuilder;
use wasm_bindgen::prelude::*;

struct Handoff {
    send: Mutex<Sender<ThreadBuilder>>,
    recv: Mutex<Receiver<ThreadBuilder>>,
}

fn handoff() -> &'static Handoff {
    static H: OnceLock<Handoff> = OnceLock::new();
    H.get_or_init(|| {
        let (send, recv) = channel();
        Handoff { send: Mutex::new(send), recv: Mutex::new(recv) }
    })
}

/// Run in a pool worker: wait for a rayon thread and run it (it never returns while the
/// pool lives).
#[wasm_bindgen]
pub fn pool_worker_run() -> Result<(), JsError> {
    let thread = handoff().recv.lock().map_err(|_| JsError::new("the thread pool is broken"))?.recv();
    thread.map_err(|_| JsError::new("the thread pool was never started"))?.run();
    Ok(())
}

/// Run in the training worker once `threads` pool workers wait in `pool_worker_run`.
#[wasm_bindgen]
pub fn pool_start(threads: usize) -> Result<(), JsError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("mlplay pool {i}"))
        .spawn_handler(|thread| {
            let send = handoff().send.lock().map_err(|_| std::io::Error::other("the thread pool is broken"))?;
            send.send(thread).map_err(|_| std::io::Error::other("no pool worker is listening"))
        })
        .build_global()
        .map_err(|e| JsError::new(&format!("the thread pool could not start: {e}")))
}
