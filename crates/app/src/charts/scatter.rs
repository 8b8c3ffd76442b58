//! The main view: rows as points on two features, coloured by class.

use plotters::coord::ranged1d::ValueFormatter;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::dots::Dot;
use super::legend::{draw_legend_grid, entry_width, grid, text_width};
use super::palette::class_mark;
use super::ticks::{label_count, y_label_area};
use super::{padded_range, themed_mesh, Mark, Theme};
use crate::engine::eval::surface::Surface;

pub struct ScatterData<'a> {
    pub x: &'a [f64],
    pub y: &'a [f64],
    /// Class index of each point (colour); `None` draws every point alike.
    pub labels: Option<&'a [u32]>,
    pub class_names: &'a [String],
    pub x_name: &'a str,
    pub y_name: &'a str,
    /// The model's predictions over the plane, drawn behind the points.
    pub surface: Option<&'a Surface>,
    /// A number per point coloured on a low-to-high scale (a numeric column); overrides `labels`.
    pub values: Option<&'a [f64]>,
    /// DBSCAN's point kinds: 0 core (filled), 1 border (hollow), 2 noise (grey cross).
    pub kinds: Option<&'a [u8]>,
    /// Cluster centres as x, y pairs, drawn as large crosses in their cluster's colour.
    pub centers: &'a [f64],
}

/// Where the plot area lies on the canvas, for hit-testing the points in the page:
/// `[x0, x1, y0, y1]` of the data, then the area's left, top, right, bottom pixels.
pub type PlotFrame = [f64; 8];

/// Blue for low values to orange for high ones (the surface's scale for regression).
fn scale_color(t: f64, theme: &Theme) -> RGBColor {
    let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { return RGBColor(150, 150, 150) };
    let (c0, c1) = (theme.class_color(0), theme.class_color(1));
    let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * t) as u8;
    RGBColor(mix(c0.0, c1.0), mix(c0.1, c1.1), mix(c0.2, c1.2))
}

/// A cell's colour: the predicted class's colour, fainter where the model is unsure; for
/// regression, low values blue and high values orange (`(lo, hi)`: the surface's value
/// range, found once per drawing: finding it per cell made big surfaces quadratic).
fn cell_color(s: &Surface, i: usize, (lo, hi): (f64, f64), theme: &Theme) -> RGBColor {
    let (color, strength) = if s.n_classes == 0 {
        let t = if hi > lo { (s.value[i] - lo) / (hi - lo) } else { 0.5 };
        let (c0, c1) = (theme.class_color(0), theme.class_color(1));
        let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * t) as u8;
        (RGBColor(mix(c0.0, c1.0), mix(c0.1, c1.1), mix(c0.2, c1.2)), 0.45)
    } else {
        let chance = 1.0 / s.n_classes as f64;
        // In 1/16 steps (invisible), so that neighbouring cells share a colour and merge.
        let sure = (((s.confidence[i] - chance) / (1.0 - chance)).clamp(0.0, 1.0) * 16.0).round() / 16.0;
        (theme.class_color(s.value[i] as usize), 0.12 + 0.33 * sure)
    };
    let bg = theme.background;
    let blend = |c: u8, b: u8| (b as f64 + (c as f64 - b as f64) * strength) as u8;
    RGBColor(blend(color.0, bg.0), blend(color.1, bg.1), blend(color.2, bg.2))
}

/// A class's mark in the legend: filled, or a ring past the tenth class (colours repeat).
fn class_style(c: usize, theme: &Theme) -> ShapeStyle {
    match class_mark(c) {
        (color, false) => color.filled(),
        (color, true) => color.stroke_width(theme.px(1.5)),
    }
}

/// Room for rows whose x or y is missing: a strip a tenth of the plot wide left of the
/// data (x missing) and one below it (y missing), each shaded and labelled.
struct Strips {
    x_range: (f64, f64),
    y_range: (f64, f64),
    /// Where the data's own range starts on each axis (the strips lie below these).
    data_from: (f64, f64),
    missing: (usize, usize),
}

