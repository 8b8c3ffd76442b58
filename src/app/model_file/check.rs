//! Checks of a model file's fitted parameters before anything is built from them: every
//! list has the length its declared sizes imply (sizes multiplied without overflow, and
//! compared with lists the file really holds, so a small file never makes a large
//! allocation), indices are in range, trees are trees, and no NaN or infinity sits where it
//! would spread into predictions. Each failure names the field.

use super::fitted::*;
use crate::base::error::{Error, Result};
use crate::data::Task;
use crate::models::boosting_tree::LEAF as BOOST_LEAF;
use crate::models::mlp_net::Activation;
use crate::models::tree_build::{CATEGORY, LEAF, NUMERIC};

/// What the rest of the file says the model must fit.
pub struct Context {
    pub n_features: usize,
    pub task: Task,
    /// Class names (empty for regression).
    pub n_classes: usize,
}

fn err<T>(field: impl ToString, message: impl ToString) -> Result<T> {
    Err(Error::model_file(field, message))
}

/// `a * b`, or an error naming the sizes when it overflows.
fn product(field: &str, a: usize, b: usize) -> Result<usize> {
    a.checked_mul(b).map_or_else(|| err(field, format!("declared sizes {a} x {b} are impossibly large")), Ok)
}

fn len(field: &str, got: usize, want: usize) -> Result<()> {
    if got != want {
        return err(field, format!("holds {got} values, the declared sizes need {want}"));
    }
    Ok(())
}

fn finite(field: &str, v: &[f64]) -> Result<()> {
    match v.iter().position(|x| !x.is_finite()) {
        Some(i) => err(format!("{field}[{i}]"), format!("{} is not a finite number", v[i])),
        None => Ok(()),
    }
}

fn finite32(field: &str, v: &[f32]) -> Result<()> {
    match v.iter().position(|x| !x.is_finite()) {
        Some(i) => err(format!("{field}[{i}]"), format!("{} is not a finite number", v[i])),
        None => Ok(()),
    }
}

fn equal(field: &str, got: usize, want: usize, what: &str) -> Result<()> {
    if got != want {
        return err(field, format!("is {got}, but {what} is {want}"));
    }
    Ok(())
}

fn features(field: &str, n: usize, c: &Context) -> Result<()> {
    equal(field, n, c.n_features, "the number of model inputs of the preprocessing")
}

fn classes(field: &str, n: usize, c: &Context) -> Result<()> {
    equal(field, n, c.n_classes, "the number of classes of the target")
}

