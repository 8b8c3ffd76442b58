//! Tables whose rows are small grey images, for the page and the CLI alike: which columns
//! hold the pixels (a size the user gives, the built-in set's size, or one read from the
//! column names), a gallery of sample images per class, and a trained model's answer for
//! one image (a drawing from the pad, reduced to the set's format).

use serde::Serialize;

use crate::base::clock::now_ms;
use crate::data::drawing::ImageFormat;
use crate::data::infer::image_columns;
use crate::data::table::{ColumnData, MISSING_CODE};
use crate::data::{builtin, Dataset, Table};
use crate::engine::session::Session;
use crate::models::Prediction;

/// Where the pixels are and what they look like.
#[derive(Debug, Clone, Serialize)]
pub struct ImageLayout {
    /// Table columns of the pixels, row by row.
    pub columns: Vec<usize>,
    pub width: usize,
    pub height: usize,
    pub max_value: f64,
    pub integer: bool,
    /// How the size was found: `builtin`, `names` or `user`.
    pub source: &'static str,
}

impl ImageLayout {
    pub fn format(&self) -> ImageFormat {
        ImageFormat { width: self.width, height: self.height, max_value: self.max_value, integer: self.integer }
    }
}

/// The image layout of `table` (loaded as `ds`): the size the state gives (`ds.image`, the
/// user's), else the built-in set's, else the one the column names give. `None` when the
/// rows are not images.
pub fn layout(table: &Table, ds: &Dataset) -> Option<ImageLayout> {
    let names = table.names();
    let (columns, [w, h], source) = match &ds.image {
        Some(g) => {
            let cols: Option<Vec<usize>> = g.pixels.iter().map(|p| table.column_index(p)).collect();
            (cols?, [g.width as u32, g.height as u32], "user")
        }
        None => {
            let (cols, size) = image_columns(&names)?;
            let builtin = builtin::find(&ds.name).ok().and_then(|b| b.image);
            (cols, builtin.unwrap_or(size), if builtin.is_some() { "builtin" } else { "names" })
        }
    };
    let (w, h) = (w as usize, h as usize);
    if columns.len() != w * h {
        return None;
    }
    let (mut max_value, mut integer) = (0.0f64, true);
    for &c in &columns {
        let ColumnData::Numeric(v) = &table.columns[c].data else { return None };
        for x in v.iter().filter(|x| x.is_finite()) {
            max_value = max_value.max(*x);
            integer &= x.fract() == 0.0;
        }
    }
    Some(ImageLayout {
        columns,
        width: w,
        height: h,
        max_value: if max_value > 0.0 { max_value } else { 1.0 },
        integer,
        source,
    })
}

/// A few images of each class (the target column's values, in order of first
/// appearance, at most `MAX_GALLERY_CLASSES`).
#[derive(Debug, Clone, Serialize)]
pub struct GalleryClass {
    pub name: String,
    /// Rows of this class in the table.
    pub count: usize,
    /// Pixels of the first rows of this class, row by row (missing values as 0).
    pub images: Vec<Vec<f64>>,
}

pub const MAX_GALLERY_CLASSES: usize = 20;

pub fn gallery(table: &Table, ds: &Dataset, layout: &ImageLayout, per_class: usize) -> Vec<GalleryClass> {
    let label = |r: usize| -> String {
        match table.column_index(&ds.target_name).map(|i| &table.columns[i].data) {
            Some(ColumnData::Numeric(v)) => format!("{}", v[r]),
            Some(ColumnData::Categorical { codes, levels }) if codes[r] != MISSING_CODE => {
                levels[codes[r] as usize].clone()
            }
            Some(ColumnData::Categorical { .. }) => "(missing)".into(),
            None => "all rows".into(),
        }
    };
    let pixel = |r: usize, c: usize| match &table.columns[c].data {
        ColumnData::Numeric(v) if v[r].is_finite() => v[r],
        _ => 0.0,
    };
    let mut out: Vec<GalleryClass> = Vec::new();
    for r in 0..table.n_rows() {
        let name = label(r);
        let at = match out.iter().position(|g| g.name == name) {
            Some(at) => at,
            None if out.len() < MAX_GALLERY_CLASSES => {
                out.push(GalleryClass { name, count: 0, images: vec![] });
                out.len() - 1
            }
            None => continue,
        };
        let g = &mut out[at];
        g.count += 1;
        if g.images.len() < per_class {
            g.images.push(layout.columns.iter().map(|&c| pixel(r, c)).collect());
        }
    }
    // The legend's order (the dataset's classes), not the order rows happen to come in.
    let names = ds.class_names();
    let place = |g: &GalleryClass| names.iter().position(|n| *n == g.name).unwrap_or(names.len());
    crate::base::sort::sort_by(&mut out, &|a, b| place(a).cmp(&place(b)));
    out
}

/// A model's answer for one image.
#[derive(Debug, Clone, Serialize)]
pub struct ImageAnswer {
    /// The session's classes (empty for a regression).
    pub classes: Vec<String>,
    pub proba: Vec<f64>,
    /// The class (or value) predicted.
    pub predicted: String,
    /// Microseconds one prediction took (preparing the row and predicting), averaged over
    /// `repeats` calls: the browser's clock is too coarse to time a single one.
    pub micros: f64,
    pub repeats: usize,
    pub model_bytes: usize,
}

/// At least this long is spent repeating the prediction to time it.
const TIMING_MS: f64 = 2.0;
const MAX_REPEATS: usize = 10_000;

/// The session's model on one image `pixels` (in `layout`'s order); features that are not
/// pixels are left missing (the preprocessing fills them as it fills gaps). `None` before
/// the first step or for a model that does not predict.
pub fn predict_image(
    s: &Session,
    ds: &Dataset,
    table: &Table,
    layout: &ImageLayout,
    pixels: &[f64],
) -> Option<ImageAnswer> {
    let model = s.model()?;
    let pre = &s.data().preprocessor;
    let at: Vec<Option<usize>> = ds
        .feature_names
        .iter()
        .map(|n| table.column_index(n).and_then(|c| layout.columns.iter().position(|&p| p == c)))
        .collect();
    let value = |j: usize| at.get(j).copied().flatten().and_then(|p| pixels.get(p).copied()).unwrap_or(f64::NAN);
    let predict = || model.predict(&pre.transform_with(1, |_, j| value(j), |_, _| MISSING_CODE));
    let start = now_ms();
    let mut answer = predict();
    let mut repeats = 1;
    while now_ms() - start < TIMING_MS && repeats < MAX_REPEATS {
        answer = predict();
        repeats += 1;
    }
    let micros = 1000.0 * (now_ms() - start) / repeats as f64;
    let classes = s.data().class_names.clone();
    let (proba, predicted) = match answer {
        Prediction::Proba(p) => {
            let row: Vec<f64> = p.row(0).to_vec();
            let best = (0..row.len()).max_by(|&a, &b| row[a].total_cmp(&row[b]))?;
            let name = classes.get(best).cloned().unwrap_or_else(|| best.to_string());
            (row, name)
        }
        Prediction::Values(v) => (vec![], format!("{:.4}", v[0])),
    };
    let classes = if proba.is_empty() { vec![] } else { classes };
    Some(ImageAnswer { classes, proba, predicted, micros, repeats, model_bytes: model.size_bytes() })
}
