//! Stable sorts for paths that run once per click (reports, views, eigenvector order) or on
//! short lists (a node's categories).
//! std's `sort_by` is compiled anew for every comparator closure, about 10 KB of wasm each;
//! these take the comparator as a trait object, so every caller shares one compiled sort.
//! Same order as `sort_by` with the same comparator. Training loops keep std's sorts.

use std::cmp::Ordering;

/// `v.sort_by(cmp)` for indices (stable).
#[inline(never)]
pub fn sort_indices(v: &mut [usize], cmp: &dyn Fn(usize, usize) -> Ordering) {
    v.sort_by(|&a, &b| cmp(a, b));
}

/// `v.sort_by(cmp)` (stable) for any element type: the elements' order comes from the one
/// compiled index sort, then they are moved into it.
pub fn sort_by<T>(v: &mut Vec<T>, cmp: &dyn Fn(&T, &T) -> Ordering) {
    let mut order: Vec<usize> = (0..v.len()).collect();
    sort_indices(&mut order, &|a, b| cmp(&v[a], &v[b]));
    let mut slots: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(order.into_iter().map(|i| slots[i].take().expect("each index once")));
}

/// Indices stably sorted by `key`, largest first (`key(b).total_cmp(&key(a))`).
pub fn sort_indices_desc(v: &mut [usize], key: &dyn Fn(usize) -> f64) {
    sort_indices(v, &|a, b| key(b).total_cmp(&key(a)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_order_as_std_sort_by() {
        let keys = [3.0, -1.0, 3.0, f64::NAN, 0.5, -0.0, 0.0, 3.0, f64::NEG_INFINITY];
        let mut ours: Vec<usize> = (0..keys.len()).collect();
        let mut std: Vec<usize> = ours.clone();
        sort_indices_desc(&mut ours, &|i| keys[i]);
        std.sort_by(|&a, &b| keys[b].total_cmp(&keys[a]));
        assert_eq!(ours, std);
        let mut pairs: Vec<(f64, usize)> = keys.iter().enumerate().map(|(i, &k)| (k, i % 3)).collect();
        let mut by_std = pairs.clone();
        sort_by(&mut pairs, &|a, b| a.1.cmp(&b.1).then(a.0.total_cmp(&b.0)));
        by_std.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.total_cmp(&b.0)));
        assert_eq!(
            pairs.iter().map(|p| p.0.to_bits()).collect::<Vec<_>>(),
            by_std.iter().map(|p| p.0.to_bits()).collect::<Vec<_>>()
        );
        assert_eq!(ours[..4], [3, 0, 2, 7]); // NaN (positive) first, then the 3.0s in input order
        let mut by_parity: Vec<usize> = (0..10).rev().collect();
        sort_indices(&mut by_parity, &|a, b| (a % 2).cmp(&(b % 2)));
        assert_eq!(by_parity, [8, 6, 4, 2, 0, 9, 7, 5, 3, 1]);
    }
}
