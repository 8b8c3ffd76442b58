//! Scanning one feature of a node for its best boundary: every gap between distinct values
//! of a number, or every cut of the categories ordered by their mean target, with the
//! missing rows tried on both sides.

use super::{proxy, Labels, Scratch, Settings, Split};

/// Scores one candidate boundary, with the missing rows on either side.
#[allow(clippy::too_many_arguments)]
fn consider(
    s: &mut Scratch,
    set: &Settings,
    (nl, wl): (usize, f64),
    (nr, wr): (usize, f64),
    (nm, wm): (usize, f64),
    best: &mut Split,
    mut record: impl FnMut(&mut Split, bool),
) {
    let msl = set.min_samples_leaf;
    let k = s.total.len();
    for missing_left in [false, true] {
        if missing_left && nm == 0 {
            break;
        }
        let (nl2, nr2) = if missing_left { (nl + nm, nr) } else { (nl, nr + nm) };
        if nl2 < msl || nr2 < msl {
            continue;
        }
        let (wl2, wr2) = if missing_left { (wl + wm, wr) } else { (wl, wr + wm) };
        for c in 0..k {
            let (l, m) = (s.left[c], s.miss[c]);
            let r = s.total[c] - l;
            s.a[c] = if missing_left { l + m } else { l };
            s.b[c] = if missing_left { r } else { r + m };
        }
        let score = proxy(set.criterion, &s.a, wl2, &s.b, wr2);
        if score > best.score {
            best.score = score;
            record(best, missing_left);
        }
    }
}

fn reset(s: &mut Scratch, k: usize) {
    for v in [&mut s.total, &mut s.left, &mut s.miss, &mut s.a, &mut s.b] {
        v.clear();
        v.resize(k, 0.0);
    }
}

/// Numeric feature `f`: sort the node's rows by value and try every boundary. Returns
/// false when the feature is constant in the node.
#[allow(clippy::too_many_arguments)]
pub(super) fn scan_numeric(
    s: &mut Scratch,
    set: &Settings,
    y: &Labels,
    w: &[f64],
    rows: &[u32],
    col: &[f64],
    f: usize,
    best: &mut Split,
) -> bool {
    reset(s, y.n_stats());
    s.pairs.clear();
    let (mut nm, mut wm, mut wt) = (0, 0.0, 0.0);
    for &r in rows {
        let (v, wr) = (col[r as usize], w[r as usize]);
        if v.is_nan() {
            nm += 1;
            wm += wr;
            y.add(&mut s.miss, r as usize, wr);
        } else {
            s.pairs.push((v, r));
            wt += wr;
            y.add(&mut s.total, r as usize, wr);
        }
    }
    let m = s.pairs.len();
    if m == 0 {
        return false;
    }
    s.pairs.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    if s.pairs[0].0 == s.pairs[m - 1].0 && nm == 0 {
        return false;
    }
    let mut wl = 0.0;
    for i in 0..m - 1 {
        let (v, r) = s.pairs[i];
        let wr = w[r as usize];
        wl += wr;
        y.add(&mut s.left, r as usize, wr);
        let next = s.pairs[i + 1].0;
        if next <= v {
            continue;
        }
        let (nl, nr) = (i + 1, m - i - 1);
        // Scan the pairs by index so that `s` can be lent to `consider`.
        consider(s, set, (nl, wl), (nr, wt - wl), (nm, wm), best, |b, ml| {
            let mut t = v / 2.0 + next / 2.0;
            if t == next || t.is_infinite() {
                t = v;
            }
            *b = Split {
                score: b.score,
                feature: f,
                categorical: false,
                threshold: t,
                cats_left: vec![],
                missing_left: ml,
            };
        });
    }
    if nm > 0 {
        // Every present value left, missing rows right.
        consider_missing_only(s, set, (m, wt), (nm, wm), best, |b| {
            *b = Split {
                score: b.score,
                feature: f,
                categorical: false,
                threshold: f64::INFINITY,
                cats_left: vec![],
                missing_left: false,
            };
        });
    }
    true
}

