//! The worker's calls for image sets: the gallery of sample images per class, and a
//! trained model's answer for a drawing from the pad (reduced to the set's format).

use wasm_bindgen::prelude::*;

use super::session::WebSession;
use crate::app::images::{gallery, layout, predict_image};
use crate::data::drawing::reduce;

#[wasm_bindgen]
impl WebSession {
    /// JSON `{width, height, max_value, integer, source, classes: [{name, count, images}]}`
    /// with `per_class` images of each class, or `null` when the rows are not images. The
    /// size is the state's (`dataset.image`), the set's or the column names'.
    pub fn image_gallery(&self, per_class: usize) -> Result<String, JsError> {
        let (table, ds) = (self.table_ref()?, self.dataset_ref()?);
        let Some(l) = layout(table, ds) else { return Ok("null".into()) };
        let classes = gallery(table, ds, &l, per_class.min(32));
        Ok(serde_json::json!({
            "width": l.width, "height": l.height, "max_value": l.max_value, "integer": l.integer,
            "source": l.source, "classes": classes,
        })
        .to_string())
    }

    /// A drawing (`strokes_json`: polylines `[[x, y], ...]` in the pad's pixels) reduced to
    /// the set's images and answered by the current model: JSON `{pixels, width, height,
    /// max_value, answer}`, `answer` null before a model has trained.
    pub fn predict_drawing(&self, strokes_json: &str) -> Result<String, JsError> {
        let strokes: Vec<Vec<[f64; 2]>> = crate::base::json::parse(strokes_json)
            .map_err(|e| JsError::new(&format!("the drawing is unreadable: {e}")))?;
        let (table, ds) = (self.table_ref()?, self.dataset_ref()?);
        let l = layout(table, ds)
            .ok_or_else(|| JsError::new("the loaded rows are not images, so a drawing cannot be read as one"))?;
        let pixels = reduce(&strokes, &l.format());
        let answer = self.session().and_then(|s| predict_image(s, ds, table, &l, &pixels));
        Ok(serde_json::json!({
            "pixels": pixels, "width": l.width, "height": l.height, "max_value": l.max_value, "answer": answer,
        })
        .to_string())
    }
}
