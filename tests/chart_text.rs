//! No text box overlaps another in any chart (issue 21: axis titles over tick labels, a
//! legend over a curve's end). Each chart is drawn to SVG, as the page draws it to a canvas,
//! and the boxes are read back from what was drawn: every `<text>` at its position, anchor
//! and rotation, as wide as its characters at a generous average glyph width.

use mlplay::charts::curve::{draw_curve, draw_xy, CurveData};
use mlplay::charts::loss::draw_losses;
use mlplay::charts::scatter::{draw_scatter, ScatterData};
use mlplay::charts::Theme;
use plotters::prelude::*;

/// A text's box: left, top, right, bottom, and the text.
#[derive(Debug, Clone)]
struct TextBox {
    l: f64,
    t: f64,
    r: f64,
    b: f64,
    text: String,
}

fn attr(tag: &str, key: &str) -> Option<String> {
    let at = tag.find(&format!(" {key}=\""))? + key.len() + 3;
    Some(tag[at..at + tag[at..].find('"')?].to_string())
}

/// Every `<text>` plotters wrote, as a box in the SVG's pixels.
fn text_boxes(svg: &str) -> Vec<TextBox> {
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find("<text") {
        let after = &rest[start..];
        let tag_end = after.find('>').unwrap();
        let tag = &after[..tag_end];
        let close = after.find("</text>").unwrap();
        let text = after[tag_end + 1..close].trim().to_string();
        rest = &after[close..];
        if text.is_empty() {
            continue;
        }
        let num = |k: &str| attr(tag, k).and_then(|v| v.parse::<f64>().ok());
        let (x, y) = (num("x").unwrap(), num("y").unwrap());
        let size = num("font-size").unwrap();
        // Wide digits and capitals: 0.6 of the font size is on the generous side.
        let w = text.chars().count() as f64 * 0.6 * size;
        let h = size;
        let (l, r) = match attr(tag, "text-anchor").as_deref() {
            Some("middle") => (x - w / 2.0, x + w / 2.0),
            Some("end") => (x - w, x),
            _ => (x, x + w),
        };
        // plotters' vertical anchors: dy 0.76em is the top, 0.5ex the centre, else the baseline.
        let (t, b) = match attr(tag, "dy").as_deref() {
            Some("0.76em") => (y, y + h),
            Some("0.5ex") => (y - h / 2.0, y + h / 2.0),
            _ => (y - 0.8 * h, y + 0.2 * h),
        };
        let mut bx = TextBox { l, t, r, b, text };
        // rotate(270, cx, cy): a y-axis title, turned a quarter about its anchor.
        if let Some(rot) = attr(tag, "transform").filter(|t| t.starts_with("rotate(")) {
            let nums: Vec<f64> = rot
                .trim_start_matches("rotate(")
                .trim_end_matches(')')
                .split(',')
                .map(|v| v.trim().parse().unwrap())
                .collect();
            let (cx, cy) = (nums[1], nums[2]);
            // 270 degrees (counter-clockwise a quarter): (dx, dy) -> (dy, -dx).
            let turn = |px: f64, py: f64| (cx + (py - cy), cy - (px - cx));
            let (ax, ay) = turn(bx.l, bx.t);
            let (bx2, by2) = turn(bx.r, bx.b);
            bx = TextBox { l: ax.min(bx2), t: ay.min(by2), r: ax.max(bx2), b: ay.max(by2), text: bx.text };
        }
        out.push(bx);
    }
    out
}

fn overlaps(boxes: &[TextBox]) -> Vec<String> {
    let mut bad = Vec::new();
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            let (w, h) = (a.r.min(b.r) - a.l.max(b.l), a.b.min(b.b) - a.t.max(b.t));
            if w > 0.5 && h > 0.5 {
                bad.push(format!("{:?} over {:?}", a, b));
            }
        }
    }
    bad
}

fn svg_of(size: (u32, u32), draw: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>)) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        draw(&root);
    }
    svg
}

const SIZES: [(u32, u32); 4] = [(290, 218), (420, 315), (634, 475), (1000, 560)];

fn check(what: &str, svg: &str) {
    let boxes = text_boxes(svg);
    assert!(boxes.len() >= 4, "{what}: texts read from the drawing: {boxes:?}");
    let bad = overlaps(&boxes);
    assert!(bad.is_empty(), "{what}: {} overlapping text boxes:\n{}", bad.len(), bad.join("\n"));
}

