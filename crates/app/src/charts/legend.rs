//! Legends in one style: a box inside the plot (a few curves), or a grid in a strip above
//! it (a scatter's classes, which would cover points). Drawn here rather than with plotters'
//! series labels: in the browser plotters measures each label by adding a span to the page
//! and reading its size, a forced layout per label that made each redraw during training
//! take tens of milliseconds on the main thread. Here text width is estimated from its
//! length (a legend only needs to be wide enough).

use plotters::chart::{ChartContext, SeriesLabelPosition};
use plotters::coord::{CoordTranslate, Shift};
use plotters::element::{Circle, Cross, PathElement, Rectangle, Text};
use plotters::prelude::{Color, DrawingArea, DrawingAreaErrorKind, DrawingBackend};
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
/// Padding inside the legend, and the room for an entry's mark before its text.
const PAD: f64 = 6.0;
const MARK_W: f64 = 26.0;
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
    let (pad, row, mark_w, margin) = (px(PAD), px(FONT * 1.5), px(MARK_W), px(10.0));
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
    for (i, (text, mark)) in entries.iter().enumerate() {
        draw_entry(&area, (x0 + pad, y0 + pad + row * i as i32 + row / 2), text, *mark, mark_w, theme)?;
    }
    Ok(())
}

/// Room a mark takes before its entry's text: a line is longer than a dot.
fn mark_room(mark: Mark, theme: &Theme) -> i32 {
    theme.px(if matches!(mark, Mark::Line(_)) { MARK_W } else { 18.0 }) as i32
}

/// An entry's width in pixels: its mark and its text.
pub fn entry_width(text: &str, mark: Mark, theme: &Theme) -> i32 {
    mark_room(mark, theme) + text_width(text, theme)
}

/// One entry: its mark, then its text `text_dx` further on, starting at `x`, centred on `y`.
fn draw_entry<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    text: &str,
    mark: Mark,
    text_dx: i32,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let px = |v: f64| theme.px(v) as i32;
    match mark {
        Mark::Line(style) => area.draw(&PathElement::new(vec![(x, y), (x + px(18.0), y)], style))?,
        Mark::Dot(style, r) => area.draw(&Circle::new((x + px(6.0), y), r, style))?,
        Mark::Cross(style, s) => area.draw(&Cross::new((x + px(6.0), y), s, style))?,
    }
    let font = theme.font(FONT).pos(Pos::new(HPos::Left, VPos::Center));
    area.draw(&Text::new(text.to_string(), (x + text_dx, y), font))
}

/// A legend laid out as a grid of equal cells, row by row, in a strip of its own above the
/// plot, so that it never covers data; it takes more columns before more rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grid {
    pub cols: usize,
    pub rows: usize,
    pub cell_w: i32,
    pub row_h: i32,
    /// Entries drawn; when fewer than there are, the last cell says how many are left out.
    pub shown: usize,
}

impl Grid {
    /// The strip's height in pixels (0 when there is nothing to show).
    pub fn height(&self, theme: &Theme) -> i32 {
        if self.rows == 0 {
            0
        } else {
            self.rows as i32 * self.row_h + theme.px(PAD) as i32
        }
    }

    /// Where entry `i`'s mark starts, `left` pixels in: x, and y at the row's middle.
    fn at(&self, i: usize, left: i32, theme: &Theme) -> (i32, i32) {
        let (col, row) = ((i % self.cols) as i32, (i / self.cols) as i32);
        (left + col * self.cell_w, theme.px(PAD) as i32 + row * self.row_h + self.row_h / 2)
    }
}

/// The grid for entries `widths` pixels wide (`entry_width`), in a strip `width` pixels
/// wide and at most `max_h` pixels high (a pure function of sizes).
pub fn grid(widths: &[i32], width: i32, max_h: i32, theme: &Theme) -> Grid {
    let px = |v: f64| theme.px(v) as i32;
    let n = widths.len();
    let row_h = px(FONT * 1.5);
    let cell_w = widths.iter().copied().max().unwrap_or(0) + px(12.0);
    if n == 0 {
        return Grid { cols: 0, rows: 0, cell_w, row_h, shown: 0 };
    }
    let cols = ((width / cell_w.max(1)).max(1) as usize).min(n);
    let max_rows = ((max_h - px(PAD)) / row_h).max(1) as usize;
    let rows = n.div_ceil(cols).min(max_rows);
    let shown = if rows * cols >= n { n } else { rows * cols - 1 };
    Grid { cols, rows, cell_w, row_h, shown }
}

/// Draws `entries` on `area` (the strip) in `g`'s grid, starting `left` pixels in.
pub fn draw_legend_grid<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[(&str, Mark)],
    g: Grid,
    left: i32,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    for (i, (text, mark)) in entries.iter().take(g.shown).enumerate() {
        draw_entry(area, g.at(i, left, theme), text, *mark, mark_room(*mark, theme), theme)?;
    }
    if g.shown < entries.len() {
        let font = theme.font(FONT).pos(Pos::new(HPos::Left, VPos::Center));
        area.draw(&Text::new(format!("+{} more", entries.len() - g.shown), g.at(g.shown, left, theme), font))?;
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
    fn a_grid_fits_its_strip_and_shows_every_entry_it_can() {
        let theme = Theme::new(false, 1.0);
        let dot = Mark::Dot(RGBColor(1, 2, 3).filled(), 3);
        let widths = vec![entry_width("9", dot, &theme); 10]; // digits' ten classes
        for width in [80, 200, 400, 700, 1200] {
            let g = grid(&widths, width, 200, &theme);
            assert_eq!(g.shown, 10, "{width}: {g:?}");
            assert!(g.cols * g.rows >= 10 && g.rows == 10usize.div_ceil(g.cols), "{width}: {g:?}");
            assert!(g.cols == 1 || g.cols as i32 * g.cell_w <= width, "{width}: {g:?}");
        }
        // Wide enough for all: one row; narrower: more rows, never more than needed.
        assert_eq!(grid(&widths, 1200, 200, &theme).rows, 1);
        assert!(grid(&widths, 200, 200, &theme).rows > 1);
        // Too many for the height allowed: as many as fit, the last cell counts the rest.
        let g = grid(&[40; 60], 300, 60, &theme);
        assert!(g.height(&theme) <= 60 && g.rows >= 1, "{g:?}");
        assert_eq!(g.shown, g.rows * g.cols - 1, "{g:?}");
        assert_eq!(grid(&[], 300, 60, &theme).height(&theme), 0);
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
