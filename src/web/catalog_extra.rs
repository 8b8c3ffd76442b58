//! Stand-in, until the registry of kinds lands, for the catalog fields the page reads
//! instead of holding its own lists of kinds: `glossary`, `anomaly`, `gpu`, `sweep`, and
//! what its learning curve shows, `loss` and `loss_caption` (null: the supervised default).

use crate::engine::eval::validation_curve::default_sweep;
use crate::models::{spec_from_json, ModelSpec};

pub(crate) fn add(v: &mut serde_json::Value, kind: &str) {
    let spec = spec_from_json(serde_json::json!({ "kind": kind })).ok();
    v["glossary"] = glossary(kind).into();
    v["anomaly"] = matches!(spec, Some(ModelSpec::Autoencoder(_))).into();
    v["gpu"] = matches!(spec, Some(ModelSpec::Mlp(_) | ModelSpec::Autoencoder(_))).into();
    let (loss, caption) = curve(kind).unzip();
    v["loss"] = loss.into();
    v["loss_caption"] = caption.into();
    v["sweep"] = spec.as_ref().filter(|s| !s.is_unsupervised()).and_then(default_sweep).map(|(name, _)| name).into();
}

fn glossary(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "logistic_regression" => "Adds up the features with learned weights and turns the sum into class probabilities. Fast, easy to explain, and the baseline to beat.",
        "knn" => "Predicts like the k most similar training rows. Nothing to train, but each prediction compares the row with every training row, so it gets slow on big data.",
        "naive_bayes" => "Learns, for each class, the typical value and spread of every feature, and picks the class under which a row is most likely. Fast and sturdy with little data.",
        "linear_regression" => "Predicts a number as a weighted sum of the features, with the weights that make the squared errors as small as possible.",
        "ridge" => "Linear regression that also keeps the weights small (L2 penalty, strength alpha), which steadies it when features are many or related.",
        "lasso" => "Linear regression with an L1 penalty (strength alpha) that pushes unhelpful weights to exactly zero, so it also picks features.",
        "decision_tree" => "A flowchart of yes/no questions about the features, learned from the data. Easy to read; a deep tree memorises its training rows.",
        "random_forest" => "Many decision trees, each trained on a random resample of the rows and features, voting together. Much steadier than one tree.",
        "gradient_boosting" => "Trees added one at a time, each correcting the mistakes of the ones before. Usually the strongest model on tables of data.",
        "self_training" => "A semi-supervised method: train on the rows that have labels, then label the unlabelled rows the model is confident about, and train again.",
        "kmeans" => "Places k centres, assigns every row to its nearest centre, moves each centre to the mean of its rows, and repeats until nothing changes.",
        "dbscan" => "Clusters rows that have at least min_samples neighbours within distance eps (core points), plus rows near them (border points); the rest is noise.",
        "pca" => "Principal component analysis: new axes along which the data varies most, each at right angles to the previous ones. Keeping the first few compresses the data with the least loss.",
        "tsne" => "Places every row in 2-D so that rows that are neighbours in the full data stay neighbours. Sizes of and distances between groups in the picture are not meaningful.",
        "umap" => "Builds a graph linking each row to its nearest neighbours and lays the graph out in 2-D. Like t-SNE, but usually faster and keeping more of the large-scale shape.",
        _ => return None,
    })
}

fn curve(kind: &str) -> Option<(&'static str, &'static str)> {
    Some(match kind {
        "kmeans" => (
            "inertia",
            "Inertia after each iteration: it falls as the centres settle, and jumps up where another restart \
             (n_init) begins from new centres.",
        ),
        "tsne" => (
            "KL divergence",
            "KL divergence, evaluated every 50 iterations. It drops sharply when the early exaggeration ends \
             (iteration 250) and the layout relaxes.",
        ),
        "dbscan" => ("no loss", "DBSCAN fits in one pass: there is no curve to show."),
        "pca" => ("no loss", "PCA is exact and fits in one step: there is no curve to show."),
        "umap" => {
            ("no loss", "UMAP has no loss it tracks: watch the layout settle on the plot instead (one step per epoch).")
        }
        _ => return None,
    })
}
