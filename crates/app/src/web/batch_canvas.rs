//! A plotters backend for a canvas that draws consecutive shapes of one style as one path.
//! plotters-canvas formats a colour string and fills or strokes a path per shape, so a
//! scatter plot of thousands of points (or a surface of hundreds of cells) cost thousands
//! of style changes and fills per redraw on the main thread; here they cost one per colour.
//! Only opaque shapes are merged (overlaps of a translucent colour would blend once instead
//! of twice) and never polygons (opposite windings would cancel).

use plotters::prelude::DrawingBackend;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontTransform};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// A colour as a comparable key: red, green, blue and the alpha's bits.
#[derive(Clone, Copy, PartialEq)]
struct Colour(u8, u8, u8, u64);

impl From<BackendColor> for Colour {
    fn from(c: BackendColor) -> Colour {
        Colour(c.rgb.0, c.rgb.1, c.rgb.2, c.alpha.to_bits())
    }
}

impl Colour {
    fn alpha(self) -> f64 {
        f64::from_bits(self.3)
    }

    fn css(self) -> String {
        let Colour(r, g, b, _) = self;
        if self.alpha() >= 1.0 {
            format!("#{r:02x}{g:02x}{b:02x}")
        } else {
            format!("rgba({r},{g},{b},{})", self.alpha())
        }
    }
}

/// The style of the path being collected: filled, or stroked this wide.
#[derive(Clone, Copy, PartialEq)]
enum Paint {
    Fill(Colour),
    Stroke(Colour, u32),
}

/// A canvas call that failed (the browser's message).
#[derive(Debug)]
pub struct CanvasError(String);

impl std::fmt::Display for CanvasError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "canvas: {}", self.0)
    }
}

impl std::error::Error for CanvasError {}

pub fn failed(e: JsValue) -> DrawingErrorKind<CanvasError> {
    DrawingErrorKind::DrawingError(CanvasError(format!("{e:?}")))
}

pub struct BatchCanvas {
    canvas: HtmlCanvasElement,
    ctx: CanvasRenderingContext2d,
    open: Option<Paint>,
    /// The context's fill and stroke styles as last set here (`None`: unknown).
    fill_set: Option<Colour>,
    stroke_set: Option<(Colour, u32)>,
    /// Font, alignment and baseline as last set (every tick label would set them again).
    text_set: Option<(String, &'static str, &'static str)>,
}

type Result = std::result::Result<(), DrawingErrorKind<CanvasError>>;

impl BatchCanvas {
    pub fn new(canvas: HtmlCanvasElement) -> Option<BatchCanvas> {
        let ctx = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        Some(BatchCanvas { canvas, ctx, open: None, fill_set: None, stroke_set: None, text_set: None })
    }

    fn set_fill(&mut self, c: Colour) {
        if self.fill_set != Some(c) {
            self.ctx.set_fill_style_str(&c.css());
            self.fill_set = Some(c);
        }
    }

    /// Paint the collected path, if any.
    fn flush(&mut self) {
        match self.open.take() {
            Some(Paint::Fill(c)) => {
                self.set_fill(c);
                self.ctx.fill();
            }
            Some(Paint::Stroke(c, w)) => {
                if self.stroke_set != Some((c, w)) {
                    self.ctx.set_stroke_style_str(&c.css());
                    self.ctx.set_line_width(w as f64);
                    self.stroke_set = Some((c, w));
                }
                self.ctx.stroke();
            }
            None => {}
        }
    }

    /// Make `paint` the open path's style; false when nothing is to be drawn (invisible).
    fn begin(&mut self, paint: Paint) -> bool {
        let (Paint::Fill(c) | Paint::Stroke(c, _)) = paint;
        if c.alpha() <= 0.0 {
            return false;
        }
        if self.open != Some(paint) {
            self.flush();
            self.ctx.begin_path();
            self.open = Some(paint);
        }
        true
    }

    /// After adding one shape: a translucent one is painted at once, alone.
    fn end(&mut self, paint: Paint) {
        let (Paint::Fill(c) | Paint::Stroke(c, _)) = paint;
        if c.alpha() < 1.0 {
            self.flush();
        }
    }

    /// Adds `start` and then `rest` to the open path as one subpath of straight lines.
    fn trace(&self, start: BackendCoord, rest: impl Iterator<Item = BackendCoord>) {
        self.ctx.move_to(start.0 as f64, start.1 as f64);
        for p in rest {
            self.ctx.line_to(p.0 as f64, p.1 as f64);
        }
    }

    fn paint<S: BackendStyle>(style: &S, fill: bool) -> Paint {
        if fill {
            Paint::Fill(style.color().into())
        } else {
            Paint::Stroke(style.color().into(), style.stroke_width())
        }
    }
}

impl Drop for BatchCanvas {
    fn drop(&mut self) {
        self.flush();
    }
}