impl Fitted {
    pub fn check(&self, c: &Context) -> Result<()> {
        let f = "model";
        let supervised_task =
            |t: Task| if t != c.task { err(format!("{f}.task"), "is not the target's task") } else { Ok(()) };
        let classifier =
            || if c.task != Task::Classification { err(f, "this kind needs a target with classes") } else { Ok(()) };
        match self {
            Fitted::Linear(s) => {
                if c.task != Task::Regression {
                    return err(f, "a linear regression needs a numeric target");
                }
                features("model.n_features", s.n_features, c)?;
                len("model.coef", s.coef.len(), s.n_features)?;
                finite("model.coef", &s.coef)?;
                finite("model.intercept", &[s.intercept])
            }
            Fitted::Logistic(s) => {
                classifier()?;
                features("model.n_features", s.n_features, c)?;
                classes("model.n_classes", s.n_classes, c)?;
                let outputs = if s.n_classes == 2 { 1 } else { s.n_classes };
                equal("model.n_outputs", s.n_outputs, outputs, "what the number of classes implies")?;
                len("model.coef", s.coef.len(), product("model.coef", s.n_features, s.n_outputs)?)?;
                len("model.intercept", s.intercept.len(), s.n_outputs)?;
                finite("model.coef", &s.coef)?;
                finite("model.intercept", &s.intercept)
            }
            Fitted::Knn(s) => {
                features("model.n_features", s.n_features, c)?;
                len("model.x", s.x.len(), product("model.x", s.n_rows, s.n_features)?)?;
                finite("model.x", &s.x)?;
                if s.n_neighbors == 0 || s.n_neighbors > s.n_rows {
                    return err(
                        "model.n_neighbors",
                        format!("{} is not between 1 and the {} stored rows", s.n_neighbors, s.n_rows),
                    );
                }
                match c.task {
                    Task::Classification => {
                        classes("model.n_classes", s.n_classes, c)?;
                        len("model.labels", s.labels.len(), s.n_rows)?;
                        if let Some(i) = s.labels.iter().position(|&l| l as usize >= s.n_classes) {
                            return err(
                                format!("model.labels[{i}]"),
                                format!("class {} is not below n_classes", s.labels[i]),
                            );
                        }
                        Ok(())
                    }
                    Task::Regression => {
                        len("model.values", s.values.len(), s.n_rows)?;
                        finite("model.values", &s.values)
                    }
                }
            }
            Fitted::NaiveBayes(s) => {
                classifier()?;
                features("model.n_features", s.n_features, c)?;
                classes("model.n_classes", s.n_classes, c)?;
                let n = product("model.mean", s.n_classes, s.n_features)?;
                len("model.mean", s.mean.len(), n)?;
                len("model.var", s.var.len(), n)?;
                len("model.log_prior", s.log_prior.len(), s.n_classes)?;
                finite("model.mean", &s.mean)?;
                finite("model.log_prior", &s.log_prior)?;
                match s.var.iter().position(|v| !(v.is_finite() && *v > 0.0)) {
                    Some(i) => {
                        err(format!("model.var[{i}]"), format!("{} is not a positive finite variance", s.var[i]))
                    }
                    None => Ok(()),
                }
            }
            Fitted::DecisionTree(s) => {
                supervised_task(s.task)?;
                features("model.n_features", s.n_features, c)?;
                len("model.importance", s.importance.len(), s.n_features)?;
                check_tree("model.tree", &s.tree, c)
            }
            Fitted::RandomForest(s) => {
                supervised_task(s.task)?;
                features("model.n_features", s.n_features, c)?;
                len("model.importance", s.importance.len(), s.n_features)?;
                equal("model.n_out", s.n_out, n_out(c), "what the target implies")?;
                for (t, tree) in s.trees.iter().enumerate() {
                    equal(&format!("model.trees[{t}].n_out"), tree.n_out, s.n_out, "the forest's n_out")?;
                    check_tree(&format!("model.trees[{t}]"), tree, c)?;
                }
                Ok(())
            }
            Fitted::GradientBoosting(s) => check_boosting(s, c),
            Fitted::Mlp(s) => {
                let outputs = match c.task {
                    Task::Regression => 1,
                    Task::Classification if c.n_classes == 2 => 1,
                    Task::Classification => c.n_classes,
                };
                let loss = match c.task {
                    Task::Regression => "squared",
                    Task::Classification if c.n_classes == 2 => "logistic",
                    Task::Classification => "softmax",
                };
                check_net("model.net", &s.net, c.n_features, outputs, loss)?;
                finite("model.y_mean", &[s.y_mean])?;
                if !(s.y_std.is_finite() && s.y_std > 0.0) {
                    return err("model.y_std", format!("{} is not a positive finite number", s.y_std));
                }
                Ok(())
            }
            Fitted::Autoencoder(s) => {
                check_net("model.net", &s.net, c.n_features, c.n_features, "squared")?;
                classes("model (autoencoder classes)", 2, c)?;
                if !(s.threshold.is_finite() && s.threshold >= 0.0) {
                    return err("model.threshold", format!("{} is not a finite error of 0 or more", s.threshold));
                }
                Ok(())
            }
            Fitted::SelfTraining(s) => match &*s.base {
                _ if c.task != Task::Classification => err(f, "self-training needs a target with classes"),
                Fitted::SelfTraining(_)
                | Fitted::Kmeans(_)
                | Fitted::Pca(_)
                | Fitted::Dbscan(_)
                | Fitted::Embedding(_) => err("model.base", "is not a classifier that self-training can wrap"),
                base => base.check(c),
            },
            Fitted::Kmeans(s) => {
                features("model.n_features", s.n_features, c)?;
                if s.n_clusters == 0 {
                    return err("model.n_clusters", "is 0");
                }
                len("model.centers", s.centers.len(), product("model.centers", s.n_clusters, s.n_features)?)?;
                finite("model.centers", &s.centers)
            }
            Fitted::Pca(s) => {
                features("model.n_features", s.n_features, c)?;
                len("model.mean", s.mean.len(), s.n_features)?;
                len(
                    "model.components",
                    s.components.len(),
                    product("model.components", s.n_components, s.n_features)?,
                )?;
                len("model.explained_variance_ratio", s.explained_variance_ratio.len(), s.n_components)?;
                finite("model.mean", &s.mean)?;
                finite("model.components", &s.components)
            }
            Fitted::Dbscan(s) => {
                features("model.n_features", s.n_features, c)?;
                if !(s.eps.is_finite() && s.eps > 0.0) {
                    return err("model.eps", format!("{} is not a positive finite distance", s.eps));
                }
                len(
                    "model.core_points",
                    s.core_points.len(),
                    product("model.core_points", s.core_labels.len(), s.n_features)?,
                )?;
                finite("model.core_points", &s.core_points)?;
                match s.core_labels.iter().position(|&l| l < 0) {
                    Some(i) => err(format!("model.core_labels[{i}]"), "a core row cannot be noise"),
                    None => Ok(()),
                }
            }
            Fitted::Embedding(_) => Ok(()),
        }
    }
}

fn n_out(c: &Context) -> usize {
    match c.task {
        Task::Classification => c.n_classes,
        Task::Regression => 1,
    }
}

