//! The whole state of an experiment: what a share link carries. Every field has a
//! default, unknown keys are ignored (so links from newer versions still open), and
//! `validate()` names the first field that is out of range.

pub mod change;
pub mod link;
pub mod positive;
pub mod selection;

use serde::{Deserialize, Serialize};

use crate::base::error::Result;
use crate::data::builtin::DatasetSpec;
use crate::data::dataset::ColumnChoice;
use crate::data::prep::PrepSpec;
use crate::data::split::SplitSpec;
use crate::data::Task;
use crate::kinds::ModelSpec;

pub const STATE_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AppState {
    pub dataset: DatasetSpec,
    /// The task when the user overrides what the target suggests; `None`: inferred.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task: Option<Task>,
    /// Columns left out or kept against the defaults.
    #[serde(skip_serializing_if = "ColumnChoice::is_empty")]
    pub columns: ColumnChoice,
    /// A two-class target's positive class; `None`: the set's default (`positive.rs`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub positive: Option<String>,
    pub prep: PrepSpec,
    pub split: SplitSpec,
    /// Every random choice (split, initialisation, generated data) derives from this.
    pub seed: u32,
    #[serde(deserialize_with = "model_or_error")]
    pub model: ModelSpec,
    pub view: ViewSpec,
    /// Where neural networks train (skipped while `auto`, so older links read the same).
    #[serde(skip_serializing_if = "Backend::is_auto")]
    pub backend: Backend,
    /// How many final evaluations scored the test rows. Every look at the test set spends
    /// some of its worth as an unbiased estimate, so the page shows the count; it only grows.
    #[serde(skip_serializing_if = "is_zero")]
    pub test_evaluations: u32,
    /// `fingerprint()` of the state at the last final evaluation. The test metrics show only
    /// while the state still has that fingerprint (`test_unlocked`): changing anything that
    /// moves the numbers (model, data, preprocessing, split, seed) re-locks the test set,
    /// with no bookkeeping in the page, and a link cannot carry a stale unlock.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tested: Option<String>,
}

/// `auto` trains on the GPU when the browser offers WebGPU; `cpu` and `gpu` insist.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    #[default]
    Auto,
    Cpu,
    Gpu,
}

impl Backend {
    fn is_auto(&self) -> bool {
        *self == Backend::Auto
    }
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// What the page shows; does not change any number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ViewSpec {
    /// Feature indices on the scatter plot's axes.
    pub x_feature: u32,
    pub y_feature: u32,
    /// Binary problems: the score above which a row is called positive (0.5 if unset).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// The cost of a missed positive and of a false alarm, for the cost curve.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub costs: Option<[f64; 2]>,
    /// Show the data (and the model) on its first two principal components instead.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub pca: bool,
    /// In the compact `?embed` layout, the controls to show: names such as `model`,
    /// `split` or `threshold`, or hyperparameter names such as `max_depth`. Empty: none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub show: Vec<String>,
    /// The rows opened from the evaluation (a confusion-matrix cell or picked rows).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<selection::ErrorSelection>,
}

impl ViewSpec {
    fn validate(&self) -> Result<()> {
        if let Some(e) = &self.errors {
            e.validate()?;
        }
        if let Some(t) = self.threshold {
            if !(0.0..=1.0).contains(&t) {
                return Err(crate::Error::param("view.threshold", t, "a probability between 0 and 1"));
            }
        }
        if let Some(c) = self.costs {
            if !c.iter().all(|v| v.is_finite() && *v >= 0.0) {
                return Err(crate::Error::param("view.costs", format!("{c:?}"), "two costs of 0 or more"));
            }
        }
        let name_ok = |n: &String| {
            !n.is_empty()
                && n.len() <= 40
                && n.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        };
        if self.show.len() > 40 || !self.show.iter().all(name_ok) {
            let bad = self
                .show
                .iter()
                .find(|n| !name_ok(n))
                .map_or("more than 40 names".to_string(), |n| n.chars().take(40).collect());
            return Err(crate::Error::param(
                "view.show",
                bad,
                "up to 40 control or hyperparameter names (a-z, 0-9, _)",
            ));
        }
        Ok(())
    }
}

impl Default for ViewSpec {
    fn default() -> Self {
        // For iris, petal length vs petal width: the pair that separates the species.
        ViewSpec { x_feature: 2, y_feature: 3, threshold: None, costs: None, pca: false, show: vec![], errors: None }
    }
}

impl Default for AppState {
    fn default() -> Self {
        AppState {
            dataset: DatasetSpec::default(),
            task: None,
            columns: ColumnChoice::default(),
            positive: None,
            prep: PrepSpec::default(),
            split: SplitSpec::default(),
            seed: 1,
            model: ModelSpec::default(),
            view: ViewSpec::default(),
            backend: Backend::Auto,
            test_evaluations: 0,
            tested: None,
        }
    }
}

impl AppState {
    pub fn validate(&self) -> Result<()> {
        self.dataset.validate()?;
        self.columns.validate()?;
        positive::validate(&self.positive)?;
        self.split.validate()?;
        self.view.validate()?;
        self.model.validate()
    }

