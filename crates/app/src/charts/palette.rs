//! The class colours: ten that stay apart for everyone. Every pair of them differs by a
//! CIEDE2000 colour difference of at least 15 (a glance tells them apart), and at least
//! 10 after simulating each common colour-vision deficiency (protanopia, deuteranopia,
//! tritanopia; Machado et al. 2009 at full severity); Okabe-Ito's eight manage 9.4 there.
//! All have a lightness between 40 and 75 and some chroma, so they show on the light and
//! the dark theme and never read as the grey of noise points. Found by a search that
//! maximised the smallest of those distances, with the first two (blue, orange) fixed;
//! the tests below check the claims. Beyond ten classes the colours repeat as hollow rings.

use plotters::style::RGBColor;

/// The palette, in the order classes take it. The page's 3-D view keeps a copy
/// (`www/ui/palette.js`), checked by a test here.
pub const CLASS_COLORS: [RGBColor; 10] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(230, 159, 0),   // orange
    RGBColor(0, 150, 115),   // green
    RGBColor(185, 0, 121),   // magenta
    RGBColor(0, 202, 223),   // cyan
    RGBColor(165, 105, 75),  // brown
    RGBColor(166, 119, 255), // violet
    RGBColor(89, 109, 0),    // olive
    RGBColor(193, 135, 160), // mauve
    RGBColor(172, 181, 123), // sage
];

