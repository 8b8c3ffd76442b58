//! rayon's thread pool on Web Workers, for the build with shared memory (`x build` makes
//! it when the page can be cross-origin isolated).
//!
//! A wasm thread cannot be spawned from Rust: the training worker starts the Web Workers
//! (`www/pool_worker.js`), each instantiates the module on the same memory and calls
//! `pool_worker_run`, which blocks until rayon hands it a thread to run. Once all of them
//! wait, `pool_start` builds rayon's global pool over them.

use std::sync::{Condvar, Mutex};

use rayon::ThreadBuilder;
use wasm_bindgen::prelude::*;

use crate::base::shared_memory::see_grown_memory;

// The threads rayon has handed out and no pool worker has taken yet. Both live in the
// module's static data, which every thread can always reach; the builders themselves (and
// the pool they point to) were allocated by the training worker, maybe in memory it grew
// just before (see base::shared_memory).
static WAITING: Mutex<Vec<ThreadBuilder>> = Mutex::new(Vec::new());
static HANDED: Condvar = Condvar::new();

/// Run in a pool worker: wait for a rayon thread and run it (it never returns while the
/// pool lives).
#[wasm_bindgen]
pub fn pool_worker_run() -> Result<(), JsError> {
    let broken = |_| JsError::new("the thread pool is broken");
    let thread = {
        let mut waiting = WAITING.lock().map_err(broken)?;
        loop {
            see_grown_memory();
            if let Some(thread) = waiting.pop() {
                break thread;
            }
            waiting = HANDED.wait(waiting).map_err(broken)?;
        }
    };
    thread.run();
    Ok(())
}

/// Run in the training worker once `threads` pool workers wait in `pool_worker_run`.
#[wasm_bindgen]
pub fn pool_start(threads: usize) -> Result<(), JsError> {
    let built = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("mlplay pool {i}"))
        .start_handler(|_| see_grown_memory())
        .spawn_handler(|thread| {
            WAITING.lock().map_err(|_| std::io::Error::other("the thread pool is broken"))?.push(thread);
            HANDED.notify_all();
            Ok(())
        })
        .build_global()
        .map_err(|e| JsError::new(&format!("the thread pool could not start: {e}")));
    // The pool's threads allocated their own pieces as they started.
    see_grown_memory();
    built
}
