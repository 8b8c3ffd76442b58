//! A generated image set: pen-stroke shapes (circle, square, triangle, plus, cross, line) on
//! a 16x16 grey grid, each moved, turned, resized and given a pen width at random, with
//! pixel noise. The same shape lands on different pixels in every image, which is what a
//! convolutional network handles better than a dense one.
//!
//! The strokes are drawn by `ink`, which the drawing pad's reduction (`drawing.rs`) uses
//! too, so a drawn shape and a generated one are made the same way. All randomness comes
//! from `Rng` and all trigonometry from `libm`: the page and the CLI make the same pixels.

use std::f64::consts::PI;

use super::synth::{categorical, numeric};
use super::table::Table;
use crate::base::rng::Rng;

/// Width and height of every image.
pub const SIDE: usize = 16;
pub const SHAPES: [&str; 6] = ["circle", "square", "triangle", "plus", "cross", "line"];
/// Half the shape's size in pixels, drawn uniformly in this range.
pub const HALF_SIZE: (f64, f64) = (3.5, 5.5);
/// Largest turn either way, in degrees (small enough that a plus never becomes a cross).
pub const MAX_TURN_DEG: f64 = 20.0;
/// Largest shift of the shape's centre from the grid's centre, in pixels, on each axis.
pub const MAX_SHIFT: f64 = 2.0;
/// Half the pen's width in pixels.
pub const PEN: (f64, f64) = (0.6, 1.1);

/// A polyline in the shape's own coordinates ([-1, 1] on each axis, y down).
pub type Stroke = Vec<[f64; 2]>;

/// The strokes of `SHAPES[class]` before moving, turning and resizing.
pub fn outline(class: usize) -> Vec<Stroke> {
    let polygon = |corners: usize, start: f64| -> Stroke {
        (0..=corners)
            .map(|i| {
                let t = start + 2.0 * PI * i as f64 / corners as f64;
                [libm::cos(t), libm::sin(t)]
            })
            .collect()
    };
    match SHAPES[class] {
        "circle" => vec![polygon(32, 0.0)],
        "square" => vec![vec![[-0.8, -0.8], [0.8, -0.8], [0.8, 0.8], [-0.8, 0.8], [-0.8, -0.8]]],
        // Pointing up; the centroid of the corners sits at the centre.
        "triangle" => vec![polygon(3, -PI / 2.0)],
        "plus" => vec![vec![[0.0, -1.0], [0.0, 1.0]], vec![[-1.0, 0.0], [1.0, 0.0]]],
        "cross" => vec![vec![[-0.75, -0.75], [0.75, 0.75]], vec![[-0.75, 0.75], [0.75, -0.75]]],
        "line" => vec![vec![[-1.0, 0.0], [1.0, 0.0]]],
        _ => unreachable!("every class has an outline"),
    }
}

/// Distance from `p` to the segment `a`-`b`.
pub fn segment_distance(p: [f64; 2], a: [f64; 2], b: [f64; 2]) -> f64 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 { (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0) } else { 0.0 };
    let (ex, ey) = (a[0] + t * dx - p[0], a[1] + t * dy - p[1]);
    libm::sqrt(ex * ex + ey * ey)
}

/// Distance from the point to the nearest stroke (a stroke of one point is a dot).
pub fn stroke_distance(p: [f64; 2], strokes: &[Stroke]) -> f64 {
    let mut best = f64::INFINITY;
    for s in strokes {
        if s.len() == 1 {
            best = best.min(segment_distance(p, s[0], s[0]));
        }
        for w in s.windows(2) {
            best = best.min(segment_distance(p, w[0], w[1]));
        }
    }
    best
}

/// Ink of a pen of half-width `pen` over a `w` x `h` grid (pixel centres at `i + 0.5`),
/// `strokes` in pixel coordinates, row by row: 1 inside the pen, fading to 0 over
/// `soft` pixels past its edge (0: a hard edge).
pub fn ink(strokes: &[Stroke], w: usize, h: usize, pen: f64, soft: f64) -> Vec<f64> {
    let mut out = Vec::with_capacity(w * h);
    for y in 0..h {
        for x in 0..w {
            let d = stroke_distance([x as f64 + 0.5, y as f64 + 0.5], strokes);
            out.push(if soft > 0.0 {
                ((pen + soft - d) / soft).clamp(0.0, 1.0)
            } else {
                f64::from(u8::from(d <= pen))
            });
        }
    }
    out
}

/// One image of class `class`: its pixels (0 blank to 1 full ink), row by row.
pub fn image(class: usize, noise: f64, rng: &mut Rng) -> Vec<f64> {
    let between = |rng: &mut Rng, (lo, hi): (f64, f64)| lo + (hi - lo) * rng.uniform();
    let half = between(rng, HALF_SIZE);
    let turn = between(rng, (-MAX_TURN_DEG, MAX_TURN_DEG)) * PI / 180.0;
    let centre = SIDE as f64 / 2.0;
    let (cx, cy) = (centre + between(rng, (-MAX_SHIFT, MAX_SHIFT)), centre + between(rng, (-MAX_SHIFT, MAX_SHIFT)));
    let pen = between(rng, PEN);
    let (c, s) = (libm::cos(turn), libm::sin(turn));
    let strokes: Vec<Stroke> = outline(class)
        .into_iter()
        .map(|st| st.into_iter().map(|[x, y]| [cx + half * (c * x - s * y), cy + half * (s * x + c * y)]).collect())
        .collect();
    let mut px = ink(&strokes, SIDE, SIDE, pen, 1.0);
    for v in px.iter_mut() {
        // Three decimals keep the CSV short; the rounding is the same on every platform.
        *v = (libm::round(1000.0 * (*v + noise * rng.normal()).clamp(0.0, 1.0))) / 1000.0;
    }
    px
}

/// `n` images, the classes taking turns (so they differ in count by at most one), in a
/// shuffled order: columns `p0`..`p255` (row by row) and the class `shape`.
pub fn shapes(n: usize, noise: f64, rng: &mut Rng) -> Table {
    let mut classes: Vec<u32> = (0..n).map(|i| (i % SHAPES.len()) as u32).collect();
    rng.shuffle(&mut classes);
    let mut pixels: Vec<Vec<f64>> = (0..SIDE * SIDE).map(|_| Vec::with_capacity(n)).collect();
    for &k in &classes {
        for (col, v) in pixels.iter_mut().zip(image(k as usize, noise, rng)) {
            col.push(v);
        }
    }
    let mut columns: Vec<_> = pixels.into_iter().enumerate().map(|(i, v)| numeric(&format!("p{i}"), v)).collect();
    columns.push(categorical("shape", classes, &SHAPES));
    Table { notes: vec![], columns }
}
