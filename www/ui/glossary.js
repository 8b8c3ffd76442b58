// Plain-language explanations, written for the course's students. Controls and metrics
// use these as tooltips; the glossary dialog lists them all. The model kinds' own entries
// come from the core's catalog (`addKinds`), which describes each kind once.

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
  log_loss: ['Log loss (cross-entropy)', 'Penalises confident wrong answers heavily: predicting 1% for the true class costs far more than predicting 40%. Lower is better; 0 is perfect.'],
  accuracy: ['Accuracy', 'The share of rows whose class was predicted correctly. Misleading when one class is rare: always guessing the common class can score 99%.'],
  balanced_accuracy: ['Balanced accuracy', 'The average, over classes, of the share of each class found. A model that ignores a rare class scores badly here even when its accuracy looks high.'],
  fit_ms: ['Training time', 'How long fitting took in this browser (or on this machine, in the CLI).'],
  predict_us_per_row: ['Prediction time', 'How long the trained model takes to answer for one row, in microseconds: the cost of using it in production.'],
  latency: ['Latency', 'How long the model takes to answer a single row on its own, as a served model would: the median row, and the slowest 1 in 100 (p99). Answering rows one at a time costs more per row than in a batch.'],
  model_bytes: ['Model size', 'The memory the fitted parameters need. Small models are cheap to store and ship; large ensembles and networks cost more.'],
  backend: ['Compute backend', 'Where the maths runs: WebGPU uses the graphics card when the browser offers it; otherwise the CPU runs WebAssembly.'],
  overfitting: ['Overfitting', 'When a model learns the quirks of its training rows instead of the general pattern, so it scores well on them and worse on new rows.'],
  n_neighbors: ['n_neighbors', 'How many similar rows vote in k-nearest neighbours. Small values follow noise; large values blur the boundary.'],
  C: ['C (inverse regularisation)', 'How free the weights are. Small C keeps them small for a simpler, smoother model; large C fits the training rows more closely.'],
  max_iter: ['Epochs (max_iter)', 'How many training passes to run. Too few and the model is undertrained; watch the loss curve flatten.'],
  learning_rate: ['Learning rate', 'How big each training step is. Too large overshoots the lowest point and can diverge (linear regression and neural networks then stop with a note; logistic regression halves its step instead); too small crawls. The descent view draws it.'],
  mse: ['Mean squared error (MSE)', 'The average of the squared differences between predicted and true values. Squaring makes big misses count much more than small ones. Lower is better.'],
  rmse: ['Root mean squared error (RMSE)', 'The square root of MSE, back in the target\'s own units: roughly how far off a typical prediction is, with big misses weighing more.'],
  mae: ['Mean absolute error (MAE)', 'The average size of a miss, in the target\'s units. Unlike RMSE, one huge miss does not dominate it.'],
  r2: ['R² (coefficient of determination)', 'The share of the target\'s variation the model explains: 1 is perfect, 0 is no better than always predicting the mean, below 0 is worse than that.'],
  baseline: ['Baseline', 'What a model that ignores the features scores on the validation rows: it always answers with the training class shares (so the most common class wins) or, for regression, with the training mean. A model worth using beats it clearly.'],
  precision: ['Precision', 'Of the rows the model called positive, the share that really are. Low precision means many false alarms. For several classes: the mean over classes (macro).'],
  recall: ['Recall', 'Of the rows that really are positive, the share the model found. Low recall means many misses. For several classes: the mean over classes (macro).'],
  f1: ['F1 score', 'The harmonic mean of precision and recall: high only when both are. Useful when one class is rare.'],
  precision_macro: ['Precision (macro)', 'Precision computed for each class on its own, then averaged, so small classes count as much as big ones.'],
  recall_macro: ['Recall (macro)', 'Recall computed for each class on its own, then averaged; the same as balanced accuracy.'],
  f1_macro: ['F1 (macro)', 'F1 computed for each class on its own, then averaged with equal weight per class.'],
  f1_weighted: ['F1 (weighted)', 'F1 per class, averaged with each class weighted by its number of rows.'],
  roc_auc: ['ROC AUC', 'The chance that a random positive row gets a higher score than a random negative one: 0.5 is guessing, 1 is perfect. It judges the scores at every threshold at once.'],
  roc_auc_ovr: ['ROC AUC (one-vs-rest)', 'ROC AUC of each class against all the others, averaged over classes.'],
  average_precision: ['Average precision', 'The area under the precision-recall curve: how well the positives are ranked above the rest. Unlike ROC AUC, it drops sharply when the positive class is rare and the model raises many false alarms.'],
  confusion: ['Confusion matrix', 'A table of how many rows of each true class (rows) were predicted as each class (columns). The diagonal holds the correct answers; everything else shows which classes get mixed up.'],
  threshold: ['Decision threshold', 'A classifier gives each row a score (the probability of the positive class). Rows scoring at or above the threshold are called positive. Lowering it catches more positives (higher recall) at the price of more false alarms (lower precision).'],
  costs: ['Cost of errors', 'Mistakes rarely cost the same: a missed fraud may cost hundreds of times a false alarm. Give each kind of error a cost, and the cheapest threshold is the one with the lowest total cost, usually not 0.5.'],
  cross_validation: ['Cross-validation', 'Split the training rows into k parts; train k times, each time scoring on the part left out. The mean says how well the settings do; the spread (±) says how much that depends on which rows were picked.'],
  validation_curve: ['Validation curve', 'Trains once for each value of one setting (tree depth, number of neighbours, penalty) and plots the training and validation scores. Where training keeps improving but validation does not, the model has started to overfit.'],
  final_evaluation: ['Final evaluation', 'Scores the model once on the test rows, which played no part in training or tuning. The page counts how often you do it: choosing settings by test scores turns the test set into a second validation set, and its numbers become optimistic.'],
  coefficients: ['Weights (coefficients)', 'What a linear model multiplies each feature by. The sign says which way a feature pushes the prediction; on standardised inputs the size says how strongly.'],
  importance: ['Feature importance', 'How much a model relies on each feature. Split importance counts how much the feature\'s splits reduced the error in training; permutation importance measures how much the validation score drops when that feature is shuffled.'],
  oob_score: ['Out-of-bag score', 'Each tree of a random forest skips about a third of the training rows; scoring every row with only the trees that never saw it gives a free validation score.'],
  n_iter: ['Rounds used', 'How many boosting rounds were fitted (fewer than asked for when early stopping ended training), or how many iterations the kept k-means run took.'],
  clustering: ['Clustering', 'Grouping rows by similarity without using any labels. The groups found need not match the classes you know; the adjusted Rand index says how well they do.'],
  inertia: ['Inertia', 'The sum of squared distances from every row to its cluster centre: how tight the clusters are. It always falls as k grows, so compare it across k with the elbow chart.'],
  silhouette: ['Silhouette', 'For each row, how much closer it is to its own cluster than to the next one, averaged: near 1 clear clusters, near 0 overlapping ones, below 0 rows in the wrong cluster.'],
  adjusted_rand: ['Adjusted Rand index', 'How well the clusters agree with the known labels (which were not used to find them): 1 means the same grouping, 0 what random clusters would score.'],
  n_clusters: ['Clusters', 'How many clusters were found (k-means: always n_clusters; DBSCAN: decided by the data, noise not counted).'],
  n_core: ['Core points', 'Rows with at least min_samples rows within eps of them (themselves included). Clusters grow from these.'],
  n_noise: ['Noise points', 'Rows that are neither core points nor within eps of one. DBSCAN leaves them out of every cluster.'],
  trustworthiness_5: ['Trustworthiness (k=5)', 'Whether each row\'s 5 nearest neighbours in the picture are also close in the full data: 1 means no false neighbours. Scored on up to 5,000 rows.'],
  trustworthiness_15: ['Trustworthiness (k=15)', 'As for k=5, with each row\'s 15 nearest neighbours in the picture: it judges somewhat larger neighbourhoods.'],
  kl_divergence: ['KL divergence', 'What t-SNE minimises: how far the neighbour probabilities in the picture are from those in the full data. It falls as the layout improves; 0 would be perfect.'],
  explained_variance_ratio: ['Explained variance ratio', 'The share of the data\'s total variance a principal component captures. The shares of all components add up to 1.'],
  explained_variance_ratio_cumulative: ['Variance kept', 'The share of the total variance the kept components capture together.'],
  elbow: ['Elbow chart', 'Inertia for k = 1, 2, 3, ... clusters. Where the curve bends and adding a cluster stops helping much is a sensible k.'],
  k_distance: ['k-distance chart', 'Each row\'s distance to its min_samples-th nearest row, sorted. The knee of the curve is a good eps: below it rows sit in dense areas, above it they are isolated.'],
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

export function fillGlossary(list) {
  const entries = Object.values(GLOSSARY).sort((a, b) => a[0].localeCompare(b[0]));
  for (const [term, text] of entries) {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = text;
    list.append(dt, dd);
  }
}
