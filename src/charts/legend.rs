//! The legend box, in the same style on every chart. Drawn here rather than with plotters'
//! series labels: in the browser plotters measures each label by adding a span to the page
//! and reading its size, a forced layout per label that made each redraw during training
//! take tens of milliseconds on the main thread. Here text width is estimated from its
//! length (the legend box only needs to be wide enough).

use plotters::chart::{ChartContext, SeriesLabelPosition};
use plotters::coord::CoordTranslate;
use plotters::element::{Circle, Cross, PathElement, Rectangle, Text};
use plotters::prelude::{Color, DrawingAreaErrorKind, DrawingBackend};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::ShapeStyle;

use super::Theme;

/// What a legend row shows before its text.
#[derive(Debug, Clone, Copy)]
pub enum Mark {
    Line(ShapeStyle),
    Dot(ShapeStyle, u32),
    Cross(ShapeStyle, i32),
}

/// Font size of legend text, in CSS pixels.
const FONT: f64 = 12.0;
/// Average advance of a sans-serif glyph, as a share of the font size (generous).
const GLYPH: f64 = 0.6;

/// Width in pixels of `text` at the legend's font, estimated from its length.
pub fn text_width(text: &str, theme: &Theme) -> i32 {
    (text.chars().count() as f64 * GLYPH * theme.px(FONT) as f64).ceil() as i32
}

pub fn draw_legend<DB: DrawingBackend, CT: CoordTranslate>(
    chart: &ChartContext<'_, DB, CT>,
    entries: &[(&str, Mark)],
    position: SeriesLabelPosition,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    if entries.is_empty() {
        return Ok(());
    }
    let area = chart.plotting_area().strip_coord_spec();
    let (w, h) = area.dim_in_pixel();
    let px = |v: f64| theme.px(v) as i32;
    let (pad, row, mark_w, margin) = (px(6.0), px(FONT * 1.5), px(26.0), px(10.0));
    let box_w = 2 * pad + mark_w + entries.iter().map(|(t, _)| text_width(t, theme)).max().unwrap_or(0);
    let box_h = 2 * pad + row * entries.len() as i32;
    use SeriesLabelPosition::*;
    let x0 = match position {
        UpperLeft | MiddleLeft | LowerLeft => margin,
        UpperMiddle | MiddleMiddle | LowerMiddle => (w as i32 - box_w) / 2,
        Coordinate(x, _) => x,
        _ => w as i32 - box_w - margin,
    };
    let y0 = match position {
        UpperLeft | UpperMiddle | UpperRight => margin,
        MiddleLeft | MiddleMiddle | MiddleRight => (h as i32 - box_h) / 2,
        Coordinate(_, y) => y,
        _ => h as i32 - box_h - margin,
    };
    let corners = [(x0, y0), (x0 + box_w, y0 + box_h)];
    area.draw(&Rectangle::new(corners, theme.background.mix(0.85).filled()))?;
    area.draw(&Rectangle::new(corners, theme.grid))?;
    let font = theme.font(FONT).pos(Pos::new(HPos::Left, VPos::Center));
    for (i, (text, mark)) in entries.iter().enumerate() {
        let (x, y) = (x0 + pad, y0 + pad + row * i as i32 + row / 2);
        match *mark {
            Mark::Line(style) => area.draw(&PathElement::new(vec![(x, y), (x + px(18.0), y)], style))?,
            Mark::Dot(style, r) => area.draw(&Circle::new((x + px(6.0), y), r, style))?,
            Mark::Cross(style, s) => area.draw(&Cross::new((x + px(6.0), y), s, style))?,
        }
        area.draw(&Text::new(text.to_string(), (x + mark_w, y), font.clone()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::prelude::*;

    #[test]
    fn draws_a_box_with_each_entry_inside_the_plot() {
        let theme = Theme::new(false, 1.0);
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (300, 200)).into_drawing_area();
            let chart = ChartBuilder::on(&root).margin(5).build_cartesian_2d(0.0..1.0, 0.0..1.0).unwrap();
            let line = RGBColor(1, 2, 3).stroke_width(2);
            let entries = [("train", Mark::Line(line)), ("a longer name", Mark::Dot(RGBColor(4, 5, 6).filled(), 3))];
            draw_legend(&chart, &entries, SeriesLabelPosition::UpperRight, &theme).unwrap();
        }
        assert!(svg.contains("train") && svg.contains("a longer name"), "{svg}");
        assert!(svg.contains("#010203") && svg.contains("#040506"), "{svg}");
        // The box holds the longest text and ends 10 px inside the plot's right edge (x = 295).
        let wide = 2 * 6 + 26 + text_width("a longer name", &theme);
        let want = format!("<rect x=\"{}\" y=\"15\" width=\"{wide}\"", 295 - 10 - wide);
        assert_eq!(svg.matches(&want).count(), 2, "{want} in {svg}");
    }

    #[test]
    fn nothing_to_show_draws_nothing() {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (100, 100)).into_drawing_area();
            let chart = ChartBuilder::on(&root).build_cartesian_2d(0.0..1.0, 0.0..1.0).unwrap();
            draw_legend(&chart, &[], SeriesLabelPosition::UpperLeft, &Theme::new(false, 1.0)).unwrap();
        }
        assert!(!svg.contains("<rect"), "{svg}");
    }
}
