//! Validation curves: one hyperparameter of the state's model swept over a list of values,
//! with the training and validation score of each (scikit-learn's `validation_curve`, on
//! the session's own split rather than folds). Where the training score keeps rising
//! while the validation score stalls or falls, the model has started to memorise.

use serde::Serialize;
use serde_json::Value;

use super::cross_val::{metric_name, score};
use crate::base::error::{Error, Result};
use crate::base::schema::Domain;
use crate::data::prep::prepare;
use crate::data::Dataset;
use crate::engine::session::model_rows;
use crate::kinds::{spec_from_json, ModelSpec};
use crate::state::AppState;

/// Train minus validation score beyond which the gap counts as open.
pub const GAP: f64 = 0.05;
/// Most values in one sweep (each is a full training run).
pub const MAX_VALUES: usize = 50;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidationCurve {
    pub param: String,
    pub values: Vec<Value>,
    /// "accuracy" or "r2", as `cross_validate`.
    pub metric: &'static str,
    pub train: Vec<f64>,
    pub validation: Vec<f64>,
    /// Index of the best validation score (the first one on ties).
    pub best: usize,
    /// Where the gap opens: the first index, in sweep order, at which the training score
    /// exceeds the validation score by more than `GAP`. `default_sweep` lists values from
    /// the simplest model to the most flexible, so this is the first setting flexible
    /// enough to fit the training rows visibly better than unseen rows. `None`: never.
    pub gap_opens: Option<usize>,
}

/// Sweep `param` over `values` with everything else as in `state`: each value trains a
/// model on the session's training rows and is scored on them and on the validation rows.
pub fn validation_curve(state: &AppState, dataset: &Dataset, param: &str, values: &[Value]) -> Result<ValidationCurve> {
    validation_curve_with_holdout(state, dataset, None, param, values)
}

/// As `validation_curve`, for a session whose test rows start at `holdout_from`.
pub fn validation_curve_with_holdout(
    state: &AppState,
    dataset: &Dataset,
    holdout_from: Option<usize>,
    param: &str,
    values: &[Value],
) -> Result<ValidationCurve> {
    if values.is_empty() || values.len() > MAX_VALUES {
        return Err(Error::param(
            "sweep",
            format!("{} values", values.len()),
            &format!("from 1 to {MAX_VALUES} values"),
        ));
    }
    let specs: Vec<ModelSpec> = values.iter().map(|v| with_param(&state.model, param, v)).collect::<Result<_>>()?;
    let (ds, idx) = model_rows(state, dataset, holdout_from)?;
    if idx.validation.is_empty() {
        return Err(Error::param(
            "split.validation",
            state.split.validation,
            "more than 0: a validation curve scores the validation rows",
        ));
    }
    // The kind is the same for every value, so its preprocessing is too: prepare once.
    let data = prepare(&ds, &idx, &state.prep, state.model.encoding());
    let (mut train, mut validation) = (Vec::with_capacity(values.len()), Vec::with_capacity(values.len()));
    for spec in &specs {
        let mut trainer = spec.trainer(&data, state.seed)?;
        while !trainer.is_done() {
            trainer.step(&data)?;
        }
        let model = trainer.model().ok_or_else(|| Error::Training("the model was not fitted".into()))?;
        train.push(score(model, &data.train));
        validation.push(score(model, &data.validation));
    }
    let best = (0..validation.len()).fold(0, |b, i| if validation[i] > validation[b] { i } else { b });
    let gap_opens = (0..train.len()).find(|&i| train[i] - validation[i] > GAP);
    Ok(ValidationCurve {
        param: param.to_string(),
        values: values.to_vec(),
        metric: metric_name(data.task),
        train,
        validation,
        best,
        gap_opens,
    })
}

/// `spec` with hyperparameter `param` set to `value`, through JSON so any kind works; the
/// name must be one of the kind's hyperparameters and the value within its range.
pub fn with_param(spec: &ModelSpec, param: &str, value: &Value) -> Result<ModelSpec> {
    let params = (spec.describe().params)();
    if !params.iter().any(|p| p.name == param) {
        let names: Vec<&str> = params.iter().map(|p| p.name).collect();
        return Err(Error::param(
            "sweep",
            param,
            &format!("a hyperparameter of {}: {}", spec.kind(), names.join(", ")),
        ));
    }
    let mut v = crate::base::json::to_value(spec).expect("model serialises");
    v[param] = value.clone();
    let out = spec_from_json(v)?;
    out.validate()?;
    Ok(out)
}

/// Largest number of values of an integer grid.
const MAX_INT_VALUES: usize = 15;

