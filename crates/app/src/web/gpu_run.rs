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
use crate::gpu::{CnnGpuTrainer, Gpu, GpuEpoch, GpuTrainer};
use crate::models::cnn_net::CnnNet;
use crate::models::mlp_net::Network;

/// The network training on the GPU: a dense one (mlp, autoencoder) or the cnn.
enum Trainer {
    Dense(GpuTrainer),
    Cnn(CnnGpuTrainer),
}

/// Weights read back from the GPU.
enum Weights {
    Dense(Network),
    Cnn(CnnNet),
}

impl Trainer {
    async fn epoch(&mut self) -> crate::Result<GpuEpoch> {
        match self {
            Trainer::Dense(t) => t.epoch().await,
            Trainer::Cnn(t) => t.epoch().await,
        }
    }

    async fn read(&self) -> crate::Result<Weights> {
        Ok(match self {
            Trainer::Dense(t) => Weights::Dense(t.read_network().await?),
            Trainer::Cnn(t) => Weights::Cnn(t.read_network().await?),
        })
    }
}

/// What a GPU epoch left for `gpu_apply`: the epoch (none for a bare read-back), the
/// weights when they were read back, its time in ms, and whether the network is the cnn.
type Pending = (Option<GpuEpoch>, Option<Weights>, f64, bool);

#[derive(Default)]
pub(crate) struct GpuRun {
    /// The device, kept across runs; dropped after any failure (it may be lost).
    gpu: Option<Gpu>,
    /// Out of the cell while an epoch runs.
    trainer: Option<Trainer>,
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
        let (dense, cnn) = (s.fit_job(), s.cnn_job());
        if dense.is_none() && cnn.is_none() {
            return Err(JsError::new("only neural networks train on the GPU"));
        }
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
            let trainer = match (dense, cnn) {
                (Some(job), _) => GpuTrainer::from_job(&gpu, &job).map(Trainer::Dense),
                (None, Some(job)) => CnnGpuTrainer::new(&gpu, &job).map(Trainer::Cnn),
                (None, None) => unreachable!("checked above"),
            }
            .map_err(|e| rejected(&run, generation, e))?;
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
                Some(trainer.read().await.map_err(|e| rejected(&run, generation, e))?)
            } else {
                None
            };
            let cnn = matches!(trainer, Trainer::Cnn(_));
            let mut r = run.borrow_mut();
            if r.generation == generation {
                r.pending.push((Some(epoch), net, now_ms() - t0, cnn));
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
            let net = trainer.read().await.map_err(|e| rejected(&run, generation, e))?;
            let cnn = matches!(trainer, Trainer::Cnn(_));
            let mut r = run.borrow_mut();
            if r.generation == generation {
                r.pending.push((None, Some(net), 0.0, cnn));
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
        for (epoch, net, ms, cnn) in pending {
            match (epoch, net) {
                (Some(e), Some(Weights::Cnn(n))) => s.apply_cnn_epoch(&e, Some(n), ms),
                (Some(e), None) if cnn => s.apply_cnn_epoch(&e, None, ms),
                (Some(e), Some(Weights::Dense(n))) => s.apply_epoch(&e, Some(n), ms),
                (Some(e), None) => s.apply_epoch(&e, None, ms),
                (None, Some(Weights::Cnn(n))) => s.set_cnn_network(n),
                (None, Some(Weights::Dense(n))) => s.set_network(n),
                (None, None) => Ok(()),
            }
            .map_err(js_err)?;
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
