// The messages between the page and its training worker (www/worker.js): every name and
// payload, in one table both sides import. A message is `{ type, ...payload }`.
// This module is loaded by the worker too: it must not touch the DOM.

/**
 * @typedef {object} AppState  the state a share link carries (crates/app/src/state/mod.rs), as JSON
 * @typedef {{ step: number, total: number, done: boolean, train_loss: number[], validation_loss: number[],
 *   metrics?: object, progress: number, phase?: { name: string, done: number } }} Snapshot
 */

/** Requests from the page to the worker. */
export const ToWorker = Object.freeze({
  /** The compiled core, sent once: `{ module: WebAssembly.Module, dir: string, threads: number, channel: string }` */
  WASM: 'wasm',
  /** Read the state's dataset (built in, embedded or uploaded): `{ state: AppState }` → `loaded` or `need-file` */
  LOAD: 'load',
  /** Prepare the loaded rows for the state's target, task and columns: `{ state }` → `loaded` */
  TARGET: 'target',
  /** Read a file in chunks: `{ file: File, state }` → `upload-progress`…, `loaded` or `upload-cancelled` */
  UPLOAD: 'upload',
  /** Stop reading the file being uploaded: `{}` */
  CANCEL_UPLOAD: 'cancel-upload',
  /** Start a run: `{ state, backend: 'cpu' | 'gpu' }` → `progress`…, `view` or `fit`…, `done` */
  TRAIN: 'train',
  /** One step; `fresh` starts a new run first: `{ state, fresh: boolean, backend }` → `progress`, `done` at the end */
  STEP: 'step',
  /** Go on with a paused run: `{}` */
  RESUME: 'resume',
  /** `{}` */
  PAUSE: 'pause',
  /** `{}` */
  STOP: 'stop',
  /** Cross-validate: `{ state, folds: number }` → `cv` */
  CV: 'cv',
  /** The validation curve of the kind's sweep parameter: `{ state }` → `sweep` */
  SWEEP: 'sweep',
  /** Score the test rows: `{}` → `final` */
  FINAL: 'final',
  /** The data on its first two principal components: `{}` → `pca` */
  PCA: 'pca',
  /** The plot's plane changed: `{ view: AppState['view'] }` → `view` */
  VIEW: 'view',
  /** k-means for k = 1..k_max: `{ k_max: number }` → `elbow` */
  ELBOW: 'elbow',
  /** Each row's distance to its k-th neighbour: `{ k: number }` → `k-distance` */
  K_DISTANCE: 'k-distance',
  /** The fitted PCA's variance ratios and loadings: `{}` → `pca-details` */
  PCA_DETAILS: 'pca-details',
  /** The fitted rows as CSV: `{}` → `export` */
  EXPORT: 'export',
  /** The predictions as CSV: `{ with_test: boolean }` → `predictions` */
  PREDICTIONS: 'predictions',
  /** Add the clusters as a text column: `{ name: string, state }` → `loaded` */
  ADD_CLUSTERS: 'add-clusters',
  /** The experiment as code: `{ state, target: 'sklearn' | 'notebook' | 'spark' }` → `export-code` */
  EXPORT_CODE: 'export-code',
  /** Check an exercise's goals: `{ exercise: string, state }` → `goals` */
  GOALS: 'goals',
  /** One row's cells, for the hover: `{ index: number }` → `row` */
  ROW: 'row',
  /** The fitted model as a file: `{}` → `model-file` */
  SAVE_MODEL: 'save-model',
  /** Rebuild a model from a file's text on the loaded data: `{ text: string, state }` → `progress`, `done` */
  LOAD_MODEL: 'load-model',
  /** The loss surface and an optimiser's path over it (linear and logistic regression): `{ request: { optimizer, learning_rate, epochs, grid } }` → `descent` */
  DESCENT: 'descent',
  /** The CNN's look inside at another validation image: `{ position: number }` → `cnn-inside` */
  CNN_IMAGE: 'cnn-image',
  /** Image sets: sample images per class: `{ per_class: number, width: number, height: number }` (0 x 0: the data's own size) → `images` */
  IMAGES: 'images',
  /** A drawing for the trained model: `{ strokes: number[][][], width: number, height: number }` → `drawing` */
  DRAWING: 'drawing',
  /** Tests only: lose the GPU device: `{}` */
  GPU_LOSE: 'gpu-lose',
  /** Tests only: panic in the worker or in a compute thread: `{ inThreads: boolean }` */
  CRASH_TEST: 'crash-test',
});

