//! A drawing from the page's pad, reduced to an image set's own format, the way
//! scikit-learn's digits were made: the strokes are drawn with a hard pen on a fine
//! bitmap (32x32 for 8x8 images), which is cut into blocks; each pixel counts the inked
//! bitmap cells of its block (0 to 16 for digits).
//!
//! The drawing is first resized and centred: the digits' writers' bitmaps were
//! normalised to fill the frame, and the generated shapes fill about the middle 60% of
//! theirs, so where and how large the student draws does not decide the answer.

use super::synth_images::ink;

/// Cells of the fine bitmap per image pixel on each axis: `ceil(FINE / width)`.
const FINE: usize = 32;

/// How an image set's pixels look, so a drawing can be reduced to it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImageFormat {
    pub width: usize,
    pub height: usize,
    /// A full pixel's value (16 for digits, 1 for the generated shapes, 255 for MNIST).
    pub max_value: f64,
    /// Whether pixels are whole numbers (counts, bytes).
    pub integer: bool,
}

impl ImageFormat {
    /// Share of the frame left blank on each side around the drawing: none for images
    /// as small as the digits (their strokes touch the frame), a fifth otherwise.
    pub fn margin(&self) -> f64 {
        if self.width.max(self.height) <= 8 {
            0.0
        } else {
            0.2
        }
    }

    /// Half the pen's width, as a share of the fine bitmap's width. The digits' strokes
    /// are about 1.9 of their 8 pixels wide (the median over images of the ink per stroke
    /// crossing a row or column, whichever is narrower), so a pen of half-width 0.12
    /// (7.7 of 32 cells); the generated shapes' pen is 0.6 to 1.1 of 16 pixels (0.05).
    pub fn pen_share(&self) -> f64 {
        if self.width.max(self.height) <= 8 {
            0.12
        } else {
            0.05
        }
    }
}

/// `strokes` (polylines in the pad's coordinates, x right and y down, any scale) as the
/// set's pixels, row by row. No ink gives a blank image.
pub fn reduce(strokes: &[Vec<[f64; 2]>], f: &ImageFormat) -> Vec<f64> {
    let (w, h) = (f.width.max(1), f.height.max(1));
    let k = FINE.div_ceil(w).max(1);
    let (fw, fh) = ((k * w) as f64, (k * h) as f64);
    let points = strokes.iter().flatten().filter(|p| p[0].is_finite() && p[1].is_finite());
    let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    for p in points {
        for a in 0..2 {
            lo[a] = lo[a].min(p[a]);
            hi[a] = hi[a].max(p[a]);
        }
    }
    if lo[0] > hi[0] {
        return vec![0.0; w * h];
    }
    let pen = f.pen_share() * fw;
    // The drawing's box (its longer side) fills the frame inside the margin and the pen.
    let room = ((1.0 - 2.0 * f.margin()) * fw.min(fh) - 2.0 * pen).max(1.0);
    let span = (hi[0] - lo[0]).max(hi[1] - lo[1]);
    let scale = if span > 0.0 { room / span } else { 1.0 };
    let mid = [(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0];
    let placed: Vec<Vec<[f64; 2]>> = strokes
        .iter()
        .map(|s| s.iter().map(|p| [fw / 2.0 + (p[0] - mid[0]) * scale, fh / 2.0 + (p[1] - mid[1]) * scale]).collect())
        .collect();
    let fine = ink(&placed, k * w, k * h, pen, 0.0);
    let mut out = vec![0.0; w * h];
    for (i, v) in fine.iter().enumerate() {
        let (x, y) = (i % (k * w), i / (k * w));
        out[(y / k) * w + x / k] += v;
    }
    let cells = (k * k) as f64;
    for v in out.iter_mut() {
        *v = f.max_value * *v / cells;
        if f.integer {
            *v = v.round();
        }
    }
    out
}
