//! The worker's calls for neural networks: what each hidden unit computes over the
//! scatter plot's plane, and the autoencoder's validation rows with their reconstruction
//! errors, so the page can move the threshold without retraining.

use js_sys::Float64Array;
use wasm_bindgen::prelude::*;

use super::session::WebSession;
use crate::base::sort::sort_indices_desc;
use crate::data::table::MISSING_CODE;
use crate::data::Dataset;
use crate::engine::eval::surface::neuron_grids;

/// Units per layer sent to the page; wider layers show their first ones.
const MAX_UNITS_SHOWN: usize = 32;
/// Rows, most anomalous first, whose values go to the page for the flagged-rows table.
const MAX_ROWS_WITH_VALUES: usize = 200;

/// Row `i`'s feature values as text (numeric, then categorical), empty where missing.
fn cells(ds: &Dataset, i: usize) -> Vec<String> {
    let numeric =
        ds.x.row(i).iter().map(|v| if v.is_finite() { format!("{v}") } else { String::new() }).collect::<Vec<_>>();
    let cats = ds.categorical.iter().map(|c| {
        let k = c.codes[i];
        if k == MISSING_CODE {
            String::new()
        } else {
            c.levels[k as usize].clone()
        }
    });
    numeric.into_iter().chain(cats).collect()
}

#[wasm_bindgen]
impl WebSession {
    /// Every hidden unit's output over an `n` x `n` grid of numeric features `xf` and `yf`
    /// (the plane of `surface`), packed as `[nx, ny, x0, x1, y0, y1, layers, (shown, units)
    /// per layer, cells...]`: the cells of each shown unit in turn, index `j * nx + i` from
    /// the lowest y. Empty before the first step and for models without hidden units.
    pub fn neuron_grids(&self, xf: usize, yf: usize, n: usize) -> Result<Float64Array, JsError> {
        let s = self.session().ok_or_else(|| JsError::new("training has not been started"))?;
        let ds = self.dataset_ref()?;
        let (Some(model), Some(typical)) = (s.model(), self.typical()) else {
            return Ok(Float64Array::new_with_length(0));
        };
        if xf >= ds.x.ncols() || yf >= ds.x.ncols() {
            return Err(JsError::new(&format!("there is no numeric feature number {}", xf.max(yf))));
        }
        let n = n.clamp(2, 64);
        let Some(g) = neuron_grids(model, &s.data().preprocessor, ds, typical, xf, yf, n, n) else {
            return Ok(Float64Array::new_with_length(0));
        };
        let mut packed =
            vec![g.nx as f64, g.ny as f64, g.x_range.0, g.x_range.1, g.y_range.0, g.y_range.1, g.layers.len() as f64];
        for layer in &g.layers {
            packed.extend([layer.len().min(MAX_UNITS_SHOWN) as f64, layer.len() as f64]);
        }
        for layer in &g.layers {
            layer.iter().take(MAX_UNITS_SHOWN).for_each(|unit| packed.extend(unit));
        }
        Ok(Float64Array::from(&packed[..]))
    }

    /// The autoencoder's validation rows as JSON: `threshold` (the reconstruction error
    /// that contamination sets), per validation row its `errors`, `labels` (class index)
    /// and `rows` (0-based row of the data as loaded), `order` (validation positions by
    /// error, largest first, at most 200) with the `values` of those rows under `columns`.
    /// `{}` for other models and before the first step.
    pub fn anomaly_rows(&self) -> Result<String, JsError> {
        let s = self.session().ok_or_else(|| JsError::new("training has not been started"))?;
        let Some(model) = s.model() else { return Ok("{}".into()) };
        let data = s.data();
        let (Some(errors), Some(view)) = (model.anomaly_scores(&data.validation.x), model.explain().anomaly) else {
            return Ok("{}".into());
        };
        // The session's validation rows, numbered as loaded (rows with missing values may
        // have been left out).
        let ds = self.dataset_ref()?;
        let rows = &s.row_numbers()[1];
        if rows.len() != errors.len() || rows.iter().any(|&r| r >= ds.n_rows()) {
            return Err(JsError::new("the validation rows no longer match the loaded data; train again"));
        }
        let mut order: Vec<usize> = (0..errors.len()).collect();
        sort_indices_desc(&mut order, &|i| errors[i]);
        order.truncate(MAX_ROWS_WITH_VALUES);
        let columns: Vec<&String> = ds.feature_names.iter().chain(ds.categorical.iter().map(|c| &c.name)).collect();
        let values: Vec<Vec<String>> = order.iter().map(|&p| cells(ds, rows[p])).collect();
        let errors: Vec<Option<f64>> = errors.iter().map(|e| e.is_finite().then_some(*e)).collect();
        Ok(serde_json::json!({
            "threshold": view.threshold,
            "errors": errors,
            "labels": data.validation.y.labels(),
            "class_names": data.class_names,
            "target_name": s.target_name(),
            "rows": rows,
            "order": order,
            "columns": columns,
            "values": values,
        })
        .to_string())
    }
}