impl Strips {
    fn new(x: &[f64], y: &[f64], (x0, x1): (f64, f64), (y0, y1): (f64, f64)) -> Strips {
        let missing = (x.iter().filter(|v| !v.is_finite()).count(), y.iter().filter(|v| !v.is_finite()).count());
        let (bx, by) = ((x1 - x0) / 9.0, (y1 - y0) / 9.0);
        Strips {
            x_range: (if missing.0 > 0 { x0 - bx } else { x0 }, x1),
            y_range: (if missing.1 > 0 { y0 - by } else { y0 }, y1),
            data_from: (x0, y0),
            missing,
        }
    }

    /// Where a point is drawn: a missing coordinate at the middle of its strip.
    fn place(&self, x: f64, y: f64) -> (f64, f64) {
        let mid = |v: f64, lo: f64, from: f64| if v.is_finite() { v } else { (lo + from) / 2.0 };
        (mid(x, self.x_range.0, self.data_from.0), mid(y, self.y_range.0, self.data_from.1))
    }

    fn draw<DB: DrawingBackend>(
        &self,
        chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
        theme: &Theme,
    ) -> DrawResult<(), DB> {
        let shade = theme.grid.mix(0.6).filled();
        let (x0, y0) = self.data_from;
        let ((xl, x1), (yl, y1)) = (self.x_range, self.y_range);
        let font = theme.font(11.0);
        if self.missing.0 > 0 {
            chart.draw_series(std::iter::once(Rectangle::new([(xl, yl), (x0, y1)], shade)))?;
            let label = font.clone().pos(Pos::new(HPos::Center, VPos::Top));
            let at = chart.backend_coord(&((xl + x0) / 2.0, y1));
            let area = chart.plotting_area().strip_coord_spec();
            let (left, top) = area.get_base_pixel();
            area.draw(&Text::new("missing", (at.0 - left, at.1 - top + theme.px(3.0) as i32), label))?;
        }
        if self.missing.1 > 0 {
            chart.draw_series(std::iter::once(Rectangle::new([(xl, yl), (x1, y0)], shade)))?;
            let label = font.pos(Pos::new(HPos::Right, VPos::Center));
            let at = chart.backend_coord(&(x1, (yl + y0) / 2.0));
            let area = chart.plotting_area().strip_coord_spec();
            let (left, top) = area.get_base_pixel();
            area.draw(&Text::new("missing", (at.0 - left - theme.px(4.0) as i32, at.1 - top), label))?;
        }
        Ok(())
    }
}

type DrawResult<T, DB> = Result<T, DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// The scatter plot with its points drawn as plotters circles (SVG, PNG and tests).
pub fn draw_scatter<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    d: &ScatterData,
    theme: &Theme,
) -> DrawResult<PlotFrame, DB> {
    draw_scatter_with(root, d, theme, |dots, _| {
        for p in dots {
            match p.ring {
                None => root.draw(&Circle::new((p.x, p.y), p.r, p.color.filled()))?,
                Some(w) => root.draw(&Circle::new((p.x, p.y), p.r, p.color.stroke_width(w)))?,
            }
        }
        Ok(())
    })
}

