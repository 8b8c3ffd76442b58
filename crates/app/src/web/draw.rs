//! Drawing into canvases handed over by the page.

use plotters::prelude::*;
use wasm_bindgen::{prelude::*, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

use super::batch_canvas::{failed, BatchCanvas, CanvasError};
use crate::charts::curve::{draw_curve, draw_sweep, draw_xy, CurveData, SweepData};
use crate::charts::dots::{paint_dots, Dot};
use crate::charts::loss::draw_losses;
use crate::charts::scatter::{draw_scatter_with, ScatterData};
use crate::charts::Theme;
use crate::engine::eval::surface::Surface;

/// Unpack `WebSession::surface`'s array; `None` when empty or malformed.
fn unpack_surface(p: &[f64]) -> Option<Surface> {
    let (nx, ny) = (*p.first()? as usize, *p.get(1)? as usize);
    if p.len() != 7 + 2 * nx * ny {
        return None;
    }
    let (value, confidence) = p[7..].split_at(nx * ny);
    Some(Surface {
        nx,
        ny,
        x_range: (p[2], p[3]),
        y_range: (p[4], p[5]),
        n_classes: p[6] as usize,
        value: value.to_vec(),
        confidence: confidence.to_vec(),
    })
}

fn backend(canvas: HtmlCanvasElement) -> Result<BatchCanvas, JsError> {
    BatchCanvas::new(canvas).ok_or_else(|| JsError::new("this canvas has no 2-D context"))
}

/// Scatter plot of two features (or an embedding) coloured by class or cluster. `labels`
/// may be empty (one colour); `values` (may be empty) colours by a number instead; `kinds`
/// (may be empty) marks DBSCAN's core, border and noise points; `centers` are k-means
/// centres as x, y pairs; `surface` (from `WebSession::surface`, may be empty) is drawn
/// behind the points. Returns the plot frame for hit-testing (see `PlotFrame`).
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
    surface: &[f64],
    values: &[f64],
    kinds: &[u8],
    centers: &[f64],
    dark: bool,
    pixel_ratio: f64,
) -> Result<Vec<f64>, JsError> {
    let ctx: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into().ok())
        .ok_or_else(|| JsError::new("this canvas has no 2-D context"))?;
    let root = backend(canvas)?.into_drawing_area();
    let surface = unpack_surface(surface);
    let d = ScatterData {
        surface: surface.as_ref(),
        x,
        y,
        labels: (labels.len() == x.len()).then_some(labels),
        class_names: &class_names,
        x_name,
        y_name,
        values: (values.len() == x.len()).then_some(values),
        kinds: (kinds.len() == x.len()).then_some(kinds),
        centers,
    };
    // The points go into the plot area's pixels, read back once the axes and surface are
    // drawn, and are put back in one call (see charts::dots).
    let paint = |dots: &[Dot], [left, top, right, bottom]: [i32; 4]| -> Result<(), DrawingAreaErrorKind<CanvasError>> {
        let (w, h) = ((right - left).max(0) as u32, (bottom - top).max(0) as u32);
        if dots.is_empty() || w == 0 || h == 0 {
            return Ok(());
        }
        root.present()?;
        let js = |e| DrawingAreaErrorKind::BackendError(failed(e));
        let mut pixels = ctx.get_image_data(left as f64, top as f64, w as f64, h as f64).map_err(js)?.data().0;
        paint_dots(&mut pixels, w as usize, (left, top), dots);
        // Through a copy: ImageData refuses a view on wasm memory when it is shared (the
        // build with threads).
        let copy = js_sys::Uint8ClampedArray::new_with_length(pixels.len() as u32);
        copy.copy_from(&pixels);
        let image = ImageData::new_with_js_u8_clamped_array_and_sh(&copy, w, h).map_err(js)?;
        ctx.put_image_data(&image, left as f64, top as f64).map_err(js)
    };
    let frame = draw_scatter_with(&root, &d, &Theme::new(dark, pixel_ratio), paint)
        .map_err(|e| JsError::new(&format!("drawing failed: {e:?}")))?;
    Ok(frame.to_vec())
}

/// Learning curves: training and validation loss per step.
#[wasm_bindgen]
pub fn draw_loss_chart(
    canvas: HtmlCanvasElement,
    train: &[f64],
    validation: &[f64],
    x_label: &str,
    y_label: &str,
    dark: bool,
    pixel_ratio: f64,
) -> Result<(), JsError> {
    let root = backend(canvas)?.into_drawing_area();
    draw_losses(&root, train, validation, x_label, y_label, &Theme::new(dark, pixel_ratio))
        .map_err(|e| JsError::new(&format!("drawing failed: {e:?}")))
}

/// A curve with the current point (`mark`) and optionally the best one ringed; -1 for
/// none. `unit_square` fixes both axes to [0, 1]; `diagonal` adds ROC's chance line.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn draw_curve_chart(
    canvas: HtmlCanvasElement,
    x: &[f64],
    y: &[f64],
    x_label: &str,
    y_label: &str,
    mark: i32,
    best: i32,
    unit_square: bool,
    diagonal: bool,
    dark: bool,
    pixel_ratio: f64,
) -> Result<(), JsError> {
    let root = backend(canvas)?.into_drawing_area();
    let index = |i: i32| usize::try_from(i).ok();
    let d = CurveData { x, y, x_label, y_label, mark: index(mark), best: index(best), unit_square, diagonal };
    draw_curve(&root, &d, &Theme::new(dark, pixel_ratio)).map_err(|e| JsError::new(&format!("drawing failed: {e:?}")))
}

/// Points with the identity line (`identity`, predicted vs actual) or the zero line
/// (residuals).
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn draw_xy_chart(
    canvas: HtmlCanvasElement,
    x: &[f64],
    y: &[f64],
    x_label: &str,
    y_label: &str,
    identity: bool,
    dark: bool,
    pixel_ratio: f64,
) -> Result<(), JsError> {
    let root = backend(canvas)?.into_drawing_area();
    draw_xy(&root, x, y, (x_label, y_label), identity, &Theme::new(dark, pixel_ratio))
        .map_err(|e| JsError::new(&format!("drawing failed: {e:?}")))
}

/// A validation curve: train and validation score per swept value; `best` and
/// `gap_opens` are indices, -1 for none.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn draw_sweep_chart(
    canvas: HtmlCanvasElement,
    labels: Vec<String>,
    train: &[f64],
    validation: &[f64],
    param: &str,
    metric: &str,
    best: i32,
    gap_opens: i32,
    dark: bool,
    pixel_ratio: f64,
) -> Result<(), JsError> {
    let root = backend(canvas)?.into_drawing_area();
    let index = |i: i32| usize::try_from(i).ok();
    let d =
        SweepData { labels: &labels, train, validation, param, metric, best: index(best), gap_opens: index(gap_opens) };
    draw_sweep(&root, &d, &Theme::new(dark, pixel_ratio)).map_err(|e| JsError::new(&format!("drawing failed: {e:?}")))
}
