// Plain-language explanations, written for the course's students. Controls and metrics
// use these as tooltips; the glossary dialog lists them all. The model kinds' own entries
// come from the core's catalog (`addKinds`), which describes each kind once. Here are the
// terms of the first screen; those of a run's results come with the views that show them
// (glossary_results.js).

export const GLOSSARY = {
  dataset: ['Dataset', 'The table the model learns from: one row per example, one column per measured feature, plus the column to predict.'],
  target: ['Target', 'The column the model learns to predict. Text or a few whole numbers mean classes (classification); a measured quantity means regression.'],
  split: ['Train / validation / test split', 'Rows are divided three ways. The model learns from the training rows; you compare settings on the validation rows; the test rows are kept aside for one honest final check.'],
  train_fraction: ['Training share', 'The share of rows the model learns from. More training rows usually help the model, but leave fewer rows to check it on.'],
  validation_fraction: ['Validation share', 'Rows held back while training and used to compare models and settings. The rest of the rows after training and validation form the test set.'],
  task: ['Task', 'Classification predicts a category (which species, fraud or not); regression predicts an amount (a price, a dose). mlplay guesses from the target column; you can override it, and it warns when the choice looks wrong.'],
  upload: ['Uploading a file', 'Pick or drop a CSV file (comma, semicolon, tab or pipe separated). It is read inside this browser tab and never sent anywhere.'],
  imputer: ['Missing values', 'How gaps in the data are filled before training: with the column mean, median or most frequent value (learned from the training rows only), or by leaving out rows that have gaps. Tree models (decision tree, forest, boosting) can also keep them: each split learns which side missing values go to.'],
  scaler: ['Scaling', 'Puts numeric columns on a common scale, learned from the training rows: standardise (mean 0, spread 1) or min-max (0 to 1). Models that add up or compare features need it; trees do not.'],
  one_hot: ['One-hot encoding', 'Turns a text column into one 0/1 column per category, so a model can use it. A category never seen in training becomes all zeros.'],
  seed: ['Seed', 'The number every random choice starts from (how rows are split, generated data, starting weights). The same seed gives the same result every time, which is what makes a shared link reproducible.'],
  n_samples: ['Rows to generate', 'How many points the generator draws. More points show the shape more clearly and take longer to train on.'],
  noise: ['Noise', 'How far generated points scatter from their ideal shape. More noise makes the classes overlap, so no model can be perfect.'],
  epoch: ['Epoch', 'One pass of training over all the training rows.'],
  loss: ['Loss', 'A number that measures how wrong the model is; training pushes it down. If validation loss rises while training loss keeps falling, the model is starting to memorise (overfit).'],
  backend: ['Compute backend', 'Where the maths runs: WebGPU uses the graphics card when the browser offers it; otherwise the CPU runs WebAssembly.'],
  overfitting: ['Overfitting', 'When a model learns the quirks of its training rows instead of the general pattern, so it scores well on them and worse on new rows.'],
  n_neighbors: ['n_neighbors', 'How many similar rows vote in k-nearest neighbours. Small values follow noise; large values blur the boundary.'],
  C: ['C (inverse regularisation)', 'How free the weights are. Small C keeps them small for a simpler, smoother model; large C fits the training rows more closely.'],
  max_iter: ['Epochs (max_iter)', 'How many training passes to run. Too few and the model is undertrained; watch the loss curve flatten.'],
  learning_rate: ['Learning rate', 'How big each training step is. Too large overshoots the lowest point and can diverge (linear regression and neural networks then stop with a note; logistic regression halves its step instead); too small crawls. The descent view draws it.'],
  cross_validation: ['Cross-validation', 'Split the training rows into k parts; train k times, each time scoring on the part left out. The mean says how well the settings do; the spread (±) says how much that depends on which rows were picked.'],
  validation_curve: ['Validation curve', 'Trains once for each value of one setting (tree depth, number of neighbours, penalty) and plots the training and validation scores. Where training keeps improving but validation does not, the model has started to overfit.'],
  final_evaluation: ['Final evaluation', 'Scores the model once on the test rows, which played no part in training or tuning. The page counts how often you do it: choosing settings by test scores turns the test set into a second validation set, and its numbers become optimistic.'],
  step: ['Training step', 'One unit of training: an epoch for gradient methods, one tree for forests, one round for boosting, one level for a tree.'],
};

// Each model kind's glossary text from the catalog, under the kind's name and title.
// The kind that offers each view (`views` in the catalog), whose entry explains the view.
const viewKind = {};

export function addKinds(models) {
  for (const k of models) if (k.glossary) GLOSSARY[k.kind] = [k.title, k.glossary];
  for (const k of models) for (const v of k.views ?? []) viewKind[v] ??= k.kind;
}

export const viewTip = (view) => tip(viewKind[view]);

// Per-component keys (explained_variance_ratio_1, _2, ...) share one entry.
const component = (key) => /^explained_variance_ratio_(\d+)$/.exec(key);

export function tip(key) {
  if (component(key)) return GLOSSARY.explained_variance_ratio[1];
  return GLOSSARY[key] ? GLOSSARY[key][1] : undefined;
}

export function title(key) {
  const c = component(key);
  if (c) return `Explained variance, PC${c[1]}`;
  return GLOSSARY[key] ? GLOSSARY[key][0] : key;
}

// Every term, the results' too (the dialog fetches glossary_results.js first).
export function fillGlossary(list) {
  list.replaceChildren();
  const entries = Object.values(GLOSSARY).sort((a, b) => a[0].localeCompare(b[0]));
  for (const [term, text] of entries) {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = text;
    list.append(dt, dd);
  }
}