    /// A short hash (16 hex digits, FNV-1a over the JSON) of everything that decides the
    /// numbers: the state without the view and the test bookkeeping. Stable across
    /// platforms; a version that adds a hyperparameter changes it (re-locking, harmlessly).
    pub fn fingerprint(&self) -> String {
        let bare = AppState { view: ViewSpec::default(), test_evaluations: 0, tested: None, ..self.clone() };
        let hash =
            bare.to_json().bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3));
        format!("{hash:016x}")
    }

    /// Whether the test metrics may be shown: a final evaluation was made of this very state.
    pub fn test_unlocked(&self) -> bool {
        self.test_evaluations > 0 && self.tested.as_deref() == Some(self.fingerprint().as_str())
    }

    /// Record a final evaluation of the current state (the page calls this when the student
    /// asks for the test score, then shows `Session::metrics(true)`).
    pub fn record_test_evaluation(&mut self) {
        self.test_evaluations = self.test_evaluations.saturating_add(1);
        self.tested = Some(self.fingerprint());
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("state serialises")
    }

    /// Parse and validate a state from JSON (as sent by the page).
    pub fn from_json(text: &str) -> Result<AppState> {
        let state: AppState = crate::base::json::parse(text)
            .map_err(|e| crate::Error::Link(format!("the settings are malformed ({e})")))?;
        state.validate()?;
        Ok(state)
    }
}

/// Deserialise the model through `spec_from_json` so an unknown kind gets a clear message.
fn model_or_error<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<ModelSpec, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    crate::kinds::spec_from_json(v).map_err(serde::de::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_keys_default_and_unknown_keys_are_ignored() {
        let s = AppState::from_json(
            r#"{"seed": 9, "future_key": [1,2], "model": {"kind": "logistic_regression", "C": 0.5}}"#,
        )
        .unwrap();
        assert_eq!(s.seed, 9);
        assert_eq!(s.dataset, DatasetSpec::default());
        assert_eq!(s.model.params_json()["C"], 0.5);
        assert_eq!(s.model.params_json()["max_iter"], 100);
    }

    #[test]
    fn embed_show_names_are_kept_and_bad_ones_refused() {
        let s = AppState::from_json(r#"{"view": {"show": ["model", "max_depth"]}}"#).unwrap();
        assert_eq!(s.view.show, ["model", "max_depth"]);
        assert!(s.to_json().contains(r#""show":["model","max_depth"]"#));
        assert!(!AppState::default().to_json().contains("show"), "no list, no key");
        for bad in [r#"["<img>"]"#, r#"[""]"#, r#"["Model"]"#] {
            let e = AppState::from_json(&format!(r#"{{"view": {{"show": {bad}}}}}"#)).unwrap_err().to_string();
            assert!(e.contains("view.show"), "{bad}: {e}");
        }
        let many = serde_json::to_string(&vec!["a"; 41]).unwrap();
        assert!(AppState::from_json(&format!(r#"{{"view": {{"show": {many}}}}}"#)).is_err());
    }

    #[test]
    fn the_backend_choice_round_trips_and_stays_out_of_default_links() {
        assert!(!AppState::default().to_json().contains("backend"));
        let s = AppState::from_json(r#"{"backend": "gpu"}"#).unwrap();
        assert_eq!(s.backend, Backend::Gpu);
        assert_eq!(AppState::from_json(&s.to_json()).unwrap().backend, Backend::Gpu);
        let e = AppState::from_json(r#"{"backend": "tpu"}"#).unwrap_err();
        assert!(e.to_string().contains("tpu"), "{e}");
    }

    #[test]
    fn unknown_model_and_bad_param_are_named() {
        let e = AppState::from_json(r#"{"model": {"kind": "quantum_forest"}}"#).unwrap_err();
        assert!(e.to_string().contains("quantum_forest"), "{e}");
        let e = AppState::from_json(r#"{"model": {"kind": "logistic_regression", "C": -1}}"#).unwrap_err();
        assert!(e.to_string().contains("C = -1"), "{e}");
    }

    #[test]
    fn a_final_evaluation_unlocks_the_test_set_until_the_numbers_change() {
        let mut s = AppState::default();
        assert!(!s.test_unlocked() && !s.to_json().contains("test_evaluations"));
        s.record_test_evaluation();
        assert!(s.test_unlocked() && s.test_evaluations == 1);
        s.view.x_feature = 0; // what the page shows does not re-lock
        assert!(s.test_unlocked());
        s.model = crate::kinds::spec_from_json(serde_json::json!({"kind": "logistic_regression", "C": 0.5})).unwrap();
        assert!(!s.test_unlocked(), "a new model re-locks");
        s.record_test_evaluation();
        assert!(s.test_unlocked() && s.test_evaluations == 2);
        s.seed += 1;
        assert!(!s.test_unlocked(), "a new split re-locks");
        assert_ne!(AppState::default().fingerprint(), s.fingerprint());
        assert_eq!(AppState::default().fingerprint(), AppState::default().fingerprint());
    }
}
