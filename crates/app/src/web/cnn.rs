//! The worker's call for the convolutional network's look inside (www/ui/cnn_view.js).

use wasm_bindgen::prelude::*;

use super::session::WebSession;

#[wasm_bindgen]
impl WebSession {
    /// What the CNN makes of validation image `position` (clamped to the validation rows),
    /// as JSON: the image (`h`, `w`, `image`), each block's feature maps (`layers`), the
    /// first block's filters (`kernel`, `filters`), `probabilities` per class, and which
    /// image it is (`position`, `count`, `row` as loaded, `label`, `class_names`). `{}` for
    /// other models, before the first step and without validation rows.
    pub fn cnn_inside(&self, position: usize) -> Result<String, JsError> {
        let s = self.session().ok_or_else(|| JsError::new("training has not been started"))?;
        let Some(model) = s.model() else { return Ok("{}".into()) };
        let part = &s.data().validation;
        let count = part.n_rows();
        if count == 0 {
            return Ok("{}".into());
        }
        let p = position.min(count - 1);
        let row: Vec<f64> = part.x.row(p).to_vec();
        let Some(inside) = model.look_inside(&row) else { return Ok("{}".into()) };
        let mut v = crate::base::json::to_value(&inside).expect("the look inside serialises");
        v["position"] = p.into();
        v["count"] = count.into();
        v["row"] = s.row_numbers()[1].get(p).copied().into();
        v["label"] = part.y.labels()[p].into();
        v["class_names"] = serde_json::json!(s.data().class_names);
        Ok(v.to_string())
    }
}