/// The scatter plot with its points (and their rings) handed to `paint` with the plot
/// area's pixels (left, top, right, bottom), after the axes and the surface and before
/// the noise marks, centres and legend.
pub fn draw_scatter_with<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    d: &ScatterData,
    theme: &Theme,
    paint: impl FnOnce(&[Dot], [i32; 4]) -> DrawResult<(), DB>,
) -> DrawResult<PlotFrame, DB> {
    root.fill(&theme.background)?;
    // The surface spans the full data's range; the points may be a sample of it.
    let ((x0, x1), (y0, y1)) = match d.surface {
        Some(s) => (s.x_range, s.y_range),
        None => (padded_range(d.x.iter().copied()), padded_range(d.y.iter().copied())),
    };
    // Rows missing x (or y) go in a labelled strip left of (below) the data, not on the
    // canvas's edge where a NaN coordinate used to put them.
    let n = d.x.len().min(d.y.len());
    let gaps = Strips::new(&d.x[..n], &d.y[..n], (x0, x1), (y0, y1));
    let ((x0, x1), (y0, y1)) = (gaps.x_range, gaps.y_range);
    // The legend gets a strip of its own above the plot: inside, it covered points, and
    // ten classes ran off the bottom of a short chart.
    let (margin, y_area) = (theme.px(10.0) as i32, y_label_area(y0, y1, theme) as i32);
    let radius = theme.px(3.5);
    let mut legend: Vec<(&str, Mark)> = Vec::new();
    if d.values.is_none() {
        legend.extend(
            d.class_names.iter().enumerate().map(|(c, name)| (name.as_str(), Mark::Dot(class_style(c, theme), radius))),
        );
    }
    let grey = RGBColor(140, 140, 140).stroke_width(theme.px(1.25));
    let cross = theme.px(3.0) as i32;
    if !legend.is_empty() && d.kinds.is_some() {
        legend.push(("noise", Mark::Cross(grey, cross)));
    }
    let (w, h) = root.dim_in_pixel();
    let widths: Vec<i32> = legend.iter().map(|&(t, m)| entry_width(t, m, theme)).collect();
    let strip = grid(&widths, w as i32 - 2 * margin, h as i32 / 3, theme);
    let (top, body) = root.split_vertically(strip.height(theme));
    let mut chart = ChartBuilder::on(&body)
        .margin(margin)
        .x_label_area_size(theme.px(34.0))
        .y_label_area_size(y_area)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    // As many tick labels as the plot's size holds a font size apart (up the y axis: a
    // line and a half from centre to centre).
    let (pw, ph) = chart.plotting_area().dim_in_pixel();
    let spec = chart.as_coord_spec();
    let (gap, line) = (theme.px(12.0) as i32, theme.px(12.0 * 1.6) as i32);
    let x_labels = label_count(spec.x_spec(), pw as i32, gap, |t| text_width(t, theme));
    let y_labels = label_count(spec.y_spec(), ph as i32, 0, |_| line);
    // No tick values inside a strip: it holds no values.
    let (fx, fy): (RangedCoordf64, RangedCoordf64) = ((x0..x1).into(), (y0..y1).into());
    let (data_x0, data_y0) = (gaps.data_from.0, gaps.data_from.1);
    let x_fmt = |v: &f64| if *v < data_x0 { String::new() } else { fx.format_ext(v) };
    let y_fmt = |v: &f64| if *v < data_y0 { String::new() } else { fy.format_ext(v) };
    themed_mesh(&mut chart, d.x_name, d.y_name, theme)
        .x_labels(x_labels)
        .y_labels(y_labels)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .draw()?;
    gaps.draw(&mut chart, theme)?;

    if let Some(s) = d.surface.filter(|s| s.value.len() == s.nx * s.ny && s.nx > 0) {
        let (dx, dy) = ((s.x_range.1 - s.x_range.0) / s.nx as f64, (s.y_range.1 - s.y_range.0) / s.ny as f64);
        let range = s.value.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
        // Neighbouring cells of one colour become one rectangle, and rectangles come grouped
        // by colour (they never overlap, so order is free): the page's canvas backend then
        // fills each colour's rectangles as one path, not one call per cell.
        let mut cells = Vec::new();
        for row in 0..s.ny {
            let mut start = 0;
            for col in 1..=s.nx {
                let colour = cell_color(s, row * s.nx + start, range, theme);
                if col < s.nx && cell_color(s, row * s.nx + col, range, theme) == colour {
                    continue;
                }
                let (xa, xb, y) =
                    (s.x_range.0 + dx * start as f64, s.x_range.0 + dx * col as f64, s.y_range.0 + dy * row as f64);
                cells.push((colour, [(xa, y), (xb, y + dy)]));
                start = col;
            }
        }
        crate::base::sort::sort_by(&mut cells, &|a, b| (a.0 .0, a.0 .1, a.0 .2).cmp(&(b.0 .0, b.0 .1, b.0 .2)));
        chart.draw_series(cells.into_iter().map(|(c, corners)| Rectangle::new(corners, c.filled())))?;
    }

    let kind = |i: usize| d.kinds.and_then(|k| k.get(i).copied()).unwrap_or(0);
    let dot = |i: usize, r: u32, color: RGBColor, ring: Option<u32>| {
        let (x, y) = chart.backend_coord(&gaps.place(d.x[i], d.y[i]));
        Dot { x, y, r, color, ring }
    };
    let mut dots = Vec::with_capacity(n);
    if let Some(v) = d.values.filter(|v| v.len() >= n) {
        let (lo, hi) = v
            .iter()
            .filter(|x| x.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| (a.min(x), b.max(x)));
        let t = |x: f64| if hi > lo { (x - lo) / (hi - lo) } else { 0.5 };
        dots.extend((0..n).map(|i| dot(i, radius, scale_color(t(v[i]), theme), None)));
    } else {
        let n_classes = d.class_names.len().max(1);
        for class in 0..n_classes {
            let (color, hollow) = class_mark(class);
            let (small, thin) = (theme.px(2.5), theme.px(1.25));
            let points = (0..n).filter(|&i| kind(i) != 2 && d.labels.map_or(class == 0, |l| l[i] as usize == class));
            dots.extend(points.map(|i| {
                if kind(i) == 1 {
                    dot(i, small, color, Some(thin))
                } else if hollow {
                    dot(i, radius, color, Some(theme.px(1.5)))
                } else {
                    dot(i, radius, color, None)
                }
            }));
        }
    }
    if d.surface.is_some() {
        // A thin ring keeps each point visible on the area of its own class's colour.
        dots.extend((0..n).map(|i| dot(i, radius, theme.foreground, Some(theme.px(0.75)))));
    }
    let (px, py) = chart.plotting_area().get_pixel_range();
    paint(&dots, [px.start, py.start, px.end, py.end])?;
    if d.values.is_none() && d.kinds.is_some() {
        let noise = (0..n).filter(|&i| kind(i) == 2).map(|i| Cross::new(gaps.place(d.x[i], d.y[i]), cross, grey));
        chart.draw_series(noise)?;
    }
    let big = theme.px(9.0) as i32;
    for (c, xy) in d.centers.chunks_exact(2).enumerate() {
        let halo = theme.background.stroke_width(theme.px(5.0));
        chart.draw_series(std::iter::once(Cross::new((xy[0], xy[1]), big, halo)))?;
        chart.draw_series(std::iter::once(Cross::new(
            (xy[0], xy[1]),
            big,
            theme.class_color(c).stroke_width(theme.px(3.0)),
        )))?;
    }
    draw_legend_grid(&top, &legend, strip, margin, theme)?;
    root.present()?;
    Ok([x0, x1, y0, y1, px.start as f64, py.start as f64, px.end as f64, py.end as f64])
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
            surface: None,
            values: None,
            kinds: None,
            centers: &[],
        };
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (300, 300)).into_drawing_area();
            draw_scatter(&root, &d, &Theme::new(true, 2.0)).unwrap();
        }
        assert_eq!(svg.matches("<circle").count(), 3 + 2, "{svg}");
        assert!(svg.contains("\nf1\n") && svg.contains("\nb\n"), "{svg}");
    }

    /// The (x, y) of each `<text>` whose content is `name` in plotters' SVG.
    fn text_at(svg: &str, name: &str) -> Vec<(i32, i32)> {
        let attr = |tag: &str, key: &str| -> i32 {
            let from = tag.find(&format!(" {key}=\"")).unwrap() + key.len() + 3;
            tag[from..from + tag[from..].find('"').unwrap()].parse().unwrap()
        };
        let end = format!(">\n{name}\n</text>");
        svg.match_indices(&end)
            .map(|(at, _)| svg[..at].rsplit("<text").next().unwrap())
            .map(|tag| (attr(tag, "x"), attr(tag, "y")))
            .collect()
    }

    #[test]
    fn ten_classes_on_a_small_chart_have_their_legend_above_the_plot() {
        let names: Vec<String> = (0..10).map(|c| format!("c{c}")).collect();
        let labels: Vec<u32> = (0..200).map(|i| i % 10).collect();
        let xs: Vec<f64> = (0..200).map(|i| (i as f64 * 0.37).sin() * 40.0).collect();
        let ys: Vec<f64> = (0..200).map(|i| (i as f64 * 0.91).cos() * 2.0).collect();
        let d = ScatterData {
            x: &xs,
            y: &ys,
            labels: Some(&labels),
            class_names: &names,
            x_name: "t-SNE 1",
            y_name: "t-SNE 2",
            surface: None,
            values: None,
            kinds: Some(&[0; 200]),
            centers: &[],
        };
        let (w, h) = (290, 215); // the page's narrowest scatter
        let mut svg = String::new();
        let frame = {
            let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
            draw_scatter(&root, &d, &Theme::new(false, 1.0)).unwrap()
        };
        let plot_top = frame[5] as i32;
        for name in names.iter().map(String::as_str).chain(["noise"]) {
            let at = text_at(&svg, name);
            assert_eq!(at.len(), 1, "{name} drawn once: {svg}");
            let (x, y) = at[0];
            // Inside the canvas, its row's lower half above the plot.
            assert!(x >= 0 && x + text_width(name, &Theme::new(false, 1.0)) <= w as i32, "{name} at {x}");
            assert!(y >= 6 && y + 6 < plot_top, "{name} at {y}, plot from {plot_top}");
        }
    }

    #[test]
    fn cells_of_one_colour_in_a_row_are_one_rectangle() {
        let names = vec!["a".to_string(), "b".to_string()];
        // Row 0: three sure "a" cells then one "b"; row 1: four "b" cells, nearly as sure.
        let surface = Surface {
            nx: 4,
            ny: 2,
            x_range: (0.0, 4.0),
            y_range: (0.0, 2.0),
            value: vec![0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0],
            confidence: vec![1.0, 1.0, 1.0, 1.0, 0.9, 0.9, 0.901, 0.9],
            n_classes: 2,
        };
        let d = ScatterData {
            x: &[0.5],
            y: &[0.5],
            labels: Some(&[0]),
            class_names: &names,
            x_name: "f1",
            y_name: "f2",
            surface: Some(&surface),
            values: None,
            kinds: None,
            centers: &[],
        };
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (300, 300)).into_drawing_area();
            draw_scatter(&root, &d, &Theme::new(false, 1.0)).unwrap();
        }
        let before_points = &svg[..svg.find("<circle").unwrap()];
        // The background, then 2 + 1 cell rectangles.
        assert_eq!(before_points.matches("<rect").count(), 1 + 3, "{svg}");
    }

    #[test]
    fn a_surface_is_one_rectangle_per_cell_behind_the_points() {
        let names = vec!["a".to_string(), "b".to_string()];
        let surface = Surface {
            nx: 3,
            ny: 2,
            x_range: (0.0, 3.0),
            y_range: (0.0, 2.0),
            value: vec![0.0, 1.0, 1.0, 0.0, 0.0, 1.0],
            confidence: vec![1.0, 0.5, 0.9, 1.0, 0.6, 0.7],
            n_classes: 2,
        };
        let d = ScatterData {
            x: &[0.5, 2.5],
            y: &[0.5, 1.5],
            labels: Some(&[0, 1]),
            class_names: &names,
            x_name: "f1",
            y_name: "f2",
            surface: Some(&surface),
            values: None,
            kinds: None,
            centers: &[],
        };
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (300, 300)).into_drawing_area();
            draw_scatter(&root, &d, &Theme::new(false, 1.0)).unwrap();
        }
        let before_points = &svg[..svg.find("<circle").unwrap()];
        // The background and the six cells come before the first point.
        assert!(before_points.matches("<rect").count() >= 7, "{svg}");
        // A sure cell is stronger in colour than an unsure one of the same class (orange
        // on white: less blue).
        let t = Theme::new(false, 1.0);
        let range = (0.0, 1.0);
        assert!(cell_color(&surface, 2, range, &t).2 < cell_color(&surface, 1, range, &t).2);
    }

    #[test]
    fn rows_missing_a_coordinate_are_drawn_in_a_labelled_strip() {
        let names = vec!["a".to_string(), "b".to_string()];
        // Row 2 misses x, row 3 misses y.
        let d = ScatterData {
            x: &[0.0, 10.0, f64::NAN, 5.0],
            y: &[0.0, 10.0, 5.0, f64::NAN],
            labels: Some(&[0, 1, 0, 1]),
            class_names: &names,
            x_name: "f1",
            y_name: "f2",
            surface: None,
            values: None,
            kinds: None,
            centers: &[],
        };
        let mut svg = String::new();
        let frame = {
            let root = SVGBackend::with_string(&mut svg, (400, 300)).into_drawing_area();
            draw_scatter(&root, &d, &Theme::new(false, 1.0)).unwrap()
        };
        assert_eq!(text_at(&svg, "missing").len(), 2, "{svg}");
        // The data's own range starts a ninth of it past the frame's start on both axes.
        let (x_lo, y_lo) = (frame[0], frame[2]);
        assert!(x_lo < -0.5 && y_lo < -0.5, "{frame:?}");
        let px = |x: f64| frame[4] + (x - frame[0]) / (frame[1] - frame[0]) * (frame[6] - frame[4]);
        let py = |y: f64| frame[7] - (y - frame[2]) / (frame[3] - frame[2]) * (frame[7] - frame[5]);
        let circles: Vec<(f64, f64)> = svg
            .match_indices("<circle")
            .map(|(at, _)| {
                let tag = &svg[at..at + svg[at..].find("/>").unwrap()];
                let num = |k: &str| {
                    let from = tag.find(&format!(" {k}=\"")).unwrap() + k.len() + 3;
                    tag[from..from + tag[from..].find('"').unwrap()].parse::<f64>().unwrap()
                };
                (num("cx"), num("cy"))
            })
            .collect();
        // Four points, then two legend dots; the one missing x sits left of x = -0.5 (in the
        // strip), at its y; the one missing y below y = -0.5, at its x.
        assert_eq!(circles.len(), 6, "{svg}");
        assert!(circles.iter().any(|&(cx, cy)| cx < px(-0.5) && (cy - py(5.0)).abs() < 2.0), "{circles:?}");
        assert!(circles.iter().any(|&(cx, cy)| cy > py(-0.5) && (cx - px(5.0)).abs() < 2.0), "{circles:?}");
        // Every point lies inside the plot area.
        for &(cx, cy) in &circles[..4] {
            assert!(cx >= frame[4] && cx <= frame[6] && cy >= frame[5] && cy <= frame[7], "{cx},{cy} {frame:?}");
        }
    }

    #[test]
    fn classes_past_the_tenth_are_hollow_rings_in_the_plot_and_the_legend() {
        let names: Vec<String> = (0..12).map(|c| format!("c{c}")).collect();
        let labels: Vec<u32> = (0..12).collect();
        let xs: Vec<f64> = (0..12).map(|i| i as f64).collect();
        let d = ScatterData {
            x: &xs,
            y: &xs,
            labels: Some(&labels),
            class_names: &names,
            x_name: "f1",
            y_name: "f2",
            surface: None,
            values: None,
            kinds: None,
            centers: &[],
        };
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (600, 400)).into_drawing_area();
            draw_scatter(&root, &d, &Theme::new(false, 1.0)).unwrap();
        }
        let circles: Vec<&str> =
            svg.match_indices("<circle").map(|(at, _)| &svg[at..at + svg[at..].find("/>").unwrap()]).collect();
        assert_eq!(circles.len(), 24, "12 points and 12 legend marks: {svg}");
        // Classes 10 and 11 (point and legend mark each) are unfilled, in the colours of 0 and 1.
        let hollow: Vec<&&str> = circles.iter().filter(|c| c.contains("fill=\"none\"")).collect();
        assert_eq!(hollow.len(), 4, "{hollow:?}");
        assert!(
            hollow.iter().all(|c| c.contains("stroke=\"#0072B2\"") || c.contains("stroke=\"#E69F00\"")),
            "{hollow:?}"
        );
    }
}