/// Class `i`'s colour, and whether its points are drawn hollow (classes past the tenth,
/// whose colours repeat).
pub fn class_mark(i: usize) -> (RGBColor, bool) {
    (CLASS_COLORS[i % CLASS_COLORS.len()], i >= CLASS_COLORS.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// CIE L*a*b* (D65) of an sRGB colour, optionally passed through a 3x3 matrix on
    /// linear RGB first (a colour-vision simulation).
    fn lab(c: RGBColor, sim: Option<&[[f64; 3]; 3]>) -> [f64; 3] {
        let lin = |v: u8| {
            let v = v as f64 / 255.0;
            if v <= 0.04045 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        let mut rgb = [lin(c.0), lin(c.1), lin(c.2)];
        if let Some(m) = sim {
            let r = rgb;
            for (k, row) in m.iter().enumerate() {
                rgb[k] = (row[0] * r[0] + row[1] * r[1] + row[2] * r[2]).clamp(0.0, 1.0);
            }
        }
        let xyz = [
            (0.4124564 * rgb[0] + 0.3575761 * rgb[1] + 0.1804375 * rgb[2]) / 0.95047,
            0.2126729 * rgb[0] + 0.7151522 * rgb[1] + 0.0721750 * rgb[2],
            (0.0193339 * rgb[0] + 0.1191920 * rgb[1] + 0.9503041 * rgb[2]) / 1.08883,
        ];
        let f = |t: f64| if t > 216.0 / 24389.0 { t.cbrt() } else { (24389.0 / 27.0 * t + 16.0) / 116.0 };
        let (fx, fy, fz) = (f(xyz[0]), f(xyz[1]), f(xyz[2]));
        [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
    }

    /// CIEDE2000 (Sharma, Wu and Dalal 2005), with kL = kC = kH = 1.
    fn ciede2000(p: [f64; 3], q: [f64; 3]) -> f64 {
        let ([l1, a1, b1], [l2, a2, b2]) = (p, q);
        let c_bar = (a1.hypot(b1) + a2.hypot(b2)) / 2.0;
        let p7 = |c: f64| (c.powi(7) / (c.powi(7) + 25f64.powi(7))).sqrt();
        let g = 0.5 * (1.0 - p7(c_bar));
        let (a1p, a2p) = ((1.0 + g) * a1, (1.0 + g) * a2);
        let (c1p, c2p) = (a1p.hypot(b1), a2p.hypot(b2));
        let hue = |b: f64, a: f64| if b == 0.0 && a == 0.0 { 0.0 } else { b.atan2(a).to_degrees().rem_euclid(360.0) };
        let (h1, h2) = (hue(b1, a1p), hue(b2, a2p));
        let dh = if c1p * c2p == 0.0 {
            0.0
        } else if (h2 - h1).abs() <= 180.0 {
            h2 - h1
        } else if h2 - h1 > 180.0 {
            h2 - h1 - 360.0
        } else {
            h2 - h1 + 360.0
        };
        let (dl, dc) = (l2 - l1, c2p - c1p);
        let dhh = 2.0 * (c1p * c2p).sqrt() * (dh / 2.0).to_radians().sin();
        let (l_bar, cp_bar) = ((l1 + l2) / 2.0, (c1p + c2p) / 2.0);
        let h_bar = if c1p * c2p == 0.0 {
            h1 + h2
        } else if (h1 - h2).abs() <= 180.0 {
            (h1 + h2) / 2.0
        } else if h1 + h2 < 360.0 {
            (h1 + h2 + 360.0) / 2.0
        } else {
            (h1 + h2 - 360.0) / 2.0
        };
        let cos = |deg: f64| deg.to_radians().cos();
        let t = 1.0 - 0.17 * cos(h_bar - 30.0) + 0.24 * cos(2.0 * h_bar) + 0.32 * cos(3.0 * h_bar + 6.0)
            - 0.20 * cos(4.0 * h_bar - 63.0);
        let d_theta = 30.0 * (-((h_bar - 275.0) / 25.0).powi(2)).exp();
        let rt = -2.0 * p7(cp_bar) * (2.0 * d_theta).to_radians().sin();
        let sl = 1.0 + 0.015 * (l_bar - 50.0).powi(2) / (20.0 + (l_bar - 50.0).powi(2)).sqrt();
        let (sc, sh) = (1.0 + 0.045 * cp_bar, 1.0 + 0.015 * cp_bar * t);
        ((dl / sl).powi(2) + (dc / sc).powi(2) + (dhh / sh).powi(2) + rt * (dc / sc) * (dhh / sh)).sqrt()
    }

    /// Machado, Oliveira and Fernandes (2009), severity 1.0, on linear RGB.
    const PROTANOPIA: [[f64; 3]; 3] =
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]];
    const DEUTERANOPIA: [[f64; 3]; 3] =
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]];
    const TRITANOPIA: [[f64; 3]; 3] =
        [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]];

    /// The closest pair of the palette as seen through `sim`: (distance, i, j).
    fn closest(colors: &[RGBColor], sim: Option<&[[f64; 3]; 3]>) -> (f64, usize, usize) {
        let mut best = (f64::INFINITY, 0, 0);
        for i in 0..colors.len() {
            for j in i + 1..colors.len() {
                let d = ciede2000(lab(colors[i], sim), lab(colors[j], sim));
                if d < best.0 {
                    best = (d, i, j);
                }
            }
        }
        best
    }

    #[test]
    fn ciede2000_reproduces_sharmas_test_pairs() {
        // Sharma, Wu and Dalal (2005), table 1: pairs 1, 2, 7, 17, 18, 19, 20, 25 and 31.
        let pairs = [
            ([50.0, 2.6772, -79.7751], [50.0, 0.0, -82.7485], 2.0425),
            ([50.0, 3.1571, -77.2803], [50.0, 0.0, -82.7485], 2.8615),
            ([50.0, 0.0, 0.0], [50.0, -1.0, 2.0], 2.3669),
            ([50.0, 2.5, 0.0], [73.0, 25.0, -18.0], 27.1492),
            ([50.0, 2.5, 0.0], [61.0, -5.0, 29.0], 22.8977),
            ([50.0, 2.5, 0.0], [56.0, -27.0, -3.0], 31.9030),
            ([50.0, 2.5, 0.0], [58.0, 24.0, 15.0], 19.4535),
            ([60.2574, -34.0099, 36.2677], [60.4626, -34.1751, 39.4387], 1.2644),
            ([90.8027, -2.0831, 1.4410], [91.1528, -1.6435, 0.0447], 1.4441),
        ];
        for (p, q, want) in pairs {
            let got = ciede2000(p, q);
            assert!((got - want).abs() < 1e-4, "{p:?} {q:?}: {got} != {want}");
            assert!((ciede2000(q, p) - want).abs() < 1e-4, "symmetric");
        }
    }

    #[test]
    fn every_pair_of_the_ten_colours_differs_by_at_least_15() {
        let (d, i, j) = closest(&CLASS_COLORS, None);
        assert!(d >= 15.0, "colours {i} and {j} differ by only {d:.2}");
    }

    #[test]
    fn the_colours_stay_apart_under_the_common_colour_vision_deficiencies() {
        for (name, sim) in [("protanopia", PROTANOPIA), ("deuteranopia", DEUTERANOPIA), ("tritanopia", TRITANOPIA)] {
            let (d, i, j) = closest(&CLASS_COLORS, Some(&sim));
            assert!(d >= 10.0, "{name}: colours {i} and {j} differ by only {d:.2}");
        }
        // The bar is a real one: the old palette (Okabe-Ito, eight colours) misses it.
        let okabe_ito = [
            RGBColor(0, 114, 178),
            RGBColor(230, 159, 0),
            RGBColor(0, 158, 115),
            RGBColor(204, 121, 167),
            RGBColor(86, 180, 233),
            RGBColor(213, 94, 0),
            RGBColor(240, 228, 66),
            RGBColor(120, 120, 120),
        ];
        assert!(closest(&okabe_ito, Some(&DEUTERANOPIA)).0 < 10.0);
    }

    #[test]
    fn the_colours_show_on_both_themes_and_are_not_grey() {
        for (k, &c) in CLASS_COLORS.iter().enumerate() {
            let [l, a, b] = lab(c, None);
            assert!((40.0..=75.0).contains(&l), "colour {k}: lightness {l:.1}");
            assert!(a.hypot(b) >= 25.0, "colour {k}: chroma {:.1}", a.hypot(b));
            for dark in [false, true] {
                let bg = super::super::Theme::new(dark, 1.0).background;
                let d = ciede2000(lab(c, None), lab(bg, None));
                assert!(d >= 25.0, "colour {k} on the {} theme: {d:.1}", if dark { "dark" } else { "light" });
            }
        }
    }

    #[test]
    fn classes_past_the_tenth_repeat_a_colour_as_hollow_rings() {
        assert_eq!(class_mark(3), (CLASS_COLORS[3], false));
        assert_eq!(class_mark(13), (CLASS_COLORS[3], true));
    }

    #[test]
    fn the_page_draws_with_the_same_colours() {
        let js = include_str!("../../../../www/ui/palette.js");
        for c in CLASS_COLORS {
            let hex = format!("'#{:02x}{:02x}{:02x}'", c.0, c.1, c.2);
            assert!(js.contains(&hex), "www/ui/palette.js lacks {hex}");
        }
        assert_eq!(js.matches("'#").count(), CLASS_COLORS.len(), "{js}");
    }
}
