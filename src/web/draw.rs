//! Drawing into canvases handed over by the page.

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use crate::charts::loss::draw_losses;
use crate::charts::scatter::{draw_scatter, ScatterData};
use crate::charts::Theme;

fn backend(canvas: HtmlCanvasElement) -> Result<CanvasBackend, JsError> {
    CanvasBackend::with_canvas_object(canvas).ok_or_else(|| JsError::new("this canvas has no 2-D context"))
}

/// Scatter plot of two features coloured by class. `labels` may be empty (one colour).
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn draw_scatter_plot(
    canvas: HtmlCanvasElement,
    x: &[f64],
    y: &[f64],
    labels: &[u32],
    class_names: Vec<String>,
    x_name: &str,
    y_name: &str,
    dark: bool,
    pixel_ratio: f64,
) -> Result<(), JsError> {
    let root = backend(canvas)?.into_drawing_area();
    let d = ScatterData {
        x,
        y,
        labels: (labels.len() == x.len()).then_some(labels),
        class_names: &class_names,
        x_name,
        y_name,
    };
    draw_scatter(&root, &d, &Theme::new(dark, pixel_ratio)).map_err(|e| JsError::new(&format!("drawing failed: {e:?}")))
}

/// Learning curves: training and validation loss per step.
#[wasm_bindgen]
pub fn draw_loss_chart(
    canvas: HtmlCanvasElement,
    train: &[f64],
    validation: &[f64],
    y_label: &str,
    dark: bool,
    pixel_ratio: f64,
) -> Result<(), JsError> {
    let root = backend(canvas)?.into_drawing_area();
    draw_losses(&root, train, validation, y_label, &Theme::new(dark, pixel_ratio))
        .map_err(|e| JsError::new(&format!("drawing failed: {e:?}")))
}
