//! Training a neural network on WebGPU for the worker. The GPU's futures cannot borrow the
//! session (JS holds it between calls), so the run lives in an `Rc<RefCell>` the futures
//! share: `gpu_start` and `gpu_epoch` return Promises that leave their results there, and
//! the synchronous `gpu_apply` records them in the session as CPU epochs are recorded.
//!
//! A generation number keeps a stale future (of a run replaced meanwhile) from touching
//! the new run.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::js_err;
use super::session::WebSession;
use crate::base::clock::now_ms;
use crate::gpu::{Gpu, GpuEpoch, GpuTrainer};
use crate::models::mlp_net::Network;

/// What a GPU epoch left for `gpu_apply`: the epoch (none for a bare read-back), the
/// weights when they were read back, and its time in ms.
type Pending = (Option<GpuEpoch>, Option<Network>, f64);

#[derive(Default)]
pub(crate) struct GpuRun {
    /// The device, kept across runs; dropped after any failure (it may be lost).
    gpu: Option<Gpu>,
    /// Out of the cell while an epoch runs.
    trainer: Option<GpuTrainer>,
    generation: u64,
    pending: Vec<Pending>,
}

pub(crate) type SharedRun = Rc<RefCell<GpuRun>>;

impl GpuRun {
    /// Forget the run (a new session, or a fallback to the CPU); the device stays.
    pub(crate) fn reset(&mut self) {
        self.generation += 1;
        self.trainer = None;
        self.pending.clear();
    }
}

fn rejected(run: &SharedRun, generation: u64, e: crate::Error) -> JsValue {
    let mut r = run.borrow_mut();
    if r.generation == generation {
        r.gpu = None;
        r.trainer = None;
    }
    js_err(e).into()
}

#[wasm_bindgen]
impl WebSession {
    /// Hand the current network's training to the GPU, from where it stands. Resolves to
    /// the adapter's name as wgpu reports it (often empty on the web).
    pub fn gpu_start(&mut self) -> Result<Promise, JsError> {
        let s = self.session().ok_or_else(|| JsError::new("training has not been started"))?;
        let job = s.fit_job().ok_or_else(|| JsError::new("only neural networks train on the GPU"))?;
        let run = self.gpu_run();
        let generation = {
            let mut r = run.borrow_mut();
            r.reset();
            r.generation
        };
        Ok(future_to_promise(async move {
            let cached = run.borrow().gpu.clone();
            let gpu = match cached {
                Some(g) => g,
                None => Gpu::new().await.map_err(|e| rejected(&run, generation, e))?,
            };
            let trainer = GpuTrainer::from_job(&gpu, &job).map_err(|e| rejected(&run, generation, e))?;
            let name = gpu.adapter_name().to_string();
            let mut r = run.borrow_mut();
            if r.generation == generation {
                r.gpu = Some(gpu);
                r.trainer = Some(trainer);
            }
            Ok(JsValue::from_str(&name))
        }))
    }

    /// One epoch on the GPU; with `read` (and always at the end) the weights come back for
    /// the charts. Resolves to whether training is over; `gpu_apply` records it.
    pub fn gpu_epoch(&self, read: bool) -> Result<Promise, JsError> {
        let run = self.gpu_run();
        let (mut trainer, generation) = {
            let mut r = run.borrow_mut();
            (r.trainer.take().ok_or_else(|| JsError::new("no network is training on the GPU"))?, r.generation)
        };
        Ok(future_to_promise(async move {
            let t0 = now_ms();
            let epoch = trainer.epoch().await.map_err(|e| rejected(&run, generation, e))?;
            let net = if read || epoch.done {
                Some(trainer.read_network().await.map_err(|e| rejected(&run, generation, e))?)
            } else {
                None
            };
            let mut r = run.borrow_mut();
            if r.generation == generation {
                r.pending.push((Some(epoch), net, now_ms() - t0));
                if !epoch.done {
                    r.trainer = Some(trainer);
                }
            }
            Ok(JsValue::from_bool(epoch.done))
        }))
    }

    /// Read the weights back without training (before a pause shows the model). Resolves
    /// to false when no network is training on the GPU.
    pub fn gpu_pull(&self) -> Promise {
        let run = self.gpu_run();
        let taken = {
            let mut r = run.borrow_mut();
            let generation = r.generation;
            r.trainer.take().map(|t| (t, generation))
        };
        future_to_promise(async move {
            let Some((trainer, generation)) = taken else { return Ok(JsValue::FALSE) };
            let net = trainer.read_network().await.map_err(|e| rejected(&run, generation, e))?;
            let mut r = run.borrow_mut();
            if r.generation == generation {
                r.pending.push((None, Some(net), 0.0));
                r.trainer = Some(trainer);
            }
            Ok(JsValue::TRUE)
        })
    }

    /// Record the GPU's finished epochs in the session; returns the snapshot (JSON).
    pub fn gpu_apply(&mut self) -> Result<String, JsError> {
        let run = self.gpu_run();
        let pending = std::mem::take(&mut run.borrow_mut().pending);
        let s = self.session_mut().ok_or_else(|| JsError::new("training has not been started"))?;
        for (epoch, net, ms) in pending {
            match epoch {
                Some(e) => s.apply_epoch(&e, net, ms).map_err(js_err)?,
                None => s.set_network(net.expect("a read-back")).map_err(js_err)?,
            }
        }
        Ok(serde_json::to_string(&s.snapshot()).expect("snapshot serialises"))
    }

    /// Stop using the GPU for this run (the worker goes on on the CPU).
    pub fn gpu_reset(&self) {
        self.gpu_run().borrow_mut().reset();
    }

    /// Tests: destroy the GPU device, as a driver reset or a lost GPU would.
    pub fn gpu_lose_device(&self) -> bool {
        let run = self.gpu_run();
        let gpu = run.borrow().gpu.clone();
        if let Some(g) = &gpu {
            g.device.destroy();
        }
        gpu.is_some()
    }
}
