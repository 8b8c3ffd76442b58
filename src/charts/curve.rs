//! Evaluation charts: a curve with one point marked (ROC, precision-recall, cost per
//! threshold) and a scatter of two value lists with a reference line (predicted vs
//! actual, residuals).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{padded_range, Theme};

pub struct CurveData<'a> {
    pub x: &'a [f64],
    pub y: &'a [f64],
    pub x_label: &'a str,
    pub y_label: &'a str,
    /// Points to ring: the current threshold (accent) and, optionally, the best one.
    pub mark: Option<usize>,
    pub best: Option<usize>,
    /// Draw the axes over [0, 1] x [0, 1] (rates, precision, recall).
    pub unit_square: bool,
    /// The chance diagonal of a ROC curve.
    pub diagonal: bool,
}

pub fn draw_curve<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    d: &CurveData,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&theme.background)?;
    let ((x0, x1), (y0, y1)) = if d.unit_square {
        ((0.0, 1.0), (0.0, 1.02))
    } else {
        (padded_range(d.x.iter().copied()), padded_range(d.y.iter().copied()))
    };
    let mut chart = ChartBuilder::on(root)
        .margin(theme.px(10.0))
        .margin_right(theme.px(16.0))
        .x_label_area_size(theme.px(34.0))
        .y_label_area_size(theme.px(52.0))
        .build_cartesian_2d(x0..x1, y0..y1)?;
    chart
        .configure_mesh()
        .x_desc(d.x_label)
        .y_desc(d.y_label)
        .label_style(theme.font(12.0))
        .axis_desc_style(theme.font(13.0))
        .axis_style(theme.foreground)
        .bold_line_style(theme.grid)
        .light_line_style(theme.background)
        .x_labels(6)
        .y_labels(6)
        .draw()?;
    if d.diagonal {
        chart.draw_series(LineSeries::new([(0.0, 0.0), (1.0, 1.0)], theme.grid.stroke_width(theme.px(1.5))))?;
    }
    let pts = || d.x.iter().zip(d.y).map(|(&a, &b)| (a, b)).filter(|p| p.0.is_finite() && p.1.is_finite());
    chart.draw_series(LineSeries::new(pts(), theme.class_color(0).stroke_width(theme.px(2.0))))?;
    let ring = |i: usize, color: RGBColor| {
        let p = (d.x[i], d.y[i]);
        [Circle::new(p, theme.px(6.0), color.filled()), Circle::new(p, theme.px(6.0), theme.foreground.stroke_width(theme.px(1.5)))]
    };
    if let Some(i) = d.best.filter(|&i| i < d.x.len() && i < d.y.len()) {
        chart.draw_series(ring(i, theme.class_color(2)))?;
    }
    if let Some(i) = d.mark.filter(|&i| i < d.x.len() && i < d.y.len()) {
        chart.draw_series(ring(i, theme.class_color(1)))?;
    }
    root.present()
}

/// Points `(x, y)` with a reference line: `identity` draws y = x (predicted vs actual),
/// otherwise y = 0 (residuals).
pub fn draw_xy<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    x: &[f64],
    y: &[f64],
    labels: (&str, &str),
    identity: bool,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&theme.background)?;
    let (xr, mut yr) = (padded_range(x.iter().copied()), padded_range(y.iter().copied()));
    let xr = if identity {
        let both = padded_range(x.iter().chain(y).copied());
        yr = both;
        both
    } else {
        xr
    };
    let mut chart = ChartBuilder::on(root)
        .margin(theme.px(10.0))
        .margin_right(theme.px(16.0))
        .x_label_area_size(theme.px(34.0))
        .y_label_area_size(theme.px(52.0))
        .build_cartesian_2d(xr.0..xr.1, yr.0..yr.1)?;
    chart
        .configure_mesh()
        .x_desc(labels.0)
        .y_desc(labels.1)
        .label_style(theme.font(12.0))
        .axis_desc_style(theme.font(13.0))
        .axis_style(theme.foreground)
        .bold_line_style(theme.grid)
        .light_line_style(theme.background)
        .draw()?;
    let line = if identity { vec![(xr.0, xr.0), (xr.1, xr.1)] } else { vec![(xr.0, 0.0), (xr.1, 0.0)] };
    chart.draw_series(LineSeries::new(line, theme.class_color(1).stroke_width(theme.px(1.5))))?;
    let color = theme.class_color(0).mix(0.6);
    chart.draw_series(x.iter().zip(y).map(|(&a, &b)| Circle::new((a, b), theme.px(3.0), color.filled())))?;
    root.present()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roc_with_marked_points_and_residuals() {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (300, 300)).into_drawing_area();
            let d = CurveData {
                x: &[0.0, 0.1, 0.5, 1.0],
                y: &[0.0, 0.6, 0.9, 1.0],
                x_label: "false positive rate",
                y_label: "true positive rate",
                mark: Some(1),
                best: Some(2),
                unit_square: true,
                diagonal: true,
            };
            draw_curve(&root, &d, &Theme::new(false, 1.0)).unwrap();
        }
        assert!(svg.contains("false positive rate"));
        // Two marked points, each a filled disc and a ring.
        assert_eq!(svg.matches("<circle").count(), 4, "{svg}");
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (300, 300)).into_drawing_area();
            draw_xy(&root, &[1.0, 2.0, 3.0], &[1.1, 1.9, 3.2], ("actual", "predicted"), true, &Theme::new(true, 1.0)).unwrap();
        }
        assert_eq!(svg.matches("<circle").count(), 3);
    }
}
