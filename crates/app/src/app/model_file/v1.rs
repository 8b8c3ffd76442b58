//! Version 1 files, as mlplay wrote them before models serialised themselves. Their
//! records have the layout of version 2's; only `model.kind` differs: it named the record's
//! type ("linear" for linear_regression, ridge and lasso, "embedding" for t-SNE and UMAP)
//! where version 2 names the kind, as the state does. Conversion renames it (and
//! self-training's base) so one reader serves both.

use serde_json::Value;

use crate::base::error::{Error, Result};

/// The record type a version 1 file wrote for a kind.
fn v1_kind(kind: &str) -> &'static str {
    match kind {
        "linear_regression" | "ridge" | "lasso" => "linear",
        "logistic_regression" => "logistic",
        "knn" => "knn",
        "naive_bayes" => "naive_bayes",
        "decision_tree" => "decision_tree",
        "random_forest" => "random_forest",
        "gradient_boosting" => "gradient_boosting",
        "mlp" => "mlp",
        "autoencoder" => "autoencoder",
        "self_training" => "self_training",
        "kmeans" => "kmeans",
        "pca" => "pca",
        "dbscan" => "dbscan",
        _ => "embedding",
    }
}

/// The kind of a version 1 self-training base (a classifier: only logistic regression's
/// record type had another name).
fn base_kind(v1: &str) -> &str {
    match v1 {
        "logistic" => "logistic_regression",
        "linear" => "linear_regression",
        k => k,
    }
}

/// Rewrites a version 1 file in place as version 2. What it cannot make sense of is left
/// for the version 2 checks to name.
pub fn to_v2(file: &mut Value) -> Result<()> {
    let state_kind = file.pointer("/state/model/kind").and_then(Value::as_str).map(str::to_string);
    if let (Some(kind), Some(Value::String(old))) = (state_kind, file.pointer_mut("/model/kind")) {
        if *old == v1_kind(&kind) {
            *old = kind;
        } else {
            return Err(Error::model_file("model.kind", format!("'{old}' does not match the state's kind '{kind}'")));
        }
    }
    if let Some(Value::String(base)) = file.pointer_mut("/model/base/kind") {
        *base = base_kind(base).to_string();
    }
    file["version"] = 2.into();
    Ok(())
}
