//! A scatter plot's points as pixels: a browser canvas rasterises thousands of small
//! anti-aliased circles slowly (about 4 µs each, on the page's main thread), so the page
//! paints them here into the plot area's pixels and puts those back in one call.

use plotters::style::RGBColor;

/// A point as drawn: centre and radius in device pixels; `ring`: the stroke width of a
/// hollow circle, `None` for a filled one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dot {
    pub x: i32,
    pub y: i32,
    pub r: u32,
    pub color: RGBColor,
    pub ring: Option<u32>,
}

/// How much of each pixel around a centre a dot of this shape covers, 0 to 256: the same
/// for every dot of one shape (centres are whole pixels), so worked out once per shape.
struct Mask {
    r: u32,
    ring: Option<u32>,
    reach: i32,
    cover: Vec<u16>,
}

impl Mask {
    fn new(r: u32, ring: Option<u32>) -> Mask {
        let (rf, half) = (r as f64, ring.map_or(0.0, |w| w as f64 / 2.0));
        let reach = (rf + half + 1.0).ceil() as i32;
        let side = 2 * reach as usize;
        let mut cover = Vec::with_capacity(side * side);
        for dy in -reach..reach {
            for dx in -reach..reach {
                let dist = ((dx as f64 + 0.5).powi(2) + (dy as f64 + 0.5).powi(2)).sqrt();
                let c = match ring {
                    None => rf + 0.5 - dist,
                    Some(_) => half + 0.5 - (dist - rf).abs(),
                };
                cover.push((c.clamp(0.0, 1.0) * 256.0).round() as u16);
            }
        }
        Mask { r, ring, reach, cover }
    }
}

/// Paints `dots`, in order, over `rgba` (an image `width` pixels wide whose top-left pixel
/// is at `origin` on the canvas), with the same geometry as a canvas `arc` at the dot's
/// centre: each pixel covered in proportion to how far its centre lies inside the shape.
pub fn paint_dots(rgba: &mut [u8], width: usize, origin: (i32, i32), dots: &[Dot]) {
    if width == 0 {
        return;
    }
    let height = (rgba.len() / 4 / width) as i32;
    let mut masks: Vec<Mask> = Vec::new();
    for d in dots {
        let m = match masks.iter().position(|m| m.r == d.r && m.ring == d.ring) {
            Some(k) => &masks[k],
            None => {
                masks.push(Mask::new(d.r, d.ring));
                masks.last().unwrap()
            }
        };
        let (cx, cy, reach, side) = (d.x - origin.0, d.y - origin.1, m.reach, 2 * m.reach);
        let colour = [d.color.0 as i32, d.color.1 as i32, d.color.2 as i32];
        for my in 0..side {
            let py = cy - reach + my;
            if py < 0 || py >= height {
                continue;
            }
            for mx in 0..side {
                let px = cx - reach + mx;
                let cover = m.cover[(my * side + mx) as usize] as i32;
                if cover == 0 || px < 0 || px >= width as i32 {
                    continue;
                }
                let i = 4 * (py as usize * width + px as usize);
                for k in 0..3 {
                    let under = rgba[i + k] as i32;
                    rgba[i + k] = (under + (((colour[k] - under) * cover + 128) >> 8)) as u8;
                }
                rgba[i + 3] = 255;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filled_dot_covers_its_disc_and_fades_at_the_edge() {
        let (w, h) = (20, 20);
        let mut img = vec![255u8; w * h * 4];
        let dot = Dot { x: 10, y: 10, r: 4, color: RGBColor(0, 0, 0), ring: None };
        paint_dots(&mut img, w, (0, 0), &[dot]);
        let at = |x: usize, y: usize| img[4 * (y * w + x)];
        assert_eq!(at(10, 10), 0); // inside: the dot's colour
        assert_eq!(at(0, 0), 255); // far outside: untouched
        let edge = at(13, 10); // pixel centre 3.5 from the centre, half a pixel in
        assert!(edge <= 128, "{edge}");
    }

    #[test]
    fn a_ring_leaves_its_middle_alone_and_the_origin_shifts_the_image() {
        let (w, h) = (20, 20);
        let mut img = vec![200u8; w * h * 4];
        // The image starts at canvas pixel (100, 50): the dot at (110, 60) is its centre.
        let dot = Dot { x: 110, y: 60, r: 6, color: RGBColor(0, 0, 0), ring: Some(1) };
        paint_dots(&mut img, w, (100, 50), &[dot]);
        let at = |x: usize, y: usize| img[4 * (y * w + x)];
        assert_eq!(at(10, 10), 200);
        assert!(at(15, 10) < 100 || at(16, 10) < 100, "the ring passes 6 px right of the centre");
        // Dots beyond the image are clipped, not a panic.
        paint_dots(&mut img, w, (0, 0), &[Dot { x: -3, y: 25, r: 5, color: RGBColor(1, 2, 3), ring: None }]);
    }
}
