//! The worker's calls for clusterings and projections: per-row results as typed arrays,
//! the charts that help choose k, eps and the number of components, and the exports.

use js_sys::{Float64Array, Int32Array, Uint32Array, Uint8Array};
use wasm_bindgen::prelude::*;

use super::js_err;
use super::session::WebSession;
use crate::data::table::{Column, ColumnData, MISSING_CODE};
use crate::data::Target;
use crate::engine::session::Session;
use crate::unsupervised::{Unsupervised, NOISE};

fn fit(s: Option<&Session>) -> Result<(&dyn Unsupervised, &[usize]), JsError> {
    s.and_then(Session::unsupervised_fit).ok_or_else(|| JsError::new("no clustering or projection has been started"))
}

#[wasm_bindgen]
impl WebSession {
    /// Dataset rows the clustering or projection was fitted on (all, unless rows with
    /// missing values were dropped); the other per-row arrays follow this order.
    pub fn fitted_rows(&self) -> Result<Uint32Array, JsError> {
        let (_, rows) = fit(self.session())?;
        Ok(Uint32Array::from(&rows.iter().map(|&r| r as u32).collect::<Vec<_>>()[..]))
    }

    /// Cluster of each fitted row as of now (-1: noise); empty for projections.
    pub fn cluster_labels(&self) -> Result<Int32Array, JsError> {
        let (f, _) = fit(self.session())?;
        Ok(Int32Array::from(&f.labels().unwrap_or_default()[..]))
    }

    /// Coordinates of each fitted row as of now, row-major with `dims` (default 2) per row;
    /// empty for clusterings and before a projection's first step.
    pub fn embedding(&self, dims: Option<usize>) -> Result<Float64Array, JsError> {
        let (f, _) = fit(self.session())?;
        let Some(e) = f.embedding() else { return Ok(Float64Array::new_with_length(0)) };
        let d = dims.unwrap_or(2).clamp(1, e.ncols());
        let flat: Vec<f64> = e.rows().into_iter().flat_map(|r| r.iter().take(d).copied().collect::<Vec<_>>()).collect();
        Ok(Float64Array::from(&flat[..]))
    }

    /// How many coordinates per row the projection has (2, or 3 for PCA with 3 or more components).
    pub fn embedding_width(&self) -> Result<usize, JsError> {
        let (f, _) = fit(self.session())?;
        Ok(f.embedding().map_or(0, |e| e.ncols()))
    }

    /// DBSCAN: 0 core, 1 border, 2 noise per fitted row; empty for other kinds.
    pub fn point_kinds(&self) -> Result<Uint8Array, JsError> {
        let (f, _) = fit(self.session())?;
        let k: Vec<u8> = f.point_kinds().unwrap_or_default().iter().map(|&k| k as u8).collect();
        Ok(Uint8Array::from(&k[..]))
    }

    /// Inertia and silhouette of k-means for k = 1..=k_max on the fitted rows (JSON
    /// `[[k, inertia, silhouette], ...]`, silhouette null where undefined).
    pub fn elbow(&self, k_max: usize) -> Result<String, JsError> {
        let s = self.session().ok_or_else(|| JsError::new("training has not been started"))?;
        let x = &s.data().train.x;
        let hi = k_max.clamp(2, 30).min(x.nrows());
        let r = crate::cluster::kmeans::elbow(x, 1..=hi, s.state().seed).map_err(js_err)?;
        let v: Vec<serde_json::Value> =
            r.iter().map(|&(k, i, sil)| serde_json::json!([k, i, sil.is_finite().then_some(sil)])).collect();
        Ok(serde_json::Value::from(v).to_string())
    }

    /// Every fitted row's distance to its k-th nearest row (itself first), sorted: DBSCAN's
    /// eps is usually chosen at the curve's knee, with k = min_samples.
    pub fn k_distance(&self, k: usize) -> Result<Float64Array, JsError> {
        let s = self.session().ok_or_else(|| JsError::new("training has not been started"))?;
        let d = crate::cluster::dbscan::k_distance(&s.data().train.x, k).map_err(js_err)?;
        Ok(Float64Array::from(&d[..]))
    }

