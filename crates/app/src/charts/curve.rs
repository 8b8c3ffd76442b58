//! Evaluation charts: a curve with one point marked (ROC, precision-recall, cost per
//! threshold) and a scatter of two value lists with a reference line (predicted vs
//! actual, residuals).

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::legend::text_width;
use super::ticks::{label_count, y_label_area};
use super::{padded_range, themed_mesh, Theme};

/// As many x tick labels as the plot's width holds with a font size between them.
fn fitting_x_labels<DB: DrawingBackend>(
    chart: &ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    theme: &Theme,
) -> usize {
    let (pw, _) = chart.plotting_area().dim_in_pixel();
    label_count(chart.as_coord_spec().x_spec(), pw as i32, theme.px(12.0) as i32, |t| text_width(t, theme))
}

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
        .y_label_area_size(y_label_area(y0, y1, theme))
        .build_cartesian_2d(x0..x1, y0..y1)?;
    let x_labels = fitting_x_labels(&chart, theme).min(6);
    themed_mesh(&mut chart, d.x_label, d.y_label, theme).x_labels(x_labels).y_labels(6).draw()?;
    if d.diagonal {
        chart.draw_series(LineSeries::new([(0.0, 0.0), (1.0, 1.0)], theme.grid.stroke_width(theme.px(1.5))))?;
    }
    let pts = || d.x.iter().zip(d.y).map(|(&a, &b)| (a, b)).filter(|p| p.0.is_finite() && p.1.is_finite());
    chart.draw_series(LineSeries::new(pts(), theme.class_color(0).stroke_width(theme.px(2.0))))?;
    let ring = |i: usize, color: RGBColor| {
        let p = (d.x[i], d.y[i]);
        [
            Circle::new(p, theme.px(6.0), color.filled()),
            Circle::new(p, theme.px(6.0), theme.foreground.stroke_width(theme.px(1.5))),
        ]
    };
    if let Some(i) = d.mark.filter(|&i| i < d.x.len() && i < d.y.len()) {
        chart.draw_series(ring(i, theme.class_color(1)))?;
    }
    // The best point as a wide hollow ring drawn last: under the current threshold's disc
    // (often the same point) it was hidden.
    if let Some(i) = d.best.filter(|&i| i < d.x.len() && i < d.y.len()) {
        let p = (d.x[i], d.y[i]);
        chart.draw_series([
            Circle::new(p, theme.px(10.0), theme.class_color(2).stroke_width(theme.px(3.0))),
            Circle::new(p, theme.px(11.5), theme.foreground.stroke_width(theme.px(1.0))),
        ])?;
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
        .y_label_area_size(y_label_area(yr.0, yr.1, theme))
        .build_cartesian_2d(xr.0..xr.1, yr.0..yr.1)?;
    let x_labels = fitting_x_labels(&chart, theme);
    themed_mesh(&mut chart, labels.0, labels.1, theme).x_labels(x_labels).draw()?;
    let line = if identity { vec![(xr.0, xr.0), (xr.1, xr.1)] } else { vec![(xr.0, 0.0), (xr.1, 0.0)] };
    chart.draw_series(LineSeries::new(line, theme.class_color(1).stroke_width(theme.px(1.5))))?;
    let color = theme.class_color(0).mix(0.6);
    chart.draw_series(x.iter().zip(y).map(|(&a, &b)| Circle::new((a, b), theme.px(3.0), color.filled())))?;
    root.present()
}

/// A validation curve: train and validation score for each value of a swept
/// hyperparameter (`labels`, evenly spaced), the best value and the opening gap marked.
pub struct SweepData<'a> {
    pub labels: &'a [String],
    pub train: &'a [f64],
    pub validation: &'a [f64],
    pub param: &'a str,
    pub metric: &'a str,
    pub best: Option<usize>,
    pub gap_opens: Option<usize>,
}

pub fn draw_sweep<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    d: &SweepData,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&theme.background)?;
    let n = d.labels.len().max(2);
    let (lo, hi) = padded_range(d.train.iter().chain(d.validation).copied());
    let mut chart = ChartBuilder::on(root)
        .margin(theme.px(10.0))
        .margin_right(theme.px(16.0))
        .x_label_area_size(theme.px(34.0))
        .y_label_area_size(theme.px(52.0))
        .build_cartesian_2d(-1i32..n as i32, lo..hi)?;
    let labels = d.labels;
    themed_mesh(&mut chart, d.param, d.metric, theme)
        .x_labels(n + 2)
        .x_label_formatter(&|&i| usize::try_from(i).ok().and_then(|i| labels.get(i).cloned()).unwrap_or_default())
        .draw()?;
    if let Some(g) = d.gap_opens {
        let x = g as i32;
        chart.draw_series(LineSeries::new([(x, lo), (x, hi)], theme.class_color(5).stroke_width(theme.px(1.5))))?;
    }
    let series = [("train", d.train, theme.class_color(0)), ("validation", d.validation, theme.class_color(1))];
    let mut legend = Vec::new();
    for (name, values, color) in series {
        let style = color.stroke_width(theme.px(2.0));
        let pts = values.iter().enumerate().map(|(i, &v)| (i as i32, v));
        chart.draw_series(LineSeries::new(pts.clone(), style))?;
        legend.push((name, super::Mark::Line(style)));
        chart.draw_series(pts.map(|p| Circle::new(p, theme.px(2.5), color.filled())))?;
    }
    if let Some(b) = d.best.filter(|&b| b < d.validation.len()) {
        let p = (b as i32, d.validation[b]);
        chart.draw_series([Circle::new(p, theme.px(6.0), theme.foreground.stroke_width(theme.px(1.5)))])?;
    }
    super::draw_legend(&chart, &legend, SeriesLabelPosition::LowerRight, theme)?;
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
            draw_xy(&root, &[1.0, 2.0, 3.0], &[1.1, 1.9, 3.2], ("actual", "predicted"), true, &Theme::new(true, 1.0))
                .unwrap();
        }
        assert_eq!(svg.matches("<circle").count(), 3);
    }

    #[test]
    fn sweep_names_each_value_and_rings_the_best() {
        let labels: Vec<String> = (1..=4).map(|d| d.to_string()).collect();
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (400, 300)).into_drawing_area();
            let d = SweepData {
                labels: &labels,
                train: &[0.8, 0.9, 0.97, 1.0],
                validation: &[0.78, 0.86, 0.84, 0.8],
                param: "max_depth",
                metric: "accuracy",
                best: Some(1),
                gap_opens: Some(2),
            };
            draw_sweep(&root, &d, &Theme::new(false, 1.0)).unwrap();
        }
        assert!(svg.contains("max_depth") && svg.contains("\n3\n"), "{svg}");
        // Four points per series and the ring on the best.
        assert_eq!(svg.matches("<circle").count(), 9);
    }
}