/// A parameter and grid to sweep for this kind, listed from the simplest model to the most
/// flexible: integers up to 15 values across the range (every value when they fit, else
/// roughly evenly spaced on a log scale), logarithmic reals as powers of ten, other reals
/// 10 evenly spaced values. The range is the kind's `ParamInfo` domain clipped to the
/// bounds of the kind's `sweep` (e.g. max_depth 1..=15, n_neighbors 30 down to 1, C
/// 1e-3..1e3). Kinds with no `sweep` take their first basic integer or logarithmic
/// parameter; `None` when there is nothing worth sweeping (`no_sweep`: linear regression).
pub fn default_sweep(spec: &ModelSpec) -> Option<(&'static str, Vec<Value>)> {
    let kind = spec.describe();
    let params = (kind.params)();
    let (name, lo, hi, descending) = match kind.sweep {
        Some(s) => (s.param, s.lo, s.hi, s.descending),
        None => {
            let p = params.iter().find(|p| Some(p.name) == kind.sweep_param())?;
            (p.name, if matches!(p.domain, Domain::Int { .. }) { 1.0 } else { 1e-3 }, 1e3, false)
        }
    };
    let param = params.iter().find(|p| p.name == name)?;
    let mut grid = match param.domain {
        Domain::Int { min, max } => int_grid(lo.max(min as f64) as i64, hi.min(max as f64) as i64),
        Domain::Float { min, max, log: true, .. } => {
            let lo = if min > 0.0 { lo.max(min) } else { lo };
            let (a, b) = (lo.log10().ceil() as i32, hi.min(max).log10().floor() as i32);
            // Parsed rather than powi'd so each value is exactly the decimal literal (1e-3...).
            (a..=b).map(|e| Value::from(format!("1e{e}").parse::<f64>().expect("a number"))).collect()
        }
        Domain::Float { min, max, .. } => {
            let (lo, hi) = (lo.max(min), hi.min(max));
            // Rounded so 0.85 does not read 0.8499999999999999 on the page.
            (0..10).map(|i| Value::from(((lo + (hi - lo) * i as f64 / 9.0) * 1e12).round() / 1e12)).collect()
        }
        _ => return None,
    };
    if descending {
        grid.reverse();
    }
    (!grid.is_empty()).then_some((name, grid))
}

fn int_grid(lo: i64, hi: i64) -> Vec<Value> {
    if hi < lo {
        return vec![];
    }
    if ((hi - lo) as usize) < MAX_INT_VALUES {
        return (lo..=hi).map(Value::from).collect();
    }
    let (a, b) = ((lo.max(1) as f64).ln(), (hi as f64).ln());
    let mut out: Vec<i64> = (0..MAX_INT_VALUES)
        .map(|i| (a + (b - a) * i as f64 / (MAX_INT_VALUES - 1) as f64).exp().round() as i64)
        .collect();
    out.dedup();
    out.into_iter().map(Value::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sweep(json: &str) -> Option<(&'static str, Vec<Value>)> {
        default_sweep(&spec_from_json(serde_json::from_str(json).unwrap()).unwrap())
    }

    #[test]
    fn default_grids_per_kind() {
        let (p, v) = sweep(r#"{"kind": "decision_tree"}"#).unwrap();
        assert_eq!((p, v.len(), v[0].clone(), v[14].clone()), ("max_depth", 15, 1.into(), 15.into()));
        let (p, v) = sweep(r#"{"kind": "knn"}"#).unwrap();
        assert_eq!((p, v.first().cloned(), v.last().cloned()), ("n_neighbors", Some(30.into()), Some(1.into())));
        assert!(v.len() <= MAX_INT_VALUES && v.windows(2).all(|w| w[0].as_i64() > w[1].as_i64()), "{v:?}");
        let (p, v) = sweep(r#"{"kind": "logistic_regression"}"#).unwrap();
        assert_eq!(p, "C");
        assert_eq!(v, [1e-3, 1e-2, 0.1, 1.0, 10.0, 100.0, 1e3].map(Value::from));
        let (p, v) = sweep(r#"{"kind": "naive_bayes"}"#).unwrap();
        assert_eq!((p, v.len(), v[0].as_f64()), ("var_smoothing", 10, Some(1.0)));
        assert!(sweep(r#"{"kind": "linear_regression"}"#).is_none());
        let (_, v) = sweep(r#"{"kind": "self_training"}"#).unwrap();
        assert_eq!((v[0].as_f64(), v[7].as_f64(), v[9].as_f64()), (Some(0.5), Some(0.85), Some(0.95)));
        // Every kind's grid is valid for it.
        for k in crate::kinds::all() {
            let spec = spec_from_json(serde_json::json!({"kind": k.name})).unwrap();
            if let Some((p, vals)) = default_sweep(&spec) {
                vals.iter().for_each(|v| assert!(with_param(&spec, p, v).is_ok(), "{} {p}={v}", k.name));
            }
        }
    }

    #[test]
    fn setting_a_parameter_by_name() {
        let spec = ModelSpec::default();
        assert_eq!(with_param(&spec, "C", &0.5.into()).unwrap().params_json()["C"], 0.5);
        let e = with_param(&spec, "max_depth", &3.into()).unwrap_err();
        assert!(e.to_string().contains("sweep = max_depth") && e.to_string().contains("C"), "{e}");
        let e = with_param(&spec, "C", &(-1).into()).unwrap_err();
        assert!(e.to_string().contains("C = -1"), "{e}");
    }
}