    /// PCA with every component of the fitted rows (JSON): `explained_variance_ratio` for
    /// the scree chart, the first three `components` (loadings) and their `feature_names`.
    pub fn pca_details(&self) -> Result<String, JsError> {
        let s = self.session().ok_or_else(|| JsError::new("training has not been started"))?;
        let d = crate::app::workspace::pca_details(s).map_err(js_err)?;
        Ok(serde_json::to_string(&d).expect("details serialise"))
    }

    /// The fitted rows as CSV (the workspace's format, as `mlplay run --predictions`):
    /// row number in the data (from 1), the target, the cluster and/or the coordinates as
    /// fitted so far.
    pub fn export_csv(&self) -> Result<String, JsError> {
        self.session()
            .and_then(crate::app::workspace::fitted_rows_csv)
            .ok_or_else(|| JsError::new("no clustering or projection has been started"))
    }

    /// Adds the clusters as a text column `name` of the loaded table ("noise" for DBSCAN's
    /// noise, empty for rows that were not fitted), so later models can use it as a feature.
    pub fn add_cluster_column(&mut self, name: &str, state_json: &str) -> Result<(), JsError> {
        let (f, rows) = fit(self.session())?;
        let labels = f.labels().ok_or_else(|| JsError::new("only a clustering has clusters to add"))?;
        let state = crate::state::AppState::from_json(state_json).map_err(js_err)?;
        let table = self.table_ref()?;
        if table.column_index(name).is_some() {
            return Err(JsError::new(&format!("the data already has a column named '{name}'")));
        }
        // Dataset rows are the table rows whose target is present, in order (every row when
        // there is no target).
        let ds = self.dataset_ref()?;
        let present: Vec<usize> = if ds.has_target {
            let target =
                table.column_index(&ds.target_name).ok_or_else(|| JsError::new("the target column is gone"))?;
            (0..table.n_rows())
                .filter(|&r| !crate::data::summary::cell_text(&table.columns[target].data, r).is_empty())
                .collect()
        } else {
            (0..table.n_rows()).collect()
        };
        let n_clusters = labels.iter().copied().max().unwrap_or(-1) + 1;
        let mut levels: Vec<String> = (0..n_clusters).map(|c| format!("cluster {c}")).collect();
        levels.push("noise".into());
        let mut codes = vec![MISSING_CODE; table.n_rows()];
        for (i, &r) in rows.iter().enumerate() {
            if let Some(&t) = present.get(r) {
                codes[t] = if labels[i] == NOISE { n_clusters as u32 } else { labels[i] as u32 };
            }
        }
        let column = Column { name: name.to_string(), data: ColumnData::Categorical { codes, levels } };
        self.replace_table_with_column(column, &state).map_err(js_err)
    }

    /// One dataset row, for the plot's hover: the target, then every feature's raw value.
    pub fn row(&self, index: usize) -> Result<String, JsError> {
        let ds = self.dataset_ref()?;
        if index >= ds.n_rows() {
            return Err(JsError::new(&format!("there is no row {index}")));
        }
        let target = match &ds.target {
            Target::Classes { labels, names } => names[labels[index] as usize].clone(),
            Target::Values(v) => v[index].to_string(),
        };
        let mut cells = if ds.has_target { vec![(ds.target_name.clone(), target)] } else { vec![] };
        cells.extend(ds.feature_names.iter().enumerate().map(|(j, n)| (n.clone(), format!("{}", ds.x[[index, j]]))));
        for c in &ds.categorical {
            let v = c.codes[index];
            cells.push((c.name.clone(), if v == MISSING_CODE { String::new() } else { c.levels[v as usize].clone() }));
        }
        Ok(serde_json::to_string(&cells).expect("cells serialise"))
    }
}