#[test]
fn scatter_axis_titles_clear_their_tick_labels() {
    // t-SNE's wide negative ticks, and a long feature name on each axis.
    let n = 200;
    let x: Vec<f64> = (0..n).map(|i| -23.7 + 47.1 * i as f64 / n as f64).collect();
    let y: Vec<f64> = (0..n).map(|i| 31.9 - 55.3 * ((i * 37) % n) as f64 / n as f64).collect();
    let labels: Vec<u32> = (0..n as u32).map(|i| i % 3).collect();
    let names: Vec<String> = ["setosa", "versicolor", "virginica"].iter().map(|s| s.to_string()).collect();
    for (xn, yn, scale) in
        [("t-SNE 1", "t-SNE 2", 1.0), ("mean_texture", "worst concave points", 1.0), ("t-SNE 1", "t-SNE 2", 2.0)]
    {
        for (w, h) in SIZES {
            let (w, h) = ((w as f64 * scale) as u32, (h as f64 * scale) as u32);
            let d = ScatterData {
                x: &x,
                y: &y,
                labels: Some(&labels),
                class_names: &names,
                x_name: xn,
                y_name: yn,
                surface: None,
                values: None,
                kinds: None,
                centers: &[],
            };
            let svg = svg_of((w, h), |root| {
                draw_scatter(root, &d, &Theme::new(false, scale)).unwrap();
            });
            check(&format!("scatter {xn}/{yn} {w}x{h}"), &svg);
        }
    }
}

#[test]
fn learning_curve_texts_and_legend_apart() {
    let train: Vec<f64> = (0..100).map(|i| 0.05 + 1.2 / (1.0 + i as f64)).collect();
    // Overfitting: validation loss climbs back up to the top right, where a legend sat.
    let validation: Vec<f64> = (0..100).map(|i| 0.3 + 1.0 / (1.0 + i as f64) + 0.012 * i as f64).collect();
    // The page's learning curve beside a wide scatter is narrow (about 250 px).
    for (w, h) in [(250, 200)].into_iter().chain(SIZES) {
        let svg = svg_of((w, h), |root| {
            draw_losses(root, &train, &validation, "epoch", "log-loss", &Theme::new(true, 1.0)).unwrap();
        });
        check(&format!("loss {w}x{h}"), &svg);
        // No text runs off the chart's right edge (the legend's "validation" was cut there).
        let cut: Vec<_> = text_boxes(&svg).into_iter().filter(|b| b.r > w as f64 + 0.5).collect();
        assert!(cut.is_empty(), "loss {w}x{h}: texts past the right edge: {cut:?}");
        // The legend sits in a strip above the plot, clear of the curves: its texts end
        // above the highest tick label of the y axis.
        let boxes = text_boxes(&svg);
        let legend_bottom =
            boxes.iter().filter(|b| b.text == "train" || b.text == "validation").map(|b| b.b).fold(f64::MIN, f64::max);
        let ticks_top = boxes.iter().filter(|b| b.text.parse::<f64>().is_ok()).map(|b| b.t).fold(f64::MAX, f64::min);
        assert!(
            legend_bottom > 0.0 && legend_bottom <= ticks_top,
            "loss {w}x{h}: legend ends at {legend_bottom}, ticks start at {ticks_top}"
        );
    }
}

#[test]
fn roc_and_cost_curves_keep_titles_off_ticks_and_the_cheapest_point_shows() {
    let x: Vec<f64> = (0..=50).map(|i| i as f64 / 50.0).collect();
    let y: Vec<f64> = x.iter().map(|v| v.sqrt()).collect();
    let cost: Vec<f64> = x.iter().map(|v| 1200.0 * (v - 0.4).powi(2) + 35.0).collect();
    for (w, h) in SIZES {
        let roc = CurveData {
            x: &x,
            y: &y,
            x_label: "false positive rate",
            y_label: "true positive rate",
            mark: Some(10),
            best: Some(20),
            unit_square: true,
            diagonal: true,
        };
        check(
            &format!("roc {w}x{h}"),
            &svg_of((w, h), |root| draw_curve(root, &roc, &Theme::new(false, 1.0)).unwrap()),
        );
        let costs = CurveData {
            x: &x,
            y: &cost,
            x_label: "threshold",
            y_label: "total cost",
            mark: Some(25),
            best: Some(20),
            unit_square: false,
            diagonal: false,
        };
        let svg = svg_of((w, h), |root| draw_curve(root, &costs, &Theme::new(false, 1.0)).unwrap());
        check(&format!("cost {w}x{h}"), &svg);
        // The cheapest point's ring is drawn after (over) the current threshold's disc and
        // wider than it, so it shows when both are the same point.
        let radii: Vec<f64> = svg
            .match_indices("<circle")
            .map(|(i, _)| attr(&svg[i..i + svg[i..].find('>').unwrap()], "r").unwrap().parse().unwrap())
            .collect();
        let n = radii.len();
        assert!(
            n >= 4 && radii[n - 2] > radii[n - 3] && radii[n - 1] > radii[n - 3],
            "cost {w}x{h}: rings {:?}",
            &radii[n.saturating_sub(4)..]
        );
        let pred: Vec<f64> = cost.iter().map(|v| v * 1.1 - 40.0).collect();
        check(
            &format!("predicted vs actual {w}x{h}"),
            &svg_of((w, h), |root| {
                draw_xy(root, &cost, &pred, ("actual value", "predicted value"), true, &Theme::new(false, 1.0)).unwrap()
            }),
        );
    }
}
