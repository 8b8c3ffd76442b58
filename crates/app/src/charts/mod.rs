//! Charts drawn with plotters over any backend: a canvas in the browser, SVG natively
//! (so the same drawing code is tested without a browser).

pub mod curve;
pub mod dots;
pub mod legend;
pub mod loss;
pub mod palette;
pub mod scatter;
pub mod ticks;

pub use legend::{draw_legend, Mark};

use plotters::chart::{ChartContext, MeshStyle};
use plotters::coord::cartesian::Cartesian2d;
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::prelude::{DrawingBackend, IntoFont, TextStyle};
use plotters::style::RGBColor;

/// Colours and sizes for one chart. `scale` is the device pixel ratio, so text and marks
/// keep their size on high-DPI screens whose canvases have more pixels.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub background: RGBColor,
    pub foreground: RGBColor,
    pub grid: RGBColor,
    pub dark: bool,
    pub scale: f64,
}

impl Theme {
    pub fn new(dark: bool, scale: f64) -> Theme {
        let scale = if scale.is_finite() { scale.clamp(0.5, 4.0) } else { 1.0 };
        if dark {
            Theme {
                background: RGBColor(24, 27, 33),
                foreground: RGBColor(222, 226, 232),
                grid: RGBColor(58, 63, 72),
                dark,
                scale,
            }
        } else {
            Theme {
                background: RGBColor(255, 255, 255),
                foreground: RGBColor(40, 44, 52),
                grid: RGBColor(226, 229, 234),
                dark,
                scale,
            }
        }
    }

    pub fn px(&self, v: f64) -> u32 {
        (v * self.scale).round().max(1.0) as u32
    }

    /// The i-th class colour (`palette`: ten far apart, for every common kind of colour
    /// vision); past the tenth they repeat, and the scatter draws those classes hollow.
    pub fn class_color(&self, i: usize) -> RGBColor {
        palette::class_mark(i).0
    }
}

impl Theme {
    /// The chart font at `size` CSS pixels.
    pub fn font(&self, size: f64) -> TextStyle<'static> {
        ("sans-serif", self.px(size)).into_font().color(&self.foreground)
    }
}

/// The axes, axis titles and grid in the shared style; callers add tick counts and label
/// formatters before `draw()`.
pub fn themed_mesh<'a, 'b, DB, X, Y, XT, YT>(
    chart: &'b mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
    x_desc: &str,
    y_desc: &str,
    theme: &Theme,
) -> MeshStyle<'a, 'b, X, Y, DB>
where
    DB: DrawingBackend,
    X: Ranged<ValueType = XT> + ValueFormatter<XT>,
    Y: Ranged<ValueType = YT> + ValueFormatter<YT>,
{
    let mut mesh = chart.configure_mesh();
    mesh.x_desc(x_desc)
        .y_desc(y_desc)
        .label_style(theme.font(12.0))
        .axis_desc_style(theme.font(13.0))
        .axis_style(theme.foreground)
        .bold_line_style(theme.grid)
        .light_line_style(theme.background);
    mesh
}

pub use crate::linalg::padded_range;