/// Horizontal and vertical lines moved half a pixel, as plotters-canvas does, so a
/// one-pixel line covers one row of pixels instead of two half-tone ones.
fn crisp(from: BackendCoord, to: BackendCoord) -> ((f64, f64), (f64, f64)) {
    let (mut a, mut b) = ((from.0 as f64, from.1 as f64), (to.0 as f64, to.1 as f64));
    if a.0 == b.0 {
        a.0 -= 0.5;
        b.0 -= 0.5;
    }
    if a.1 == b.1 {
        a.1 -= 0.5;
        b.1 -= 0.5;
    }
    (a, b)
}

impl DrawingBackend for BatchCanvas {
    type ErrorType = CanvasError;

    fn get_size(&self) -> (u32, u32) {
        (self.canvas.width(), self.canvas.height())
    }

    fn ensure_prepared(&mut self) -> Result {
        Ok(())
    }

    fn present(&mut self) -> Result {
        self.flush();
        Ok(())
    }

    fn draw_pixel(&mut self, p: BackendCoord, color: BackendColor) -> Result {
        let paint = Paint::Fill(color.into());
        if self.begin(paint) {
            self.ctx.rect(p.0 as f64, p.1 as f64, 1.0, 1.0);
            self.end(paint);
        }
        Ok(())
    }

    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, style: &S) -> Result {
        let paint = Self::paint(style, false);
        if self.begin(paint) {
            let (a, b) = crisp(from, to);
            self.ctx.move_to(a.0, a.1);
            self.ctx.line_to(b.0, b.1);
            self.end(paint);
        }
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(&mut self, ul: BackendCoord, br: BackendCoord, style: &S, fill: bool) -> Result {
        let paint = Self::paint(style, fill);
        if self.begin(paint) {
            self.ctx.rect(ul.0 as f64, ul.1 as f64, (br.0 - ul.0) as f64, (br.1 - ul.1) as f64);
            self.end(paint);
        }
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(&mut self, path: I, style: &S) -> Result {
        let paint = Self::paint(style, false);
        let mut path = path.into_iter();
        if let Some(start) = path.next() {
            if self.begin(paint) {
                self.trace(start, path);
                self.end(paint);
            }
        }
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(&mut self, path: I, style: &S) -> Result {
        let paint = Self::paint(style, true);
        let mut path = path.into_iter();
        if let Some(start) = path.next() {
            self.flush();
            if self.begin(paint) {
                self.trace(start, path);
                self.ctx.close_path();
                self.flush(); // alone: another polygon's opposite winding would cancel this one
            }
        }
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(&mut self, c: BackendCoord, radius: u32, style: &S, fill: bool) -> Result {
        let paint = Self::paint(style, fill);
        if self.begin(paint) {
            let (x, y, r) = (c.0 as f64, c.1 as f64, radius as f64);
            // A new subpath, or the arc would be joined to the previous shape by a line.
            self.ctx.move_to(x + r, y);
            self.ctx.arc(x, y, r, 0.0, std::f64::consts::TAU).map_err(failed)?;
            self.end(paint);
        }
        Ok(())
    }

    fn draw_text<S: BackendTextStyle>(&mut self, text: &str, style: &S, pos: BackendCoord) -> Result {
        let colour = Colour::from(style.color());
        if colour.alpha() <= 0.0 {
            return Ok(());
        }
        self.flush();
        let turn = match style.transform() {
            FontTransform::None => 0.0,
            FontTransform::Rotate90 => 0.5,
            FontTransform::Rotate180 => 1.0,
            FontTransform::Rotate270 => 1.5,
        } * std::f64::consts::PI;
        let (mut x, mut y) = (pos.0 as f64, pos.1 as f64);
        if turn != 0.0 {
            self.ctx.save();
            self.ctx.translate(x, y).map_err(failed)?;
            self.ctx.rotate(turn).map_err(failed)?;
            (x, y) = (0.0, 0.0);
        }
        let baseline = match style.anchor().v_pos {
            VPos::Top => "top",
            VPos::Center => "middle",
            VPos::Bottom => "bottom",
        };
        let align = match style.anchor().h_pos {
            HPos::Left => "start",
            HPos::Right => "end",
            HPos::Center => "center",
        };
        let font = format!("{} {}px {}", style.style().as_str(), style.size(), style.family().as_str());
        if self.text_set.as_ref() != Some(&(font.clone(), align, baseline)) {
            self.ctx.set_text_baseline(baseline);
            self.ctx.set_text_align(align);
            self.ctx.set_font(&font);
            self.text_set = if turn == 0.0 { Some((font, align, baseline)) } else { None };
        }
        self.set_fill(colour);
        let drawn = self.ctx.fill_text(text, x, y).map_err(failed);
        if turn != 0.0 {
            self.ctx.restore(); // and with it the fill style from before
            self.fill_set = None;
        }
        drawn
    }
}
