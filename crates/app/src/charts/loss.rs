//! The learning curve: training and validation loss after each step.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::legend::{draw_legend_grid, entry_width, grid};
use super::ticks::y_label_area;
use super::{padded_range, themed_mesh, Mark, Theme};

pub fn draw_losses<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    train: &[f64],
    validation: &[f64],
    x_label: &str,
    y_label: &str,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&theme.background)?;
    let steps = train.len().max(validation.len()).max(2);
    let (lo, hi) = padded_range(train.iter().chain(validation).copied());
    let (lo, hi) = (lo.max(0.0), hi);
    let curves = [("train", train, theme.class_color(0)), ("validation", validation, theme.class_color(1))];
    let legend: Vec<(&str, Mark)> = curves
        .iter()
        .filter(|c| !c.1.is_empty())
        .map(|&(name, _, color)| (name, Mark::Line(color.stroke_width(theme.px(2.0)))))
        .collect();
    // The legend takes a strip above the plot: inside it, it covered the validation curve
    // where that climbs back up (overfitting), just where the lesson is.
    let (w, h) = root.dim_in_pixel();
    let margin = theme.px(10.0) as i32;
    let widths: Vec<i32> = legend.iter().map(|&(t, m)| entry_width(t, m, theme)).collect();
    // The strip starts above the plot (past the y labels), so only the plot's width is free.
    let y_area = y_label_area(lo, hi, theme);
    let strip = grid(&widths, w as i32 - 2 * margin - y_area as i32, h as i32 / 3, theme);
    let (top, body) = root.split_vertically(strip.height(theme));
    let mut chart = ChartBuilder::on(&body)
        .margin(theme.px(10.0))
        .margin_right(theme.px(18.0))
        .x_label_area_size(theme.px(34.0))
        .y_label_area_size(y_area)
        .build_cartesian_2d(1f64..steps as f64, lo..hi)?;
    themed_mesh(&mut chart, x_label, y_label, theme)
        .x_labels(steps.min(6))
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_labels(5)
        .draw()?;

    for (_, values, color) in curves {
        if values.is_empty() {
            continue;
        }
        let style = color.stroke_width(theme.px(2.0));
        let points = values.iter().enumerate().map(|(i, &v)| ((i + 1) as f64, v));
        chart.draw_series(LineSeries::new(points, style))?;
        // Few steps (a one-step fit, a short forest): mark each point so a lone one shows.
        if values.len() <= 30 {
            let r = theme.px(3.0);
            chart.draw_series(
                values.iter().enumerate().map(|(i, &v)| Circle::new(((i + 1) as f64, v), r, color.filled())),
            )?;
        }
    }
    draw_legend_grid(&top, &legend, strip, margin + y_area as i32, theme)?;
    root.present()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_both_curves_with_labels() {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (400, 300)).into_drawing_area();
            draw_losses(&root, &[1.0, 0.5, 0.3], &[1.1, 0.7, 0.6], "epoch", "log-loss", &Theme::new(false, 1.0))
                .unwrap();
        }
        // Each curve and its legend mark are drawn in the curve's colour.
        assert_eq!(svg.matches("stroke=\"#0072B2\"").count(), 2, "{svg}");
        assert_eq!(svg.matches("stroke=\"#E69F00\"").count(), 2, "{svg}");
        assert!(svg.contains("train") && svg.contains("validation") && svg.contains("epoch"));
    }
}