/// Present values left, missing right (only that side, unlike `consider`).
fn consider_missing_only(
    s: &mut Scratch,
    set: &Settings,
    (n, wt): (usize, f64),
    (nm, wm): (usize, f64),
    best: &mut Split,
    record: impl FnOnce(&mut Split),
) {
    if n < set.min_samples_leaf || nm < set.min_samples_leaf {
        return;
    }
    let score = proxy(set.criterion, &s.total, wt, &s.miss, wm);
    if score > best.score {
        best.score = score;
        record(best);
    }
}

/// Categorical feature `f`: order the categories present by mean target (share of the
/// node's majority class for several classes) and try every boundary in that order.
#[allow(clippy::too_many_arguments)]
pub(super) fn scan_categories(
    s: &mut Scratch,
    set: &Settings,
    y: &Labels,
    w: &[f64],
    rows: &[u32],
    col: &[f64],
    n_cats: usize,
    f: usize,
    best: &mut Split,
) -> bool {
    let k = y.n_stats();
    reset(s, k);
    s.cat_n.clear();
    s.cat_n.resize(n_cats, 0);
    s.cat_w.clear();
    s.cat_w.resize(n_cats, 0.0);
    s.cat_s.clear();
    s.cat_s.resize(n_cats * k, 0.0);
    let (mut nm, mut wm, mut wt) = (0, 0.0, 0.0);
    for &r in rows {
        let (v, wr) = (col[r as usize], w[r as usize]);
        if v.is_nan() || v as usize >= n_cats {
            nm += 1;
            wm += wr;
            y.add(&mut s.miss, r as usize, wr);
        } else {
            let c = v as usize;
            s.cat_n[c] += 1;
            s.cat_w[c] += wr;
            wt += wr;
            y.add(&mut s.cat_s[c * k..(c + 1) * k], r as usize, wr);
            y.add(&mut s.total, r as usize, wr);
        }
    }
    let key_class = match y {
        Labels::Classes(_, 2) => 1,
        Labels::Classes(..) => (0..k).max_by(|&a, &b| s.total[a].total_cmp(&s.total[b]).then(b.cmp(&a))).unwrap_or(0),
        Labels::Values(_) => 0,
    };
    s.order.clear();
    for c in (0..n_cats).filter(|&c| s.cat_n[c] > 0) {
        s.order.push((s.cat_s[c * k + key_class] / s.cat_w[c], c));
    }
    if s.order.is_empty() || (s.order.len() == 1 && nm == 0) {
        return false;
    }
    crate::base::sort::sort_by(&mut s.order, &|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let m: usize = s.order.iter().map(|&(_, c)| s.cat_n[c]).sum();
    let (mut nl, mut wl) = (0, 0.0);
    for i in 0..s.order.len() - 1 {
        let c = s.order[i].1;
        nl += s.cat_n[c];
        wl += s.cat_w[c];
        for j in 0..k {
            s.left[j] += s.cat_s[c * k + j];
        }
        let before = best.score;
        consider(s, set, (nl, wl), (m - nl, wt - wl), (nm, wm), best, |b, ml| {
            *b = Split {
                score: b.score,
                feature: f,
                categorical: true,
                threshold: 0.0,
                cats_left: vec![],
                missing_left: ml,
            };
        });
        if best.score > before {
            best.cats_left = s.order[..=i].iter().map(|&(_, c)| c).collect();
        }
    }
    if nm > 0 {
        let before = best.score;
        consider_missing_only(s, set, (m, wt), (nm, wm), best, |b| {
            *b = Split {
                score: b.score,
                feature: f,
                categorical: true,
                threshold: 0.0,
                cats_left: vec![],
                missing_left: false,
            };
        });
        if best.score > before {
            best.cats_left = s.order.iter().map(|&(_, c)| c).collect();
        }
    }
    true
}
