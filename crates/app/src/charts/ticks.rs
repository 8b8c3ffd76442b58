//! How many tick labels an axis can carry: plotters asks for a fixed count (11), whose
//! labels ran into each other on a narrow chart. Here the count follows the axis's length
//! in pixels and the labels' estimated sizes.

use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;

use super::legend::text_width;
use super::Theme;

/// The most labels plotters will be asked for (its default).
pub const MAX_LABELS: usize = 11;

/// The largest label count, at most `MAX_LABELS` and at least 2, whose labels on `spec`,
/// laid along an axis `len` pixels long, keep `gap` pixels apart; `size` gives a label's
/// extent along the axis (its width on the x axis, its height on the y axis).
pub fn label_count<R, T>(spec: &R, len: i32, gap: i32, size: impl Fn(&str) -> i32) -> usize
where
    R: Ranged<ValueType = T> + ValueFormatter<T>,
{
    let fits = |n: usize| {
        let mut spans: Vec<(i32, i32)> =
            spec.key_points(n).iter().map(|v| (spec.map(v, (0, len)), size(&spec.format_ext(v)))).collect();
        crate::base::sort::sort_by(&mut spans, &|a, b| a.cmp(b));
        spans.windows(2).all(|w| w[1].0 - w[0].0 >= (w[0].1 + w[1].1 + 1) / 2 + gap)
    };
    (2..=MAX_LABELS).rev().find(|&n| fits(n)).unwrap_or(2)
}

/// The width a y axis's label area needs for values `lo..hi`: its widest tick label (at the
/// finest spacing plotters may pick, whose labels are the longest), the title's line turned
/// on its side, and the gaps between them. A fixed width let "-20.0" or "0.0005" run into
/// the axis title.
pub fn y_label_area(lo: f64, hi: f64, theme: &Theme) -> u32 {
    let spec: RangedCoordf64 = (lo..hi).into();
    let widest = spec.key_points(MAX_LABELS).iter().map(|v| text_width(&spec.format_ext(v), theme)).max().unwrap_or(0);
    widest.max(0) as u32 + theme.px(13.0 * 1.2 + 16.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::coord::types::RangedCoordf64;

    /// Label sizes as `label_count` sees them here: 7 px a character.
    fn width(s: &str) -> i32 {
        7 * s.chars().count() as i32
    }

    /// The labels' (position, width) along the axis for `n` asked for, as plotters places them.
    fn spans(spec: &RangedCoordf64, len: i32, n: usize) -> Vec<(i32, i32)> {
        spec.key_points(n).iter().map(|v| (spec.map(v, (0, len)), width(&spec.format_ext(v)))).collect()
    }

    #[test]
    fn labels_never_overlap_and_a_wide_axis_keeps_them_all() {
        // A t-SNE layout's range, and the one of the screenshot that showed the defect.
        for spec in [RangedCoordf64::from(-62.3..58.9), RangedCoordf64::from(-2.3..1.4)] {
            for len in [120, 200, 250, 300, 450, 700, 1200] {
                let n = label_count(&spec, len, 8, width);
                let s = spans(&spec, len, n);
                assert!(s.len() >= 2, "len {len}: {s:?}");
                for w in s.windows(2) {
                    assert!(w[1].0 - w[0].0 >= (w[0].1 + w[1].1) / 2 + 8, "len {len}, n {n}: {s:?}");
                }
            }
        }
        let spec = RangedCoordf64::from(-62.3..58.9);
        assert_eq!(label_count(&spec, 1200, 8, width), MAX_LABELS);
        // Narrower axes carry fewer labels, never more than a wider one.
        let shown = |len| spec.key_points(label_count(&spec, len, 8, width)).len();
        let counts: Vec<usize> = [150, 300, 600, 1200].into_iter().map(shown).collect();
        assert!(counts.windows(2).all(|c| c[0] <= c[1]) && counts[0] < counts[3], "{counts:?}");
    }

    #[test]
    fn the_default_count_crowds_a_narrow_axis() {
        // The defect this module fixes: 11 asked-for labels on a 250 px axis overlap.
        let spec = RangedCoordf64::from(-2.3..1.4);
        let s = spans(&spec, 250, MAX_LABELS);
        assert!(s.windows(2).any(|w| w[1].0 - w[0].0 < (w[0].1 + w[1].1) / 2 + 8), "{s:?}");
    }
}
