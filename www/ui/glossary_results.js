// The glossary's terms for what a run shows (metrics, costs, what a model learned, the
// scores of clusterings and projections), fetched with the first view that uses them
// (which import tip and title from here) or the glossary dialog.

import { GLOSSARY } from './glossary.js';

Object.assign(GLOSSARY, {
  log_loss: ['Log loss (cross-entropy)', 'Penalises confident wrong answers heavily: predicting 1% for the true class costs far more than predicting 40%. Lower is better; 0 is perfect.'],
  accuracy: ['Accuracy', 'The share of rows whose class was predicted correctly. Misleading when one class is rare: always guessing the common class can score 99%.'],
  balanced_accuracy: ['Balanced accuracy', 'The average, over classes, of the share of each class found. A model that ignores a rare class scores badly here even when its accuracy looks high.'],
  fit_ms: ['Training time', 'How long fitting took in this browser (or on this machine, in the CLI).'],
  predict_us_per_row: ['Prediction time', 'How long the trained model takes to answer for one row, in microseconds: the cost of using it in production.'],
  latency: ['Latency', 'How long the model takes to answer a single row on its own, as a served model would: the median row, and the slowest 1 in 100 (p99). Answering rows one at a time costs more per row than in a batch.'],
  model_bytes: ['Model size', 'The memory the fitted parameters need. Small models are cheap to store and ship; large ensembles and networks cost more.'],
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
});

export { tip, title, viewTip } from './glossary.js';