/** What the worker tells the page. */
export const FromWorker = Object.freeze({
  /** The core is running: `{ webgpu: string | null, threads: number }` */
  READY: 'ready',
  /** Fewer compute threads started than READY said: `{ threads: number }` */
  THREADS: 'threads',
  /** Data is loaded: `{ summary: object, features: Float64Array[], labels: Uint32Array, file: { sha256: string | null, csv: string | null } }` */
  LOADED: 'loaded',
  /** The link's uploaded file is not held by the worker: `{ name: string }` */
  NEED_FILE: 'need-file',
  /** `{ loaded: number, total: number }` (bytes) */
  UPLOAD_PROGRESS: 'upload-progress',
  /** `{}` */
  UPLOAD_CANCELLED: 'upload-cancelled',
  /** `{ snapshot: Snapshot }` */
  PROGRESS: 'progress',
  /** Where the run trains: `{ ran: 'cpu' | 'gpu', label: string, note: string }` */
  BACKEND: 'backend',
  /** The supervised model over the plot's plane: `{ surface: Float64Array, explanation: object, network: object | null }` */
  VIEW: 'view',
  /** A clustering's or projection's fit so far: `{ rows, labels, embedding, width: number, kinds }` (typed arrays) */
  FIT: 'fit',
  /** The run is finished: `{ snapshot: Snapshot, report: object, evaluation: object }` */
  DONE: 'done',
  /** `{ result: object }` */
  CV: 'cv',
  /** `{ result: object }` */
  SWEEP: 'sweep',
  /** `{ report: object }` */
  FINAL: 'final',
  /** `{ ratios: [number, number], coords: Float64Array }` (x, y pairs) */
  PCA: 'pca',
  /** `{ result: Array<[number, number, number | null]> }` (k, inertia, silhouette) */
  ELBOW: 'elbow',
  /** `{ k: number, distances: Float64Array }` */
  K_DISTANCE: 'k-distance',
  /** `{ result: object }` */
  PCA_DETAILS: 'pca-details',
  /** `{ csv: string }` */
  EXPORT: 'export',
  /** `{ csv: string }` */
  PREDICTIONS: 'predictions',
  /** `{ file_name: string, text: string }` */
  EXPORT_CODE: 'export-code',
  /** `{ results: object[] }` */
  GOALS: 'goals',
  /** `{ index: number, cells: object }` */
  ROW: 'row',
  /** `{ text: string }` */
  MODEL_FILE: 'model-file',
  /** `{ view: object }` (crates/core/src/models/descent.rs `DescentView`) */
  DESCENT: 'descent',
  /** The CNN's look inside one validation image (ui/cnn_view.js): `{ inside: object | null }` */
  CNN_INSIDE: 'cnn-inside',
  /** `{ gallery: object | null }` (null: the rows are not images) */
  IMAGES: 'images',
  /** `{ result: { pixels: number[], width: number, height: number, max_value: number, answer: object | null } }` */
  DRAWING: 'drawing',
  /** A request failed: `{ during: string (the request's type), message: string }` */
  ERROR: 'error',
  /** Rust panicked (the worker or a compute thread is lost): `{ message: string }` */
  PANIC: 'panic',
});

const TO_WORKER = new Set(Object.values(ToWorker));
const FROM_WORKER = new Set(Object.values(FromWorker));

/** A request as posted: throws on a name that is not in the table. */
export function request(type, payload = {}) {
  if (!TO_WORKER.has(type)) throw new Error(`'${type}' is not a request the worker knows`);
  return { type, ...payload };
}

/** A message to the page as posted: throws on a name that is not in the table. */
export function reply(type, payload = {}) {
  if (!FROM_WORKER.has(type)) throw new Error(`'${type}' is not a message the page knows`);
  return { type, ...payload };
}

/** Requests that keep the page busy (a chart or experiment is computing) until answered. */
export const BUSY_REQUESTS = [ToWorker.CV, ToWorker.SWEEP, ToWorker.ELBOW, ToWorker.K_DISTANCE, ToWorker.PCA_DETAILS];

/** What the page says when a request fails (training, for the rest). */
export const FAILED = Object.freeze({
  [ToWorker.LOAD]: 'Loading the data failed',
  [ToWorker.UPLOAD]: 'Reading the file failed',
  [ToWorker.TARGET]: 'That target cannot be used',
  [ToWorker.CV]: 'Cross-validation failed',
  [ToWorker.SWEEP]: 'The validation curve failed',
  [ToWorker.FINAL]: 'The final evaluation failed',
  [ToWorker.ELBOW]: 'The elbow chart failed',
  [ToWorker.K_DISTANCE]: 'The k-distance chart failed',
  [ToWorker.PCA_DETAILS]: 'The scree chart failed',
  [ToWorker.EXPORT]: 'The export failed',
  [ToWorker.ADD_CLUSTERS]: 'Adding the clusters failed',
  [ToWorker.ROW]: 'Reading the row failed',
  [ToWorker.GOALS]: 'Checking the exercise goals failed',
  [ToWorker.EXPORT_CODE]: 'Exporting the code failed',
  [ToWorker.PREDICTIONS]: 'The predictions export failed',
  [ToWorker.SAVE_MODEL]: 'Saving the model failed',
  [ToWorker.LOAD_MODEL]: 'Opening the model file failed',
  [ToWorker.DESCENT]: 'The loss surface failed',
  [ToWorker.IMAGES]: 'Reading the rows as images failed',
  [ToWorker.DRAWING]: 'Reading the drawing failed',
});

// Sample images per class the page asks for with `images` (the gallery says how many).
export const GALLERY_PER_CLASS = 8;
