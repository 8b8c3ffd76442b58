//! The main view: rows as points on two features, coloured by class.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{draw_legend, padded_range, Theme};

pub struct ScatterData<'a> {
    pub x: &'a [f64],
    pub y: &'a [f64],
    /// Class index of each point (colour); `None` draws every point alike.
    pub labels: Option<&'a [u32]>,
    pub class_names: &'a [String],
    pub x_name: &'a str,
    pub y_name: &'a str,
}

pub fn draw_scatter<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    d: &ScatterData,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&theme.background)?;
    let (x0, x1) = padded_range(d.x.iter().copied());
    let (y0, y1) = padded_range(d.y.iter().copied());
    let mut chart = ChartBuilder::on(root)
        .margin(theme.px(10.0))
        .x_label_area_size(theme.px(34.0))
        .y_label_area_size(theme.px(44.0))
        .build_cartesian_2d(x0..x1, y0..y1)?;
    chart
        .configure_mesh()
        .x_desc(d.x_name)
        .y_desc(d.y_name)
        .label_style(theme.font(12.0))
        .axis_desc_style(theme.font(13.0))
        .axis_style(theme.foreground)
        .bold_line_style(theme.grid)
        .light_line_style(theme.background)
        .draw()?;

    let radius = theme.px(3.5);
    let n_classes = d.class_names.len().max(1);
    for class in 0..n_classes {
        let color = theme.class_color(class);
        let points = (0..d.x.len().min(d.y.len()))
            .filter(|&i| d.labels.map_or(class == 0, |l| l[i] as usize == class))
            .map(|i| Circle::new((d.x[i], d.y[i]), radius, color.filled()));
        let series = chart.draw_series(points)?;
        if let Some(name) = d.class_names.get(class) {
            series.label(name.as_str()).legend(move |(x, y)| Circle::new((x + 6, y), radius, color.filled()));
        }
    }
    if !d.class_names.is_empty() {
        draw_legend(&mut chart, SeriesLabelPosition::UpperLeft, theme)?;
    }
    root.present()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_circle_per_point_and_a_legend_entry_per_class() {
        let names = vec!["a".to_string(), "b".to_string()];
        let d = ScatterData {
            x: &[0.0, 1.0, 2.0],
            y: &[1.0, 0.0, 2.0],
            labels: Some(&[0, 1, 1]),
            class_names: &names,
            x_name: "f1",
            y_name: "f2",
        };
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (300, 300)).into_drawing_area();
            draw_scatter(&root, &d, &Theme::new(true, 2.0)).unwrap();
        }
        assert_eq!(svg.matches("<circle").count(), 3 + 2, "{svg}");
        assert!(svg.contains("\nf1\n") && svg.contains("\nb\n"), "{svg}");
    }
}