/// Node indices in range, children after their parent (so every walk ends), features and
/// category words in range, values finite.
fn check_tree(field: &str, t: &SavedTree, c: &Context) -> Result<()> {
    equal(&format!("{field}.n_out"), t.n_out, n_out(c), "what the target implies")?;
    if t.nodes.is_empty() {
        return err(format!("{field}.nodes"), "is empty; a tree needs a root");
    }
    len(&format!("{field}.values"), t.values.len(), product(&format!("{field}.values"), t.nodes.len(), t.n_out)?)?;
    finite(&format!("{field}.values"), &t.values)?;
    let n = t.nodes.len();
    for (i, node) in t.nodes.iter().enumerate() {
        let at = |what: &str| format!("{field}.nodes[{i}].{what}");
        match node.kind {
            LEAF => continue,
            NUMERIC if node.threshold.is_nan() => return err(at("threshold"), "is NaN"),
            NUMERIC => {}
            CATEGORY => {
                let end = node.cat_start as usize + node.cat_len as usize;
                if end > t.cat_words.len() {
                    return err(
                        at("cat_len"),
                        format!("words {}..{end} run past the {} category words", node.cat_start, t.cat_words.len()),
                    );
                }
            }
            k => return err(at("kind"), format!("{k} is not 0 (leaf), 1 (numeric split) or 2 (category split)")),
        }
        if node.feature as usize >= c.n_features {
            return err(at("feature"), format!("{} is not below the {} model inputs", node.feature, c.n_features));
        }
        for (what, child) in [("left", node.left), ("right", node.right)] {
            let child = child as usize;
            if child >= n {
                return err(at(what), format!("node {child} is out of range (the tree has {n} nodes)"));
            }
            if child <= i {
                return err(
                    at(what),
                    format!("node {child} does not come after its parent {i}: the tree would have a cycle"),
                );
            }
        }
    }
    Ok(())
}

fn check_boosting(s: &SavedBoosting, c: &Context) -> Result<()> {
    features("model.n_features", s.n_features, c)?;
    let (k, n_classes) = match c.task {
        Task::Regression => (1, 0),
        Task::Classification => (if c.n_classes == 2 { 1 } else { c.n_classes }, c.n_classes),
    };
    equal("model.n_classes", s.n_classes, n_classes, "what the target implies")?;
    equal("model.k", s.k, k, "what the target implies")?;
    len("model.baseline", s.baseline.len(), k)?;
    finite("model.baseline", &s.baseline)?;
    len("model.split_gain", s.split_gain.len(), s.n_features)?;
    if s.trees.len() % k != 0 {
        return err("model.trees", format!("{} trees are not whole rounds of {k}", s.trees.len()));
    }
    for (t, nodes) in s.trees.iter().enumerate() {
        let n = nodes.len();
        if n == 0 {
            return err(format!("model.trees[{t}]"), "is empty; a tree needs a root");
        }
        for (i, node) in nodes.iter().enumerate() {
            let at = |what: &str| format!("model.trees[{t}][{i}].{what}");
            if !node.value.is_finite() {
                return err(at("value"), format!("{} is not a finite number", node.value));
            }
            if node.feature == BOOST_LEAF {
                continue;
            }
            if node.feature as usize >= s.n_features {
                return err(at("feature"), format!("{} is not below the {} model inputs", node.feature, s.n_features));
            }
            if node.threshold.is_nan() {
                return err(at("threshold"), "is NaN");
            }
            for (what, child) in [("left", node.left), ("right", node.right)] {
                let child = child as usize;
                if child >= n {
                    return err(at(what), format!("node {child} is out of range (the tree has {n} nodes)"));
                }
                if child <= i {
                    return err(
                        at(what),
                        format!("node {child} does not come after its parent {i}: the tree would have a cycle"),
                    );
                }
            }
        }
    }
    Ok(())
}

fn check_net(field: &str, s: &SavedNet, inputs: usize, outputs: usize, loss: &str) -> Result<()> {
    if Activation::from_name(&s.activation).is_none() {
        return err(
            format!("{field}.activation"),
            format!("'{}' is not relu, tanh, logistic or identity", s.activation),
        );
    }
    if s.loss != loss {
        return err(format!("{field}.loss"), format!("'{}' does not fit this target (expected '{loss}')", s.loss));
    }
    if s.sizes.len() < 2 || s.sizes.contains(&0) {
        return err(format!("{field}.sizes"), "needs an input and an output layer, each of at least one unit");
    }
    equal(&format!("{field}.sizes[0]"), s.sizes[0], inputs, "the number of model inputs")?;
    equal(
        &format!("{field}.sizes[last]"),
        s.sizes[s.sizes.len() - 1],
        outputs,
        "the number of outputs the target needs",
    )?;
    len(&format!("{field}.layers"), s.layers.len(), s.sizes.len() - 1)?;
    for (l, layer) in s.layers.iter().enumerate() {
        let w = format!("{field}.layers[{l}].weights");
        len(&w, layer.weights.len(), product(&w, s.sizes[l], s.sizes[l + 1])?)?;
        len(&format!("{field}.layers[{l}].biases"), layer.biases.len(), s.sizes[l + 1])?;
        finite32(&w, &layer.weights)?;
        finite32(&format!("{field}.layers[{l}].biases"), &layer.biases)?;
    }
    Ok(())
}
