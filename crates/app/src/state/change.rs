//! What an edit of the state invalidates. The page's store asks this rather than keep its
//! own copy of which fields the data, the target and the model depend on.

use serde::Serialize;

use super::AppState;

/// The work an edit makes stale, from the most to the least: each level implies the ones
/// below it (new data needs a new target, which needs a new model, which needs redrawing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Redo {
    /// Nothing shown depends on what changed (the count of final evaluations, say).
    Nothing,
    /// Only how results are shown: a threshold, the costs of errors, the embed's controls.
    Redraw,
    /// The plot's plane (its axes, or the PCA plane): the model's surface is computed again.
    Replot,
    /// The model, its preprocessing, the split or the backend: the model is trained again.
    Retrain,
    /// The target, the task or the columns used: the loaded rows are prepared again.
    Retarget,
    /// The dataset itself or the seed (generated sets depend on it): the data is read again.
    Reload,
}

impl Redo {
    pub fn name(self) -> &'static str {
        match self {
            Redo::Nothing => "nothing",
            Redo::Redraw => "redraw",
            Redo::Replot => "replot",
            Redo::Retrain => "retrain",
            Redo::Retarget => "retarget",
            Redo::Reload => "reload",
        }
    }
}

/// What going from `before` to `after` makes stale.
pub fn redo(before: &AppState, after: &AppState) -> Redo {
    let mut data0 = before.dataset.clone();
    let mut data1 = after.dataset.clone();
    data0.target = None;
    data1.target = None;
    // An image size changes how the loaded rows are read, not the rows.
    (data0.image, data1.image) = (None, None);
    let (v0, v1) = (&before.view, &after.view);
    if data0 != data1 || before.seed != after.seed {
        Redo::Reload
    } else if before.dataset.target != after.dataset.target
        || before.dataset.image != after.dataset.image
        || before.task != after.task
        || before.columns != after.columns
        // Clusterings and projections may use the target column as a feature (no target).
        || before.model.is_unsupervised() != after.model.is_unsupervised()
    {
        Redo::Retarget
    } else if before.split != after.split
        || before.model != after.model
        || before.prep != after.prep
        || before.backend != after.backend
        || before.positive != after.positive
    {
        Redo::Retrain
    } else if v0.x_feature != v1.x_feature || v0.y_feature != v1.y_feature || v0.pca != v1.pca {
        Redo::Replot
    } else if v0 != v1 {
        Redo::Redraw
    } else {
        Redo::Nothing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(f: impl FnOnce(&mut AppState)) -> Redo {
        let before = AppState::default();
        let mut after = before.clone();
        f(&mut after);
        redo(&before, &after)
    }

    #[test]
    fn each_field_invalidates_what_depends_on_it() {
        assert_eq!(edit(|_| {}), Redo::Nothing);
        assert_eq!(edit(|s| s.test_evaluations = 2), Redo::Nothing);
        assert_eq!(edit(|s| s.view.threshold = Some(0.3)), Redo::Redraw);
        assert_eq!(edit(|s| s.view.costs = Some([1.0, 5.0])), Redo::Redraw);
        assert_eq!(edit(|s| s.view.x_feature = 0), Redo::Replot);
        assert_eq!(edit(|s| s.view.pca = true), Redo::Replot);
        assert_eq!(edit(|s| s.backend = super::super::Backend::Cpu), Redo::Retrain);
        assert_eq!(edit(|s| s.split.train = 0.5), Redo::Retrain);
        assert_eq!(
            edit(|s| s.model = crate::kinds::spec_from_json(serde_json::json!({"kind": "knn"})).unwrap()),
            Redo::Retrain
        );
        assert_eq!(edit(|s| s.dataset.target = Some("species".into())), Redo::Retarget);
        assert_eq!(edit(|s| s.task = Some(crate::data::Task::Regression)), Redo::Retarget);
        assert_eq!(edit(|s| s.columns.exclude.push("sepal_width".into())), Redo::Retarget);
        let size = crate::data::image_size::ImageSize { width: 2, height: 2 };
        assert_eq!(edit(|s| s.dataset.image = Some(size)), Redo::Retarget);
        assert_eq!(edit(|s| s.seed = 7), Redo::Reload);
        assert_eq!(edit(|s| s.dataset.id = "moons".into()), Redo::Reload);
    }

    #[test]
    fn the_largest_change_wins() {
        assert_eq!(
            edit(|s| {
                s.view.threshold = Some(0.2);
                s.seed = 3;
                s.dataset.target = Some("x".into());
            }),
            Redo::Reload
        );
        assert_eq!(Redo::Retarget.name(), "retarget");
    }
}
